/* password.h — hashing and checking passwords (Argon2id through libsodium), at most as many
 * hashes at once as cores so that parallel sign-ins cannot exhaust memory. */
#ifndef PASSWORD_H
#define PASSWORD_H

#include <sodium.h>
#include <stdbool.h>

#define PW_MIN 12
#define PW_MAX 256
#define PW_HASH_MAX crypto_pwhash_STRBYTES

/* Call once before threads start: initializes libsodium and sizes the hashing semaphore to
 * the cores. 0 or -1. */
int password_init(void);
/* Readies the dummy hash an unknown account's password is checked against (a constant of
 * the current limits, see password.c; made only if the limits changed) now rather than at
 * the first such check (the portal calls it at start). 0 or -1 (out of memory). */
int password_warm(void);
/* A message saying what is wrong with pw for this account, or NULL when it is acceptable. */
const char *password_problem(const char *pw, const char *email);
/* Argon2id with interactive limits. out gets the encoded hash. 0 or -1 (out of memory). */
int password_hash(const char *pw, char out[PW_HASH_MAX]);
/* True when pw matches hash; a NULL/empty hash runs against a dummy so that unknown
 * accounts cost the same time. */
bool password_check(const char *hash, const char *pw);
/* True when hash was made with older (lower) parameters than today's. */
bool password_needs_rehash(const char *hash);

#endif
