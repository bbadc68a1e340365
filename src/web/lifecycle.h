/* lifecycle.h — the background worker's part of delegated administration (issue 13): run by
 * the housekeeping thread of every node (web/main.c), at start and every minute. */
#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include <stdint.h>

#include "base/portal.h"

struct store;

/* Expires unanswered requests; reminds both organizations 30, 7 and 1 days before a
 * relationship ends; at its end expires it or (auto-extend, never with Global admin) extends
 * it by six months, telling both. Each relationship's step in a transaction of its own,
 * claimed by a conditional UPDATE: several nodes running this at once queue every message
 * once. Delivers what it queued. Returns the steps this process carried out, or -1. */
int da_lifecycle_run(const struct portal *p, struct store *s, int64_t now);
/* Issue 13 (run by da_lifecycle_run, its steps counted there): one reminder 7 days before an
 * open invitation of any kind expires — reseller and customer invitations to the invited
 * address with the link again, delegated admin requests to the asked organization's Global
 * admins — claimed per invitation and expiry by a conditional UPDATE in the transaction that
 * queues it, so it is sent once with several nodes. Reminders sent here, or -1. */
int inv_reminders_run(const struct portal *p, struct store *s, int64_t now);

#endif
