/* overview.c — see overview.h. */
#include <string.h>

#include "domain/overview.h"

int
overview_counts(struct store *s, int64_t tenant, const struct overview_ask *ask, int64_t now,
    struct overview_counts *out)
{
	*out = (struct overview_counts){ -1, -1, -1, -1, -1, -1 };
	if (ask->provider == 0 && ask->reseller == 0 && !ask->customers && !ask->users)
		return 0;
	return st_overview_counts(s, tenant, ask->provider, ask->reseller, ask->customers, ask->users, now,
	    OVERVIEW_CAP + 1, out);
}

int
overview_state(struct store *s, struct arena *a, int64_t tenant, struct enroll_state *es, struct agreement_state *ag)
{
	struct org_standing o;
	if (st_org_standing(s, a, tenant, &o) != 1)
		return -1;
	memset(es, 0, sizeof(*es));
	es->tenant = o.tenant;
	es->accounts = o.accounts;
	es->has_legal = o.legal == 1;
	if (es->has_legal)
		es->legal = o.legal_profile;
	enroll_state_derive(es);
	agreement_state_of(a, o.agreement, &o.current, &o.latest, ag);
	return 0;
}
