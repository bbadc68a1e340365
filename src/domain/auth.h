/* auth.h — roles and permissions, passwords, sessions and CSRF tokens. */
#ifndef AUTH_H
#define AUTH_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct db;

enum role_bit {
#define ROLE(id, bit, key, name, about) ROLE_BIT_##id = bit,
#include "domain/roles.def"
#undef ROLE
	ROLE__COUNT
};
#define ROLE_ALL ((1u << ROLE__COUNT) - 1)
#define ROLE_MASK(id) (1u << ROLE_BIT_##id)

struct role_info {
	unsigned mask;
	const char *key, *name, *about;
};
extern const struct role_info roles[ROLE__COUNT];

enum perm {
#define PERM(id, about, mask) PERM_##id,
#include "domain/perms.def"
#undef PERM
	PERM__COUNT
};
struct perm_info {
	const char *key, *about;
	unsigned roles;
};
extern const struct perm_info perms[PERM__COUNT];

/* True when a user with role bits `have` holds permission p (PUBLIC: always;
 * SIGNED_IN: any signed-in user — callers check the session). */
bool perm_allows(enum perm p, unsigned have);
/* "Global admin, Admin agent" into the arena ("No roles" for none). */
char *roles_text(struct arena *a, unsigned have);

/* ---- passwords ---- */
#define PW_MIN 12
#define PW_MAX 256
#define PW_HASH_MAX crypto_pwhash_STRBYTES

/* Call once before threads start: sizes the hashing semaphore to the cores and makes
 * the dummy hash used for unknown accounts. 0 or -1. */
int auth_init(void);
/* A message saying what is wrong with pw for this account, or NULL when it is acceptable. */
const char *auth_password_problem(const char *pw, const char *email);
/* Argon2id with interactive limits. out gets the encoded hash. 0 or -1 (out of memory). */
int auth_hash_password(const char *pw, char out[PW_HASH_MAX]);
/* True when pw matches hash; a NULL/empty hash runs against a dummy so that unknown
 * accounts cost the same time. */
bool auth_check_password(const char *hash, const char *pw);
/* True when hash was made with older (lower) parameters than today's. */
bool auth_needs_rehash(const char *hash);

/* ---- sessions ---- */
#define SESSION_IDLE (30 * 60)
#define SESSION_ABSOLUTE (12 * 60 * 60)
#define SESSION_TOUCH_EVERY 60		/* seen_at is written at most once a minute */
#define SESSION_COOKIE_LEN 43		/* 32 bytes in base64url */

struct session {
	int64_t id, user_id, tenant_id, created_at, seen_at;
	unsigned roles;
	const char *email, *name, *tenant_name, *tenant_kind, *country;
	/* The organization's partner accounts: status per type, NULL when it has none. */
	const char *reseller_status, *provider_status, *direct_status;
	unsigned char token_hash[32];
};

/* Creates a session for user_id and writes the cookie value (43 chars + NUL) into
 * cookie. Caller holds a write transaction. 0 or -1. */
int auth_session_create(struct db *db, int64_t user_id, const char *ip, char cookie[SESSION_COOKIE_LEN + 1]);
/* Looks up the session behind a cookie value. Returns 1 and fills s (strings in the
 * arena) when it is live; 0 when there is none or it expired (an expired one is deleted);
 * -1 on database error. Touches seen_at when older than SESSION_TOUCH_EVERY. */
int auth_session_load(struct db *db, struct arena *a, const char *cookie, struct session *s);
/* The hash under which a cookie value is stored; -1 when the value is malformed. */
int auth_session_hash(const char *cookie, unsigned char out[32]);

/* CSRF token bound to a secret value (the session cookie, or the anonymous visitor's
 * pre-session cookie): base64url of a MAC under the CSRF key. */
char *auth_csrf_token(struct arena *a, const char *bound_to);
/* Constant-time check of a submitted token against bound_to. */
bool auth_csrf_check(const char *bound_to, const char *token);

#endif
