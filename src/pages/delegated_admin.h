/* delegated_admin.h — what the delegated admin pages (pages/delegated_admin.c) share with the
 * JSON API's delegated admin writes (pages/api_delegated.c, issue 14) and the Relationships
 * page's bulk actions (relationships_bulk.c): the same emails and the same entries in both
 * organizations' audit logs, whichever way a change is made. Each needs the write transaction. */
#ifndef PAGES_DELEGATED_ADMIN_H
#define PAGES_DELEGATED_ADMIN_H

#include "domain/delegated.h"
#include "web/http.h"

/* The request email (the signed link, who asks, the roles, how long) to each Global admin of
 * the organization asked; also for a resend. 0 or -1. */
int da_page_send_request(struct req *r, const struct da_row *d);
/* "Terminated" to both organizations (the partner's users who may ask, the other's Global
 * admins). 0 or -1. */
int da_page_notify_terminated(struct req *r, const struct da_row *d);
/* tmpl to both organizations of d; was: an extension's former end (else 0). 0 or -1. */
int da_page_notify_both(struct req *r, const struct da_row *d, const char *tmpl, int64_t was);
/* action's entry in the log of the caller's organization and of the other side's. */
void da_page_audit_both(struct req *r, const struct da_row *d, const char *action, const char *outcome,
    const char *detail);

#endif
