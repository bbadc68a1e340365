/* csrf.c — see csrf.h. */
#include "base/csrf.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "base/keys.h"
#include "base/util.h"

/* Issue 17: deriving the working key and keying the HMAC (two SHA-512 blocks) cost more
 * than the MAC of the short cookie itself, on every page with a form. Each thread keeps the
 * HMAC state keyed with the current key (libsodium's own state, copied per token and wiped
 * after use) and keys it again when the key table changed (keys_generation) or the key id. */
static _Thread_local struct {
	bool ready;
	uint32_t kid;
	uint64_t generation;
	crypto_auth_hmacsha512256_state st;
} keyed;

static int
csrf_mac(const char *bound_to, uint32_t kid, unsigned char tag[crypto_auth_BYTES])
{
	uint64_t gen = keys_generation();
	if (!keyed.ready || keyed.kid != kid || keyed.generation != gen) {
		unsigned char key[32];
		keyed.ready = false;
		if (keys_derive(kid, "csrf-tok", key) < 0)
			return -1;
		crypto_auth_hmacsha512256_init(&keyed.st, key, sizeof(key));
		sodium_memzero(key, sizeof(key));
		keyed.kid = kid;
		keyed.generation = gen;
		keyed.ready = true;
	}
	crypto_auth_hmacsha512256_state st = keyed.st;
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)bound_to, strlen(bound_to));
	crypto_auth_hmacsha512256_final(&st, tag);
	sodium_memzero(&st, sizeof(st));
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
	unsigned char got[crypto_auth_BYTES + 1], want[crypto_auth_BYTES];
	if (bound_to == NULL || token == NULL || b64url_decode(token, got, sizeof(got)) != crypto_auth_BYTES)
		return false;
	if (csrf_mac(bound_to, keys_current(), want) < 0)
		return false;
	bool ok = crypto_verify_32(got, want) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}
