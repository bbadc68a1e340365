/* password.c — see password.h. */
#include "base/password.h"
#include "base/i18n.h"

#include <semaphore.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

static sem_t hash_slots;
static char dummy_hash[PW_HASH_MAX];

int
password_init(void)
{
	if (sodium_init() < 0)
		return -1;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	if (sem_init(&hash_slots, 0, (unsigned)cores) != 0)
		return -1;
	unsigned char junk[32];
	randombytes_buf(junk, sizeof(junk));
	char *pw = (char *)junk;
	junk[31] = 0;
	int rc = crypto_pwhash_str(dummy_hash, pw, 31, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_memzero(junk, sizeof(junk));
	return rc == 0 ? 0 : -1;
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
