/* test_password.c — the password rules, hashing and verifying, and the rehash of weaker
 * hashes (base/password.c). */
#include "unit.h"

#include <sodium.h>
#include <time.h>

#include "base/password.h"

static char *
repeat(const char *unit, int times)
{
	struct buf b;
	buf_init(&b, &A);
	for (int i = 0; i < times; i++)
		buf_puts(&b, unit);
	return b.p;
}

/* ---- password rules ---- */

START_TEST(password_length_in_bytes)
{
	ck_assert_ptr_nonnull(password_problem(NULL, NULL));
	ck_assert_ptr_nonnull(password_problem("", NULL));
	ck_assert_ptr_nonnull(password_problem("12345678901", NULL));		/* 11 */
	ck_assert_ptr_null(password_problem("123456789012", NULL));		/* 12 */
	ck_assert_ptr_null(password_problem(repeat("x", 256), NULL));
	ck_assert_ptr_nonnull(password_problem(repeat("x", 257), NULL));
	ck_assert_str_eq(password_problem("short", NULL), "Use at least 12 characters.");
	/* Multibyte characters count by their bytes: 6 × "é" is 12 bytes, 128 × is 256. */
	ck_assert_ptr_nonnull(password_problem(repeat("\xc3\xa9", 5), NULL));	/* 10 bytes */
	ck_assert_ptr_null(password_problem(repeat("\xc3\xa9", 6), NULL));		/* 12 bytes */
	ck_assert_ptr_null(password_problem(repeat("\xc3\xa9", 128), NULL));	/* 256 bytes */
	ck_assert_ptr_nonnull(password_problem(repeat("\xc3\xa9", 129), NULL));	/* 258 bytes */
	ck_assert_ptr_null(password_problem(repeat("\xf0\x9f\x94\x91", 3), NULL));	/* 3 emoji = 12 bytes */
	/* Spaces and anything else are allowed. */
	ck_assert_ptr_null(password_problem("correct horse battery", NULL));
}
END_TEST

START_TEST(password_not_the_email)
{
	ck_assert_ptr_nonnull(password_problem("ana@example.com", "ana@example.com"));
	ck_assert_ptr_nonnull(password_problem("Ana@Example.COM", "ana@example.com"));
	ck_assert_ptr_nonnull(password_problem("ana@example.com", "ANA@EXAMPLE.COM"));
	ck_assert_ptr_null(password_problem("ana@example.com!", "ana@example.com"));
	ck_assert_ptr_null(password_problem("ana@example.com", NULL));
}
END_TEST

START_TEST(hash_and_verify)
{
	char h[PW_HASH_MAX];
	ck_assert_int_eq(password_hash("correct horse battery", h), 0);
	ck_assert(str_has_prefix(h, "$argon2id$"));
	ck_assert(password_check(h, "correct horse battery"));
	ck_assert(!password_check(h, "correct horse batterY"));
	ck_assert(!password_check(h, ""));
	/* No hash (unknown account, or no password set yet): never matches. */
	ck_assert(!password_check(NULL, "correct horse battery"));
	ck_assert(!password_check("", "correct horse battery"));
	/* Two hashes of one password differ (random salt). */
	char h2[PW_HASH_MAX];
	ck_assert_int_eq(password_hash("correct horse battery", h2), 0);
	ck_assert_str_ne(h, h2);
	/* Garbage in the column never matches. */
	ck_assert(!password_check("$argon2id$garbage", "correct horse battery"));
}
END_TEST

START_TEST(no_truncation)
{
	char *a = repeat("p", 199), *pw1 = arena_printf(&A, "%sA", a), *pw2 = arena_printf(&A, "%sB", a);
	ck_assert_uint_eq(strlen(pw1), 200);
	char h[PW_HASH_MAX];
	ck_assert_int_eq(password_hash(pw1, h), 0);
	ck_assert(password_check(h, pw1));
	ck_assert(!password_check(h, pw2));
	ck_assert(!password_check(h, a));
	/* The longest allowed password, multibyte, is used whole. */
	char *m1 = repeat("\xc3\xa9", 128);
	char *m2 = arena_strdup(&A, m1);
	m2[255] = (char)0xa8;						/* the last "é" becomes "è" */
	ck_assert_int_eq(password_hash(m1, h), 0);
	ck_assert(password_check(h, m1));
	ck_assert(!password_check(h, m2));
}
END_TEST

START_TEST(rehash_when_weaker)
{
	char h[PW_HASH_MAX];
	ck_assert_int_eq(password_hash("correct horse battery", h), 0);
	ck_assert(!password_needs_rehash(h));
	char weak[crypto_pwhash_STRBYTES];
	ck_assert_int_eq(crypto_pwhash_str(weak, "correct horse battery", 21, crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN), 0);
	ck_assert(password_needs_rehash(weak));
	/* The weak hash still verifies (so the upgrade can happen at sign-in). */
	ck_assert(password_check(weak, "correct horse battery"));
}
END_TEST

/* An unknown account's check costs what a real one costs (the dummy hash, password.c): on
 * the code before the dummy was a constant, a missing dummy made it near-instant. The bound is
 * loose (a quarter) so a loaded machine cannot fail it; a missing dummy is ~1000x faster. */
static double
seconds_of(const char *hash)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	(void)password_check(hash, "correct horse battery");
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

START_TEST(unknown_account_costs_a_check)
{
	ck_assert_int_eq(password_warm(), 0);
	ck_assert_int_eq(password_warm(), 0);	/* once is enough; again is harmless */
	char h[PW_HASH_MAX];
	ck_assert_int_eq(password_hash("another password here", h), 0);
	double real = seconds_of(h), unknown = seconds_of(NULL), empty = seconds_of("");
	ck_assert_msg(unknown > real / 4 && empty > real / 4, "real %.3f s, unknown %.3f s, empty %.3f s", real,
	    unknown, empty);
	ck_assert(!password_check(NULL, "correct horse battery"));
}
END_TEST

UNIT_MAIN("password",
	unit_timeout(120, unit_once(unit_password_once, unit_case("passwords", unit_setup, unit_teardown, UNIT_TESTS(
	    password_length_in_bytes, password_not_the_email, hash_and_verify, no_truncation, rehash_when_weaker,
	    unknown_account_costs_a_check)))))
