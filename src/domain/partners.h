/* partners.h — what every area asks about an organization and its partner accounts
 * (indirect reseller, indirect provider, direct-bill partner). The rows are the store's
 * (struct tenant_row, struct partner, struct partner_account_list: store.h). */
#ifndef PARTNERS_H
#define PARTNERS_H

#include <stdint.h>

#include "store/store.h"

/* The status of tenant's partner account of type t (*id set), or PA_NONE when it has none
 * (*id 0). A database error reads as PA_NONE and fails the store (the request ends in 500). */
int partner_status_of(struct store *s, int64_t tenant, enum partner_type t, int64_t *id);
/* Partner account id with its organization: 1 found, 0 none, -1 error. */
int partner_get(struct store *s, struct arena *a, int64_t id, struct partner *out);
/* The organization: 1 found, 0 none, -1 error. */
int tenant_get(struct store *s, struct arena *a, int64_t id, struct tenant_row *out);
/* The organization's partner accounts, oldest first. 0 or -1. */
int partner_accounts(struct store *s, struct arena *a, int64_t tenant, struct partner_account_list *out);
/* The MPN IDs linked to the organization. 0 or -1. */
int tenant_mpns(struct store *s, struct arena *a, int64_t tenant, struct tenant_mpn_list *out);

#endif
