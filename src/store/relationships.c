/* relationships.c — indirect providers and their indirect resellers: the relationships,
 * the provider's invitations, and the public directory of providers (store.h,
 * "relationships"). */
#include "store/db.h"

#include "base/paging.h"

/* A provider's resellers, a reseller's providers: one side's active relationships r with
 * the other side's account a (r.<other>), its organization t and country c, and who
 * removed the administrator access (removed_by); a page of them in one of four orders. */
#define SQL_SIDE(removed_by, other) "SELECT r.id, t.id, t.name, " SQL_MPN_LIST ", c.name, r.since, r.admin_access," \
	" coalesce(r.admin_removed_at, 0), " removed_by \
	" FROM provider_relationships r JOIN partner_accounts a ON a.id = r." other " JOIN tenants t ON t.id = a.tenant_id" \
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

/* Find a provider: ?1 name part (matched anywhere in the name with instr, PostgreSQL's
 * strpos, so % and _ are plain characters; case-insensitive for ASCII letters, as SQLite's
 * lower() folds only those), ?2 country, ?3 region ('' = any). */
#define SQL_DIRECTORY_FROM " FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id" \
	" JOIN countries c ON c.code = t.country JOIN regions g ON g.code = c.region" \
	" WHERE a.type = 'indirect_provider' AND a.status = 'approved'" \
	" AND (?1 = '' OR " SQL_LITE_PG("instr", "strpos") "(lower(t.name), lower(?1)) > 0) AND (?2 = '' OR t.country = ?2) AND (?3 = '' OR c.region = ?3)"

/* Invitation ?3 of provider ?4, while it can still be sent again or revoked. */
#define SQL_INV_OPEN " WHERE id = ?3 AND provider_id = ?4 AND status IN ('pending', 'expired')"

#define QUERIES(Q) \
	Q(Q_ACTIVE_ID, 1, "SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ? AND status = 'active'") \
	Q(Q_ANY_ID, 1, "SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ? ORDER BY id DESC LIMIT 1") \
	Q(Q_GET, 7, "SELECT r.id, r.provider_id, r.reseller_id, r.status, r.admin_access, coalesce(r.admin_removed_at, 0), t.name" \
	  " FROM provider_relationships r JOIN partner_accounts a ON a.id = r.provider_id JOIN tenants t ON t.id = a.tenant_id" \
	  " WHERE r.id = ?") \
	Q(Q_INSERT, 0, "INSERT INTO provider_relationships(provider_id, reseller_id, invitation_id, since, authorized_by)" \
	  " VALUES (?, ?, ?, ?, ?)") \
	Q(Q_REMOVE_ACCESS, 0, "UPDATE provider_relationships SET admin_access = 0, admin_removed_by = ?1, admin_removed_at = ?2" \
	  " WHERE id = ?3 AND reseller_id = ?4 AND status = 'active' AND admin_access = 1") \
	Q(Q_END, 0, "UPDATE provider_relationships SET status = 'ended', ended_at = ?1, end_reason = ?2" \
	  " WHERE id = ?3 AND status = 'active'") \
	Q(Q_RESELLERS_COUNT, 1, "SELECT count(*) FROM provider_relationships WHERE provider_id = ? AND status = 'active'") \
	Q(Q_RESELLERS_NAME_ASC, 9, SQL_RESELLERS SQL_BY_NAME_ASC) \
	Q(Q_RESELLERS_NAME_DESC, 9, SQL_RESELLERS SQL_BY_NAME_DESC) \
	Q(Q_RESELLERS_SINCE_ASC, 9, SQL_RESELLERS SQL_BY_SINCE_ASC) \
	Q(Q_RESELLERS_SINCE_DESC, 9, SQL_RESELLERS SQL_BY_SINCE_DESC) \
	Q(Q_PROVIDERS_COUNT, 1, "SELECT count(*) FROM provider_relationships WHERE reseller_id = ? AND status = 'active'") \
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
	Q(Q_DIRECTORY_COUNT, 1, "SELECT count(*)" SQL_DIRECTORY_FROM) \
	Q(Q_DIRECTORY_PAGE, 7, "SELECT t.name, " SQL_MPN_LIST ", c.name, g.name, a.support_email, a.support_phone," \
	  " a.support_website" SQL_DIRECTORY_FROM " ORDER BY t.name COLLATE NOCASE ASC, a.id ASC LIMIT ?4 OFFSET ?5") \
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

int64_t
st_resellers_count(struct store *s, int64_t provider)
{
	return db_int(s, Q_RESELLERS_COUNT, -1, QI(provider));
}

int
st_resellers_page(struct store *s, struct arena *a, int64_t provider, enum rel_order order, const struct paging *p,
    struct rel_partner_list *out)
{
	return side_page(s, a, reseller_orders, provider, order, p, out);
}

int64_t
st_providers_count(struct store *s, int64_t reseller)
{
	return db_int(s, Q_PROVIDERS_COUNT, -1, QI(reseller));
}

int
st_providers_page(struct store *s, struct arena *a, int64_t reseller, enum rel_order order, const struct paging *p,
    struct rel_partner_list *out)
{
	return side_page(s, a, provider_orders, reseller, order, p, out);
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

/* ---- the directory of providers ---- */

int64_t
st_directory_count(struct store *s, const struct directory_filter *f)
{
	return db_int(s, Q_DIRECTORY_COUNT, -1, QT(f->q), QT(f->country), QT(f->region));
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
	struct db_stmt *st = db_q(s, Q_DIRECTORY_PAGE, QT(f->q), QT(f->country), QT(f->region), QI(p->per_page),
	    QI(p->offset));
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
