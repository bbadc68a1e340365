/* reseller_view.h — one reseller as its provider sees it (issue 15, item 11: /resellers/ID):
 * the relationship, the reseller's MPN IDs and agreement standing, the invitations that
 * reached it and the entries of the provider's audit log about it. The customers the two
 * share are paged by cust_shared_customers_seek (domain/customers.h). */
#ifndef RESELLER_VIEW_H
#define RESELLER_VIEW_H

#include "domain/agreement.h"
#include "store/store.h"

#define RESELLER_VIEW_INVITATIONS 20	/* the newest invitations shown */
#define RESELLER_VIEW_EVENTS 20		/* the newest log entries shown */

struct reseller_view {
	struct reseller_one one;
	struct agreement_view agreement;
	struct invitation_list invitations;	/* accepted by it, or sent to an address of its domain */
	struct audit_list events;		/* the provider's entries naming it, refusals left out */
};
/* Relationship id when it is an active relationship of provider account provider: 1 with
 * *out (states at now); 0 when there is none, it is another provider's or it ended (*why:
 * words for the audit log); -1 on error. */
int reseller_view_load(struct store *s, struct arena *a, int64_t provider, int64_t provider_tenant, int64_t id,
    int64_t now, struct reseller_view *out, const char **why);

#endif
