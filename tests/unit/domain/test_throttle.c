/* test_throttle.c — the throttles of domain/throttle.h: the growing per-account delays, the
 * account's usual place that other addresses' failures never lock, the per-address limit,
 * wrong current passwords counted as failed sign-ins, and forgotten-password mail. */
#include "unit.h"

#include "domain/throttle.h"

#define ANA "ana@contoso.example"
#define HOME "192.0.2.10"		/* Ana's usual place */
#define ATTACKER "203.0.113.66"
#define NEWPLACE "198.51.100.20"

static void
entry(int64_t at, const char *actor, const char *action, const char *outcome, const char *ip, const char *detail)
{
	struct audit_row e = { .at = at, .actor = actor, .action = action, .target = actor, .outcome = outcome,
	    .ip = ip, .detail = detail };
	ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
}

static void
entries(int n, int64_t at, const char *actor, const char *action, const char *outcome, const char *ip,
    const char *detail)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < n; i++)
		entry(at, actor, action, outcome, ip, detail);
	ck_assert_int_eq(db_commit(&DB), 0);
}

static int
throttled(const char *email, const char *ip, int64_t now)
{
	int t = signin_throttled(&DB, email, ip, now);
	ck_assert_int_ge(t, 0);
	return t;
}

START_TEST(delays_grow_and_stop_growing)
{
	for (int n = 0; n < SIGNIN_FAILS_PER_ACCOUNT; n++)
		ck_assert_int_eq(signin_delay(n), 0);
	ck_assert_int_eq(signin_delay(SIGNIN_FAILS_PER_ACCOUNT), SIGNIN_DELAY_BASE);
	ck_assert_int_eq(signin_delay(SIGNIN_FAILS_PER_ACCOUNT + 1), 2 * SIGNIN_DELAY_BASE);
	ck_assert_int_eq(signin_delay(SIGNIN_FAILS_PER_ACCOUNT + 2), 4 * SIGNIN_DELAY_BASE);
	ck_assert_int_eq(signin_delay(SIGNIN_FAILS_PER_ACCOUNT + 4), 16 * SIGNIN_DELAY_BASE);
	ck_assert_int_eq(signin_delay(SIGNIN_FAILS_PER_ACCOUNT + 5), SIGNIN_DELAY_MAX);	/* 960 s capped */
	ck_assert_int_eq(signin_delay(1000000), SIGNIN_DELAY_MAX);
	for (int n = 1; n < 100; n++)
		ck_assert_int_ge(signin_delay(n), signin_delay(n - 1));
}
END_TEST

START_TEST(decision_table)
{
	int64_t now = 1000000;
	/* Per address: refused whatever else holds. */
	struct signin_facts f = { .from_address = SIGNIN_FAILS_PER_ADDRESS, .usual_place = true };
	ck_assert(signin_refused(&f, now));
	/* At the usual place only the failures from there count. */
	f = (struct signin_facts){ .usual_place = true, .here = SIGNIN_FAILS_PER_ACCOUNT - 1, .guesses = 500,
	    .last_guess = now };
	ck_assert(!signin_refused(&f, now));
	f.here = SIGNIN_FAILS_PER_ACCOUNT;
	ck_assert(signin_refused(&f, now));
	/* Elsewhere: free below the limit, then the delay after the last guess. */
	f = (struct signin_facts){ .guesses = SIGNIN_FAILS_PER_ACCOUNT - 1, .last_guess = now };
	ck_assert(!signin_refused(&f, now));
	f.guesses = SIGNIN_FAILS_PER_ACCOUNT + 1;
	ck_assert(signin_refused(&f, now + 2 * SIGNIN_DELAY_BASE - 1));
	ck_assert(!signin_refused(&f, now + 2 * SIGNIN_DELAY_BASE));
}
END_TEST

START_TEST(usual_place_is_never_locked_by_others)
{
	int64_t now = 1000000;
	/* Ana signed in from home last month. */
	entries(1, now - 30 * 24 * 3600, ANA, "signin", "ok", HOME, NULL);
	/* An attacker guesses ten times (one a minute), then keeps hammering: refused unchecked. */
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < 10; i++)
		entry(now - 600 + 60 * i, ANA, "signin", "failed", ATTACKER, "wrong password");
	ck_assert_int_eq(db_commit(&DB), 0);
	entries(8, now - 1, ANA, "signin", "failed", ATTACKER, "throttled");
	/* Ana at home: not refused. The attacker and any new place: refused, for the longest delay
	 * after the last real guess (the throttled attempts do not move it). */
	ck_assert_int_eq(throttled(ANA, HOME, now), 0);
	ck_assert_int_eq(throttled(ANA, ATTACKER, now), 1);
	ck_assert_int_eq(throttled(ANA, NEWPLACE, now), 1);
	int64_t last = now - 600 + 60 * 9;
	ck_assert_int_eq(throttled(ANA, NEWPLACE, last + SIGNIN_DELAY_MAX - 1), 1);
	ck_assert_int_eq(throttled(ANA, NEWPLACE, last + SIGNIN_DELAY_MAX), 0);
	/* Another account from the attacker's address: its own count (18 < 20 from there). */
	ck_assert_int_eq(throttled("bo@contoso.example", ATTACKER, now), 0);
	/* Ana's own mistakes at home still count there: five lock home for the window. */
	entries(SIGNIN_FAILS_PER_ACCOUNT, now - 60, ANA, "signin", "failed", HOME, "wrong password");
	ck_assert_int_eq(throttled(ANA, HOME, now), 1);
	ck_assert_int_eq(throttled(ANA, HOME, now - 60 + SIGNIN_WINDOW + 1), 0);
}
END_TEST

START_TEST(usual_place_expires)
{
	int64_t now = 1000000 + SIGNIN_USUAL_PLACE;
	entries(1, now - SIGNIN_USUAL_PLACE - 1, ANA, "signin", "ok", HOME, NULL);	/* too long ago */
	entries(1, now - 60, ANA, "signin", "ok", "", NULL);				/* no address */
	entries(SIGNIN_FAILS_PER_ACCOUNT, now - 10, ANA, "signin", "failed", ATTACKER, "wrong password");
	ck_assert_int_eq(throttled(ANA, HOME, now), 1);
	ck_assert_int_eq(throttled(ANA, "", now), 1);
	ck_assert_int_eq(throttled(ANA, NULL, now), 1);
	/* A failed sign-in from home does not make it usual either. */
	entries(1, now - 5, ANA, "signin", "failed", HOME, "wrong password");
	ck_assert_int_eq(throttled(ANA, HOME, now), 1);
}
END_TEST

START_TEST(per_address_limit_and_wrong_current_passwords)
{
	int64_t now = 1000000;
	entries(1, now - 3600, ANA, "signin", "ok", HOME, NULL);
	/* Wrong current passwords on the password change form count like failed sign-ins:
	 * for the account at its place ... */
	entries(SIGNIN_FAILS_PER_ACCOUNT - 1, now - 30, ANA, "password.change", "refused", HOME, "wrong current password");
	ck_assert_int_eq(throttled(ANA, HOME, now), 0);
	entries(1, now - 20, ANA, "password.change", "refused", HOME, "wrong current password");
	ck_assert_int_eq(throttled(ANA, HOME, now), 1);
	/* ... but other refusals of a password change do not. */
	entries(10, now - 20, "bo@contoso.example", "password.change", "refused", NEWPLACE, "throttled");
	ck_assert_int_eq(throttled("bo@contoso.example", NEWPLACE, now), 0);
	/* ... and for the address: 20 failures of any accounts refuse everything from it. */
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < SIGNIN_FAILS_PER_ADDRESS - 1; i++)
		entry(now - 60, arena_printf(&A, "guess%d@contoso.example", i), "signin", "failed", NEWPLACE, "unknown account");
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(throttled("cy@contoso.example", NEWPLACE, now), 0);
	entries(1, now - 60, "dan@contoso.example", "password.change", "refused", NEWPLACE, "wrong current password");
	ck_assert_int_eq(throttled("cy@contoso.example", NEWPLACE, now), 1);
	ck_assert_int_eq(throttled("cy@contoso.example", NEWPLACE, now - 60 + SIGNIN_WINDOW + 1), 0);
	ck_assert(!store_failed(&DB));
}
END_TEST

START_TEST(reset_mail)
{
	int64_t now = 1000000;
	const char *who = "ana@contoso.example", *ip = "192.0.2.1";
	ck_assert_int_eq(reset_mail_throttled(&DB, who, ip, now), 0);
	entries(RESET_MAIL_PER_ADDRESS - 1, now - 60, who, "password.reset-request", "ok", ip, NULL);
	entries(30, now - 60, who, "password.reset-request", "refused", "192.0.2.99", "throttled");	/* not counted */
	entries(3, now - RESET_MAIL_WINDOW - 1, who, "password.reset-request", "ok", ip, NULL);		/* too old */
	ck_assert_int_eq(reset_mail_throttled(&DB, who, ip, now), 0);
	entries(1, now - 60, who, "password.reset-request", "ok", "192.0.2.2", NULL);
	ck_assert_int_eq(reset_mail_throttled(&DB, who, "192.0.2.3", now), 1);	/* per address, from anywhere */
	ck_assert_int_eq(reset_mail_throttled(&DB, "bo@contoso.example", ip, now), 0);
	/* Per client address, over any addresses (unknown ones too). */
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < RESET_MAIL_PER_CLIENT; i++)
		entry(now - 60, arena_printf(&A, "x%d@elsewhere.example", i), "password.reset-request", "ok", "198.51.100.1", "unknown account");
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(reset_mail_throttled(&DB, "bo@contoso.example", "198.51.100.1", now), 1);
	ck_assert_int_eq(reset_mail_throttled(&DB, "bo@contoso.example", "198.51.100.1", now + RESET_MAIL_WINDOW), 0);
	ck_assert(!store_failed(&DB));
}
END_TEST

/* Create one: its own counts (a reset request is not a Create one), the same shape of limits. */
static void
mails(int n, int64_t at, const char *to, const char *tmpl)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < n; i++)
		ck_assert_int_gt(st_outbox_insert(&DB, at, to, "Subject", tmpl, "message"), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
}

/* Create one: the emails it sent to the address (a link, or word of the account), counted in
 * the outbox; other emails and other addresses do not count. */
START_TEST(signup_mail)
{
	int64_t now = 1000000;
	const char *who = "ana@contoso.example";
	mails(10, now - 60, who, "password-reset");				/* another kind of email */
	mails(SIGNUP_MAIL_PER_ADDRESS - 2, now - 60, who, "signup-confirm");
	mails(1, now - 60, who, "signup-exists");
	mails(3, now - SIGNUP_MAIL_WINDOW - 1, who, "signup-confirm");		/* too old */
	mails(50, now - 60, "bo@contoso.example", "signup-confirm");		/* another address */
	ck_assert_int_eq(signup_mail_throttled(&DB, who, now), 0);
	mails(1, now - 60, who, "signup-exists");
	ck_assert_int_eq(signup_mail_throttled(&DB, who, now), 1);
	ck_assert_int_eq(signup_mail_throttled(&DB, who, now + SIGNUP_MAIL_WINDOW), 0);
	ck_assert(!store_failed(&DB));
}
END_TEST

UNIT_MAIN("throttle",
	unit_case("decisions", NULL, NULL, UNIT_TESTS(delays_grow_and_stop_growing, decision_table)),
	unit_case("in the log", unit_db_setup, unit_db_teardown, UNIT_TESTS(usual_place_is_never_locked_by_others,
	    usual_place_expires, per_address_limit_and_wrong_current_passwords, reset_mail, signup_mail)))
