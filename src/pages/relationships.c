/* relationships.c — the relationship center (issue 13): /relationships, every relationship
 * the organization is part of (provider and reseller, partner and customer, delegated admin,
 * both directions; open reseller and customer invitations it sent or that were sent to its
 * domain, with resend / revoke where the user may) with the other organization, kind, state, since, expiry, roles and the
 * actions that apply (links to the existing pages), filtered by kind, state, expiring within
 * N days and the other organization's name, sorted by the other organization or since, in
 * keyset pages (First / Next: ?after=<cursor>); /relationships.csv, the filtered list whole.
 * The rules and the cursor are domain/relcenter.h's; the dispatcher checked the permission
 * (DELEGATED_ADMIN_VIEW). */
#include <string.h>

#include "base/i18n.h"
#include "base/csv.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/relcenter.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"

static const char *const kind_words[5] = { N_("All kinds"), N_("Provider and reseller"), N_("Partner and customer"),
	N_("Delegated admin"), N_("Invitation (open)") };
static const char *const state_words[11] = { N_("Any state"), N_("Pending"), N_("Active (expiring too)"), N_("Expiring"),
	N_("Expired"), N_("Declined"), N_("Withdrawn"), N_("Terminated"), N_("Ended"), N_("Sent (invitation)"), N_("Opened (invitation)") };

struct rc_args {
	const char *kind, *state, *days, *q, *sort, *dir, *after;
};

static void
read_args(struct req *r, struct rc_args *x)
{
	*x = (struct rc_args){ req_query(r, "kind"), req_query(r, "state"), req_query(r, "days"), req_query(r, "q"),
		req_query(r, "sort"), req_query(r, "dir"), req_query(r, "after") };
}

/* The query string of the list as filtered and sorted (the cursor left out), as pairs. */
static const char **
keep_pairs(struct req *r, const struct rc_args *x, bool with_sort)
{
	const char **kv = arena_alloc(r->a, 13 * sizeof *kv);
	int n = 0;
	const char *pairs[][2] = { { "kind", x->kind }, { "state", x->state }, { "days", x->days }, { "q", x->q },
		{ "sort", with_sort ? x->sort : NULL }, { "dir", with_sort ? x->dir : NULL } };
	for (size_t i = 0; i < NELEM(pairs); i++) {
		kv[n++] = pairs[i][0];
		kv[n++] = pairs[i][1];
	}
	kv[n] = NULL;
	return kv;
}

/* The actions that apply to row, as links to the pages that do them. */
static void
actions_tv(struct req *r, struct tv *list, const struct rc_row *row)
{
	struct act { const char *label, *href; } a[4];
	int n = 0;
	switch (row->kind) {
	case 1:
		if (route_allows(r->sess, &routes[R_RESELLERS]))
			a[n++] = (struct act){ _("Open Indirect resellers"), "/resellers" };
		break;
	case 2:
		if (route_allows(r->sess, &routes[R_PROVIDERS]))
			a[n++] = (struct act){ _("Open Indirect providers"), "/providers" };
		break;
	case 3:
		if (route_allows(r->sess, &routes[R_CUSTOMER]))
			a[n++] = (struct act){ _("Open the customer"),
				arena_printf(r->a, "/customers/%lld", (long long)row->other_tenant) };
		break;
	case 5:
	case 6: {
		const char *one = arena_printf(r->a, "/delegated-admin/%lld", (long long)row->id);
		bool pending = strcmp(row->state, "pending") == 0 || strcmp(row->state, "expired") == 0;
		bool live = strcmp(row->state, "active") == 0 || strcmp(row->state, "expiring") == 0;
		if (row->kind == 5 && pending && strcmp(row->state, "pending") == 0)
			a[n++] = (struct act){ _("Resend or withdraw"), one };
		else if (row->kind == 6 && strcmp(row->state, "pending") == 0)
			a[n++] = (struct act){ _("Approve or decline"), one };
		else
			a[n++] = (struct act){ _("Open"), one };
		if (live)
			a[n++] = (struct act){ _("Terminate"),
				arena_printf(r->a, "/delegated-admin/terminate/%lld", (long long)row->id) };
		break;
	}
	case 7:	/* a reseller invitation this organization sent: its page, resend, revoke */
		if (rc_sent_by_me(row) && route_allows(r->sess, &routes[R_INVITATION_RESEND])) {
			a[n++] = (struct act){ _("Resend"), arena_printf(r->a, "/resellers/invitations/resend/%lld", (long long)row->id) };
			a[n++] = (struct act){ _("Revoke"), arena_printf(r->a, "/resellers/invitations/revoke/%lld", (long long)row->id) };
		}
		break;
	case 8:	/* a customer invitation this organization sent: revoke (customer invitations have no resend) */
		if (rc_sent_by_me(row) && route_allows(r->sess, &routes[R_CUSTOMER_INVITATION_REVOKE]))
			a[n++] = (struct act){ _("Revoke"),
				arena_printf(r->a, "/providers/customer-invitations/revoke/%lld", (long long)row->id) };
		break;
	default:
		break;
	}
	/* issue 13: every relationship's timeline */
	static const char *const tl_kinds[7] = { NULL, "reseller", "reseller", "customer", "customer", "delegated", "delegated" };
	if (row->kind >= 1 && row->kind <= 6 && route_allows(r->sess, &routes[R_REL_TIMELINE_RESELLER]))
		a[n++] = (struct act){ _("Timeline"), arena_printf(r->a, "/relationships/%s/%lld", tl_kinds[row->kind], (long long)row->id) };
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push(list);
		tv_set(o, "label", a[i].label);
		tv_set(o, "href", a[i].href);
	}
}

static const char *
state_tag(const char *state)
{
	if (strcmp(state, "active") == 0)
		return "ok";
	if (strcmp(state, "expiring") == 0 || strcmp(state, "pending") == 0 || strcmp(state, "sent") == 0
	    || strcmp(state, "opened") == 0)
		return "warn";
	return "muted";
}

static void
options_tv(struct tv *ctx, const char *key, const char *const *values, const char *const *words, size_t n,
    const char *current)
{
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < n; i++) {
		struct tv *o = tv_push(list);
		tv_set(o, "value", values[i]);
		tv_set(o, "label", _(words[i]));
		tv_setb(o, "selected", strcmp(values[i], current != NULL ? current : "") == 0);
	}
}

/* GET /relationships?kind=&state=&days=&q=&sort=name|since&dir=asc|desc&after=<cursor> */
int
page_relationships(struct req *r)
{
	struct rc_args x;
	read_args(r, &x);
	struct rc_query query;
	struct rc_query_errors errs;
	int bad = rc_query_parse(r->a, x.kind, x.state, x.days, x.q, x.sort, x.dir, x.after, &query, &errs);
	if (bad < 0)
		return page_error(r, 400, NULL);
	struct tv *ctx = page_ctx(r, _("Relationships"));
	options_tv(ctx, "kinds", rc_kinds, kind_words, NELEM(rc_kinds), x.kind);
	options_tv(ctx, "states", rc_states, state_words, NELEM(rc_states), x.state);
	tv_set(ctx, "days", x.days != NULL ? x.days : "");
	tv_set(ctx, "q", x.q != NULL ? x.q : "");
	if (errs.days)
		tv_set(ctx, "days_error", errs.days);
	if (errs.q)
		tv_set(ctx, "q_error", errs.q);
	bool filtered = (x.kind && *x.kind) || (x.state && *x.state) || (x.days && *x.days) || (x.q && *x.q);
	tv_setb(ctx, "filtered", filtered);
	if (bad) {
		tv_setb(ctx, "invalid", true);
		return page_render(r, 400, "relationships/list", ctx);
	}
	int64_t now = now_sec();
	struct rc_list list;
	bool more;
	if (rc_page(r->store, r->a, r->sess->tenant_id, now, &query, &list, &more) < 0)
		return page_error(r, 500, NULL);
	struct tv *rows = tv_list(ctx, "rels");
	bool any_tick = false;
	for (size_t i = 0; i < list.n; i++) {
		const struct rc_row *row = &list.v[i];
		struct tv *o = tv_push(rows);
		tv_set(o, "other", row->other_name);
		tv_set(o, "kind", rc_kind_label(row->kind));
		tv_set(o, "side", rc_row_side(row));
		tv_set(o, "name", row->name);
		const char *state = rc_state_at(row->kind, row->stored, row->request_expires, row->expires, now);
		tv_set(o, "state", state);
		tv_set(o, "state_text", rc_state_label(state));
		tv_set(o, "tag", state_tag(state));
		tv_set(o, "since", fmt_date(r->a, row->since));
		tv_set(o, "expires", row->expires ? fmt_date(r->a, row->expires) : "");
		tv_set(o, "roles", row->roles ? roles_local(r->a, row->roles) : "");
		tv_set(o, "ref", arena_printf(r->a, "%s-%lld", rc_ref_prefix(row->kind), (long long)row->id));
		actions_tv(r, tv_list(o, "actions"), row);
		/* bulk actions (relationships_bulk.c): delegated admin relationships and the reseller
		 * invitations this organization sent can be ticked */
		bool tick = row->kind == 5 || row->kind == 6 || (row->kind == 7 && rc_sent_by_me(row));
		tv_setb(o, "tick", tick);
		any_tick |= tick;
	}
	tv_setb(ctx, "bulk", any_tick);
	/* the two sortable headers keep the filter (a header flips its own direction) */
	static const struct sort_col cols[] = { { "name", false }, { "since", true } };
	struct tv *sort = tv_obj(ctx, "sort");
	for (int i = 0; i < 2; i++) {
		bool cur = i == (query.by_since ? 1 : 0);
		bool next_desc = cur ? !query.desc : cols[i].first_desc;
		const char **hkv = keep_pairs(r, &x, false);
		hkv[8] = "sort";
		hkv[9] = cols[i].key;
		hkv[10] = "dir";
		hkv[11] = next_desc ? "desc" : "asc";
		struct tv *h = tv_obj(sort, cols[i].key);
		tv_set(h, "href", href_with(r->a, "/relationships", hkv));
		if (cur) {
			tv_set(h, "aria", query.desc ? "descending" : "ascending");
			tv_set(h, "arrow", query.desc ? "\u2193" : "\u2191");
		}
	}
	const char **kv = keep_pairs(r, &x, true);
	tv_set(ctx, "csv_href", href_with(r->a, "/relationships.csv", kv));
	struct tv *pager = tv_obj(ctx, "pager");
	bool paged = query.after.kind > 0;
	tv_setb(pager, "many", paged || more);
	tv_set(pager, "label", _("Pages of relationships"));
	if (paged)
		tv_set(pager, "first", href_with(r->a, "/relationships", kv));
	if (more) {
		const char **nkv = arena_alloc(r->a, 15 * sizeof *nkv);
		int n = 0;
		for (; n < 12; n++)	/* keep_pairs: six pairs, values possibly NULL */
			nkv[n] = kv[n];
		nkv[n++] = "after";
		nkv[n++] = rc_cursor_text(r->a, &query, &list.v[list.n - 1]);
		nkv[n] = NULL;
		tv_set(pager, "next", href_with(r->a, "/relationships", nkv));
	}
	return page_render(r, 200, "relationships/list", ctx);
}

struct csv_out {
	struct req *r;
	struct buf *b;
	int64_t now;
};


static int
csv_line(void *ctx, const struct rc_row *row)
{
	struct csv_out *o = ctx;
	struct arena *a = o->r->a;
	const char *state = rc_state_at(row->kind, row->stored, row->request_expires, row->expires, o->now);
	char since[FMT_ISO8601_LEN], expires[FMT_ISO8601_LEN];
	const char *cells[] = { row->other_name, rc_kind_label(row->kind), rc_row_side(row), row->name,
		rc_state_label(state), fmt_iso8601_to(since, row->since), row->expires ? fmt_iso8601_to(expires, row->expires) : "",
		row->roles ? roles_text(a, row->roles) : "" };
	for (size_t i = 0; i < NELEM(cells); i++)
		csv_put_cell(o->b, cells[i], i + 1 == NELEM(cells));
	/* issue 17: sent on as it is made (as the audit log's download) */
	return o->b->failed || resp_stream_flush(o->r, RESP_STREAM_PART) < 0 ? -1 : 0;
}

/* GET /relationships.csv?kind=&state=&days=&q=&sort=&dir= — every row of the filtered list in
 * its order, read RC_CSV_BATCH at a time, as an RFC 4180 CSV attachment. */
int
page_relationships_csv(struct req *r)
{
	struct rc_args x;
	read_args(r, &x);
	struct rc_query query;
	struct rc_query_errors errs;
	if (rc_query_parse(r->a, x.kind, x.state, x.days, x.q, x.sort, x.dir, NULL, &query, &errs) != 0)
		return page_error(r, 400, _("The filter asks for a kind, state or number of days the list does not have."));
	r->body.len = 0;
	struct buf *b = &r->body;
	/* before the first row: a streamed download's head is sent with the first part */
	int nheaders = r->nheaders;
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", "attachment; filename=\"relationships.csv\"");
	static const char *const head[] = { "Other organization", "Kind", "They are", "Name", "State", "Since",
		"Expires", "Roles" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(b, head[i], i + 1 == NELEM(head));
	struct csv_out o = { r, b, now_sec() };
	/* The CSV is data: English whatever the page's language (issue 18), the domain's state
	 * and kind words included. */
	enum lang was = i18n_use(LANG_EN);
	int rows = rc_each(r->store, r->a, r->sess->tenant_id, o.now, &query, csv_line, &o);
	i18n_use(was);
	if (rows < 0 || b->failed) {
		if (r->streamed)
			return 500;	/* the dispatcher breaks the download off */
		r->nheaders = nheaders;	/* not an attachment: the error page */
		return page_error(r, 500, NULL);
	}
	return 200;
}
