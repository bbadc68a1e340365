/* page_audit.c — Settings → Audit log, and its CSV download. SPEC §2.7.
 * The entries are written by the dispatcher (audit() in dispatch.c) with the transaction of
 * the action they record. Only the signed-in user's organization's entries are read. */
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "web/http.h"
#include "web/page.h"
#include "base/util.h"

#define AUDIT_PER_PAGE 50
#define AUDIT_CSV_MAX 50000		/* rows in one download: newest first */
#define FILTER_MAX 254

struct filter {
	const char *actor, *action;	/* "" = any */
};

/* The filter from the query string. 0, or 400 for a value no entry can have. */
static int
read_filter(struct req *r, struct filter *f)
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
filter_query(struct req *r, const struct filter *f)
{
	struct buf b;
	buf_init(&b, r->a);
	if (*f->actor)
		buf_printf(&b, "&actor=%s", url_encode(r->a, f->actor));
	if (*f->action)
		buf_printf(&b, "&action=%s", url_encode(r->a, f->action));
	return b.p ? b.p : "";
}

static char *
iso_time(struct arena *a, int64_t t)
{
	char out[32];
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return arena_strdup(a, "?");
	return arena_strdup(a, out);
}

/* ctx.<key> = [{ value, selected }] from a one-column query of this organization. */
static void
add_choices(struct req *r, struct tv *ctx, const char *key, enum q q, const char *selected)
{
	struct tv *list = tv_list(ctx, key);
	sqlite3_stmt *st = db_q(r->store, q, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(list);
		tv_set(it, "value", db_text(st, 0));
		tv_setb(it, "selected", str_eq(selected, db_text(st, 0)));
	}
	sqlite3_reset(st);
}

/* GET /settings/audit?actor=&action=&page=N — the organization's audit log, newest first,
 * 50 a page, filterable by actor and action. AUDIT_VIEW (Global admins). */
int
page_audit(struct req *r)
{
	struct filter f;
	if (read_filter(r, &f))
		return page_error(r, 400, "The filter is longer than any actor or action.");
	int64_t page = 1;
	if (req_query(r, "page") != NULL && parse_i64(req_query(r, "page"), 1, 100000000, &page) < 0)
		page = 1;
	int64_t tenant = r->sess->tenant_id;
	int64_t total = db_int(r->store, Q_AUDIT_COUNT, 0, QI(tenant), QT(f.actor), QT(f.action));
	int64_t pages = total > 0 ? (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE : 1;
	if (page > pages)
		page = pages;

	struct tv *ctx = page_ctx(r, "Audit log");
	struct tv *list = tv_list(ctx, "entries");
	sqlite3_stmt *st = db_q(r->store, Q_AUDIT_PAGE, QI(tenant), QT(f.actor), QT(f.action),
	    QI(AUDIT_PER_PAGE), QI((page - 1) * AUDIT_PER_PAGE));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *e = tv_push(list);
		int64_t at = db_i64(st, 1);
		const char *outcome = db_text(st, 5);
		tv_set(e, "when", fmt_datetime(r->a, at));
		tv_set(e, "iso", iso_time(r->a, at));
		tv_set(e, "actor", db_text(st, 2));
		tv_set(e, "action", db_text(st, 3));
		tv_set(e, "target", db_text(st, 4));
		tv_set(e, "outcome", outcome);
		tv_set(e, "tag", strcmp(outcome, "ok") == 0 ? "ok" : strcmp(outcome, "refused") == 0 ? "warn" : "err");
		tv_set(e, "ip", db_text(st, 6));
		tv_set(e, "detail", db_text(st, 7));
	}
	sqlite3_reset(st);

	add_choices(r, ctx, "actors", Q_AUDIT_ACTORS, f.actor);
	add_choices(r, ctx, "actions", Q_AUDIT_ACTIONS, f.action);
	tv_set(ctx, "actor", f.actor);
	tv_set(ctx, "action", f.action);
	tv_setb(ctx, "filtered", *f.actor || *f.action);
	tv_seti(ctx, "total", total);
	tv_setb(ctx, "csv_capped", total > AUDIT_CSV_MAX);
	tv_seti(ctx, "csv_max", AUDIT_CSV_MAX);
	const char *fq = filter_query(r, &f);
	tv_set(ctx, "csv_href", *fq ? arena_printf(r->a, "/settings/audit.csv?%s", fq + 1) : "/settings/audit.csv");
	if (pages > 1) {
		struct tv *pg = tv_obj(ctx, "pager");
		tv_seti(pg, "page", page);
		tv_seti(pg, "pages", pages);
		if (page > 1)
			tv_setf(pg, "prev", "/settings/audit?page=%lld%s", (long long)(page - 1), fq);
		if (page < pages)
			tv_setf(pg, "next", "/settings/audit?page=%lld%s", (long long)(page + 1), fq);
	}
	return page_render(r, 200, "audit/log", ctx);
}

/* One CSV cell, always quoted. A cell that a spreadsheet would read as a formula (starting
 * with = + - @, tab or CR) gets a leading apostrophe, so it stays text. */
static void
csv_cell(struct buf *b, const char *s, bool last)
{
	buf_putc(b, '"');
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
	buf_puts(b, last ? "\r\n" : ",");
}

/* GET /settings/audit.csv?actor=&action= — the rows of the Audit log page for the same
 * filter (every page, newest first, at most 50,000) as an RFC 4180 CSV attachment.
 * AUDIT_VIEW (Global admins). */
int
page_audit_csv(struct req *r)
{
	struct filter f;
	if (read_filter(r, &f))
		return page_error(r, 400, "The filter is longer than any actor or action.");
	r->body.len = 0;
	struct buf *b = &r->body;
	static const char *const head[] = { "Time (UTC)", "Actor", "Action", "Target", "Outcome", "Client address", "Detail" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_cell(b, head[i], i + 1 == NELEM(head));
	sqlite3_stmt *st = db_q(r->store, Q_AUDIT_PAGE, QI(r->sess->tenant_id), QT(f.actor), QT(f.action),
	    QI(AUDIT_CSV_MAX), QI(0));
	int rc;
	while ((rc = db_step(st)) == SQLITE_ROW) {
		csv_cell(b, iso_time(r->a, db_i64(st, 1)), false);
		for (int col = 2; col <= 7; col++)
			csv_cell(b, db_text(st, col), col == 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"audit-log.csv\"");
	return 200;
}
