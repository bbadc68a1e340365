/* test_writer.c — issue 17: on a SQLite file, every write transaction of the process runs on
 * the file's one writer connection (db.c, db_begin), so its page cache survives the other
 * stores' writes; each store reads on its own connection again once its write ended. */
#include "unit.h"

static int64_t
queue(struct store *s, const char *to)
{
	return st_outbox_insert(s, 1800000000, to, "Hello", "hello", "Subject: Hello\r\n\r\nHi\r\n");
}

/* Pages the connection h read from the file (cache misses) since the last call. */
static int
misses(sqlite3 *h)
{
	int cur = 0, hi = 0;
	sqlite3_db_status(h, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 1);
	return cur;
}

START_TEST(writes_of_every_store_share_one_warm_connection)
{
	UNIT_SQLITE_ONLY("the writer connection is SQLite's (PostgreSQL's server keeps its own buffers)");
	char err[512];
	unit_setup();
	unit_tmpdir(TMP, sizeof(TMP));
	const char *path = arena_printf(&A, "%s/w.db", TMP);
	struct store a, b;
	ck_assert_msg(db_open(&a, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(db_open(&b, path, false, err, sizeof(err)) == 0, "%s", err);
	sqlite3 *own_a = a.h, *own_b = b.h;
	ck_assert_ptr_ne(own_a, own_b);

	/* a's write runs on the writer, not on a's own connection; after it, a's own again */
	ck_assert_int_eq(store_begin_write(&a), 0);
	sqlite3 *w = a.h;
	ck_assert_ptr_ne(w, own_a);
	ck_assert_ptr_ne(w, own_b);
	ck_assert_int_gt(queue(&a, "a@contoso.com"), 0);
	ck_assert_int_eq(store_commit(&a), 0);
	ck_assert_ptr_eq(a.h, own_a);

	/* b's write: the same connection, and after a's commit it read nothing again (a
	 * connection of b's own would have dropped its cache: the WAL changed under it) */
	ck_assert_int_eq(store_begin_write(&b), 0);
	ck_assert_ptr_eq(b.h, w);
	misses(w);
	ck_assert_int_gt(queue(&b, "b@contoso.com"), 0);
	ck_assert_int_eq(misses(w), 0);
	ck_assert_int_eq(store_commit(&b), 0);
	ck_assert_ptr_eq(b.h, own_b);
	/* each store reads the other's rows on its own connection */
	ck_assert_int_eq(unit_sql_int(own_a, "SELECT count(*) FROM outbox"), 2);
	ck_assert_int_eq(unit_sql_int(own_b, "SELECT count(*) FROM outbox"), 2);

	/* A statement that fails on the writer fails the store that ran it, not another one,
	 * and its rollback gives the store its own connection back. */
	ck_assert_int_eq(store_begin_write(&b), 0);
	ck_assert_int_lt(st_outbox_insert(&b, 1800000000, NULL, "x", "x", "x"), 0);
	ck_assert(store_failed(&b));
	ck_assert(!store_failed(&a));
	ck_assert_int_eq(store_commit(&b), -1);
	ck_assert_ptr_eq(b.h, own_b);
	store_clear_failure(&b);
	ck_assert_int_eq(store_begin_write(&a), 0);
	ck_assert_ptr_eq(a.h, w);
	store_rollback(&a);
	ck_assert_ptr_eq(a.h, own_a);
	ck_assert_int_eq(unit_sql_int(own_b, "SELECT count(*) FROM outbox"), 2);

	/* The file's last store closes the writer: a new file at the same path is written, not
	 * the removed one through a connection left open. */
	db_close(&b);
	db_close(&a);
	ck_assert_int_eq(unlink(path), 0);
	unlink(arena_printf(&A, "%s-wal", path));
	unlink(arena_printf(&A, "%s-shm", path));
	ck_assert_msg(db_open(&a, path, true, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(store_begin_write(&a), 0);
	ck_assert_int_gt(queue(&a, "c@contoso.com"), 0);
	ck_assert_int_eq(store_commit(&a), 0);
	sqlite3 *other = NULL;
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(unit_sql_int(other, "SELECT count(*) FROM outbox"), 1);
	sqlite3_close(other);
	db_close(&a);
	unit_teardown();
}
END_TEST

UNIT_MAIN("writer connection",
	unit_timeout(60, unit_case("sqlite", NULL, NULL, UNIT_TESTS(writes_of_every_store_share_one_warm_connection))))
