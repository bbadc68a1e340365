/* overview.c — see overview.h. */
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
