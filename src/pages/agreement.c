/* agreement.c — the partner agreement acceptance page, /agreement. SPEC §2.4.
 * The rules (versions, state, the transaction gate) are in domain/agreement.c; the parts
 * other pages show in agreement_parts.c. */
#include <string.h>

#include "base/i18n.h"
#include "pages/agreement.h"
#include "base/portal.h"
#include "domain/words.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "base/util.h"

static const char *
check_yes(struct req *r, const char *v)
{
	(void)r;
	return strcmp(v, "yes") == 0 ? NULL : N_("Tick this box to accept the agreement.");
}

static const struct field accept_fields[] = {
	{ "first", N_("First name"), "text", 100, FF_REQUIRED, NULL, NULL, "given-name" },
	{ "last", N_("Last name"), "text", 100, FF_REQUIRED, NULL, NULL, "family-name" },
	{ "email", N_("Email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email, NULL, "email" },
	{ "phone", N_("Phone"), "tel", 40, FF_REQUIRED, check_phone, N_("7 to 20 digits; spaces and + - ( ) are allowed."), "tel" },
	{ "title", N_("Job title"), "text", 100, FF_REQUIRED, NULL, NULL, "organization-title" },
	{ "accept", "", "checkbox", 8, FF_REQUIRED, check_yes, NULL, NULL },	/* label set per request */
	{ "version", "Version", "hidden", 20, 0, NULL, NULL, NULL },
};
#define NFIELDS NELEM(accept_fields)

/* The field table with the check box's sentence, which names the organization. */
static const struct field *
fields_for(struct req *r)
{
	struct field *fs = arena_alloc(r->a, sizeof(accept_fields));
	if (fs == NULL)
		return accept_fields;
	memcpy(fs, accept_fields, sizeof(accept_fields));
	fs[5].label = arena_printf(r->a, _("I have read the %s above and accept it on behalf of %s."),
	    r->portal->cfg.agreement, r->sess->tenant_name);
	return fs;
}

/* The agreement's text as paragraphs (split at blank lines); single line breaks stay inside
 * a paragraph and are shown by the stylesheet (white-space: pre-line). Everything is escaped
 * by the template. */
static void
add_paragraphs(struct req *r, struct tv *doc, const char *body)
{
	struct tv *list = tv_list(doc, "paragraphs");
	struct buf para;
	buf_init(&para, r->a);
	const char *p = body;
	while (1) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		bool blank = true;
		for (size_t i = 0; i < n && blank; i++)
			blank = p[i] == ' ' || p[i] == '\t';
		if (blank) {
			if (para.len > 0)
				tv_push_str(list, str_trim(r->a, para.p));
			para.len = 0;
		} else {
			if (para.len > 0)
				buf_putc(&para, '\n');
			buf_add(&para, p, n);
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (para.len > 0)
		tv_push_str(list, str_trim(r->a, para.p));
}

/* Splits the user's name into a first and a last name to prefill the signer (editable). */
static void
prefill(struct req *r, struct form *f)
{
	const char *name = r->sess->name, *sp = strrchr(name, ' ');
	form_set(f, "first", sp ? arena_strndup(r->a, name, (size_t)(sp - name)) : name);
	form_set(f, "last", sp ? sp + 1 : "");
	form_set(f, "email", r->sess->email);
}

/* Renders /agreement: the current text, the organization's status, and the form for a
 * Global admin whose organization has not accepted the current version. */
static int
agreement_page(struct req *r, int status, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, r->portal->cfg.agreement);
	tv_set(ctx, "problem", problem);
	bool applies = agreement_applies(r), ga = route_allows(r->sess, &routes[R_AGREEMENT_POST]);
	tv_setb(ctx, "applies", applies);
	tv_setb(ctx, "global_admin", ga);
	tv_setb(ctx, "customer", r->sess->tenant_kind == TENANT_CUSTOMER);

	struct agreement_version cur = { 0 };
	int published = agreement_current(r->store, r->a, &cur);
	struct agreement_state s;
	if (published < 0 || agreement_state(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (published) {
		struct tv *doc = tv_obj(ctx, "doc");
		tv_set(doc, "version", cur.version);
		tv_set(doc, "published", fmt_date(r->a, cur.published_at));
		add_paragraphs(r, doc, cur.body);
	}
	if (applies) {
		agreement_program_info_fill(r, ctx, &s);
		tv_setb(tv_obj(ctx, "agreement_info"), "can_accept", false);	/* the form is right here */
		struct gate g;
		agreement_gate(r->store, r->a, r->sess->tenant_id, -1, &g);
		tv_setb(ctx, "may_transact", g.reason == GATE_OK);
		tv_set(ctx, "gate_text", g.text);
		tv_set(ctx, "enrollment", g.status == PA_NONE ? _("None") : pa_status_label((enum pa_status)g.status));
		tv_set(ctx, "partner_type", partner_type_label((enum partner_type)g.type));
	}
	bool pending = applies && s.published && !s.accepted;
	tv_setb(ctx, "show_form", pending && ga);
	if (pending && !ga)
		agreement_global_admins(r, ctx, "admins");

	struct form fresh;
	if (f == NULL) {
		form_init(&fresh, fields_for(r), NFIELDS);
		prefill(r, &fresh);
		f = &fresh;
	}
	/* The form always carries the version on screen, so a newer one published meanwhile
	 * is noticed at Accept. */
	if (cur.id != 0)
		form_set(f, "version", arena_printf(r->a, "%lld", (long long)cur.id));
	form_to_tv(f, ctx);
	return page_render(r, status, "agreement/accept", ctx);
}

/* GET /agreement — any signed-in user: the current agreement text and the organization's
 * standing. A Global admin of an organization in the program that has not accepted the
 * current version also gets the form; anyone else is told who their Global admins are. */
int
page_agreement(struct req *r)
{
	return agreement_page(r, 200, NULL, NULL);
}

/* POST /agreement — Global admin only (perms.def AGREEMENT_ACCEPT; the dispatcher answers
 * 403 to anyone else). Fields: first, last, email, phone, title, accept=yes, version (the id
 * of the version shown). Records one acceptance per organization and version (accepting
 * again changes nothing) with the signer's details, the user, the time and the client
 * address, then returns to the overview. Errors re-render the form (422) writing nothing;
 * a version that is no longer current is refused (409) with the new text shown. */
int
page_agreement_post(struct req *r)
{
	struct form f;
	form_read(r, &f, fields_for(r), NFIELDS);
	if (!agreement_applies(r)) {
		audit(r, "agreement.accept", "", "refused", "no partner account");
		return page_error(r, 403, _("Only organizations enrolled in the program accept the partner agreement. Enroll first."));
	}
	if (f.nerrors > 0)
		return agreement_page(r, 422, &f, NULL);

	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t shown = 0;
	if (parse_i64(form_get(&f, "version"), 1, INT64_MAX, &shown) < 0)
		shown = 0;
	const struct agreement_signer who = { .first = form_get(&f, "first"), .last = form_get(&f, "last"),
		.email = form_get(&f, "email"), .phone = form_get(&f, "phone"), .title = form_get(&f, "title") };
	const char *version;
	switch (agreement_accept(r->store, r->a, r->sess->tenant_id, shown, &who, r->sess->user_id, r->ip, now_sec(),
	    &version)) {
	case ACCEPT_NOTHING_PUBLISHED:
		return agreement_page(r, 409, &f, _("No version of the agreement has been published yet, so there is nothing to accept."));
	case ACCEPT_NOT_CURRENT:
		return agreement_page(r, 409, &f, arena_printf(r->a,
		    _("A new version (%s) was published while this page was open. Read it below, then accept it."), version));
	case ACCEPT_ERROR:
		return page_error(r, 500, NULL);
	case ACCEPT_RECORDED:
		audit(r, "agreement.accept", arena_printf(r->a, "version %s", version), "ok",
		    arena_printf(r->a, "signer: %s %s <%s>, %s", who.first, who.last, who.email, who.title));
		break;
	case ACCEPT_ALREADY:
		break;
	}
	return resp_redirect(r, "/");
}
