/* driver.h — what the two engines' drivers share (db.c: SQLite and the common part;
 * pg.c: PostgreSQL). Only those two files include it; the area files see db.h. */
#ifndef STORE_DRIVER_H
#define STORE_DRIVER_H

#include "store/db.h"

struct pg_result;

/* A prepared statement of either engine: one handle type, so the area files and the
 * db_* functions do not care which engine runs under them. */
struct db_stmt {
	struct store *s;
	sqlite3_stmt *lite;		/* SQLite: the statement (NULL on PostgreSQL) */
	/* PostgreSQL: the statement is prepared under name on the connection; db_qv runs
	 * it with the bound values at once and keeps the whole result, db_step walks its rows. */
	char name[24];
	char *sql;			/* the text as prepared ($n parameters), for messages */
	int nparams;
	bool returning;			/* " RETURNING id" was added: an INSERT into a table with an id */
	char *with_id;			/* until prepared: the INSERT's text with " RETURNING id" to try */
	bool prepared;			/* prepared on this connection (pg_run prepares it at first use) */
	int ncols;			/* the columns its code reads (-1: not checked) */
	bool error;			/* the last run failed */
	struct pg_result *res;
	int row, nrows;
	unsigned char *bytes;		/* a bytea column decoded by db_bytes */
	size_t bytes_cap;
};

/* The text of a statement for one engine: SQL_LITE_PG parts chosen, and on PostgreSQL
 * ? / ?N placeholders turned into $n (with *nparams their highest number). malloc'ed, or
 * NULL (out of memory). */
char *db_sql_for(const char *text, bool pg, int *nparams);

/* The next "-- migrate: N" section at or after p (db.c). */
const char *db_next_section(const char *p, int *num);

/* ---- pg.c ---- */

/* Whether path names a PostgreSQL database (a postgres:// URI or a key=value string). */
bool pg_is_conninfo(const char *path);
int pg_open(struct store *s, const char *conninfo, bool migrate, char *err, size_t errlen);
void pg_close(struct store *s);
/* pg_prepare readies one statement; pg_prepare_send then settles each INSERT's text (with
 * " RETURNING id" where its table has an id) and, when check and no open of this process has
 * done it yet, prepares all of them on the server at once (one round trip), checking each
 * one's column count; otherwise pg_run prepares each one at its first use. */
int pg_prepare(struct store *s, struct db_stmt *q, const char *area, const char *name, const char *text,
    int ncols, char *err, size_t errlen);
int pg_prepare_send(struct store *s, bool check, char *err, size_t errlen);
void pg_finalize(struct db_stmt *q);
/* Runs q with the values (the result kept in q); false when it failed (logged, failed). */
bool pg_run(struct store *s, struct db_stmt *q, const struct dbv *v, size_t n);
int pg_step(struct db_stmt *q);
const char *pg_text(struct db_stmt *q, int col);
int64_t pg_i64(struct db_stmt *q, int col);
bool pg_is_null(struct db_stmt *q, int col);
const void *pg_bytes(struct db_stmt *q, int col, size_t *len);
void pg_done(struct db_stmt *q);
int pg_begin(struct store *s);
int pg_commit(struct store *s);
int pg_nosync(struct store *s);
void pg_rollback(struct store *s);
int pg_query_text(struct store *s, const char *sql, char *out, size_t outlen);
int pg_version(struct store *s);

#endif
