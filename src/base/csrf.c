/* csrf.c — see csrf.h. */
#include "base/csrf.h"

#include <sodium.h>
#include <string.h>

#include "base/keys.h"
#include "base/util.h"

static int
csrf_mac(const char *bound_to, uint32_t kid, unsigned char tag[crypto_auth_BYTES])
{
	unsigned char key[32];
	if (keys_derive(kid, "csrf-tok", key) < 0)
		return -1;
	crypto_auth(tag, (const unsigned char *)bound_to, strlen(bound_to), key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

char *
csrf_token_make(struct arena *a, const char *bound_to)
{
	unsigned char tag[crypto_auth_BYTES];
	if (bound_to == NULL || csrf_mac(bound_to, keys_current(), tag) < 0)
		return NULL;
	return b64url_encode(a, tag, sizeof(tag));
}

bool
csrf_token_check(const char *bound_to, const char *token)
{
	unsigned char got[crypto_auth_BYTES + 1], key[32];
	if (bound_to == NULL || token == NULL || b64url_decode(token, got, sizeof(got)) != crypto_auth_BYTES)
		return false;
	if (keys_derive(keys_current(), "csrf-tok", key) < 0)
		return false;
	bool ok = crypto_auth_verify(got, (const unsigned char *)bound_to, strlen(bound_to), key) == 0;
	sodium_memzero(key, sizeof(key));
	return ok;
}
