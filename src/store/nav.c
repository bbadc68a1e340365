/* nav.c — drill-down (issue 15, item 11; store.h, "nav"): one reseller of a provider as its
 * detail page reads it (the relationship, the invitations sent to it, the entries of the
 * provider's log about it). */
#include "store/db.h"

#include "base/paging.h"
#include "base/util.h"

/* The reseller's side of relationship ?1: the relationship, its organization, MPN IDs and
 * country, the two accounts, its state and primary domain. */
#define SQL_RESELLER_ONE "SELECT r.id, t.id, t.name, " SQL_MPN_LIST ", c.name, r.since, r.admin_access," \
	" coalesce(r.admin_removed_at, 0), r.provider_id, r.reseller_id, r.status, t.domain" \
	" FROM provider_relationships r JOIN partner_accounts a ON a.id = r.reseller_id" \
	" JOIN tenants t ON t.id = a.tenant_id JOIN countries c ON c.code = t.country WHERE r.id = ?1"

/* Provider ?1's invitations that reached reseller account ?2 (accepted by it) or went to an
 * address of its primary domain (?3: "@domain", compared as the address's end: no pattern,
 * so nothing in a domain acts as a wildcard), their state at ?4, newest first, at most ?5. */
#define SQL_RESELLER_INVS "SELECT i.id, i.email, i.sent_at, i.expires_at," \
	" CASE WHEN i.status = 'pending' AND i.expires_at <= ?4 THEN 'expired' ELSE i.status END, coalesce(t.name, '')" \
	" FROM reseller_invitations i LEFT JOIN partner_accounts a ON a.id = i.reseller_id" \
	" LEFT JOIN tenants t ON t.id = a.tenant_id WHERE i.provider_id = ?1 AND (i.reseller_id = ?2" \
	" OR (length(i.email) > length(?3) AND lower(substr(i.email, length(i.email) - length(?3) + 1)) = lower(?3)))" \
	" ORDER BY i.id DESC LIMIT ?5"

/* Entries of organization ?1's log whose target is ?2 (the reseller's name: the provider's
 * entries about it name it so), refusals left out, newest first, at most ?3 (audit.c's row). */
#define SQL_TARGET_EVENTS "SELECT id, at, tenant_id, actor, action, target, outcome, ip, detail," \
	" coalesce((SELECT u.name FROM users u WHERE u.id = audit.actor_id), '') FROM audit" \
	" WHERE tenant_id = ?1 AND target = ?2 AND outcome <> 'refused' ORDER BY id DESC LIMIT ?3"

/* Users of tenant ?1 whose name or email contains the search (parameter n: a LIKE pattern of
 * like_contains, any case). The page: users.c's orders (?2 'name' or 'email', ?3 'asc' or
 * 'desc'), the pattern ?4, ?5 rows from ?6. */
#define SQL_USERS_SEARCH(n) " FROM users WHERE tenant_id = ?1" \
	" AND (lower(name) LIKE lower(" n ") ESCAPE '\\' OR lower(email) LIKE lower(" n ") ESCAPE '\\')"

/* The Overview's counts (item 11), read only when asked (-1 otherwise; CASE evaluates only the
 * branch taken): ?1 the organization; ?2 its provider account (0: not asked) for its resellers,
 * its pending invitations to resellers and its resellers without the current agreement (none
 * published: none); ?3 its reseller account (0: not asked) for its pending customer invitations;
 * ?4 now; ?6 / ?7 = 1: its customers / users. Customers and resellers are the counts the writes
 * keep (partner_counts, schema section 30: exact, one row); the others are counted, each capped
 * at ?5 rows (LIMIT: a long list costs no more than the cap; invitations expire by the clock,
 * so no write could keep their count). */
#define SQL_CAPPED(what) "(SELECT count(*) FROM (" what " LIMIT ?5) AS capped)"
#define SQL_KEPT(col) "coalesce((SELECT " col " FROM partner_counts WHERE tenant_id = ?1), 0)"
#define SQL_OVERVIEW "SELECT" \
	" CASE WHEN ?6 = 1 THEN " SQL_KEPT("customers") " ELSE -1 END," \
	" CASE WHEN ?2 <> 0 THEN " SQL_KEPT("resellers") " ELSE -1 END," \
	" CASE WHEN ?7 = 1 THEN " SQL_CAPPED("SELECT id FROM users WHERE tenant_id = ?1") " ELSE -1 END," \
	" CASE WHEN ?2 <> 0 THEN " SQL_CAPPED("SELECT id FROM reseller_invitations WHERE provider_id = ?2" \
	"   AND status = 'pending' AND expires_at > ?4") " ELSE -1 END," \
	" CASE WHEN ?3 <> 0 THEN " SQL_CAPPED("SELECT id FROM customer_invitations WHERE reseller_id = ?3" \
	"   AND status = 'pending' AND expires_at > ?4") " ELSE -1 END," \
	" CASE WHEN ?2 = 0 THEN -1 WHEN NOT EXISTS (SELECT 1 FROM agreement_versions) THEN 0" \
	"   ELSE " SQL_KEPT("resellers - resellers_current") " END"

#define QUERIES(Q) \
	Q(Q_OVERVIEW, 6, SQL_OVERVIEW) \
	Q(Q_USERS_SEARCH_COUNT, 1, "SELECT count(*)" SQL_USERS_SEARCH("?2")) \
	Q(Q_USERS_SEARCH_PAGE, 7, "SELECT id, tenant_id, name, email, roles, pw_hash IS NOT NULL, pw_changed_at IS NOT NULL" \
	  SQL_USERS_SEARCH("?4") " ORDER BY CASE WHEN ?2 = 'name' AND ?3 = 'asc' THEN name END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'name' AND ?3 = 'desc' THEN name END COLLATE NOCASE DESC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'asc' THEN email END COLLATE NOCASE ASC," \
	  " CASE WHEN ?2 = 'email' AND ?3 = 'desc' THEN email END COLLATE NOCASE DESC," \
	  " id LIMIT ?5 OFFSET ?6") \
	Q(Q_RESELLER_ONE, 12, SQL_RESELLER_ONE) \
	Q(Q_RESELLER_INVS, 6, SQL_RESELLER_INVS) \
	Q(Q_TARGET_EVENTS, 10, SQL_TARGET_EVENTS)
SQL_AREA(nav, QUERIES);

static void
read_reseller(struct arena *a, struct db_stmt *st, void *out)
{
	struct reseller_one *o = out;
	o->row = (struct rel_partner_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1), .name = db_dup(a, st, 2),
	    .mpn = db_dup(a, st, 3), .country = db_dup(a, st, 4), .since = db_i64(st, 5),
	    .admin_access = db_i64(st, 6) != 0, .removed_at = db_i64(st, 7), .removed_by = "" };
	o->provider_id = db_i64(st, 8);
	o->reseller_id = db_i64(st, 9);
	o->status = db_rel_status(st, 10);
	o->domain = db_dup(a, st, 11);
}

int
st_reseller_one(struct store *s, struct arena *a, int64_t id, struct reseller_one *out)
{
	return db_one(a, db_q(s, Q_RESELLER_ONE, QI(id)), read_reseller, out);
}

static void
read_inv(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct invitation_row *)out = (struct invitation_row){ .id = db_i64(st, 0), .email = db_dup(a, st, 1),
	    .sent_at = db_i64(st, 2), .expires_at = db_i64(st, 3), .state = db_inv_status(st, 4),
	    .reseller = db_dup(a, st, 5) };
}

int
st_reseller_invitations(struct store *s, struct arena *a, int64_t provider, int64_t reseller, const char *domain,
    int64_t now, int64_t max, struct invitation_list *out)
{
	const char *at = arena_printf(a, "@%s", domain);
	if (at == NULL)
		return -1;
	return DB_LIST(s, a, db_q(s, Q_RESELLER_INVS, QI(provider), QI(reseller), QT(at), QI(now), QI(max)), max, out,
	    read_inv);
}

static void
read_event(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct audit_row *)out = (struct audit_row){ .id = db_i64(st, 0), .at = db_i64(st, 1),
	    .tenant_id = db_i64(st, 2), .actor = db_dup(a, st, 3), .action = db_dup(a, st, 4),
	    .target = db_dup(a, st, 5), .outcome = db_dup(a, st, 6), .ip = db_dup(a, st, 7), .detail = db_dup(a, st, 8),
	    .actor_name = db_dup(a, st, 9) };
}

int
st_audit_about(struct store *s, struct arena *a, int64_t tenant, const char *target, int64_t max,
    struct audit_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_TARGET_EVENTS, QI(tenant), QT(target), QI(max)), max, out, read_event);
}

/* ---- search (issue 15, item 11) ---- */

int64_t
st_users_search_count(struct store *s, struct arena *a, int64_t tenant, const char *search)
{
	const char *pattern = like_contains(a, search);
	if (pattern == NULL)
		return -1;
	return db_int(s, Q_USERS_SEARCH_COUNT, -1, QI(tenant), QT(pattern));
}

static void
read_user_pw(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct user_row *)out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .email = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4),
	    .has_password = db_i64(st, 5) != 0, .had_password = db_i64(st, 6) != 0 };
}

int
st_users_search_page(struct store *s, struct arena *a, int64_t tenant, const char *search, enum user_order order,
    bool desc, const struct paging *p, struct user_list *out)
{
	const char *pattern = like_contains(a, search);
	if (pattern == NULL)
		return -1;
	struct db_stmt *st = db_q(s, Q_USERS_SEARCH_PAGE, QI(tenant), QT(order == USER_ORDER_EMAIL ? "email" : "name"),
	    QT(desc ? "desc" : "asc"), QT(pattern), QI(p->per_page), QI(p->offset));
	return DB_LIST(s, a, st, p->per_page > 0 ? p->per_page : 0, out, read_user_pw);
}

/* ---- the Overview's counts (issue 15, item 11) ---- */

int
st_overview_counts(struct store *s, int64_t tenant, int64_t provider, int64_t reseller, bool customers, bool users,
    int64_t now, int64_t cap, struct overview_counts *out)
{
	struct db_stmt *st = db_q(s, Q_OVERVIEW, QI(tenant), QI(provider), QI(reseller), QI(now), QI(cap),
	    QI(customers), QI(users));
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = (struct overview_counts){ .customers = db_i64(st, 0), .resellers = db_i64(st, 1),
		    .users = db_i64(st, 2), .reseller_invitations = db_i64(st, 3), .customer_invitations = db_i64(st, 4),
		    .unsigned_resellers = db_i64(st, 5) };
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}
