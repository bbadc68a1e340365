/* seal.c — see seal.h. */
#include "base/seal.h"

#include <sodium.h>

#include "base/keys.h"

#define SEAL_CTX "mfa-seal"

static uint32_t
blob_kid(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int
seal(const unsigned char *p, size_t n, unsigned char *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	uint32_t kid = keys_current();
	if (n > SEAL_MAX_PLAIN || kid == 0 || keys_derive(kid, SEAL_CTX, key) < 0)
		return -1;
	out[0] = (unsigned char)(kid >> 24);
	out[1] = (unsigned char)(kid >> 16);
	out[2] = (unsigned char)(kid >> 8);
	out[3] = (unsigned char)kid;
	randombytes_buf(out + 4, crypto_secretbox_NONCEBYTES);
	int rc = crypto_secretbox_easy(out + 4 + crypto_secretbox_NONCEBYTES, p, n, out + 4, key);
	sodium_memzero(key, sizeof(key));
	return rc == 0 ? 0 : -1;
}

int
seal_open(const unsigned char *blob, size_t len, unsigned char *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	if (blob == NULL || len < SEAL_OVERHEAD || len > SEAL_OVERHEAD + SEAL_MAX_PLAIN ||
	    keys_derive(blob_kid(blob), SEAL_CTX, key) < 0)
		return -1;
	int rc = crypto_secretbox_open_easy(out, blob + 4 + crypto_secretbox_NONCEBYTES,
	    len - 4 - crypto_secretbox_NONCEBYTES, blob + 4, key);
	sodium_memzero(key, sizeof(key));
	return rc == 0 ? 0 : -1;
}

bool
seal_is_current(const unsigned char *blob, size_t len)
{
	return blob != NULL && len >= 4 && blob_kid(blob) == keys_current();
}
