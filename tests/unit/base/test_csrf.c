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

/* Issue 17: each thread keeps the HMAC keyed once. The token is still libsodium's one-shot
 * crypto_auth of the cookie under the derived csrf key (tokens issued before stay valid), and
 * a changed key table (another master under the same id, a rotation) is used at once, by the
 * thread that had keyed the old one too. */
START_TEST(csrf_keyed_state_follows_the_keys)
{
	const char *bound = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";
	unsigned char key[32], tag[crypto_auth_BYTES];
	char *t = csrf_token_make(&A, bound);
	ck_assert_int_eq(keys_derive(keys_current(), "csrf-tok", key), 0);
	crypto_auth(tag, (const unsigned char *)bound, strlen(bound), key);
	ck_assert_str_eq(t, b64url_encode(&A, tag, sizeof(tag)));
	/* Another master under the same id: the old token is refused, the new one is its MAC. */
	unsigned char other[32];
	memset(other, 0x5a, sizeof(other));
	keys_set_for_test(keys_current(), other);
	ck_assert(!csrf_token_check(bound, t));
	char *t2 = csrf_token_make(&A, bound);
	ck_assert_str_ne(t2, t);
	ck_assert(csrf_token_check(bound, t2));
	ck_assert_int_eq(keys_derive(keys_current(), "csrf-tok", key), 0);
	crypto_auth(tag, (const unsigned char *)bound, strlen(bound), key);
	ck_assert_str_eq(t2, b64url_encode(&A, tag, sizeof(tag)));
	/* A new current key id. */
	keys_set_for_test(keys_current() + 1, other);
	ck_assert_int_eq(keys_derive(keys_current(), "csrf-tok", key), 0);
	crypto_auth(tag, (const unsigned char *)bound, strlen(bound), key);
	ck_assert_str_eq(csrf_token_make(&A, bound), b64url_encode(&A, tag, sizeof(tag)));
}
END_TEST

UNIT_MAIN("csrf",
	unit_case("tokens", unit_setup, unit_teardown, UNIT_TESTS(csrf_tokens, csrf_keyed_state_follows_the_keys)))
