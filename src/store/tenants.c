/* tenants.c — organizations (tenants), their partner accounts and linked MPN IDs
 * (store.h, "tenants"): what every area reads about an organization. */
#define SQL_THIS_AREA AREA_tenants
#include "store/db.h"

/* The organization's MPN IDs as one text, for a query over tenants t. */
#define SQL_MPN_LIST "coalesce((SELECT group_concat(mpn_id, ', ') FROM (SELECT mpn_id FROM tenant_mpn_ids" \
	" WHERE tenant_id = t.id ORDER BY mpn_id)), '')"

#define QUERIES(Q) \
	Q(Q_GET, 9, "SELECT t.id, t.name, t.domain, t.country, t.kind, t.created_at, c.name, c.region, r.name" \
	  " FROM tenants t JOIN countries c ON c.code = t.country JOIN regions r ON r.code = c.region WHERE t.id = ?") \
	Q(Q_BY_DOMAIN, 1, "SELECT id FROM tenants WHERE domain = ?") \
	Q(Q_INSERT, 0, "INSERT INTO tenants(name, domain, country, kind, created_at) VALUES (?, ?, ?, ?, ?)") \
	Q(Q_PA_COUNT, 1, "SELECT count(*) FROM partner_accounts WHERE tenant_id = ?") \
	Q(Q_PA_LIST, 11, "SELECT id, type, status, support_email, support_phone, support_website, submitted_at," \
	  " verified_at, decided_at, reject_reason, verify_sent_at FROM partner_accounts WHERE tenant_id = ? ORDER BY id") \
	Q(Q_PA_OF_TYPE, 2, "SELECT id, status FROM partner_accounts WHERE tenant_id = ? AND type = ?") \
	Q(Q_PARTNER, 12, "SELECT a.id, a.type, a.status, t.id, t.name, t.domain, " SQL_MPN_LIST ", c.name, c.region," \
	  " g.name, a.support_email, a.support_website" \
	  " FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id JOIN countries c ON c.code = t.country" \
	  " JOIN regions g ON g.code = c.region WHERE a.id = ?") \
	Q(Q_MPN_COUNT, 1, "SELECT count(*) FROM tenant_mpn_ids WHERE tenant_id = ?") \
	Q(Q_MPNS, 5, "SELECT x.mpn_id, m.company_name, c.name, m.status = 'active', x.linked_at FROM tenant_mpn_ids x" \
	  " JOIN mpn_profiles m ON m.mpn_id = x.mpn_id JOIN countries c ON c.code = m.country" \
	  " WHERE x.tenant_id = ? ORDER BY x.linked_at, x.mpn_id")
SQL_AREA(tenants, QUERIES);

int
st_tenant_get(struct store *s, struct arena *a, int64_t id, struct tenant_row *out)
{
	sqlite3_stmt *st = db_q(s, Q_GET, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		out->id = db_i64(st, 0);
		out->name = db_dup(a, st, 1);
		out->domain = db_dup(a, st, 2);
		out->country.code = db_dup(a, st, 3);
		out->kind = db_tenant_kind(st, 4);
		out->created_at = db_i64(st, 5);
		out->country.name = db_dup(a, st, 6);
		out->country.region = db_dup(a, st, 7);
		out->country.region_name = db_dup(a, st, 8);
	}
	db_done(st);
	return db_found(rc);
}

int64_t
st_tenant_by_domain(struct store *s, const char *domain)
{
	int64_t id = db_int(s, Q_BY_DOMAIN, 0, QT(domain));
	return store_failed(s) ? -1 : id;
}

int64_t
st_tenant_insert(struct store *s, const char *name, const char *domain, const char *country,
    enum tenant_kind kind, int64_t now)
{
	return db_insert(s, Q_INSERT, QT(name), QT(domain), QT(country), QT(tenant_kind_key(kind)), QI(now));
}

int
st_partner_accounts(struct store *s, struct arena *a, int64_t tenant, struct partner_account_list *out)
{
	int64_t n = db_int(s, Q_PA_COUNT, -1, QI(tenant));
	out->n = 0;
	out->v = n >= 0 ? arena_alloc(a, sizeof(*out->v) * (size_t)(n + 1)) : NULL;
	if (out->v == NULL)
		return -1;
	sqlite3_stmt *st = db_q(s, Q_PA_LIST, QI(tenant));
	while ((int64_t)out->n < n && db_step(st) == SQLITE_ROW) {
		struct partner_account *p = &out->v[out->n++];
		p->id = db_i64(st, 0);
		p->tenant_id = tenant;
		p->type = db_partner_type(st, 1);
		p->status = db_pa_status(st, 2);
		p->support_email = db_dup(a, st, 3);
		p->support_phone = db_dup(a, st, 4);
		p->support_website = db_dup(a, st, 5);
		p->submitted_at = db_i64(st, 6);
		p->verified_at = db_i64(st, 7);
		p->decided_at = db_i64(st, 8);
		p->reject_reason = db_dup(a, st, 9);
		p->verify_sent_at = db_i64(st, 10);
	}
	db_done(st);
	return store_failed(s) ? -1 : 0;
}

int
st_partner_account_of_type(struct store *s, int64_t tenant, enum partner_type t, int64_t *id, enum pa_status *status)
{
	sqlite3_stmt *st = db_q(s, Q_PA_OF_TYPE, QI(tenant), QT(partner_type_key(t)));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		*id = db_i64(st, 0);
		*status = db_pa_status(st, 1);
	}
	db_done(st);
	return db_found(rc);
}

int
st_partner_get(struct store *s, struct arena *a, int64_t account_id, struct partner *out)
{
	sqlite3_stmt *st = db_q(s, Q_PARTNER, QI(account_id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		out->id = db_i64(st, 0);
		out->type = db_partner_type(st, 1);
		out->status = db_pa_status(st, 2);
		out->tenant_id = db_i64(st, 3);
		out->name = db_dup(a, st, 4);
		out->domain = db_dup(a, st, 5);
		out->mpn = db_dup(a, st, 6);
		out->country = db_dup(a, st, 7);
		out->region = db_dup(a, st, 8);
		out->region_name = db_dup(a, st, 9);
		out->support_email = db_dup(a, st, 10);
		out->support_website = db_dup(a, st, 11);
	}
	db_done(st);
	return db_found(rc);
}

int
st_tenant_mpns(struct store *s, struct arena *a, int64_t tenant, struct tenant_mpn_list *out)
{
	int64_t n = db_int(s, Q_MPN_COUNT, -1, QI(tenant));
	out->n = 0;
	out->v = n >= 0 ? arena_alloc(a, sizeof(*out->v) * (size_t)(n + 1)) : NULL;
	if (out->v == NULL)
		return -1;
	sqlite3_stmt *st = db_q(s, Q_MPNS, QI(tenant));
	while ((int64_t)out->n < n && db_step(st) == SQLITE_ROW) {
		struct tenant_mpn *m = &out->v[out->n++];
		m->mpn_id = db_dup(a, st, 0);
		m->company_name = db_dup(a, st, 1);
		m->country = db_dup(a, st, 2);
		m->active = db_i64(st, 3) != 0;
		m->linked_at = db_i64(st, 4);
	}
	db_done(st);
	return store_failed(s) ? -1 : 0;
}
