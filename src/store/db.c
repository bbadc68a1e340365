/* db.c — see db.h. */
#include "store/db.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

extern const char schema_sql[];
extern const char schema_sql_end[];

static const char *const query_sql[Q__COUNT] = {
#define Q(name, sql) sql,
#include "store/queries.def"
#undef Q
};
static const char *const query_name[Q__COUNT] = {
#define Q(name, sql) #name,
#include "store/queries.def"
#undef Q
};

/* Every write transaction of this process goes through this lock (PERF-NOTES pitfall 5);
 * other processes (portalctl) meet us at SQLite's lock with the busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

#define BUSY_TIMEOUT_MS 5000

const char *
db_schema_text(void)
{
	return schema_sql;
}

/* Finds the next "-- migrate: N" line at or after p; returns it or NULL. */
static const char *
next_section(const char *p, int *num)
{
	static const char mark[] = "-- migrate: ";
	while (p != NULL && *p) {
		if (strncmp(p, mark, sizeof(mark) - 1) == 0) {
			*num = atoi(p + sizeof(mark) - 1);
			return p;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

int
db_schema_version(void)
{
	int n = 0, v = 0;
	for (const char *p = next_section(schema_sql, &n); p != NULL; p = next_section(p + 1, &n))
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
	int latest = db_schema_version(), have = user_version(h);
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
	const char *sec = next_section(schema_sql, &num);
	while (sec != NULL && num <= target) {
		int next_num = 0;
		const char *next = next_section(sec + 1, &next_num);
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

int
db_open(struct db *db, const char *path, bool migrate, char *err, size_t errlen)
{
	memset(db, 0, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		db_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	/* WAL: readers never block the writer. synchronous=FULL: an acknowledged action
	 * survives a power cut, not only a crash. The WAL is kept from growing unbounded. */
	if (exec(db->h,
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA journal_size_limit = 67108864;"
	    "PRAGMA temp_store = MEMORY;", err, errlen) < 0) {
		db_close(db);
		return -1;
	}
	if (migrate && db_migrate(db->h, err, errlen) < 0) {
		db_close(db);
		return -1;
	}
	int have = user_version(db->h), want = db_schema_version();
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
	for (int i = 0; i < Q__COUNT; i++) {
		if (sqlite3_prepare_v3(db->h, query_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->q[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", query_name[i], sqlite3_errmsg(db->h));
			db_close(db);
			return -1;
		}
	}
	return 0;
}

void
db_close(struct db *db)
{
	if (db->in_tx)
		db_rollback(db);
	for (int i = 0; i < Q__COUNT; i++)
		if (db->q[i] != NULL) {
			sqlite3_finalize(db->q[i]);
			db->q[i] = NULL;
		}
	if (db->h != NULL) {
		sqlite3_close(db->h);
		db->h = NULL;
	}
}

sqlite3_stmt *
db_qv(struct db *db, enum q id, const struct dbv *v, size_t n)
{
	sqlite3_stmt *st = db->q[id];
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
			log_msg("db: bind %zu of %s: %s", i + 1, query_name[id], sqlite3_errmsg(db->h));
			return NULL;
		}
	}
	return st;
}

int
db_step(sqlite3_stmt *st)
{
	if (st == NULL)
		return SQLITE_MISUSE;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		const char *sql = sqlite3_sql(st);
		log_msg("db: %s: %.80s", sqlite3_errmsg(sqlite3_db_handle(st)), sql ? sql : "?");
	}
	return rc;
}

int
db_runv(struct db *db, enum q id, const struct dbv *v, size_t n)
{
	sqlite3_stmt *st = db_qv(db, id, v, n);
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW)
		;
	int changes = rc == SQLITE_DONE ? sqlite3_changes(db->h) : -1;
	if (st != NULL)
		sqlite3_reset(st);
	return changes;
}

int64_t
db_intv(struct db *db, enum q id, int64_t dflt, const struct dbv *v, size_t n)
{
	sqlite3_stmt *st = db_qv(db, id, v, n);
	int64_t r = dflt;
	if (db_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		r = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	return r;
}

const char *
db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

int64_t
db_i64(sqlite3_stmt *st, int col)
{
	return sqlite3_column_int64(st, col);
}

bool
db_is_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

int64_t
db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int
db_begin(struct db *db)
{
	if (db->in_tx)
		return 0;
	pthread_mutex_lock(&write_lock);
	char err[256];
	if (exec(db->h, "BEGIN IMMEDIATE", err, sizeof(err)) < 0) {
		pthread_mutex_unlock(&write_lock);
		log_msg("db: BEGIN IMMEDIATE: %s", err);
		return -1;
	}
	db->in_tx = 1;
	return 0;
}

int
db_commit(struct db *db)
{
	if (!db->in_tx)
		return 0;
	char err[256];
	int rc = exec(db->h, "COMMIT", err, sizeof(err));
	if (rc < 0) {
		log_msg("db: COMMIT: %s", err);
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	}
	db->in_tx = 0;
	pthread_mutex_unlock(&write_lock);
	return rc;
}

void
db_rollback(struct db *db)
{
	if (!db->in_tx)
		return;
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
	pthread_mutex_unlock(&write_lock);
}

int
db_pragma_text(struct db *db, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);
		snprintf(out, outlen, "%s", s ? (const char *)s : "");
		rc = 0;
	} else {
		snprintf(out, outlen, "%s", "");
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}
