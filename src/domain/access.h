/* access.h — the seven roles and the permission table: who may do what. "May this user do
 * X" has one answer: the dispatcher's route_allows() for routes (web/http.h), built on
 * perm_allows_in() below; pages and rules ask these, never raw role masks. Mail about an
 * organization goes to its users chosen by permission (access_recipients). */
#ifndef ACCESS_H
#define ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

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

/* issue 19: the program team's operators hold no organization role; their session carries
 * one of these bits instead (domain/operators.h), above every role bit, so perms.def names
 * the operator permissions with them and no partner role ever has one. */
#define OP_ROLE_REVIEWER (1u << 16)
#define OP_ROLE_ADMIN (1u << 17)
#define OP_ROLES (OP_ROLE_REVIEWER | OP_ROLE_ADMIN)

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
/* True when the user of session s (NULL: signed out) holds permission p in organization
 * tenant: today, in their own organization by their roles; the delegated-admin issue adds
 * the organizations that granted them roles. */
bool perm_allows_in(const struct session *s, enum perm p, int64_t tenant);
/* issue 19: whether p is a permission of the operator console (held only through OP_ROLES). */
bool perm_is_operator(enum perm p);
/* Whether session s is an operator's (the console's; never a partner organization's). */
bool session_is_operator(const struct session *s);
/* "Global admin, Admin agent" into the arena ("No roles" for none). */
char *roles_text(struct arena *a, unsigned have);
/* The same in the thread's language (issue 18): for pages and emails, never for data. */
char *roles_local(struct arena *a, unsigned have);

/* Who in organization tenant is told about something that needs permission p: every user
 * holding it (no cap), ordered by name. 0 or -1. */
int access_recipients(struct store *s, struct arena *a, int64_t tenant, enum perm p, struct user_list *out);

#endif
