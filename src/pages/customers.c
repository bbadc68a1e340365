/* page_customers.c — Customers (SPEC §2.6): a partner's customers and one customer with the
 * subscriptions placed through this partner; a customer organization's own partners and
 * subscriptions; and a reseller's View customers for one of its indirect providers.
 *
 * Multi-partner: a customer may have many partners, and each partner organization sees only
 * its own customer relationships and the subscriptions it took part in (as the provider that
 * ordered, or the reseller it ordered for). Another organization's customer answers 404 and is
 * written to the audit log. */
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "domain/customers.h"
#include "store/db.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/util.h"

static const char *
type_words(const char *type)
{
	return str_eq(type, "indirect_reseller") ? "Indirect reseller" : str_eq(type, "indirect_provider") ? "Indirect provider"
	    : str_eq(type, "direct_bill") ? "Direct-bill partner" : "Partner";
}

static const char *
sub_status_tag(const char *status)
{
	return str_eq(status, "active") ? "ok" : str_eq(status, "suspended") ? "warn" : "muted";
}

static const char *
sub_status_words(const char *status)
{
	return str_eq(status, "active") ? "Active" : str_eq(status, "suspended") ? "Suspended" : "Cancelled";
}

/* ctx.<key> = the subscriptions of statement st (CUST_SQL_SUBS columns), newest first. */
static void
add_subscriptions(struct req *r, struct tv *ctx, const char *key, sqlite3_stmt *st)
{
	struct tv *list = tv_list(ctx, key);
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(list);
		tv_row(row, st);
		tv_set(row, "ordered_text", fmt_date(r->a, db_i64(st, 8)));
		tv_set(row, "status_text", sub_status_words(db_text(st, 9)));
		tv_set(row, "tag", sub_status_tag(db_text(st, 9)));
	}
	sqlite3_reset(st);
}

/* ---- a customer organization's own view ---- */

/* /customers for a customer organization: all of its partners (the Global admin and every
 * user with CUSTOMERS_VIEW see them all) and all of its subscriptions. */
static int
customer_own_page(struct req *r)
{
	struct tv *ctx = page_ctx(r, "Your partners");
	tv_set(ctx, "org", r->sess->tenant_name);
	struct tv *list = tv_list(ctx, "partners");
	sqlite3_stmt *st = db_q(r->store, Q_CUST_PARTNERS, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(list);
		tv_row(row, st);
		tv_set(row, "type_text", type_words(db_text(st, 2)));
		tv_set(row, "since_text", fmt_date(r->a, db_i64(st, 4)));
	}
	sqlite3_reset(st);
	add_subscriptions(r, ctx, "subscriptions", db_q(r->store, Q_SUBS_FOR_CUSTOMER, QI(r->sess->tenant_id)));
	return page_render(r, 200, "customers/mine", ctx);
}

/* ---- a partner's customers ---- */

static const enum q customer_queries[4] = {
	Q_CUSTOMERS_NAME_ASC, Q_CUSTOMERS_NAME_DESC, Q_CUSTOMERS_SINCE_ASC, Q_CUSTOMERS_SINCE_DESC,
};

/* "Indirect reseller", "Indirect provider", or both, from group_concat(DISTINCT type). */
static const char *
roles_words(const char *types)
{
	bool res = types && strstr(types, "indirect_reseller"), prov = types && strstr(types, "indirect_provider");
	return res && prov ? "Reseller and indirect provider" : res ? "Indirect reseller" : prov ? "Indirect provider" : "Partner";
}

/* GET /customers — ?sort=name|since&dir=asc|desc&page=N. A partner organization's customers
 * (name, country, as what, since, delegated administration, subscriptions it took part in);
 * a customer organization's partners and subscriptions. Who: CUSTOMERS_VIEW. */
int
page_customers(struct req *r)
{
	if (r->sess->tenant_kind == TENANT_CUSTOMER)
		return customer_own_page(r);
	struct rel_list l;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0)
		return page_error(r, 400, NULL);
	struct tv *ctx = page_ctx(r, "Customers");
	int64_t provider = 0, reseller = 0;
	const char *ps = rel_account(r->store, r->a, r->sess->tenant_id, "indirect_provider", &provider);
	const char *rs = rel_account(r->store, r->a, r->sess->tenant_id, "indirect_reseller", &reseller);
	tv_setb(ctx, "is_provider", str_eq(ps, "approved"));
	tv_setb(ctx, "is_reseller", str_eq(rs, "approved"));
	tv_setb(ctx, "in_program", provider != 0 || reseller != 0);

	struct paging p = paging_at(db_int(r->store, Q_CUSTOMERS_COUNT, 0, QI(r->sess->tenant_id)), l.page, REL_PAGE_SIZE);
	struct tv *rows = tv_list(ctx, "customers");
	sqlite3_stmt *st = db_q(r->store, customer_queries[rel_list_variant(&l)], QI(r->sess->tenant_id), QI(REL_PAGE_SIZE),
	    QI(p.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rows);
		tv_row(row, st);
		tv_set(row, "since_text", fmt_date(r->a, db_i64(st, 3)));
		tv_set(row, "as_text", roles_words(db_text(st, 5)));
	}
	sqlite3_reset(st);
	sort_headers_tv(ctx, "/customers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc);
	const char *keep[] = { "sort", l.sort == REL_SORT_SINCE ? "since" : "name", "dir", l.desc ? "desc" : "asc", NULL };
	pager_tv(ctx, "pager", &p, "/customers", keep, "page", "Pages of customers");
	return page_render(r, 200, "customers/list", ctx);
}

/* ---- one customer ---- */

/* 404 for a customer this organization has no relationship with (audited). */
static int
not_my_customer(struct req *r, int64_t id, const char *why)
{
	audit(r, "access", arena_printf(r->a, "customer %lld", (long long)id), "refused", why);
	return page_error(r, 404, NULL);
}

/* GET /customers/ID — one customer as this partner organization sees it: the customer, its
 * relationships with this organization (since, delegated administration, who invited and who
 * accepted), the partners it shares the customer with (a provider: its resellers, with their
 * agreement status and `Place order`; a reseller: its providers), and the subscriptions
 * placed through this organization. Who: CUSTOMERS_VIEW of a partner related to the customer. */
int
page_customer(struct req *r)
{
	struct cust_tenant c;
	int found = cust_tenant_load(r->store, r->a, r->id, &c);
	if (found < 0)
		return page_error(r, 500, NULL);
	if (found == 0 || !str_eq(c.kind, "customer"))
		return not_my_customer(r, r->id, "no such customer");
	struct tv *ctx = page_ctx(r, c.name);
	struct tv *co = tv_obj(ctx, "customer");
	tv_seti(co, "id", c.id);
	tv_set(co, "name", c.name);
	tv_set(co, "domain", c.domain);
	tv_setf(co, "country", "%s (%s)", c.country, c.region_name);

	int64_t as_provider = 0, as_reseller = 0;
	struct tv *rels = tv_list(ctx, "relationships");
	sqlite3_stmt *st = db_q(r->store, Q_CUST_MY_RELS, QI(c.id), QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rels);
		const char *type = db_text(st, 2);
		if (str_eq(type, "indirect_provider"))
			as_provider = db_i64(st, 1);
		else if (str_eq(type, "indirect_reseller"))
			as_reseller = db_i64(st, 1);
		tv_set(row, "as", str_eq(type, "indirect_provider") ? "indirect provider" : str_eq(type, "indirect_reseller") ? "indirect reseller" : "partner");
		tv_set(row, "since", fmt_date(r->a, db_i64(st, 3)));
		tv_setb(row, "delegated_admin", db_i64(st, 4) != 0);
		tv_set(row, "invited_by", db_text(st, 5));
		tv_set(row, "accepted_by", db_text(st, 6));
		tv_setb(row, "by_operator", db_i64(st, 7) == 0);
	}
	sqlite3_reset(st);
	if (rels->n == 0)
		return not_my_customer(r, c.id, "not this organization's customer");

	if (as_provider) {
		bool can_order = route_allows(r->sess, &routes[R_ORDER_POST]);
		tv_setb(ctx, "as_provider", true);
		tv_setb(ctx, "can_order", can_order);
		struct tv *list = tv_list(ctx, "resellers");
		st = db_q(r->store, Q_CUST_SHARED_RESELLERS, QI(as_provider), QI(c.id));
		while (db_step(st) == SQLITE_ROW) {
			struct tv *row = tv_push(list);
			tv_row(row, st);
		}
		sqlite3_reset(st);
		for (size_t i = 0; i < list->n; i++) {
			struct agreement_view v;
			agreement_reseller_view(r->store, r->a, tv_get(list->items[i], "tenant_id")->i, &v);
			tv_set(list->items[i], "agreement", v.words);
			tv_set(list->items[i], "agreement_detail", v.detail);
			tv_set(list->items[i], "agreement_tag", v.tag);
			tv_setb(list->items[i], "can_order", can_order);
		}
	}
	if (as_reseller) {
		tv_setb(ctx, "as_reseller", true);
		struct tv *list = tv_list(ctx, "providers");
		st = db_q(r->store, Q_CUST_SHARED_PROVIDERS, QI(as_reseller), QI(c.id));
		while (db_step(st) == SQLITE_ROW)
			tv_row(tv_push(list), st);
		sqlite3_reset(st);
	}
	add_subscriptions(r, ctx, "subscriptions", db_q(r->store, Q_SUBS_FOR_PARTNER, QI(c.id), QI(r->sess->tenant_id)));
	return page_render(r, 200, "customers/customer", ctx);
}

/* ---- a reseller's View customers for one provider ---- */

/* Loads the signed-in reseller's active relationship id: 0, or 404 (audited). */
static int
load_my_relationship(struct req *r, int64_t id, struct cust_reseller_rel *rel)
{
	const char *why = cust_reseller_rel(r->store, r->a, r->sess->tenant_id, id, rel);
	if (why == NULL)
		return 0;
	audit(r, "access", arena_printf(r->a, "relationship %lld", (long long)id), "refused", why);
	return page_error(r, 404, NULL);
}

static const char *
invitation_state_text(const char *state)
{
	return str_eq(state, "pending") ? "Pending" : str_eq(state, "accepted") ? "Accepted"
	    : str_eq(state, "revoked") ? "Revoked" : str_eq(state, "expired") ? "Expired" : state;
}

static const char *
invitation_state_tag(const char *state)
{
	return str_eq(state, "pending") ? "warn" : str_eq(state, "accepted") ? "ok" : str_eq(state, "expired") ? "err" : "muted";
}

/* GET /providers/ID/customers — ?page=N, ?ipage=N. View customers: the customers the signed-in
 * reseller shares with the provider of its relationship ID (both have an active customer
 * relationship), with the subscriptions the provider placed for them on the reseller's
 * behalf, and the reseller's customer invitations under this provider (status, expiry,
 * Revoke). Who: CUSTOMERS_VIEW of an approved reseller; Invite new customers needs
 * CUSTOMERS_INVITE. */
int
page_provider_customers(struct req *r)
{
	int64_t page, ipage;
	if (paging_parse(req_query(r, "page"), &page) < 0 || paging_parse(req_query(r, "ipage"), &ipage) < 0)
		return page_error(r, 400, NULL);
	struct cust_reseller_rel rel;
	int status = load_my_relationship(r, r->id, &rel);
	if (status)
		return status;
	int64_t now = now_sec();
	struct tv *ctx = page_ctx(r, arena_printf(r->a, "Customers shared with %s", rel.provider_name));
	tv_seti(ctx, "rel", rel.id);
	tv_set(ctx, "provider", rel.provider_name);
	tv_setb(ctx, "can_invite", route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]));
	const char *path = arena_printf(r->a, "/providers/%lld/customers", (long long)rel.id);

	struct paging cp = paging_at(db_int(r->store, Q_SHARED_CUSTOMERS_COUNT, 0, QI(rel.reseller_id), QI(rel.provider_id)), page, REL_PAGE_SIZE);
	struct tv *rows = tv_list(ctx, "customers");
	sqlite3_stmt *st = db_q(r->store, Q_SHARED_CUSTOMERS, QI(rel.reseller_id), QI(rel.provider_id), QI(REL_PAGE_SIZE), QI(cp.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rows);
		tv_row(row, st);
		tv_set(row, "since_text", fmt_date(r->a, db_i64(st, 3)));
	}
	sqlite3_reset(st);
	const char *ip = arena_printf(r->a, "%lld", (long long)ipage), *pg = arena_printf(r->a, "%lld", (long long)cp.page);
	const char *keep_c[] = { "ipage", ipage > 1 ? ip : NULL, NULL };
	pager_tv(ctx, "cpager", &cp, path, keep_c, "page", "Pages of customers");

	struct paging ipg = paging_at(db_int(r->store, Q_CINV_COUNT, 0, QI(rel.reseller_id), QI(rel.provider_id)), ipage, REL_PAGE_SIZE);
	struct tv *invs = tv_list(ctx, "invitations");
	st = db_q(r->store, Q_CINV_LIST, QI(rel.reseller_id), QI(rel.provider_id), QI(now), QI(REL_PAGE_SIZE), QI(ipg.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(invs);
		tv_row(row, st);
		const char *state = db_text(st, 4);
		tv_set(row, "sent_text", fmt_date(r->a, db_i64(st, 2)));
		tv_set(row, "expires_text", fmt_date(r->a, db_i64(st, 3)));
		tv_set(row, "state_text", invitation_state_text(state));
		tv_set(row, "tag", invitation_state_tag(state));
		tv_setb(row, "pending", str_eq(state, "pending"));
	}
	sqlite3_reset(st);
	const char *keep_i[] = { "page", cp.page > 1 ? pg : NULL, NULL };
	pager_tv(ctx, "ipager", &ipg, path, keep_i, "ipage", "Pages of invitations");
	return page_render(r, 200, "customers/shared", ctx);
}
