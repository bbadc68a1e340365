/* import.h — the scaffold the operator's CSV importers stand on (mpn_import.c,
 * offers.c): an importer says which columns its file has, how one row is checked (and, if
 * it must, how the rows are checked against each other) and how the rows are written;
 * import_run does the rest, the same way for every importer:
 *
 *   - reads the table with csv_read_table (UTF-8, the header, the column count of every
 *     line, the importer's row limit);
 *   - reports every problem as "line N: what is wrong" (N counts physical lines, 1 = the
 *     header), keeping the first max_errors messages and counting all of them;
 *   - keeps the rows that are fine on their own, then lets the importer check them together;
 *   - refuses the whole file when anything was wrong: nothing is written;
 *   - else lets the importer do its slow work (hashing) outside any transaction, and writes
 *     every row in one transaction of its own (store_begin_write … store_commit; the caller
 *     holds none): all of it or nothing.
 *
 *   static const struct importer offer_importer = {
 *       .table = { .names = names, .ncols = NCOLS, .columns = offers_import_columns,
 *           .max_rows = 10000, .too_many = "too many lines: ..." },
 *       .check_row = check_offer, .write = write_offers };   // no check_rows, no prepare
 *   struct import im = { .db = db, .a = a, .ctx = res, .errors = res->errors,
 *       .max_errors = OFFERS_IMPORT_MAX_ERRORS };
 *   int rc = import_run(&im, &offer_importer, text, len);   // 0, 1 (problems) or -1 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/csv.h"

struct store;

/* One data row of the file. */
struct import_row {
	int line;			/* its first physical line */
	char **f;			/* its fields (the importer's column count), in the arena; the
					 * importer may replace them with checked, normalized values */
};

/* One run of an importer over one file. */
struct import {
	/* in */
	struct store *db;
	struct arena *a;
	void *ctx;			/* the importer's own (what it counts) */
	const char **errors;		/* room for max_errors messages */
	int max_errors;
	bool check_only;		/* issue 19: the console's preview: check, write nothing */
	/* out */
	int nerrors;			/* every problem found, also past max_errors */
	int nread;			/* the data rows read */
	struct import_row *rows;	/* the rows that are fine on their own, in file order */
	int n;
	size_t cap;
};

struct importer {
	/* The file: names, ncols, columns, max_rows and too_many (csv.h); import_run sets the
	 * rest. */
	struct csv_table table;
	/* Checks row r on its own (it may compare it with the rows kept before it, im->rows),
	 * reporting each problem with import_fail; the row is kept when it reported none. */
	void (*check_row)(struct import *im, struct import_row *r);
	/* Optional: checks the kept rows against each other (import_fail). */
	void (*check_rows)(struct import *im);
	/* Optional: slow work on the checked rows, before the write transaction. 0 or -1. */
	int (*prepare)(struct import *im);
	/* Writes the kept rows, inside the transaction. 0, or -1 (everything is rolled back). */
	int (*write)(struct import *im);
};

/* Reads the CSV text and imports it (see the top of this file). Returns 0 (imported), 1
 * (problems in im->errors, nothing written) or -1 (out of memory or a database failure,
 * nothing written). */
int import_run(struct import *im, const struct importer *imp, const char *text, size_t len);

/* Reports a problem on a line: "line N: msg". */
void import_fail(struct import *im, int line, const char *msg);

/* True when s holds no control character: a field meant to be one line (a quoted CSV field
 * may hold line breaks). */
bool import_one_line(const char *s);

#endif
