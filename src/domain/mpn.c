/* mpn.c — see mpn.h. */
#include "domain/mpn.h"
#include "base/i18n.h"

#include "base/password.h"
#include "base/util.h"
#include "domain/countries.h"

int
pmc_signin_throttled(struct store *db, const char *user, const char *ip, int64_t now)
{
	int64_t since = now - PMC_THROTTLE_WINDOW;
	int64_t by_name = st_pmc_failures_of(db, user, since);
	int64_t by_address = by_name >= 0 ? st_pmc_failures_from(db, ip, since) : -1;
	if (by_address < 0)
		return -1;
	return by_name >= PMC_THROTTLE_PER_NAME || by_address >= PMC_THROTTLE_PER_ADDRESS;
}

int
pmc_signin(struct store *db, struct arena *a, const char *user, const char *password, int64_t *pmc_id)
{
	const char *hash = NULL;
	*pmc_id = 0;
	int rc = st_pmc_account(db, a, user, pmc_id, &hash);
	if (rc < 0)
		return -1;
	/* Unknown user names are checked against a dummy hash (a NULL one). */
	return password_check(rc == 1 ? hash : NULL, password) ? 1 : 0;
}

int
pmc_profiles(struct store *db, struct arena *a, int64_t pmc_id, struct mpn_profile_list *out)
{
	return st_pmc_profiles(db, a, pmc_id, out);
}

const char *
mpn_link_problem(struct arena *a, bool active, const char *country, const char *country_name,
    const char *tenant_country, const char *tenant_country_name, int64_t linked_to, int64_t tenant)
{
	if (linked_to != 0 && linked_to != tenant)
		return _("This MPN ID is already linked to another organization. An MPN ID can be linked to one organization only.");
	if (!active)
		return _("This company profile is inactive in the Partner Membership Center. Only an active profile can be linked: "
		    "choose another one, or reactivate this one in the Partner Membership Center first.");
	if (!str_eq(country, tenant_country))
		return arena_printf(a, _("This company profile is in %s, but your work account is in %s. Only a profile in the "
		    "same country or region as your work account can be linked."), country_name, tenant_country_name);
	return NULL;
}

int
mpn_link_offered(struct store *db, struct arena *a, int64_t pmc_id, const char *mpn, int64_t tenant,
    const char *tenant_country, int64_t user, const char **why)
{
	*why = NULL;
	struct mpn_profile p;
	int rc = st_pmc_profile(db, a, pmc_id, mpn, &p);
	if (rc <= 0)
		return rc < 0 ? -1 : MPN_NOT_OFFERED;
	struct country mine;
	rc = country_get(db, a, tenant_country, &mine);
	if (rc < 0)
		return -1;
	*why = mpn_link_problem(a, p.active, p.country, p.country_name, tenant_country, rc == 1 ? mine.name : tenant_country,
	    p.linked_to, tenant);
	if (*why != NULL)
		return MPN_REFUSED;
	if (p.linked_to != 0)
		return MPN_ALREADY_LINKED;
	return st_mpn_link(db, mpn, tenant, user, now_sec()) == 1 ? MPN_LINKED : -1;
}
