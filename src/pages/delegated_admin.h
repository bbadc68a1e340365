/* delegated_admin.h — what the delegated admin pages share with the Relationships page's bulk
 * actions (relationships_bulk.c), so a row acted on in bulk is emailed and audited exactly as
 * its single action does it. Each needs the write transaction. */
#ifndef PAGES_DELEGATED_ADMIN_H
#define PAGES_DELEGATED_ADMIN_H

#include "domain/delegated.h"
#include "web/http.h"

/* The request email to each Global admin of the organization asked. 0 or -1. */
int da_page_send_request(struct req *r, const struct da_row *d);
/* Tells both organizations that d was terminated. 0 or -1. */
int da_page_notify_terminated(struct req *r, const struct da_row *d);
/* The audit entry in both organizations' logs. */
void da_page_audit_both(struct req *r, const struct da_row *d, const char *action, const char *outcome,
    const char *detail);

#endif
