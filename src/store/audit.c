/* audit.c — the audit log (store.h, "audit"): writing entries, reading an organization's
 * log for Settings → Audit log and its CSV, and counting recent failed sign-ins (the
 * sign-in throttle counts them in the log itself). */
#include "store/db.h"

/* An empty ?2 / ?3 means any actor / action. */
#define SQL_AUDIT_WHERE " WHERE tenant_id = ?1 AND (?2 = '' OR actor = ?2) AND (?3 = '' OR action = ?3)"

/* The filters' choices: the distinct values of a column, in order, found by stepping through
 * the (tenant_id, <column>) index one value at a time (cheap however long the log). */
#define SQL_AUDIT_DISTINCT(col) \
	"WITH RECURSIVE v(x) AS (SELECT min(" col ") FROM audit WHERE tenant_id = ?1 AND " col " > ''" \
	" UNION ALL SELECT (SELECT min(" col ") FROM audit WHERE tenant_id = ?1 AND " col " > v.x) FROM v" \
	" WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"

/* Failed sign-ins (narrowed by the statement). */
#define SQL_SIGNIN_FAILS "SELECT count(*) FROM audit WHERE action = 'signin' AND outcome = 'failed'"
/* Wrong current passwords on the password change form (pages/account.c writes that detail). */
#define SQL_WRONG_CURRENT "SELECT count(*) FROM audit WHERE action = 'password.change' AND outcome = 'refused'" \
	" AND detail = 'wrong current password'"
/* "Forgot password" requests that were answered by looking the address up (not throttled). */
#define SQL_RESET_REQUESTS "SELECT count(*) FROM audit WHERE action = 'password.reset-request' AND outcome = 'ok'"

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO audit(at, tenant_id, actor_id, actor, action, target, outcome, ip, detail)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM audit" SQL_AUDIT_WHERE) \
	Q(Q_PAGE, 8, "SELECT at, tenant_id, actor, action, target, outcome, ip, detail FROM audit" SQL_AUDIT_WHERE \
	  " ORDER BY id DESC LIMIT ?4 OFFSET ?5") \
	Q(Q_ACTORS, 1, SQL_AUDIT_DISTINCT("actor")) \
	Q(Q_ACTIONS, 1, SQL_AUDIT_DISTINCT("action")) \
	Q(Q_SIGNIN_FAILS_ACTOR, 1, SQL_SIGNIN_FAILS " AND actor = ? AND at > ?") \
	Q(Q_SIGNIN_FAILS_IP, 1, SQL_SIGNIN_FAILS " AND ip = ? AND at > ?") \
	/* The throttles of domain/throttle.c (each on a partial index of schema section 9). */ \
	Q(Q_CRED_FAILS_IP, 1, "SELECT (" SQL_SIGNIN_FAILS " AND ip = ?1 AND at > ?2) + (" SQL_WRONG_CURRENT \
	  " AND ip = ?1 AND at > ?2)") \
	Q(Q_CRED_FAILS_ACTOR_IP, 1, "SELECT (" SQL_SIGNIN_FAILS " AND actor = ?1 AND ip = ?2 AND at > ?3) + (" \
	  SQL_WRONG_CURRENT " AND actor = ?1 AND ip = ?2 AND at > ?3)") \
	Q(Q_CRED_GUESSES_ACTOR, 2, "SELECT count(*), coalesce(max(at), 0) FROM (SELECT at FROM audit" \
	  " WHERE action = 'signin' AND outcome = 'failed' AND detail <> 'throttled' AND actor = ?1 AND at > ?2" \
	  " UNION ALL SELECT at FROM audit WHERE action = 'password.change' AND outcome = 'refused'" \
	  " AND detail = 'wrong current password' AND actor = ?1 AND at > ?2) AS g") \
	Q(Q_SIGNIN_OK_FROM, 1, "SELECT EXISTS (SELECT 1 FROM audit WHERE action = 'signin' AND outcome = 'ok'" \
	  " AND actor = ? AND ip = ? AND at > ?)") \
	Q(Q_RESET_REQUESTS_ACTOR, 1, SQL_RESET_REQUESTS " AND actor = ? AND at > ?") \
	Q(Q_RESET_REQUESTS_IP, 1, SQL_RESET_REQUESTS " AND ip = ? AND at > ?")
SQL_AREA(audit, QUERIES);

int64_t
st_audit_insert(struct store *s, const struct audit_row *e)
{
	return db_insert(s, Q_INSERT, QI(e->at), QID(e->tenant_id), QID(e->actor_id), QTE(e->actor), QT(e->action),
	    QTE(e->target), QT(e->outcome), QTE(e->ip), QTE(e->detail));
}

int64_t
st_audit_count(struct store *s, int64_t tenant, const struct audit_filter *f)
{
	return db_int(s, Q_COUNT, -1, QI(tenant), QTE(f->actor), QTE(f->action));
}

static struct db_stmt *
page_query(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t limit, int64_t offset)
{
	return db_q(s, Q_PAGE, QI(tenant), QTE(f->actor), QTE(f->action), QI(limit), QI(offset));
}

/* The entry in the current row of Q_PAGE; its strings last until the next step. */
static struct audit_row
entry_at(struct db_stmt *st)
{
	return (struct audit_row){ .at = db_i64(st, 0), .tenant_id = db_i64(st, 1), .actor = db_text(st, 2),
	    .action = db_text(st, 3), .target = db_text(st, 4), .outcome = db_text(st, 5), .ip = db_text(st, 6),
	    .detail = db_text(st, 7) };
}

int
st_audit_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t limit, int64_t offset,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	struct db_stmt *st = page_query(s, tenant, f, limit, offset);
	int stop = 0;
	while (stop == 0 && db_step(st) == DB_ROW) {
		struct audit_row row = entry_at(st);
		stop = fn(ctx, &row);
	}
	db_done(st);
	return stop != 0 || store_failed(s) ? -1 : 0;
}

/* The entry, its strings copied into the arena. */
static void
read_entry(struct arena *a, struct db_stmt *st, void *out)
{
	struct audit_row e = entry_at(st);
	*(struct audit_row *)out = (struct audit_row){ .at = e.at, .tenant_id = e.tenant_id,
	    .actor = arena_strdup(a, e.actor), .action = arena_strdup(a, e.action), .target = arena_strdup(a, e.target),
	    .outcome = arena_strdup(a, e.outcome), .ip = arena_strdup(a, e.ip), .detail = arena_strdup(a, e.detail) };
}

int
st_audit_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, int64_t limit,
    int64_t offset, struct audit_list *out)
{
	return DB_LIST(s, a, page_query(s, tenant, f, limit, offset), DB_ALL, out, read_entry);
}

int
st_audit_actors(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out)
{
	return DB_LIST(s, a, db_q(s, Q_ACTORS, QI(tenant)), DB_ALL, out, db_read_text);
}

int
st_audit_actions(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out)
{
	return DB_LIST(s, a, db_q(s, Q_ACTIONS, QI(tenant)), DB_ALL, out, db_read_text);
}

int64_t
st_signin_failures_by_actor(struct store *s, const char *actor, int64_t since)
{
	return db_int(s, Q_SIGNIN_FAILS_ACTOR, -1, QT(actor), QI(since));
}

int64_t
st_signin_failures_by_ip(struct store *s, const char *ip, int64_t since)
{
	return db_int(s, Q_SIGNIN_FAILS_IP, -1, QTE(ip), QI(since));
}

/* ---- the throttles (domain/throttle.c) ---- */

int64_t
st_credential_failures_from(struct store *s, const char *ip, int64_t since)
{
	return db_int(s, Q_CRED_FAILS_IP, -1, QTE(ip), QI(since));
}

int64_t
st_credential_failures_of_at(struct store *s, const char *actor, const char *ip, int64_t since)
{
	return db_int(s, Q_CRED_FAILS_ACTOR_IP, -1, QT(actor), QTE(ip), QI(since));
}

int
st_credential_guesses_of(struct store *s, const char *actor, int64_t since, int64_t *count, int64_t *last)
{
	struct db_stmt *st = db_q(s, Q_CRED_GUESSES_ACTOR, QT(actor), QI(since));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*count = db_i64(st, 0);
		*last = db_i64(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int
st_signin_ok_from(struct store *s, const char *actor, const char *ip, int64_t since)
{
	return (int)db_int(s, Q_SIGNIN_OK_FROM, -1, QT(actor), QTE(ip), QI(since));
}

int64_t
st_reset_requests_of(struct store *s, const char *actor, int64_t since)
{
	return db_int(s, Q_RESET_REQUESTS_ACTOR, -1, QT(actor), QI(since));
}

int64_t
st_reset_requests_from(struct store *s, const char *ip, int64_t since)
{
	return db_int(s, Q_RESET_REQUESTS_IP, -1, QTE(ip), QI(since));
}
