/* enroll.c — enrollment as an indirect reseller (SPEC §2.2): the Welcome page, the
 * work-account step, and the legal business profile with `Enroll now`. The "Link your MPN
 * ID" step is in enroll_mpn.c; the primary contact's verification in verify.c; the status
 * machine, the draft and the submission in domain/enroll.c. Also what those pages share
 * (pages/enroll.h): the profile form, the steps, the emails' values, the draft's fields. */
#include "pages/enroll.h"
#include "base/i18n.h"

#include <string.h>

#include "base/portal.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/partners.h"
#include "domain/words.h"
#include "web/page.h"

/* ---- the legal business profile form ---- */

const char *
check_contact_email(struct req *r, const char *v)
{
	return enroll_contact_email_problem(r->store, r->a, v);
}

const char *
check_postal_code(struct req *r, const char *v)
{
	(void)r;
	return enroll_postal_code_problem(v);
}

const struct field enroll_profile_fields[] = {
	{ "legal_name", N_("Legal business name"), "text", 200, FF_REQUIRED, NULL,
	  N_("Your company's name exactly as it is registered."), "organization" },
	{ "address1", N_("Address line 1"), "text", 200, FF_REQUIRED, NULL, NULL, "address-line1" },
	{ "address2", N_("Address line 2"), "text", 200, 0, NULL, NULL, "address-line2" },
	{ "city", N_("City"), "text", 100, FF_REQUIRED, NULL, NULL, "address-level2" },
	{ "state", N_("State or province"), "text", 100, 0, NULL, NULL, "address-level1" },
	{ "postal_code", N_("Postal code"), "text", 20, FF_REQUIRED, check_postal_code, NULL, "postal-code" },
	{ "contact_first", N_("First name"), "text", 100, FF_REQUIRED, NULL, NULL, "given-name" },
	{ "contact_last", N_("Last name"), "text", 100, FF_REQUIRED, NULL, NULL, "family-name" },
	{ "contact_email", N_("Contact email"), "email", 254, FF_REQUIRED | FF_LOWER, check_contact_email,
	  N_("We email this person to verify the enrollment. An address at your company's domain: no web-mail "
	  "addresses (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com and the like)."), "email" },
	{ "contact_phone", N_("Contact phone"), "tel", 40, FF_REQUIRED, check_phone,
	  "7 to 20 digits; spaces and + - ( ) are allowed.", "tel" },
	{ "support_email", N_("Support email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  N_("Where your customers reach your support team."), NULL },
	{ "support_phone", N_("Support phone"), "tel", 40, FF_REQUIRED, check_phone,
	  "7 to 20 digits; spaces and + - ( ) are allowed.", NULL },
	{ "support_website", N_("Support website"), "url", 200, FF_REQUIRED, check_https_url,
	  N_("A web address that starts with https://"), NULL },
};
const size_t enroll_profile_nfields = NELEM(enroll_profile_fields);

/* A form value, "" for a field the form does not have. */
static const char *
value(const struct form *f, const char *name)
{
	const char *v = form_get(f, name);
	return v != NULL ? v : "";
}

void
enroll_form_read(const struct form *f, struct legal_profile *legal, struct support_details *sup)
{
	*legal = (struct legal_profile){
		.legal_name = value(f, "legal_name"), .address1 = value(f, "address1"), .address2 = value(f, "address2"),
		.city = value(f, "city"), .state = value(f, "state"), .postal_code = value(f, "postal_code"),
		.contact_first = value(f, "contact_first"), .contact_last = value(f, "contact_last"),
		.contact_email = value(f, "contact_email"), .contact_phone = value(f, "contact_phone"),
	};
	*sup = (struct support_details){ value(f, "support_email"), value(f, "support_phone"), value(f, "support_website") };
}

void
enroll_form_fill(struct form *f, const struct legal_profile *l, const struct partner_account *sup)
{
	if (l != NULL) {
		form_set(f, "legal_name", l->legal_name);
		form_set(f, "address1", l->address1);
		form_set(f, "address2", l->address2);
		form_set(f, "city", l->city);
		form_set(f, "state", l->state);
		form_set(f, "postal_code", l->postal_code);
		form_set(f, "contact_first", l->contact_first);
		form_set(f, "contact_last", l->contact_last);
		form_set(f, "contact_email", l->contact_email);
		form_set(f, "contact_phone", l->contact_phone);
	}
	if (sup != NULL) {
		form_set(f, "support_email", sup->support_email);
		form_set(f, "support_phone", sup->support_phone);
		form_set(f, "support_website", sup->support_website);
	}
}

void
enroll_legal_tv(struct tv *obj, const struct legal_profile *l)
{
	tv_set(obj, "legal_name", l->legal_name);
	tv_set(obj, "address1", l->address1);
	tv_set(obj, "address2", l->address2);
	tv_set(obj, "city", l->city);
	tv_set(obj, "state", l->state);
	tv_set(obj, "postal_code", l->postal_code);
	tv_set(obj, "contact_first", l->contact_first);
	tv_set(obj, "contact_last", l->contact_last);
	tv_set(obj, "contact_email", l->contact_email);
	tv_set(obj, "contact_phone", l->contact_phone);
}

int
enroll_mpns_tv(struct req *r, struct tv *ctx, const char *key)
{
	struct tenant_mpn_list mpns;
	if (tenant_mpns(r->store, r->a, r->sess->tenant_id, &mpns) < 0)
		return -1;
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < mpns.n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "mpn_id", mpns.v[i].mpn_id);
		tv_set(it, "company", mpns.v[i].company_name);
	}
	return 0;
}

void
enroll_steps(struct tv *ctx, int current, bool shortcut)
{
	static const char *const full[] = { N_("Welcome"), N_("Work account"), N_("Link your MPN ID"), N_("Legal business profile") };
	static const char *const brief[] = { N_("Welcome"), N_("Work account"), N_("Customer support details") };
	const char *const *names = shortcut ? brief : full;
	int n = shortcut ? (int)NELEM(brief) : (int)NELEM(full);
	struct tv *list = tv_list(ctx, "steps");
	for (int i = 0; i < n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "label", _(names[i]));
		tv_setb(it, "current", i == current);
		tv_setb(it, "done", i < current);
	}
}

struct tv *
enroll_mail_tv(struct arena *a, const struct pa_change *c, const char *verify_link)
{
	struct tv *m = tv_new_obj(a);
	tv_set(m, "org", c->org);
	tv_set(m, "legal_name", c->legal_name);
	tv_set(m, "contact_name", c->contact_name);
	tv_set(m, "contact_email", c->contact_email);
	tv_set(m, "partner_type", partner_type_label(c->type));
	tv_set(m, "partner_as", partner_type_noun(c->type));
	tv_set(m, "reason", c->reason);
	tv_set(m, "link", verify_link);
	tv_setb(m, "resend", c->from == c->to);
	tv_setb(m, "again", c->from == PA_REJECTED);
	return m;
}

/* ---- the draft's form fields ---- */

int
draft_decode(struct arena *a, const char *text, struct params *p)
{
	memset(p, 0, sizeof(*p));
	return req_parse_urlencoded(a, text, strlen(text), p) == PARSE_OK ? 0 : -1;
}

char *
draft_encode(struct arena *a, const struct params *p)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].value == NULL)
			continue;
		if (b.len)
			buf_putc(&b, '&');
		buf_puts(&b, url_encode(a, p->v[i].name));
		buf_putc(&b, '=');
		buf_puts(&b, url_encode(a, p->v[i].value));
	}
	return b.failed ? NULL : b.p;
}

int
form_draft_load(struct req *r, struct form_draft *d)
{
	memset(d, 0, sizeof(*d));
	if (draft_load(r->store, r->a, r->sess->tenant_id, &d->saved) < 0)
		return -1;
	if (draft_decode(r->a, d->saved.fields, &d->fields) < 0)
		memset(&d->fields, 0, sizeof(d->fields));
	return 0;
}

const char *
form_draft_get(const struct form_draft *d, const char *name)
{
	return params_get(&d->fields, name);
}

void
form_draft_set(struct arena *a, struct form_draft *d, const char *name, const char *v)
{
	struct params *p = &d->fields;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0) {
			p->v[i].value = v ? arena_strdup(a, v) : NULL;
			return;
		}
	if (v == NULL)
		return;
	params_add(a, p, arena_strdup(a, name), arena_strdup(a, v));
}

int
form_draft_save(struct req *r, const struct form_draft *d)
{
	return draft_save(r->store, r->sess->tenant_id, draft_encode(r->a, &d->fields), now_sec());
}

/* ---- the pages ---- */

/* Adds ctx.status: where the organization's reseller enrollment stands, for the status view. */
static void
add_status(struct req *r, struct tv *ctx, const struct enroll_state *s)
{
	struct tv *o = tv_obj(ctx, "status");
	enum pa_status st = (enum pa_status)s->reseller_status;
	tv_set(o, "name", pa_status_key(st));
	tv_set(o, "label", pa_status_label(st));
	tv_setb(o, st == PA_PENDING_VERIFICATION ? "pending" : st == PA_IN_REVIEW ? "review" : st == PA_APPROVED
	    ? "approved" : "rejected", true);
	const struct partner_account *p = s->reseller;
	if (p->submitted_at != 0)
		tv_set(o, "submitted", fmt_date(r->a, p->submitted_at));
	if (p->verify_sent_at != 0)
		tv_set(o, "sent", page_time(r, p->verify_sent_at));
	if (p->decided_at != 0)
		tv_set(o, "decided", fmt_date(r->a, p->decided_at));
	tv_set(o, "reason", p->reject_reason);
	if (s->has_legal) {
		tv_setf(o, "contact", "%s %s", s->legal.contact_first, s->legal.contact_last);
		tv_set(o, "contact_email", s->legal.contact_email);
	}
}

/* GET /enroll — public. The Welcome page: what to have at hand, button `Next`. An
 * organization that has submitted its enrollment sees where it stands instead. */
int
page_enroll(struct req *r)
{
	struct enroll_state s = { .reseller_status = PA_NONE };
	if (r->sess != NULL && enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.reseller != NULL && s.reseller_status != PA_DRAFT) {
		struct tv *ctx = page_ctx(r, _("Your enrollment"));
		add_status(r, ctx, &s);
		tv_setb(ctx, "may_enroll", perm_allows_in(r->sess, PERM_ENROLL, r->sess->tenant_id));
		return page_render(r, 200, "enroll/status", ctx);
	}
	struct tv *ctx = page_ctx(r, _("Enroll as an indirect reseller"));
	enroll_steps(ctx, 0, s.shortcut);
	tv_setb(ctx, "shortcut", s.shortcut);
	return page_render(r, 200, "enroll/welcome", ctx);
}

/* GET /enroll/account — public. Step 2: sign in with the work account as Global admin, or
 * `Create one` (both come back here). A signed-in Global admin goes on to the next step;
 * anyone else is told who can enroll. */
int
page_enroll_account(struct req *r)
{
	struct enroll_state s;
	if (r->sess == NULL) {
		struct tv *ctx = page_ctx(r, _("Sign in to enroll"));
		enroll_steps(ctx, 1, false);
		tv_set(ctx, "next", url_encode(r->a, "/enroll/account"));
		return page_render(r, 200, "enroll/account", ctx);
	}
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.customer || !perm_allows_in(r->sess, PERM_ENROLL, r->sess->tenant_id)) {
		struct tv *ctx = page_ctx(r, s.customer ? _("Customers do not enroll") : _("A Global admin must enroll"));
		enroll_steps(ctx, 1, s.shortcut);
		tv_setb(ctx, "customer", s.customer);
		audit(r, "enrollment.start", r->sess->email, "refused", s.customer ? "customer organization" : "not a Global admin");
		return page_render(r, 403, "enroll/need-admin", ctx);
	}
	if (s.submitted)
		return resp_redirect(r, "/enroll");
	return resp_redirect(r, s.shortcut ? "/enroll/profile" : "/enroll/mpn");
}

/* The checks every later step shares: a partner organization (not a customer) that has
 * not submitted yet. Returns 0 to go on, else the answer already prepared. */
static int
gate(struct req *r, struct enroll_state *s)
{
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, s) < 0)
		return page_error(r, 500, NULL);
	if (s->customer)
		return page_error(r, 403, _("This is a customer organization's work account: customers do not enroll. "
		    "Use Create one to make a work account for your company, then enroll with it."));
	if (s->submitted)
		return resp_redirect(r, "/enroll");
	return 0;
}

/* POST /enroll/mpn/skip — Global admin. Skips "Link your MPN ID" for now (it can be done
 * later under Settings -> Organization profile -> Identifiers). */
int
page_enroll_skip_post(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct form_draft d;
	if (tx_begin(r) < 0 || form_draft_load(r, &d) < 0)
		return page_error(r, 500, NULL);
	form_draft_set(r->a, &d, "mpn_skipped", "yes");
	if (form_draft_save(r, &d) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, "/enroll/profile");
}

/* ---- Legal business profile ---- */

/* The form's values when the page opens: the saved profile and support details, then the
 * draft on top (the latest input), else sensible starting values from the signed-in user. */
static void
prefill(struct req *r, struct form *f, const struct enroll_state *s, const struct form_draft *d)
{
	if (s->has_legal) {
		enroll_form_fill(f, &s->legal, NULL);
	} else {
		const char *name = r->sess->name, *sp = strrchr(name, ' ');
		form_set(f, "legal_name", r->sess->tenant_name);
		form_set(f, "contact_first", sp ? arena_strndup(r->a, name, (size_t)(sp - name)) : name);
		form_set(f, "contact_last", sp ? sp + 1 : "");
		form_set(f, "contact_email", r->sess->email);
	}
	enroll_form_fill(f, NULL, enroll_support_account(&s->accounts));
	for (size_t i = 0; i < f->n; i++) {
		const char *v = form_draft_get(d, f->fields[i].name);
		if (v != NULL)
			f->value[i] = v;
	}
}

/* Adds ctx.org (name, country), ctx.legal (the saved profile, read-only for the shortcut)
 * and ctx.mpn (linked MPN IDs). 0 or -1. */
static int
add_org(struct req *r, struct tv *ctx, const struct enroll_state *s)
{
	struct tv *org = tv_obj(ctx, "org");
	tv_set(org, "name", s->tenant.name);
	tv_set(org, "country", s->tenant.country.name);
	tv_set(org, "region", s->tenant.country.region_name);
	if (s->has_legal)
		enroll_legal_tv(tv_obj(ctx, "legal"), &s->legal);
	return enroll_mpns_tv(r, ctx, "mpn");
}

static int
profile_form(struct req *r, int status, struct form *f, const struct enroll_state *s, const struct form_draft *d)
{
	struct tv *ctx = page_ctx(r, s->shortcut ? _("Customer support details") : _("Legal business profile"));
	enroll_steps(ctx, s->shortcut ? 2 : 3, s->shortcut);
	form_to_tv(f, ctx);
	if (add_org(r, ctx, s) < 0)
		return page_error(r, 500, NULL);
	tv_setb(ctx, "shortcut", s->shortcut);
	tv_setb(ctx, "again", s->reseller_status == PA_REJECTED);
	tv_setb(ctx, "mpn_skipped", str_eq(form_draft_get(d, "mpn_skipped"), "yes"));
	return page_render(r, status, "enroll/profile", ctx);
}

/* GET /enroll/profile — Global admin. Legal business profile: legal name, address (the
 * country is the work account's), primary contact, customer support; `Enroll now`. An
 * organization with an approved partner account is asked only for customer support. */
int
page_enroll_profile(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct form_draft d;
	if (form_draft_load(r, &d) < 0)
		return page_error(r, 500, NULL);
	struct form f;
	if (s.shortcut)
		form_init(&f, enroll_support_fields, ENROLL_SUPPORT_N);
	else
		form_init(&f, enroll_profile_fields, enroll_profile_nfields);
	prefill(r, &f, &s, &d);
	return profile_form(r, 200, &f, &s, &d);
}

/* action=back: keeps what was entered in the draft (unchecked) and returns to the previous
 * step. */
static int
profile_back(struct req *r, const struct form *f, const struct enroll_state *s)
{
	struct form_draft d;
	if (tx_begin(r) < 0 || form_draft_load(r, &d) < 0)
		return page_error(r, 500, NULL);
	for (size_t i = 0; i < f->n; i++)
		form_draft_set(r->a, &d, f->fields[i].name, f->value[i]);
	if (form_draft_save(r, &d) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, s->shortcut ? "/enroll" : "/enroll/mpn");
}

/* POST /enroll/profile — Global admin. The profile fields and action: "back" keeps what was
 * entered in the draft (unchecked) and returns to the previous step; anything else checks
 * every field and submits: the legal profile is saved, the reseller account moves to
 * pending_verification (or, for the shortcut, straight to in_review), and the primary
 * contact is emailed — one transaction. */
int
page_enroll_profile_post(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct form f;
	if (s.shortcut)
		form_read(r, &f, enroll_support_fields, ENROLL_SUPPORT_N);
	else
		form_read(r, &f, enroll_profile_fields, enroll_profile_nfields);
	if (str_eq(req_form(r, "action"), "back"))
		return profile_back(r, &f, &s);
	if (f.nerrors > 0) {
		struct form_draft d;
		if (form_draft_load(r, &d) < 0)
			return page_error(r, 500, NULL);
		return profile_form(r, 422, &f, &s, &d);
	}

	if (tx_begin(r) < 0 || enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.submitted)
		return page_error(r, 409, _("Your organization's enrollment has already been submitted."));
	struct enroll_submission sub = { .tenant = r->sess->tenant_id, .user = r->sess->user_id, .shortcut = s.shortcut };
	enroll_form_read(&f, &sub.legal, &sub.support);
	struct pa_change c;
	const char *link, *why;
	int rc = enroll_submit(r->store, r->a, &sub, r->portal->cfg.base_url, &c, &link, &why);
	if (rc < 0)
		return page_error(r, 500, NULL);
	const char *target = arena_printf(r->a, "partner account %lld", (long long)c.account_id);
	if (rc > 0) {
		audit(r, "enrollment.submit", target, "refused", why);
		return page_error(r, 409, why);
	}
	struct tv *m = enroll_mail_tv(r->a, &c, link);
	tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
	if (page_mail(r, c.contact_email, enroll_mail_template(c.to), m) < 0)
		return page_error(r, 500, NULL);
	audit(r, "enrollment.submit", target, "ok", enroll_change_detail(r->a, &c));
	return resp_redirect(r, "/enroll?m=enroll-submitted");
}
