/* throttle.h — how often secrets may be guessed and links asked for. Every throttle counts
 * in the audit log itself (what happened is written there anyway, in the action's
 * transaction or, for refusals, right after its rollback), so nothing is kept in memory and
 * a restart forgets nothing.
 *
 * Sign-in (and the current-password check of the password change form, whose wrong
 * answers count as failed sign-ins of that account from that address):
 *   - per client address: SIGNIN_FAILS_PER_ADDRESS failures (any accounts) in SIGNIN_WINDOW
 *     refuse every attempt from it;
 *   - per account, at the account's usual place (an address it signed in from successfully
 *     within SIGNIN_USUAL_PLACE): only the failures from that address count, and
 *     SIGNIN_FAILS_PER_ACCOUNT of them in SIGNIN_WINDOW refuse further attempts from it. An
 *     attacker elsewhere never locks the owner out where they usually sign in;
 *   - per account, from anywhere else: growing delays. After SIGNIN_FAILS_PER_ACCOUNT real
 *     guesses within SIGNIN_DELAY_WINDOW (from any address; attempts a throttle refused
 *     unchecked do not count), the next attempt is allowed only signin_delay(guesses)
 *     seconds after the last guess: SIGNIN_DELAY_BASE, then doubling with each further
 *     guess, at most SIGNIN_DELAY_MAX. An attacker gets about one guess per
 *     SIGNIN_DELAY_MAX, and an owner at a new place waits at most that long.
 * A refused attempt gets the same answer whatever its password, so a throttle never tells
 * a right password from a wrong one.
 *
 * Forgotten password: at most RESET_MAIL_PER_ADDRESS requests for one email address and
 * RESET_MAIL_PER_CLIENT from one client address in RESET_MAIL_WINDOW are looked up (and,
 * for an account, mailed); beyond that the request is refused silently: the visitor sees
 * the same answer as always, for known and unknown addresses alike.
 *
 * Create one (/signup, a customer's Create one): every request mails its address (a link,
 * or word that it has an account), so at most SIGNUP_MAIL_PER_ADDRESS such emails go to one
 * address in SIGNUP_MAIL_WINDOW (counted in the outbox, where they are anyway); beyond that nothing is
 * written or sent and the visitor sees the same "check your email" page. There is no limit
 * per client address: many people of one partner may sign up from one office address, and
 * every other address gets one mail per request at most. */
#ifndef THROTTLE_H
#define THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define SIGNIN_WINDOW (15 * 60)			/* failed sign-ins count this long */
#define SIGNIN_FAILS_PER_ACCOUNT 5		/* per account (at its usual place: from there) */
#define SIGNIN_FAILS_PER_ADDRESS 20		/* per client address in the window */
#define SIGNIN_USUAL_PLACE (90 * 24 * 60 * 60)	/* a successful sign-in makes an address usual this long */
#define SIGNIN_DELAY_WINDOW (24 * 60 * 60)	/* guesses count this long for the growing delays */
#define SIGNIN_DELAY_BASE 30			/* the first delay, seconds */
#define SIGNIN_DELAY_MAX (15 * 60)		/* the longest delay */

#define RESET_MAIL_WINDOW (60 * 60)
#define RESET_MAIL_PER_ADDRESS 5		/* requests for one email address in the window */
#define RESET_MAIL_PER_CLIENT 20		/* requests from one client address in the window */

#define SIGNUP_MAIL_WINDOW (60 * 60)
#define SIGNUP_MAIL_PER_ADDRESS 5		/* Create ones for one email address in the window */

/* What the sign-in throttle decides on (read by signin_throttled). */
struct signin_facts {
	int64_t from_address;		/* credential failures from the client address in SIGNIN_WINDOW */
	bool usual_place;		/* the account signed in from this address within SIGNIN_USUAL_PLACE */
	int64_t here;			/* the account's failures from this address in SIGNIN_WINDOW */
	int64_t guesses;		/* the account's real guesses in SIGNIN_DELAY_WINDOW */
	int64_t last_guess;		/* the time of the last of them (0: none) */
};

/* The delay after `guesses` real guesses at an account's password: 0 below
 * SIGNIN_FAILS_PER_ACCOUNT, then SIGNIN_DELAY_BASE doubling with each guess, at most
 * SIGNIN_DELAY_MAX. */
int64_t signin_delay(int64_t guesses);
/* The rule above applied to the facts: true when the attempt at now must be refused. */
bool signin_refused(const struct signin_facts *f, int64_t now);
/* Reads the facts for account name email from client address ip. 0 or -1. */
int signin_facts_read(struct store *s, const char *email, const char *ip, int64_t now, struct signin_facts *out);

/* 1 when an attempt to sign in as email (or to confirm its current password) from client
 * address ip at now must be refused unchecked, 0 when it may go on, -1 on error. */
int signin_throttled(struct store *s, const char *email, const char *ip, int64_t now);

/* 1 when a "forgot password" request for email from client address ip at now must not be
 * looked up nor mailed, 0 when it may, -1 on error. */
int reset_mail_throttled(struct store *s, const char *email, const char *ip, int64_t now);

/* 1 when a Create one for email at now must neither be written nor mailed, 0 when it may,
 * -1 on error. */
int signup_mail_throttled(struct store *s, const char *email, int64_t now);

#endif
