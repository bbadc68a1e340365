/* mpn_import.h — loading the operator's copy of the Partner Membership Center directory
 * (`portalctl mpn import FILE.csv`). The CSV format is described in mpn_import.c. */
#ifndef MPN_IMPORT_H
#define MPN_IMPORT_H

#include <stddef.h>

#include "base/arena.h"

struct store;

#define MPN_IMPORT_MAX_ERRORS 50

struct mpn_import_result {
	int rows;			/* data rows read */
	int pmc_accounts, profiles, links;	/* distinct ones in the file */
	int nerrors;			/* rows (or problems) refused; nothing imported when > 0 */
	const char *errors[MPN_IMPORT_MAX_ERRORS];	/* "line N: ..." */
};

/* Reads CSV text, checks every row, and when nothing is wrong writes all of it in one
 * transaction (adding and updating; it never deletes). Returns 0 (imported), 1 (errors in
 * res->errors, nothing written) or -1 (database failure, nothing written). */
int mpn_import(struct store *db, struct arena *a, const char *text, size_t len, struct mpn_import_result *res);

/* issue 19: the same checks, writing nothing (the console's preview): 0 (the file would
 * import: res->rows), 1 (res->errors) or -1. */
int mpn_import_check(struct store *db, struct arena *a, const char *text, size_t len, struct mpn_import_result *res);

/* The CSV columns, in order (for --help). */
extern const char mpn_import_columns[];

#endif
