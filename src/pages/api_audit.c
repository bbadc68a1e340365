/* api_audit.c — the JSON API's audit log (routes.def, F_API; AUDIT_VIEW as Settings →
 * Audit log): the organization's entries, newest first, a page at a time by a cursor that
 * never shifts while entries are written (audit_log_page, the page's own reading); the
 * page's filters: actor, action, a date range, and refused attempts only when asked. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "domain/audit.h"
#include "web/api.h"

#define FILTER_MAX 254

/* The filter of the query string, as /settings/audit reads it: actor, action (exact),
 * from / to (days, UTC, both included), refused=show. 0, or 400 (answered). */
static int
read_filter(struct req *r, struct audit_filter *f)
{
	*f = (struct audit_filter){ .actor = req_query(r, "actor"), .action = req_query(r, "action") };
	const char *from = req_query(r, "from"), *to = req_query(r, "to"), *refused = req_query(r, "refused");
	if ((f->actor && strlen(f->actor) > FILTER_MAX) || (f->action && strlen(f->action) > FILTER_MAX))
		return api_problem(r, 400, "actor and action are at most 254 characters.");
	int64_t t;
	if (from != NULL) {
		if (strlen(from) > 32 || parse_date(from, &t) < 0)
			return api_problem(r, 400, "from must be a date, for example 2026-03-31.");
		f->from = t;
	}
	if (to != NULL) {
		if (strlen(to) > 32 || parse_date(to, &t) < 0)
			return api_problem(r, 400, "to must be a date, for example 2026-03-31.");
		if (f->from > 0 && t < f->from)
			return api_problem(r, 400, "to must not be before from.");
		f->until = t + 86400;
	}
	if (refused != NULL && !str_eq(refused, "show") && !str_eq(refused, "hide"))
		return api_problem(r, 400, "refused is show or hide.");
	f->hide_refused = !str_eq(refused, "show");
	return 0;
}

/* GET /api/v1/audit?actor=&action=&from=&to=&refused=show&limit=&cursor= — the
 * organization's audit log, newest first; each entry with the sentence the page shows. */
int
api_audit(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct audit_filter f;
	if ((st = read_filter(r, &f)) != 0)
		return st;
	struct audit_cursor cur = { AUDIT_OLDER_THAN, p.after };
	struct audit_page pg;
	if (audit_log_page(r->store, r->a, r->sess->tenant_id, &f, &cur, p.limit, &pg) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < pg.rows.n; i++) {
		const struct audit_row *e = &pg.rows.v[i];
		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id,
		    "at", (json_int_t)e->at, "actor", e->actor, "action", e->action, "target", e->target, "outcome", e->outcome,
		    "ip", e->ip ? e->ip : "", "detail", e->detail ? e->detail : "", "sentence", audit_sentence(r->a, e, NULL)));
	}
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, pg.rows.n, pg.rows.n ? pg.rows.v[pg.rows.n - 1].id : 0);
	return api_send(r, 200, out);
}
