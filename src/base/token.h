/* token.h — signed, expiring links for emails.
 *
 * A token is base64url of: format(1) purpose(1) key id(4) row id(8) expiry(8) tag(32),
 * where tag = crypto_auth over the first 22 bytes under a key derived from master key
 * `key id` for link signing. It names the database row that makes it single-use (the
 * handler consumes the row with a conditional UPDATE in its transaction) and the purpose,
 * so a token minted for one kind of link is useless for another. */
#ifndef TOKEN_H
#define TOKEN_H

#include <stdint.h>

#include "base/arena.h"

enum token_purpose {
	TP_PASSWORD_RESET = 1,
	TP_SET_PASSWORD = 2,
	TP_VERIFY_CONTACT = 3,
	TP_RESELLER_INVITE = 4,
	TP_CUSTOMER_INVITE = 5,
	TP_SIGNUP_CONFIRM = 6,		/* Create one: the address is confirmed (signup_requests) */
	TP_MFA_CHALLENGE = 7,	/* not a link: the sign-in's pending second step (a cookie) */
	TP_DELEGATED_ADMIN = 8,	/* a delegated admin request to approve or decline (issue 13) */
	TP__MAX
};

enum token_error {
	TOKEN_OK = 0,
	TOKEN_MALFORMED,	/* not a token at all, or altered in transit */
	TOKEN_BAD_KEY,		/* unknown or retired key id */
	TOKEN_BAD_MAC,		/* altered */
	TOKEN_WRONG_PURPOSE,
	TOKEN_EXPIRED,
};

struct token {
	enum token_purpose purpose;
	uint32_t kid;
	int64_t row;
	int64_t expires;
};

#define TOKEN_TEXT_LEN 72	/* 54 bytes in base64url */

/* The purpose's name as stored in link_tokens.purpose ("password-reset", ...). */
const char *token_purpose_name(enum token_purpose p);
/* Mints a token for row, valid until expires, signed with the current key. NULL on error. */
char *token_make(struct arena *a, enum token_purpose p, int64_t row, int64_t expires);
/* Checks text: well-formed, known key, valid tag, purpose `want`, not expired (at now).
 * Fills t on TOKEN_OK. */
enum token_error token_open(const char *text, enum token_purpose want, int64_t now, struct token *t);
/* Words for a user, per error ("This link has expired."). */
const char *token_error_text(enum token_error e);

#endif
