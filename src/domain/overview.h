/* overview.h — the signed-in Overview's counts and pending items (issue 15, item 11). */
#ifndef OVERVIEW_H
#define OVERVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/agreement.h"
#include "domain/enroll.h"
#include "store/store.h"

/* The users and pending invitations are counted up to this many; more reads as "1,000+" (the
 * Overview is the benchmark page: its counts stop at the cap however long the lists are). The
 * customers, resellers and resellers without the current agreement are exact at any size:
 * counts the writes keep (schema section 30). */
#define OVERVIEW_CAP 1000

/* What the user's roles may see: the organization's provider account for its resellers and
 * invitations to resellers, its reseller account for its customer invitations (0: neither),
 * its customers, its users. */
struct overview_ask {
	int64_t provider, reseller;
	bool customers, users;
};
/* Fills out (struct overview_counts, store.h) for what ask names, the users and invitations at
 * most OVERVIEW_CAP + 1 (more than the cap), -1 for what it does not; nothing asked: no
 * statement. 0 or -1. */
int overview_counts(struct store *s, int64_t tenant, const struct overview_ask *ask, int64_t now,
    struct overview_counts *out);

/* The Overview's organization (issue 17): enroll_state_get's and agreement_state's answers
 * for tenant in one statement (st_org_standing) instead of four. 0, or -1 (no such
 * organization, or a database error). */
int overview_state(struct store *s, struct arena *a, int64_t tenant, struct enroll_state *es,
    struct agreement_state *ag);

#endif
