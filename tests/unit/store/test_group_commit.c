/* test_group_commit.c — issue 17's durability decision (db.c, store.h): on SQLite the
 * connections run synchronous=NORMAL and store_commit syncs the WAL itself before it returns
 * (one fdatasync shared by the commits that waited together); store_commit_nosync commits
 * bookkeeping without a sync of its own, and the next synced commit carries it. On
 * PostgreSQL (make unit-pg) store_commit_nosync is a commit with synchronous_commit off. */
#include "unit.h"

#include <pthread.h>

static int64_t
queue(struct store *s, const char *to)
{
	return st_outbox_insert(s, 1800000000, to, "Hello", "hello", "Subject: Hello\r\n\r\nHi\r\n");
}

/* A store on a database file (WAL) in TMP. */
static const char *
open_file_store(struct store *s)
{
	char err[512];
	unit_tmpdir(TMP, sizeof(TMP));
	const char *path = arena_printf(&A, "%s/g.db", TMP);
	ck_assert_msg(db_open(s, path, true, err, sizeof(err)) == 0, "%s", err);
	return path;
}

START_TEST(every_commit_is_synced_before_it_returns)
{
	UNIT_SQLITE_ONLY("the group sync is SQLite's (PostgreSQL flushes its own WAL)");
	unit_setup();
	struct store s;
	const char *path = open_file_store(&s);
	ck_assert_int_eq(unit_sql_int(s.h, "PRAGMA synchronous"), 1);	/* NORMAL: the sync is ours */
	uint64_t c0, s0, c1, s1;
	store_io_counts(&c0, &s0);
	/* One commit alone: exactly one sync, and the row is there for another connection. */
	ck_assert_int_eq(store_begin_write(&s), 0);
	ck_assert_int_gt(queue(&s, "a@contoso.com"), 0);
	ck_assert_int_eq(store_commit(&s), 0);
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1, c0 + 1);
	ck_assert_uint_eq(s1, s0 + 1);
	/* Bookkeeping: committed (another connection sees it) without a sync of its own ... */
	ck_assert_int_eq(store_begin_write(&s), 0);
	ck_assert_int_gt(queue(&s, "b@contoso.com"), 0);
	ck_assert_int_eq(store_commit_nosync(&s), 0);
	store_io_counts(&c0, &s0);
	ck_assert_uint_eq(c0, c1 + 1);
	ck_assert_uint_eq(s0, s1);
	sqlite3 *other = NULL;
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(unit_sql_int(other, "SELECT count(*) FROM outbox"), 2);
	/* ... and the next ordinary commit syncs once for both. */
	ck_assert_int_eq(store_begin_write(&s), 0);
	ck_assert_int_gt(queue(&s, "c@contoso.com"), 0);
	ck_assert_int_eq(store_commit(&s), 0);
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1, c0 + 1);
	ck_assert_uint_eq(s1, s0 + 1);
	/* A commit that fails is no commit: nothing counted, nothing synced. */
	ck_assert_int_eq(store_begin_write(&s), 0);
	ck_assert_int_gt(queue(&s, "d@contoso.com"), 0);
	s.failed = true;
	ck_assert_int_eq(store_commit(&s), -1);
	store_io_counts(&c0, &s0);
	ck_assert_uint_eq(c0, c1);
	ck_assert_uint_eq(s0, s1);
	ck_assert_int_eq(unit_sql_int(other, "SELECT count(*) FROM outbox"), 3);
	sqlite3_close(other);
	db_close(&s);
	unit_teardown();
}
END_TEST

/* Writers on their own connections, as the worker threads: every commit acknowledged is in
 * the database, and the syncs never outnumber the commits (those that waited together shared
 * one). */
struct writer {
	const char *path;
	int n, failed;
};

static void *
writer(void *arg)
{
	struct writer *w = arg;
	struct store *s;
	char err[256];
	if (store_open(&s, w->path, false, err, sizeof(err)) < 0) {
		w->failed = w->n;
		return NULL;
	}
	for (int i = 0; i < w->n; i++) {
		if (store_begin_write(s) < 0 || queue(s, "t@contoso.com") < 0 || store_commit(s) < 0)
			w->failed++;
		store_clear_failure(s);
	}
	store_close(s);
	return NULL;
}

START_TEST(concurrent_commits_are_all_kept)
{
	UNIT_SQLITE_ONLY("the group sync is SQLite's (PostgreSQL flushes its own WAL)");
	unit_setup();
	struct store s;
	const char *path = open_file_store(&s);
	enum { THREADS = 6, EACH = 40 };
	struct writer w[THREADS];
	pthread_t t[THREADS];
	uint64_t c0, s0, c1, s1;
	store_io_counts(&c0, &s0);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct writer){ .path = path, .n = EACH };
		ck_assert_int_eq(pthread_create(&t[i], NULL, writer, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].failed, 0);
	}
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1 - c0, THREADS * EACH);
	ck_assert_uint_ge(s1 - s0, 1);
	ck_assert_uint_le(s1 - s0, c1 - c0);
	fprintf(stderr, "group commit: %d commits, %llu WAL syncs\n", THREADS * EACH, (unsigned long long)(s1 - s0));
	ck_assert_int_eq(unit_sql_int(s.h, "SELECT count(*) FROM outbox"), THREADS * EACH);
	db_close(&s);
	unit_teardown();
}
END_TEST

/* Both engines: a commit without its sync is a commit all the same; a failed store is rolled
 * back as by store_commit. */
START_TEST(nosync_commit_keeps_its_rows)
{
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_gt(queue(&DB, "a@contoso.com"), 0);
	ck_assert_int_eq(store_commit_nosync(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox"), 1);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_gt(queue(&DB, "b@contoso.com"), 0);
	DB.failed = true;
	ck_assert_int_eq(store_commit_nosync(&DB), -1);
	store_clear_failure(&DB);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox"), 1);
}
END_TEST

UNIT_MAIN("group commit",
	unit_timeout(60, unit_case("sqlite", NULL, NULL, UNIT_TESTS(every_commit_is_synced_before_it_returns,
	    concurrent_commits_are_all_kept))),
	unit_timeout(30, unit_case("engines", unit_db_setup, unit_db_teardown, UNIT_TESTS(nosync_commit_keeps_its_rows))))
