/* audit.c — the audit log (store.h, "audit"): writing entries, reading an organization's
 * log for Settings → Audit log and its CSV, and counting recent failed sign-ins (the
 * sign-in throttle counts them in the log itself). */
#define SQL_THIS_AREA AREA_audit
#include "store/db.h"

/* An empty ?2 / ?3 means any actor / action. */
#define SQL_AUDIT_WHERE " WHERE tenant_id = ?1 AND (?2 = '' OR actor = ?2) AND (?3 = '' OR action = ?3)"

/* The filters' choices: the distinct values of a column, in order, found by stepping through
 * the (tenant_id, <column>) index one value at a time (cheap however long the log). */
#define SQL_AUDIT_DISTINCT(col) \
	"WITH RECURSIVE v(x) AS (SELECT min(" col ") FROM audit WHERE tenant_id = ?1 AND " col " > ''" \
	" UNION ALL SELECT (SELECT min(" col ") FROM audit WHERE tenant_id = ?1 AND " col " > v.x) FROM v" \
	" WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO audit(at, tenant_id, actor_id, actor, action, target, outcome, ip, detail)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_COUNT, 1, "SELECT count(*) FROM audit" SQL_AUDIT_WHERE) \
	Q(Q_PAGE, 7, "SELECT at, actor, action, target, outcome, ip, detail FROM audit" SQL_AUDIT_WHERE \
	  " ORDER BY id DESC LIMIT ?4 OFFSET ?5") \
	Q(Q_ACTORS, 1, SQL_AUDIT_DISTINCT("actor")) \
	Q(Q_ACTIONS, 1, SQL_AUDIT_DISTINCT("action")) \
	Q(Q_SIGNIN_FAILS_ACTOR, 1, \
	  "SELECT count(*) FROM audit WHERE action = 'signin' AND outcome = 'failed' AND actor = ? AND at > ?") \
	Q(Q_SIGNIN_FAILS_IP, 1, \
	  "SELECT count(*) FROM audit WHERE action = 'signin' AND outcome = 'failed' AND ip = ? AND at > ?")
SQL_AREA(audit, QUERIES);

int64_t
st_audit_insert(struct store *s, const struct audit_row *e)
{
	return db_insert(s, Q_INSERT, QI(e->at), QID(e->tenant_id), QID(e->actor_id), QT(e->actor ? e->actor : ""),
	    QT(e->action), QT(e->target ? e->target : ""), QT(e->outcome), QT(e->ip ? e->ip : ""),
	    QT(e->detail ? e->detail : ""));
}

static const char *
or_any(const char *s)
{
	return s != NULL ? s : "";
}

int64_t
st_audit_count(struct store *s, int64_t tenant, const struct audit_filter *f)
{
	return db_int(s, Q_COUNT, -1, QI(tenant), QT(or_any(f->actor)), QT(or_any(f->action)));
}

int
st_audit_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t limit, int64_t offset,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	sqlite3_stmt *st = db_q(s, Q_PAGE, QI(tenant), QT(or_any(f->actor)), QT(or_any(f->action)), QI(limit),
	    QI(offset));
	int stop = 0;
	while (stop == 0 && db_step(st) == SQLITE_ROW) {
		struct audit_row row = { .at = db_i64(st, 0), .tenant_id = tenant, .actor = db_text(st, 1),
		    .action = db_text(st, 2), .target = db_text(st, 3), .outcome = db_text(st, 4), .ip = db_text(st, 5),
		    .detail = db_text(st, 6) };
		stop = fn(ctx, &row);
	}
	db_done(st);
	return stop != 0 || store_failed(s) ? -1 : 0;
}

struct page_reader {
	struct arena *a;
	struct audit_list *out;
	size_t cap;
};

/* Copies one row into the arena list. */
static int
keep_row(void *ctx, const struct audit_row *row)
{
	struct page_reader *pr = ctx;
	struct arena *a = pr->a;
	struct audit_list *out = pr->out;
	struct audit_row *v = arena_grow(a, out->v, out->n, &pr->cap, sizeof(*v), 16);
	if (v == NULL)
		return -1;
	out->v = v;
	v[out->n++] = (struct audit_row){ .at = row->at, .tenant_id = row->tenant_id, .actor = arena_strdup(a, row->actor),
	    .action = arena_strdup(a, row->action), .target = arena_strdup(a, row->target),
	    .outcome = arena_strdup(a, row->outcome), .ip = arena_strdup(a, row->ip), .detail = arena_strdup(a, row->detail) };
	return 0;
}

int
st_audit_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, int64_t limit,
    int64_t offset, struct audit_list *out)
{
	struct page_reader pr = { a, out, 0 };
	out->v = NULL;
	out->n = 0;
	return st_audit_each(s, tenant, f, limit, offset, keep_row, &pr);
}

/* Reads the one-column rows of st into out. */
static int
read_values(struct store *s, struct arena *a, sqlite3_stmt *st, struct audit_values *out)
{
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		const char **v = arena_grow(a, out->v, out->n, &cap, sizeof(*v), 16);
		if (v == NULL)
			break;
		out->v = v;
		v[out->n++] = db_dup(a, st, 0);
	}
	db_done(st);
	return rc != SQLITE_DONE || store_failed(s) ? -1 : 0;
}

int
st_audit_actors(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out)
{
	return read_values(s, a, db_q(s, Q_ACTORS, QI(tenant)), out);
}

int
st_audit_actions(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out)
{
	return read_values(s, a, db_q(s, Q_ACTIONS, QI(tenant)), out);
}

int64_t
st_signin_failures_by_actor(struct store *s, const char *actor, int64_t since)
{
	return db_int(s, Q_SIGNIN_FAILS_ACTOR, -1, QT(actor), QI(since));
}

int64_t
st_signin_failures_by_ip(struct store *s, const char *ip, int64_t since)
{
	return db_int(s, Q_SIGNIN_FAILS_IP, -1, QT(or_any(ip)), QI(since));
}
