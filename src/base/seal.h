/* seal.h — small secrets encrypted at rest (the TOTP secrets): crypto_secretbox under a key
 * derived from the key file (keys_derive, context "mfa-seal": useless for links or CSRF).
 *
 * A sealed blob is: key id (4 bytes, big-endian) || nonce (24) || ciphertext (with its
 * 16-byte tag). The key id lets a blob outlive a key rotation: it opens while its key is
 * current or valid, and seal_is_current() says when it should be sealed again under the
 * current key (portalctl rotate-key does that for every stored secret). */
#ifndef SEAL_H
#define SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEAL_OVERHEAD (4 + 24 + 16)
#define SEAL_MAX_PLAIN 64

/* Seals p[0..n) (n <= SEAL_MAX_PLAIN) under the current key into out (n + SEAL_OVERHEAD
 * bytes). 0, or -1 (no key, too long). */
int seal(const unsigned char *p, size_t n, unsigned char *out);
/* Opens a sealed blob of len bytes into out (len - SEAL_OVERHEAD bytes). 0, or -1 when it
 * is malformed, its key is unknown or retired, or it was altered. */
int seal_open(const unsigned char *blob, size_t len, unsigned char *out);
/* Whether blob is sealed under the current key. */
bool seal_is_current(const unsigned char *blob, size_t len);

#endif
