/* test_auth.c — password rules and hashing, CSRF tokens, sessions, roles (auth.c). */
#include "unit.h"

#include <sodium.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "base/csrf.h"

static struct arena A;
static struct store DB;

/* Once per test case in the runner's process: the hashing semaphore and dummy hash. */
static void
auth_once(void)
{
	if (password_init() != 0)
		abort();
}

static void
setup(void)
{
	arena_init(&A, 0);
	unit_key_install();
	unit_db_open(&DB);
	util_time_offset = 0;
}

static void
teardown(void)
{
	util_time_offset = 0;
	db_close(&DB);
	arena_free(&A);
}

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

/* ---- sessions ---- */

START_TEST(session_hash_shape)
{
	unsigned char h1[32], h2[32];
	const char *good = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	ck_assert_uint_eq(strlen(good), SESSION_COOKIE_LEN);
	ck_assert_int_eq(session_hash(good, h1), 0);
	ck_assert_int_eq(session_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE", h2), 0);
	ck_assert(memcmp(h1, h2, 32) != 0);
	ck_assert_int_eq(session_hash(good, h2), 0);
	ck_assert(memcmp(h1, h2, 32) == 0);
	ck_assert_int_eq(session_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h1), -1);	/* 42 */
	ck_assert_int_eq(session_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h1), -1);	/* 44 */
	ck_assert_int_eq(session_hash(NULL, h1), -1);
	ck_assert_int_eq(session_hash("", h1), -1);
	static const char bad[] = { '+', '/', '=', '.', ' ', '\x80', '\xff' };
	for (size_t i = 0; i < sizeof(bad); i++) {
		char c[SESSION_COOKIE_LEN + 1];
		memcpy(c, good, sizeof(c));
		c[10] = bad[i];
		ck_assert_msg(session_hash(c, h1) == -1, "character 0x%02x", (unsigned char)bad[i]);
	}
	/* Non-zero padding bits in the last character: not a canonical encoding. */
	ck_assert_int_eq(session_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", h1), -1);
}
END_TEST

static int64_t
make_user(void)
{
	int64_t now = now_sec();
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(db_run(&DB, Q_TENANT_INSERT, QT("Contoso"), QT("contoso.example"), QT("DE"), QT("partner"),
	    QI(now)), 1);
	int64_t tenant = db_last_id(&DB);
	ck_assert_int_eq(db_run(&DB, Q_USER_INSERT, QI(tenant), QT("ana@contoso.example"), QT("Ana"), QNULL,
	    QI(ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(BILLING_ADMIN)), QI(now), QNULL), 1);
	int64_t user = db_last_id(&DB);
	ck_assert_int_eq(db_commit(&DB), 0);
	return user;
}

static void
new_session(int64_t user, char cookie[SESSION_COOKIE_LEN + 1])
{
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_create(&DB, user, "192.0.2.7", cookie), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
}

START_TEST(session_create_and_load)
{
	int64_t user = make_user();
	char cookie[SESSION_COOKIE_LEN + 1];
	new_session(user, cookie);
	ck_assert_uint_eq(strlen(cookie), SESSION_COOKIE_LEN);
	struct session s;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_int_eq(s.user_id, user);
	ck_assert_str_eq(s.email, "ana@contoso.example");
	ck_assert_str_eq(s.name, "Ana");
	ck_assert_str_eq(s.tenant_name, "Contoso");
	ck_assert_str_eq(s.country, "DE");
	ck_assert_uint_eq(s.roles, ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(BILLING_ADMIN));
	ck_assert_int_eq(s.pa[PT_INDIRECT_RESELLER], PA_NONE);
	/* Only the hash is stored: the cookie text is nowhere in the row. */
	unsigned char h[32];
	ck_assert_int_eq(session_hash(cookie, h), 0);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(DB.h, "SELECT token_hash FROM sessions", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_bytes(st, 0), 32);
	ck_assert(memcmp(sqlite3_column_blob(st, 0), h, 32) == 0);
	sqlite3_finalize(st);
	/* Another cookie of the right shape finds nothing. */
	char other[SESSION_COOKIE_LEN + 1];
	memcpy(other, cookie, sizeof(other));
	other[0] = other[0] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(session_load(&DB, &A, other, &s), 0);
	ck_assert_int_eq(session_load(&DB, &A, "short", &s), 0);
	/* Two sessions get different cookies. */
	char second[SESSION_COOKIE_LEN + 1];
	new_session(user, second);
	ck_assert_str_ne(cookie, second);
}
END_TEST

START_TEST(session_idle_timeout)
{
	int64_t user = make_user();
	char cookie[SESSION_COOKIE_LEN + 1];
	new_session(user, cookie);
	struct session s;
	/* Activity keeps it alive: seen_at moves forward. */
	util_time_offset = SESSION_IDLE - 10;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT seen_at - created_at FROM sessions"), SESSION_IDLE - 10);
	util_time_offset = 2 * SESSION_IDLE - 20;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	/* Then 30 minutes and a second of silence end it, and the row goes. */
	util_time_offset = 3 * SESSION_IDLE - 19;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 0);
}
END_TEST

START_TEST(session_absolute_timeout)
{
	int64_t user = make_user();
	char cookie[SESSION_COOKIE_LEN + 1];
	new_session(user, cookie);
	struct session s;
	for (int64_t t = 0; t <= SESSION_ABSOLUTE; t += SESSION_IDLE / 2) {
		util_time_offset = t;
		ck_assert_msg(session_load(&DB, &A, cookie, &s) == 1, "session ended after %lld s", (long long)t);
	}
	util_time_offset = SESSION_ABSOLUTE + 1;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 0);
}
END_TEST

/* ---- roles ---- */

START_TEST(permissions_and_roles)
{
	ck_assert(perm_allows(PERM_PUBLIC, 0));
	ck_assert(perm_allows(PERM_SIGNED_IN, 0));
	ck_assert(perm_allows(PERM_AUDIT_VIEW, ROLE_MASK(GLOBAL_ADMIN)));
	ck_assert(!perm_allows(PERM_AUDIT_VIEW, ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(USER_ADMIN)));
	ck_assert(!perm_allows(PERM_USERS_VIEW, 0));
	ck_assert(perm_allows(PERM_USERS_MANAGE, ROLE_MASK(USER_ADMIN)));
	ck_assert(!perm_allows(PERM_USERS_MANAGE, ROLE_MASK(BILLING_ADMIN)));
	ck_assert(perm_allows(PERM_CUSTOMERS_VIEW, ROLE_MASK(BILLING_ADMIN)));
	/* A Global admin holds every permission. */
	for (int p = 0; p < PERM__COUNT; p++)
		ck_assert_msg(perm_allows((enum perm)p, ROLE_MASK(GLOBAL_ADMIN)), "Global admin lacks %s", perms[p].key);
	/* Nobody without roles holds a role-bound permission. */
	for (int p = 2; p < PERM__COUNT; p++)
		ck_assert_msg(!perm_allows((enum perm)p, 0), "%s allowed without roles", perms[p].key);

	ck_assert_str_eq(roles_text(&A, 0), "No roles");
	ck_assert_str_eq(roles_text(&A, ROLE_MASK(GLOBAL_ADMIN)), "Global admin");
	ck_assert_str_eq(roles_text(&A, ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(GLOBAL_ADMIN)), "Global admin, Admin agent");
	ck_assert_str_eq(roles_text(&A, ROLE_ALL),
	    "Global admin, Account admin, User admin, Admin agent, Sales agent, Helpdesk agent, Billing admin");
	ck_assert_int_eq(ROLE__COUNT, 7);
	for (int i = 0; i < ROLE__COUNT; i++) {
		ck_assert_uint_eq(roles[i].mask, 1u << i);
		ck_assert_ptr_nonnull(roles[i].key);
	}
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("passwords");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, auth_once, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, password_length_in_bytes);
	tcase_add_test(tc, password_not_the_email);
	tcase_add_test(tc, hash_and_verify);
	tcase_add_test(tc, no_truncation);
	tcase_add_test(tc, rehash_when_weaker);
	suite_add_tcase(s, tc);

	tc = tcase_create("sessions");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, csrf_tokens);
	tcase_add_test(tc, session_hash_shape);
	tcase_add_test(tc, session_create_and_load);
	tcase_add_test(tc, session_idle_timeout);
	tcase_add_test(tc, session_absolute_timeout);
	tcase_add_test(tc, permissions_and_roles);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(auth_suite)
