/* keys.h — the server's secret keys, in one file created with mode 0600.
 *
 * Each line holds a key id, its state and a 32-byte master key in hex:
 *   current  signs new links and CSRF tokens
 *   valid    still accepted (links signed before a rotation keep working until they expire)
 *   retired  refused
 * Working keys are derived from a master key with crypto_kdf, one context per use, so a
 * key for one purpose is useless for another. */
#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KEYS_MAX 32

/* Creates the file with one current key if it does not exist. 1 created, 0 existed, -1 error. */
int keys_create(const char *path, char *err, size_t errlen);
/* Loads the file (refusing one readable by others). 0 or -1. */
int keys_load(const char *path, char *err, size_t errlen);
/* Adds a new current key; the old current one becomes valid; keys beyond the newest
 * `keep_valid` valid ones become retired. Writes atomically. 0 or -1; *kid = the new id. */
int keys_rotate(const char *path, int keep_valid, uint32_t *kid, char *err, size_t errlen);
/* The id of the current key (0 when none is loaded). */
uint32_t keys_current(void);
/* Derives the working key for ctx (exactly 8 chars) from master key kid.
 * 0, or -1 when kid is unknown or retired. */
int keys_derive(uint32_t kid, const char *ctx, unsigned char out[32]);
/* A number that changes whenever the key table does (load, rotate, tests): working keys
 * kept by a caller (csrf.c's per-thread HMAC state) are re-derived when it moved. */
uint64_t keys_generation(void);
/* Installs a key table directly (tests). */
void keys_set_for_test(uint32_t kid, const unsigned char master[32]);

#endif
