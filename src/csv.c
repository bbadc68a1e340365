/* csv.c — see csv.h. */
#include "csv.h"

#include "util.h"

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
					*err = "a quoted field is not closed";
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
				*err = "text after a closing quote (write \"\" for a quote inside a quoted field)";
				return -1;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
				if (*c->p == '"') {
					*err = "a quote inside an unquoted field (quote the whole field)";
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

