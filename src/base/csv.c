/* csv.c — see csv.h. */
#include "base/csv.h"
#include "base/i18n.h"

#include <string.h>

#include "base/util.h"

/* Reads one record into fields; returns the field count, 0 at the end of input, or -1 with
 * *err set. *start gets the record's first line. Blank lines are skipped. */
int
csv_record(struct arena *a, struct csv *c, char **fields, int max, int *start, const char **err)
{
	while (c->p < c->end && (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n'))) {
		c->p += *c->p == '\r' ? 2 : 1;
		c->line++;
	}
	if (c->p >= c->end)
		return 0;
	*start = c->line;
	int n = 0;
	struct buf b;
	for (;;) {
		buf_init(&b, a);
		buf_puts(&b, "");
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*err = N_("a quoted field is not closed");
					return -1;
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						buf_putc(&b, '"');
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				buf_putc(&b, *c->p++);
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				*err = N_("text after a closing quote (write \"\" for a quote inside a quoted field)");
				return -1;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
				if (*c->p == '"') {
					*err = N_("a quote inside an unquoted field (quote the whole field)");
					return -1;
				}
				buf_putc(&b, *c->p++);
			}
		}
		if (b.failed) {
			*err = "out of memory";
			return -1;
		}
		if (n < max)
			fields[n] = b.p;
		n++;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end) {		/* end of line */
			c->p += *c->p == '\r' ? 2 : 1;
			c->line++;
		}
		return n;
	}
}

/* Skips the rest of a broken record (to the end of its line) so later lines are still checked. */
void
csv_skip_line(struct csv *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}


int
csv_read_table(struct arena *a, const char *text, size_t len, struct csv_table *t)
{
	struct csv c = { text, text + len, 1 };
	t->nread = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	if (!utf8_valid(text, len) || memchr(text, '\0', len) != NULL) {
		t->fail(t->ctx, 1, N_("the file is not UTF-8 text"));
		return 1;
	}
	char *f[CSV_MAX_COLS + 1];
	int start = 1, n = t->ncols;
	const char *err = NULL;
	int k = csv_record(a, &c, f, n + 1, &start, &err);
	if (k <= 0) {
		t->fail(t->ctx, start, k == 0 ? N_("the file is empty: the first line must be the header") : err);
		return 1;
	}
	bool header_ok = k == n;
	for (int i = 0; header_ok && i < n; i++)
		header_ok = strcmp(str_lower_trim(a, f[i]), t->names[i]) == 0;
	if (!header_ok) {
		t->fail(t->ctx, start, arena_printf(a, _("the header must be exactly: %s"), t->columns));
		return 1;
	}
	int good = 0;
	for (;;) {
		k = csv_record(a, &c, f, n + 1, &start, &err);
		if (k == 0)
			return 0;
		if (k < 0) {
			t->fail(t->ctx, start, err);
			csv_skip_line(&c);
			continue;
		}
		t->nread++;
		if (k != n) {
			t->fail(t->ctx, start, arena_printf(a, _("expected %d columns (%s), found %d"), n, t->columns, k));
			continue;
		}
		if (good == t->max_rows) {
			t->fail(t->ctx, start, t->too_many);
			return 0;
		}
		good++;
		if (t->row(t->ctx, start, f) < 0)
			return -1;
	}
}

void
csv_put_cell(struct buf *b, const char *s, bool last)
{
	buf_putc(b, '"');
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
	buf_puts(b, last ? "\r\n" : ",");
}
