/* db.c — the SQLite driver, what both engines share (statement tables, column helpers,
 * rows into structs) and the store's lifecycle (store.h). The PostgreSQL driver is pg.c;
 * a store whose path is a PostgreSQL connection string (PORTAL_DB) goes there. */
#include "store/driver.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

extern const char schema_sql[];
extern const char schema_sql_end[];

const struct sql_area *const sql_areas[AREA__COUNT] = {
#define AREA(name) &sql_area_##name,
#include "store/areas.def"
#undef AREA
};

/* Every write transaction of this process goes through this lock (PERF-NOTES pitfall 5);
 * other processes (portalctl) meet us at SQLite's lock with the busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* Group commit (issue 17, the order POST). SQLite's synchronous=FULL syncs the WAL inside
 * every COMMIT, with the write lock held: the writers of this process queued behind one
 * fdatasync each. Instead, the connections run synchronous=NORMAL (COMMIT writes the WAL but
 * does not sync it) and db_commit syncs the WAL itself after leaving the write lock, before it
 * returns: the commit is on disk when the action is answered, as with FULL, but one fdatasync
 * covers every commit written before it (the WAL is one file, appended in commit order), so
 * commits that waited together are synced together. commit_seq numbers this process's commits
 * to one file (taken under the write lock, so in WAL order); synced_seq is the highest one
 * known synced.
 * Bookkeeping that may be lost on a power cut (mail's sent marks: losing one repeats a
 * delivery) commits with store_commit_nosync and rides on the next sync. */
static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
/* One group per database file this process has open (the portal has one; a test or a tool
 * may have more, and one file's sync says nothing of another's). */
struct wal_group {
	char *path;
	uint64_t commit_seq;	/* raised under write_lock, read atomically */
	uint64_t synced_seq;	/* under sync_lock */
	/* The file's writer connection (issue 17): every write transaction of this process runs
	 * on it (they are serialized by write_lock anyway). SQLite drops a connection's whole
	 * page cache when its next transaction finds the WAL changed by another connection, so
	 * with a connection per thread every write began by reading again the pages of the
	 * indexes it was about to change (an order: some 25 preads, 12 % of the worker's CPU).
	 * The writer sees only its own commits (other processes' aside) and keeps its cache.
	 * Opened at the first write, closed with the file's last store; both under write_lock. */
	struct store *writer;
	int users;		/* open stores of this file, the writer aside; under write_lock */
};
#define WAL_GROUPS 16
static struct wal_group wal_groups[WAL_GROUPS];
static uint64_t io_commits, io_syncs;	/* store_io_counts; atomic adds */

/* The group of database file path (made on first use; kept for the process's life), or NULL
 * when the table is full: that connection then syncs after each of its commits. */
static struct wal_group *
wal_group_for(const char *path)
{
	struct wal_group *g = NULL;
	pthread_mutex_lock(&sync_lock);
	for (int i = 0; path != NULL && i < WAL_GROUPS && g == NULL; i++) {
		if (wal_groups[i].path == NULL && (wal_groups[i].path = strdup(path)) != NULL)
			g = &wal_groups[i];
		else if (wal_groups[i].path != NULL && strcmp(wal_groups[i].path, path) == 0)
			g = &wal_groups[i];
	}
	pthread_mutex_unlock(&sync_lock);
	return g;
}

#define BUSY_TIMEOUT_MS 5000

static void store_read_close(struct store *s);	/* the read transaction's block, at the end */
static int query_text(sqlite3 *h, const char *sql, char *out, size_t outlen);

/* The SQLite statement behind an area's statement handle. */
static inline sqlite3_stmt *
lite(struct db_stmt *q)
{
	return q->lite;
}

char *
db_sql_for(const char *text, bool pg, int *nparams)
{
	size_t len = strlen(text);
	char *out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	int part = 0, maxn = 0;		/* part: 0 both engines, 1 SQLite's, 2 PostgreSQL's */
	bool quoted = false;
	for (const char *p = text; *p;) {
		char c = *p;
		if (c == '\x01' || c == '\x02' || c == '\x03') {
			part = c == '\x01' ? 1 : c == '\x02' ? 2 : 0;
			p++;
			continue;
		}
		if ((part == 1 && pg) || (part == 2 && !pg)) {
			p++;
			continue;
		}
		if (c == '\'')
			quoted = !quoted;
		if (pg && !quoted && c == '?') {
			/* ?N is $N; a bare ? is one more than the highest number so far (SQLite's rule). */
			char *end;
			long v = strtol(p + 1, &end, 10);
			int n = end > p + 1 ? (int)v : maxn + 1;
			if (n > maxn)
				maxn = n;
			o += (size_t)sprintf(out + o, "$%d", n);
			p = end > p + 1 ? end : p + 1;
			continue;
		}
		out[o++] = c;
		p++;
	}
	out[o] = '\0';
	if (nparams != NULL)
		*nparams = maxn;
	return out;
}

const char *
store_schema_text(void)
{
	return schema_sql;
}

/* Finds the next "-- migrate: N" line at or after p; returns it or NULL. */
const char *
db_next_section(const char *p, int *num)
{
	static const char mark[] = "-- migrate: ";
	while (p != NULL && *p) {
		if (strncmp(p, mark, sizeof(mark) - 1) == 0) {
			*num = (int)strtol(p + sizeof(mark) - 1, NULL, 10);
			return p;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

int
store_schema_version(void)
{
	int n = 0, v = 0;
	for (const char *p = db_next_section(schema_sql, &n); p != NULL; p = db_next_section(p + 1, &n))
		v = n;
	return v;
}

static int
exec(sqlite3 *h, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
user_version(sqlite3 *h)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

int
db_migrate_to(sqlite3 *h, int target, char *err, size_t errlen)
{
	int latest = store_schema_version(), have = user_version(h);
	if (have < 0) {
		snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(h));
		return -1;
	}
	/* A database written by a newer build: its schema has tables and rules this program
	 * does not know. Refuse instead of running against it. */
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
		/* Decide inside the write transaction, so two processes starting at once
		 * cannot both apply a section. */
		if (exec(h, "BEGIN IMMEDIATE", err, errlen) < 0)
			return -1;
		have = user_version(h);
		if (have < num) {
			char *sql = malloc(len + 64);
			if (sql == NULL) {
				exec(h, "ROLLBACK", err, errlen);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			memcpy(sql, sec, len);
			snprintf(sql + len, 64, "\n;PRAGMA user_version = %d;", num);
			char serr[512];
			if (exec(h, sql, serr, sizeof(serr)) < 0) {
				free(sql);
				snprintf(err, errlen, "schema section %d: %s", num, serr);
				sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
				return -1;
			}
			free(sql);
		}
		if (exec(h, "COMMIT", err, errlen) < 0)
			return -1;
		sec = next;
		num = next_num;
	}
	return user_version(h);
}

int
db_migrate(sqlite3 *h, char *err, size_t errlen)
{
	return db_migrate_to(h, INT_MAX, err, errlen);
}

/* Issue 17: a worker's connections prepare each statement on its first use (db_qv), not all
 * of them at open. Every SQLite statement of every area prepared was 4.7 MB per connection
 * (459 statements; the relationship center's sixteen eleven-arm unions alone 1.9 MB), so
 * eleven connections (eight request threads, housekeeping, webhooks, mail) held about 60 MiB
 * before the first request, most of it for statements their thread never runs. The check
 * that every statement prepares and returns the columns its code reads is still made at
 * open, once per process: the first SQLite open prepares them all (the portal's parent does
 * that in setup_data_dir before it forks the worker; portalctl and the tests in their first
 * open), and the opens after it are lazy. */
static int statements_checked;	/* atomic: a SQLite open of this process prepared them all */
static int check_wanted = 1;	/* atomic: store_check_statements */

void
store_check_statements(bool on)
{
	__atomic_store_n(&check_wanted, on ? 1 : 0, __ATOMIC_RELEASE);
}

static int
prepare_one(struct store *s, int a, int i, char *err, size_t errlen)
{
	const struct sql_def *d = &sql_areas[a]->defs[i];
	struct db_stmt *q = s->q[a][i];
	sqlite3_stmt *ps = NULL;
	char *text = db_sql_for(d->text, false, NULL);
	int rc = text ? sqlite3_prepare_v3(s->h, text, -1, SQLITE_PREPARE_PERSISTENT, &ps, NULL) : SQLITE_NOMEM;
	free(text);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s.%s: %s", sql_areas[a]->name, d->name, sqlite3_errmsg(s->h));
		sqlite3_finalize(ps);
		return -1;
	}
	if (d->ncols >= 0 && sqlite3_column_count(ps) != d->ncols) {
		snprintf(err, errlen, "%s.%s: the statement returns %d columns, its code reads %d",
		    sql_areas[a]->name, d->name, sqlite3_column_count(ps), d->ncols);
		sqlite3_finalize(ps);
		return -1;
	}
	q->lite = ps;
	return 0;
}

/* Makes area a's statement handles; prepares them when eager (PostgreSQL always readies
 * them with pg_prepare: pg_prepare_send may then check them all, else the server prepares
 * each one on a connection at its first use). */
static int
prepare_area(struct store *s, int a, bool eager, char *err, size_t errlen)
{
	const struct sql_area *ar = sql_areas[a];
	s->q[a] = calloc((size_t)(ar->n > 0 ? ar->n : 1), sizeof(struct db_stmt *));
	if (s->q[a] == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < ar->n; i++) {
		const struct sql_def *d = &ar->defs[i];
		struct db_stmt *q = calloc(1, sizeof(*q));
		if (q == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		q->s = s;
		s->q[a][i] = q;
		if (s->pg != NULL) {
			if (pg_prepare(s, q, ar->name, d->name, d->text, d->ncols, err, errlen) < 0)
				return -1;
			continue;
		}
		if (eager && prepare_one(s, a, i, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Prepares every area's statements. */
static int
prepare_all(struct store *db, char *err, size_t errlen)
{
	bool check = __atomic_load_n(&check_wanted, __ATOMIC_ACQUIRE) != 0;
	bool eager = db->pg != NULL || (check && !__atomic_load_n(&statements_checked, __ATOMIC_ACQUIRE));
	for (int a = 0; a < AREA__COUNT; a++)
		if (prepare_area(db, a, eager, err, errlen) < 0)
			return -1;
	if (db->pg != NULL)
		return pg_prepare_send(db, check, err, errlen);
	if (eager)
		__atomic_store_n(&statements_checked, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Issue 17: SQLite's memory statistics take one process-wide mutex around every allocation
 * of every connection (the worker threads met there); nothing here reads them. Must come
 * before SQLite initializes, so it is done once before the first open. */
static void
sqlite_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int open_as(struct store *db, const char *path, bool migrate, bool writer, char *err, size_t errlen);

int
db_open(struct store *db, const char *path, bool migrate, char *err, size_t errlen)
{
	return open_as(db, path, migrate, false, err, errlen);
}

static int
open_as(struct store *db, const char *path, bool migrate, bool writer, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_once);
	memset(db, 0, sizeof(*db));
	arena_init(&db->cache, 0);
	if (pg_is_conninfo(path)) {
		if (pg_open(db, path, migrate, err, errlen) < 0 || prepare_all(db, err, errlen) < 0) {
			db_close(db);
			return -1;
		}
		return 0;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		db_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	/* WAL: readers never block the writer. synchronous=FULL while migrating; then NORMAL
	 * with db_commit's group sync (above): an acknowledged action survives a power cut, not
	 * only a crash. The WAL is kept from growing unbounded. */
	if (exec(db->h,
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA journal_size_limit = 67108864;"
	    "PRAGMA temp_store = MEMORY;", err, errlen) < 0) {
		db_close(db);
		return -1;
	}
	db->created = migrate && user_version(db->h) == 0;
	if (migrate && db_migrate(db->h, err, errlen) < 0) {
		db_close(db);
		return -1;
	}
	int have = user_version(db->h), want = store_schema_version();
	if (have > want) {
		snprintf(err, errlen, "%s: database schema is version %d, newer than this program's %d: "
		    "run the newer build (or restore a backup)", path, have, want);
		db_close(db);
		return -1;
	}
	if (have != want) {
		snprintf(err, errlen, "%s: database schema is version %d, this program needs %d (run portalctl init)",
		    path, have, want);
		db_close(db);
		return -1;
	}
	/* The group sync needs the WAL (an in-memory database has none, and keeps FULL). */
	char mode[16] = "";
	query_text(db->h, "PRAGMA journal_mode", mode, sizeof(mode));
	db->wal = strcmp(mode, "wal") == 0;
	db->group = db->wal ? wal_group_for(sqlite3_db_filename(db->h, "main")) : NULL;
	db->is_writer = writer;
	if ((db->wal && exec(db->h, "PRAGMA synchronous = NORMAL;", err, errlen) < 0) || prepare_all(db, err, errlen) < 0) {
		db_close(db);
		return -1;
	}
	if (db->group != NULL && !writer) {
		pthread_mutex_lock(&write_lock);
		db->group->users++;
		db->counted = true;
		pthread_mutex_unlock(&write_lock);
	}
	return 0;
}

/* Under write_lock: db's write transaction goes to its file's writer connection (opened on
 * first use): h and q become the writer's until writer_return. 0, or -1 when the writer
 * cannot be opened. */
static int
writer_take(struct store *db)
{
	struct wal_group *g = db->group;
	if (g->writer == NULL) {
		char err[512];
		struct store *w = calloc(1, sizeof(*w));
		if (w == NULL || open_as(w, g->path, false, true, err, sizeof(err)) < 0) {
			log_msg("db: opening the writer connection: %s", w != NULL ? err : "out of memory");
			free(w);
			return -1;
		}
		g->writer = w;
	}
	db->own_h = db->h;
	memcpy(db->own_q, db->q, sizeof(db->q));
	db->h = g->writer->h;
	memcpy(db->q, g->writer->q, sizeof(db->q));
	return 0;
}

/* Under write_lock, the transaction ended: db's own connection again. */
static void
writer_return(struct store *db)
{
	if (db->own_h == NULL)
		return;
	db->h = db->own_h;
	memcpy(db->q, db->own_q, sizeof(db->q));
	db->own_h = NULL;
}

void
db_close(struct store *db)
{
	if (db->in_tx)
		db_rollback(db);
	if (db->counted) {
		/* the file's last store closes its writer too: a later store of the same path
		 * (a test's new file) must not write through a connection to the old one */
		struct store *w = NULL;
		pthread_mutex_lock(&write_lock);
		if (--db->group->users == 0) {
			w = db->group->writer;
			db->group->writer = NULL;
		}
		pthread_mutex_unlock(&write_lock);
		db->counted = false;
		if (w != NULL) {
			db_close(w);
			free(w);
		}
	}
	store_read_close(db);
	arena_free(&db->cache);
	db->countries = (struct country_list){ 0 };
	for (int a = 0; a < AREA__COUNT; a++) {
		for (int i = 0; db->q[a] != NULL && i < sql_areas[a]->n; i++) {
			struct db_stmt *q = db->q[a][i];
			if (q == NULL)
				continue;
			if (q->lite != NULL)
				sqlite3_finalize(q->lite);
			else
				pg_finalize(q);
			free(q);
		}
		free(db->q[a]);
		db->q[a] = NULL;
	}
	pg_close(db);
	if (db->h != NULL) {
		sqlite3_close(db->h);
		db->h = NULL;
	}
}

struct db_stmt *
db_qv(struct store *db, int area, int id, const struct dbv *v, size_t n)
{
	db->statements++;
	if (db->pg != NULL)
		return pg_run(db, db->q[area][id], v, n) ? db->q[area][id] : NULL;
	struct db_stmt *q = db->q[area][id];
	q->s = db;	/* a writer connection's statement: its failure is this store's */
	if (q->lite == NULL) {
		char err[256];
		if (prepare_one(db, area, id, err, sizeof(err)) < 0) {
			log_msg("db: prepare %s", err);
			db->failed = true;
			return NULL;
		}
	}
	sqlite3_stmt *st = lite(q);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (size_t i = 0; i < n; i++) {
		int rc, col = (int)i + 1;
		switch (v[i].type) {
		case 'i': rc = sqlite3_bind_int64(st, col, v[i].i); break;
		case 't':
			rc = v[i].s ? sqlite3_bind_text(st, col, v[i].s, -1, SQLITE_TRANSIENT)
			    : sqlite3_bind_null(st, col);
			break;
		case 'b': rc = sqlite3_bind_blob(st, col, v[i].b, (int)v[i].n, SQLITE_TRANSIENT); break;
		default: rc = sqlite3_bind_null(st, col); break;
		}
		if (rc != SQLITE_OK) {
			log_msg("db: bind %zu of %s.%s: %s", i + 1, sql_areas[area]->name, sql_areas[area]->defs[id].name,
			    sqlite3_errmsg(db->h));
			db->failed = true;
			return NULL;
		}
	}
	return db->q[area][id];
}

int
db_step(struct db_stmt *q)
{
	if (q == NULL)
		return SQLITE_MISUSE;
	if (q->lite == NULL)
		return pg_step(q);
	sqlite3_stmt *st = lite(q);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		const char *sql = sqlite3_sql(st);
		log_msg("db: %s: %.80s", sqlite3_errmsg(sqlite3_db_handle(st)), sql ? sql : "?");
		q->s->failed = true;
	}
	return rc;
}

int
db_runv(struct store *db, int area, int id, const struct dbv *v, size_t n)
{
	struct db_stmt *st = db_qv(db, area, id, v, n);
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		;
	int changes = rc != SQLITE_DONE ? -1 : db->pg != NULL ? (int)db->pg_changes : sqlite3_changes(db->h);
	db_done(st);
	return changes;
}

int64_t
db_insertv(struct store *db, int area, int id, const struct dbv *v, size_t n)
{
	return db_runv(db, area, id, v, n) == 1 ? db_last_id(db) : -1;
}

int64_t
db_intv(struct store *db, int area, int id, int64_t dflt, const struct dbv *v, size_t n)
{
	struct db_stmt *st = db_qv(db, area, id, v, n);
	int64_t r = dflt;
	if (db_step(st) == SQLITE_ROW && !db_is_null(st, 0))
		r = db_i64(st, 0);
	db_done(st);
	return r;
}

const char *
db_text(struct db_stmt *q, int col)
{
	if (q->lite == NULL)
		return pg_text(q, col);
	sqlite3_stmt *st = lite(q);
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

int64_t
db_i64(struct db_stmt *q, int col)
{
	if (q->lite == NULL)
		return pg_i64(q, col);
	sqlite3_stmt *st = lite(q);
	return sqlite3_column_int64(st, col);
}

bool
db_is_null(struct db_stmt *q, int col)
{
	if (q->lite == NULL)
		return pg_is_null(q, col);
	sqlite3_stmt *st = lite(q);
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

int64_t
db_last_id(struct store *db)
{
	return db->pg != NULL ? db->pg_last_id : sqlite3_last_insert_rowid(db->h);
}

int
db_begin(struct store *db)
{
	if (db->in_tx)
		return 0;
	pthread_mutex_lock(&write_lock);
	if (db->pg != NULL) {
		if (pg_begin(db) < 0) {
			pthread_mutex_unlock(&write_lock);
			db->failed = true;
			return -1;
		}
		db->in_tx = 1;
		return 0;
	}
	char err[256];
	if (db->group != NULL && !db->is_writer && writer_take(db) < 0) {
		pthread_mutex_unlock(&write_lock);
		db->failed = true;
		return -1;
	}
	if (exec(db->h, "BEGIN IMMEDIATE", err, sizeof(err)) < 0) {
		writer_return(db);
		pthread_mutex_unlock(&write_lock);
		log_msg("db: BEGIN IMMEDIATE: %s", err);
		db->failed = true;
		return -1;
	}
	db->in_tx = 1;
	return 0;
}

/* Makes this process's commits up to seq durable (the group commit above): one fdatasync of
 * the WAL, through this store's own connection's handle of it (not the writer's, which
 * another thread may be writing through by now; any handle of the file syncs the same
 * file), unless another thread's sync since covered seq already. 0, or -1 when the sync failed. */
static int
wal_sync(struct store *db, uint64_t seq)
{
	int rc = 0;
	struct wal_group *g = db->group;
	pthread_mutex_lock(&sync_lock);
	if (g == NULL || g->synced_seq < seq) {
		/* every commit numbered so far has written its frames (numbered after COMMIT) */
		uint64_t upto = g != NULL ? __atomic_load_n(&g->commit_seq, __ATOMIC_ACQUIRE) : 0;
		sqlite3_file *wal = NULL;
		if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || wal == NULL ||
		    wal->pMethods == NULL || wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK) {
			log_msg("db: syncing the WAL failed");
			rc = -1;
		} else {
			if (g != NULL)
				g->synced_seq = upto;
			__atomic_add_fetch(&io_syncs, 1, __ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&sync_lock);
	return rc;
}

static int
commit(struct store *db, bool sync)
{
	if (!db->in_tx)
		return 0;
	/* A statement of this transaction failed: what it leaves is not what the action meant
	 * to write, so none of it is kept. */
	if (db->failed) {
		log_msg("db: a statement failed in this transaction: rolled back");
		db_rollback(db);
		return -1;
	}
	char err[256];
	int rc;
	if (db->pg != NULL) {
		if ((rc = pg_commit(db)) < 0)
			db->failed = true;
	} else if ((rc = exec(db->h, "COMMIT", err, sizeof(err))) < 0) {
		log_msg("db: COMMIT: %s", err);
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		db->failed = true;
	}
	uint64_t seq = 0;
	if (rc == 0 && db->pg == NULL && db->wal)
		seq = db->group != NULL ? __atomic_add_fetch(&db->group->commit_seq, 1, __ATOMIC_RELEASE) : 1;
	db->in_tx = 0;
	writer_return(db);
	pthread_mutex_unlock(&write_lock);
	if (rc == 0)
		__atomic_add_fetch(&io_commits, 1, __ATOMIC_RELAXED);
	if (seq > 0 && sync && wal_sync(db, seq) < 0) {
		/* Committed, but whether it is on disk is unknown: never reported as done. */
		db->failed = true;
		rc = -1;
	}
	return rc;
}

int
db_commit(struct store *db)
{
	return commit(db, true);
}

void
db_rollback(struct store *db)
{
	if (!db->in_tx)
		return;
	if (db->pg != NULL)
		pg_rollback(db);
	else
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
	writer_return(db);
	pthread_mutex_unlock(&write_lock);
}

/* The first column of the first row of sql on connection h into out ("" without a row).
 * 0, or -1 when sql does not prepare. */
static int
query_text(sqlite3 *h, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	const unsigned char *text = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	snprintf(out, outlen, "%s", text ? (const char *)text : "");
	sqlite3_finalize(st);
	return 0;
}

int
db_pragma_text(struct store *db, const char *sql, char *out, size_t outlen)
{
	if (db->pg != NULL)
		return pg_query_text(db, sql, out, outlen);
	return query_text(db->h, sql, out, outlen);
}

/* ---- column helpers ---- */

char *
db_dup(struct arena *a, struct db_stmt *st, int col)
{
	return arena_strdup(a, db_text(st, col));
}

char *
db_dup_null(struct arena *a, struct db_stmt *st, int col)
{
	return db_is_null(st, col) ? NULL : arena_strdup(a, db_text(st, col));
}

unsigned char *
db_blob(struct arena *a, struct db_stmt *st, int col, size_t *len)
{
	*len = 0;
	if (db_is_null(st, col))
		return NULL;
	const void *p = db_bytes(st, col, len);
	unsigned char *out = arena_alloc(a, *len ? *len : 1);
	if (out != NULL && *len)
		memcpy(out, p, *len);
	return out;
}

const void *
db_bytes(struct db_stmt *q, int col, size_t *len)
{
	if (q->lite == NULL)
		return pg_bytes(q, col, len);
	sqlite3_stmt *st = lite(q);
	*len = (size_t)sqlite3_column_bytes(st, col);
	return sqlite3_column_blob(st, col);
}

int
db_found(int rc)
{
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int64_t
db_checked(struct store *s, int64_t v)
{
	return s->failed ? -1 : v;
}

/* The state that the word in column col stands for (parse: states.c), or dflt. */
static int
state_at(struct db_stmt *st, int col, int (*parse)(const char *), int dflt)
{
	int v = parse(db_text(st, col));
	return v < 0 ? dflt : v;
}

enum partner_type db_partner_type(struct db_stmt *st, int col) { return state_at(st, col, partner_type_parse, PT_INDIRECT_RESELLER); }
enum pa_status db_pa_status(struct db_stmt *st, int col) { return state_at(st, col, pa_status_parse, PA_DRAFT); }
enum inv_status db_inv_status(struct db_stmt *st, int col) { return state_at(st, col, inv_status_parse, INV_PENDING); }
enum rel_status db_rel_status(struct db_stmt *st, int col) { return state_at(st, col, rel_status_parse, RS_ACTIVE); }
enum tenant_kind db_tenant_kind(struct db_stmt *st, int col) { return state_at(st, col, tenant_kind_parse, TENANT_PARTNER); }
enum sub_status db_sub_status(struct db_stmt *st, int col) { return state_at(st, col, sub_status_parse, SUB_ACTIVE); }

void
db_done(struct db_stmt *q)
{
	if (q == NULL)
		return;
	if (q->lite == NULL)
		pg_done(q);
	else
		sqlite3_reset(q->lite);
}

/* ---- reading rows into structs ---- */

int
db_one(struct arena *a, struct db_stmt *st, db_read_fn *read, void *out)
{
	int rc = db_step(st);
	if (rc == SQLITE_ROW)
		read(a, st, out);
	db_done(st);
	return db_found(rc);
}

void *
db_list(struct store *s, struct arena *a, struct db_stmt *st, int64_t max, size_t size, db_read_fn *read, size_t *n)
{
	/* Room for max rows at once (at least one, so that a list without rows is not NULL);
	 * for DB_ALL room for 8, doubled as needed. A step error fails the store. */
	size_t cap = max == DB_ALL ? 8 : max > 0 ? (size_t)max : 1;
	void *v = max >= 0 ? arena_alloc(a, cap * size) : NULL;
	*n = 0;
	while (v != NULL && (int64_t)*n < max && db_step(st) == SQLITE_ROW) {
		v = arena_grow(a, v, *n, &cap, size, 8);	/* grows only for DB_ALL */
		if (v == NULL)
			break;
		read(a, st, (char *)v + *n * size);
		(*n)++;
	}
	db_done(st);
	if (v == NULL || s->failed) {
		*n = 0;
		return NULL;
	}
	return v;
}

void
db_read_text(struct arena *a, struct db_stmt *st, void *out)
{
	*(const char **)out = db_dup(a, st, 0);
}

/* ---- store.h: lifecycle and the unit of work ---- */

int
store_open(struct store **out, const char *path, bool migrate, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (db_open(s, path, migrate, err, errlen) < 0) {
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	db_close(s);
	free(s);
}

int
store_begin_write(struct store *s)
{
	store_read_end(s);
	return db_begin(s);
}

int
store_commit(struct store *s)
{
	return db_commit(s);
}

int
store_commit_nosync(struct store *s)
{
	if (s->pg != NULL && s->in_tx && !s->failed && pg_nosync(s) < 0)
		s->failed = true;
	return commit(s, false);
}

void
store_io_counts(uint64_t *commits, uint64_t *syncs)
{
	*commits = __atomic_load_n(&io_commits, __ATOMIC_RELAXED);
	*syncs = __atomic_load_n(&io_syncs, __ATOMIC_RELAXED);
}

void
store_rollback(struct store *s)
{
	db_rollback(s);
}

bool
store_in_write(const struct store *s)
{
	return s->in_tx != 0;
}

bool
store_failed(const struct store *s)
{
	return s->failed;
}

void
store_clear_failure(struct store *s)
{
	s->failed = false;
}

int
store_ping(struct store *s)
{
	char out[32];
	return db_pragma_text(s, "SELECT count(*) FROM regions", out, sizeof(out)) == 0 && out[0] != '\0';
}

void
store_checkpoint(struct store *s)
{
	if (s->pg != NULL)
		return;		/* PostgreSQL checkpoints by itself */
	char out[64];
	db_pragma_text(s, "PRAGMA wal_checkpoint(PASSIVE)", out, sizeof(out));
}

int
store_version(struct store *s)
{
	return s->pg != NULL ? pg_version(s) : user_version(s->h);
}

bool
store_created(const struct store *s)
{
	return s->created;
}

bool
store_is_postgres(const struct store *s)
{
	return s->pg != NULL;
}

int
store_check(struct store *s, char *err, size_t errlen)
{
	char out[256];
	/* PostgreSQL checks its pages itself (and its DBAs with it); foreign keys are always
	 * enforced there. What is left to ask is whether it answers. */
	if (s->pg != NULL) {
		if (!store_ping(s)) {
			snprintf(err, errlen, "PostgreSQL does not answer");
			return -1;
		}
		return 0;
	}
	if (db_pragma_text(s, "PRAGMA integrity_check", out, sizeof(out)) < 0 || strcmp(out, "ok") != 0) {
		snprintf(err, errlen, "integrity_check: %s", out);
		return -1;
	}
	if (db_pragma_text(s, "PRAGMA foreign_key_check", out, sizeof(out)) < 0 || out[0] != '\0') {
		snprintf(err, errlen, "foreign_key_check: a row of table %s points nowhere", out);
		return -1;
	}
	return 0;
}

int
store_backup(struct store *s, const char *dest, int *pages, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	*pages = 0;
	if (s->pg != NULL) {
		snprintf(err, errlen, "the database is PostgreSQL: portalctl backup copies a SQLite file only; "
		    "back it up with pg_dump (or the tools your DBAs run)");
		return -2;
	}
	if (sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dest, dst ? sqlite3_errmsg(dst) : "cannot open");
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->h, "main");
	int rc = SQLITE_ERROR;
	if (b != NULL) {
		/* All pages in one step, from one read snapshot. In WAL mode that holds no writer
		 * up, and it always finishes: copying in small steps restarts whenever another
		 * connection writes, so under steady write load it could go on for ever. */
		for (int tries = 0; tries < 100; tries++) {
			rc = sqlite3_backup_step(b, -1);
			if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
				break;
			sqlite3_sleep(20);
		}
		*pages = sqlite3_backup_pagecount(b);
		sqlite3_backup_finish(b);
	}
	sqlite3_close(dst);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

int
store_check_file(const char *path, bool full, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	char result[64] = "";
	/* read-write (it writes nothing): the last connection to close removes the copy's -wal
	 * and -shm files, which a read-only one would leave behind */
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return -1;
	}
	query_text(h, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", result, sizeof(result));
	sqlite3_close(h);
	if (strcmp(result, "ok") != 0) {
		snprintf(err, errlen, "%s: %s", full ? "integrity_check" : "quick_check", result[0] ? result : "no answer");
		return -1;
	}
	return 0;
}

/* ---- a request's read transaction (store.h: store_read_begin, store_read_end) ----
 * Issue 17: SQLite takes and drops its WAL read lock (fcntl on the -shm file) around every
 * statement run outside a transaction; a request's reads share one deferred transaction
 * instead (the snapshot starts at the first read). store_begin_write ends it before
 * BEGIN IMMEDIATE. BEGIN and COMMIT are prepared once per connection (compiling them per
 * request cost more than the locks they save). A connection that an error left inside no
 * transaction (SQLite rolls back by itself on some) is simply marked closed. */
static int
read_tx_step(struct store *s, int which)
{
	static const char *const sql[2] = { "BEGIN", "COMMIT" };
	if (s->read_tx[which] == NULL &&
	    sqlite3_prepare_v3(s->h, sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s->read_tx[which], NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s->read_tx[which]);
	sqlite3_reset(s->read_tx[which]);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_read_begin(struct store *s)
{
	/* PostgreSQL has no per-statement lock cycle to save (each statement outside a
	 * transaction reads the newest committed data, as before), and an open transaction per
	 * request would hold a snapshot and a round trip more: nothing to do there. */
	if (s->pg != NULL || s->in_tx || s->in_read)
		return 0;
	if (read_tx_step(s, 0) < 0) {
		log_msg("db: BEGIN: %s", sqlite3_errmsg(s->h));
		return -1;
	}
	s->in_read = true;
	return 0;
}

void
store_read_end(struct store *s)
{
	if (!s->in_read)
		return;
	s->in_read = false;
	if (!sqlite3_get_autocommit(s->h) && read_tx_step(s, 1) < 0) {
		log_msg("db: COMMIT of a read: %s", sqlite3_errmsg(s->h));
		sqlite3_exec(s->h, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* db_close: ends an open read and finalizes its two statements. */
static void
store_read_close(struct store *s)
{
	store_read_end(s);
	for (int i = 0; i < 2; i++) {
		sqlite3_finalize(s->read_tx[i]);
		s->read_tx[i] = NULL;
	}
}
