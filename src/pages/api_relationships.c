/* api_relationships.c — the relationship center over the JSON API (issue 14; routes.def,
 * F_API; DELEGATED_ADMIN_VIEW as /relationships): every relationship the organization is part
 * of — provider and reseller, partner and customer, delegated admin, on either side — with
 * the page's filters (kind, state, expiring within N days, the other organization's name q),
 * its two sort keys both ways, and its keyset pages. The query, the filter and the rows are
 * domain/relcenter.h's, the very calls of pages/relationships.c; only the cursor's wrapping
 * (opaque base64url of "<sort>:<the page's cursor>") and the limit are the API's. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "domain/access.h"
#include "domain/relcenter.h"
#include "web/api.h"

#define CURSOR_MAX 1024		/* bytes of a decoded cursor: the sort, a kind, an id, a name key */

/* What the kind of a row is called in the API (an open invitation, kinds 7 and 8, is a row of
 * its own since the Relationships page lists them), and what the other organization is to this
 * one ("invited" for an invitation this organization sent, "inviting" for one it received). */
static const char *
kind_key(int kind)
{
	return kind <= 2 ? "reseller" : kind <= 4 ? "customer" : kind <= 6 ? "delegated"
	    : kind == 7 ? "reseller-invitation" : "customer-invitation";
}

static const char *
other_is(const struct rc_row *row)
{
	static const char *const w[7] = { "", "reseller", "provider", "customer", "partner", "granting", "requesting" };
	if (row->kind == 7 || row->kind == 8)
		return rc_sent_by_me(row) ? "invited" : "inviting";
	return row->kind >= 1 && row->kind <= 6 ? w[row->kind] : "";
}

static json_t *
row_json(const struct rc_row *row)
{
	json_t *rl = json_array();
	for (int i = 0; i < ROLE__COUNT; i++)
		if (row->roles & roles[i].mask)
			json_array_append_new(rl, json_string(roles[i].key));
	json_t *o = json_pack("{s:s, s:I, s:{s:I, s:s, s:s}, s:s, s:I, s:o}", "kind", kind_key(row->kind),
	    "id", (json_int_t)row->id, "other_organization", "id", (json_int_t)row->other_tenant,
	    "name", row->other_name, "is", other_is(row), "state", row->state, "since", (json_int_t)row->since,
	    "roles", rl);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "ref", json_sprintf("%s-%lld", rc_ref_prefix(row->kind),
	    (long long)row->id));
	json_object_set_new(o, "name", row->kind >= 5 ? json_string(row->name) : json_null());
	json_object_set_new(o, "expires_at", row->expires ? json_integer(row->expires) : json_null());
	return o;
}

/* The cursor's text for the page's order: NULL from the start; "" (answered 400) when it is
 * not one this list gave for sort. */
static const char *
cursor_text(struct req *r, const char *sort)
{
	const char *cursor = req_query(r, "cursor");
	if (cursor == NULL)
		return NULL;
	unsigned char raw[CURSOR_MAX];
	long n = strlen(cursor) < CURSOR_MAX * 4 / 3 + 4 ? b64url_decode(cursor, raw, sizeof(raw) - 1) : -1;
	const char *text = n > 0 ? arena_strndup(r->a, (const char *)raw, (size_t)n) : NULL;
	size_t sl = strlen(sort);
	if (text == NULL || strlen(text) != (size_t)n || strncmp(text, sort, sl) != 0 || text[sl] != ':' || text[sl + 1] == '\0')
		return "";
	return text + sl + 1;
}

/* GET /api/v1/relationships?kind=&state=&days=&q=&sort=name|-name|since|-since&limit=&cursor=
 * — one page of the organization's relationships (DELEGATED_ADMIN_VIEW). A filter value the
 * page does not offer, days outside 1..730, a q over 100 characters, an unknown sort or a
 * cursor this list did not give: 400 problem details saying which. */
int
api_relationships(struct req *r)
{
	static const char *const sorts[] = { "name", "-name", "since", "-since" };
	const char *sort = req_query(r, "sort"), *limit_text = req_query(r, "limit");
	int64_t limit = API_LIMIT_DEFAULT;
	if (limit_text != NULL && parse_i64(limit_text, 1, API_LIMIT_MAX, &limit) < 0)
		return api_problem(r, 400, arena_printf(r->a, "limit must be a number from 1 to %d.", API_LIMIT_MAX));
	size_t si = 0;
	if (sort != NULL)
		while (si < NELEM(sorts) && strcmp(sorts[si], sort) != 0)
			si++;
	if (si == NELEM(sorts))
		return api_problem(r, 400, "sort is not one of the list's sort keys: name, -name, since, -since.");
	sort = sorts[si];
	const char *kind = req_query(r, "kind"), *state = req_query(r, "state"), *days = req_query(r, "days"),
	    *q = req_query(r, "q");
	const char *col = sort[0] == '-' ? sort + 1 : sort, *dir = sort[0] == '-' ? "desc" : "asc";
	struct rc_query query;
	struct rc_query_errors errs;
	/* the filters first, without the cursor, so that a wrong one is named */
	int bad = rc_query_parse(r->a, kind, state, days, q, col, dir, NULL, &query, &errs);
	if (bad < 0)
		return api_problem(r, 400, "kind must be one of reseller, customer, delegated, and state one of pending, "
		    "active, expiring, expired, declined, withdrawn, terminated, ended (or leave them out).");
	if (bad > 0)
		return api_problem(r, 400, errs.days ? arena_printf(r->a, "days: %s", errs.days)
		    : arena_printf(r->a, "q: %s", errs.q));
	const char *after = cursor_text(r, sort);
	if (after != NULL && (*after == '\0' ||
	    rc_query_parse(r->a, kind, state, days, q, col, dir, after, &query, &errs) != 0))
		return api_problem(r, 400, "cursor is not one this list gave (or it was for another sort).");
	struct rc_list list;
	bool more = false;
	if (rc_page_of(r->store, r->a, r->sess->tenant_id, now_sec(), &query, limit, &list, &more) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < list.n; i++)
		json_array_append_new(items, row_json(&list.v[i]));
	json_t *out = json_pack("{s:o}", "items", items);
	if (more) {
		const char *text = arena_printf(r->a, "%s:%s", sort, rc_cursor_text(r->a, &query, &list.v[list.n - 1]));
		json_object_set_new(out, "next_cursor", json_string(b64url_encode(r->a, (const unsigned char *)text, strlen(text))));
	} else
		json_object_set_new(out, "next_cursor", json_null());
	return api_send(r, 200, out);
}
