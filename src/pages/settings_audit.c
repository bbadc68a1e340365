/* settings_audit.c — /settings/audit: Settings → Audit log, and its CSV download. SPEC §2.7.
 * The entries are written by the dispatcher (audit() in dispatch.c) with the transaction of
 * the action they record. Only the signed-in user's organization's entries are read. */
#include <string.h>

#include "base/csv.h"
#include "base/util.h"
#include "domain/audit.h"
#include "web/page.h"

#define AUDIT_PER_PAGE 50
#define AUDIT_CSV_MAX 50000		/* rows in one download: newest first */
#define FILTER_MAX 254
#define AUDIT_SKIP_MAX 1000		/* entries an old ?page=N link may skip */

/* The filter from the query string. 0, or 400 for a value no entry can have. */
static int
read_filter(struct req *r, struct audit_filter *f)
{
	f->actor = req_query(r, "actor");
	f->action = req_query(r, "action");
	if (f->actor == NULL)
		f->actor = "";
	if (f->action == NULL)
		f->action = "";
	return strlen(f->actor) > FILTER_MAX || strlen(f->action) > FILTER_MAX ? 400 : 0;
}

/* "actor=...&action=..." for links that keep the filter (leading '&' when not empty). */
static const char *
filter_query(struct req *r, const struct audit_filter *f)
{
	struct buf b;
	buf_init(&b, r->a);
	if (*f->actor)
		buf_printf(&b, "&actor=%s", url_encode(r->a, f->actor));
	if (*f->action)
		buf_printf(&b, "&action=%s", url_encode(r->a, f->action));
	return b.p ? b.p : "";
}

/* ctx.<key> = [{ value, selected }] from a list of values. */
static void
add_choices(struct tv *ctx, const char *key, const struct audit_values *values, const char *selected)
{
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < values->n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "value", values->v[i]);
		tv_setb(it, "selected", str_eq(selected, values->v[i]));
	}
}

/* ctx.entries = [{ when, iso, actor, action, target, outcome, tag, ip, detail }]. */
static void
add_entries(struct req *r, struct tv *ctx, const struct audit_list *rows)
{
	struct tv *list = tv_list(ctx, "entries");
	for (size_t i = 0; i < rows->n; i++) {
		const struct audit_row *row = &rows->v[i];
		struct tv *e = tv_push(list);
		tv_set(e, "when", fmt_datetime(r->a, row->at));
		tv_set(e, "iso", fmt_iso8601(r->a, row->at));
		tv_set(e, "actor", row->actor);
		tv_set(e, "action", row->action);
		tv_set(e, "target", row->target);
		tv_set(e, "outcome", row->outcome);
		tv_set(e, "tag", strcmp(row->outcome, "ok") == 0 ? "ok" : strcmp(row->outcome, "refused") == 0 ? "warn" : "err");
		tv_set(e, "ip", row->ip);
		tv_set(e, "detail", row->detail);
	}
}

/* The page's cursor from ?before=ID (older than ID), ?after=ID (newer than ID; 0: the
 * oldest page) or ?page=N (links from before the cursor pager: the Nth page of 50 by
 * skipping, as far as AUDIT_SKIP_MAX entries: further on, the oldest page — skipping two
 * million entries would cost as much as reading them). Anything else,
 * or a value that is not a number: the newest page. */
static struct audit_cursor
read_cursor(struct req *r)
{
	int64_t x;
	if (parse_i64(req_query(r, "before"), 1, INT64_MAX, &x) == 0)
		return (struct audit_cursor){ AUDIT_OLDER_THAN, x };
	if (parse_i64(req_query(r, "after"), 0, INT64_MAX, &x) == 0)
		return (struct audit_cursor){ AUDIT_NEWER_THAN, x };
	if (parse_i64(req_query(r, "page"), 2, 100000000, &x) == 0)
		return (x - 1) * AUDIT_PER_PAGE <= AUDIT_SKIP_MAX ? (struct audit_cursor){ AUDIT_OFFSET, (x - 1) * AUDIT_PER_PAGE }
		    : (struct audit_cursor){ AUDIT_NEWER_THAN, 0 };
	return (struct audit_cursor){ AUDIT_OLDER_THAN, 0 };
}

/* ctx.pager = { newest, newer, older, oldest }: the links of a Newer / Older pager (a cursor
 * of entry ids, so a page never shifts when entries are added; no page numbers: the Nth page
 * of two million entries cannot be found without reading the ones before it). */
static void
add_pager(struct req *r, struct tv *ctx, const struct audit_page *pg, const char *fq)
{
	if (!pg->newer && !pg->older)
		return;
	struct tv *p = tv_obj(ctx, "pager");
	const struct audit_list *l = &pg->rows;
	if (pg->newer) {
		tv_set(p, "newest", *fq ? arena_printf(r->a, "/settings/audit?%s", fq + 1) : "/settings/audit");
		if (l->n > 0)
			tv_setf(p, "newer", "/settings/audit?after=%lld%s", (long long)l->v[0].id, fq);
	}
	if (pg->older) {
		tv_setf(p, "older", "/settings/audit?before=%lld%s", (long long)l->v[l->n - 1].id, fq);
		tv_setf(p, "oldest", "/settings/audit?after=0%s", fq);
	}
}

/* GET /settings/audit?actor=&action=&before=ID|after=ID — the organization's audit log,
 * newest first, 50 a page (Newer / Older), filterable by actor and action. AUDIT_VIEW
 * (Global admins). */
int
page_audit(struct req *r)
{
	struct audit_filter f;
	if (read_filter(r, &f))
		return page_error(r, 400, "The filter is longer than any actor or action.");
	struct audit_cursor cur = read_cursor(r);
	int64_t tenant = r->sess->tenant_id;
	struct audit_page pg;
	struct audit_values actors, actions;
	if (audit_log_page(r->store, r->a, tenant, &f, &cur, AUDIT_PER_PAGE, &pg) < 0 ||
	    audit_log_choices(r->store, r->a, tenant, &actors, &actions) < 0)
		return page_error(r, 500, NULL);

	struct tv *ctx = page_ctx(r, "Audit log");
	add_entries(r, ctx, &pg.rows);
	add_choices(ctx, "actors", &actors, f.actor);
	add_choices(ctx, "actions", &actions, f.action);
	tv_set(ctx, "actor", f.actor);
	tv_set(ctx, "action", f.action);
	tv_setb(ctx, "filtered", *f.actor || *f.action);
	tv_seti(ctx, "total", pg.count);
	tv_setb(ctx, "capped", pg.capped);
	tv_setb(ctx, "any", pg.count > 0);
	tv_setb(ctx, "csv_capped", pg.capped);	/* 1000 or more: perhaps more than the download holds */
	tv_seti(ctx, "csv_max", AUDIT_CSV_MAX);
	const char *fq = filter_query(r, &f);
	tv_set(ctx, "csv_href", *fq ? arena_printf(r->a, "/settings/audit.csv?%s", fq + 1) : "/settings/audit.csv");
	add_pager(r, ctx, &pg, fq);
	return page_render(r, 200, "audit/log", ctx);
}

struct csv_out {
	struct req *r;
	struct buf *b;
};

/* One entry as a CSV line (audit_log_each). */
static int
csv_line(void *ctx, const struct audit_row *row)
{
	struct csv_out *o = ctx;
	csv_put_cell(o->b, fmt_iso8601(o->r->a, row->at), false);
	const char *cells[] = { row->actor, row->action, row->target, row->outcome, row->ip, row->detail };
	for (size_t i = 0; i < NELEM(cells); i++)
		csv_put_cell(o->b, cells[i], i + 1 == NELEM(cells));
	return o->b->failed ? -1 : 0;
}

/* GET /settings/audit.csv?actor=&action= — the rows of the Audit log page for the same
 * filter (every page, newest first, at most 50,000) as an RFC 4180 CSV attachment.
 * AUDIT_VIEW (Global admins). */
int
page_audit_csv(struct req *r)
{
	struct audit_filter f;
	if (read_filter(r, &f))
		return page_error(r, 400, "The filter is longer than any actor or action.");
	r->body.len = 0;
	struct buf *b = &r->body;
	static const char *const head[] = { "Time (UTC)", "Actor", "Action", "Target", "Outcome", "Client address", "Detail" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(b, head[i], i + 1 == NELEM(head));
	struct csv_out o = { r, b };
	if (audit_log_each(r->store, r->sess->tenant_id, &f, AUDIT_CSV_MAX, csv_line, &o) < 0 || b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"audit-log.csv\"");
	return 200;
}
