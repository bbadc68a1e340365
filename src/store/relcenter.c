/* relcenter.c — the relationship center (store.h, "relcenter"; issue 13): every relationship
 * an organization is part of, of the three kinds and on both sides, in one list.
 *
 * One statement per sort order and direction (and first page / after a cursor): eleven arms
 * (provider of a reseller, reseller of a provider, partner of a customer through the
 * organization's provider and its reseller account, customer of a partner, delegated admin
 * asked by it, asked of it; open reseller and customer invitations sent by it and to it), each filtered, read after the cursor and cut to the page's LIMIT
 * in its own order, merged by UNION ALL and cut again: a page reads at most 11 × LIMIT rows
 * whatever the organization's number of relationships (schema section 17's indexes give the
 * three big arms in order). The order is (key, k, id): key the sort value, k the arm (1..8),
 * id the row's id in its table. The filters are parameters that switch themselves off when
 * empty/0 (one text per statement, no SQL built at run time):
 *   ?1 the organization, ?2 now, ?3 the kinds (bits 1 provider-reseller, 2 partner-customer,
 *   4 delegated admin, 8 invitations), ?4 the state ('' any; 'active' includes 'expiring'), ?5 a LIKE
 *   pattern on the other organization's lower-cased name ('' any), ?6 expiring by (0 any),
 *   ?7 ?8 ?9 the cursor (key, k, id), ?10 the limit; a search the trigram index narrows: ?11 its key
 *   (the statements Q_IX_*, below). */
#include "store/db.h"

#include <string.h>

/* A delegated admin relationship's state as people see it at ?2, for the state filter: the
 * mirror of domain/relcenter.c's rc_state_at (da_state_at with "expiring": 30 days), which
 * gives the shown state from the raw columns; test_relcenter checks the two agree. */
#define SQL_DA_STATE "CASE WHEN d.state = 'pending' AND d.request_expires_at <= ?2 THEN 'expired'" \
	" WHEN d.state = 'active' AND d.expires_at <= ?2 THEN 'expired'" \
	" WHEN d.state = 'active' AND d.expires_at <= ?2 + 2592000 THEN 'expiring' ELSE d.state END"

/* The raw arms: the columns skey (the sort value: the stored name key or since), k, id,
 * other, oname, state, since, expires, roles, dname, okey (the other's name key, for the
 * search). Provider-reseller and partner-customer rows are read through the organization's
 * partner account of each type (a scalar subquery), so that schema section 17's indexes
 * (account, key, id) give each arm in its order, from the cursor, and its LIMIT stops the scan;
 * the delegated admin and customer-of arms (few rows per organization) are sorted. */
#define ACC(type) "(SELECT id FROM partner_accounts WHERE tenant_id = ?1 AND type = '" type "')"
#define ARM_PR_MINE(key, st, pre, ix) "SELECT " key " AS skey, 1 AS k, r.id AS id, ra.tenant_id AS other, rt.name AS oname," \
	" r.status AS state, r.since AS since, 0 AS expires, 0 AS roles, '' AS dname, r.reseller_name AS okey, r.status AS raw, 0 AS rexp" \
	" FROM " pre "provider_relationships r JOIN partner_accounts ra ON ra.id = r.reseller_id" \
	" JOIN tenants rt ON rt.id = ra.tenant_id WHERE r.provider_id = " ACC("indirect_provider") " AND (?3 & 1) <> 0" st ix("ra.tenant_id")
#define ARM_PR_THEIRS(key, st, pre, ix) "SELECT " key " AS skey, 2 AS k, r.id AS id, pa.tenant_id AS other, pt.name AS oname," \
	" r.status AS state, r.since AS since, 0 AS expires, 0 AS roles, '' AS dname, r.provider_name AS okey, r.status AS raw, 0 AS rexp" \
	" FROM " pre "provider_relationships r JOIN partner_accounts pa ON pa.id = r.provider_id" \
	" JOIN tenants pt ON pt.id = pa.tenant_id WHERE r.reseller_id = " ACC("indirect_reseller") " AND (?3 & 1) <> 0" st ix("pa.tenant_id")
#define ARM_CR_MINE(key, type, st, pre, ix) "SELECT " key " AS skey, 3 AS k, c.id AS id, c.customer_tenant_id AS other," \
	" ct.name AS oname, c.status AS state, c.since AS since, 0 AS expires, 0 AS roles, '' AS dname," \
	" c.customer_name AS okey, c.status AS raw, 0 AS rexp FROM " pre "customer_relationships c" \
	" JOIN tenants ct ON ct.id = c.customer_tenant_id WHERE c.partner_id = " ACC(type) " AND (?3 & 2) <> 0" st \
	ix("c.customer_tenant_id")
#define ARM_CR_THEIRS(key, st, pre, ix) "SELECT " key " AS skey, 4 AS k, c.id AS id, pa.tenant_id AS other, pt.name AS oname," \
	" c.status AS state, c.since AS since, 0 AS expires, 0 AS roles, '' AS dname, pa.name_key AS okey, c.status AS raw, 0 AS rexp" \
	" FROM " pre "customer_relationships c JOIN partner_accounts pa ON pa.id = c.partner_id" \
	" JOIN tenants pt ON pt.id = pa.tenant_id WHERE c.customer_tenant_id = ?1 AND (?3 & 2) <> 0" st ix("pa.tenant_id")
#define ARM_DA(key, kind, mine, theirs, pre, ix) "SELECT " key " AS skey, " kind " AS k, d.id AS id, d." theirs " AS other," \
	" o.name AS oname, " SQL_DA_STATE " AS state, coalesce(d.approved_at, d.created_at) AS since," \
	" coalesce(d.expires_at, 0) AS expires, d.roles AS roles, d.name AS dname, lower(o.name) AS okey," \
	" d.state AS raw, d.request_expires_at AS rexp" \
	" FROM " pre "delegated_admins d JOIN tenants o ON o.id = d." theirs " WHERE d." mine " = ?1 AND (?3 & 4) <> 0" \
	ix("d." theirs)

/* Pending invitations (issue 13): k 7 a reseller invitation, 8 a customer invitation, each
 * sent by the organization (its provider / reseller account; the other organization is not
 * known yet: other 0, the address in its place) or sent to it (an address at its domain, the
 * address's organization as the checks before sending find it; the sender is the other).
 * Only open ones: pending and before their expiry; state sent or opened. */
/* (schema 27: the address's domain as the indexes *_open_to spell it, per engine) */
#define MINE_BY_DOMAIN(col) "lower(substr(" col ", " SQL_LITE_PG("instr", "strpos") "(" col ", '@') + 1))" \
	" = " SQL_LITE_PG("(SELECT lower(domain) FROM tenants WHERE id = ?1)", \
	"CAST((SELECT lower(domain) FROM tenants WHERE id = ?1) AS TEXT)")
#define INV_STATE "CASE WHEN i.opened_at IS NULL THEN 'sent' ELSE 'opened' END"
#define ARM_RI_SENT(key) "SELECT " key " AS skey, 7 AS k, i.id AS id, 0 AS other, lower(i.email) AS oname," \
	" " INV_STATE " AS state, i.sent_at AS since, i.expires_at AS expires, 0 AS roles, '' AS dname," \
	" lower(i.email) AS okey, " INV_STATE " AS raw, 0 AS rexp FROM reseller_invitations i WHERE i.provider_id = " ACC("indirect_provider") \
	" AND i.status = 'pending' AND i.expires_at > ?2 AND (?3 & 8) <> 0"
#define ARM_RI_TO_ME(key, ix) "SELECT " key " AS skey, 7 AS k, i.id AS id, pa.tenant_id AS other, pt.name AS oname," \
	" " INV_STATE " AS state, i.sent_at AS since, i.expires_at AS expires, 0 AS roles, '' AS dname," \
	" lower(pt.name) AS okey, " INV_STATE " AS raw, 0 AS rexp FROM reseller_invitations i JOIN partner_accounts pa ON pa.id = i.provider_id" \
	" JOIN tenants pt ON pt.id = pa.tenant_id WHERE i.status = 'pending' AND i.expires_at > ?2 AND (?3 & 8) <> 0" \
	" AND pa.tenant_id <> ?1 AND " MINE_BY_DOMAIN("i.email") ix("pa.tenant_id")
#define ARM_CI_SENT(key) "SELECT " key " AS skey, 8 AS k, i.id AS id, 0 AS other, lower(i.email) AS oname," \
	" " INV_STATE " AS state, i.created_at AS since, i.expires_at AS expires, 0 AS roles, '' AS dname," \
	" lower(i.email) AS okey, " INV_STATE " AS raw, 0 AS rexp FROM customer_invitations i WHERE i.reseller_id = " ACC("indirect_reseller") \
	" AND i.status = 'pending' AND i.expires_at > ?2 AND (?3 & 8) <> 0"
#define ARM_CI_TO_ME(key, ix) "SELECT " key " AS skey, 8 AS k, i.id AS id, pa.tenant_id AS other, pt.name AS oname," \
	" " INV_STATE " AS state, i.created_at AS since, i.expires_at AS expires, 0 AS roles, '' AS dname," \
	" lower(pt.name) AS okey, " INV_STATE " AS raw, 0 AS rexp FROM customer_invitations i JOIN partner_accounts pa ON pa.id = i.reseller_id" \
	" JOIN tenants pt ON pt.id = pa.tenant_id WHERE i.status = 'pending' AND i.expires_at > ?2 AND (?3 & 8) <> 0" \
	" AND pa.tenant_id <> ?1 AND " MINE_BY_DOMAIN("i.email") ix("pa.tenant_id")

/* The filters, and the rows after the cursor (?7, ?8, ?9) of arm k in the order (key, k, id):
 * as (key, id) against (?7, the id bound k makes of the cursor's kind), so an index on
 * (account, key, id) reads from the cursor on. */
#define SQL_FILTERS " WHERE (?4 = '' OR a.state = ?4 OR (?4 = 'active' AND a.state = 'expiring'))" \
	" AND (?5 = '' OR a.okey LIKE ?5 ESCAPE '\\')" \
	" AND (?6 = 0 OR (a.state IN ('active', 'expiring', 'sent', 'opened') AND a.expires > 0 AND a.expires <= ?6))"
#define ID_MAX "9223372036854775807"
#define SQL_AFTER_ASC(k) " AND (a.skey, a.id) > (?7, CASE WHEN " k " > ?8 THEN -1 WHEN " k " = ?8 THEN ?9 ELSE " ID_MAX " END)"
#define SQL_AFTER_DESC(k) " AND (a.skey, a.id) < (?7, CASE WHEN " k " < ?8 THEN " ID_MAX " WHEN " k " = ?8 THEN ?9 ELSE -1 END)"
/* the first page binds ?7..?9 too (unused): one binding list for all */
#define SQL_FIRST(k) " AND CAST(?7 AS TEXT) IS NOT NULL AND ?8 >= 0 AND ?9 >= 0"
#define ARM(raw, k, after, dir) "SELECT * FROM (SELECT * FROM (" raw ") a" SQL_FILTERS after(k) \
	" ORDER BY a.skey " dir ", a.id " dir " LIMIT ?10) a" k
/* The search through the trigram index (issue 17; db.h SQL_SEARCH_IDS, its key ?11): m, the
 * organizations it gives (at most SEARCH_FEW, read once: MATERIALIZED), and each arm whose
 * other side is an organization restricted to them. The arms that may be long (an account's
 * resellers and customers, the delegated admin relationships a partner asked for) start from
 * m (CROSS JOIN keeps it SQLite's outer loop) and look each organization up by its own index
 * (partner_accounts by tenant, provider_relationships_reseller, customer_relationships_customer,
 * delegated_admins_customer); the short ones keep their reading and test membership. The
 * arms' own LIKE stays: the index gives a superset (name or domain, trigrams). Invitations
 * sent by the organization match their address, which the index does not hold: unchanged. */
#define NOIX(col) ""
#define IX_IN(col) " AND " col " IN (SELECT id FROM m)"
#define IX_JOIN(col) " AND " col " = m.id"
#define SQL_IX_WITH "WITH m(id) AS MATERIALIZED (" SQL_SEARCH_IDS("?11") ") "
#define ARMS(after, dir, kpr, kpt, kcr, kct, kda, kris, krit, kcis, kcit, spr, scr, pre, big, small) \
	ARM(ARM_PR_MINE(kpr, spr, pre, big), "1", after, dir) " UNION ALL " ARM(ARM_PR_THEIRS(kpt, spr, "", small), "2", after, dir) \
	" UNION ALL " ARM(ARM_CR_MINE(kcr, "indirect_provider", scr, pre, big), "3", after, dir) \
	" UNION ALL " ARM(ARM_CR_MINE(kcr, "indirect_reseller", scr, pre, big), "3", after, dir) \
	" UNION ALL " ARM(ARM_CR_THEIRS(kct, scr, "", small), "4", after, dir) \
	" UNION ALL " ARM(ARM_DA(kda, "5", "partner_tenant_id", "customer_tenant_id", pre, big), "5", after, dir) \
	" UNION ALL " ARM(ARM_DA(kda, "6", "customer_tenant_id", "partner_tenant_id", "", small), "6", after, dir) \
	" UNION ALL " ARM(ARM_RI_SENT(kris), "7", after, dir) " UNION ALL " ARM(ARM_RI_TO_ME(krit, small), "7", after, dir) \
	" UNION ALL " ARM(ARM_CI_SENT(kcis), "8", after, dir) " UNION ALL " ARM(ARM_CI_TO_ME(kcit, small), "8", after, dir)
#define SQL_PAGE(after, dir, kpr, kpt, kcr, kct, kda, kris, krit, kcis, kcit, spr, scr, pre, big, small) \
	"SELECT x.skey, x.k, x.id, x.other, x.oname, x.state, x.since, x.expires, x.roles, x.dname, x.raw, x.rexp" \
	" FROM (" \
	ARMS(after, dir, kpr, kpt, kcr, kct, kda, kris, krit, kcis, kcit, spr, scr, pre, big, small) ") x" \
	" ORDER BY x.skey " dir ", x.k " dir ", x.id " dir " LIMIT ?10"
#define SQL_BY_NAME_S(after, dir, spr, scr, pre, big, small) SQL_PAGE(after, dir, "r.reseller_name", "r.provider_name", \
	"c.customer_name", "pa.name_key", "lower(o.name)", \
	"lower(i.email)", "lower(pt.name)", "lower(i.email)", "lower(pt.name)", spr, scr, pre, big, small)
#define SQL_BY_SINCE_S(after, dir, spr, scr, pre, big, small) SQL_PAGE(after, dir, "r.since", "r.since", "c.since", \
	"c.since", "coalesce(d.approved_at, d.created_at)", "i.sent_at", "i.sent_at", "i.created_at", "i.created_at", \
	spr, scr, pre, big, small)
#define SQL_BY_NAME(after, dir) SQL_BY_NAME_S(after, dir, "", "", "", NOIX, NOIX)
#define SQL_BY_SINCE(after, dir) SQL_BY_SINCE_S(after, dir, "", "", "", NOIX, NOIX)
#define SQL_BY_NAME_IX(after, dir) SQL_IX_WITH SQL_BY_NAME_S(after, dir, "", "", "m CROSS JOIN ", IX_JOIN, IX_IN)
#define SQL_BY_SINCE_IX(after, dir) SQL_IX_WITH SQL_BY_SINCE_S(after, dir, "", "", "m CROSS JOIN ", IX_JOIN, IX_IN)
/* The ended ones (issue 17): few among many, so the provider-reseller and partner-customer
 * arms say so in their own WHERE, where the (account, status, ...) indexes of section 11 find
 * them, instead of reading every relationship for the filter on the merged rows. */
#define ENDED_PR " AND r.status = 'ended'"
#define ENDED_CR " AND c.status = 'ended'"

#define QUERIES(Q) \
	Q(Q_NAME_ASC_FIRST, 12, SQL_BY_NAME(SQL_FIRST, "ASC")) \
	Q(Q_NAME_ASC_AFTER, 12, SQL_BY_NAME(SQL_AFTER_ASC, "ASC")) \
	Q(Q_NAME_DESC_FIRST, 12, SQL_BY_NAME(SQL_FIRST, "DESC")) \
	Q(Q_NAME_DESC_AFTER, 12, SQL_BY_NAME(SQL_AFTER_DESC, "DESC")) \
	Q(Q_SINCE_ASC_FIRST, 12, SQL_BY_SINCE(SQL_FIRST, "ASC")) \
	Q(Q_SINCE_ASC_AFTER, 12, SQL_BY_SINCE(SQL_AFTER_ASC, "ASC")) \
	Q(Q_SINCE_DESC_FIRST, 12, SQL_BY_SINCE(SQL_FIRST, "DESC")) \
	Q(Q_SINCE_DESC_AFTER, 12, SQL_BY_SINCE(SQL_AFTER_DESC, "DESC")) \
	Q(Q_ENDED_NAME_ASC_FIRST, 12, SQL_BY_NAME_S(SQL_FIRST, "ASC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_NAME_ASC_AFTER, 12, SQL_BY_NAME_S(SQL_AFTER_ASC, "ASC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_NAME_DESC_FIRST, 12, SQL_BY_NAME_S(SQL_FIRST, "DESC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_NAME_DESC_AFTER, 12, SQL_BY_NAME_S(SQL_AFTER_DESC, "DESC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_SINCE_ASC_FIRST, 12, SQL_BY_SINCE_S(SQL_FIRST, "ASC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_SINCE_ASC_AFTER, 12, SQL_BY_SINCE_S(SQL_AFTER_ASC, "ASC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_SINCE_DESC_FIRST, 12, SQL_BY_SINCE_S(SQL_FIRST, "DESC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_ENDED_SINCE_DESC_AFTER, 12, SQL_BY_SINCE_S(SQL_AFTER_DESC, "DESC", ENDED_PR, ENDED_CR, "", NOIX, NOIX)) \
	Q(Q_IX_NAME_ASC_FIRST, 12, SQL_BY_NAME_IX(SQL_FIRST, "ASC")) \
	Q(Q_IX_NAME_ASC_AFTER, 12, SQL_BY_NAME_IX(SQL_AFTER_ASC, "ASC")) \
	Q(Q_IX_NAME_DESC_FIRST, 12, SQL_BY_NAME_IX(SQL_FIRST, "DESC")) \
	Q(Q_IX_NAME_DESC_AFTER, 12, SQL_BY_NAME_IX(SQL_AFTER_DESC, "DESC")) \
	Q(Q_IX_SINCE_ASC_FIRST, 12, SQL_BY_SINCE_IX(SQL_FIRST, "ASC")) \
	Q(Q_IX_SINCE_ASC_AFTER, 12, SQL_BY_SINCE_IX(SQL_AFTER_ASC, "ASC")) \
	Q(Q_IX_SINCE_DESC_FIRST, 12, SQL_BY_SINCE_IX(SQL_FIRST, "DESC")) \
	Q(Q_IX_SINCE_DESC_AFTER, 12, SQL_BY_SINCE_IX(SQL_AFTER_DESC, "DESC")) \
	Q(Q_DA_EXTEND, 0, "UPDATE delegated_admins SET expires_at = ?1, reminder_stage = 0" \
	  " WHERE id = ?2 AND state = 'active' AND expires_at = ?3 AND expires_at > ?4 AND global_admin = 0")

SQL_AREA(relcenter, QUERIES);

static void
read_rc(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct rc_row *)out = (struct rc_row){ .key = db_dup(a, st, 0), .kind = (int)db_i64(st, 1),
	    .id = db_i64(st, 2), .other_tenant = db_i64(st, 3), .other_name = db_dup(a, st, 4),
	    .state = db_dup(a, st, 5), .since = db_i64(st, 6), .expires = db_i64(st, 7),
	    .roles = (unsigned)db_i64(st, 8), .name = db_dup(a, st, 9), .stored = db_dup(a, st, 10),
	    .request_expires = db_i64(st, 11) };
}

int
st_rc_page(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_filter *f,
    const struct rc_cursor *c, int64_t limit, struct rc_list *out)
{
	/* [ended][by_since][desc][after] */
	static const int q[2][2][2][2] = {
		{ { { Q_NAME_ASC_FIRST, Q_NAME_ASC_AFTER }, { Q_NAME_DESC_FIRST, Q_NAME_DESC_AFTER } },
		  { { Q_SINCE_ASC_FIRST, Q_SINCE_ASC_AFTER }, { Q_SINCE_DESC_FIRST, Q_SINCE_DESC_AFTER } } },
		{ { { Q_ENDED_NAME_ASC_FIRST, Q_ENDED_NAME_ASC_AFTER }, { Q_ENDED_NAME_DESC_FIRST, Q_ENDED_NAME_DESC_AFTER } },
		  { { Q_ENDED_SINCE_ASC_FIRST, Q_ENDED_SINCE_ASC_AFTER },
		    { Q_ENDED_SINCE_DESC_FIRST, Q_ENDED_SINCE_DESC_AFTER } } },
	};
	/* [by_since][desc][after], the search through the index (the ended arms are few then) */
	static const int qx[2][2][2] = {
		{ { Q_IX_NAME_ASC_FIRST, Q_IX_NAME_ASC_AFTER }, { Q_IX_NAME_DESC_FIRST, Q_IX_NAME_DESC_AFTER } },
		{ { Q_IX_SINCE_ASC_FIRST, Q_IX_SINCE_ASC_AFTER }, { Q_IX_SINCE_DESC_FIRST, Q_IX_SINCE_DESC_AFTER } },
	};
	bool after = c != NULL && c->kind > 0;
	bool ended = f->state != NULL && strcmp(f->state, "ended") == 0;
	char ix[512] = "";
	if (f->q != NULL && *f->q && !db_search_key_in(s, f->q, ix, sizeof(ix)))
		return -1;
	int qi = *ix ? qx[f->by_since][f->desc][after] : q[ended][f->by_since][f->desc][after];
	struct dbv key = !after ? QT("") : f->by_since ? QI(c->since) : QT(c->name);
	struct dbv v[] = { QI(tenant), QI(now), QI(f->kinds), QTE(f->state), QTE(f->pattern), QI(f->expires_by), key,
		QI(after ? c->kind : 0), QI(after ? c->id : 0), QI(limit), QT(ix) };
	struct db_stmt *st = db_qv(s, SQL_THIS_AREA, qi, v, *ix ? 11 : 10);
	return DB_LIST(s, a, st, limit, out, read_rc);
}

int
st_rc_da_extend(struct store *s, int64_t id, int64_t expires, int64_t new_expires, int64_t now)
{
	return db_run(s, Q_DA_EXTEND, QI(new_expires), QI(id), QI(expires), QI(now));
}
