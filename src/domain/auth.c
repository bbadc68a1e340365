/* auth.c — see auth.h. */
#include "domain/auth.h"

#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "base/keys.h"
#include "base/log.h"
#include "base/util.h"

const struct role_info roles[ROLE__COUNT] = {
#define ROLE(id, bit, key, name, about) [bit] = { 1u << (bit), key, name, about },
#include "domain/roles.def"
#undef ROLE
};

const struct perm_info perms[PERM__COUNT] = {
#define PERM(id, about, mask) [PERM_##id] = { #id, about, mask },
#include "domain/perms.def"
#undef PERM
};

bool
perm_allows(enum perm p, unsigned have)
{
	if (p == PERM_PUBLIC || p == PERM_SIGNED_IN)
		return true;
	return (perms[p].roles & have) != 0;
}

char *
roles_text(struct arena *a, unsigned have)
{
	struct buf b;
	buf_init(&b, a);
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_puts(&b, roles[i].name);
		}
	return b.len ? b.p : arena_strdup(a, "No roles");
}

/* ---- passwords ---- */

static sem_t hash_slots;
static char dummy_hash[PW_HASH_MAX];

int
auth_init(void)
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
auth_password_problem(const char *pw, const char *email)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < PW_MIN)
		return "Use at least 12 characters.";
	if (n > PW_MAX)
		return "Use at most 256 bytes.";
	if (email != NULL && str_ieq(pw, email))
		return "Your password cannot be your email address.";
	return NULL;
}

static void
slot_take(void)
{
	while (sem_wait(&hash_slots) != 0)
		;
}

int
auth_hash_password(const char *pw, char out[PW_HASH_MAX])
{
	slot_take();
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&hash_slots);
	return rc == 0 ? 0 : -1;
}

bool
auth_check_password(const char *hash, const char *pw)
{
	bool real = hash != NULL && *hash != '\0';
	slot_take();
	int rc = crypto_pwhash_str_verify(real ? hash : dummy_hash, pw, strlen(pw));
	sem_post(&hash_slots);
	return real && rc == 0;
}

bool
auth_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

/* ---- sessions ---- */

int
auth_session_hash(const char *cookie, unsigned char out[32])
{
	unsigned char raw[33];
	if (cookie == NULL || strlen(cookie) != SESSION_COOKIE_LEN || b64url_decode(cookie, raw, sizeof(raw)) != 32)
		return -1;
	crypto_generichash(out, 32, raw, 32, NULL, 0);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
auth_session_create(struct db *db, int64_t user_id, const char *ip, char cookie[SESSION_COOKIE_LEN + 1])
{
	unsigned char raw[32], hash[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(cookie, SESSION_COOKIE_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(hash, sizeof(hash), raw, sizeof(raw), NULL, 0);
	sodium_memzero(raw, sizeof(raw));
	int64_t now = now_sec();
	return db_run(db, Q_SESSION_INSERT, QB(hash, sizeof(hash)), QI(user_id), QI(now), QI(now), QT(ip ? ip : "")) == 1 ? 0 : -1;
}

static const char *
partner_status(struct arena *a, const char *accounts, const char *type)
{
	/* accounts is "type:status,type:status" from Q_SESSION_LOAD. */
	size_t tl = strlen(type);
	for (const char *p = accounts; p != NULL && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > tl + 1 && strncmp(p, type, tl) == 0 && p[tl] == ':')
			return arena_strndup(a, p + tl + 1, len - tl - 1);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

int
auth_session_load(struct db *db, struct arena *a, const char *cookie, struct session *s)
{
	memset(s, 0, sizeof(*s));
	if (auth_session_hash(cookie, s->token_hash) < 0)
		return 0;
	sqlite3_stmt *st = db_q(db, Q_SESSION_LOAD, QB(s->token_hash, 32));
	int rc = db_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	s->id = db_i64(st, 0);
	s->created_at = db_i64(st, 1);
	s->seen_at = db_i64(st, 2);
	s->user_id = db_i64(st, 3);
	s->tenant_id = db_i64(st, 4);
	s->email = arena_strdup(a, db_text(st, 5));
	s->name = arena_strdup(a, db_text(st, 6));
	s->roles = (unsigned)db_i64(st, 7) & ROLE_ALL;
	s->tenant_name = arena_strdup(a, db_text(st, 8));
	s->tenant_kind = arena_strdup(a, db_text(st, 9));
	s->country = arena_strdup(a, db_text(st, 10));
	const char *accounts = db_text(st, 11);
	s->reseller_status = partner_status(a, accounts, "indirect_reseller");
	s->provider_status = partner_status(a, accounts, "indirect_provider");
	s->direct_status = partner_status(a, accounts, "direct_bill");
	sqlite3_reset(st);

	int64_t now = now_sec();
	if (now - s->seen_at > SESSION_IDLE || now - s->created_at > SESSION_ABSOLUTE) {
		if (db_begin(db) == 0) {
			db_run(db, Q_SESSION_DELETE, QI(s->id));
			db_commit(db);
		}
		return 0;
	}
	if (now - s->seen_at >= SESSION_TOUCH_EVERY && db_begin(db) == 0) {
		db_run(db, Q_SESSION_TOUCH, QI(now), QI(s->id));
		db_commit(db);
		s->seen_at = now;
	}
	return 1;
}

/* ---- CSRF ---- */

static int
csrf_mac(const char *bound_to, uint32_t kid, unsigned char tag[crypto_auth_BYTES])
{
	unsigned char key[32];
	if (keys_derive(kid, "csrf-tok", key) < 0)
		return -1;
	crypto_auth(tag, (const unsigned char *)bound_to, strlen(bound_to), key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

char *
auth_csrf_token(struct arena *a, const char *bound_to)
{
	unsigned char tag[crypto_auth_BYTES];
	if (bound_to == NULL || csrf_mac(bound_to, keys_current(), tag) < 0)
		return NULL;
	return b64url_encode(a, tag, sizeof(tag));
}

bool
auth_csrf_check(const char *bound_to, const char *token)
{
	unsigned char got[crypto_auth_BYTES + 1], key[32];
	if (bound_to == NULL || token == NULL || b64url_decode(token, got, sizeof(got)) != crypto_auth_BYTES)
		return false;
	if (keys_derive(keys_current(), "csrf-tok", key) < 0)
		return false;
	bool ok = crypto_auth_verify(got, (const unsigned char *)bound_to, strlen(bound_to), key) == 0;
	sodium_memzero(key, sizeof(key));
	return ok;
}
