/* test_mfa.c — the second factor's rules (domain/mfa.c): setup and confirmation, a code
 * accepted once (replay refused, older steps refused), the secret sealed at rest, recovery
 * codes single-use and hashed, turning it off, links revoked, who must have it. */
#include "unit.h"

#include <ctype.h>

#include "base/seal.h"
#include "base/token.h"
#include "domain/access.h"
#include "domain/link.h"
#include "domain/mfa.h"
#include "domain/session.h"

static const int64_t T0 = 1800000000;

static int64_t
user(void)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t t = unit_org(.domain = "contoso.example");
	int64_t u = unit_user(.tenant = t, .email = "ana@contoso.example", .roles = ROLE_MASK(GLOBAL_ADMIN));
	ck_assert_int_eq(db_commit(&DB), 0);
	return u;
}

static void
code_at(const unsigned char secret[OTP_SECRET_BYTES], int64_t t, char code[OTP_DIGITS + 1])
{
	ck_assert_int_eq(otp_code(secret, OTP_SECRET_BYTES, otp_step(t), code), 0);
}

/* Ana with MFA confirmed at T0; her secret and recovery codes. */
static int64_t
enabled(unsigned char secret[OTP_SECRET_BYTES], mfa_recovery_codes codes)
{
	int64_t u = user();
	char code[OTP_DIGITS + 1];
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(mfa_setup_begin(&DB, u, secret), 0);
	code_at(secret, T0, code);
	ck_assert_int_eq(mfa_confirm(&DB, &A, u, code, T0, codes), MFA_OK);
	ck_assert_int_eq(db_commit(&DB), 0);
	return u;
}

START_TEST(setup_confirm_and_state)
{
	UNIT_SQLITE_ONLY("SQLite's hex() in the test's SQL");
	int64_t u = user();
	unsigned char secret[OTP_SECRET_BYTES], again[OTP_SECRET_BYTES];
	struct mfa_state st;
	ck_assert_int_eq(mfa_state(&DB, &A, u, &st), 0);
	ck_assert(!st.enabled && !st.pending);
	ck_assert_int_eq(mfa_setup_begin(&DB, u, secret), 0);
	ck_assert_int_eq(mfa_state(&DB, &A, u, &st), 0);
	ck_assert(!st.enabled && st.pending);
	ck_assert_int_eq(mfa_secret(&DB, &A, u, again), 1);
	ck_assert(memcmp(secret, again, sizeof(secret)) == 0);
	/* Sealed at rest: nonce || ciphertext under a key id, never the secret itself. */
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT length(mfa_secret) FROM users"), OTP_SECRET_BYTES + SEAL_OVERHEAD);
	char hex[64];
	unit_sql_text(DB.h, "SELECT hex(mfa_secret) FROM users", hex, sizeof(hex));
	ck_assert(strstr(hex, hex_encode(&A, secret, 8)) == NULL);
	/* A wrong code does not confirm; a pending secret does not sign anyone in. */
	mfa_recovery_codes codes;
	char code[OTP_DIGITS + 1];
	code_at(secret, T0, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0, false), MFA_NONE);
	ck_assert_int_eq(mfa_confirm(&DB, &A, u, code[0] == '9' ? "000000" : "999999", T0, codes), MFA_WRONG);
	ck_assert_int_eq(mfa_confirm(&DB, &A, u, code, T0, codes), MFA_OK);
	ck_assert_int_eq(mfa_state(&DB, &A, u, &st), 0);
	ck_assert(st.enabled && !st.pending);
	ck_assert_int_eq(st.codes_left, MFA_RECOVERY_CODES);
	/* Once enabled, setup cannot restart (it must be turned off first). */
	ck_assert_int_eq(mfa_setup_begin(&DB, u, again), 1);
}
END_TEST

START_TEST(code_once_with_skew)
{
	unsigned char secret[OTP_SECRET_BYTES];
	mfa_recovery_codes codes;
	int64_t u = enabled(secret, codes);
	char code[OTP_DIGITS + 1];
	/* The confirming code was used: the same code again is a replay. */
	code_at(secret, T0, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0 + 1, false), MFA_REPLAY);
	/* The next step's code, a step early (clock skew): accepted once. */
	code_at(secret, T0 + OTP_STEP, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0, false), MFA_OK);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0 + OTP_STEP, false), MFA_REPLAY);
	/* A later step, then an earlier step's code that is still in the window: refused. */
	code_at(secret, T0 + 3 * OTP_STEP, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0 + 3 * OTP_STEP, false), MFA_OK);
	code_at(secret, T0 + 2 * OTP_STEP, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0 + 3 * OTP_STEP, false), MFA_REPLAY);
	/* Two steps away is outside the window; garbage is wrong. */
	code_at(secret, T0 + 6 * OTP_STEP, code);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, code, T0 + 4 * OTP_STEP, false), MFA_WRONG);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, "12345", T0 + 4 * OTP_STEP, false), MFA_WRONG);
	ck_assert_int_eq(mfa_check_code(&DB, &A, u, "", T0 + 4 * OTP_STEP, false), MFA_WRONG);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT mfa_last_step FROM users"), otp_step(T0 + 3 * OTP_STEP));
}
END_TEST

START_TEST(recovery_codes_single_use)
{
	UNIT_SQLITE_ONLY("SQLite's instr() on a blob in the test's SQL");
	unsigned char secret[OTP_SECRET_BYTES];
	mfa_recovery_codes codes;
	int64_t u = enabled(secret, codes);
	for (int i = 0; i < MFA_RECOVERY_CODES; i++) {
		ck_assert_uint_eq(strlen(codes[i]), MFA_RECOVERY_LEN);
		ck_assert(codes[i][4] == '-' && codes[i][9] == '-');
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(codes[i], codes[k]);
	}
	/* Stored as hashes only. */
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mfa_recovery_codes WHERE length(code_hash) = 32"), 10);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM mfa_recovery_codes WHERE instr(code_hash, '%s') > 0", codes[0]);
	ck_assert_int_eq(unit_sql_int(DB.h, sql), 0);
	/* Any case, without the dashes, with spaces: the same code. Once. */
	char loose[32];
	snprintf(loose, sizeof(loose), " %.4s %.4s%.2s ", codes[3], codes[3] + 5, codes[3] + 10);
	for (char *p = loose; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, loose, T0), MFA_OK);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, codes[3], T0), MFA_WRONG);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, "aaaa-aaaa-aa", T0), MFA_WRONG);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, "0000-0000-00", T0), MFA_WRONG);	/* not the alphabet */
	struct mfa_state st;
	ck_assert_int_eq(mfa_state(&DB, &A, u, &st), 0);
	ck_assert_int_eq(st.codes_left, MFA_RECOVERY_CODES - 1);
	/* Regenerating replaces all of them. */
	mfa_recovery_codes fresh;
	ck_assert_int_eq(mfa_recovery_regenerate(&DB, &A, u, T0, fresh), 0);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, codes[4], T0), MFA_WRONG);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, fresh[4], T0), MFA_OK);
	ck_assert_int_eq(mfa_state(&DB, &A, u, &st), 0);
	ck_assert_int_eq(st.codes_left, MFA_RECOVERY_CODES - 1);
}
END_TEST

START_TEST(disable_and_links)
{
	unsigned char secret[OTP_SECRET_BYTES];
	mfa_recovery_codes codes;
	int64_t u = user();
	ck_assert_int_eq(db_begin(&DB), 0);
	char *reset = link_issue(&DB, &A, TP_PASSWORD_RESET, u, 3600);
	char *set = link_issue(&DB, &A, TP_SET_PASSWORD, u, 3600);
	ck_assert_int_eq(mfa_setup_begin(&DB, u, secret), 0);
	char code[OTP_DIGITS + 1];
	code_at(secret, now_sec(), code);
	ck_assert_int_eq(mfa_confirm(&DB, &A, u, code, now_sec(), codes), MFA_OK);
	ck_assert_int_eq(db_commit(&DB), 0);
	/* Turning MFA on ended the emailed links. */
	int64_t subject;
	struct token t;
	ck_assert_ptr_nonnull(link_check(&DB, reset, TP_PASSWORD_RESET, &subject, &t));
	ck_assert_ptr_nonnull(link_check(&DB, set, TP_SET_PASSWORD, &subject, &t));
	/* So does turning it off; the secret and the recovery codes are gone. */
	ck_assert_int_eq(db_begin(&DB), 0);
	reset = link_issue(&DB, &A, TP_PASSWORD_RESET, u, 3600);
	ck_assert_int_eq(mfa_disable(&DB, u), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_ptr_nonnull(link_check(&DB, reset, TP_PASSWORD_RESET, &subject, &t));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM users WHERE mfa_secret IS NULL AND mfa_enabled_at IS NULL"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mfa_recovery_codes"), 0);
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, codes[0], T0), MFA_NONE);
}
END_TEST

START_TEST(admin_reset)
{
	unsigned char secret[OTP_SECRET_BYTES];
	mfa_recovery_codes codes;
	int64_t u = enabled(secret, codes);
	char cookie[SESSION_COOKIE_LEN + 1];
	int64_t ended = -1;
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_create(&DB, u, "192.0.2.7", "unit-test", now_sec(), true, cookie), 0);
	ck_assert_int_eq(session_create(&DB, u, "192.0.2.8", "unit-test", now_sec(), true, cookie), 0);
	char *set = link_issue(&DB, &A, TP_SET_PASSWORD, u, 3600);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM users WHERE mfa_last_step > 0"), 1);
	ck_assert_int_eq(mfa_admin_reset(&DB, &A, u, &ended), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(ended, 2);
	/* Secret, last step, recovery codes, sessions and emailed links: all gone. */
	ck_assert_int_eq(unit_sql_int(DB.h,
	    "SELECT count(*) FROM users WHERE mfa_secret IS NULL AND mfa_enabled_at IS NULL AND mfa_last_step = 0"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mfa_recovery_codes"), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 0);
	int64_t subject;
	struct token t;
	ck_assert_ptr_nonnull(link_check(&DB, set, TP_SET_PASSWORD, &subject, &t));
	ck_assert_int_eq(mfa_recovery_use(&DB, &A, u, codes[1], T0), MFA_NONE);
	/* Nothing to reset any more: 0, and nothing written (the session stays). */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_create(&DB, u, "192.0.2.7", "unit-test", now_sec(), false, cookie), 0);
	ck_assert_int_eq(mfa_admin_reset(&DB, &A, u, &ended), 0);
	/* A setup started but not confirmed is not reset either. */
	ck_assert_int_eq(mfa_setup_begin(&DB, u, secret), 0);
	ck_assert_int_eq(mfa_admin_reset(&DB, &A, u, &ended), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM users WHERE mfa_secret IS NOT NULL"), 1);
}
END_TEST

START_TEST(who_must_have_it)
{
	int64_t u = user();
	(void)u;
	int64_t tenant = unit_sql_int(DB.h, "SELECT id FROM tenants");
	/* An installation that never set it (migrated from before): off. */
	ck_assert_int_eq(mfa_program_required(&DB, &A), 0);
	ck_assert_int_eq(mfa_user_required(&DB, &A, tenant), 0);
	ck_assert_int_eq(mfa_set_tenant_required(&DB, tenant, true), 0);
	ck_assert_int_eq(mfa_user_required(&DB, &A, tenant), 1);
	ck_assert_int_eq(mfa_set_tenant_required(&DB, tenant, false), 0);
	ck_assert_int_eq(mfa_set_program_required(&DB, true), 0);
	ck_assert_int_eq(mfa_program_required(&DB, &A), 1);
	ck_assert_int_eq(mfa_user_required(&DB, &A, tenant), 1);
	ck_assert_int_eq(mfa_set_program_required(&DB, false), 0);
	ck_assert_int_eq(mfa_user_required(&DB, &A, tenant), 0);
}
END_TEST

START_TEST(session_carries_mfa_and_proof)
{
	UNIT_SQLITE_ONLY("SQLite's instr() and char() in the test's SQL");
	unsigned char secret[OTP_SECRET_BYTES];
	mfa_recovery_codes codes;
	int64_t u = user();
	int64_t tenant = unit_sql_int(DB.h, "SELECT id FROM tenants");
	char cookie[SESSION_COOKIE_LEN + 1];
	char ua[400];
	memset(ua, 'x', sizeof(ua) - 1);
	ua[sizeof(ua) - 1] = '\0';
	ua[5] = '\n';
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(session_create(&DB, u, "192.0.2.9", ua, 1000, false, cookie), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	struct session s;
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert_int_eq(s.auth_at, 1000);
	ck_assert(!s.mfa && !s.mfa_enabled && !s.mfa_required && !session_must_setup_mfa(&s));
	ck_assert(session_needs_reauth(&s, 1000 + SESSION_REAUTH_AFTER + 1));
	ck_assert(!session_needs_reauth(&s, 1000 + SESSION_REAUTH_AFTER));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT length(user_agent) FROM sessions"), SESSION_UA_MAX);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT instr(user_agent, char(10)) FROM sessions"), 0);
	/* Required by the organization, not set up: the session may only set it up. */
	ck_assert_int_eq(mfa_set_tenant_required(&DB, tenant, true), 0);
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert(s.mfa_required && session_must_setup_mfa(&s));
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(mfa_setup_begin(&DB, u, secret), 0);
	char code[OTP_DIGITS + 1];
	code_at(secret, T0, code);
	ck_assert_int_eq(mfa_confirm(&DB, &A, u, code, T0, codes), MFA_OK);
	ck_assert_int_eq(session_proof(&DB, &s, 5000, true), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(session_load(&DB, &A, cookie, &s), 1);
	ck_assert(s.mfa && s.mfa_enabled && !session_must_setup_mfa(&s));
	ck_assert_int_eq(s.auth_at, 5000);
}
END_TEST

UNIT_MAIN("mfa",
	unit_case("mfa", unit_db_setup, unit_db_teardown, UNIT_TESTS(setup_confirm_and_state, code_once_with_skew,
	    recovery_codes_single_use, disable_and_links, admin_reset, who_must_have_it, session_carries_mfa_and_proof)))
