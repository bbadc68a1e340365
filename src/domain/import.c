/* import.c — see import.h. */
#include "domain/import.h"

#include "base/i18n.h"
#include "base/syntax.h"
#include "store/store.h"

void
import_fail(struct import *im, int line, const char *msg)
{
	if (im->nerrors < im->max_errors)
		im->errors[im->nerrors] = arena_printf(im->a, _("line %d: %s"), line, _(msg));	/* a table's N_() words too */
	im->nerrors++;
}

bool
import_one_line(const char *s)
{
	return !text_has_control(s, false);
}

/* What csv_read_table reports through. */
struct reading {
	struct import *im;
	const struct importer *imp;
};

static void
fail_cb(void *ctx, int line, const char *msg)
{
	struct reading *rd = ctx;
	import_fail(rd->im, line, msg);
}

/* Every record with the right column count: checked, and kept when it is fine on its own. */
static int
take_row(void *ctx, int line, char **f)
{
	struct reading *rd = ctx;
	struct import *im = rd->im;
	int ncols = rd->imp->table.ncols;
	struct import_row *rows = arena_grow(im->a, im->rows, (size_t)im->n, &im->cap, sizeof(*rows), 64);
	char **fields = arena_alloc(im->a, sizeof(*fields) * (size_t)ncols);
	if (rows == NULL || fields == NULL)
		return -1;
	im->rows = rows;
	for (int i = 0; i < ncols; i++)
		fields[i] = f[i];
	struct import_row *r = &im->rows[im->n];
	r->line = line;
	r->f = fields;
	int before = im->nerrors;
	rd->imp->check_row(im, r);
	if (im->nerrors == before)
		im->n++;
	return 0;
}

/* Runs the importer's write step in one transaction: 0, or -1 with nothing written. */
static int
write_all(struct import *im, const struct importer *imp)
{
	if (store_begin_write(im->db) < 0)
		return -1;
	if (imp->write(im) < 0) {
		store_rollback(im->db);
		return -1;
	}
	return store_commit(im->db) < 0 ? -1 : 0;
}

int
import_run(struct import *im, const struct importer *imp, const char *text, size_t len)
{
	im->nerrors = im->nread = im->n = 0;
	im->rows = NULL;
	im->cap = 0;
	struct reading rd = { im, imp };
	struct csv_table t = imp->table;
	t.fail = fail_cb;
	t.row = take_row;
	t.ctx = &rd;
	int rc = csv_read_table(im->a, text, len, &t);
	im->nread = t.nread;
	if (rc != 0)
		return rc;
	if (imp->check_rows != NULL)
		imp->check_rows(im);	/* among the rows that are fine on their own */
	if (im->nerrors > 0)
		return 1;
	if (im->check_only)
		return 0;		/* a preview: every check passed, nothing is written */
	if (imp->prepare != NULL && imp->prepare(im) < 0)
		return -1;
	return write_all(im, imp);
}
