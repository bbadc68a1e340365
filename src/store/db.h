/* db.h — the database driver, for the files of src/store/ only (everything above the store
 * uses store.h). Two engines sit under the same functions: SQLite (db.c, the default) and
 * PostgreSQL (pg.c), chosen by store_open from its path (PORTAL_DB). One connection per
 * thread; every statement checked once per process (the first open prepares them all) and
 * prepared on each connection at its first use; values only through
 * bound parameters; write transactions serialized (on PostgreSQL across every node).
 *
 * Each area file of the store declares its statements next to the code that reads them:
 *
 *   #include "store/db.h"
 *   #define QUERIES(Q) \
 *       Q(Q_USER_ROLES, 1, "SELECT roles FROM users WHERE id = ?")
 *   SQL_AREA(users, QUERIES);
 *
 *   struct db_stmt *st = db_q(s, Q_USER_ROLES, QI(id));
 *   if (db_step(st) == DB_ROW) ... db_i64(st, 0) ...
 *
 * The number after the name is the statement's column count: db_open refuses to start
 * when a SELECT returns another number of columns than the code beside it reads.
 *
 * Failure is sticky: a statement that fails (a bind, a step, a commit) marks the store
 * failed. store_failed() tells the caller (the dispatcher, portalctl), which rolls back and
 * reports an error instead of success. */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A prepared statement of the connection, opaque above the driver: the area files read
 * it only through the db_* functions below, never through the engine's own API. */
struct db_stmt;

/* What db_step answers besides an error code. */
enum { DB_ROW = SQLITE_ROW, DB_DONE = SQLITE_DONE };

/* ---- statement tables ---- */

struct sql_def {
	const char *name;
	int ncols;			/* columns the code reads: checked at prepare */
	const char *text;
};

struct sql_area {
	const char *name;
	const struct sql_def *defs;
	int n;
};

enum sql_area_id {
#define AREA(name) AREA_##name,
#include "store/areas.def"
#undef AREA
	AREA__COUNT
};

#define AREA(name) extern const struct sql_area sql_area_##name;
#include "store/areas.def"
#undef AREA

/* Every area's table, in areas.def order. */
extern const struct sql_area *const sql_areas[AREA__COUNT];

#define SQL_ENUM_(id, ncols, text) id,
#define SQL_DEF_(id, ncols, text) { #id, ncols, text },
/* Declares an area's statement ids (local to its file), its table, and SQL_THIS_AREA: the
 * area db_q and the other statement macros below mean in that file. */
#define SQL_AREA(area, LIST) \
	enum { LIST(SQL_ENUM_) SQL_N_##area }; \
	enum { SQL_THIS_AREA = AREA_##area }; \
	static const struct sql_def sql_defs_##area[] = { LIST(SQL_DEF_) }; \
	const struct sql_area sql_area_##area = { #area, sql_defs_##area, SQL_N_##area }

struct store {
	sqlite3 *h;			/* SQLite; NULL on PostgreSQL */
	struct pg_conn *pg;		/* PostgreSQL (libpq's PGconn); NULL on SQLite */
	int64_t pg_changes;		/* PostgreSQL: rows the last statement changed */
	int64_t pg_last_id;		/* PostgreSQL: the id the last INSERT returned */
	bool created;			/* this open created the schema (the database was empty) */
	struct db_stmt **q[AREA__COUNT];
	int in_tx;			/* a write transaction is open (we hold the write lock) */
	bool in_read;			/* a request's read transaction is open (store_read_begin) */
	bool wal;			/* SQLite in WAL mode: commits are synced by db_commit's group sync */
	struct wal_group *group;	/* its database file's group (db.c), NULL: sync every commit */
	/* Issue 17: a write transaction runs on its file's one writer connection (db.c,
	 * db_begin), whose page cache stays warm between writes; h and q are that connection's
	 * while in_tx, and these hold this store's own meanwhile. */
	sqlite3 *own_h;
	struct db_stmt **own_q[AREA__COUNT];
	bool is_writer;			/* this is a file's writer connection (db.c) */
	bool counted;			/* counted among its group's users */
	sqlite3_stmt *read_tx[2];	/* its BEGIN and COMMIT, prepared on first use */
	bool failed;			/* a statement failed since the last store_clear_failure */
	uint64_t statements;		/* statements run on this connection (issue 17's tests count them) */
	/* Reference data the schema's migrations make and nothing changes while the program
	 * runs (the countries and their regions), read once per connection: it lives as long
	 * as the connection. A migration needs a restart anyway (statements are prepared at
	 * open). */
	struct arena cache;
	struct country_list countries;
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
/* Text where NULL binds "" (columns that are NOT NULL, optional in the struct). */
#define QTE(x) QT(db_or_empty(x))
#define QB(p, len) ((struct dbv){ .type = 'b', .b = (p), .n = (len) })
#define QNULL ((struct dbv){ .type = 'n' })
/* An id, or NULL when it is 0 (optional foreign keys). */
#define QID(x) ((x) ? QI(x) : QNULL)
static inline const char *
db_or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* ---- SQL text several areas use ---- */

/* Per-engine SQL kept side by side: SQL_LITE_PG("sqlite text", "postgresql text") inside a
 * statement's text; the driver keeps the part of its engine when it prepares the statement.
 * Use it only where no text both engines accept exists (SQLite 3.40 has no string_agg,
 * PostgreSQL no group_concat). */
#define SQL_LITE_PG(lite, pg) "\x01" lite "\x02" pg "\x03"

/* An organization's MPN IDs as one text, for a query over tenants t. */
#define SQL_MPN_LIST SQL_LITE_PG( \
	"coalesce((SELECT group_concat(mpn_id, ', ') FROM (SELECT mpn_id FROM tenant_mpn_ids" \
	" WHERE tenant_id = t.id ORDER BY mpn_id)), '')", \
	"coalesce((SELECT string_agg(mpn_id, ', ' ORDER BY mpn_id) FROM tenant_mpn_ids WHERE tenant_id = t.id), '')")

/* issue 17: the searches' trigram index (schema section 28). SQL_SEARCH_IDS(k) is a subquery of
 * the ids of the organizations whose name or domain may contain the search, for the key k that
 * db_search_key makes: SQLite's FTS5 table tenant_search (MATCH a phrase: its trigrams, any
 * case), PostgreSQL's pg_trgm index on lower(name) || ' ' || lower(domain) (LIKE '%...%'). A
 * superset: a statement keeps its own exact test (its LIKE) on the rows it gives. */
#define SQL_SEARCH_IDS(k) SQL_LITE_PG("SELECT rowid AS id FROM tenant_search WHERE tenant_search MATCH " k, \
	"SELECT id FROM tenants WHERE (lower(name) || ' ' || lower(domain::text)) LIKE lower(" k ")")
/* The key of SQL_SEARCH_IDS for the search q (store/search.c): "" when the index would not
 * help (q has fewer than 3 characters, or more than SEARCH_FEW organizations may match it:
 * then the page's own order finds a page of matches soon) and the statement without it is
 * the one to use; NULL when a statement failed or out of memory. */
#define SEARCH_FEW 1000
const char *db_search_key(struct store *s, struct arena *a, const char *q);
/* The same into key (n bytes; a key that does not fit: "", the statement without the index);
 * false when a statement failed. */
bool db_search_key_in(struct store *s, const char *q, char *key, size_t n);
/* The same, and how many organizations the index gave for the key (0: the search matches no
 * organization's name or domain, so a search of those alone finds nothing; -1 when the key is
 * ""). */
bool db_search_key_found(struct store *s, const char *q, char *key, size_t n, int64_t *found);

/* Opens path (":memory:" for tests) into s, sets the connection's pragmas, applies pending
 * migrations when migrate is true, and prepares every statement of every area. 0 or -1
 * with err. */
int db_open(struct store *s, const char *path, bool migrate, char *err, size_t errlen);
void db_close(struct store *s);

/* Applies the schema sections above the database's user_version (see schema.sql).
 * Returns the resulting version, or -1 with err (also when the database is newer than
 * this program). */
int db_migrate(sqlite3 *h, char *err, size_t errlen);
/* The same, applying only sections numbered up to target (tests build old databases). */
int db_migrate_to(sqlite3 *h, int target, char *err, size_t errlen);
/* The same on the PostgreSQL database conninfo names (tests build old databases there too):
 * the resulting version, or -1 with err. */
int db_pg_migrate_to(const char *conninfo, int target, char *err, size_t errlen);


/* Resets statement id of area and binds the values; NULL if binding failed (logged,
 * and the store is failed). */
struct db_stmt *db_qv(struct store *s, int area, int id, const struct dbv *v, size_t n);
#define db_q(s, id, ...) db_qv((s), SQL_THIS_AREA, (id), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define db_q0(s, id) db_qv((s), SQL_THIS_AREA, (id), NULL, 0)

/* Steps st: DB_ROW, DB_DONE, or an error code (logged with the statement; the
 * store is failed). */
int db_step(struct db_stmt *st);
/* Runs a statement to completion: returns sqlite3_changes, or -1 on error (failed). */
int db_runv(struct store *s, int area, int id, const struct dbv *v, size_t n);
#define db_run(s, id, ...) db_runv((s), SQL_THIS_AREA, (id), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define db_run0(s, id) db_runv((s), SQL_THIS_AREA, (id), NULL, 0)
/* Runs an INSERT: the new row's id, or -1 on error (failed). */
int64_t db_insertv(struct store *s, int area, int id, const struct dbv *v, size_t n);
#define db_insert(s, id, ...) db_insertv((s), SQL_THIS_AREA, (id), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
/* The first column of the first row as an integer, dflt when there is no row (or NULL),
 * and dflt with the store failed on error. */
int64_t db_intv(struct store *s, int area, int id, int64_t dflt, const struct dbv *v, size_t n);
#define db_int(s, id, dflt, ...) db_intv((s), SQL_THIS_AREA, (id), (dflt), (const struct dbv[]){ __VA_ARGS__ }, \
	sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define db_int0(s, id, dflt) db_intv((s), SQL_THIS_AREA, (id), (dflt), NULL, 0)

/* Column helpers: text never NULL ("" for NULL). */
const char *db_text(struct db_stmt *st, int col);
/* The same copied into the arena (the statement's memory lasts only until the next step). */
char *db_dup(struct arena *a, struct db_stmt *st, int col);
/* The same, NULL for SQL NULL. */
char *db_dup_null(struct arena *a, struct db_stmt *st, int col);
/* A blob copied into the arena with its length in *len; NULL for SQL NULL (or no memory). */
unsigned char *db_blob(struct arena *a, struct db_stmt *st, int col, size_t *len);
/* A blob's or text's bytes and length, valid until the statement's next step or reset. */
const void *db_bytes(struct db_stmt *st, int col, size_t *len);
int64_t db_i64(struct db_stmt *st, int col);
bool db_is_null(struct db_stmt *st, int col);
int64_t db_last_id(struct store *s);
/* A one-row read's answer from db_step's code: 1 found, 0 none, -1 error. */
int db_found(int rc);
/* A value read with db_int: itself, or -1 when the store has failed. */
int64_t db_checked(struct store *s, int64_t v);
/* The state stored as a word in column col (the schema's CHECK constraints allow only
 * these words; an unknown one, from a schema this build does not know, reads as the first
 * state rather than out of range). */
enum partner_type db_partner_type(struct db_stmt *st, int col);
enum pa_status db_pa_status(struct db_stmt *st, int col);
enum inv_status db_inv_status(struct db_stmt *st, int col);
enum rel_status db_rel_status(struct db_stmt *st, int col);
enum tenant_kind db_tenant_kind(struct db_stmt *st, int col);
enum sub_status db_sub_status(struct db_stmt *st, int col);
/* "indirect_reseller:approved,direct_bill:draft" (an organization's partner accounts as
 * type:status pairs) into pa[], PA_NONE where absent (sessions.c). */
void db_parse_accounts(const char *text, int pa[PT__COUNT]);
/* Resets a statement after reading (frees its read lock); NULL is fine. */
void db_done(struct db_stmt *st);

/* ---- reading rows into structs ----
 *
 * A reader reads the current row of a statement into one struct (its strings copied into
 * the arena); it reads exactly the columns its statements declare:
 *
 *   static void
 *   read_region(struct arena *a, struct db_stmt *st, void *out)
 *   {
 *   	*(struct region *)out = (struct region){ .code = db_dup(a, st, 0), .name = db_dup(a, st, 1) };
 *   }
 *   return db_one(a, db_q(s, Q_REGION, QT(code)), read_region, out);        // one row
 *   return DB_LIST(s, a, db_q0(s, Q_REGIONS), DB_ALL, out, read_region);     // a list */
typedef void db_read_fn(struct arena *a, struct db_stmt *st, void *out);

/* A one-row lookup: steps st once and reads the row into out when there is one; resets st.
 * 1 found, 0 none, -1 error. */
int db_one(struct arena *a, struct db_stmt *st, db_read_fn *read, void *out);

/* Every row, however many: room grows as they come. */
#define DB_ALL INT64_MAX
/* A list: reads the rows of st, at most max of them (a count read just before, a page's
 * size, or DB_ALL), each by read into an array of elements of size bytes in the arena,
 * with room for max of them taken at once; resets st. Returns the array (never NULL on
 * success, even without rows) with *n set, or NULL with *n 0 when max < 0 (a failed
 * count), out of memory, or the store has failed. */
void *db_list(struct store *s, struct arena *a, struct db_stmt *st, int64_t max, size_t size, db_read_fn *read,
    size_t *n);
/* db_list into list (a struct with members v and n): 0, or -1. */
#define DB_LIST(s, a, st, max, list, read) \
	(((list)->v = db_list((s), (a), (st), (max), sizeof(*(list)->v), (read), &(list)->n)) != NULL ? 0 : -1)
/* A reader of one text column (column 0) into a const char *. */
void db_read_text(struct arena *a, struct db_stmt *st, void *out);

/* BEGIN IMMEDIATE, holding this process's write lock until commit/rollback, so that
 * writers queue in-process instead of sleeping in SQLite's busy handler. 0 or -1. */
int db_begin(struct store *s);
int db_commit(struct store *s);		/* 0, or -1 (then rolled back) */
void db_rollback(struct store *s);

/* Runs a PRAGMA or statement that returns one text value (tests, healthz, portalctl). */
int db_pragma_text(struct store *s, const char *sql, char *out, size_t outlen);

#endif
