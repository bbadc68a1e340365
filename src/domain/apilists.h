/* apilists.h — the JSON API's further lists (issue 14): a partner's customers with a name
 * search, and a reseller's customer invitations under one provider, as keyset pages (a
 * cursor is the last id seen, so inserts never shift a page). The rows are the ones the
 * customer pages read (domain/customers.h). */
#ifndef APILISTS_H
#define APILISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/customers.h"
#include "store/store.h"

#define API_SEARCH_MAX 100		/* characters of a customer name search */

/* The LIKE pattern (escape '!') of a search for text anywhere in a name, compared with the
 * stored lower-case name: "%" for NULL or "". NULL when out of memory. */
char *api_like_pattern(struct arena *a, const char *q);

/* Partner organization tenant's customers whose name contains q (NULL: all), by name or
 * since (the earliest active relationship), after customer id `after` (0: from the start),
 * at most limit. 0; 1 when `after` was never tenant's customer (a forged cursor); -1. */
int api_customers_page(struct store *s, struct arena *a, int64_t tenant, const char *q, bool by_since, bool desc,
    int64_t after, int64_t limit, struct customer_list *out);

/* rel's reseller's customer invitations under its provider, newest first, below id before
 * (0: from the newest), at most limit, each as cust_invitation_load reads it at now. 0/-1. */
int api_cinv_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t before, int64_t limit,
    int64_t now, struct customer_invitation **out, size_t *n);

/* The delegated admin relationships organization tenant is either side of, newest first,
 * below id before (0: from the newest), at most limit, each as da_get reads it. 0 or -1. */
int api_da_page(struct store *s, struct arena *a, int64_t tenant, int64_t before, int64_t limit, struct da_row **out,
    size_t *n);

/* The order key (domain/customers.h) of an order placed through the API: derived from the
 * credential and its Idempotency-Key (BLAKE2b, 16 bytes, base64url), so the same key again
 * can never place a second subscription. NULL when out of memory. */
char *api_order_key(struct arena *a, int64_t credential, const char *idem_key);

#endif
