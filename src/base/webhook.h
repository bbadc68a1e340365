/* webhook.h — the pure parts of webhooks (issue 14), shared by the pages' domain, the
 * delivery worker (mail/webhook.c) and their unit tests: the Standard Webhooks signature,
 * the secret's text form and the retry schedule. */
#ifndef BASE_WEBHOOK_H
#define BASE_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_KEY_BYTES 32		/* the HMAC key: 32 random bytes */
#define WEBHOOK_SECRET_PREFIX "whsec_"
/* "whsec_" + standard base64 of the key (44 characters) */
#define WEBHOOK_SECRET_LEN (6 + 44)
/* "v1," + standard base64 of a 32-byte HMAC, and its NUL */
#define WEBHOOK_SIG_SIZE (3 + 44 + 1)
#define WEBHOOK_RETRY_SECONDS (24 * 3600)	/* retried this long after the first attempt, then failed */
#define WEBHOOK_BACKOFF_MAX (6 * 3600)		/* no wait between two attempts is longer */

/* The Standard Webhooks signature of one delivery: "v1," + base64 of HMAC-SHA256 (libsodium's
 * crypto_auth_hmacsha256, keyed with key) over "id.timestamp.body". 0, or -1. */
int webhook_sign(const unsigned char *key, size_t keylen, const char *id, int64_t timestamp, const char *body,
    size_t bodylen, char out[WEBHOOK_SIG_SIZE]);
/* The secret as it is shown to the user once: "whsec_" + base64 of key. */
void webhook_secret_text(const unsigned char key[WEBHOOK_KEY_BYTES], char out[WEBHOOK_SECRET_LEN + 1]);
/* The wait after the n-th failed attempt (n >= 1): base, 2*base, 4*base, ... at most
 * WEBHOOK_BACKOFF_MAX. */
int64_t webhook_backoff(int n, int64_t base);
/* When the attempt after the n-th failure at now is due, for a delivery retried since
 * `since`: the time, or 0 when it would come after since + WEBHOOK_RETRY_SECONDS (give up:
 * the delivery has failed). */
int64_t webhook_next_attempt(int n, int64_t base, int64_t since, int64_t now);
/* Whether an address (AF_INET: 4 bytes, AF_INET6: 16) is one a webhook must not reach unless
 * PORTAL_WEBHOOK_ALLOW_PRIVATE allows it: unspecified, loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), shared (100.64/10), link-local (169.254/16, fe80::/10), benchmark,
 * multicast, reserved, and IPv4 mapped or translated into IPv6 the same way. */
bool webhook_ip_private(int family, const unsigned char *addr);

#endif
