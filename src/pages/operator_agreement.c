/* operator_agreement.c — /operator/agreement: agreement versions in the console (issue 19,
 * item 4). The versions with their acceptance counts; publishing a new one (title, version,
 * the text uploaded as a file) after a preview, on agreement_publish as portalctl mpa
 * publish (the text previewed is kept in the database and is exactly what is published);
 * the acceptance report of a version (who accepted, when, the signer) and its CSV. */
#include <string.h>

#include "base/i18n.h"
#include "base/csv.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/agreement.h"
#include "domain/console.h"
#include "web/form.h"
#include "web/page.h"

static const char *
check_version(struct req *r, const char *v)
{
	(void)r;
	return agreement_version_problem(v);
}

static const char *
check_title(struct req *r, const char *v)
{
	(void)r;
	return console_title_problem(v);
}

static const struct field publish_fields[] = {
	{ "title", N_("Title"), "text", 200, FF_REQUIRED, check_title, N_("Partners see it above the text."), NULL },
	{ "version", N_("Version"), "text", 40, FF_REQUIRED, check_version, N_("Letters, digits and . _ - (for example 2026-01)."), NULL },
	{ "text", N_("Agreement text"), "file", 65000, FF_REQUIRED | FF_MULTILINE, NULL, N_("A UTF-8 text file; it takes effect as soon as you publish it."), NULL },
};

/* The versions page (status 200, or 422 with the publish form f and its errors). */
static int
versions_page(struct req *r, int status, struct form *f)
{
	struct console_version_list l;
	if (console_versions(r->store, r->a, &l) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Agreement versions"));
	struct tv *rows = tv_list(ctx, "versions");
	for (size_t i = 0; i < l.n; i++) {
		struct tv *v = tv_push(rows);
		tv_seti(v, "id", l.v[i].v.id);
		tv_set(v, "version", l.v[i].v.version);
		tv_set(v, "title", l.v[i].title);
		tv_set(v, "published", page_time(r, l.v[i].v.published_at));
		tv_seti(v, "accepted", l.v[i].v.accepted);
		tv_setb(v, "current", i == 0);
	}
	tv_setb(ctx, "may_publish", route_allows(r->sess, &routes[R_OP_AGREEMENT_PREVIEW_POST]));
	struct form empty;
	if (f == NULL) {
		form_init(&empty, publish_fields, NELEM(publish_fields));
		f = &empty;
	}
	form_to_tv(f, ctx);
	return page_render(r, status, "operator/agreement", ctx);
}

/* GET /operator/agreement — the versions, newest (current) first. OP_CONSOLE. */
int
page_op_agreement(struct req *r)
{
	return versions_page(r, 200, NULL);
}

/* POST /operator/agreement/preview — title, version, text (multipart: the file). OP_ADMIN.
 * Checks them, keeps them (console_uploads) and shows the text as partners will read it,
 * with Publish; a bad field: the form again (422), nothing kept. */
int
page_op_agreement_preview_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, publish_fields, NELEM(publish_fields)) > 0)
		return versions_page(r, 422, &f);
	const char *text = form_get(&f, "text");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t id = console_upload_store(r->store, r->sess->user_id, "agreement", form_get(&f, "version"),
	    form_get(&f, "title"), text, now_sec());
	if (id < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Preview: publish agreement version"));
	tv_seti(ctx, "upload", id);
	tv_set(ctx, "title", form_get(&f, "title"));
	tv_set(ctx, "version", form_get(&f, "version"));
	tv_set(ctx, "text", text);
	tv_seti(ctx, "bytes", (long long)strlen(text));
	return page_render(r, 200, "operator/agreement-preview", ctx);
}

/* POST /operator/agreement/publish — upload (the preview's). OP_ADMIN. */
int
page_op_agreement_publish_post(struct req *r)
{
	int64_t upload = 0;
	const char *u = req_form(r, "upload");
	if (u == NULL || parse_i64(u, 1, INT64_MAX, &upload) < 0)
		return page_error(r, 400, NULL);
	int64_t now = now_sec();
	struct console_upload up;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int found = console_upload_get(r->store, r->a, upload, r->sess->user_id, "agreement", now, &up);
	if (found < 0)
		return page_error(r, 500, NULL);
	if (found == 0)
		return page_error(r, 409, _("This preview is no longer there: it was published already, or it is more than a day old. Upload the text again."));
	const char *why = NULL;
	int64_t id = console_publish(r->store, r->a, upload, &up, now, &why);
	if (id < 0)
		return page_error(r, 500, NULL);
	if (id == 0) {
		audit(r, "agreement.publish", arena_printf(r->a, "version %s", up.label), "refused", why);
		return page_error(r, 409, why);
	}
	audit(r, "agreement.publish", arena_printf(r->a, "version %s", up.label), "ok",
	    arena_printf(r->a, "%s; %zu bytes", up.name, strlen(up.body)));
	return resp_redirect(r, "/operator/agreement?m=agreement-published");
}

/* GET /operator/agreement/# — who accepted version # (organization, signer, when). OP_CONSOLE. */
int
page_op_agreement_version(struct req *r)
{
	struct console_version v;
	struct acceptance_list l;
	int found = console_acceptances(r->store, r->a, r->id, &v, &l);
	if (found <= 0)
		return found < 0 ? page_error(r, 500, NULL) : page_error(r, 404, NULL);
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("Agreement %s"), v.v.version));
	page_crumbs(ctx, "/operator/agreement", _("Agreement versions"), NULL);
	tv_seti(ctx, "id", v.v.id);
	tv_set(ctx, "version", v.v.version);
	tv_set(ctx, "version_title", v.title);	/* "title" is the page's (and the trail's last item) */
	tv_set(ctx, "published", page_time(r, v.v.published_at));
	tv_seti(ctx, "count", (long long)l.n);
	struct tv *rows = tv_list(ctx, "acceptances");
	for (size_t i = 0; i < l.n; i++) {
		struct tv *a = tv_push(rows);
		tv_seti(a, "tenant", l.v[i].tenant_id);
		tv_set(a, "org", l.v[i].org);
		tv_set(a, "domain", l.v[i].domain);
		tv_set(a, "signer", arena_printf(r->a, "%s %s", l.v[i].first, l.v[i].last));
		tv_set(a, "email", l.v[i].email);
		tv_set(a, "signer_title", l.v[i].title);
		tv_set(a, "when", page_time(r, l.v[i].accepted_at));
	}
	return page_render(r, 200, "operator/agreement-version", ctx);
}

/* GET /operator/agreement/#/acceptances.csv — the same as an RFC 4180 CSV attachment. OP_CONSOLE. */
int
page_op_agreement_csv(struct req *r)
{
	struct console_version v;
	struct acceptance_list l;
	int found = console_acceptances(r->store, r->a, r->id, &v, &l);
	if (found <= 0)
		return found < 0 ? page_error(r, 500, NULL) : page_error(r, 404, NULL);
	r->body.len = 0;
	struct buf *b = &r->body;
	static const char *const head[] = { "Organization", "Domain", "Signer first name", "Signer last name", "Signer email",
		"Signer title", "Signer phone", "Accepted (UTC)" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(b, head[i], i + 1 == NELEM(head));
	for (size_t i = 0; i < l.n; i++) {
		const struct acceptance_row *x = &l.v[i];
		const char *cells[] = { x->org, x->domain, x->first, x->last, x->email, x->title, x->phone,
			fmt_iso8601(r->a, x->accepted_at) };
		for (size_t k = 0; k < NELEM(cells); k++)
			csv_put_cell(b, cells[k], k + 1 == NELEM(cells));
	}
	if (b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"agreement-%lld-acceptances.csv\"",
	    (long long)v.v.id));
	return 200;
}
