/* groups.h — partner user groups (issue 13): a Global admin names groups of the organization's
 * users (Settings -> User groups) and, as the partner of a delegated admin relationship,
 * assigns groups to it; a member of an assigned group may act as partner under it without
 * Admin agent (delegated.h: da_may_act, da_acting_decision — the dispatcher's acting check and
 * "Open ... as partner" decide with it). Every change is one call here inside the caller's
 * write transaction; the pages audit them. */
#ifndef GROUPS_H
#define GROUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define GROUP_NAME_MAX 100

/* Why a change to a group is refused. */
enum group_refusal {
	GROUP_OK = 0,
	GROUP_NAME_TAKEN,	/* the organization has a group of that name (any case) */
	GROUP_NOT_MEMBER_OF_ORG,	/* the user is not one of the organization's (or is a member already) */
	GROUP_NOT_PARTNER,	/* only the partner of the relationship assigns its groups */
	GROUP_ENDED,		/* the relationship has ended: nothing to assign */
	GROUP__REFUSALS
};
/* The sentence for a person. */
const char *group_refusal_text(enum group_refusal why);

/* tenant's groups (members counted). 0 or -1. */
int groups_of(struct store *s, struct arena *a, int64_t tenant, struct user_group_list *out);
/* Group id of tenant with its members: 1, 0 none or another's, -1. */
int group_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_group *out,
    struct user_list *members);
/* Creates (id 0) or renames group id of tenant: the group's id, 0 refused (*why), -1. */
int64_t group_save(struct store *s, int64_t tenant, int64_t id, const char *name, int64_t now, enum group_refusal *why);
/* Deletes group id of tenant (its members and assignments go with it): 1, 0 none, -1. */
int group_delete(struct store *s, int64_t id, int64_t tenant);
/* Adds / removes user (of the group's organization) to / from group id: 1 done, 0 refused
 * (*why), -1. */
int group_member_set(struct store *s, int64_t id, int64_t user, bool add, enum group_refusal *why);

/* The groups assigned to delegated admin relationship da. 0 or -1. */
int da_groups(struct store *s, struct arena *a, int64_t da, struct user_group_list *out);
/* Assigns (assign) or takes away group g of organization tenant on relationship d, which tenant
 * must be the partner of (and, to assign, it must not have ended at now): 1 done, 0 refused
 * (*why) or nothing to change (*why GROUP_OK), -1. */
int da_group_assign(struct store *s, const struct da_row *d, const struct user_group *g, int64_t tenant, bool assign,
    int64_t now, enum group_refusal *why);

#endif
