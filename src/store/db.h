/* db.h — SQLite: one connection per thread, every statement prepared once per connection
 * (queries.def), values only through bound parameters, write transactions serialized.
 *
 *   sqlite3_stmt *st = db_q(db, Q_USER_BY_EMAIL, QT(email));
 *   if (db_step(st) == SQLITE_ROW) ... db_text(st, 0) ...
 *   db_run(db, Q_SESSION_DELETE, QI(id));
 */
#ifndef DB_H
#define DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum q {
#define Q(name, sql) name,
#include "store/queries.def"
#undef Q
	Q__COUNT
};

struct db {
	sqlite3 *h;
	sqlite3_stmt *q[Q__COUNT];
	int in_tx;			/* a write transaction is open (we hold the write lock) */
};

/* One bound value. */
struct dbv {
	char type;			/* 'i' integer, 't' text, 'b' blob, 'n' NULL */
	int64_t i;
	const char *s;			/* text (NULL binds NULL) */
	const void *b;
	size_t n;
};
#define QI(x) ((struct dbv){ .type = 'i', .i = (int64_t)(x) })
#define QT(x) ((struct dbv){ .type = 't', .s = (x) })
#define QB(p, len) ((struct dbv){ .type = 'b', .b = (p), .n = (len) })
#define QNULL ((struct dbv){ .type = 'n' })

/* Opens path (":memory:" for tests), sets the connection's pragmas, applies pending
 * migrations when migrate is true, and prepares every statement. 0 or -1 with err. */
int db_open(struct db *db, const char *path, bool migrate, char *err, size_t errlen);
void db_close(struct db *db);

/* Applies the schema sections above the database's user_version (see schema.sql).
 * Returns the resulting version, or -1 with err (also when the database is newer than
 * this program). */
int db_migrate(sqlite3 *h, char *err, size_t errlen);
/* The same, applying only sections numbered up to target (tests build old databases). */
int db_migrate_to(sqlite3 *h, int target, char *err, size_t errlen);
/* The highest section number in the compiled-in schema. */
int db_schema_version(void);
const char *db_schema_text(void);

/* Resets statement id and binds the values; NULL if binding failed (logged). */
sqlite3_stmt *db_qv(struct db *db, enum q id, const struct dbv *v, size_t n);
#define db_q(db, id, ...) db_qv((db), (id), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define db_q0(db, id) db_qv((db), (id), NULL, 0)

/* Steps st: SQLITE_ROW, SQLITE_DONE, or an error code (logged with the statement). */
int db_step(sqlite3_stmt *st);
/* Runs a statement to completion: returns sqlite3_changes, or -1 on error. */
int db_runv(struct db *db, enum q id, const struct dbv *v, size_t n);
#define db_run(db, id, ...) db_runv((db), (id), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define db_run0(db, id) db_runv((db), (id), NULL, 0)
/* The first column of the first row as an integer, or dflt when there is no row. */
int64_t db_intv(struct db *db, enum q id, int64_t dflt, const struct dbv *v, size_t n);
#define db_int(db, id, dflt, ...) db_intv((db), (id), (dflt), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))

/* Column helpers: text never NULL ("" for NULL). */
const char *db_text(sqlite3_stmt *st, int col);
int64_t db_i64(sqlite3_stmt *st, int col);
bool db_is_null(sqlite3_stmt *st, int col);
int64_t db_last_id(struct db *db);

/* BEGIN IMMEDIATE, holding this process's write lock until commit/rollback, so that
 * writers queue in-process instead of sleeping in SQLite's busy handler. 0 or -1. */
int db_begin(struct db *db);
int db_commit(struct db *db);		/* 0, or -1 (then rolled back) */
void db_rollback(struct db *db);

/* Runs a PRAGMA or statement that returns one text value (tests, healthz, portalctl). */
int db_pragma_text(struct db *db, const char *sql, char *out, size_t outlen);

#endif
