/* accounts.h — work accounts and their users: a new organization with its first user,
 * signing in (and its throttle), passwords (changed, reset and set through emailed links),
 * and user management with its rule: who may add, change, reset and delete users.
 *
 * The user-management rule of SPEC §2.3 is one pure function, so that every page that
 * changes a user asks the same question and the unit tests can try every case:
 *   - managing users needs USERS_MANAGE (perms.def);
 *   - only a Global admin grants or removes Global admin, changes a Global admin's roles,
 *     resets a Global admin's password or deletes a Global admin;
 *   - the last Global admin can be neither demoted nor deleted;
 *   - nobody changes their own roles, resets their own password here or deletes themselves;
 *   - nobody grants or removes a role they do not hold themselves (a Global admin holds
 *     them all): a User admin cannot make an Account admin (issue 12, item 7).
 * The checks run in that order; the first that fails is the answer.
 *
 * Everything that writes runs in the caller's write transaction (store_begin_write), and
 * returns -1 when a write failed: the store is then failed too, so the request ends in a
 * rollback and a 500, never in "done". */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "base/token.h"
#include "domain/access.h"
#include "domain/throttle.h"
#include "store/store.h"

/* ---- the user-management rule ---- */

enum user_action { UA_ADD, UA_ROLES, UA_RESET, UA_DELETE };

enum user_verdict {
	UV_OK = 0,
	UV_NOT_ALLOWED,		/* the actor's roles do not include user management */
	UV_GLOBAL_ONLY,		/* touches Global admin, and the actor is not one */
	UV_LAST_GLOBAL,		/* would leave the organization without a Global admin */
	UV_SELF,		/* the actor's own account */
	UV_NOT_HELD,		/* grants or removes a role the actor does not hold */
	UV_NO_ROLE,		/* adds a user with no role at all (issue 15) */
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

/* What a decision about an organization's users reads from the database: the actor and
 * the organization's Global admins. Read inside the write transaction, these facts stay
 * true until it commits (store.h, "the write promise"): the last Global admin cannot be
 * demoted or deleted by two administrators at once. */
struct user_facts {
	int64_t actor_id, tenant_id;
	unsigned actor_roles;
	int global_admins;
};
/* Reads the facts for actor (a signed-in user). stored_roles: the actor's roles as stored
 * now (a role change made since the request began counts: every change uses this);
 * otherwise the session's (pages that only show what the actor may do). 0 or -1. */
int user_facts_read(struct store *s, struct arena *a, const struct session *actor, bool stored_roles,
    struct user_facts *out);
/* The rule applied to the facts: action on target (NULL for UA_ADD), asking for new_roles. */
enum user_verdict user_decide(const struct user_facts *f, enum user_action action, const struct user_row *target,
    unsigned new_roles);
/* The roles an actor with actor_roles may grant or remove: all of them for a Global admin,
 * else the roles the actor holds, never Global admin. Portalctl (the operator) is not an
 * actor here: it creates organizations with their first Global admin only. */
unsigned user_roles_grantable(unsigned actor_roles);
/* Whether an actor with actor_roles may tick or untick role number i (roles[] order) at
 * all (user_roles_grantable). */
bool user_role_grantable(unsigned actor_roles, int i);
/* The roles a roles form asks for: the boxes ticked, plus the target's stored roles the
 * actor may not change (their boxes are disabled, so a browser never sends them). A ticked
 * box the actor may not tick stays in: user_decide refuses it. */
unsigned user_roles_asked(unsigned actor_roles, unsigned stored, unsigned ticked);

/* Parses role keys ("global_admin", ...) into bits. -1 when one is unknown. */
int roles_from_keys(const char *const *keys, size_t n, unsigned *out);

/* ---- an organization's users (Settings → User management) ---- */

/* ?sort= of the list: "email", or the name for anything else. */
enum user_order users_order_parse(const char *key);
const char *users_order_key(enum user_order o);
/* The page `page` of tenant's users (clamped into range: *pg says which), per_page a page,
 * in order. 0 or -1. */
int users_page(struct store *s, struct arena *a, int64_t tenant, enum user_order order, bool desc, int64_t page,
    int64_t per_page, struct paging *pg, struct user_list *out);
/* Issue 15, item 11: the same for the users whose name or email contains q (NULL or "": all
 * of them, as users_page). 0 or -1. */
int users_find(struct store *s, struct arena *a, int64_t tenant, const char *q, enum user_order order, bool desc,
    int64_t page, int64_t per_page, struct paging *pg, struct user_list *out);
/* User id of organization tenant (never another organization's): 1 found, 0 none, -1 error. */
int user_in_tenant(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct user_row *out);

enum { USER_EMAIL_TAKEN = 1, USER_EMAIL_ELSEWHERE = 2 };
/* Adds a user without a password to tenant: 0 with *id; USER_EMAIL_TAKEN when a user of
 * tenant has the email, USER_EMAIL_ELSEWHERE when an account of another organization has
 * it (*id: that user; nothing written either way: the page must not tell the second case
 * from a new address, issue 12, item 9); -1 on error. */
int user_add(struct store *s, struct arena *a, int64_t tenant, const char *name, const char *email, unsigned have,
    int64_t *id);
/* Gives user id of tenant the roles `have` and ends their sessions (the new roles apply at once). 0 or -1. */
int user_set_roles(struct store *s, int64_t tenant, int64_t id, unsigned have);
/* Clears the password of user id of tenant, ends their sessions and their unused reset
 * and set-password links. 0 or -1. */
int user_clear_password(struct store *s, int64_t tenant, int64_t id);
/* Deletes user id of tenant: their emailed links stop working (link rows name the user by
 * id, and a deleted id can come back), their sessions end; their audit entries stay. 0 or -1. */
int user_delete(struct store *s, int64_t tenant, int64_t id);

/* ---- new work accounts ---- */

/* The first user of a new organization is its Global admin. */
#define FIRST_USER_ROLES ROLE_MASK(GLOBAL_ADMIN)

/* A work account: an organization (tenant) and its first user. */
struct new_account {
	const char *org, *domain, *country;
	enum tenant_kind kind;
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

/* ---- Create one, confirmed by email (issue 12, item 9) ----
 * Create one (/signup, and a customer's /customer-invite/new) creates nothing at once: an
 * address without an account gets a link (24 hours, once) that creates the organization,
 * an address with an account gets an email saying so, and the visitor sees the same page
 * either way, so that Create one tells nobody which addresses have accounts. */

#define SIGNUP_TTL (24 * 60 * 60)
enum { SIGNUP_SENT = 0, SIGNUP_DOMAIN_TAKEN = 1, SIGNUP_EMAIL_TAKEN = 2, SIGNUP_THROTTLED = 3 /* the caller's: domain/throttle.h */ };
/* Records Create one request r (kind, org, domain, country, name, email, pw_hash, next; for
 * a customer the invitation and its link's expiry; created_at and expires_at are set here) in
 * the caller's write transaction: SIGNUP_SENT with *token (the confirmation link's); or
 * nothing written and SIGNUP_DOMAIN_TAKEN when the domain has a work account (the form says
 * so), SIGNUP_EMAIL_TAKEN when the email has an account (the caller tells the owner, and
 * answers as for SIGNUP_SENT); -1 on error. */
int signup_request(struct store *s, struct arena *a, struct signup_request *r, char **token);
/* The request that confirmation link text names, while it is usable: NULL with *out and *t,
 * or the sentence why not (also on a database error: the store is then failed). */
const char *signup_check(struct store *s, struct arena *a, const char *text, struct signup_request *out, struct token *t);
enum { SIGNUP_LINK_USED = 4 };
/* Confirms request r of link t in the caller's write transaction: the link is used (once,
 * even under concurrent submissions), the organization and its Global admin are created
 * (account_create) and the request is deleted. 0 with *tenant_id and *user_id;
 * ACCOUNT_DOMAIN_TAKEN / ACCOUNT_EMAIL_TAKEN when they were taken since (or-ed), or
 * SIGNUP_LINK_USED (the caller answers with a refusal: its transaction rolls back); -1 on
 * error. */
int signup_confirm(struct store *s, const struct token *t, const struct signup_request *r, int64_t *tenant_id,
    int64_t *user_id);

/* Housekeeping: removes the Create one requests that expired unconfirmed (each holds a
 * password's hash), in a transaction of its own. Rows removed, or -1. */
int signup_requests_purge(struct store *s, int64_t now);

/* ---- signing in and passwords ---- */

/* signin_throttled (the sign-in throttle, also of the current-password check): see
 * domain/throttle.h. */
/* The account signing in with email: 1 with out (id, tenant_id, email) and *pw_hash (""
 * when no password is set), 0 none, -1 error. */
int account_by_email(struct store *s, struct arena *a, const char *email, struct user_row *out, const char **pw_hash);
/* User id (id, tenant_id, email, name, roles): 1 found, 0 none, -1 error. */
int account_user(struct store *s, struct arena *a, int64_t id, struct user_row *out);
/* User id with the name of their organization (the set-password page greets them with
 * it): 1 found, 0 none, -1 error. */
int account_with_org(struct store *s, struct arena *a, int64_t id, struct user_row *out, const char **org);
/* User id's stored password hash: 1 with *pw_hash ("" none set), 0 no such user, -1 error. */
int account_password_hash(struct store *s, struct arena *a, int64_t id, const char **pw_hash);
/* Stores user id's new password hash. 0, or -1 (nothing changed: the write failed, or
 * there is no such user). */
int account_set_password(struct store *s, int64_t id, const char *pw_hash);

/* Ends every outstanding emailed password link of user id: reset links and set-password
 * links (a password change, or an MFA change, makes them stale). 0 or -1. */
int account_links_revoke(struct store *s, int64_t id);
/* A password change by the user (Your account): stores the new hash and revokes every
 * outstanding reset and set-password link (account_links_revoke). 0 or -1. */
int account_change_password(struct store *s, int64_t id, const char *pw_hash);

enum { LINK_PASSWORD_SET = 0, LINK_PASSWORD_USED = 1 };
/* The emailed link's action (password reset, set password): uses link t (exactly once,
 * even under concurrent submissions), stores user id's new password hash, revokes the
 * user's other outstanding password links and ends every session of the user.
 * LINK_PASSWORD_SET, LINK_PASSWORD_USED when the link was used already (nothing changed),
 * or -1 when a write failed (then the store is failed, and the rollback makes the link
 * usable again). */
int account_password_by_link(struct store *s, const struct token *t, int64_t id, const char *pw_hash);

#endif
