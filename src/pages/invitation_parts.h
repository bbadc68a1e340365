/* invitation_parts.h — what the pages of the three kinds of invitation share (issue 13): the
 * state and its dates, the same words on the sender's page and on the invited side's landing
 * page, and the landing page's record of the first opening. */
#ifndef PAGES_INVITATION_PARTS_H
#define PAGES_INVITATION_PARTS_H

#include "domain/invitations.h"
#include "web/http.h"
#include "base/tmpl.h"

/* ctx.inv_state = { state: "Opened", key: "opened", dates: "Sent … · Opened …" } for invitation
 * id of kind. 0 or -1. */
int invitation_state_tv(struct req *r, struct tv *ctx, enum inv_kind kind, int64_t id);
/* The landing page's GET, its link checked valid: records the first opening (a write
 * transaction, one conditional UPDATE). 1 this visit was the first, 0 not, -1. */
int invitation_opened(struct req *r, enum inv_kind kind, int64_t id);
/* The same for a reseller or customer invitation id to address email, and when this visit was
 * the first, its entry "Someone opened the invitation" in the log of the inviting
 * organization (tenant), on the invitation's timeline (the relationship's once accepted). */
int invitation_opened_audited(struct req *r, enum inv_kind kind, int64_t id, int64_t tenant, const char *email);

#endif
