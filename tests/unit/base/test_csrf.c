/* test_csrf.c — CSRF tokens bound to the visitor's cookie (base/csrf.c). */
#include "unit.h"

#include "base/csrf.h"

/* ---- CSRF ---- */

START_TEST(csrf_tokens)
{
	const char *bound = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";
	char *t = csrf_token_make(&A, bound);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(strlen(t), 43);
	ck_assert(csrf_token_check(bound, t));
	/* Bound to another value (another visitor's cookie). */
	ck_assert(!csrf_token_check("Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXh", t));
	ck_assert(!csrf_token_check("", t));
	ck_assert(!csrf_token_check(NULL, t));
	/* Garbage tokens. */
	ck_assert(!csrf_token_check(bound, NULL));
	ck_assert(!csrf_token_check(bound, ""));
	ck_assert(!csrf_token_check(bound, "garbage"));
	ck_assert(!csrf_token_check(bound, arena_printf(&A, "%sA", t)));
	ck_assert(!csrf_token_check(bound, arena_strndup(&A, t, 42)));
	char *f = arena_strdup(&A, t);
	f[5] = f[5] == 'A' ? 'B' : 'A';
	ck_assert(!csrf_token_check(bound, f));
	f = arena_strdup(&A, t);
	f[5] = (char)0xdf;
	ck_assert(!csrf_token_check(bound, f));
	/* The same bound value gives the same token (no per-form state needed). */
	ck_assert_str_eq(csrf_token_make(&A, bound), t);
	ck_assert_ptr_null(csrf_token_make(&A, NULL));
}
END_TEST

UNIT_MAIN("csrf",
	unit_case("tokens", unit_setup, unit_teardown, UNIT_TESTS(csrf_tokens)))
