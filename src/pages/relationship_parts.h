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

#endif
