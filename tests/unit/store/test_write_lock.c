/* test_write_lock.c — the write promise across processes (store.h): while one process holds
 * the write transaction, another process's store_begin_write waits until the first commits.
 * On SQLite that is the database file's lock (BEGIN IMMEDIATE, another connection); on
 * PostgreSQL (PORTAL_TEST_PG, make unit-pg) it is the advisory lock every write transaction
 * takes first: without it the second BEGIN returns at once (READ COMMITTED), and the
 * read-then-decide actions of two portal nodes could both decide on the same facts. */
#include "unit.h"

#include <sys/wait.h>
#include <time.h>

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);		/* one clock for every process */
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

START_TEST(a_second_process_writer_waits_for_the_first)
{
	char path[600];
	const char *where;
	unit_setup();
	where = unit_db_open_shared("w.db", path, sizeof(path));
	int up[2], down[2];
	ck_assert_int_eq(pipe(up), 0);
	ck_assert_int_eq(pipe(down), 0);
	/* Forked before this process takes its write lock (the child gets its own copy of the
	 * in-process lock, free), so only the engine's lock can hold the child back. */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct store *s;
		char go, e[256];
		if (store_open(&s, where, false, e, sizeof(e)) < 0)
			_exit(2);
		if (write(up[1], "r", 1) != 1 || read(down[0], &go, 1) != 1)
			_exit(3);
		if (store_begin_write(s) < 0)
			_exit(4);
		double t = now();
		if (write(up[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
			_exit(5);
		store_rollback(s);
		store_close(s);
		_exit(0);
	}
	char ready;
	ck_assert_int_eq(read(up[0], &ready, 1), 1);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(write(down[1], "g", 1), 1);
	usleep(400 * 1000);
	double committed = now();
	ck_assert_int_eq(store_commit(&DB), 0);
	double began = 0;
	ck_assert_int_eq(read(up[0], &began, sizeof(began)), (ssize_t)sizeof(began));
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	ck_assert_msg(began >= committed, "the second writer began %.3f s before the first committed", committed - began);
	db_close(&DB);
	unit_teardown();
}
END_TEST

UNIT_MAIN("store write lock",
	unit_timeout(30, unit_case("processes", NULL, NULL, UNIT_TESTS(a_second_process_writer_waits_for_the_first))))
