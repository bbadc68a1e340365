/* relationship_parts.h — what the provider's and the reseller's pages (resellers.c,
 * providers.c) share: a relationship's row in their lists. */
#ifndef PAGES_RELATIONSHIP_PARTS_H
#define PAGES_RELATIONSHIP_PARTS_H

#include "domain/relationships.h"
#include "web/http.h"
#include "base/tmpl.h"

/* Pushes onto rows what every relationship list shows of x (id, name, mpn, country,
 * since_text, admin_access) and returns the row for the page's own columns. */
struct tv *relationship_row_tv(struct req *r, struct tv *rows, const struct rel_partner_row *x);

/* Sets on row the administrator access the relationship between partner_tenant (asking) and
 * customer_tenant gives today, as the Relationships page computes it (rc_pair_access,
 * rc_state_at): access_live, access_state ("active", "expiring"), access_text ("Active
 * until 05 Mar 2028", "Expiring 05 Jan 2027"), access_tag. The Indirect resellers, Indirect
 * providers and Customers lists show it instead of the stored flag, which grants nothing
 * since delegated admin relationships (issue 13). 0 or -1. */
int access_state_tv(struct req *r, struct tv *row, int64_t partner_tenant, int64_t customer_tenant);

/* The cursor of a relationship list from ?after=ID, ?before=ID or ?last=1 (the links of the
 * First / Previous / Next / Last pager); none of them: the first page (or l's old ?page=N).
 * 0, or -1 for a value that is not an id (the caller answers 400). */
int rel_cursor_parse(struct req *r, enum cust_seek *seek, int64_t *id);
/* ctx.<key>: the pager's links around the page pg of a list at path (kv: the sort). */
void rel_pager_tv(struct tv *ctx, const char *key, const char *path, const char *const *kv, const struct rel_page *pg,
    const char *label);

#endif
