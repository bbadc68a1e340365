/* mpn.h — "Link your MPN ID" (SPEC §2.2 step 3): signing in to the operator's copy of the
 * Partner Membership Center (PMC), the company profiles a PMC account may link, and the
 * rule for linking one to an organization. Loading the copy is domain/mpn_import.h. */
#ifndef MPN_H
#define MPN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

/* PMC sign-in failures are throttled like /signin: per PMC user name and per client
 * address, over a window. */
#define PMC_THROTTLE_WINDOW (15 * 60)
#define PMC_THROTTLE_PER_NAME 5
#define PMC_THROTTLE_PER_ADDRESS 20

/* 1 when a PMC sign-in as user, or from address ip, must wait (too many recent failures),
 * 0 when it may go on, -1 on a database error. */
int pmc_signin_throttled(struct store *db, const char *user, const char *ip, int64_t now);
/* Checks password against PMC account user: 1 it matches (*pmc_id set), 0 it does not
 * (*pmc_id: the account, 0 for an unknown user name — checked against a dummy hash: the
 * same work, the same answer), -1 on a database error. */
int pmc_signin(struct store *db, struct arena *a, const char *user, const char *password, int64_t *pmc_id);
/* The company profiles PMC account pmc_id may link, by company name. 0 or -1. */
int pmc_profiles(struct store *db, struct arena *a, int64_t pmc_id, struct mpn_profile_list *out);

/* NULL when a company profile (active, in country) may be linked to tenant (in
 * tenant_country), else the sentence naming the rule that refuses it: already linked to
 * another organization (linked_to: the tenant it is linked to, 0 for none), inactive, or in
 * another country. Linked to this same tenant already is fine (nothing to do). */
const char *mpn_link_problem(struct arena *a, bool active, const char *country, const char *country_name,
    const char *tenant_country, const char *tenant_country_name, int64_t linked_to, int64_t tenant);

enum mpn_link_result {
	MPN_LINKED = 0,
	MPN_ALREADY_LINKED,		/* to this organization: nothing to do */
	MPN_NOT_OFFERED,		/* not a profile of the PMC account */
	MPN_REFUSED,			/* mpn_link_problem refused it: *why */
};
/* Links profile mpn, offered by PMC account pmc_id, to tenant (in tenant_country) by
 * user, when mpn_link_problem allows — in the caller's write transaction. An enum
 * mpn_link_result, or -1 on a database error. */
int mpn_link_offered(struct store *db, struct arena *a, int64_t pmc_id, const char *mpn, int64_t tenant,
    const char *tenant_country, int64_t user, const char **why);

#endif
