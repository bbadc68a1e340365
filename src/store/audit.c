/* audit.c — the audit log (store.h, "audit"): writing entries, reading an organization's
 * log for Settings → Audit log and its CSV, and counting recent failed sign-ins (the
 * sign-in throttle counts them in the log itself). */
#include "store/db.h"

/* Reading a log: one statement per filter combination (none, actor, action, both), each a
 * plain conjunction, so the index of that combination gives the filter and the order by id
 * (audit_tenant, audit_tenant_actor, audit_tenant_action, and schema section 11's
 * audit_tenant_actor_action): "(?2 = '' OR actor = ?2)" made SQLite scan the organization's
 * whole log instead. Parameters: the tenant, the filter's values, then two numbers. */
/* Then, in each (issue 15), the date range and the refusals: residual conditions on the rows
 * the index gives (the range is from 0 to the largest time when not asked; the outcome to
 * leave out '' when refusals are shown), so each combination keeps its index and order. */
#define SQL_W_REST " AND at >= ? AND at < ? AND outcome <> ?"
#define SQL_W_ANY " WHERE tenant_id = ?" SQL_W_REST
#define SQL_W_ACTOR " WHERE tenant_id = ? AND actor = ?" SQL_W_REST
#define SQL_W_ACTION " WHERE tenant_id = ? AND action = ?" SQL_W_REST
#define SQL_W_BOTH " WHERE tenant_id = ? AND actor = ? AND action = ?" SQL_W_REST
/* The actor's name (issue 15: the log's sentences say "Nora North", not her address). */
#define SQL_COLS "SELECT id, at, tenant_id, actor, action, target, outcome, ip, detail," \
	" coalesce((SELECT u.name FROM users u WHERE u.id = audit.actor_id), '') FROM audit"
/* ..., the cursor, the limit: older than the cursor, newest first. */
#define SQL_OLDER(w) SQL_COLS w " AND id < ? ORDER BY id DESC LIMIT ?"
/* ..., the cursor, the limit: newer than the cursor, oldest first. */
#define SQL_NEWER(w) SQL_COLS w " AND id > ? ORDER BY id ASC LIMIT ?"
/* ..., the limit, the offset: the page's ids first (from the index alone), then their rows. */
#define SQL_SKIP(w) SQL_COLS " WHERE id IN (SELECT id FROM audit" w " ORDER BY id DESC LIMIT ? OFFSET ?)" \
	" ORDER BY id DESC"
/* ..., the cap: how many, counting at most cap. */
#define SQL_COUNT(w) "SELECT count(*) FROM (SELECT id FROM audit" w " LIMIT ?) AS capped"

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
	Q(Q_INSERT, 0, "INSERT INTO audit(at, tenant_id, actor_id, actor, action, target, outcome, ip, detail," \
	  " rel_kind, rel_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_OLDER_ANY, 10, SQL_OLDER(SQL_W_ANY)) \
	Q(Q_OLDER_ACTOR, 10, SQL_OLDER(SQL_W_ACTOR)) \
	Q(Q_OLDER_ACTION, 10, SQL_OLDER(SQL_W_ACTION)) \
	Q(Q_OLDER_BOTH, 10, SQL_OLDER(SQL_W_BOTH)) \
	Q(Q_NEWER_ANY, 10, SQL_NEWER(SQL_W_ANY)) \
	Q(Q_NEWER_ACTOR, 10, SQL_NEWER(SQL_W_ACTOR)) \
	Q(Q_NEWER_ACTION, 10, SQL_NEWER(SQL_W_ACTION)) \
	Q(Q_NEWER_BOTH, 10, SQL_NEWER(SQL_W_BOTH)) \
	Q(Q_SKIP_ANY, 10, SQL_SKIP(SQL_W_ANY)) \
	Q(Q_SKIP_ACTOR, 10, SQL_SKIP(SQL_W_ACTOR)) \
	Q(Q_SKIP_ACTION, 10, SQL_SKIP(SQL_W_ACTION)) \
	Q(Q_SKIP_BOTH, 10, SQL_SKIP(SQL_W_BOTH)) \
	Q(Q_COUNT_ANY, 1, SQL_COUNT(SQL_W_ANY)) \
	Q(Q_COUNT_ACTOR, 1, SQL_COUNT(SQL_W_ACTOR)) \
	Q(Q_COUNT_ACTION, 1, SQL_COUNT(SQL_W_ACTION)) \
	Q(Q_COUNT_BOTH, 1, SQL_COUNT(SQL_W_BOTH)) \
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
	    QTE(e->target), QT(e->outcome), QTE(e->ip), QTE(e->detail),
	    e->rel_id > 0 && e->rel_kind != NULL ? QT(e->rel_kind) : QNULL, QID(e->rel_id > 0 && e->rel_kind != NULL ? e->rel_id : 0));
}

/* Binds tenant and filter f's values into v (room for them and the numbers after); returns
 * how many, and in *offset which of a kind's four statements (any, actor, action, both) f
 * needs. */
static size_t
filter_values(struct dbv *v, int64_t tenant, const struct audit_filter *f, int *offset)
{
	bool actor = f->actor != NULL && *f->actor, action = f->action != NULL && *f->action;
	size_t n = 0;
	v[n++] = QI(tenant);
	if (actor)
		v[n++] = QT(f->actor);
	if (action)
		v[n++] = QT(f->action);
	v[n++] = QI(f->from > 0 ? f->from : 0);
	v[n++] = QI(f->until > 0 ? f->until : INT64_MAX);
	v[n++] = QT(f->hide_refused ? "refused" : "");
	*offset = (actor ? 1 : 0) + (action ? 2 : 0);
	return n;
}

/* The statement of kind (the first of its four) for filter f, bound to tenant, f's values
 * and the numbers x and y. */
static struct db_stmt *
filtered_q(struct store *s, int kind, int64_t tenant, const struct audit_filter *f, int64_t x, int64_t y)
{
	struct dbv v[8];
	int offset;
	size_t n = filter_values(v, tenant, f, &offset);
	v[n++] = QI(x);
	v[n++] = QI(y);
	return db_qv(s, SQL_THIS_AREA, kind + offset, v, n);
}

int64_t
st_audit_count(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t cap)
{
	struct dbv v[7];
	int offset;
	size_t n = filter_values(v, tenant, f, &offset);
	v[n++] = QI(cap);
	struct db_stmt *st = db_qv(s, SQL_THIS_AREA, Q_COUNT_ANY + offset, v, n);
	int64_t count = db_step(st) == DB_ROW ? db_i64(st, 0) : -1;
	db_done(st);
	return count;
}

static struct db_stmt *
page_query(struct store *s, int64_t tenant, const struct audit_filter *f, enum audit_seek seek, int64_t x,
    int64_t limit)
{
	switch (seek) {
	case AUDIT_NEWER_THAN:
		return filtered_q(s, Q_NEWER_ANY, tenant, f, x, limit);
	case AUDIT_OFFSET:
		return filtered_q(s, Q_SKIP_ANY, tenant, f, limit, x);
	case AUDIT_OLDER_THAN:
	default:
		return filtered_q(s, Q_OLDER_ANY, tenant, f, x > 0 ? x : INT64_MAX, limit);
	}
}

/* The entry in the current row of a page's statement; its strings last until the next step. */
static struct audit_row
entry_at(struct db_stmt *st)
{
	return (struct audit_row){ .id = db_i64(st, 0), .at = db_i64(st, 1), .tenant_id = db_i64(st, 2),
	    .actor = db_text(st, 3), .action = db_text(st, 4), .target = db_text(st, 5), .outcome = db_text(st, 6),
	    .ip = db_text(st, 7), .detail = db_text(st, 8), .actor_name = db_text(st, 9) };
}

/* Issue 17: the download's rows in statements of AUDIT_EACH_ROWS, each after the last id the
 * one before gave (keyset): the engine's memory stays that of one batch whatever the number
 * of rows (PostgreSQL holds a statement's whole result), and the caller can write out what it
 * made of one batch before the next is read. The request's read transaction keeps every
 * batch in one snapshot. */
#define AUDIT_EACH_ROWS 1000

int
st_audit_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t limit,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	int stop = 0;
	int64_t after = 0, left = limit;	/* after: the last id read (0: none yet) */
	while (stop == 0 && left > 0) {
		int64_t want = left < AUDIT_EACH_ROWS ? left : AUDIT_EACH_ROWS, got = 0;
		struct db_stmt *st = page_query(s, tenant, f, AUDIT_OLDER_THAN, after, want);
		while (stop == 0 && db_step(st) == DB_ROW) {
			struct audit_row row = entry_at(st);
			after = row.id;
			got++;
			stop = fn(ctx, &row);
		}
		db_done(st);
		if (got < want || store_failed(s))
			break;
		left -= got;
	}
	return stop != 0 || store_failed(s) ? -1 : 0;
}

/* The entry, its strings copied into the arena. */
static void
read_entry(struct arena *a, struct db_stmt *st, void *out)
{
	struct audit_row e = entry_at(st);
	*(struct audit_row *)out = (struct audit_row){ .id = e.id, .at = e.at, .tenant_id = e.tenant_id,
	    .actor = arena_strdup(a, e.actor), .action = arena_strdup(a, e.action), .target = arena_strdup(a, e.target),
	    .outcome = arena_strdup(a, e.outcome), .ip = arena_strdup(a, e.ip), .detail = arena_strdup(a, e.detail),
	    .actor_name = arena_strdup(a, e.actor_name) };
}

int
st_audit_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, enum audit_seek seek,
    int64_t x, int64_t limit, struct audit_list *out)
{
	return DB_LIST(s, a, page_query(s, tenant, f, seek, x, limit), limit, out, read_entry);
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
