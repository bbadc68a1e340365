/* operator_dashboard.c — /operator/dashboard: the program's counts and trends (issue 19, item
 * 6): reseller enrollments by status and by age, approvals per week, approved resellers with
 * and without the current agreement signed, pending invitations by age, relationships made
 * per week. Each a table and a bar chart drawn here as SVG (no script), and a CSV. */
#include <string.h>

#include "base/i18n.h"
#include "base/csv.h"
#include "base/numfmt.h"
#include "base/util.h"
#include "domain/console.h"
#include "web/page.h"

#define BAR_MAX 300		/* the longest bar, in SVG units */
#define ROW_H 22

/* One metric into the page: rows with their bars' geometry, and percents. */
static void
add_metric(struct req *r, struct tv *list, const struct metric_table *t)
{
	struct tv *m = tv_push(list);
	tv_set(m, "key", t->key);
	tv_set(m, "title", t->title);
	tv_set(m, "unit", t->unit);
	tv_seti(m, "total", t->total);
	tv_seti(m, "height", (long long)(t->n * ROW_H + 4));
	int64_t max = 1;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].n > max)
			max = t->v[i].n;
	struct tv *rows = tv_list(m, "rows");
	for (size_t i = 0; i < t->n; i++) {
		struct tv *row = tv_push(rows);
		int64_t w = t->v[i].n * BAR_MAX / max;
		tv_set(row, "label", t->v[i].label);
		/* issue 18: the count and its share as the reader's language writes them */
		tv_set(row, "n", fmt_count(r->a, t->v[i].n));
		tv_set(row, "pct", fmt_percent(r->a, t->v[i].n, t->total));
		tv_seti(row, "y", (long long)(i * ROW_H + 2));
		tv_seti(row, "ty", (long long)(i * ROW_H + 15));
		tv_seti(row, "w", (long long)w);
		tv_seti(row, "tx", (long long)(200 + w + 6));
	}
}

/* GET /operator/dashboard. OP_CONSOLE. */
int
page_op_dashboard(struct req *r)
{
	struct tv *ctx = page_ctx(r, _("Program dashboard"));
	struct tv *list = tv_list(ctx, "metrics");
	int64_t now = now_sec();
	for (int m = 0; m < M__COUNT; m++) {
		struct metric_table t;
		if (console_metric(r->store, r->a, (enum metric)m, now, &t) < 0)
			return page_error(r, 500, NULL);
		add_metric(r, list, &t);
	}
	return page_render(r, 200, "operator/dashboard", ctx);
}

/* GET /operator/dashboard.csv?metric= — one table as an RFC 4180 CSV attachment. OP_CONSOLE. */
int
page_op_dashboard_csv(struct req *r)
{
	int m = console_metric_parse(req_query(r, "metric"));
	if (m < 0)
		return page_error(r, 400, _("Choose one of the dashboard's tables."));
	struct metric_table t;
	if (console_metric(r->store, r->a, (enum metric)m, now_sec(), &t) < 0)
		return page_error(r, 500, NULL);
	r->body.len = 0;
	struct buf *b = &r->body;
	csv_put_cell(b, "", false);
	csv_put_cell(b, t.unit, false);
	csv_put_cell(b, "percent", true);
	for (size_t i = 0; i < t.n; i++) {
		csv_put_cell(b, t.v[i].label, false);
		csv_put_cell(b, arena_printf(r->a, "%lld", (long long)t.v[i].n), false);
		csv_put_cell(b, t.total > 0 ? arena_printf(r->a, "%lld", (long long)((t.v[i].n * 100 + t.total / 2) / t.total)) : "", true);
	}
	if (b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"program-%s.csv\"", t.key));
	return 200;
}
