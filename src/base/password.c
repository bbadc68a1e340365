/* password.c — see password.h. */
#include "base/password.h"
#include "base/i18n.h"

#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

static sem_t hash_slots;

/* The hash an unknown account's password is checked against, so that "no such account"
 * takes as long as a wrong password. It is an Argon2id hash of 32 random bytes nobody kept,
 * made once by libsodium with the interactive limits every password here is hashed with; it
 * protects nothing (password_check never accepts an unknown account), so it can be a
 * constant: making one at every start cost each portalctl run and each portal start an
 * Argon2id hash (about 0.4 s of CPU). If libsodium's interactive limits ever change, the
 * constant no longer costs what a real check costs: then one is made, once, when first
 * needed (password_warm at start). */
static const char fixed_dummy[PW_HASH_MAX] =
    "$argon2id$v=19$m=65536,t=2,p=1$t/DjpT5SWogdtbtLaz4QnQ$hB0M+lmxbZs2XmDlzD30ndw55nv/HAM9/hjEnbNh7Ws";
static char dummy_hash[PW_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static bool dummy_made;

int
password_init(void)
{
	if (sodium_init() < 0)
		return -1;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	return sem_init(&hash_slots, 0, (unsigned)cores) == 0 ? 0 : -1;
}

static void
make_dummy(void)
{
	if (crypto_pwhash_str_needs_rehash(fixed_dummy, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0) {
		memcpy(dummy_hash, fixed_dummy, sizeof(fixed_dummy));
		dummy_made = true;
		return;
	}
	unsigned char junk[32];
	randombytes_buf(junk, sizeof(junk));
	char *pw = (char *)junk;
	junk[31] = 0;
	dummy_made = crypto_pwhash_str(dummy_hash, pw, 31, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	sodium_memzero(junk, sizeof(junk));
}

int
password_warm(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy_made ? 0 : -1;
}

const char *
password_problem(const char *pw, const char *email)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < PW_MIN)
		return N_("Use at least 12 characters.");
	if (n > PW_MAX)
		return N_("Use at most 256 bytes.");
	if (email != NULL && str_ieq(pw, email))
		return N_("Your password cannot be your email address.");
	return NULL;
}

static void
slot_take(void)
{
	while (sem_wait(&hash_slots) != 0)
		;
}

int
password_hash(const char *pw, char out[PW_HASH_MAX])
{
	slot_take();
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&hash_slots);
	return rc == 0 ? 0 : -1;
}

bool
password_check(const char *hash, const char *pw)
{
	bool real = hash != NULL && *hash != '\0';
	if (!real)
		pthread_once(&dummy_once, make_dummy);
	slot_take();
	int rc = crypto_pwhash_str_verify(real ? hash : dummy_hash, pw, strlen(pw));
	sem_post(&hash_slots);
	return real && rc == 0;
}

bool
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
