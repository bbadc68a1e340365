/* users.h — who may add, change, reset and delete an organization's users.
 *
 * The rules of SPEC §2.3 in one pure function, so that every page that changes a user
 * asks the same question and the unit tests can try every case:
 *   - managing users needs USERS_MANAGE (perms.def);
 *   - only a Global admin grants or removes Global admin, changes a Global admin's roles,
 *     resets a Global admin's password or deletes a Global admin;
 *   - the last Global admin can be neither demoted nor deleted;
 *   - nobody changes their own roles, resets their own password here or deletes themselves.
 * The checks run in that order; the first that fails is the answer. */
#ifndef USERS_H
#define USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"

enum user_action { UA_ADD, UA_ROLES, UA_RESET, UA_DELETE };

enum user_verdict {
	UV_OK = 0,
	UV_NOT_ALLOWED,		/* the actor's roles do not include user management */
	UV_GLOBAL_ONLY,		/* touches Global admin, and the actor is not one */
	UV_LAST_GLOBAL,		/* would leave the organization without a Global admin */
	UV_SELF,		/* the actor's own account */
};

struct user_change {
	enum user_action action;
	unsigned actor_roles;	/* the actor's roles as stored now */
	bool self;		/* the target is the actor */
	unsigned old_roles;	/* the target's roles now (0 for UA_ADD) */
	unsigned new_roles;	/* the roles asked for (UA_ADD, UA_ROLES) */
	int global_admins;	/* Global admins in the organization now */
};

enum user_verdict user_change_check(const struct user_change *c);
/* The sentence that tells the actor why (name: the target's name, may be NULL). */
const char *user_verdict_text(struct arena *a, enum user_action action, enum user_verdict v, const char *name);
/* Short words for the audit log ("last Global admin"). */
const char *user_verdict_code(enum user_verdict v);

/* Parses role keys ("global_admin", ...) into bits. -1 when one is unknown. */
int roles_from_keys(const char *const *keys, size_t n, unsigned *out);

/* ---- new work accounts ---- */

struct store;

/* A work account: an organization (tenant) and its first user. */
struct new_account {
	const char *org, *domain, *country;
	const char *kind;		/* "partner" or "customer" */
	const char *name, *email;	/* the first user */
	const char *pw_hash;		/* crypto_pwhash_str of the first user's password */
	unsigned roles;
};

enum { ACCOUNT_DOMAIN_TAKEN = 1, ACCOUNT_EMAIL_TAKEN = 2 };

/* Creates the tenant and its first user in the caller's write transaction: Create one,
 * the customer's Create one from an invitation, and portalctl create-partner all go
 * through here. Returns 0 with *tenant_id and *user_id set; ACCOUNT_DOMAIN_TAKEN and/or
 * ACCOUNT_EMAIL_TAKEN (or-ed) when the domain or the email is in use (nothing written);
 * -1 on a database error. */
int account_create(struct store *db, const struct new_account *n, int64_t *tenant_id, int64_t *user_id);

#endif
