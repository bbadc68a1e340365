/* offers.h — the offer catalog providers order from (`portalctl offers import FILE.csv`,
 * `portalctl offers list`, `portalctl demo`). The CSV format is described in offers.c. */
#ifndef OFFERS_H
#define OFFERS_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct store;

#define OFFERS_IMPORT_MAX_ERRORS 50

struct offers_import_result {
	int rows;			/* data rows read */
	int added, updated, unchanged;	/* what importing did (when nerrors is 0) */
	int nerrors;			/* problems found; nothing imported when > 0 */
	const char *errors[OFFERS_IMPORT_MAX_ERRORS];	/* "line N: ..." */
};

/* Reads CSV text, checks every row, and when nothing is wrong writes all of it in one
 * transaction (adding new offers and updating existing ones by offer_id; it never deletes).
 * Returns 0 (imported), 1 (errors in res->errors, nothing written) or -1 (database failure,
 * nothing written). */
int offers_import(struct store *db, struct arena *a, const char *text, size_t len, struct offers_import_result *res);

/* The CSV header (for --help). */
extern const char offers_import_columns[];

/* Parses a price like "12", "12.5" or "12.50" (at most 2 decimals, at most 1000000) into
 * cents. 0, or -1 when it is not one. */
int offers_parse_price(const char *s, int64_t *cents);

#endif
