/* csv.h — reading RFC 4180 CSV text record by record, with physical line numbers for error
 * messages. Shared by the operator's importers (mpn_import.c, offers.c).
 *
 *   struct csv c = { text, text + len, 1 };
 *   char *f[8]; int start; const char *err;
 *   int n = csv_record(a, &c, f, 8, &start, &err);   // fields, 0 at the end, -1 on error
 *
 * Comma-separated; a field may be "quoted" (with "" for a quote, line breaks allowed inside);
 * CRLF or LF line ends; blank lines are skipped. Fields are copied into the arena. */
#ifndef CSV_H
#define CSV_H

#include "arena.h"

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

#endif
