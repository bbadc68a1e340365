/* nav.c — drill-down (issue 15, item 11; store.h, "nav"): one reseller of a provider as its
 * detail page reads it (the relationship, the invitations sent to it, the entries of the
 * provider's log about it). */
#include "store/db.h"

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

#define QUERIES(Q) \
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
