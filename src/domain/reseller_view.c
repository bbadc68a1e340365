/* reseller_view.c — see reseller_view.h. */
#include "domain/reseller_view.h"

int
reseller_view_load(struct store *s, struct arena *a, int64_t provider, int64_t provider_tenant, int64_t id,
    int64_t now, struct reseller_view *out, const char **why)
{
	*out = (struct reseller_view){ 0 };
	int found = st_reseller_one(s, a, id, &out->one);
	if (found <= 0) {
		*why = "no such relationship";
		return found;
	}
	if (out->one.provider_id != provider) {
		*why = "another organization's relationship";
		return 0;
	}
	if (out->one.status != RS_ACTIVE) {
		*why = "relationship ended";
		return 0;
	}
	if (agreement_reseller_view(s, a, out->one.row.tenant_id, &out->agreement) < 0 ||
	    st_reseller_invitations(s, a, provider, out->one.reseller_id, out->one.domain, now, RESELLER_VIEW_INVITATIONS,
	    &out->invitations) < 0 ||
	    st_audit_about(s, a, provider_tenant, out->one.row.name, RESELLER_VIEW_EVENTS, &out->events) < 0)
		return -1;
	return 1;
}
