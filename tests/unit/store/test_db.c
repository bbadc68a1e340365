/* test_db.c — migrations on old and new databases, connection settings, statements,
 * transactions and the seeded reference data (db.c, schema.sql, queries.def). */
#include "unit.h"

static sqlite3 *
open_raw(const char *path)
{
	sqlite3 *h = NULL;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	return h;
}

/* Every row of a query, one line per row, columns separated by '|'. */
static const char *
dump(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
	struct buf b;
	buf_init(&b, &A);
	buf_puts(&b, "");
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *s = sqlite3_column_text(st, i);
			buf_printf(&b, "%s%s", i ? "|" : "", s ? (const char *)s : "NULL");
		}
		buf_putc(&b, '\n');
	}
	sqlite3_finalize(st);
	return b.p;
}

static const char *
master(sqlite3 *h)
{
	return dump(h, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
}

/* Row counts of every table, for comparing seeded data. */
static const char *
counts(sqlite3 *h)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &st,
	    NULL), SQLITE_OK);
	struct buf b;
	buf_init(&b, &A);
	buf_puts(&b, "");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char *q = arena_printf(&A, "SELECT count(*) FROM \"%s\"", name);
		buf_printf(&b, "%s=%lld\n", name, unit_sql_int(h, q));
	}
	sqlite3_finalize(st);
	return b.p;
}

static int
migrate(sqlite3 *h, int target)
{
	char err[512];
	int v = db_migrate_to(h, target, err, sizeof(err));
	ck_assert_msg(v >= 0, "migrate to %d: %s", target, err);
	return v;
}

START_TEST(schema_has_sections)
{
	int latest = store_schema_version();
	ck_assert_int_ge(latest, 1);
	/* Section numbers start at 1 and have no gaps. */
	const char *s = store_schema_text();
	for (int n = 1; n <= latest; n++) {
		char mark[32];
		snprintf(mark, sizeof(mark), "\n-- migrate: %d", n);
		ck_assert_msg(strstr(s, mark) != NULL, "schema.sql has no section %d", n);
	}
}
END_TEST

START_TEST(old_database_migrates_like_fresh)
{
	int latest = store_schema_version();
	sqlite3 *fresh = open_raw(":memory:");
	char err[512];
	ck_assert_int_eq(db_migrate(fresh, err, sizeof(err)), latest);

	/* A database from every earlier version, brought up to date. */
	for (int from = 1; from < latest; from++) {
		sqlite3 *old = open_raw(":memory:");
		ck_assert_int_eq(migrate(old, from), from);
		ck_assert_int_eq(unit_sql_int(old, "PRAGMA user_version"), from);
		ck_assert_str_ne(master(old), master(fresh));
		ck_assert_int_eq(db_migrate(old, err, sizeof(err)), latest);
		ck_assert_str_eq(master(old), master(fresh));
		ck_assert_str_eq(counts(old), counts(fresh));
		ck_assert_str_eq(dump(old, "SELECT * FROM countries ORDER BY code"),
		    dump(fresh, "SELECT * FROM countries ORDER BY code"));
		sqlite3_close(old);
	}
	sqlite3_close(fresh);
}
END_TEST

START_TEST(version_one_only)
{
	sqlite3 *h = open_raw(":memory:");
	ck_assert_int_eq(migrate(h, 1), 1);
	/* Section 1 tables are there; nothing from later sections. */
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), 1);
	ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'link_tokens'"), 1);
	if (store_schema_version() >= 2)
		ck_assert_int_eq(unit_sql_int(h, "SELECT count(*) FROM sqlite_master WHERE name = 'partner_accounts'"), 0);
	/* Target 0 applies nothing. */
	sqlite3 *empty = open_raw(":memory:");
	ck_assert_int_eq(migrate(empty, 0), 0);
	ck_assert_int_eq(unit_sql_int(empty, "SELECT count(*) FROM sqlite_master"), 0);
	sqlite3_close(empty);
	sqlite3_close(h);
}
END_TEST

START_TEST(migrations_are_idempotent)
{
	sqlite3 *h = open_raw(":memory:");
	char err[512];
	int latest = store_schema_version();
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), latest);
	const char *before = master(h), *rows = counts(h);
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), latest);
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), latest);
	/* Asking for an older version never goes back. */
	ck_assert_int_eq(migrate(h, 1), latest);
	ck_assert_str_eq(master(h), before);
	ck_assert_str_eq(counts(h), rows);
	ck_assert_int_eq(unit_sql_int(h, "PRAGMA user_version"), latest);
	sqlite3_close(h);
}
END_TEST

START_TEST(migrated_database_is_sound)
{
	struct store db;
	unit_db_open(&db);
	char out[256];
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA user_version"), store_schema_version());
	ck_assert_int_eq(db_pragma_text(&db, "PRAGMA integrity_check", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ok");
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	ck_assert_str_eq(dump(db.h, "PRAGMA foreign_key_check"), "");
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA foreign_keys"), 1);
	db_close(&db);

	/* The same for a database built in steps. */
	sqlite3 *h = open_raw(":memory:");
	migrate(h, 1);
	char err[512];
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), store_schema_version());
	ck_assert_str_eq(dump(h, "PRAGMA integrity_check"), "ok\n");
	ck_assert_str_eq(dump(h, "PRAGMA foreign_key_check"), "");
	sqlite3_close(h);
}
END_TEST

/* The path of a database file (not made yet) in a new temporary directory. */
static const char *
db_file(void)
{
	unit_tmpdir(TMP, sizeof(TMP));
	return arena_printf(&A, "%s/portal.db", TMP);
}

START_TEST(newer_database_refused)
{
	const char *path = db_file();
	char err[512];
	struct store db;
	ck_assert_msg(db_open(&db, path, true, err, sizeof(err)) == 0, "%s", err);
	db_close(&db);

	int latest = store_schema_version();
	sqlite3 *h = open_raw(path);
	char *set = arena_printf(&A, "PRAGMA user_version = %d", latest + 1);
	ck_assert_int_eq(sqlite3_exec(h, set, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	err[0] = '\0';
	ck_assert_int_eq(db_open(&db, path, true, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "newer") != NULL, "unclear error: %s", err);
	ck_assert_msg(strstr(err, arena_printf(&A, "version %d", latest + 1)) != NULL, "unclear error: %s", err);
	ck_assert_ptr_null(db.h);
	err[0] = '\0';
	ck_assert_int_eq(db_open(&db, path, false, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "newer") != NULL, "unclear error: %s", err);

	/* Nothing was changed by the attempt. */
	h = open_raw(path);
	ck_assert_int_eq(unit_sql_int(h, "PRAGMA user_version"), latest + 1);
	err[0] = '\0';
	ck_assert_int_eq(db_migrate(h, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "newer"));
	sqlite3_close(h);
}
END_TEST

START_TEST(older_database_needs_migrate)
{
	const char *path = db_file();
	char err[512];
	sqlite3 *h = open_raw(path);
	migrate(h, 1);
	sqlite3_close(h);
	struct store db;
	if (store_schema_version() > 1) {
		/* Workers open without migrating: an old database is refused with a hint. */
		ck_assert_int_eq(db_open(&db, path, false, err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "portalctl init"));
	}
	ck_assert_msg(db_open(&db, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA user_version"), store_schema_version());
	db_close(&db);
}
END_TEST

START_TEST(connection_settings)
{
	const char *path = db_file();
	char err[512], out[64];
	struct store db;
	ck_assert_msg(db_open(&db, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(db_pragma_text(&db, "PRAGMA journal_mode", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "wal");
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA foreign_keys"), 1);
	/* NORMAL: db_commit syncs the WAL itself (issue 17's group commit, test_group_commit.c) */
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA synchronous"), 1);
	ck_assert_int_eq(unit_sql_int(db.h, "PRAGMA busy_timeout"), 5000);
	db_close(&db);
	ck_assert_ptr_null(db.h);
}
END_TEST

START_TEST(every_statement_prepares)
{
	struct store db;
	unit_check_statements = true;	/* as the portal's start: each one prepared and its columns compared */
	unit_db_open(&db);
	for (int a = 0; a < AREA__COUNT; a++)
		for (int i = 0; i < sql_areas[a]->n; i++)
			ck_assert_msg(db.q[a][i] != NULL, "statement %s.%s is not prepared", sql_areas[a]->name,
			    sql_areas[a]->defs[i].name);
	db_close(&db);
}
END_TEST

START_TEST(countries_and_regions)
{
	struct store db;
	unit_db_open(&db);
	ck_assert_int_ge(unit_sql_int(db.h, "SELECT count(*) FROM countries"), 40);
	ck_assert_int_ge(unit_sql_int(db.h, "SELECT count(DISTINCT region) FROM countries"), 4);
	/* Every region is real and used; every code is two capitals. */
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM countries c LEFT JOIN regions r ON r.code = c.region"
	    " WHERE r.code IS NULL"), 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM regions r WHERE NOT EXISTS"
	    " (SELECT 1 FROM countries c WHERE c.region = r.code)"), 0);
	/* Through the program's own statements. */
	struct arena a;
	arena_init(&a, 0);
	struct country c;
	ck_assert_int_eq(st_country_get(&db, &a, "DE", &c), 1);
	ck_assert_str_eq(c.name, "Germany");
	ck_assert_str_eq(c.region, "EUR");
	ck_assert_int_eq(st_country_get(&db, &a, "XX", &c), 0);
	struct country_list all;
	ck_assert_int_eq(st_countries(&db, &a, &all), 0);
	ck_assert_uint_ge(all.n, 40);
	for (size_t i = 1; i < all.n; i++)
		ck_assert_int_le(strcmp(all.v[i - 1].name, all.v[i].name), 0);	/* by name */
	/* Read once per connection: the second call answers from the connection's cache, and
	 * the list outlives the caller's arena. */
	arena_free(&a);
	struct country_list again;
	ck_assert_int_eq(st_countries(&db, &a, &again), 0);
	ck_assert_ptr_eq(again.v, all.v);
	ck_assert_uint_eq(again.n, all.n);
	ck_assert_str_eq(again.v[0].name, all.v[0].name);
	arena_free(&a);
	db_close(&db);
}
END_TEST

/* An audit row by the operator at time `at` (the simplest insert every area can make). */
static int64_t
audit_at(struct store *db, int64_t at, const char *outcome)
{
	struct audit_row e = { .at = at, .actor = "operator", .action = "test", .outcome = outcome };
	return st_audit_insert(db, &e);
}

START_TEST(transactions_and_helpers)
{
	struct store db;
	unit_db_open(&db);
	/* A rolled-back write leaves nothing. */
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(db.in_tx, 1);
	ck_assert_int_eq(db_begin(&db), 0);			/* nested begin: same transaction */
	ck_assert_int_gt(audit_at(&db, 1, "ok"), 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM audit"), 1);
	db_rollback(&db);
	ck_assert_int_eq(db.in_tx, 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM audit"), 0);
	/* A committed one stays; an insert returns the new id. */
	ck_assert_int_eq(store_begin_write(&db), 0);
	int64_t id = audit_at(&db, 2, "ok");
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(db_last_id(&db), id);
	ck_assert_int_eq(store_commit(&db), 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM audit WHERE at = 2"), 1);
	ck_assert(!store_failed(&db));
	/* A constraint violation is -1, not a crash; it marks the store failed (sticky), and
	 * a failed store is never committed: what else the transaction wrote is rolled back. */
	ck_assert_int_eq(store_begin_write(&db), 0);
	ck_assert_int_gt(audit_at(&db, 3, "ok"), 0);
	ck_assert_int_eq(audit_at(&db, 3, "not an outcome"), -1);
	ck_assert(store_failed(&db));
	ck_assert_int_gt(audit_at(&db, 3, "ok"), 0);		/* later statements still run */
	ck_assert(store_failed(&db));				/* ... and do not clear it */
	ck_assert_int_eq(store_commit(&db), -1);
	ck_assert(!store_in_write(&db));
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM audit WHERE at = 3"), 0);
	/* Only the owner of the request clears it; then the store works as before. */
	store_clear_failure(&db);
	ck_assert_int_eq(store_begin_write(&db), 0);
	ck_assert_int_gt(audit_at(&db, 4, "ok"), 0);
	ck_assert_int_eq(store_commit(&db), 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM audit WHERE at = 4"), 1);
	/* NULL text binds NULL; the text helpers never return NULL for it. */
	struct outbox_list list;
	ck_assert_int_eq(store_begin_write(&db), 0);
	ck_assert_int_gt(st_outbox_insert(&db, 1, "a@b.example", "s", "t", "message"), 0);
	ck_assert_int_eq(store_commit(&db), 0);
	struct arena a;
	arena_init(&a, 0);
	ck_assert_int_eq(st_outbox_list(&db, &a, 5, &list), 0);
	ck_assert_uint_eq(list.n, 1);
	ck_assert_int_eq(list.v[0].sent_at, 0);
	ck_assert_str_eq(list.v[0].last_error, "");
	arena_free(&a);
	db_close(&db);
}
END_TEST

/* A request's reads in one snapshot (store_read_begin/store_read_end, issue 17): another
 * connection's commit is not seen until the read ends; a write transaction ends the read
 * first and sees the newest data; inside a write, store_read_begin does nothing. */
START_TEST(read_transaction)
{
	unit_tmpdir(TMP, sizeof(TMP));
	const char *path = arena_printf(&A, "%s/read.db", TMP);
	struct store a, b;
	char err[256];
	ck_assert_msg(db_open(&a, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(db_open(&b, path, false, err, sizeof(err)) == 0, "%s", err);
	store_read_end(&a);					/* none open: nothing */
	ck_assert_int_eq(store_read_begin(&a), 0);
	ck_assert_int_eq(store_read_begin(&a), 0);		/* already open: the same one */
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 0);
	ck_assert_int_eq(store_begin_write(&b), 0);
	ck_assert_int_gt(audit_at(&b, 1, "ok"), 0);
	ck_assert_int_eq(store_commit(&b), 0);
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 0);	/* the snapshot */
	/* A write ends the read: it reads the newest data and commits. */
	ck_assert_int_eq(store_begin_write(&a), 0);
	ck_assert(store_in_write(&a));
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 1);
	ck_assert_int_gt(audit_at(&a, 2, "ok"), 0);
	ck_assert_int_eq(store_read_begin(&a), 0);		/* inside the write: nothing */
	ck_assert_int_eq(store_commit(&a), 0);
	store_read_end(&a);
	ck_assert(!store_failed(&a));
	/* After store_read_end the next reads see what others committed. */
	ck_assert_int_eq(store_read_begin(&a), 0);
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 2);
	ck_assert_int_eq(store_begin_write(&b), 0);
	ck_assert_int_gt(audit_at(&b, 3, "ok"), 0);
	ck_assert_int_eq(store_commit(&b), 0);
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 2);
	store_read_end(&a);
	ck_assert_int_eq(unit_sql_int(a.h, "SELECT count(*) FROM audit"), 3);
	ck_assert(sqlite3_get_autocommit(a.h));
	db_close(&b);
	db_close(&a);
}
END_TEST

UNIT_MAIN("db",
	unit_timeout(30, unit_case("migrations", unit_setup, unit_teardown, UNIT_TESTS(schema_has_sections,
	    old_database_migrates_like_fresh, version_one_only, migrations_are_idempotent, migrated_database_is_sound,
	    newer_database_refused, older_database_needs_migrate))),
	unit_timeout(30, unit_case("connection", unit_setup, unit_teardown, UNIT_TESTS(connection_settings,
	    every_statement_prepares, countries_and_regions, transactions_and_helpers, read_transaction))))
