/* relationships.c — indirect providers and their indirect resellers: the relationships,
 * the provider's invitations, and the public directory of providers (store.h,
 * "relationships"). */
#include "store/db.h"

#include <string.h>

#include "base/paging.h"
#include "base/util.h"

/* A provider's resellers, a reseller's providers: one side's active relationships r with
 * the other side's account a (r.<other>), its organization t and country c, and who
 * removed the administrator access (removed_by); a page of them in one of four orders. */
#define SQL_SIDE(removed_by, other) SQL_SIDE_FROM("", removed_by, other)
#define SQL_SIDE_FROM(pre, removed_by, other) "SELECT r.id, t.id, t.name, " SQL_MPN_LIST ", c.name, r.since, r.admin_access," \
	" coalesce(r.admin_removed_at, 0), " removed_by \
	" FROM " pre "provider_relationships r JOIN partner_accounts a ON a.id = r." other " JOIN tenants t ON t.id = a.tenant_id" \
	" JOIN countries c ON c.code = t.country"
#define SQL_RESELLERS SQL_SIDE("''", "reseller_id") " WHERE r.provider_id = ? AND r.status = 'active'"
#define SQL_PROVIDERS SQL_SIDE("coalesce(u.name, '')", "provider_id") \
	" LEFT JOIN users u ON u.id = r.admin_removed_by WHERE r.reseller_id = ? AND r.status = 'active'"
#define SQL_PAGE_BY(order) " ORDER BY " order " LIMIT ? OFFSET ?"
#define SQL_BY_NAME_ASC SQL_PAGE_BY("t.name COLLATE NOCASE ASC, r.id ASC")
#define SQL_BY_NAME_DESC SQL_PAGE_BY("t.name COLLATE NOCASE DESC, r.id DESC")
#define SQL_BY_SINCE_ASC SQL_PAGE_BY("r.since ASC, r.id ASC")
#define SQL_BY_SINCE_DESC SQL_PAGE_BY("r.since DESC, r.id DESC")

/* The operator's list: ?1 provider, ?2 reseller account (0: any). */
#define SQL_ALL_FROM " FROM provider_relationships r" \
	" JOIN partner_accounts pa ON pa.id = r.provider_id JOIN tenants pt ON pt.id = pa.tenant_id" \
	" JOIN partner_accounts ra ON ra.id = r.reseller_id JOIN tenants rt ON rt.id = ra.tenant_id" \
	" WHERE (?1 = 0 OR r.provider_id = ?1) AND (?2 = 0 OR r.reseller_id = ?2)"

/* Find a provider over the copy of the organization in partner_accounts (schema section 11):
 * one statement per combination of filters (country, region, name part; bound in that
 * order, then the numbers), so the index of the filter gives it and the name order; a page's
 * ids come from the index alone, then their rows. The name part is matched anywhere in the
 * lower-cased name with instr, PostgreSQL's strpos (so % and _ are plain characters). */
#define SQL_DIR_WHERE " WHERE d.type = 'indirect_provider' AND d.status = 'approved'"
#define SQL_DIR_COUNTRY " AND d.country = ?"
#define SQL_DIR_REGION " AND d.region = ?"
#define SQL_DIR_Q " AND " SQL_LITE_PG("instr", "strpos") "(d.name_key, lower(?)) > 0"
/* issue 17: the name part of 3 characters or more that few organizations contain: the ones
 * the trigram index gives (db.h SQL_SEARCH_IDS; its key bound after the name part) */
#define SQL_DIR_IX " AND d.tenant_id IN (" SQL_SEARCH_IDS("?") ")"
/* issue 17: a page past the middle is read from the far end (Q_DIR_BACK: the same rows, the
 * index walked backwards, OFFSET the rows after the page): the last page skips one row
 * instead of all the others (OFFSET 9,980 of 10,000 providers: 0.35 ms -> 0.04 ms). */
/* The count: without a name part schema section 29's counters (SQL_DIR_KEPT, the same
 * parameters), with one the matches counted (SQL_DIR_COUNTED). */
#define SQL_DIR_KEPT(cond) "SELECT coalesce(sum(n), 0) FROM directory_counts d WHERE 1 = 1" cond
#define SQL_DIR_COUNTED(cond) "SELECT count(*) FROM partner_accounts d" SQL_DIR_WHERE cond
#define SQL_DIR(Q, k, cond, count) \
	Q(Q_DIR_COUNT_##k, 1, count(cond)) \
	Q(Q_DIR_PAGE_##k, 7, "SELECT t.name, " SQL_MPN_LIST ", c.name, g.name, a.support_email, a.support_phone," \
	  " a.support_website FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id" \
	  " JOIN countries c ON c.code = t.country JOIN regions g ON g.code = c.region" \
	  " WHERE a.id IN (SELECT d.id FROM partner_accounts d" SQL_DIR_WHERE cond \
	  " ORDER BY d.name_key, d.id LIMIT ? OFFSET ?) ORDER BY a.name_key, a.id") \
	Q(Q_DIR_BACK_##k, 7, "SELECT t.name, " SQL_MPN_LIST ", c.name, g.name, a.support_email, a.support_phone," \
	  " a.support_website FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id" \
	  " JOIN countries c ON c.code = t.country JOIN regions g ON g.code = c.region" \
	  " WHERE a.id IN (SELECT d.id FROM partner_accounts d" SQL_DIR_WHERE cond \
	  " ORDER BY d.name_key DESC, d.id DESC LIMIT ? OFFSET ?) ORDER BY a.name_key, a.id")

/* Invitation ?3 of provider ?4, while it can still be sent again or revoked. */
#define SQL_INV_OPEN " WHERE id = ?3 AND provider_id = ?4 AND status IN ('pending', 'expired')"

/* Keyset pages of both sides (schema section 11: the other side's name key stored in the
 * relationship, one index per side and key): ?1 the account, the cursor (key, id) as ?2, ?3,
 * the limit last. side: the column naming the account; key: the sort key column. */
#define SQL_KS(base, side, key, cmp, dir, limit) base " WHERE r." side " = ?1 AND r.status = 'active'" cmp \
	" ORDER BY r." key " " dir ", r.id " dir " LIMIT " limit
#define SQL_KS_AFTER(key, op) " AND (r." key ", r.id) " op " (?2, ?3)"
#define SQL_KS_SIDE(base, side, key, Q, NAME) \
	Q(NAME##_ASC_FIRST, 9, SQL_KS(base, side, key, "", "ASC", "?2")) \
	Q(NAME##_ASC_AFTER, 9, SQL_KS(base, side, key, SQL_KS_AFTER(key, ">"), "ASC", "?4")) \
	Q(NAME##_DESC_FIRST, 9, SQL_KS(base, side, key, "", "DESC", "?2")) \
	Q(NAME##_DESC_AFTER, 9, SQL_KS(base, side, key, SQL_KS_AFTER(key, "<"), "DESC", "?4"))
/* The same with a search (issue 15, item 11) as the statement's last parameter n. */
#define SQL_RES_SEARCH(n) " AND (r.reseller_name LIKE lower(" n ") ESCAPE '\\' OR lower(t.domain) LIKE lower(" n ")" \
	" ESCAPE '\\' OR EXISTS (SELECT 1 FROM tenant_mpn_ids m WHERE m.tenant_id = t.id AND m.mpn_id LIKE " n " ESCAPE '\\'))"
#define SQL_KS_SIDE_Q(base, side, key, Q, NAME) \
	Q(NAME##_ASC_FIRST, 9, SQL_KS(base, side, key, SQL_RES_SEARCH("?3"), "ASC", "?2")) \
	Q(NAME##_ASC_AFTER, 9, SQL_KS(base, side, key, SQL_KS_AFTER(key, ">") SQL_RES_SEARCH("?5"), "ASC", "?4")) \
	Q(NAME##_DESC_FIRST, 9, SQL_KS(base, side, key, SQL_RES_SEARCH("?3"), "DESC", "?2")) \
	Q(NAME##_DESC_AFTER, 9, SQL_KS(base, side, key, SQL_KS_AFTER(key, "<") SQL_RES_SEARCH("?5"), "DESC", "?4"))
/* issue 17: the same for a search the trigram index narrows (db.h SQL_SEARCH_IDS, its key the
 * parameter k after the pattern n): the organizations it gives come first (CROSS JOIN:
 * SQLite's outer loop), each then looked up among the provider's resellers. For a search of
 * digits only (an MPN ID has nothing else: schema section 1) also the organizations of the
 * MPN IDs that contain it (a short table, read whole: a separate statement, so that other
 * searches do not read it). */
#define SQL_RES_IX(k, n, mpn) "(" SQL_SEARCH_IDS(k) mpn ") m CROSS JOIN "
#define SQL_RES_IX_MPN(n) " UNION SELECT tenant_id FROM tenant_mpn_ids WHERE mpn_id LIKE " n " ESCAPE '\\'"
#define SQL_KS_RES_IX(k, n, mpn) SQL_SIDE_FROM(SQL_RES_IX(k, n, mpn), "''", "reseller_id")
#define SQL_RES_SEARCH_IX(n) SQL_RES_SEARCH(n) " AND a.tenant_id = m.id"
#define SQL_KS_SIDE_QI(key, Q, NAME, mpn3, mpn5) \
	Q(NAME##_ASC_FIRST, 9, SQL_KS(SQL_KS_RES_IX("?4", "?3", mpn3), "provider_id", key, SQL_RES_SEARCH_IX("?3"), "ASC", \
	  "?2")) \
	Q(NAME##_ASC_AFTER, 9, SQL_KS(SQL_KS_RES_IX("?6", "?5", mpn5), "provider_id", key, SQL_KS_AFTER(key, ">") \
	  SQL_RES_SEARCH_IX("?5"), "ASC", "?4")) \
	Q(NAME##_DESC_FIRST, 9, SQL_KS(SQL_KS_RES_IX("?4", "?3", mpn3), "provider_id", key, SQL_RES_SEARCH_IX("?3"), "DESC", \
	  "?2")) \
	Q(NAME##_DESC_AFTER, 9, SQL_KS(SQL_KS_RES_IX("?6", "?5", mpn5), "provider_id", key, SQL_KS_AFTER(key, "<") \
	  SQL_RES_SEARCH_IX("?5"), "DESC", "?4"))
#define SQL_KS_RESELLERS_FROM SQL_SIDE("''", "reseller_id")
#define SQL_KS_PROVIDERS_FROM SQL_SIDE("coalesce(u.name, '')", "provider_id") " LEFT JOIN users u ON u.id = r.admin_removed_by"

#define QUERIES(Q) \
	SQL_KS_SIDE(SQL_KS_RESELLERS_FROM, "provider_id", "reseller_name", Q, Q_KS_RES_NAME) \
	SQL_KS_SIDE(SQL_KS_RESELLERS_FROM, "provider_id", "since", Q, Q_KS_RES_SINCE) \
	SQL_KS_SIDE(SQL_KS_PROVIDERS_FROM, "reseller_id", "provider_name", Q, Q_KS_PRO_NAME) \
	SQL_KS_SIDE(SQL_KS_PROVIDERS_FROM, "reseller_id", "since", Q, Q_KS_PRO_SINCE) \
	/* issue 15, item 11: the resellers whose name, primary domain or an MPN ID contains the \
	 * search (the last parameter: a LIKE pattern of like_contains, any case), same orders */ \
	SQL_KS_SIDE_Q(SQL_KS_RESELLERS_FROM, "provider_id", "reseller_name", Q, Q_KSQ_RES_NAME) \
	SQL_KS_SIDE_Q(SQL_KS_RESELLERS_FROM, "provider_id", "since", Q, Q_KSQ_RES_SINCE) \
	SQL_KS_SIDE_QI("reseller_name", Q, Q_KSI_RES_NAME, "", "") \
	SQL_KS_SIDE_QI("since", Q, Q_KSI_RES_SINCE, "", "") \
	SQL_KS_SIDE_QI("reseller_name", Q, Q_KSM_RES_NAME, SQL_RES_IX_MPN("?3"), SQL_RES_IX_MPN("?5")) \
	SQL_KS_SIDE_QI("since", Q, Q_KSM_RES_SINCE, SQL_RES_IX_MPN("?3"), SQL_RES_IX_MPN("?5")) \
	Q(Q_KS_KEY, 3, "SELECT reseller_name, provider_name, since FROM provider_relationships" \
	  " WHERE id = ?1 AND status = 'active' AND (provider_id = ?2 OR reseller_id = ?2)") \
	Q(Q_ACTIVE_ID, 1, "SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ? AND status = 'active'") \
	Q(Q_ANY_ID, 1, "SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ? ORDER BY id DESC LIMIT 1") \
	Q(Q_GET, 7, "SELECT r.id, r.provider_id, r.reseller_id, r.status, r.admin_access, coalesce(r.admin_removed_at, 0), t.name" \
	  " FROM provider_relationships r JOIN partner_accounts a ON a.id = r.provider_id JOIN tenants t ON t.id = a.tenant_id" \
	  " WHERE r.id = ?") \
	Q(Q_INSERT, 0, "INSERT INTO provider_relationships(provider_id, reseller_id, invitation_id, since, authorized_by," \
	  " provider_name, reseller_name) VALUES (?1, ?2, ?3, ?4, ?5," \
	  " (SELECT lower(t.name) FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = ?1)," \
	  " (SELECT lower(t.name) FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = ?2))") \
	Q(Q_REMOVE_ACCESS, 0, "UPDATE provider_relationships SET admin_access = 0, admin_removed_by = ?1, admin_removed_at = ?2" \
	  " WHERE id = ?3 AND reseller_id = ?4 AND status = 'active' AND admin_access = 1") \
	Q(Q_END, 0, "UPDATE provider_relationships SET status = 'ended', ended_at = ?1, end_reason = ?2" \
	  " WHERE id = ?3 AND status = 'active'") \
	Q(Q_RESELLERS_NAME_ASC, 9, SQL_RESELLERS SQL_BY_NAME_ASC) \
	Q(Q_RESELLERS_NAME_DESC, 9, SQL_RESELLERS SQL_BY_NAME_DESC) \
	Q(Q_RESELLERS_SINCE_ASC, 9, SQL_RESELLERS SQL_BY_SINCE_ASC) \
	Q(Q_RESELLERS_SINCE_DESC, 9, SQL_RESELLERS SQL_BY_SINCE_DESC) \
	Q(Q_PROVIDERS_NAME_ASC, 9, SQL_PROVIDERS SQL_BY_NAME_ASC) \
	Q(Q_PROVIDERS_NAME_DESC, 9, SQL_PROVIDERS SQL_BY_NAME_DESC) \
	Q(Q_PROVIDERS_SINCE_ASC, 9, SQL_PROVIDERS SQL_BY_SINCE_ASC) \
	Q(Q_PROVIDERS_SINCE_DESC, 9, SQL_PROVIDERS SQL_BY_SINCE_DESC) \
	Q(Q_ALL_COUNT, 1, "SELECT count(*)" SQL_ALL_FROM) \
	Q(Q_ALL, 12, "SELECT r.id, pa.id, pt.name, pt.domain, ra.id, rt.name, rt.domain, r.since, r.admin_access, r.status," \
	  " coalesce(r.ended_at, 0), coalesce(r.end_reason, '')" SQL_ALL_FROM " ORDER BY r.id") \
	Q(Q_INV_EXPIRE, 0, "UPDATE reseller_invitations SET status = 'expired'" \
	  " WHERE provider_id = ? AND status = 'pending' AND expires_at <= ?") \
	Q(Q_INV_PENDING_TO, 1, "SELECT id FROM reseller_invitations" \
	  " WHERE provider_id = ? AND email = ? AND status = 'pending' AND expires_at > ?") \
	Q(Q_INV_INSERT, 0, "INSERT INTO reseller_invitations(provider_id, email, message, created_at, created_by, sent_at," \
	  " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_INV_GET, 11, "SELECT i.id, i.provider_id, i.email, i.message, i.created_at, i.sent_at, i.expires_at, i.status," \
	  " coalesce(u.name, ''), coalesce(u.email, ''), coalesce(i.accepted_at, 0)" \
	  " FROM reseller_invitations i LEFT JOIN users u ON u.id = i.created_by WHERE i.id = ?") \
	Q(Q_INV_RESEND, 0, "UPDATE reseller_invitations SET sent_at = ?1, expires_at = ?2, status = 'pending'" \
	  SQL_INV_OPEN) \
	Q(Q_INV_REVOKE, 0, "UPDATE reseller_invitations SET status = 'revoked', revoked_by = ?1, revoked_at = ?2" \
	  SQL_INV_OPEN) \
	Q(Q_INV_ACCEPT, 0, "UPDATE reseller_invitations SET status = 'accepted', accepted_by = ?1, accepted_at = ?2," \
	  " reseller_id = ?3 WHERE id = ?4 AND status = 'pending' AND expires_at = ?5 AND expires_at > ?2") \
	Q(Q_INV_COUNT, 1, "SELECT count(*) FROM reseller_invitations WHERE provider_id = ?") \
	Q(Q_INV_PAGE, 6, "SELECT i.id, i.email, i.sent_at, i.expires_at," \
	  " CASE WHEN i.status = 'pending' AND i.expires_at <= ?2 THEN 'expired' ELSE i.status END, coalesce(t.name, '')" \
	  " FROM reseller_invitations i LEFT JOIN partner_accounts a ON a.id = i.reseller_id" \
	  " LEFT JOIN tenants t ON t.id = a.tenant_id WHERE i.provider_id = ?1 ORDER BY i.id DESC LIMIT ?3 OFFSET ?4") \
	/* issue 15: the invitations in one state (?3 / ?5: "pending", "accepted", "revoked", \
	 * "expired"; a pending one past its expiry is expired) */ \
	Q(Q_INV_COUNT_IN, 1, "SELECT count(*) FROM reseller_invitations WHERE provider_id = ?1" \
	  " AND CASE WHEN status = 'pending' AND expires_at <= ?2 THEN 'expired' ELSE status END = ?3") \
	Q(Q_INV_PAGE_IN, 6, "SELECT i.id, i.email, i.sent_at, i.expires_at," \
	  " CASE WHEN i.status = 'pending' AND i.expires_at <= ?2 THEN 'expired' ELSE i.status END, coalesce(t.name, '')" \
	  " FROM reseller_invitations i LEFT JOIN partner_accounts a ON a.id = i.reseller_id" \
	  " LEFT JOIN tenants t ON t.id = a.tenant_id WHERE i.provider_id = ?1" \
	  " AND CASE WHEN i.status = 'pending' AND i.expires_at <= ?2 THEN 'expired' ELSE i.status END = ?5" \
	  " ORDER BY i.id DESC LIMIT ?3 OFFSET ?4") \
	SQL_DIR(Q, 0, "", SQL_DIR_KEPT) \
	SQL_DIR(Q, 1, SQL_DIR_COUNTRY, SQL_DIR_KEPT) \
	SQL_DIR(Q, 2, SQL_DIR_REGION, SQL_DIR_KEPT) \
	SQL_DIR(Q, 3, SQL_DIR_COUNTRY SQL_DIR_REGION, SQL_DIR_KEPT) \
	SQL_DIR(Q, 4, SQL_DIR_Q, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 5, SQL_DIR_COUNTRY SQL_DIR_Q, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 6, SQL_DIR_REGION SQL_DIR_Q, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 7, SQL_DIR_COUNTRY SQL_DIR_REGION SQL_DIR_Q, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 8, SQL_DIR_Q SQL_DIR_IX, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 9, SQL_DIR_COUNTRY SQL_DIR_Q SQL_DIR_IX, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 10, SQL_DIR_REGION SQL_DIR_Q SQL_DIR_IX, SQL_DIR_COUNTED) \
	SQL_DIR(Q, 11, SQL_DIR_COUNTRY SQL_DIR_REGION SQL_DIR_Q SQL_DIR_IX, SQL_DIR_COUNTED) \
	Q(Q_REGIONS, 2, "SELECT code, name FROM regions ORDER BY name")
SQL_AREA(relationships, QUERIES);

/* ---- relationships ---- */

int64_t
st_rel_active_id(struct store *s, int64_t provider, int64_t reseller)
{
	return db_checked(s, db_int(s, Q_ACTIVE_ID, 0, QI(provider), QI(reseller)));
}

int64_t
st_rel_any_id(struct store *s, int64_t provider, int64_t reseller)
{
	return db_checked(s, db_int(s, Q_ANY_ID, 0, QI(provider), QI(reseller)));
}

static void
read_rel(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct provider_rel *)out = (struct provider_rel){ .id = db_i64(st, 0), .provider_id = db_i64(st, 1),
	    .reseller_id = db_i64(st, 2), .status = db_rel_status(st, 3), .admin_access = db_i64(st, 4) != 0,
	    .removed_at = db_i64(st, 5), .provider_name = db_dup(a, st, 6) };
}

int
st_rel_get(struct store *s, struct arena *a, int64_t id, struct provider_rel *out)
{
	return db_one(a, db_q(s, Q_GET, QI(id)), read_rel, out);
}

int64_t
st_rel_insert(struct store *s, int64_t provider, int64_t reseller, int64_t invitation, int64_t by_user, int64_t now)
{
	return db_insert(s, Q_INSERT, QI(provider), QI(reseller), QID(invitation), QI(now), QID(by_user));
}

int
st_rel_remove_access(struct store *s, int64_t id, int64_t reseller, int64_t by_user, int64_t now)
{
	return db_run(s, Q_REMOVE_ACCESS, QI(by_user), QI(now), QI(id), QI(reseller));
}

int
st_rel_end(struct store *s, int64_t id, const char *reason, int64_t now)
{
	return db_run(s, Q_END, QI(now), QT(reason), QI(id));
}

/* A row of SQL_RESELLERS or SQL_PROVIDERS. */
static void
read_side(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct rel_partner_row *)out = (struct rel_partner_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .mpn = db_dup(a, st, 3), .country = db_dup(a, st, 4), .since = db_i64(st, 5),
	    .admin_access = db_i64(st, 6) != 0, .removed_at = db_i64(st, 7), .removed_by = db_dup(a, st, 8) };
}

static const int reseller_orders[4] = { Q_RESELLERS_NAME_ASC, Q_RESELLERS_NAME_DESC, Q_RESELLERS_SINCE_ASC,
	Q_RESELLERS_SINCE_DESC };
static const int provider_orders[4] = { Q_PROVIDERS_NAME_ASC, Q_PROVIDERS_NAME_DESC, Q_PROVIDERS_SINCE_ASC,
	Q_PROVIDERS_SINCE_DESC };

/* One page of account's relationships by the statement of orders for order. */
static int
side_page(struct store *s, struct arena *a, const int orders[4], int64_t account, enum rel_order order,
    const struct paging *p, struct rel_partner_list *out)
{
	int q = orders[(unsigned)order < 4 ? order : 0];
	return DB_LIST(s, a, db_q(s, q, QI(account), QI(p->per_page), QI(p->offset)), p->per_page, out, read_side);
}

int
st_resellers_page(struct store *s, struct arena *a, int64_t provider, enum rel_order order, const struct paging *p,
    struct rel_partner_list *out)
{
	return side_page(s, a, reseller_orders, provider, order, p, out);
}

int
st_providers_page(struct store *s, struct arena *a, int64_t reseller, enum rel_order order, const struct paging *p,
    struct rel_partner_list *out)
{
	return side_page(s, a, provider_orders, reseller, order, p, out);
}

/* The keyset page of one side: q is the side's first statement (name asc first, of the
 * eight in SQL_KS_SIDE order: name asc first/after, name desc first/after, since ...). */
static int
side_seek(struct store *s, struct arena *a, int q, int64_t account, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, const char *pattern, const char *key, struct rel_partner_list *out, bool *more)
{
	/* a search's statements take its pattern last (issue 15, item 11), then its index key
	 * (issue 17) */
#define SIDE_Q(...) (key != NULL ? db_q(s, __VA_ARGS__, QT(pattern), QT(key)) \
	: pattern != NULL ? db_q(s, __VA_ARGS__, QT(pattern)) : db_q(s, __VA_ARGS__))
	bool backwards = seek == CUST_LAST || seek == CUST_BEFORE;
	bool scan_desc = desc != backwards;
	int base = q + (by_since ? 4 : 0) + (scan_desc ? 2 : 0);
	struct db_stmt *st = NULL;
	if (seek == CUST_AFTER || seek == CUST_BEFORE) {
		struct db_stmt *k = db_q(s, Q_KS_KEY, QI(id), QI(account));
		if (db_step(k) == DB_ROW)
			st = by_since ? SIDE_Q(base + 1, QI(account), QI(db_i64(k, 2)), QI(id), QI(limit + 1))
			    : SIDE_Q(base + 1, QI(account), QT(arena_strdup(a, db_text(k, q == Q_KS_PRO_NAME_ASC_FIRST ? 1 : 0))),
				QI(id), QI(limit + 1));
		db_done(k);
		if (store_failed(s))
			return -1;
		if (st == NULL) {	/* not on the list (any more): the first page */
			backwards = false;
			base = q + (by_since ? 4 : 0) + (desc ? 2 : 0);
		}
	}
	if (st == NULL)
		st = SIDE_Q(base, QI(account), QI(limit + 1));
#undef SIDE_Q
	if (DB_LIST(s, a, st, limit + 1, out, read_side) < 0)
		return -1;
	*more = (int64_t)out->n > limit;
	if (*more)
		out->n = (size_t)limit;
	if (backwards)
		for (size_t i = 0; i < out->n / 2; i++) {
			struct rel_partner_row t = out->v[i];
			out->v[i] = out->v[out->n - 1 - i];
			out->v[out->n - 1 - i] = t;
		}
	return 0;
}

int
st_resellers_seek(struct store *s, struct arena *a, int64_t provider, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct rel_partner_list *out, bool *more)
{
	return side_seek(s, a, Q_KS_RES_NAME_ASC_FIRST, provider, by_since, desc, seek, id, limit, NULL, NULL, out, more);
}

int
st_resellers_search_seek(struct store *s, struct arena *a, int64_t provider, const char *q, bool by_since, bool desc,
    enum cust_seek seek, int64_t id, int64_t limit, struct rel_partner_list *out, bool *more)
{
	const char *pattern = like_contains(a, q), *key = db_search_key(s, a, q);
	if (pattern == NULL || key == NULL)
		return -1;
	int first = Q_KSQ_RES_NAME_ASC_FIRST;
	if (*key)
		first = q[strspn(q, "0123456789")] == '\0' ? Q_KSM_RES_NAME_ASC_FIRST : Q_KSI_RES_NAME_ASC_FIRST;
	return side_seek(s, a, first, provider, by_since, desc, seek, id, limit, pattern, *key ? key : NULL, out, more);
}

int
st_providers_seek(struct store *s, struct arena *a, int64_t reseller, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct rel_partner_list *out, bool *more)
{
	return side_seek(s, a, Q_KS_PRO_NAME_ASC_FIRST, reseller, by_since, desc, seek, id, limit, NULL, NULL, out, more);
}

static void
read_overview(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct rel_overview *)out = (struct rel_overview){ .id = db_i64(st, 0), .provider_id = db_i64(st, 1),
	    .provider_name = db_dup(a, st, 2), .provider_domain = db_dup(a, st, 3), .reseller_id = db_i64(st, 4),
	    .reseller_name = db_dup(a, st, 5), .reseller_domain = db_dup(a, st, 6), .since = db_i64(st, 7),
	    .admin_access = db_i64(st, 8) != 0, .status = db_rel_status(st, 9), .ended_at = db_i64(st, 10),
	    .end_reason = db_dup(a, st, 11) };
}

int
st_relationships(struct store *s, struct arena *a, int64_t provider, int64_t reseller, struct rel_overview_list *out)
{
	int64_t n = db_int(s, Q_ALL_COUNT, -1, QI(provider), QI(reseller));
	return DB_LIST(s, a, db_q(s, Q_ALL, QI(provider), QI(reseller)), n, out, read_overview);
}

/* ---- invitations ---- */

static void
read_invitation(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct reseller_invitation *)out = (struct reseller_invitation){ .id = db_i64(st, 0),
	    .provider_id = db_i64(st, 1), .email = db_dup(a, st, 2), .message = db_dup(a, st, 3),
	    .created_at = db_i64(st, 4), .sent_at = db_i64(st, 5), .expires_at = db_i64(st, 6),
	    .status = db_inv_status(st, 7), .inviter_name = db_dup(a, st, 8), .inviter_email = db_dup(a, st, 9),
	    .accepted_at = db_i64(st, 10) };
}

int
st_invitation_get(struct store *s, struct arena *a, int64_t id, struct reseller_invitation *out)
{
	return db_one(a, db_q(s, Q_INV_GET, QI(id)), read_invitation, out);
}

int
st_invitations_expire(struct store *s, int64_t provider, int64_t now)
{
	return db_run(s, Q_INV_EXPIRE, QI(provider), QI(now));
}

int64_t
st_invitation_pending_to(struct store *s, int64_t provider, const char *email, int64_t now)
{
	return db_checked(s, db_int(s, Q_INV_PENDING_TO, 0, QI(provider), QT(email), QI(now)));
}

int64_t
st_invitation_insert(struct store *s, int64_t provider, const char *email, const char *message, int64_t by_user,
    int64_t now, int64_t expires)
{
	return db_insert(s, Q_INV_INSERT, QI(provider), QT(email), QT(message), QI(now), QID(by_user), QI(now),
	    QI(expires));
}

int
st_invitation_resend(struct store *s, int64_t id, int64_t provider, int64_t now, int64_t expires)
{
	return db_run(s, Q_INV_RESEND, QI(now), QI(expires), QI(id), QI(provider));
}

int
st_invitation_revoke(struct store *s, int64_t id, int64_t provider, int64_t by_user, int64_t now)
{
	return db_run(s, Q_INV_REVOKE, QID(by_user), QI(now), QI(id), QI(provider));
}

int
st_invitation_accept(struct store *s, int64_t id, int64_t expires, int64_t reseller, int64_t by_user, int64_t now)
{
	return db_run(s, Q_INV_ACCEPT, QID(by_user), QI(now), QI(reseller), QI(id), QI(expires));
}

int64_t
st_invitations_count(struct store *s, int64_t provider)
{
	return db_int(s, Q_INV_COUNT, -1, QI(provider));
}

static void
read_invitation_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct invitation_row *)out = (struct invitation_row){ .id = db_i64(st, 0), .email = db_dup(a, st, 1),
	    .sent_at = db_i64(st, 2), .expires_at = db_i64(st, 3), .state = db_inv_status(st, 4),
	    .reseller = db_dup(a, st, 5) };
}

int
st_invitations_page(struct store *s, struct arena *a, int64_t provider, int64_t now, const struct paging *p,
    struct invitation_list *out)
{
	struct db_stmt *st = db_q(s, Q_INV_PAGE, QI(provider), QI(now), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, p->per_page, out, read_invitation_row);
}

int64_t
st_invitations_count_in(struct store *s, int64_t provider, int64_t now, const char *state)
{
	return db_int(s, Q_INV_COUNT_IN, -1, QI(provider), QI(now), QT(state));
}

int
st_invitations_page_in(struct store *s, struct arena *a, int64_t provider, int64_t now, const char *state,
    const struct paging *p, struct invitation_list *out)
{
	struct db_stmt *st = db_q(s, Q_INV_PAGE_IN, QI(provider), QI(now), QI(p->per_page), QI(p->offset), QT(state));
	return DB_LIST(s, a, st, p->per_page, out, read_invitation_row);
}

/* ---- the directory of providers ---- */

/* Q_DIR_COUNT_<k> or Q_DIR_PAGE_<k> (first: the one of k 0; the two alternate) for f, bound
 * to f's values (a name part the trigram index narrows: k 8-11, its key too) and then n
 * numbers. NULL when a statement failed. */
/* The statement of f's filters from first (Q_DIR_COUNT_0, Q_DIR_PAGE_0, Q_DIR_BACK_0) with nums
 * bound after them; NULL on error, and NULL with *none set when the search's index finds no
 * organization (no statement needed: nothing matches). */
static struct db_stmt *
directory_q(struct store *s, int first, const struct directory_filter *f, const int64_t *nums, size_t n, bool *none)
{
	struct dbv v[6];
	size_t k = 0, bits = 0;
	char key[512] = "";
	*none = false;
	if (f->country != NULL && *f->country)
		v[k++] = QT(f->country), bits |= 1;
	if (f->region != NULL && *f->region)
		v[k++] = QT(f->region), bits |= 2;
	if (f->q != NULL && *f->q) {
		v[k++] = QT(f->q), bits |= 4;
		int64_t found;
		if (!db_search_key_found(s, f->q, key, sizeof(key), &found))
			return NULL;
		if (found == 0) {	/* the name part is in no organization's name */
			*none = true;
			return NULL;
		}
		if (*key)
			v[k++] = QT(key), bits = 8 + (bits & 3);
	}
	for (size_t i = 0; i < n; i++)
		v[k++] = QI(nums[i]);
	return db_qv(s, SQL_THIS_AREA, first + 3 * (int)bits, v, k);
}

int64_t
st_directory_count(struct store *s, const struct directory_filter *f)
{
	bool none;
	struct db_stmt *st = directory_q(s, Q_DIR_COUNT_0, f, NULL, 0, &none);
	if (none)
		return 0;
	int64_t n = db_step(st) == DB_ROW ? db_i64(st, 0) : -1;
	db_done(st);
	return n;
}

static void
read_directory_row(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct directory_row *)out = (struct directory_row){ .name = db_dup(a, st, 0), .mpn = db_dup(a, st, 1),
	    .country = db_dup(a, st, 2), .region = db_dup(a, st, 3), .email = db_dup(a, st, 4),
	    .phone = db_dup(a, st, 5), .website = db_dup(a, st, 6) };
}

int
st_directory_page(struct store *s, struct arena *a, const struct directory_filter *f, const struct paging *p,
    struct directory_list *out)
{
	out->v = NULL;
	out->n = 0;
	if (p->total == 0 || p->offset >= p->total)	/* nothing to read (a search that found none) */
		return 0;
	int64_t n = p->total - p->offset < p->per_page ? p->total - p->offset : p->per_page;
	bool back = p->offset > p->total / 2;
	bool none;
	struct db_stmt *st = directory_q(s, back ? Q_DIR_BACK_0 : Q_DIR_PAGE_0, f,
	    (const int64_t[]){ back ? n : p->per_page, back ? p->total - p->offset - n : p->offset }, 2, &none);
	if (none)
		return 0;
	return DB_LIST(s, a, st, p->per_page, out, read_directory_row);
}

static void
read_region(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct region *)out = (struct region){ .code = db_dup(a, st, 0), .name = db_dup(a, st, 1) };
}

int
st_directory_regions(struct store *s, struct arena *a, struct region_list *out)
{
	return DB_LIST(s, a, db_q0(s, Q_REGIONS), DB_ALL, out, read_region);
}
