/* apimore.c — the JSON API's further lists (store.h, "the JSON API's further lists"):
 * keyset pages of a partner's customers (with a name search) and of a reseller's customer
 * invitations. A cursor is the last row's id; its sort key is read again here, so rows
 * inserted meanwhile never shift a page. */
#include "store/db.h"

/* A partner organization's customers (?1 its tenant), one row per customer, whose stored
 * lower-case name matches LIKE ?2 (escape '!'), after the customer (?4 key, ?3 id; ?3 = 0:
 * from the start) in the order of key, at most ?5. The columns of st_customers_page. */
#define SQL_CUST(key, op, dir) SQL_CUST_FROM("", "", key, op, dir)
/* issue 17: the same when the trigram index narrows the search (db.h SQL_SEARCH_IDS, its key
 * ?6): the organizations it gives first (read once; CROSS JOIN keeps them SQLite's outer loop), each
 * looked up among the partner's relationships; the LIKE stays (the index gives a superset). */
#define SQL_CUST_IX(key, op, dir) "WITH m(id) AS MATERIALIZED (" SQL_SEARCH_IDS("?6") ") " \
	SQL_CUST_FROM("m CROSS JOIN ", " AND cr.customer_tenant_id = m.id", key, op, dir)
#define SQL_CUST_FROM(pre, ix, key, op, dir) \
	"SELECT cr.customer_tenant_id, min(t.name), min(c.name), min(cr.since), max(cr.delegated_admin)," \
	" max(CASE WHEN pa.type = 'indirect_reseller' THEN 1 ELSE 0 END)," \
	" max(CASE WHEN pa.type = 'indirect_provider' THEN 1 ELSE 0 END)," \
	" (SELECT count(*) FROM subscriptions s JOIN partner_accounts sp ON sp.id = s.provider_id" \
	"   JOIN partner_accounts sr ON sr.id = s.reseller_id" \
	"   WHERE s.customer_tenant_id = cr.customer_tenant_id AND (sp.tenant_id = ?1 OR sr.tenant_id = ?1))" \
	" FROM " pre "customer_relationships cr JOIN partner_accounts pa ON pa.id = cr.partner_id" \
	" JOIN tenants t ON t.id = cr.customer_tenant_id JOIN countries c ON c.code = t.country" \
	" WHERE cr.partner_tenant_id = ?1 AND cr.status = 'active' AND cr.customer_name LIKE ?2 ESCAPE '!'" ix \
	" GROUP BY cr.customer_tenant_id" \
	" HAVING ?3 = 0 OR (min(cr." key "), cr.customer_tenant_id) " op " (?4, ?3)" \
	" ORDER BY min(cr." key ") " dir ", cr.customer_tenant_id " dir " LIMIT ?5"

#define QUERIES(Q) \
	Q(Q_CUST_NAME_ASC, 8, SQL_CUST("customer_name", ">", "ASC")) \
	Q(Q_CUST_NAME_DESC, 8, SQL_CUST("customer_name", "<", "DESC")) \
	Q(Q_CUST_SINCE_ASC, 8, SQL_CUST("since", ">", "ASC")) \
	Q(Q_CUST_SINCE_DESC, 8, SQL_CUST("since", "<", "DESC")) \
	Q(Q_CUST_IX_NAME_ASC, 8, SQL_CUST_IX("customer_name", ">", "ASC")) \
	Q(Q_CUST_IX_NAME_DESC, 8, SQL_CUST_IX("customer_name", "<", "DESC")) \
	Q(Q_CUST_IX_SINCE_ASC, 8, SQL_CUST_IX("since", ">", "ASC")) \
	Q(Q_CUST_IX_SINCE_DESC, 8, SQL_CUST_IX("since", "<", "DESC")) \
	/* The sort keys of a cursor's customer: as the list has them while it is active, \
	 * else as they were (a customer whose relationship ended meanwhile keeps its place). */ \
	Q(Q_CUST_KEY, 2, "SELECT min(customer_name)," \
	  " coalesce(min(CASE WHEN status = 'active' THEN since END), min(since))" \
	  " FROM customer_relationships WHERE partner_tenant_id = ?1 AND customer_tenant_id = ?2" \
	  " GROUP BY customer_tenant_id") \
	/* A reseller account's invitations under a provider account, newest first, below id ?3. */ \
	Q(Q_CINV_IDS, 1, "SELECT id FROM customer_invitations WHERE reseller_id = ? AND provider_id = ? AND id < ?" \
	  " ORDER BY id DESC LIMIT ?") \
	/* The delegated admin relationships organization ?1 is either side of, newest first, \
	 * below id ?2. */ \
	Q(Q_DA_IDS, 1, "SELECT id FROM delegated_admins WHERE (partner_tenant_id = ?1 OR customer_tenant_id = ?1) AND id < ?2" \
	  " ORDER BY id DESC LIMIT ?3")
SQL_AREA(apimore, QUERIES);

static void
read_customer(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_row *)out = (struct customer_row){ .id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .since = db_i64(st, 3), .delegated_admin = db_i64(st, 4) != 0,
	    .as_reseller = db_i64(st, 5) != 0, .as_provider = db_i64(st, 6) != 0, .subscriptions = db_i64(st, 7) };
}

int
st_api_customers(struct store *s, struct arena *a, int64_t tenant, const char *search, const char *like, bool by_since,
    bool desc, int64_t after, int64_t limit, struct customer_list *out)
{
	static const int qs[2][2][2] = { { { Q_CUST_NAME_ASC, Q_CUST_NAME_DESC }, { Q_CUST_SINCE_ASC, Q_CUST_SINCE_DESC } },
		{ { Q_CUST_IX_NAME_ASC, Q_CUST_IX_NAME_DESC }, { Q_CUST_IX_SINCE_ASC, Q_CUST_IX_SINCE_DESC } } };
	char key[512] = "";
	int64_t found = -1;
	if (search != NULL && !db_search_key_found(s, search, key, sizeof(key), &found))
		return -1;
	const int (*q)[2] = qs[*key != '\0'];
	const char *name = "";
	int64_t since = 0;
	if (after > 0) {
		struct db_stmt *k = db_q(s, Q_CUST_KEY, QI(tenant), QI(after));
		int rc = db_step(k);
		if (rc == DB_ROW) {
			name = db_dup(a, k, 0);
			since = db_i64(k, 1);
		}
		db_done(k);
		if (store_failed(s) || name == NULL)
			return -1;
		if (rc != DB_ROW)
			return 1;	/* never this organization's customer */
	}
	if (found == 0) {	/* the search is in no organization's name: no customer's either */
		*out = (struct customer_list){ 0 };
		return 0;
	}
	struct dbv v[] = { QI(tenant), QT(like), QI(after), by_since ? QI(since) : QT(name), QI(limit), QT(key) };
	struct db_stmt *st = db_qv(s, SQL_THIS_AREA, q[by_since][desc], v, *key ? 6 : 5);
	return DB_LIST(s, a, st, limit, out, read_customer);
}

static void
read_id(struct arena *a, struct db_stmt *st, void *out)
{
	(void)a;
	*(int64_t *)out = db_i64(st, 0);
}

int
st_api_cinv_ids(struct store *s, struct arena *a, int64_t reseller, int64_t provider, int64_t before, int64_t limit,
    struct id_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_CINV_IDS, QI(reseller), QI(provider), QI(before), QI(limit)), limit, out, read_id);
}

int
st_api_da_ids(struct store *s, struct arena *a, int64_t tenant, int64_t before, int64_t limit, struct id_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_DA_IDS, QI(tenant), QI(before), QI(limit)), limit, out, read_id);
}
