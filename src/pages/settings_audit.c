/* settings_audit.c — /settings/audit: Settings → Audit log, and its CSV download. SPEC §2.7.
 * The entries are written by the dispatcher (audit() in dispatch.c) with the transaction of
 * the action they record. Only the signed-in user's organization's entries are read. */
#include <string.h>

#include "base/i18n.h"
#include "base/csv.h"
#include "base/util.h"
#include "domain/audit.h"
#include "web/page.h"

#define AUDIT_PER_PAGE 50
#define AUDIT_CSV_MAX 50000		/* rows in one download: newest first */
#define FILTER_MAX 254
#define AUDIT_SKIP_MAX 1000		/* entries an old ?page=N link may skip */

/* The filter from the query string: actor, action, the date range from..to (days, UTC,
 * both included) and refused=show (issue 15: refused attempts, such as a forbidden URL
 * opened, are left out unless asked for; the CSV holds the same rows as the page). 0, or 400 for a value
 * no entry can have. A date that is not one: *from_error / *to_error (the page says so beside
 * the field and leaves that end open). */
struct filter_form {
	const char *from, *to;
	const char *from_error, *to_error;
};

static int
read_filter(struct req *r, struct audit_filter *f, struct filter_form *ff)
{
	*f = (struct audit_filter){ .actor = req_query(r, "actor"), .action = req_query(r, "action") };
	*ff = (struct filter_form){ .from = req_query(r, "from"), .to = req_query(r, "to") };
	if (f->actor == NULL)
		f->actor = "";
	if (f->action == NULL)
		f->action = "";
	if (ff->from == NULL)
		ff->from = "";
	if (ff->to == NULL)
		ff->to = "";
	const char *refused = req_query(r, "refused");
	f->hide_refused = !str_eq(refused, "show");
	if (strlen(f->actor) > FILTER_MAX || strlen(f->action) > FILTER_MAX || strlen(ff->from) > 32 ||
	    strlen(ff->to) > 32)
		return 400;
	int64_t t;
	if (*ff->from && parse_date(ff->from, &t) < 0)
		ff->from_error = _("Enter the first day as a date, for example 2026-03-31.");
	else if (*ff->from)
		f->from = t;
	if (*ff->to && parse_date(ff->to, &t) < 0)
		ff->to_error = _("Enter the last day as a date, for example 2026-03-31.");
	else if (*ff->to && f->from > 0 && t < f->from)
		ff->to_error = _("Enter a last day that is not before the first day.");
	else if (*ff->to)
		f->until = t + 86400;
	return 0;
}

/* "actor=...&action=...&from=...&to=...&refused=show" for links that keep the filter (leading
 * '&' when not empty); the dates only when they were read as dates. */
static const char *
filter_query(struct req *r, const struct audit_filter *f, const struct filter_form *ff)
{
	struct buf b;
	buf_init(&b, r->a);
	if (*f->actor)
		buf_printf(&b, "&actor=%s", url_encode(r->a, f->actor));
	if (*f->action)
		buf_printf(&b, "&action=%s", url_encode(r->a, f->action));
	if (f->from > 0)
		buf_printf(&b, "&from=%s", url_encode(r->a, ff->from));
	if (f->until > 0)
		buf_printf(&b, "&to=%s", url_encode(r->a, ff->to));
	if (!f->hide_refused)
		buf_printf(&b, "&refused=show");
	return b.p ? b.p : "";
}

/* ctx.<key> = [{ value, label, selected }] from a list of values (label: the action's words,
 * or the value). */
static void
add_choices(struct tv *ctx, const char *key, const struct audit_values *values, const char *selected,
    bool actions)
{
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < values->n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "value", values->v[i]);
		tv_set(it, "label", actions ? audit_action_label(values->v[i]) : values->v[i]);
		tv_setb(it, "selected", str_eq(selected, values->v[i]));
	}
}

/* ctx.entries = [{ when, iso, sentence, actor, action, target, outcome, outcome_text, tag, ip,
 * detail }]: each entry as a sentence (issue 15), with its recorded values beneath it. */
static void
add_entries(struct req *r, struct tv *ctx, const struct audit_list *rows)
{
	struct tv *list = tv_list(ctx, "entries");
	for (size_t i = 0; i < rows->n; i++) {
		const struct audit_row *row = &rows->v[i];
		struct tv *e = tv_push(list);
		bool ok = strcmp(row->outcome, "ok") == 0, refused = strcmp(row->outcome, "refused") == 0;
		tv_set(e, "when", page_time(r, row->at));
		tv_set(e, "iso", fmt_iso8601(r->a, row->at));
		tv_set(e, "sentence", audit_sentence(r->a, row,
		    strcmp(row->action, "access") == 0 ? page_route_words(r->a, row->target) : NULL));
		tv_set(e, "actor", row->actor);
		tv_set(e, "action", row->action);
		tv_set(e, "target", row->target);
		tv_set(e, "outcome", row->outcome);
		tv_set(e, "outcome_text", ok ? _("Done") : refused ? _("Refused") : _("Failed"));
		tv_set(e, "tag", ok ? "ok" : refused ? "warn" : "err");
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

/* GET /settings/audit?actor=&action=&from=&to=&refused=show&before=ID|after=ID — the
 * organization's audit log, newest first, 50 a page (Newer / Older), each entry a sentence;
 * filterable by actor, action and a date range; refused attempts hidden unless refused=show
 * (issue 15). AUDIT_VIEW (Global admins). */
int
page_audit(struct req *r)
{
	struct audit_filter f;
	struct filter_form ff;
	if (read_filter(r, &f, &ff))
		return page_error(r, 400, _("The filter is longer than any actor, action or date."));
	struct audit_cursor cur = read_cursor(r);
	int64_t tenant = r->sess->tenant_id;
	struct audit_page pg;
	struct audit_values actors, actions;
	if (audit_log_page(r->store, r->a, tenant, &f, &cur, AUDIT_PER_PAGE, &pg) < 0 ||
	    audit_log_choices(r->store, r->a, tenant, &actors, &actions) < 0)
		return page_error(r, 500, NULL);

	struct tv *ctx = page_ctx(r, _("Audit log"));
	add_entries(r, ctx, &pg.rows);
	add_choices(ctx, "actors", &actors, f.actor, false);
	add_choices(ctx, "actions", &actions, f.action, true);
	tv_set(ctx, "actor", f.actor);
	tv_set(ctx, "action", f.action);
	tv_set(ctx, "from", ff.from);
	tv_set(ctx, "to", ff.to);
	tv_set(ctx, "from_error", ff.from_error);
	tv_set(ctx, "to_error", ff.to_error);
	tv_setb(ctx, "show_refused", !f.hide_refused);
	bool filtered = *f.actor || *f.action || f.from > 0 || f.until > 0;
	tv_setb(ctx, "filtered", filtered);
	tv_setb(ctx, "changed", filtered || !f.hide_refused);
	tv_seti(ctx, "total", pg.count);
	tv_setb(ctx, "capped", pg.capped);
	tv_setb(ctx, "any", pg.count > 0);
	tv_setb(ctx, "csv_capped", pg.capped);	/* 1000 or more: perhaps more than the download holds */
	tv_seti(ctx, "csv_max", AUDIT_CSV_MAX);
	const char *fq = filter_query(r, &f, &ff);
	tv_set(ctx, "csv_href", *fq ? arena_printf(r->a, "/settings/audit.csv?%s", fq + 1) : "/settings/audit.csv");
	add_pager(r, ctx, &pg, fq);
	return page_render(r, ff.from_error || ff.to_error ? 422 : 200, "audit/log", ctx);
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
	char at[FMT_ISO8601_LEN];
	csv_put_cell(o->b, fmt_iso8601_to(at, row->at), false);
	const char *cells[] = { row->actor, row->action, row->target, row->outcome, row->ip, row->detail };
	for (size_t i = 0; i < NELEM(cells); i++)
		csv_put_cell(o->b, cells[i], i + 1 == NELEM(cells));
	/* issue 17: sent on as it is made, RESP_STREAM_PART bytes at a time (nothing kept per row) */
	return o->b->failed || resp_stream_flush(o->r, RESP_STREAM_PART) < 0 ? -1 : 0;
}

/* GET /settings/audit.csv?actor=&action=&from=&to=&refused=show — the rows of the Audit log
 * page for the same filter (every page, newest first, at most 50,000) as an RFC 4180 CSV attachment.
 * AUDIT_VIEW (Global admins). */
int
page_audit_csv(struct req *r)
{
	struct audit_filter f;
	struct filter_form ff;
	if (read_filter(r, &f, &ff) || ff.from_error || ff.to_error)
		return page_error(r, 400, _("The filter is longer than any actor, action or date, or a date is not one."));
	r->body.len = 0;
	struct buf *b = &r->body;
	/* before the first row: a streamed download's head is sent with the first part */
	int nheaders = r->nheaders;
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"audit-log.csv\"");
	static const char *const head[] = { "Time (UTC)", "Actor", "Action", "Target", "Outcome", "Client address", "Detail" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(b, head[i], i + 1 == NELEM(head));
	struct csv_out o = { r, b };
	if (audit_log_each(r->store, r->sess->tenant_id, &f, AUDIT_CSV_MAX, csv_line, &o) < 0 || b->failed) {
		if (r->streamed)
			return 500;	/* the dispatcher breaks the download off */
		r->nheaders = nheaders;	/* not an attachment: the error page (page_render sets its type) */
		return page_error(r, 500, NULL);
	}
	return 200;
}
