/* webhook.c — signatures, secrets and the retry schedule of webhooks: see webhook.h. */
#include "base/webhook.h"

#include <inttypes.h>
#include <sys/socket.h>
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

static bool
v4_private(const unsigned char *a)
{
	return a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 || (a[0] == 100 && (a[1] & 0xc0) == 64)
	    || (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168)
	    || (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) || (a[0] == 198 && (a[1] & 0xfe) == 18)
	    || (a[0] == 198 && a[1] == 51 && a[2] == 100) || (a[0] == 203 && a[1] == 0 && a[2] == 113);
}

bool
webhook_ip_private(int family, const unsigned char *a)
{
	if (family == AF_INET)
		return v4_private(a);
	if (family != AF_INET6)
		return true;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char zero[12];
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0 || memcmp(a, zero, 12) == 0)
		return v4_private(a + 12) || memcmp(a, zero, 12) == 0;	/* ::/96 (with ::1) never */
	return (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff
	    || (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8);
}
