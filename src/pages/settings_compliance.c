/* settings_compliance.c — /settings/security/compliance: Settings → MFA compliance, the
 * Global admin's view of who in the organization has multi-factor sign-in set up and who
 * has not, with each user's last sign-in and whether it used a second factor; and its CSV
 * download. Only the signed-in user's organization's users are read. */
#include "base/i18n.h"
#include "base/csv.h"
#include "base/util.h"
#include "domain/compliance.h"
#include "web/page.h"
#include "web/pager.h"

#define MFA_PER_PAGE 25

/* The filter from ?mfa=, with the filter links of the page. */
static const struct { enum mfa_filter f; const char *label; } filters[] = {
	{ MFA_ALL, N_("Everyone") }, { MFA_WITH, N_("With MFA") }, { MFA_WITHOUT, N_("Without MFA") },
};

static const char *
last_signin_text(struct req *r, const struct mfa_status_row *u)
{
	return u->last_signin_at ? page_time(r, u->last_signin_at) : NULL;
}

/* ctx.users = [{ id, name, email, roles, mfa, since, last, last_mfa }]. */
static void
add_users(struct req *r, struct tv *ctx, const struct mfa_status_list *users)
{
	struct tv *list = tv_list(ctx, "users");
	for (size_t i = 0; i < users->n; i++) {
		const struct mfa_status_row *u = &users->v[i];
		struct tv *it = tv_push(list);
		tv_seti(it, "id", u->id);
		tv_set(it, "name", u->name);
		tv_set(it, "email", u->email);
		tv_set(it, "roles", roles_local(r->a, u->roles & ROLE_ALL));
		tv_setb(it, "mfa", u->mfa_since != 0);
		tv_set(it, "since", u->mfa_since ? fmt_date(r->a, u->mfa_since) : NULL);
		tv_set(it, "last", last_signin_text(r, u));
		tv_setb(it, "last_mfa", u->last_signin_mfa);
		tv_setb(it, "is_me", u->id == r->sess->user_id);
	}
}

/* GET /settings/security/compliance?mfa=with|without&page=N — the organization's users,
 * 25 a page by name: MFA set up (since when) or not, last sign-in, with MFA or not; the
 * totals and a CSV download of the same filter. MFA_REPORT (Global admins). */
int
page_mfa_compliance(struct req *r)
{
	enum mfa_filter f = mfa_filter_parse(req_query(r, "mfa"));
	int64_t page = 1;
	if (paging_parse(req_query(r, "page"), &page) < 0)
		page = 1;
	int64_t users = 0, with_mfa = 0;
	struct paging pg;
	struct mfa_status_list list;
	if (mfa_totals(r->store, r->sess->tenant_id, &users, &with_mfa) < 0 ||
	    mfa_users_page(r->store, r->a, r->sess->tenant_id, f, page, MFA_PER_PAGE, &pg, &list) < 0)
		return page_error(r, 500, NULL);

	struct tv *ctx = page_ctx(r, _("MFA compliance"));
	tv_seti(ctx, "users_total", users);
	tv_seti(ctx, "with_mfa", with_mfa);
	tv_seti(ctx, "without_mfa", users - with_mfa);
	tv_setb(ctx, "everyone", users > 0 && with_mfa == users);
	tv_seti(ctx, "shown", pg.total);
	add_users(r, ctx, &list);
	const char *key = f == MFA_ALL ? NULL : mfa_filter_key(f);
	struct tv *links = tv_list(ctx, "filters");
	for (size_t i = 0; i < NELEM(filters); i++) {
		struct tv *it = tv_push(links);
		const char *kv[] = { "mfa", filters[i].f == MFA_ALL ? NULL : mfa_filter_key(filters[i].f), NULL };
		tv_set(it, "href", href_with(r->a, "/settings/security/compliance", kv));
		tv_set(it, "label", _(filters[i].label));
		tv_setb(it, "current", filters[i].f == f);
	}
	const char *kv[] = { "mfa", key, NULL };
	tv_set(ctx, "csv_href", href_with(r->a, "/settings/security/compliance.csv", kv));
	pager_tv(ctx, "pager", &pg, "/settings/security/compliance", kv, "page", _("Pages of users"));
	return page_render(r, 200, "security/compliance", ctx);
}

/* GET /settings/security/compliance.csv?mfa=with|without — every user of the view's filter
 * (by name) as an RFC 4180 CSV attachment, times in UTC (ISO 8601). MFA_REPORT. */
int
page_mfa_compliance_csv(struct req *r)
{
	enum mfa_filter f = mfa_filter_parse(req_query(r, "mfa"));
	struct mfa_status_list list;
	if (mfa_users_all(r->store, r->a, r->sess->tenant_id, f, &list) < 0)
		return page_error(r, 500, NULL);
	r->body.len = 0;
	struct buf *b = &r->body;
	static const char *const head[] = { "Name", "Email", "Roles", "MFA", "MFA since (UTC)", "Last sign-in (UTC)",
		"Last sign-in with MFA" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(b, head[i], i + 1 == NELEM(head));
	for (size_t i = 0; i < list.n; i++) {
		const struct mfa_status_row *u = &list.v[i];
		const char *cells[] = { u->name, u->email, roles_text(r->a, u->roles & ROLE_ALL), u->mfa_since ? "yes" : "no",
			u->mfa_since ? fmt_iso8601(r->a, u->mfa_since) : "",
			u->last_signin_at ? fmt_iso8601(r->a, u->last_signin_at) : "",
			u->last_signin_at ? (u->last_signin_mfa ? "yes" : "no") : "" };
		for (size_t c = 0; c < NELEM(cells); c++)
			csv_put_cell(b, cells[c], c + 1 == NELEM(cells));
	}
	if (b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"mfa-compliance.csv\"");
	return 200;
}
