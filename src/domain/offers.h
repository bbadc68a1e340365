/* offers.h — the offer catalog providers order from (`portalctl offers import FILE.csv`,
 * `portalctl offers list`, `portalctl demo`). The CSV format is described in offers.c. */
#ifndef OFFERS_H
#define OFFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define OFFERS_IMPORT_MAX_ERRORS 50

struct offers_import_result {
	int rows;			/* data rows read */
	int added, updated, unchanged;	/* what importing did (when nerrors is 0) */
	int nerrors;			/* problems found; nothing imported when > 0 */
	const char *errors[OFFERS_IMPORT_MAX_ERRORS];	/* "line N: ..." */
};

/* Reads CSV text, checks every row, and when nothing is wrong writes all of it in one
 * transaction of its own (store_begin_write: the caller holds none) (adding new offers and updating existing ones by offer_id; it never deletes).
 * Returns 0 (imported), 1 (errors in res->errors, nothing written) or -1 (database failure,
 * nothing written). */
int offers_import(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res);
/* issue 19: the same checks, writing nothing (the console's preview): 0, 1 or -1. */
int offers_import_check(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res);

/* The catalog (struct offer_list: store.h): orderable_only, the active offers by name (what
 * the order form offers); else every offer by id with its subscriptions counted (portalctl
 * offers list). 0 or -1. */
int offers_list(struct store *s, struct arena *a, bool orderable_only, struct offer_list *out);
/* Offer id when it can be ordered (it exists and is active): 1 with *out, 0 not, -1 error. */
int offer_orderable(struct store *s, struct arena *a, const char *id, struct offer *out);

/* Prices per currency (issue 15): offer id's price for a customer in country — in the
 * country's currency when the offer has a price in it, else its list price: 1 with *cents
 * and *currency, 0 no such offer, -1 error. The currency of a country: 1, 0, -1. */
int offer_price_for(struct store *s, struct arena *a, const char *id, const char *country, int64_t *cents,
    const char **currency);
int offer_country_currency(struct store *s, struct arena *a, const char *country, const char **currency);

/* The CSV header (for --help). */
extern const char offers_import_columns[];

/* Parses a price like "12", "12.5" or "12.50" (at most 2 decimals, at most 1000000) into
 * cents. 0, or -1 when it is not one. */
int offers_parse_price(const char *s, int64_t *cents);

#endif
