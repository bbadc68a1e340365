/* resellers.h — what the Indirect resellers pages share with the JSON API's reseller
 * invitations (pages/api_resellers.c), so an invitation made either way is the same. */
#ifndef PAGES_RESELLERS_H
#define PAGES_RESELLERS_H

#include <stdint.h>

#include "web/http.h"

/* The invitation's link (the signed token of invitation id, valid until expires), in the arena. */
char *invite_link(struct req *r, int64_t id, int64_t expires);
/* Queues the invitation email: who invites, their message, the link, when it expires. 0 or -1. */
int send_invitation(struct req *r, int64_t id, const char *to, const char *message, int64_t expires);

#endif
