/* test_session.c — sign-in sessions: the cookie's shape, only its hash stored, idle and
 * absolute expiry (domain/session.c). */
#include "unit.h"

#include "domain/access.h"
#include "domain/session.h"
#include "domain/zones.h"

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
	int64_t tenant = st_tenant_insert(&DB, "Contoso", "contoso.example", "DE", TENANT_PARTNER, now);
	ck_assert_int_gt(tenant, 0);
	int64_t user = st_user_insert(&DB, tenant, "ana@contoso.example", "Ana", NULL,
	    ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(BILLING_ADMIN), now);
	ck_assert_int_gt(user, 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	return user;
}

static void
new_session(int64_t user, char cookie[SESSION_COOKIE_LEN + 1])
{
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_create(&DB, user, "192.0.2.7", "unit-test", now_sec(), false, cookie), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
}

/* Ana (make_user) signed in once: her id; the session's cookie in cookie. */
static int64_t
signed_in(char cookie[SESSION_COOKIE_LEN + 1])
{
	int64_t user = make_user();
	new_session(user, cookie);
	return user;
}

START_TEST(session_create_and_load)
{
	UNIT_SQLITE_ONLY("reads the token hash with sqlite3_prepare");
	char cookie[SESSION_COOKIE_LEN + 1];
	int64_t user = signed_in(cookie);
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

/* Issue 17: everything the dispatcher needs of a signed-in request comes with the session
 * in ONE statement: the user, the organization, its partner accounts, the operator role
 * (an operator's session carries the operator bits) and the delegated admin relationship
 * the session acts under. */
START_TEST(session_load_one_statement)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	int64_t user = signed_in(cookie);
	struct session s;
	uint64_t before = DB.statements;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_uint_eq(DB.statements - before, 1);
	ck_assert_ptr_null(s.op_role);
	ck_assert_int_eq(s.acting_da_id, 0);
	ck_assert_uint_eq(s.roles, ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(BILLING_ADMIN));
	ck_assert(!s.mfa_required);
	/* acting under a delegated admin relationship */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_da_session_set_acting(&DB, s.id, 42), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	before = DB.statements;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_uint_eq(DB.statements - before, 1);
	ck_assert_int_eq(s.acting_da_id, 42);
	/* an operator: the operator role's bits, a second factor required */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_operator_insert(&DB, user, "admin", now_sec()), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	before = DB.statements;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_uint_eq(DB.statements - before, 1);
	ck_assert_str_eq(s.op_role, "admin");
	ck_assert_uint_eq(s.roles, OP_ROLE_ADMIN);
	ck_assert(s.mfa_required);
}
END_TEST

START_TEST(session_idle_timeout)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	signed_in(cookie);
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
	char cookie[SESSION_COOKIE_LEN + 1];
	signed_in(cookie);
	struct session s;
	/* The clock is the real time plus util_time_offset, and the loop's 49 loads can take more
	 * than a second on a busy machine (they did on PostgreSQL in CI: "ended after 43200 s"):
	 * the last load alive is a minute before the end, the first refused a second after it. */
	for (int64_t t = 0; t < SESSION_ABSOLUTE - 60; t += SESSION_IDLE / 2) {
		util_time_offset = t;
		ck_assert_msg(session_load(&DB, &A, cookie, &s) == 1, "session ended after %lld s", (long long)t);
	}
	util_time_offset = SESSION_ABSOLUTE - 60;
	ck_assert_msg(session_load(&DB, &A, cookie, &s) == 1, "session ended a minute before its end");
	util_time_offset = SESSION_ABSOLUTE + 1;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 0);
}
END_TEST

/* ---- the sessions list ---- */

START_TEST(session_browser_names)
{
	static const struct { const char *ua, *want; } cases[] = {
		{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome on Linux" },
		{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", "Chrome on Linux" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61", "Edge on Windows" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Windows" },
		{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari on macOS" },
		{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari on iOS" },
		{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36", "Chrome on Android" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0.0.0", "Opera on Windows" },
		{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome on ChromeOS" },
		{ "Mozilla/5.0 (compatible; Something)", "Unknown browser" },
		{ "curl/8.5.0", "curl" },
		{ "node", "node" },
		{ "", "Unknown browser" },
		{ NULL, "Unknown browser" },
		{ "<script>/1.0", "Unknown browser" },
		{ "   ", "Unknown browser" },
	};
	for (size_t i = 0; i < NELEM(cases); i++)
		ck_assert_msg(strcmp(session_browser(&A, cases[i].ua), cases[i].want) == 0, "%s: got %s, want %s",
		    cases[i].ua ? cases[i].ua : "(null)", session_browser(&A, cases[i].ua), cases[i].want);
}
END_TEST

/* A second user of Ana's organization with one session. */
static int64_t
second_user(int64_t ana)
{
	struct user_row u;
	ck_assert_int_eq(st_user_get(&DB, &A, ana, &u), 1);
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t bo = st_user_insert(&DB, u.tenant_id, "bo@contoso.example", "Bo", NULL, 0, now_sec());
	ck_assert_int_gt(bo, 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	return bo;
}

START_TEST(sessions_list_and_end)
{
	char c1[SESSION_COOKIE_LEN + 1], c2[SESSION_COOKIE_LEN + 1], c3[SESSION_COOKIE_LEN + 1], cb[SESSION_COOKIE_LEN + 1];
	int64_t ana = signed_in(c1);
	new_session(ana, c2);
	new_session(ana, c3);
	int64_t bo = second_user(ana);
	new_session(bo, cb);
	struct session s1, s2, s3, sb;
	ck_assert_int_eq(session_load(&DB, &A, c1, &s1), 1);
	ck_assert_int_eq(session_load(&DB, &A, c2, &s2), 1);
	ck_assert_int_eq(session_load(&DB, &A, c3, &s3), 1);
	ck_assert_int_eq(session_load(&DB, &A, cb, &sb), 1);
	unit_sql_exec(DB.h, "UPDATE sessions SET user_agent = 'curl/8.5.0' WHERE id = 2");

	/* Ana's three, last seen first; never Bo's. */
	unit_sql_exec(DB.h, "UPDATE sessions SET seen_at = seen_at + 5 WHERE id = 2");
	struct session_list l;
	ck_assert_int_eq(sessions_list(&DB, &A, ana, now_sec(), &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].id, s2.id);
	ck_assert_str_eq(l.v[0].user_agent, "curl/8.5.0");
	ck_assert_str_eq(l.v[0].ip, "192.0.2.7");
	ck_assert_int_eq(l.v[1].id, s3.id);
	ck_assert_int_eq(l.v[2].id, s1.id);
	/* An idle one is not listed. */
	util_time_offset = SESSION_IDLE + 1;
	unit_sql_exec(DB.h, "UPDATE sessions SET seen_at = seen_at + 1000000 WHERE id <> 3");
	ck_assert_int_eq(sessions_list(&DB, &A, ana, now_sec(), &l), 0);
	ck_assert_uint_eq(l.n, 2);
	util_time_offset = 0;

	/* Ending one: only one's own. */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_end_own(&DB, ana, sb.id), 0);
	ck_assert_int_eq(session_end_own(&DB, ana, 999999), 0);
	ck_assert_int_eq(session_end_own(&DB, ana, s3.id), 1);
	ck_assert_int_eq(session_end_own(&DB, ana, s3.id), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(session_load(&DB, &A, c3, &s3), 0);
	ck_assert_int_eq(session_load(&DB, &A, cb, &sb), 1);

	/* Everywhere else: all of Ana's but the one kept; Bo's untouched. */
	new_session(ana, c3);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(sessions_end_others(&DB, ana, s1.id), 2);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(sessions_count(&DB, ana), 1);
	ck_assert_int_eq(session_load(&DB, &A, c1, &s1), 1);
	ck_assert_int_eq(sessions_count(&DB, bo), 1);
	ck_assert(!store_failed(&DB));
}
END_TEST

/* issue 15: the session comes with the user's zone (their choice, else the organization's
 * country's first zone); an email's recipient is read the same way by address. */
START_TEST(session_time_zone)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	int64_t user = signed_in(cookie);
	struct session s;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_ptr_null(s.time_zone);
	ck_assert_str_eq(zone_of_session(&A, &s), "Europe/Berlin");	/* Contoso is in DE */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(zone_set(&DB, user, "Nowhere/Foo"), 0);	/* never stored */
	ck_assert_int_eq(zone_set(&DB, user, "America/New_York"), 1);
	ck_assert_int_eq(zone_set(&DB, user + 1000, "America/New_York"), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_str_eq(s.time_zone, "America/New_York");
	ck_assert_str_eq(zone_of_session(&A, &s), "America/New_York");
	/* 2026-03-05 14:03 UTC to Ana (any case of her address), and to an address without a user. */
	ck_assert_str_eq(zone_time_for_address(&DB, &A, "ANA@contoso.example", 1772719380), "05 Mar 2026, 09:03 EST");
	ck_assert_str_eq(zone_time_for_address(&DB, &A, "nobody@contoso.example", 1772719380), "05 Mar 2026, 14:03 UTC");
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(zone_set(&DB, user, NULL), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_str_eq(zone_time_for_address(&DB, &A, "ana@contoso.example", 1772719380), "05 Mar 2026, 15:03 CET");
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_ptr_null(s.time_zone);
	ck_assert_str_eq(zone_of_session(&A, &s), "Europe/Berlin");
	tz_thread_end();
}
END_TEST

UNIT_MAIN("session",
	unit_timeout(60, unit_case("sessions", unit_db_setup, unit_db_teardown, UNIT_TESTS(session_hash_shape,
	    session_create_and_load, session_load_one_statement, session_idle_timeout, session_absolute_timeout, session_browser_names,
	    sessions_list_and_end, session_time_zone))))
