/* unit.h — what every Check suite shares: a :memory: database with the schema, a test
 * key, temporary directories, and main().
 *
 * Each tests/unit/test_<module>.c is one program (one suite per module), linked against
 * build/libportal.a. `make unit` runs them with CK_FORK=yes (a crash fails one test);
 * `make asan` with CK_FORK=no (one process, so LeakSanitizer sees everything): tests
 * therefore free what they allocate and restore any global they change in teardown. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/portal.h"
#include "base/arena.h"
#include "store/db.h"
#include "base/keys.h"
#include "base/util.h"


/* A fixed master key: test tokens are reproducible. */
static const unsigned char unit_master_key[32] = {
	0x51, 0x0e, 0x3a, 0x77, 0x10, 0x92, 0xc4, 0x2b, 0x8f, 0x60, 0x01, 0xd3, 0x5c, 0xee, 0x19, 0x44,
	0x7a, 0x28, 0xb1, 0x03, 0x6d, 0xf0, 0x95, 0x3e, 0xc7, 0x0b, 0x82, 0x5f, 0x14, 0xa9, 0x66, 0xdd,
};
#define UNIT_KID 7

/* Installs the test key (id UNIT_KID) as the current key. */
static inline void
unit_key_install(void)
{
	keys_set_for_test(UNIT_KID, unit_master_key);
}

/* Opens a fresh ":memory:" database with every schema section applied and every
 * statement of queries.def prepared; aborts the test on failure. */
static inline void
unit_db_open(struct store *db)
{
	char err[512];
	if (db_open(db, ":memory:", true, err, sizeof(err)) != 0)
		ck_abort_msg("db_open(:memory:): %s", err);
}

/* Runs SQL that returns one integer (test-only checks of rows). */
static inline long long
unit_sql_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Runs SQL that returns one text value into out ("" when NULL or no row). */
static inline void
unit_sql_text(sqlite3 *h, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("prepare %s: %s", sql, sqlite3_errmsg(h));
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Makes a new private directory under $TMPDIR (or /tmp) into out. */
static inline void
unit_tmpdir(char *out, size_t n)
{
	const char *base = getenv("TMPDIR");
	snprintf(out, n, "%s/portal-unit-XXXXXX", base && *base ? base : "/tmp");
	if (mkdtemp(out) == NULL)
		ck_abort_msg("mkdtemp: %s", strerror(errno));
}

static inline int
unit_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a directory made by unit_tmpdir and everything in it. */
static inline void
unit_rmtree(const char *dir)
{
	if (dir != NULL && *dir)
		nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to path with the given mode. */
static inline void
unit_write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	size_t len = strlen(text);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	chmod(path, mode);
}

/* Reads a whole small file into buf (NUL-terminated); returns its length or -1. */
static inline long
unit_read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

/* Runs one suite; EXIT_SUCCESS when every test passed. */
static inline int
unit_run(Suite *s)
{
	signal(SIGPIPE, SIG_DFL);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* main(): runs the suite; exit status 1 when any test failed. */
#define UNIT_MAIN(make_suite) \
	int main(void) { return unit_run(make_suite()); }

#endif
