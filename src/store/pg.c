/* pg.c — the PostgreSQL driver (see db.h and driver.h): libpq, one connection per store
 * (per worker thread). The process's first open may check every statement (prepared in one
 * round trip: pg_prepare_send); otherwise each statement is prepared on its connection at its
 * first use (pg_run). */
#include "store/driver.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"

extern const char schema_sql[];

enum { OID_BOOL = 16, OID_BYTEA = 17 };
enum { MAX_PARAMS = 64 };

/* The write promise (store.h) on PostgreSQL. SQLite has one writer at a time: BEGIN
 * IMMEDIATE makes each write transaction wait for the one before it, so what an action
 * reads after store_begin_write() stays true until it commits ("read, decide, write": the
 * last Global admin, accepting an invitation, placing an order, a single-use link).
 * PostgreSQL lets writers run side by side (READ COMMITTED), and with several portal nodes
 * they are in several processes on several machines: so every write transaction takes this
 * one transaction-scoped advisory lock first, and writers queue one after another across all
 * nodes exactly as on SQLite. A statement of READ COMMITTED sees everything committed before
 * it starts, so the facts read after the lock are the latest. The lock goes with COMMIT or
 * ROLLBACK, or when the connection drops (a node that dies holds nothing). Reads outside a
 * write transaction do not take it. Migrations (portalctl init on two nodes at once) take it
 * too. */
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(7239114)"

bool
pg_is_conninfo(const char *path)
{
	return strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0 ||
	    strchr(path, '=') != NULL;
}

/* libpq's messages end with a newline and may span lines: the first line. */
static void
message(char *out, size_t outlen, const char *msg)
{
	snprintf(out, outlen, "%s", msg ? msg : "?");
	out[strcspn(out, "\n")] = '\0';
}

static void
ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
exec(struct store *s, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(s->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
	if (rc < 0)
		message(err, errlen, PQresultErrorMessage(r));
	PQclear(r);
	return rc;
}

static bool reconnect(struct store *s);

/* One statement to prepare in a batch: its text, whether to describe it (its columns are
 * then in cols), and what came back. */
struct prep {
	struct db_stmt *q;
	const char *text;
	bool describe;
	bool ok;
	int cols;
};

int
pg_query_text(struct store *s, const char *sql, char *out, size_t outlen)
{
	PGresult *r = PQexec(s->pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK && !s->in_tx && reconnect(s)) {
		PQclear(r);
		r = PQexec(s->pg, sql);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return -1;
	}
	snprintf(out, outlen, "%s", PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return 0;
}

/* The schema version (the schema_version table's row; 0 before the first section), or -1. */
int
pg_version(struct store *s)
{
	char out[32];
	if (pg_query_text(s, "SELECT to_regclass('schema_version') IS NOT NULL", out, sizeof(out)) < 0)
		return -1;
	if (strcmp(out, "t") != 0)
		return 0;
	if (pg_query_text(s, "SELECT coalesce(max(version), 0) FROM schema_version", out, sizeof(out)) < 0)
		return -1;
	return atoi(out);
}

/* ---- the schema in PostgreSQL's dialect (the rules are in schema.sql's head) ---- */

static bool
word_at(const char *line, const char *p, const char *w)
{
	size_t n = strlen(w);
	bool before = p == line || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z') ||
	    (p[-1] >= '0' && p[-1] <= '9'));
	char after = p[n];
	return before && strncmp(p, w, n) == 0 &&
	    !(after == '_' || (after >= 'A' && after <= 'Z') || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9'));
}

/* Appends line (len bytes, without its newline) to out, translated. */
static size_t
translate_line(char *out, const char *line, size_t len)
{
	static const char nocase[] = " COLLATE NOCASE";
	size_t o = 0;
	/* A TEXT column declared COLLATE NOCASE becomes CITEXT; elsewhere (an index on
	 * name COLLATE NOCASE) the words stay and mean the collation nocase. */
	bool is_nocase = false, has_text = false;
	for (size_t i = 0; i < len; i++) {
		if (i + sizeof(nocase) - 1 <= len && strncmp(line + i, nocase, sizeof(nocase) - 1) == 0)
			is_nocase = true;
		if (i + 4 <= len && word_at(line, line + i, "TEXT"))
			has_text = true;
	}
	is_nocase = is_nocase && has_text;
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	bool id_column = strncmp(p, "id", 2) == 0 && (p[2] == ' ' || p[2] == '\t');
	bool text_done = false;
	for (size_t i = 0; i < len;) {
		const char *c = line + i;
		if (id_column && word_at(line, c, "INTEGER PRIMARY KEY")) {
			o += (size_t)sprintf(out + o, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
			i += strlen("INTEGER PRIMARY KEY");
		} else if (word_at(line, c, "INTEGER")) {
			o += (size_t)sprintf(out + o, "BIGINT");
			i += 7;
		} else if (word_at(line, c, "BLOB")) {
			o += (size_t)sprintf(out + o, "BYTEA");
			i += 4;
		} else if (strncmp(c, " WITHOUT ROWID", 14) == 0) {
			i += 14;
		} else if (is_nocase && strncmp(c, nocase, sizeof(nocase) - 1) == 0) {
			i += sizeof(nocase) - 1;
		} else if (is_nocase && !text_done && word_at(line, c, "TEXT")) {
			o += (size_t)sprintf(out + o, "CITEXT");
			i += 4;
			text_done = true;
		} else
			out[o++] = line[i++];
	}
	out[o++] = '\n';
	return o;
}

/* A schema section for PostgreSQL: lines marked "--lite" left out, lines "--pg " taken in,
 * the others' SQLite words translated. malloc'ed, or NULL. */
static char *
pg_section(const char *sec, size_t len)
{
	char *out = malloc(len * 2 + 64);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	const char *end = sec + len;
	for (const char *p = sec; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t t = l;
		while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t' || p[t - 1] == '\r'))
			t--;
		if (t >= 6 && strncmp(p + t - 6, "--lite", 6) == 0)
			;
		else if (l >= 5 && strncmp(p, "--pg ", 5) == 0) {
			memcpy(out + o, p + 5, l - 5);
			o += l - 5;
			out[o++] = '\n';
		} else
			o += translate_line(out + o, p, l);
		p += l + (nl ? 1 : 0);
	}
	out[o] = '\0';
	return out;
}

static int
migrate_to(struct store *s, int target, char *err, size_t errlen)
{
	int latest = store_schema_version(), have = pg_version(s);
	if (have < 0) {
		char m[256];
		message(m, sizeof(m), PQerrorMessage(s->pg));
		snprintf(err, errlen, "cannot read the schema version: %s", m);
		return -1;
	}
	if (have > latest) {
		snprintf(err, errlen, "database schema is version %d, newer than this program's %d: "
		    "run the newer build (or restore a backup)", have, latest);
		return -1;
	}
	int num = 0;
	const char *sec = db_next_section(schema_sql, &num);
	while (sec != NULL && num <= target) {
		int next_num = 0;
		const char *next = db_next_section(sec + 1, &next_num);
		size_t len = next ? (size_t)(next - sec) : strlen(sec);
		/* Decide inside the lock, so two nodes starting at once cannot both apply a section. */
		if (exec(s, "BEGIN; " WRITE_LOCK "; CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)",
		    err, errlen) < 0) {
			PQclear(PQexec(s->pg, "ROLLBACK"));
			return -1;
		}
		have = pg_version(s);
		if (have >= 0 && have < num) {
			char *sql = pg_section(sec, len), serr[512], set[128];
			if (sql == NULL || exec(s, sql, serr, sizeof(serr)) < 0) {
				snprintf(err, errlen, "schema section %d: %s", num, sql ? serr : "out of memory");
				free(sql);
				PQclear(PQexec(s->pg, "ROLLBACK"));
				return -1;
			}
			free(sql);
			snprintf(set, sizeof(set), "DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES (%d)", num);
			if (exec(s, set, err, errlen) < 0) {
				PQclear(PQexec(s->pg, "ROLLBACK"));
				return -1;
			}
		}
		if (exec(s, "COMMIT", err, errlen) < 0)
			return -1;
		sec = next;
		num = next_num;
	}
	return 0;
}

static int
migrate(struct store *s, char *err, size_t errlen)
{
	return migrate_to(s, INT_MAX, err, errlen);
}

int
db_pg_migrate_to(const char *conninfo, int target, char *err, size_t errlen)
{
	struct store s = { 0 };
	s.pg = PQconnectdb(conninfo);
	if (s.pg == NULL || PQstatus(s.pg) != CONNECTION_OK) {
		snprintf(err, errlen, "PostgreSQL: cannot connect");
		if (s.pg != NULL)
			PQfinish(s.pg);
		return -1;
	}
	PQsetNoticeProcessor(s.pg, ignore_notice, NULL);
	int rc = exec(&s, "SET client_min_messages = warning", err, errlen) < 0 ? -1 : migrate_to(&s, target, err, errlen);
	int v = rc < 0 ? -1 : pg_version(&s);
	PQfinish(s.pg);
	return v;
}

/* A connection that broke (the server restarted, a proxy or the network dropped it) is opened
 * again (each statement prepared again at its next use) when a statement outside a write transaction
 * or a BEGIN finds it broken: that statement is then run once more (nothing of it can have
 * happened on a connection that was gone). Inside a transaction the transaction is lost: the
 * action fails (500) and the next one reconnects. true when the connection works again. */
static bool
reconnect(struct store *s)
{
	if (PQstatus(s->pg) != CONNECTION_BAD)
		return false;
	PQreset(s->pg);
	if (PQstatus(s->pg) != CONNECTION_OK) {
		log_msg("db: PostgreSQL: reconnecting failed");
		return false;
	}
	PQclear(PQexec(s->pg, "SET client_min_messages = warning"));
	/* the new connection has none of the statements: each is prepared at its next use */
	for (int a = 0; a < AREA__COUNT; a++)
		for (int i = 0; s->q[a] != NULL && i < sql_areas[a]->n; i++)
			s->q[a][i]->prepared = false;
	log_msg("db: PostgreSQL: connection lost, connected again");
	return true;
}

int
pg_open(struct store *s, const char *conninfo, bool migrate_first, char *err, size_t errlen)
{
	s->pg = PQconnectdb(conninfo);
	if (s->pg == NULL || PQstatus(s->pg) != CONNECTION_OK) {
		char m[256];
		message(m, sizeof(m), s->pg ? PQerrorMessage(s->pg) : "out of memory");
		/* Never the connection string: it may hold a password. */
		snprintf(err, errlen, "PostgreSQL: %s", m);
		return -1;
	}
	PQsetNoticeProcessor(s->pg, ignore_notice, NULL);
	if (exec(s, "SET client_min_messages = warning", err, errlen) < 0)
		return -1;
	if (migrate_first) {
		s->created = pg_version(s) == 0;
		if (migrate(s, err, errlen) < 0)
			return -1;
	}
	int have = pg_version(s), want = store_schema_version();
	if (have > want) {
		snprintf(err, errlen, "PostgreSQL: database schema is version %d, newer than this program's %d: "
		    "run the newer build (or restore a backup)", have, want);
		return -1;
	}
	if (have != want) {
		snprintf(err, errlen, "PostgreSQL: database schema is version %d, this program needs %d (run portalctl init)",
		    have, want);
		return -1;
	}
	return 0;
}

void
pg_close(struct store *s)
{
	if (s->pg != NULL)
		PQfinish(s->pg);
	s->pg = NULL;
}

int
pg_prepare(struct store *s, struct db_stmt *q, const char *area, const char *name, const char *text, int ncols,
    char *err, size_t errlen)
{
	static int seq;		/* names only need to differ within a connection */
	q->s = s;
	q->row = -1;
	q->ncols = ncols;
	q->sql = db_sql_for(text, true, &q->nparams);
	if (q->sql == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (q->nparams > MAX_PARAMS) {
		snprintf(err, errlen, "%s.%s: more than %d parameters", area, name, MAX_PARAMS);
		return -1;
	}
	snprintf(q->name, sizeof(q->name), "q%d", __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	/* db_insert's new id: an INSERT into a table with an id column returns it (the
	 * catalog says which in pg_prepare_send). */
	const char *t = q->sql;
	while (*t == ' ')
		t++;
	if (strncasecmp(t, "INSERT", 6) == 0 && strcasestr(q->sql, "RETURNING") == NULL) {
		size_t l = strlen(q->sql);
		q->with_id = malloc(l + 16);
		if (q->with_id == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(q->with_id, q->sql, l);
		memcpy(q->with_id + l, " RETURNING id", 14);
	}
	return 0;
}

/* Prepares n statements in one round trip (libpq's pipeline mode) instead of one or two per
 * statement: with some 400 statements a connection opened in about 0.8 s on a loaded
 * machine, which every portalctl run and every worker thread paid. Each statement's PREPARE
 * (and DESCRIBE) has a sync of its own, so one that fails does not abort the others. The
 * connection is non-blocking while sending, reading what the server answers meanwhile, so
 * neither side can wait on the other with full buffers. -1 when the connection failed (msg
 * says why); else 0 with ok/cols per statement and msg the first failure's message. */
static int
prepare_batch(PGconn *pg, struct prep *p, size_t n, char *msg, size_t msglen)
{
	msg[0] = '\0';
	if (!PQenterPipelineMode(pg) || PQsetnonblocking(pg, 1) != 0) {
		message(msg, msglen, PQerrorMessage(pg));
		return -1;
	}
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++)
		if (!PQsendPrepare(pg, p[k].q->name, p[k].text, 0, NULL) ||
		    (p[k].describe && !PQsendDescribePrepared(pg, p[k].q->name)) || !PQpipelineSync(pg))
			rc = -1;
	for (int f; rc == 0 && (f = PQflush(pg)) != 0;) {
		struct pollfd pfd = { .fd = PQsocket(pg), .events = POLLIN | POLLOUT };
		if (f < 0 || poll(&pfd, 1, -1) < 0 || ((pfd.revents & POLLIN) && !PQconsumeInput(pg)))
			rc = -1;
	}
	if (rc < 0 || PQsetnonblocking(pg, 0) != 0) {
		message(msg, msglen, PQerrorMessage(pg));
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		/* the PREPARE's result, then the NULL that ends it */
		PGresult *r = PQgetResult(pg);
		if (r == NULL) {
			message(msg, msglen, PQerrorMessage(pg));
			return -1;
		}
		p[k].ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!p[k].ok && msg[0] == '\0')
			message(msg, msglen, PQresultErrorMessage(r));
		PQclear(r);
		while ((r = PQgetResult(pg)) != NULL)
			PQclear(r);
		p[k].cols = -1;
		if (p[k].describe) {
			r = PQgetResult(pg);
			if (p[k].ok && PQresultStatus(r) == PGRES_COMMAND_OK)
				p[k].cols = PQnfields(r);
			PQclear(r);
			while ((r = PQgetResult(pg)) != NULL)
				PQclear(r);
		}
		/* the sync's own result */
		r = PQgetResult(pg);
		if (r == NULL)
			r = PQgetResult(pg);
		bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (!synced) {
			snprintf(msg, msglen, "the pipeline's answers are out of step");
			return -1;
		}
	}
	if (!PQexitPipelineMode(pg)) {
		message(msg, msglen, PQerrorMessage(pg));
		return -1;
	}
	return 0;
}

/* How many statements the store has (every area's). */
static size_t
stmt_count(struct store *s)
{
	size_t n = 0;
	for (int a = 0; a < AREA__COUNT; a++)
		if (s->q[a] != NULL)
			n += (size_t)sql_areas[a]->n;
	return n;
}

/* Issue 17: the tables with an id column, read from the catalog once per process: an INSERT
 * into one of them returns the new id (" RETURNING id", for db_insert). NULL-separated names,
 * or NULL before the first open. */
static char *id_tables;
static pthread_mutex_t id_tables_lock = PTHREAD_MUTEX_INITIALIZER;

static int
load_id_tables(struct store *s, char *err, size_t errlen)
{
	pthread_mutex_lock(&id_tables_lock);
	int rc = 0;
	if (id_tables == NULL) {
		PGresult *r = PQexec(s->pg, "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
		    "WHERE a.attname = 'id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') "
		    "AND c.relnamespace = current_schema()::regnamespace");
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			char m[256];
			message(m, sizeof(m), PQresultErrorMessage(r));
			snprintf(err, errlen, "PostgreSQL: reading the tables: %s", m);
			rc = -1;
		} else {
			size_t len = 1;
			for (int i = 0; i < PQntuples(r); i++)
				len += strlen(PQgetvalue(r, i, 0)) + 1;
			char *t = calloc(len, 1), *o = t;
			if (t == NULL) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			} else {
				for (int i = 0; i < PQntuples(r); i++)
					o += sprintf(o, "%s", PQgetvalue(r, i, 0)) + 1;
				__atomic_store_n(&id_tables, t, __ATOMIC_RELEASE);
			}
		}
		PQclear(r);
	}
	pthread_mutex_unlock(&id_tables_lock);
	return rc;
}

/* Whether sql inserts into a table with an id column ("INSERT INTO name..."). */
static bool
inserts_with_id(const char *sql)
{
	const char *p = sql;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	if (strncasecmp(p, "INSERT", 6) != 0)
		return false;
	p += 6;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	if (strncasecmp(p, "INTO", 4) != 0)
		return false;
	p += 4;
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	for (const char *t = __atomic_load_n(&id_tables, __ATOMIC_ACQUIRE); t != NULL && *t; t += strlen(t) + 1)
		if (strlen(t) == n && strncasecmp(t, p, n) == 0)
			return true;
	return false;
}

/* Issue 17: the process's first open (when check) prepares every statement in one round trip
 * and checks that each returns the columns its code reads; every other open prepares
 * nothing, and each statement is prepared on its connection at its first use (pg_run).
 * Preparing all of some 460 statements on each of a worker's eleven connections, and twice
 * in every portalctl run, cost the server parse and analysis it mostly never used: in the
 * PostgreSQL test run the server was the largest user of the CPU. */
static int pg_checked;	/* atomic: an open of this process checked every statement */

int
pg_prepare_send(struct store *s, bool check, char *err, size_t errlen)
{
	if (load_id_tables(s, err, errlen) < 0)
		return -1;
	size_t n = stmt_count(s), k = 0;
	for (int a = 0; a < AREA__COUNT; a++)
		for (int i = 0; s->q[a] != NULL && i < sql_areas[a]->n; i++) {
			struct db_stmt *q = s->q[a][i];
			if (q->with_id != NULL && inserts_with_id(q->sql)) {
				free(q->sql);
				q->sql = q->with_id;
				q->returning = true;
			} else
				free(q->with_id);
			q->with_id = NULL;
			q->prepared = false;
		}
	if (!check || __atomic_load_n(&pg_checked, __ATOMIC_ACQUIRE))
		return 0;
	struct prep *p = calloc(n > 0 ? n : 1, sizeof(*p));
	int *area = calloc(n > 0 ? n : 1, sizeof(*area)), *idx = calloc(n > 0 ? n : 1, sizeof(*idx));
	char m[256];
	int rc = -1;
	if (p == NULL || area == NULL || idx == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int a = 0; a < AREA__COUNT; a++)
		for (int i = 0; s->q[a] != NULL && i < sql_areas[a]->n; i++, k++) {
			struct db_stmt *q = s->q[a][i];
			p[k] = (struct prep){ .q = q, .text = q->sql, .describe = !q->returning && q->ncols >= 0 };
			area[k] = a;
			idx[k] = i;
		}
	if (prepare_batch(s->pg, p, n, m, sizeof(m)) < 0) {
		snprintf(err, errlen, "PostgreSQL: preparing statements: %s", m);
		goto out;
	}
	for (k = 0; k < n; k++) {
		const struct sql_def *d = &sql_areas[area[k]]->defs[idx[k]];
		if (!p[k].ok) {
			/* that statement's own message: prepare it alone to read it */
			PGresult *r = PQprepare(s->pg, "", p[k].text, 0, NULL);
			message(m, sizeof(m), PQresultErrorMessage(r));
			PQclear(r);
			snprintf(err, errlen, "%s.%s: %s", sql_areas[area[k]]->name, d->name, m);
			goto out;
		}
		if (p[k].describe && p[k].cols != p[k].q->ncols) {
			snprintf(err, errlen, "%s.%s: the statement returns %d columns, its code reads %d",
			    sql_areas[area[k]]->name, d->name, p[k].cols, p[k].q->ncols);
			goto out;
		}
		p[k].q->prepared = true;
	}
	__atomic_store_n(&pg_checked, 1, __ATOMIC_RELEASE);
	rc = 0;
out:
	free(p);
	free(area);
	free(idx);
	return rc;
}

void
pg_done(struct db_stmt *q)
{
	if (q->res != NULL)
		PQclear(q->res);
	q->res = NULL;
	q->error = false;
	q->row = -1;
	q->nrows = 0;
}

void
pg_finalize(struct db_stmt *q)
{
	pg_done(q);
	free(q->sql);
	free(q->with_id);
	free(q->bytes);
}

/* Runs q on the connection, preparing it there first if this is its first use (one more
 * round trip, once per statement and connection); the result (an error result when the
 * PREPARE failed). */
static PGresult *
exec_prepared(struct store *s, struct db_stmt *q, const char *const *vals, const int *lens, const int *fmts)
{
	if (!q->prepared) {
		PGresult *r = PQprepare(s->pg, q->name, q->sql, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		q->prepared = true;
	}
	return PQexecPrepared(s->pg, q->name, q->nparams, vals, lens, fmts, 0);
}

bool
pg_run(struct store *s, struct db_stmt *q, const struct dbv *v, size_t n)
{
	pg_done(q);
	const char *vals[MAX_PARAMS];
	int lens[MAX_PARAMS], fmts[MAX_PARAMS];
	char ibuf[MAX_PARAMS][24];
	if (n > (size_t)q->nparams) {
		log_msg("db: %zu values for the %d parameters of %.80s", n, q->nparams, q->sql);
		s->failed = true;
		return false;
	}
	for (int i = 0; i < q->nparams; i++) {
		vals[i] = NULL;
		lens[i] = 0;
		fmts[i] = 0;
		if ((size_t)i >= n)
			continue;
		switch (v[i].type) {
		case 'i':
			snprintf(ibuf[i], sizeof(ibuf[i]), "%lld", (long long)v[i].i);
			vals[i] = ibuf[i];
			break;
		case 't':
			vals[i] = v[i].s;
			break;
		case 'b':
			/* A blob goes as bytea's binary form: its bytes as they are. */
			vals[i] = v[i].b != NULL ? (const char *)v[i].b : "";
			lens[i] = (int)v[i].n;
			fmts[i] = 1;
			break;
		default:
			break;
		}
	}
	PGresult *r = exec_prepared(s, q, vals, lens, fmts);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && !s->in_tx && reconnect(s)) {
		PQclear(r);
		r = exec_prepared(s, q, vals, lens, fmts);
		st = PQresultStatus(r);
	}
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		char m[256];
		message(m, sizeof(m), r ? PQresultErrorMessage(r) : PQerrorMessage(s->pg));
		log_msg("db: %s: %.80s", m, q->sql);
		PQclear(r);
		s->failed = true;
		q->error = true;
		return false;
	}
	q->res = r;
	q->nrows = PQntuples(r);
	s->pg_changes = strtoll(PQcmdTuples(r), NULL, 10);
	if (q->returning && q->nrows > 0)
		s->pg_last_id = strtoll(PQgetvalue(r, q->nrows - 1, 0), NULL, 10);
	return true;
}

int
pg_step(struct db_stmt *q)
{
	if (q->error)
		return 1;	/* SQLITE_ERROR's number: neither DB_ROW nor DB_DONE */
	if (q->res == NULL)
		return DB_DONE;
	if (q->row + 1 < q->nrows) {
		q->row++;
		return DB_ROW;
	}
	q->row = q->nrows;
	return DB_DONE;
}

static bool
has_value(struct db_stmt *q, int col)
{
	return q->res != NULL && q->row >= 0 && q->row < q->nrows && col >= 0 && col < PQnfields(q->res);
}

bool
pg_is_null(struct db_stmt *q, int col)
{
	return !has_value(q, col) || PQgetisnull(q->res, q->row, col);
}

const char *
pg_text(struct db_stmt *q, int col)
{
	if (pg_is_null(q, col))
		return "";
	const char *v = PQgetvalue(q->res, q->row, col);
	/* Booleans read as integers, as SQLite has them. */
	if (PQftype(q->res, col) == OID_BOOL)
		return v[0] == 't' ? "1" : "0";
	return v;
}

int64_t
pg_i64(struct db_stmt *q, int col)
{
	if (pg_is_null(q, col))
		return 0;
	const char *v = PQgetvalue(q->res, q->row, col);
	if (PQftype(q->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const void *
pg_bytes(struct db_stmt *q, int col, size_t *len)
{
	*len = 0;
	if (pg_is_null(q, col))
		return NULL;
	const char *v = PQgetvalue(q->res, q->row, col);
	size_t l = (size_t)PQgetlength(q->res, q->row, col);
	if (PQftype(q->res, col) != OID_BYTEA) {
		*len = l;
		return v;
	}
	/* bytea in text form: \x and two hex digits a byte. */
	if (l < 2 || v[0] != '\\' || v[1] != 'x')
		return "";
	size_t n = (l - 2) / 2;
	if (n + 1 > q->bytes_cap) {
		unsigned char *b = realloc(q->bytes, n + 1);
		if (b == NULL)
			return NULL;
		q->bytes = b;
		q->bytes_cap = n + 1;
	}
	for (size_t i = 0; i < n; i++)
		q->bytes[i] = (unsigned char)(hexval(v[2 + 2 * i]) << 4 | hexval(v[3 + 2 * i]));
	*len = n;
	return q->bytes;
}

int
pg_begin(struct store *s)
{
	char err[256];
	int rc = exec(s, "BEGIN; " WRITE_LOCK, err, sizeof(err));
	if (rc < 0 && reconnect(s))
		rc = exec(s, "BEGIN; " WRITE_LOCK, err, sizeof(err));
	if (rc < 0) {
		log_msg("db: BEGIN: %s", err);
		PQclear(PQexec(s->pg, "ROLLBACK"));
		return -1;
	}
	return 0;
}

int
pg_commit(struct store *s)
{
	PGresult *r = PQexec(s->pg, "COMMIT");
	/* A transaction that had failed answers COMMIT with ROLLBACK. */
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0 ? 0 : -1;
	if (rc < 0) {
		char m[256];
		message(m, sizeof(m), PQresultErrorMessage(r));
		log_msg("db: COMMIT: %s", *m ? m : "rolled back");
		PQclear(PQexec(s->pg, "ROLLBACK"));
	}
	PQclear(r);
	return rc;
}

/* The open transaction commits without waiting for its WAL flush (store_commit_nosync): a
 * server crash may lose it, never half of it. */
int
pg_nosync(struct store *s)
{
	char err[256];
	if (exec(s, "SET LOCAL synchronous_commit = off", err, sizeof(err)) < 0) {
		log_msg("db: synchronous_commit: %s", err);
		return -1;
	}
	return 0;
}

void
pg_rollback(struct store *s)
{
	PQclear(PQexec(s->pg, "ROLLBACK"));
}
