/* customers.c — customers shared by indirect resellers and their indirect providers,
 * customer invitations and subscriptions (store.h, "customers"). */
#include "store/db.h"

#include "base/paging.h"
#include "base/util.h"

/* A partner organization's customer relationships (any of its partner accounts); ?1 its
 * tenant. Its customers, a page of them (?2 rows from ?3) in order. */
#define SQL_MINE_FROM " FROM customer_relationships cr JOIN partner_accounts pa ON pa.id = cr.partner_id"
#define SQL_MINE_WHERE " WHERE pa.tenant_id = ?1 AND cr.status = 'active'"
#define SQL_MINE_PAGE(order) \
	"SELECT t.id, t.name, c.name, min(cr.since), max(cr.delegated_admin)," \
	" max(CASE WHEN pa.type = 'indirect_reseller' THEN 1 ELSE 0 END)," \
	" max(CASE WHEN pa.type = 'indirect_provider' THEN 1 ELSE 0 END)," \
	" (SELECT count(*) FROM subscriptions s JOIN partner_accounts sp ON sp.id = s.provider_id" \
	"   JOIN partner_accounts sr ON sr.id = s.reseller_id" \
	"   WHERE s.customer_tenant_id = t.id AND (sp.tenant_id = ?1 OR sr.tenant_id = ?1))" \
	SQL_MINE_FROM " JOIN tenants t ON t.id = cr.customer_tenant_id JOIN countries c ON c.code = t.country" \
	SQL_MINE_WHERE " GROUP BY t.id, c.name ORDER BY " order " LIMIT ?2 OFFSET ?3"

/* The customers both reseller account ?1 and provider account ?2 have an active
 * relationship with (r1 the reseller's). */
#define SQL_SHARED_FROM " FROM customer_relationships r1 JOIN customer_relationships r2" \
	" ON r2.customer_tenant_id = r1.customer_tenant_id AND r2.partner_id = ?2 AND r2.status = 'active'"
#define SQL_SHARED_WHERE " WHERE r1.partner_id = ?1 AND r1.status = 'active'"

/* Partner account acc's active relationship cr with customer ?2. */
#define SQL_SERVES(acc) " JOIN customer_relationships cr ON cr.partner_id = " acc ".id" \
	" AND cr.customer_tenant_id = ?2 AND cr.status = 'active'"

/* Subscriptions of customer ?1. */
#define SQL_SUBS \
	"SELECT s.id, s.offer_id, o.name, o.unit, s.quantity, rt.name, s.mpn_id, pt.name, s.created_at, s.status," \
	" coalesce(u.name, (SELECT 'API credential ' || k.name FROM api_credentials k WHERE k.id = s.created_by_credential), '')" \
	" FROM subscriptions s JOIN offers o ON o.offer_id = s.offer_id" \
	" JOIN partner_accounts ra ON ra.id = s.reseller_id JOIN tenants rt ON rt.id = ra.tenant_id" \
	" JOIN partner_accounts pa ON pa.id = s.provider_id JOIN tenants pt ON pt.id = pa.tenant_id" \
	" LEFT JOIN users u ON u.id = s.created_by WHERE s.customer_tenant_id = ?1"

/* The keyset pages (schema section 11): a partner organization's customers (?1 its tenant)
 * grouped in the order of the index (partner_tenant_id, status, key, customer_tenant_id), so
 * the rows stream from the index and the LIMIT stops the scan; the cursor is the (key, id)
 * of the page's edge, as row values. */
#define SQL_KS_MINE(key, cmp, dir, limit) SQL_KS_MINE_FROM("", key, cmp, dir, limit)
#define SQL_KS_MINE_FROM(pre, key, cmp, dir, limit) \
	"SELECT cr.customer_tenant_id, min(t.name), min(c.name), min(cr.since), max(cr.delegated_admin)," \
	" max(CASE WHEN pa.type = 'indirect_reseller' THEN 1 ELSE 0 END)," \
	" max(CASE WHEN pa.type = 'indirect_provider' THEN 1 ELSE 0 END)," \
	" (SELECT count(*) FROM subscriptions s JOIN partner_accounts sp ON sp.id = s.provider_id" \
	"   JOIN partner_accounts sr ON sr.id = s.reseller_id" \
	"   WHERE s.customer_tenant_id = cr.customer_tenant_id AND (sp.tenant_id = ?1 OR sr.tenant_id = ?1))" \
	" FROM " pre "customer_relationships cr JOIN partner_accounts pa ON pa.id = cr.partner_id" \
	" JOIN tenants t ON t.id = cr.customer_tenant_id JOIN countries c ON c.code = t.country" \
	" WHERE cr.partner_tenant_id = ?1 AND cr.status = 'active'" cmp \
	" GROUP BY cr." key ", cr.customer_tenant_id ORDER BY cr." key " " dir ", cr.customer_tenant_id " dir " LIMIT " limit
#define SQL_KS_AFTER(key, op) " AND (cr." key ", cr.customer_tenant_id) " op " (?2, ?3)"
/* issue 15, item 11: the customers whose name or primary domain contains the search (the
 * statement's last parameter n: a LIKE pattern of like_contains, any case). */
#define SQL_CUST_SEARCH(n) " AND (cr.customer_name LIKE lower(" n ") ESCAPE '\\'" \
	" OR lower(t.domain) LIKE lower(" n ") ESCAPE '\\')"
#define SQL_KSQ_MINE(key, NAME, Q) \
	Q(NAME##_ASC_FIRST, 8, SQL_KS_MINE(key, SQL_CUST_SEARCH("?3"), "ASC", "?2")) \
	Q(NAME##_ASC_AFTER, 8, SQL_KS_MINE(key, SQL_KS_AFTER(key, ">") SQL_CUST_SEARCH("?5"), "ASC", "?4")) \
	Q(NAME##_DESC_FIRST, 8, SQL_KS_MINE(key, SQL_CUST_SEARCH("?3"), "DESC", "?2")) \
	Q(NAME##_DESC_AFTER, 8, SQL_KS_MINE(key, SQL_KS_AFTER(key, "<") SQL_CUST_SEARCH("?5"), "DESC", "?4"))
/* issue 17: the same for a search the trigram index narrows (db.h SQL_SEARCH_IDS; its key the
 * statement's last parameter): the few organizations it gives come first (CROSS JOIN keeps
 * them SQLite's outer loop), each then looked up among the partner's relationships, and the
 * page sorted from those. */
#define SQL_CUST_IX(k) "(" SQL_SEARCH_IDS(k) ") m CROSS JOIN "
#define SQL_CUST_SEARCH_IX(n) SQL_CUST_SEARCH(n) " AND cr.customer_tenant_id = m.id"
#define SQL_KSI_MINE(key, NAME, Q) \
	Q(NAME##_ASC_FIRST, 8, SQL_KS_MINE_FROM(SQL_CUST_IX("?4"), key, SQL_CUST_SEARCH_IX("?3"), "ASC", "?2")) \
	Q(NAME##_ASC_AFTER, 8, SQL_KS_MINE_FROM(SQL_CUST_IX("?6"), key, SQL_KS_AFTER(key, ">") SQL_CUST_SEARCH_IX("?5"), \
	  "ASC", "?4")) \
	Q(NAME##_DESC_FIRST, 8, SQL_KS_MINE_FROM(SQL_CUST_IX("?4"), key, SQL_CUST_SEARCH_IX("?3"), "DESC", "?2")) \
	Q(NAME##_DESC_AFTER, 8, SQL_KS_MINE_FROM(SQL_CUST_IX("?6"), key, SQL_KS_AFTER(key, "<") SQL_CUST_SEARCH_IX("?5"), \
	  "DESC", "?4"))
/* The customers reseller account ?1 shares with provider account ?2, by name. */
#define SQL_KS_SHARED(cmp, dir, limit) \
	"SELECT t.id, t.name, c.name, r1.since, r1.delegated_admin," \
	" (SELECT count(*) FROM subscriptions s WHERE s.customer_tenant_id = t.id AND s.reseller_id = ?1" \
	" AND s.provider_id = ?2)" SQL_SHARED_FROM \
	" JOIN tenants t ON t.id = r1.customer_tenant_id JOIN countries c ON c.code = t.country" SQL_SHARED_WHERE cmp \
	" ORDER BY r1.customer_name " dir ", r1.customer_tenant_id " dir " LIMIT " limit
#define SQL_KS_SHARED_AFTER(op) " AND (r1.customer_name, r1.customer_tenant_id) " op " (?3, ?4)"

#define QUERIES(Q) \
	Q(Q_KS_NAME_ASC_FIRST, 8, SQL_KS_MINE("customer_name", "", "ASC", "?2")) \
	Q(Q_KS_NAME_ASC_AFTER, 8, SQL_KS_MINE("customer_name", SQL_KS_AFTER("customer_name", ">"), "ASC", "?4")) \
	Q(Q_KS_NAME_DESC_FIRST, 8, SQL_KS_MINE("customer_name", "", "DESC", "?2")) \
	Q(Q_KS_NAME_DESC_AFTER, 8, SQL_KS_MINE("customer_name", SQL_KS_AFTER("customer_name", "<"), "DESC", "?4")) \
	Q(Q_KS_SINCE_ASC_FIRST, 8, SQL_KS_MINE("since", "", "ASC", "?2")) \
	Q(Q_KS_SINCE_ASC_AFTER, 8, SQL_KS_MINE("since", SQL_KS_AFTER("since", ">"), "ASC", "?4")) \
	Q(Q_KS_SINCE_DESC_FIRST, 8, SQL_KS_MINE("since", "", "DESC", "?2")) \
	Q(Q_KS_SINCE_DESC_AFTER, 8, SQL_KS_MINE("since", SQL_KS_AFTER("since", "<"), "DESC", "?4")) \
	SQL_KSQ_MINE("customer_name", Q_KSQ_NAME, Q) \
	SQL_KSQ_MINE("since", Q_KSQ_SINCE, Q) \
	SQL_KSI_MINE("customer_name", Q_KSI_NAME, Q) \
	SQL_KSI_MINE("since", Q_KSI_SINCE, Q) \
	Q(Q_KS_KEY, 2, "SELECT customer_name, since FROM customer_relationships" \
	  " WHERE customer_tenant_id = ?2 AND partner_tenant_id = ?1 AND status = 'active' ORDER BY since LIMIT 1") \
	Q(Q_KS_SHARED_ASC_FIRST, 6, SQL_KS_SHARED("", "ASC", "?3")) \
	Q(Q_KS_SHARED_ASC_AFTER, 6, SQL_KS_SHARED(SQL_KS_SHARED_AFTER(">"), "ASC", "?5")) \
	Q(Q_KS_SHARED_DESC_FIRST, 6, SQL_KS_SHARED("", "DESC", "?3")) \
	Q(Q_KS_SHARED_DESC_AFTER, 6, SQL_KS_SHARED(SQL_KS_SHARED_AFTER("<"), "DESC", "?5")) \
	Q(Q_KS_SHARED_KEY, 1, "SELECT customer_name FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?") \
	Q(Q_INV_GET, 16, "SELECT i.id, i.reseller_id, i.provider_id, i.email, i.message, i.delegated_admin, i.created_at," \
	  " i.expires_at, i.status, coalesce(u.name, ''), coalesce(u.email, ''), coalesce(i.accepted_at, 0)," \
	  " coalesce(i.customer_tenant_id, 0), coalesce(t.name, ''), coalesce(i.revoked_at, 0), coalesce(i.created_by, 0)" \
	  " FROM customer_invitations i LEFT JOIN users u ON u.id = i.created_by" \
	  " LEFT JOIN tenants t ON t.id = i.customer_tenant_id WHERE i.id = ?") \
	Q(Q_INV_INSERT, 0, "INSERT INTO customer_invitations(reseller_id, provider_id, email, message, delegated_admin," \
	  " created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_INV_PENDING_TO, 1, "SELECT id FROM customer_invitations WHERE reseller_id = ? AND provider_id = ? AND email = ?" \
	  " AND status = 'pending' AND expires_at > ?") \
	/* Accepting: succeeds once, only for the link's own expiry, only before it. */ \
	Q(Q_INV_ACCEPT, 0, "UPDATE customer_invitations SET status = 'accepted', accepted_by = ?1, accepted_at = ?2," \
	  " customer_tenant_id = ?3 WHERE id = ?4 AND status = 'pending' AND expires_at = ?5 AND expires_at > ?2") \
	Q(Q_INV_REVOKE, 0, "UPDATE customer_invitations SET status = 'revoked', revoked_by = ?1, revoked_at = ?2" \
	  " WHERE id = ?3 AND reseller_id = ?4 AND status = 'pending'") \
	Q(Q_INV_COUNT, 1, "SELECT count(*) FROM customer_invitations WHERE reseller_id = ? AND provider_id = ?") \
	Q(Q_INV_PAGE, 6, "SELECT i.id, i.email, i.created_at, i.expires_at," \
	  " CASE WHEN i.status = 'pending' AND i.expires_at <= ?3 THEN 'expired' ELSE i.status END, coalesce(t.name, '')" \
	  " FROM customer_invitations i LEFT JOIN tenants t ON t.id = i.customer_tenant_id" \
	  " WHERE i.reseller_id = ?1 AND i.provider_id = ?2 ORDER BY i.id DESC LIMIT ?4 OFFSET ?5") \
	Q(Q_REL_ACTIVE, 1, "SELECT id FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?" \
	  " AND status = 'active'") \
	/* New, or an ended one made active again; 0 changes when it is active already. */ \
	Q(Q_RELATE, 0, "INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, invitation_id, invited_by," \
	  " accepted_by, delegated_admin, partner_tenant_id, customer_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7," \
	  " (SELECT a.tenant_id FROM partner_accounts a WHERE a.id = ?1), (SELECT lower(t.name) FROM tenants t WHERE t.id = ?2))" \
	  " ON CONFLICT(partner_id, customer_tenant_id) DO UPDATE SET since = ?3, invitation_id = ?4, invited_by = ?5," \
	  " accepted_by = ?6, delegated_admin = ?7, status = 'active', ended_at = NULL" \
	  " WHERE customer_relationships.status = 'ended'") \
	Q(Q_RESELLS_FOR, 1, "SELECT count(*) FROM partner_accounts a JOIN provider_relationships r ON r.reseller_id = a.id" \
	  " WHERE a.tenant_id = ?1 AND a.type = 'indirect_reseller' AND r.provider_id = ?2 AND r.status = 'active'") \
	Q(Q_PROVIDER_REL, 5, "SELECT r.id, r.provider_id, r.reseller_id, r.status, t.name FROM provider_relationships r" \
	  " JOIN partner_accounts a ON a.id = r.provider_id JOIN tenants t ON t.id = a.tenant_id WHERE r.id = ?") \
	Q(Q_MINE_COUNT, 1, "SELECT count(DISTINCT cr.customer_tenant_id)" SQL_MINE_FROM SQL_MINE_WHERE) \
	Q(Q_MINE_NAME_ASC, 8, SQL_MINE_PAGE("t.name COLLATE NOCASE ASC, t.id ASC")) \
	Q(Q_MINE_NAME_DESC, 8, SQL_MINE_PAGE("t.name COLLATE NOCASE DESC, t.id DESC")) \
	Q(Q_MINE_SINCE_ASC, 8, SQL_MINE_PAGE("min(cr.since) ASC, t.id ASC")) \
	Q(Q_MINE_SINCE_DESC, 8, SQL_MINE_PAGE("min(cr.since) DESC, t.id DESC")) \
	Q(Q_SHARED_COUNT, 1, "SELECT count(*)" SQL_SHARED_FROM SQL_SHARED_WHERE) \
	Q(Q_SHARED_PAGE, 6, "SELECT t.id, t.name, c.name, r1.since, r1.delegated_admin," \
	  " (SELECT count(*) FROM subscriptions s WHERE s.customer_tenant_id = t.id AND s.reseller_id = ?1" \
	  " AND s.provider_id = ?2)" SQL_SHARED_FROM \
	  " JOIN tenants t ON t.id = r1.customer_tenant_id JOIN countries c ON c.code = t.country" SQL_SHARED_WHERE \
	  " ORDER BY t.name COLLATE NOCASE, t.id LIMIT ?3 OFFSET ?4") \
	Q(Q_RELS_OF, 8, "SELECT cr.id, pa.id, pa.type, cr.since, cr.delegated_admin, coalesce(iu.name, '')," \
	  " coalesce(au.name, ''), coalesce(cr.invitation_id, 0)" \
	  " FROM customer_relationships cr JOIN partner_accounts pa ON pa.id = cr.partner_id" \
	  " LEFT JOIN users iu ON iu.id = cr.invited_by LEFT JOIN users au ON au.id = cr.accepted_by" \
	  " WHERE cr.customer_tenant_id = ?1 AND pa.tenant_id = ?2 AND cr.status = 'active' ORDER BY pa.type") \
	Q(Q_SHARED_RESELLERS, 4, "SELECT ra.id, t.id, t.name, " SQL_MPN_LIST \
	  " FROM provider_relationships pr JOIN partner_accounts ra ON ra.id = pr.reseller_id" \
	  " JOIN tenants t ON t.id = ra.tenant_id" SQL_SERVES("ra") \
	  " WHERE pr.provider_id = ?1 AND pr.status = 'active' ORDER BY t.name COLLATE NOCASE, ra.id") \
	Q(Q_SHARED_PROVIDERS, 4, "SELECT pa.id, pt.id, pt.name, pr.id" \
	  " FROM provider_relationships pr JOIN partner_accounts pa ON pa.id = pr.provider_id" \
	  " JOIN tenants pt ON pt.id = pa.tenant_id" SQL_SERVES("pa") \
	  " WHERE pr.reseller_id = ?1 AND pr.status = 'active' ORDER BY pt.name COLLATE NOCASE, pa.id") \
	Q(Q_PARTNERS, 10, "SELECT cr.id, t.name, pa.type, c.name, cr.since, cr.delegated_admin, " SQL_MPN_LIST "," \
	  " pa.support_email, pa.support_website, pa.tenant_id" \
	  " FROM customer_relationships cr JOIN partner_accounts pa ON pa.id = cr.partner_id" \
	  " JOIN tenants t ON t.id = pa.tenant_id JOIN countries c ON c.code = t.country" \
	  " WHERE cr.customer_tenant_id = ? AND cr.status = 'active' ORDER BY t.name COLLATE NOCASE, pa.type") \
	Q(Q_SUBS_FOR_PARTNER, 11, SQL_SUBS " AND (ra.tenant_id = ?2 OR pa.tenant_id = ?2) ORDER BY s.id DESC") \
	Q(Q_SUBS_ALL, 11, SQL_SUBS " ORDER BY s.id DESC") \
	Q(Q_SUB_BY_KEY, 3, "SELECT id, provider_id, customer_tenant_id FROM subscriptions WHERE order_key = ?") \
	Q(Q_SUB_INSERT, 0, "INSERT INTO subscriptions(customer_tenant_id, provider_id, reseller_id, mpn_id, offer_id," \
	  " quantity, created_at, created_by, created_by_credential, order_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" \
	  " ON CONFLICT(order_key) DO NOTHING")
SQL_AREA(customers, QUERIES);

/* ---- customer invitations ---- */

static void
read_invitation(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_invitation *)out = (struct customer_invitation){
		.id = db_i64(st, 0), .reseller_id = db_i64(st, 1), .provider_id = db_i64(st, 2),
		.email = db_dup(a, st, 3), .message = db_dup(a, st, 4), .delegated_admin = db_i64(st, 5) != 0,
		.created_at = db_i64(st, 6), .expires_at = db_i64(st, 7), .status = db_inv_status(st, 8),
		.inviter_name = db_dup(a, st, 9), .inviter_email = db_dup(a, st, 10), .accepted_at = db_i64(st, 11),
		.customer_tenant_id = db_i64(st, 12), .customer_name = db_dup(a, st, 13), .revoked_at = db_i64(st, 14),
		.created_by = db_i64(st, 15),
	};
}

int
st_cinv_get(struct store *s, struct arena *a, int64_t id, int64_t now, struct customer_invitation *out)
{
	int found = db_one(a, db_q(s, Q_INV_GET, QI(id)), read_invitation, out);
	if (found == 1)
		out->state = out->status == INV_PENDING && out->expires_at <= now ? INV_EXPIRED : out->status;
	return found;
}

int64_t
st_cinv_insert(struct store *s, const struct customer_invitation *inv)
{
	return db_insert(s, Q_INV_INSERT, QI(inv->reseller_id), QI(inv->provider_id), QT(inv->email), QT(inv->message),
	    QI(inv->delegated_admin ? 1 : 0), QI(inv->created_at), QID(inv->created_by), QI(inv->expires_at));
}

int64_t
st_cinv_pending_to(struct store *s, int64_t reseller, int64_t provider, const char *email, int64_t now)
{
	return db_checked(s, db_int(s, Q_INV_PENDING_TO, 0, QI(reseller), QI(provider), QT(email), QI(now)));
}

int
st_cinv_accept(struct store *s, int64_t id, int64_t expires, int64_t user, int64_t customer, int64_t now)
{
	return db_run(s, Q_INV_ACCEPT, QID(user), QI(now), QI(customer), QI(id), QI(expires));
}

int
st_cinv_revoke(struct store *s, int64_t id, int64_t reseller, int64_t user, int64_t now)
{
	return db_run(s, Q_INV_REVOKE, QID(user), QI(now), QI(id), QI(reseller));
}

int64_t
st_cinv_count(struct store *s, int64_t reseller, int64_t provider)
{
	return db_int(s, Q_INV_COUNT, -1, QI(reseller), QI(provider));
}

static void
read_cinv(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct cinv_row *)out = (struct cinv_row){ .id = db_i64(st, 0), .email = db_dup(a, st, 1),
	    .created_at = db_i64(st, 2), .expires_at = db_i64(st, 3), .state = db_inv_status(st, 4),
	    .customer = db_dup(a, st, 5) };
}

int
st_cinv_page(struct store *s, struct arena *a, int64_t reseller, int64_t provider, int64_t now,
    const struct paging *p, struct cinv_list *out)
{
	struct db_stmt *st = db_q(s, Q_INV_PAGE, QI(reseller), QI(provider), QI(now), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, DB_ALL, out, read_cinv);
}

/* ---- customer relationships ---- */

int64_t
st_cust_rel_active(struct store *s, int64_t partner, int64_t customer)
{
	return db_checked(s, db_int(s, Q_REL_ACTIVE, 0, QI(partner), QI(customer)));
}

int
st_cust_relate(struct store *s, int64_t partner, int64_t customer, int64_t invitation, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now)
{
	int n = db_run(s, Q_RELATE, QI(partner), QI(customer), QI(now), QID(invitation), QID(invited_by), QID(accepted_by),
	    QI(delegated_admin ? 1 : 0));
	return n < 0 ? -1 : n > 0;
}

int64_t
st_cust_resells_for(struct store *s, int64_t tenant, int64_t provider)
{
	return db_int(s, Q_RESELLS_FOR, -1, QI(tenant), QI(provider));
}

/* Any status but active reads as ended. */
static void
read_provider_rel(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct cust_provider_rel *)out = (struct cust_provider_rel){ .id = db_i64(st, 0), .provider_id = db_i64(st, 1),
	    .reseller_id = db_i64(st, 2), .status = rel_status_parse(db_text(st, 3)) == RS_ACTIVE ? RS_ACTIVE : RS_ENDED,
	    .provider_name = db_dup(a, st, 4) };
}

int
st_cust_provider_rel(struct store *s, struct arena *a, int64_t id, struct cust_provider_rel *out)
{
	return db_one(a, db_q(s, Q_PROVIDER_REL, QI(id)), read_provider_rel, out);
}

/* ---- a partner's customers ---- */

int64_t
st_customers_count(struct store *s, int64_t tenant)
{
	return db_int(s, Q_MINE_COUNT, -1, QI(tenant));
}

static void
read_mine(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_row *)out = (struct customer_row){ .id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .since = db_i64(st, 3), .delegated_admin = db_i64(st, 4) != 0,
	    .as_reseller = db_i64(st, 5) != 0, .as_provider = db_i64(st, 6) != 0, .subscriptions = db_i64(st, 7) };
}

int
st_customers_page(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc,
    const struct paging *p, struct customer_list *out)
{
	static const int orders[2][2] = { { Q_MINE_NAME_ASC, Q_MINE_NAME_DESC }, { Q_MINE_SINCE_ASC, Q_MINE_SINCE_DESC } };
	struct db_stmt *st = db_q(s, orders[by_since][desc], QI(tenant), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, DB_ALL, out, read_mine);
}

int64_t
st_shared_customers_count(struct store *s, int64_t reseller, int64_t provider)
{
	return db_int(s, Q_SHARED_COUNT, -1, QI(reseller), QI(provider));
}

static void
read_shared(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_row *)out = (struct customer_row){ .id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .since = db_i64(st, 3), .delegated_admin = db_i64(st, 4) != 0,
	    .subscriptions = db_i64(st, 5) };
}

int
st_shared_customers_page(struct store *s, struct arena *a, int64_t reseller, int64_t provider,
    const struct paging *p, struct customer_list *out)
{
	struct db_stmt *st = db_q(s, Q_SHARED_PAGE, QI(reseller), QI(provider), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, DB_ALL, out, read_shared);
}

/* ---- the keyset pages ---- */

/* Reads rows of st into out, at most limit, and reverses them when the statement read the
 * order backwards; *more: one more row than limit was there. */
static int
ks_list(struct store *s, struct arena *a, struct db_stmt *st, int64_t limit, bool backwards, db_read_fn *read,
    struct customer_list *out, bool *more)
{
	if (DB_LIST(s, a, st, limit + 1, out, read) < 0)
		return -1;
	*more = (int64_t)out->n > limit;
	if (*more)
		out->n = (size_t)limit;
	if (backwards)
		for (size_t i = 0; i < out->n / 2; i++) {
			struct customer_row t = out->v[i];
			out->v[i] = out->v[out->n - 1 - i];
			out->v[out->n - 1 - i] = t;
		}
	return 0;
}

/* st_customers_seek with statements q, and the search's pattern (NULL: none) bound last, then
 * its index key (NULL: none). */
static int
customers_seek(struct store *s, struct arena *a, const int q[2][2][2], const char *pattern, const char *key,
    int64_t tenant, bool by_since, bool desc, enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out,
    bool *more)
{
#define MINE_Q(...) (key != NULL ? db_q(s, __VA_ARGS__, QT(pattern), QT(key)) \
	: pattern != NULL ? db_q(s, __VA_ARGS__, QT(pattern)) : db_q(s, __VA_ARGS__))
	bool backwards = seek == CUST_LAST || seek == CUST_BEFORE;
	bool scan_desc = desc != backwards;
	struct db_stmt *st = NULL;
	if (seek == CUST_AFTER || seek == CUST_BEFORE) {
		struct db_stmt *k = db_q(s, Q_KS_KEY, QI(tenant), QI(id));
		if (db_step(k) == DB_ROW) {
			int qi = q[by_since][scan_desc][1];
			st = by_since ? MINE_Q(qi, QI(tenant), QI(db_i64(k, 1)), QI(id), QI(limit + 1))
			    : MINE_Q(qi, QI(tenant), QT(arena_strdup(a, db_text(k, 0))), QI(id), QI(limit + 1));
		}
		db_done(k);
		if (store_failed(s))
			return -1;
		if (st == NULL) {	/* the cursor's customer is no longer on the list: the first page */
			backwards = false;
			scan_desc = desc;
		}
	}
	if (st == NULL)
		st = MINE_Q(q[by_since][scan_desc][0], QI(tenant), QI(limit + 1));
#undef MINE_Q
	return ks_list(s, a, st, limit, backwards, read_mine, out, more);
}

int
st_customers_seek(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct customer_list *out, bool *more)
{
	/* [by_since][descending scan][after a cursor] */
	static const int q[2][2][2] = {
		{ { Q_KS_NAME_ASC_FIRST, Q_KS_NAME_ASC_AFTER }, { Q_KS_NAME_DESC_FIRST, Q_KS_NAME_DESC_AFTER } },
		{ { Q_KS_SINCE_ASC_FIRST, Q_KS_SINCE_ASC_AFTER }, { Q_KS_SINCE_DESC_FIRST, Q_KS_SINCE_DESC_AFTER } },
	};
	return customers_seek(s, a, q, NULL, NULL, tenant, by_since, desc, seek, id, limit, out, more);
}

int
st_customers_search_seek(struct store *s, struct arena *a, int64_t tenant, const char *search, bool by_since, bool desc,
    enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out, bool *more)
{
	static const int q[2][2][2] = {
		{ { Q_KSQ_NAME_ASC_FIRST, Q_KSQ_NAME_ASC_AFTER }, { Q_KSQ_NAME_DESC_FIRST, Q_KSQ_NAME_DESC_AFTER } },
		{ { Q_KSQ_SINCE_ASC_FIRST, Q_KSQ_SINCE_ASC_AFTER }, { Q_KSQ_SINCE_DESC_FIRST, Q_KSQ_SINCE_DESC_AFTER } },
	};
	static const int qi[2][2][2] = {
		{ { Q_KSI_NAME_ASC_FIRST, Q_KSI_NAME_ASC_AFTER }, { Q_KSI_NAME_DESC_FIRST, Q_KSI_NAME_DESC_AFTER } },
		{ { Q_KSI_SINCE_ASC_FIRST, Q_KSI_SINCE_ASC_AFTER }, { Q_KSI_SINCE_DESC_FIRST, Q_KSI_SINCE_DESC_AFTER } },
	};
	const char *pattern = like_contains(a, search), *key = db_search_key(s, a, search);
	if (pattern == NULL || key == NULL)
		return -1;
	return customers_seek(s, a, *key ? qi : q, pattern, *key ? key : NULL, tenant, by_since, desc, seek, id, limit,
	    out, more);
}

int
st_shared_customers_seek(struct store *s, struct arena *a, int64_t reseller, int64_t provider, enum cust_seek seek,
    int64_t id, int64_t limit, struct customer_list *out, bool *more)
{
	bool backwards = seek == CUST_LAST || seek == CUST_BEFORE;
	struct db_stmt *st = NULL;
	if (seek == CUST_AFTER || seek == CUST_BEFORE) {
		struct db_stmt *k = db_q(s, Q_KS_SHARED_KEY, QI(reseller), QI(id));
		if (db_step(k) == DB_ROW)
			st = db_q(s, backwards ? Q_KS_SHARED_DESC_AFTER : Q_KS_SHARED_ASC_AFTER, QI(reseller), QI(provider),
			    QT(arena_strdup(a, db_text(k, 0))), QI(id), QI(limit + 1));
		db_done(k);
		if (store_failed(s))
			return -1;
		if (st == NULL)
			backwards = false;
	}
	if (st == NULL)
		st = db_q(s, backwards ? Q_KS_SHARED_DESC_FIRST : Q_KS_SHARED_ASC_FIRST, QI(reseller), QI(provider),
		    QI(limit + 1));
	return ks_list(s, a, st, limit, backwards, read_shared, out, more);
}

/* ---- one customer ---- */

static void
read_rel(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_rel_row *)out = (struct customer_rel_row){ .id = db_i64(st, 0), .partner_id = db_i64(st, 1),
	    .type = db_partner_type(st, 2), .since = db_i64(st, 3), .delegated_admin = db_i64(st, 4) != 0,
	    .invited_by = db_dup(a, st, 5), .accepted_by = db_dup(a, st, 6), .invitation_id = db_i64(st, 7) };
}

int
st_customer_rels_of(struct store *s, struct arena *a, int64_t customer, int64_t tenant, struct customer_rel_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_RELS_OF, QI(customer), QI(tenant)), DB_ALL, out, read_rel);
}

static void
read_shared_partner(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct shared_partner *)out = (struct shared_partner){ .account_id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2) };
}

static void
read_shared_reseller(struct arena *a, struct db_stmt *st, void *out)
{
	read_shared_partner(a, st, out);
	((struct shared_partner *)out)->mpn = db_dup(a, st, 3);
}

static void
read_shared_provider(struct arena *a, struct db_stmt *st, void *out)
{
	read_shared_partner(a, st, out);
	((struct shared_partner *)out)->mpn = "";
	((struct shared_partner *)out)->rel_id = db_i64(st, 3);
}

int
st_shared_resellers(struct store *s, struct arena *a, int64_t provider, int64_t customer, struct shared_partner_list *out)
{
	struct db_stmt *st = db_q(s, Q_SHARED_RESELLERS, QI(provider), QI(customer));
	return DB_LIST(s, a, st, DB_ALL, out, read_shared_reseller);
}

int
st_shared_providers(struct store *s, struct arena *a, int64_t reseller, int64_t customer, struct shared_partner_list *out)
{
	struct db_stmt *st = db_q(s, Q_SHARED_PROVIDERS, QI(reseller), QI(customer));
	return DB_LIST(s, a, st, DB_ALL, out, read_shared_provider);
}

static void
read_partner(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct customer_partner *)out = (struct customer_partner){ .rel_id = db_i64(st, 0), .name = db_dup(a, st, 1),
	    .type = db_partner_type(st, 2), .country = db_dup(a, st, 3), .since = db_i64(st, 4),
	    .delegated_admin = db_i64(st, 5) != 0, .mpn = db_dup(a, st, 6), .support_email = db_dup(a, st, 7),
	    .support_website = db_dup(a, st, 8), .tenant_id = db_i64(st, 9) };
}

int
st_customer_partners(struct store *s, struct arena *a, int64_t customer, struct customer_partner_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_PARTNERS, QI(customer)), DB_ALL, out, read_partner);
}

/* ---- subscriptions ---- */

static void
read_sub(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct subscription_row *)out = (struct subscription_row){ .id = db_i64(st, 0), .offer_id = db_dup(a, st, 1),
	    .offer = db_dup(a, st, 2), .unit = db_dup(a, st, 3), .quantity = db_i64(st, 4), .reseller = db_dup(a, st, 5),
	    .mpn_id = db_dup(a, st, 6), .provider = db_dup(a, st, 7), .created_at = db_i64(st, 8),
	    .status = db_sub_status(st, 9), .ordered_by = db_dup(a, st, 10) };
}

int
st_subscriptions(struct store *s, struct arena *a, int64_t customer, int64_t tenant, struct subscription_list *out)
{
	struct db_stmt *st = tenant ? db_q(s, Q_SUBS_FOR_PARTNER, QI(customer), QI(tenant)) : db_q(s, Q_SUBS_ALL, QI(customer));
	return DB_LIST(s, a, st, DB_ALL, out, read_sub);
}

int64_t
st_sub_insert(struct store *s, const struct subscription_new *n)
{
	int changed = db_run(s, Q_SUB_INSERT, QI(n->customer), QI(n->provider), QI(n->reseller), QT(n->mpn_id),
	    QT(n->offer_id), QI(n->quantity), QI(n->created_at), QID(n->created_by),
	    QID(n->created_by_credential), QT(n->order_key));
	return changed < 0 ? -1 : changed == 0 ? 0 : db_last_id(s);
}

int
st_sub_by_key(struct store *s, const char *order_key, int64_t *id, int64_t *provider, int64_t *customer)
{
	struct db_stmt *st = db_q(s, Q_SUB_BY_KEY, QT(order_key));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_i64(st, 0);
		*provider = db_i64(st, 1);
		*customer = db_i64(st, 2);
	}
	db_done(st);
	return db_found(rc);
}
