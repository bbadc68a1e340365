/* webhook.c — signatures, secrets and the retry schedule of webhooks: see webhook.h. */
#include "base/webhook.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
webhook_sign(const unsigned char *key, size_t keylen, const char *id, int64_t timestamp, const char *body,
    size_t bodylen, char out[WEBHOOK_SIG_SIZE])
{
	char ts[24];
	int n = snprintf(ts, sizeof(ts), "%" PRId64, timestamp);
	if (n < 0 || key == NULL || id == NULL || body == NULL)
		return -1;
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (size_t)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, bodylen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
	memcpy(out, "v1,", 3);
	sodium_bin2base64(out + 3, WEBHOOK_SIG_SIZE - 3, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

void
webhook_secret_text(const unsigned char key[WEBHOOK_KEY_BYTES], char out[WEBHOOK_SECRET_LEN + 1])
{
	memcpy(out, WEBHOOK_SECRET_PREFIX, 6);
	sodium_bin2base64(out + 6, WEBHOOK_SECRET_LEN + 1 - 6, key, WEBHOOK_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

int64_t
webhook_backoff(int n, int64_t base)
{
	if (base < 1)
		base = 1;
	int64_t wait = base;
	for (int i = 1; i < n && wait < WEBHOOK_BACKOFF_MAX; i++)
		wait *= 2;
	return wait < WEBHOOK_BACKOFF_MAX ? wait : WEBHOOK_BACKOFF_MAX;
}

int64_t
webhook_next_attempt(int n, int64_t base, int64_t since, int64_t now)
{
	int64_t at = now + webhook_backoff(n, base);
	return at > since + WEBHOOK_RETRY_SECONDS ? 0 : at;
}
