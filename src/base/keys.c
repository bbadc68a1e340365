/* keys.c — see keys.h. */
#include "base/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum key_state { KEY_CURRENT, KEY_VALID, KEY_RETIRED };
static const char *const state_names[] = { "current", "valid", "retired" };

struct key {
	uint32_t id;
	enum key_state state;
	unsigned char master[crypto_kdf_KEYBYTES];
};

static struct key table[KEYS_MAX];
static size_t nkeys;
/* Raised whenever the table changes (keys_generation): what is derived from it is stale. */
static uint64_t generation;

static int
write_file(const char *path, const struct key *keys, size_t n, char *err, size_t errlen)
{
	char tmp[1100];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		return -1;
	}
	fprintf(f, "# csp-portal secret keys (link signing, CSRF). Mode 0600. Change with: portalctl rotate-key\n");
	for (size_t i = 0; i < n; i++) {
		char hex[crypto_kdf_KEYBYTES * 2 + 1];
		sodium_bin2hex(hex, sizeof(hex), keys[i].master, sizeof(keys[i].master));
		fprintf(f, "%u %s %s\n", keys[i].id, state_names[keys[i].state], hex);
		sodium_memzero(hex, sizeof(hex));
	}
	int bad = fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
keys_create(const char *path, char *err, size_t errlen)
{
	if (access(path, F_OK) == 0)
		return 0;
	struct key k = { .id = 1, .state = KEY_CURRENT };
	crypto_kdf_keygen(k.master);
	int rc = write_file(path, &k, 1, err, errlen);
	sodium_memzero(&k, sizeof(k));
	return rc < 0 ? -1 : 1;
}

int
keys_load(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s (run portalctl init)", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: must be readable by its owner only (chmod 600)", path);
		close(fd);
		return -1;
	}
	FILE *f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	char line[256];
	int lineno = 0, rc = 0;
	size_t n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		unsigned id;
		char state[16], hex[80];
		struct key k;
		size_t len = 0;
		if (n == KEYS_MAX || sscanf(line, "%u %15s %79s", &id, state, hex) != 3 || id == 0 ||
		    sodium_hex2bin(k.master, sizeof(k.master), hex, strlen(hex), NULL, &len, NULL) != 0 ||
		    len != sizeof(k.master)) {
			snprintf(err, errlen, "%s:%d: malformed key line", path, lineno);
			rc = -1;
			break;
		}
		k.id = id;
		if (strcmp(state, "current") == 0)
			k.state = KEY_CURRENT;
		else if (strcmp(state, "valid") == 0)
			k.state = KEY_VALID;
		else if (strcmp(state, "retired") == 0)
			k.state = KEY_RETIRED;
		else {
			snprintf(err, errlen, "%s:%d: unknown key state '%s'", path, lineno, state);
			rc = -1;
			break;
		}
		table[n++] = k;
		sodium_memzero(hex, sizeof(hex));
		sodium_memzero(&k, sizeof(k));
	}
	sodium_memzero(line, sizeof(line));
	fclose(f);
	if (rc == 0) {
		int current = 0;
		for (size_t i = 0; i < n; i++)
			current += table[i].state == KEY_CURRENT;
		if (current != 1) {
			snprintf(err, errlen, "%s: exactly one key must be current", path);
			rc = -1;
		}
	}
	nkeys = rc == 0 ? n : 0;
	__atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
	return rc;
}

int
keys_rotate(const char *path, int keep_valid, uint32_t *kid, char *err, size_t errlen)
{
	if (keys_load(path, err, errlen) < 0)
		return -1;
	if (nkeys == KEYS_MAX) {
		snprintf(err, errlen, "%s: too many keys; remove retired ones", path);
		return -1;
	}
	uint32_t max = 0;
	for (size_t i = 0; i < nkeys; i++) {
		if (table[i].id > max)
			max = table[i].id;
		if (table[i].state == KEY_CURRENT)
			table[i].state = KEY_VALID;
	}
	/* Keep only the newest keep_valid valid keys. */
	int seen = 0;
	for (size_t i = nkeys; i-- > 0;)
		if (table[i].state == KEY_VALID && ++seen > keep_valid)
			table[i].state = KEY_RETIRED;
	struct key *k = &table[nkeys++];
	k->id = max + 1;
	k->state = KEY_CURRENT;
	crypto_kdf_keygen(k->master);
	*kid = k->id;
	__atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
	return write_file(path, table, nkeys, err, errlen);
}

uint64_t
keys_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

uint32_t
keys_current(void)
{
	for (size_t i = 0; i < nkeys; i++)
		if (table[i].state == KEY_CURRENT)
			return table[i].id;
	return 0;
}

int
keys_derive(uint32_t kid, const char *ctx, unsigned char out[32])
{
	for (size_t i = 0; i < nkeys; i++)
		if (table[i].id == kid && table[i].state != KEY_RETIRED)
			return crypto_kdf_derive_from_key(out, 32, 1, ctx, table[i].master) == 0 ? 0 : -1;
	return -1;
}

void
keys_set_for_test(uint32_t kid, const unsigned char master[32])
{
	/* Installing the same id again replaces it (a test run in one process installs its
	 * key before every test); the table never ends up without a current key. */
	size_t i;
	for (i = 0; i < nkeys && table[i].id != kid; i++)
		;
	if (i == nkeys && nkeys == KEYS_MAX)
		return;
	for (size_t k = 0; k < nkeys; k++)
		if (table[k].state == KEY_CURRENT)
			table[k].state = KEY_VALID;
	if (i == nkeys)
		nkeys++;
	table[i].id = kid;
	table[i].state = KEY_CURRENT;
	memcpy(table[i].master, master, 32);
	__atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
}
