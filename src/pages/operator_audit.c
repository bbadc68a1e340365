/* operator_audit.c — /operator/audit: the audit log of the whole program (issue 19, item 5),
 * every organization's entries and the program team's own, filtered by actor, action,
 * organization (its primary domain) and dates, newest first, a page at a time (Older). */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/console.h"
#include "web/page.h"

/* GET /operator/audit — ?actor= ?action= ?org= (a primary domain) ?from= ?to= (YYYY-MM-DD,
 * UTC, both days included) ?before= (the pager's cursor). OP_CONSOLE. */
int
page_op_audit(struct req *r)
{
	const char *actor = req_query(r, "actor"), *action = req_query(r, "action"), *org = req_query(r, "org");
	const char *from = req_query(r, "from"), *to = req_query(r, "to"), *before_s = req_query(r, "before");
	struct console_audit_filter f = { .actor = actor ? str_trim(r->a, actor) : "", .action = action ? str_trim(r->a, action) : "",
	    .from = 0, .to = INT64_MAX };
	int64_t before = 0;
	if (strlen(f.actor) > 254 || strlen(f.action) > 100 || (org && strlen(org) > 253))
		return page_error(r, 400, _("The filter is longer than any actor, action or domain."));
	if ((!str_empty(from) && console_date(from, &f.from) < 0) || (!str_empty(to) && console_date(to, &f.to) < 0))
		return page_error(r, 400, _("Write dates as YYYY-MM-DD."));
	if (!str_empty(to))
		f.to += 86400;		/* the whole last day */
	if (!str_empty(before_s) && parse_i64(before_s, 1, INT64_MAX, &before) < 0)
		return page_error(r, 400, NULL);
	struct tv *ctx = page_ctx(r, _("Audit log of the program"));
	if (!str_empty(org)) {
		f.tenant_id = console_org_by_domain(r->store, str_trim(r->a, org));
		if (f.tenant_id < 0)
			return page_error(r, 500, NULL);
		if (f.tenant_id == 0)
			tv_set(ctx, "org_unknown", org);
	}
	struct console_audit_list l = { 0 };
	bool more = false;
	if ((str_empty(org) || f.tenant_id > 0) && console_audit(r->store, r->a, &f, before, &l, &more) < 0)
		return page_error(r, 500, NULL);
	tv_set(ctx, "actor", f.actor);
	tv_set(ctx, "action", f.action);
	tv_set(ctx, "org", org);
	tv_set(ctx, "from", from);
	tv_set(ctx, "to", to);
	struct tv *rows = tv_list(ctx, "entries");
	for (size_t i = 0; i < l.n; i++) {
		const struct console_audit_row *e = &l.v[i];
		struct tv *row = tv_push(rows);
		tv_set(row, "at", page_time(r, e->row.at));
		tv_set(row, "org", e->org);
		tv_seti(row, "tenant", e->row.tenant_id);
		tv_set(row, "actor", e->row.actor);
		tv_set(row, "action", e->row.action);
		tv_set(row, "target", e->row.target);
		tv_set(row, "outcome", e->row.outcome);
		tv_set(row, "ip", e->row.ip);
		tv_set(row, "detail", e->row.detail);
	}
	if (more) {
		const char *q = arena_printf(r->a, "actor=%s&action=%s&org=%s&from=%s&to=%s&before=%lld", url_encode(r->a, f.actor),
		    url_encode(r->a, f.action), url_encode(r->a, org ? org : ""), url_encode(r->a, from ? from : ""),
		    url_encode(r->a, to ? to : ""), (long long)l.v[l.n - 1].row.id);
		tv_set(ctx, "older", arena_printf(r->a, "/operator/audit?%s", q));
	}
	return page_render(r, 200, "operator/audit", ctx);
}
