/* fuzz_csv.c — the CSV reader (base/csv.h) both operator importers use, record by record
 * and as a table. Invariants: records start on increasing lines; every record read
 * without error, written back with each field quoted, reads back as the same fields; the
 * table reader ends (0, 1 or -1) and never reports more data records than it read. */
#include <string.h>

#include "base/csv.h"
#include "base/util.h"
#include "fuzz.h"

#define MAXF 16

static const char *const names[] = { "a", "b", "c" };

static void
row_fail(void *ctx, int line, const char *msg)
{
	(void)ctx;
	FUZZ_CHECK(line >= 1 && msg != NULL && *msg);
}

static int
row_take(void *ctx, int line, char **fields)
{
	int *rows = ctx;
	FUZZ_CHECK(line >= 2 && fields[0] != NULL && fields[2] != NULL);
	(*rows)++;
	return 0;
}

/* Quotes every field ("" for a quote) and ends the record with LF. */
static void
put_record(struct buf *b, char **f, int n)
{
	for (int i = 0; i < n; i++) {
		buf_puts(b, i ? ",\"" : "\"");
		for (const char *p = f[i]; *p; p++)
			buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		buf_putc(b, '"');
	}
	buf_putc(b, '\n');
}

static void
roundtrip(struct arena *a, const char *text, size_t len)
{
	struct csv c = { text, text + len, 1 };
	struct buf again;
	buf_init(&again, a);
	char *f[MAXF], *g[MAXF];
	int start = 0, last = 0, n, counts[64], nrec = 0;
	const char *err = NULL;
	while (nrec < 64 && (n = csv_record(a, &c, f, MAXF, &start, &err)) > 0) {
		FUZZ_CHECK(start > last);
		last = start;
		if (n > MAXF)
			return;			/* fields past MAXF are counted, not stored */
		counts[nrec++] = n;
		put_record(&again, f, n);
	}
	FUZZ_CHECK(n >= -1);
	if (n < 0)
		FUZZ_CHECK(err != NULL && *err);
	if (again.failed || nrec == 0)
		return;
	/* The quoted copy reads back record for record, field for field. */
	struct csv d = { again.p, again.p + again.len, 1 };
	struct csv e = { text, text + len, 1 };
	for (int r = 0; r < nrec; r++) {
		int m = csv_record(a, &d, g, MAXF, &start, &err);
		int k = csv_record(a, &e, f, MAXF, &start, &err);
		FUZZ_CHECK(m == counts[r] && k == counts[r]);
		for (int i = 0; i < m; i++)
			FUZZ_CHECK(strcmp(f[i], g[i]) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 64u << 20);
		ready = 1;
	}
	const char *text = (const char *)data;
	/* NUL ends a C string field early; importers refuse such files before reading. */
	if (memchr(text, '\0', size) == NULL)
		roundtrip(&a, text, size);
	arena_reset(&a);

	int rows = 0;
	struct csv_table t = { .names = names, .ncols = 3, .columns = "a,b,c", .max_rows = 50,
	    .too_many = "too many rows", .fail = row_fail, .row = row_take, .ctx = &rows };
	int rc = csv_read_table(&a, text, size, &t);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
	FUZZ_CHECK(rows <= t.nread && rows <= 50);
	arena_reset(&a);
	return 0;
}
