/* csv.h — reading RFC 4180 CSV text record by record, with physical line numbers for error
 * messages. The operator's importers read through domain/import.c (mpn_import.c, offers.c).
 *
 *   struct csv c = { text, text + len, 1 };
 *   char *f[8]; int start; const char *err;
 *   int n = csv_record(a, &c, f, 8, &start, &err);   // fields, 0 at the end, -1 on error
 *
 * Comma-separated; a field may be "quoted" (with "" for a quote, line breaks allowed inside);
 * CRLF or LF line ends; blank lines are skipped. Fields are copied into the arena. */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>

#include "base/arena.h"

struct csv {
	const char *p, *end;
	int line;			/* current physical line, 1-based */
};

/* Reads one record into fields (at most max are stored; the return value counts them all);
 * returns the field count, 0 at the end of input, or -1 with *err set. *start gets the
 * record's first line. */
int csv_record(struct arena *a, struct csv *c, char **fields, int max, int *start, const char **err);
/* Skips the rest of a broken record (to the end of its line) so later lines are still checked. */
void csv_skip_line(struct csv *c);

#define CSV_MAX_COLS 16

/* An importer's table: what csv_read_table checks, and where it reports. */
struct csv_table {
	const char *const *names;	/* the header's column names, in order */
	int ncols;			/* at most CSV_MAX_COLS */
	const char *columns;		/* the header as text, for messages */
	int max_rows;
	const char *too_many;		/* the message for the row past max_rows */
	/* A problem on a line ("line N: msg" is the importer's to format). */
	void (*fail)(void *ctx, int line, const char *msg);
	/* Every record with ncols fields, in file order: 0, or -1 to stop (out of memory). */
	int (*row)(void *ctx, int line, char **fields);
	void *ctx;
	int nread;			/* out: the data records read */
};

/* Reads a whole UTF-8 CSV file (a BOM is skipped) whose first record must be t->names
 * (compared case-insensitively, surrounding blanks aside); every later record must have
 * t->ncols fields. Broken records, wrong field counts and the row past t->max_rows are
 * reported through t->fail; the others go to t->row. Returns 0 when the file was read to
 * its end (problems, if any, reported), 1 when it is not UTF-8 text, empty, or its header
 * is wrong (reported; no row read), -1 when t->row stopped. */
int csv_read_table(struct arena *a, const char *text, size_t len, struct csv_table *t);

/* Writing (the downloads: audit log, MFA compliance): one cell, always quoted, followed by
 * a comma, or CR LF when it is the last of its record. A cell a spreadsheet would read as a
 * formula (starting with = + - @, tab or CR) gets a leading apostrophe, so it stays text. */
void csv_put_cell(struct buf *b, const char *s, bool last);

#endif
