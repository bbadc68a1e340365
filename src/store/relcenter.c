/* relcenter.c — the relationship center (store.h, "relcenter"; issue 13): every relationship
 * an organization is part of, of the three kinds and on both sides, in one list.
 *
 * One statement per sort order: the six arms (provider of a reseller, reseller of a
 * provider, partner of a customer, customer of a partner, delegated admin asked by us, asked
 * of us) are a UNION ALL of rows (key, k, id, ...) — key the sort value, k the arm (1..6),
 * id the row's id in its table — filtered and read from a cursor (key, k, id) with a LIMIT,
 * so a page is a keyset page whatever the order. The filters are parameters that switch
 * themselves off when empty/0 (one text per order, no SQL built at run time):
 *   ?1 the organization, ?2 now, ?3 the kinds (bits 1 provider-reseller, 2 partner-customer,
 *   4 delegated admin), ?4 the state ('' any; 'active' includes 'expiring'), ?5 a LIKE
 *   pattern on the other organization's lower-cased name ('' any), ?6 expiring by (0 any),
 *   ?7 ?8 ?9 the cursor (key, k, id), ?10 the limit. */
#include "store/db.h"

#include <string.h>

/* A delegated admin relationship's state as people see it at ?2 (domain/delegated.c's
 * da_state_at with "expiring": 30 days). */
#define SQL_DA_STATE "CASE WHEN d.state = 'pending' AND d.request_expires_at <= ?2 THEN 'expired'" \
	" WHEN d.state = 'active' AND d.expires_at <= ?2 THEN 'expired'" \
	" WHEN d.state = 'active' AND d.expires_at <= ?2 + 2592000 THEN 'expiring' ELSE d.state END"

/* The columns of every arm: key placeholder K, then k, id, kind bit, other tenant, other
 * name, state, since, expires, roles, the delegated admin's name, the name key. */
#define SQL_ARMS(nk1, nk2, nk3, nk4, nk5, nk6, sk1, sk2, sk3, sk4, sk5, sk6) \
	"SELECT " nk1 sk1 " AS skey, 1 AS k, r.id AS id, 1 AS kbit, ra.tenant_id AS other, rt.name AS oname," \
	" r.status AS state, r.since AS since, 0 AS expires, 0 AS roles, '' AS dname, lower(rt.name) AS okey" \
	" FROM provider_relationships r JOIN partner_accounts pa ON pa.id = r.provider_id" \
	" JOIN partner_accounts ra ON ra.id = r.reseller_id JOIN tenants rt ON rt.id = ra.tenant_id" \
	" WHERE pa.tenant_id = ?1 AND (?3 & 1) <> 0" \
	" UNION ALL SELECT " nk2 sk2 ", 2, r.id, 1, pa.tenant_id, pt.name, r.status, r.since, 0, 0, '', lower(pt.name)" \
	" FROM provider_relationships r JOIN partner_accounts ra ON ra.id = r.reseller_id" \
	" JOIN partner_accounts pa ON pa.id = r.provider_id JOIN tenants pt ON pt.id = pa.tenant_id" \
	" WHERE ra.tenant_id = ?1 AND (?3 & 1) <> 0" \
	" UNION ALL SELECT " nk3 sk3 ", 3, c.id, 2, c.customer_tenant_id, ct.name, c.status, c.since, 0, 0, ''," \
	" lower(ct.name)" \
	" FROM customer_relationships c JOIN partner_accounts pa ON pa.id = c.partner_id" \
	" JOIN tenants ct ON ct.id = c.customer_tenant_id WHERE pa.tenant_id = ?1 AND (?3 & 2) <> 0" \
	" UNION ALL SELECT " nk4 sk4 ", 4, c.id, 2, pa.tenant_id, pt.name, c.status, c.since, 0, 0, '', lower(pt.name)" \
	" FROM customer_relationships c JOIN partner_accounts pa ON pa.id = c.partner_id" \
	" JOIN tenants pt ON pt.id = pa.tenant_id WHERE c.customer_tenant_id = ?1 AND (?3 & 2) <> 0" \
	" UNION ALL SELECT " nk5 sk5 ", 5, d.id, 4, d.customer_tenant_id, ct.name, " SQL_DA_STATE "," \
	" coalesce(d.approved_at, d.created_at), coalesce(d.expires_at, 0), d.roles, d.name, lower(ct.name)" \
	" FROM delegated_admins d JOIN tenants ct ON ct.id = d.customer_tenant_id" \
	" WHERE d.partner_tenant_id = ?1 AND (?3 & 4) <> 0" \
	" UNION ALL SELECT " nk6 sk6 ", 6, d.id, 4, d.partner_tenant_id, pt.name, " SQL_DA_STATE "," \
	" coalesce(d.approved_at, d.created_at), coalesce(d.expires_at, 0), d.roles, d.name, lower(pt.name)" \
	" FROM delegated_admins d JOIN tenants pt ON pt.id = d.partner_tenant_id" \
	" WHERE d.customer_tenant_id = ?1 AND (?3 & 4) <> 0"

#define SQL_BY_NAME SQL_ARMS("lower(rt.name)", "lower(pt.name)", "lower(ct.name)", "lower(pt.name)", \
	"lower(ct.name)", "lower(pt.name)", "", "", "", "", "", "")
#define SQL_BY_SINCE SQL_ARMS("", "", "", "", "", "", "r.since", "r.since", "c.since", "c.since", \
	"coalesce(d.approved_at, d.created_at)", "coalesce(d.approved_at, d.created_at)")

#define SQL_FILTERS " WHERE (?4 = '' OR x.state = ?4 OR (?4 = 'active' AND x.state = 'expiring'))" \
	" AND (?5 = '' OR x.okey LIKE ?5 ESCAPE '\\')" \
	" AND (?6 = 0 OR (x.state IN ('active', 'expiring') AND x.expires > 0 AND x.expires <= ?6))"
#define SQL_PAGE(arms, cmp, dir) \
	"SELECT x.skey, x.k, x.id, x.other, x.oname, x.state, x.since, x.expires, x.roles, x.dname FROM (" arms ") x" \
	SQL_FILTERS cmp " ORDER BY x.skey " dir ", x.k " dir ", x.id " dir " LIMIT ?10"
#define SQL_AFTER(op) " AND (x.skey, x.k, x.id) " op " (?7, ?8, ?9)"
/* the first page binds ?7..?9 too (unused): one binding list for all */
#define SQL_FIRST " AND CAST(?7 AS TEXT) IS NOT NULL AND ?8 >= 0 AND ?9 >= 0"

#define QUERIES(Q) \
	Q(Q_NAME_ASC_FIRST, 10, SQL_PAGE(SQL_BY_NAME, SQL_FIRST, "ASC")) \
	Q(Q_NAME_ASC_AFTER, 10, SQL_PAGE(SQL_BY_NAME, SQL_AFTER(">"), "ASC")) \
	Q(Q_NAME_DESC_FIRST, 10, SQL_PAGE(SQL_BY_NAME, SQL_FIRST, "DESC")) \
	Q(Q_NAME_DESC_AFTER, 10, SQL_PAGE(SQL_BY_NAME, SQL_AFTER("<"), "DESC")) \
	Q(Q_SINCE_ASC_FIRST, 10, SQL_PAGE(SQL_BY_SINCE, SQL_FIRST, "ASC")) \
	Q(Q_SINCE_ASC_AFTER, 10, SQL_PAGE(SQL_BY_SINCE, SQL_AFTER(">"), "ASC")) \
	Q(Q_SINCE_DESC_FIRST, 10, SQL_PAGE(SQL_BY_SINCE, SQL_FIRST, "DESC")) \
	Q(Q_SINCE_DESC_AFTER, 10, SQL_PAGE(SQL_BY_SINCE, SQL_AFTER("<"), "DESC"))

SQL_AREA(relcenter, QUERIES);

static void
read_rc(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct rc_row *)out = (struct rc_row){ .key = db_dup(a, st, 0), .kind = (int)db_i64(st, 1),
	    .id = db_i64(st, 2), .other_tenant = db_i64(st, 3), .other_name = db_dup(a, st, 4),
	    .state = db_dup(a, st, 5), .since = db_i64(st, 6), .expires = db_i64(st, 7),
	    .roles = (unsigned)db_i64(st, 8), .name = db_dup(a, st, 9) };
}

int
st_rc_page(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_filter *f,
    const struct rc_cursor *c, int64_t limit, struct rc_list *out)
{
	/* [by_since][desc][after] */
	static const int q[2][2][2] = {
		{ { Q_NAME_ASC_FIRST, Q_NAME_ASC_AFTER }, { Q_NAME_DESC_FIRST, Q_NAME_DESC_AFTER } },
		{ { Q_SINCE_ASC_FIRST, Q_SINCE_ASC_AFTER }, { Q_SINCE_DESC_FIRST, Q_SINCE_DESC_AFTER } },
	};
	bool after = c != NULL && c->kind > 0;
	int qi = q[f->by_since][f->desc][after];
	struct dbv key = !after ? QT("") : f->by_since ? QI(c->since) : QT(c->name);
	struct db_stmt *st = db_q(s, qi, QI(tenant), QI(now), QI(f->kinds), QTE(f->state), QTE(f->pattern),
	    QI(f->expires_by), key, QI(after ? c->kind : 0), QI(after ? c->id : 0), QI(limit));
	return DB_LIST(s, a, st, limit, out, read_rc);
}
