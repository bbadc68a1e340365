/* timeline.c — one timeline per relationship (store.h, "timeline"; issue 13): a relationship's
 * two organizations, and the entries of their audit logs that name it (schema 22's
 * audit.rel_kind, rel_id).
 *
 * The events are read by the index audit_relationship (rel_kind, rel_id, id): the
 * relationship's entries in id order, from the cursor down, so that a page reads its LIMIT
 * rows whatever the length of either log; the two organizations' logs are a residual filter
 * on those rows (an entry a third log holds about it — the program team's — is never shown). */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* The columns of an entry (as store/audit.c reads them: the actor's name now). */
#define SQL_EVENT_COLS "SELECT id, at, tenant_id, actor, action, target, outcome, ip, detail," \
	" coalesce((SELECT u.name FROM users u WHERE u.id = audit.actor_id), '') FROM audit"

#define QUERIES(Q) \
	Q(Q_SIDES_RESELLER, 6, "SELECT pa.tenant_id, ra.tenant_id, pt.name, rt.name, '', r.since" \
	  " FROM provider_relationships r JOIN partner_accounts pa ON pa.id = r.provider_id" \
	  " JOIN partner_accounts ra ON ra.id = r.reseller_id JOIN tenants pt ON pt.id = pa.tenant_id" \
	  " JOIN tenants rt ON rt.id = ra.tenant_id WHERE r.id = ?") \
	Q(Q_SIDES_CUSTOMER, 6, "SELECT pa.tenant_id, c.customer_tenant_id, pt.name, ct.name, '', c.since" \
	  " FROM customer_relationships c JOIN partner_accounts pa ON pa.id = c.partner_id" \
	  " JOIN tenants pt ON pt.id = pa.tenant_id JOIN tenants ct ON ct.id = c.customer_tenant_id WHERE c.id = ?") \
	Q(Q_SIDES_DELEGATED, 6, "SELECT d.partner_tenant_id, d.customer_tenant_id, pt.name, ct.name, d.name," \
	  " d.created_at FROM delegated_admins d JOIN tenants pt ON pt.id = d.partner_tenant_id" \
	  " JOIN tenants ct ON ct.id = d.customer_tenant_id WHERE d.id = ?") \
	/* kind, id, the two logs, the cursor (older than), the limit */ \
	Q(Q_EVENTS, 10, SQL_EVENT_COLS " WHERE rel_kind = ? AND rel_id = ? AND tenant_id IN (?, ?) AND id < ?" \
	  " ORDER BY id DESC LIMIT ?") \
	Q(Q_LINKS_SINCE, 1, "SELECT value FROM program_settings WHERE name = 'relationship_links_since'") \
	/* the entries about an invitation become the relationship's it made (by the same index) */ \
	Q(Q_RELINK, 0, "UPDATE audit SET rel_kind = ?, rel_id = ? WHERE rel_kind = ? AND rel_id = ?")
SQL_AREA(timeline, QUERIES);

int
st_rel_sides(struct store *s, struct arena *a, const char *kind, int64_t id, struct rel_sides *out)
{
	int q = strcmp(kind, "reseller") == 0 ? Q_SIDES_RESELLER : strcmp(kind, "customer") == 0 ? Q_SIDES_CUSTOMER
	    : strcmp(kind, "delegated") == 0 ? Q_SIDES_DELEGATED : -1;
	if (q < 0)
		return 0;
	struct db_stmt *st = db_qv(s, SQL_THIS_AREA, q, (const struct dbv[]){ QI(id) }, 1);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = (struct rel_sides){ .a_tenant = db_i64(st, 0), .b_tenant = db_i64(st, 1), .a_name = db_dup(a, st, 2),
			.b_name = db_dup(a, st, 3), .name = db_dup(a, st, 4), .since = db_i64(st, 5) };
	db_done(st);
	return db_found(rc);
}

/* The entry in the current row; its strings last until the next step. */
static struct audit_row
event_at(struct db_stmt *st)
{
	return (struct audit_row){ .id = db_i64(st, 0), .at = db_i64(st, 1), .tenant_id = db_i64(st, 2),
	    .actor = db_text(st, 3), .action = db_text(st, 4), .target = db_text(st, 5), .outcome = db_text(st, 6),
	    .ip = db_text(st, 7), .detail = db_text(st, 8), .actor_name = db_text(st, 9) };
}

static void
read_event(struct arena *a, struct db_stmt *st, void *out)
{
	struct audit_row e = event_at(st);
	*(struct audit_row *)out = (struct audit_row){ .id = e.id, .at = e.at, .tenant_id = e.tenant_id,
	    .actor = arena_strdup(a, e.actor), .action = arena_strdup(a, e.action), .target = arena_strdup(a, e.target),
	    .outcome = arena_strdup(a, e.outcome), .ip = arena_strdup(a, e.ip), .detail = arena_strdup(a, e.detail),
	    .actor_name = arena_strdup(a, e.actor_name) };
}

static struct db_stmt *
events_q(struct store *s, const char *kind, int64_t id, int64_t t1, int64_t t2, int64_t before, int64_t limit)
{
	return db_q(s, Q_EVENTS, QT(kind), QI(id), QI(t1), QI(t2), QI(before > 0 ? before : INT64_MAX), QI(limit));
}

int
st_rel_events(struct store *s, struct arena *a, const char *kind, int64_t id, int64_t t1, int64_t t2,
    int64_t before, int64_t limit, struct audit_list *out)
{
	return DB_LIST(s, a, events_q(s, kind, id, t1, t2, before, limit), limit, out, read_event);
}

int
st_rel_events_each(struct store *s, const char *kind, int64_t id, int64_t t1, int64_t t2, int64_t limit,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	struct db_stmt *st = events_q(s, kind, id, t1, t2, 0, limit);
	int stop = 0;
	while (stop == 0 && db_step(st) == DB_ROW) {
		struct audit_row row = event_at(st);
		stop = fn(ctx, &row);
	}
	db_done(st);
	return stop != 0 || store_failed(s) ? -1 : 0;
}

int64_t
st_rel_links_since(struct store *s)
{
	struct db_stmt *st = db_q0(s, Q_LINKS_SINCE);
	int64_t v = 0;
	if (db_step(st) == DB_ROW)
		v = strtoll(db_text(st, 0), NULL, 10);
	db_done(st);
	return store_failed(s) ? -1 : v;
}

int
st_rel_relink(struct store *s, const char *from_kind, int64_t from_id, const char *to_kind, int64_t to_id)
{
	return db_run(s, Q_RELINK, QT(to_kind), QI(to_id), QT(from_kind), QI(from_id));
}
