/* token.c — see token.h. */
#include "base/token.h"
#include "base/i18n.h"

#include <sodium.h>
#include <string.h>

#include "base/keys.h"
#include "base/util.h"

#define TOKEN_FORMAT 1
#define BODY_LEN 22
#define RAW_LEN (BODY_LEN + crypto_auth_BYTES)

static const char *const purpose_names[TP__MAX] = {
	[TP_PASSWORD_RESET] = "password-reset",
	[TP_SET_PASSWORD] = "set-password",
	[TP_VERIFY_CONTACT] = "verify-contact",
	[TP_RESELLER_INVITE] = "reseller-invite",
	[TP_CUSTOMER_INVITE] = "customer-invite",
	[TP_SIGNUP_CONFIRM] = "signup-confirm",
	[TP_MFA_CHALLENGE] = "mfa-challenge",
	[TP_DELEGATED_ADMIN] = "delegated-admin",
};

const char *
token_purpose_name(enum token_purpose p)
{
	return p > 0 && p < TP__MAX ? purpose_names[p] : "?";
}

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

char *
token_make(struct arena *a, enum token_purpose p, int64_t row, int64_t expires)
{
	unsigned char raw[RAW_LEN], key[32];
	uint32_t kid = keys_current();
	if (p <= 0 || p >= TP__MAX || keys_derive(kid, "linktokn", key) < 0)
		return NULL;
	raw[0] = TOKEN_FORMAT;
	raw[1] = (unsigned char)p;
	put_be(raw + 2, kid, 4);
	put_be(raw + 6, (uint64_t)row, 8);
	put_be(raw + 14, (uint64_t)expires, 8);
	crypto_auth(raw + BODY_LEN, raw, BODY_LEN, key);
	sodium_memzero(key, sizeof(key));
	return b64url_encode(a, raw, sizeof(raw));
}

enum token_error
token_open(const char *text, enum token_purpose want, int64_t now, struct token *t)
{
	unsigned char raw[RAW_LEN + 1], key[32];
	if (text == NULL || strlen(text) != TOKEN_TEXT_LEN || b64url_decode(text, raw, sizeof(raw)) != RAW_LEN ||
	    raw[0] != TOKEN_FORMAT)
		return TOKEN_MALFORMED;
	uint32_t kid = (uint32_t)get_be(raw + 2, 4);
	if (keys_derive(kid, "linktokn", key) < 0)
		return TOKEN_BAD_KEY;
	int bad = crypto_auth_verify(raw + BODY_LEN, raw, BODY_LEN, key);
	sodium_memzero(key, sizeof(key));
	if (bad)
		return TOKEN_BAD_MAC;
	/* Only now is the content trustworthy. */
	if (raw[1] != want)
		return TOKEN_WRONG_PURPOSE;
	int64_t expires = (int64_t)get_be(raw + 14, 8);
	if (expires <= now)
		return TOKEN_EXPIRED;
	t->purpose = want;
	t->kid = kid;
	t->row = (int64_t)get_be(raw + 6, 8);
	t->expires = expires;
	return TOKEN_OK;
}

const char *
token_error_text(enum token_error e)
{
	switch (e) {
	case TOKEN_OK: return "";
	case TOKEN_EXPIRED: return _("This link has expired.");
	case TOKEN_WRONG_PURPOSE: return _("This link is not meant for this page.");
	case TOKEN_BAD_KEY: return _("This link is no longer valid.");
	case TOKEN_MALFORMED:
	case TOKEN_BAD_MAC: return _("This link is not valid. Copy the whole link from the email, or ask for a new one.");
	}
	return _("This link is not valid.");
}
