/* page_providers.c — Indirect providers, the reseller's side of SPEC §2.5: the providers it
 * has authorized, and Remove administrator access. Every route here is F_RESELLER. The
 * relationship itself is ended only by the operator (portalctl end-relationship). */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "web/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/util.h"

static int64_t
my_reseller(struct req *r)
{
	int64_t id;
	rel_account(r->store, r->a, r->sess->tenant_id, "indirect_reseller", &id);
	return id;
}

static const enum q provider_queries[4] = {
	Q_PROVIDERS_NAME_ASC, Q_PROVIDERS_NAME_DESC, Q_PROVIDERS_SINCE_ASC, Q_PROVIDERS_SINCE_DESC,
};

/* GET /providers — ?sort=name|since&dir=asc|desc&page=N. The reseller's indirect providers
 * (name, MPN ID, country, since, delegated admin access) with Remove administrator access.
 * Who: PROVIDERS_VIEW; removing needs PROVIDERS_REMOVE_ACCESS (Global admin). */
int
page_providers(struct req *r)
{
	struct rel_list l;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0)
		return page_error(r, 400, NULL);
	int64_t reseller = my_reseller(r);
	struct tv *ctx = page_ctx(r, "Indirect providers");
	bool can_remove = route_allows(r->sess, &routes[R_PROVIDER_REMOVE_ACCESS]);
	bool approved = session_pa(r->sess, PT_INDIRECT_RESELLER) == PA_APPROVED;
	tv_setb(ctx, "approved", approved);
	/* Per provider: View customers and Invite new customers (page_customers.c,
	 * page_customer_invitations.c), for an approved reseller's users who may. */
	bool view_customers = route_allows(r->sess, &routes[R_PROVIDER_CUSTOMERS]);
	bool invite_customers = route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]);
	tv_setb(ctx, "customers_col", view_customers || invite_customers);
	struct paging p = paging_at(db_int(r->store, Q_PROVIDERS_COUNT, 0, QI(reseller)), l.page, REL_PAGE_SIZE);
	struct tv *rows = tv_list(ctx, "providers");
	sqlite3_stmt *st = db_q(r->store, provider_queries[rel_list_variant(&l)], QI(reseller), QI(REL_PAGE_SIZE), QI(p.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rows);
		tv_row(row, st);
		tv_set(row, "since_text", fmt_date(r->a, db_i64(st, 5)));
		tv_setb(row, "can_remove", can_remove && db_i64(st, 6));
		tv_setb(row, "can_view_customers", view_customers);
		tv_setb(row, "can_invite_customers", invite_customers);
		if (!db_i64(st, 6))
			tv_setf(row, "removed_text", "Removed %s%s%s", fmt_date(r->a, db_i64(st, 7)),
			    *db_text(st, 8) ? " by " : "", db_text(st, 8));
	}
	sqlite3_reset(st);
	sort_headers_tv(ctx, "/providers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc);
	const char *keep[] = { "sort", l.sort == REL_SORT_SINCE ? "since" : "name", "dir", l.desc ? "desc" : "asc", NULL };
	pager_tv(ctx, "pager", &p, "/providers", keep, "page", "Pages of providers");
	return page_render(r, 200, "providers/list", ctx);
}

struct rel_row {
	int64_t id, provider_id, reseller_id, admin_access, removed_at;
	const char *status, *provider_name;
};

/* Loads active relationship id of this reseller. 0, or 404 (audited) when there is none,
 * it has ended, or it is another organization's. */
static int
load_relationship(struct req *r, int64_t id, int64_t reseller, struct rel_row *rel)
{
	memset(rel, 0, sizeof(*rel));
	sqlite3_stmt *st = db_q(r->store, Q_REL_GET, QI(id));
	bool found = db_step(st) == SQLITE_ROW;
	if (found) {
		rel->id = db_i64(st, 0);
		rel->provider_id = db_i64(st, 1);
		rel->reseller_id = db_i64(st, 2);
		rel->status = arena_strdup(r->a, db_text(st, 3));
		rel->admin_access = db_i64(st, 4);
		rel->removed_at = db_i64(st, 5);
		rel->provider_name = arena_strdup(r->a, db_text(st, 6));
	}
	sqlite3_reset(st);
	if (!found || rel->reseller_id != reseller || !str_eq(rel->status, "active")) {
		audit(r, "access", arena_printf(r->a, "relationship %lld", (long long)id), "refused",
		    !found ? "no such relationship" : rel->reseller_id != reseller ? "another organization's relationship" : "relationship ended");
		return page_error(r, 404, NULL);
	}
	return 0;
}

static int
confirm_page(struct req *r, int status, const struct rel_row *rel, const char *problem)
{
	struct tv *ctx = page_ctx(r, "Remove administrator access");
	tv_seti(ctx, "id", rel->id);
	tv_set(ctx, "provider", rel->provider_name);
	tv_setb(ctx, "has_access", rel->admin_access != 0);
	if (!rel->admin_access)
		tv_set(ctx, "removed", fmt_datetime(r->a, rel->removed_at));
	tv_set(ctx, "problem", problem);
	return page_render(r, status, "providers/remove-access", ctx);
}

/* GET /providers/remove-access/ID — the confirmation step: what removing the provider's
 * administrator access means. Who: PROVIDERS_REMOVE_ACCESS (Global admin of the reseller). */
int
page_provider_remove_access(struct req *r)
{
	struct rel_row rel;
	int st = load_relationship(r, r->id, my_reseller(r), &rel);
	return st ? st : confirm_page(r, 200, &rel, NULL);
}

/* POST /providers/remove-access/ID — removes the provider's delegated administrator access
 * to this organization's work account, recording who and when; the provider's admins are
 * told by email. The relationship stays. Who: PROVIDERS_REMOVE_ACCESS. */
int
page_provider_remove_access_post(struct req *r)
{
	int64_t reseller = my_reseller(r), now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct rel_row rel;
	int st = load_relationship(r, r->id, reseller, &rel);
	if (st)
		return st;
	if (db_run(r->store, Q_REL_REMOVE_ACCESS, QI(r->sess->user_id), QI(now), QI(rel.id), QI(reseller)) != 1) {
		audit(r, "provider.admin-access.remove", rel.provider_name, "refused", "already removed");
		return confirm_page(r, 409, &rel, "Administrator access for this provider was already removed.");
	}
	const char *detail = arena_printf(r->a, "relationship %lld", (long long)rel.id);
	audit(r, "provider.admin-access.remove", rel.provider_name, "ok", detail);
	/* The provider's log too: its access to this organization ended. */
	sqlite3_stmt *q = db_q(r->store, Q_REL_PARTNER, QI(rel.provider_id));
	int64_t provider_tenant = db_step(q) == SQLITE_ROW ? db_i64(q, 3) : 0;
	sqlite3_reset(q);
	struct audit_entry *e = audit(r, "provider.admin-access.remove", r->sess->tenant_name, "ok", detail);
	if (e != NULL)
		e->tenant_id = provider_tenant;
	/* Tell the provider's Global admins and Admin agents. */
	q = db_q(r->store, Q_REL_TENANT_USERS_WITH_ROLES, QI(provider_tenant), QI(ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ADMIN_AGENT)));
	const char *to[REQ_MAX_MAIL];
	int n = 0;
	while (db_step(q) == SQLITE_ROW && n < REQ_MAX_MAIL - 1)
		to[n++] = arena_strdup(r->a, db_text(q, 0));
	sqlite3_reset(q);
	for (int i = 0; i < n; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "provider", rel.provider_name);
		tv_set(m, "reseller", r->sess->tenant_name);
		tv_set(m, "by", arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email));
		tv_set(m, "when", fmt_datetime(r->a, now));
		if (page_mail(r, to[i], "provider-access-removed", m) < 0)
			return page_error(r, 500, NULL);
	}
	return resp_redirect(r, "/providers?m=admin-access-removed");
}
