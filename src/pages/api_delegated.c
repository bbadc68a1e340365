/* api_delegated.c — the JSON API's delegated admin relationships, read-only (routes.def,
 * F_API; DELEGATED_ADMIN_VIEW as /delegated-admin): every relationship the organization is
 * either side of (the partner that asked, the customer or reseller that granted), newest
 * first by a cursor; one of them with its state now, roles and expiry. Another
 * organization's id answers 404, audited. */
#include <jansson.h>
#include <stdint.h>

#include "base/util.h"
#include "domain/access.h"
#include "domain/apilists.h"
#include "domain/delegated.h"
#include "web/api.h"

static json_t *
da_json(const struct da_row *d, int64_t tenant, int64_t now)
{
	json_t *rl = json_array();
	for (int i = 0; i < ROLE__COUNT; i++)
		if (d->roles & roles[i].mask)
			json_array_append_new(rl, json_string(roles[i].key));
	bool partner = d->partner_tenant_id == tenant;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:o, s:I, s:b, s:I}",
	    "id", (json_int_t)d->id, "name", d->name, "state", da_state_key(da_state_at(d, now)),
	    "side", partner ? "partner" : "granting",
	    "partner", "id", (json_int_t)d->partner_tenant_id, "name", d->partner_name,
	    "organization", "id", (json_int_t)d->customer_tenant_id, "name", d->customer_name, "kind", da_kind_key(d->kind),
	    "roles", rl, "duration_days", (json_int_t)d->duration_days, "auto_extend", d->auto_extend,
	    "created_at", (json_int_t)d->created_at);
	json_object_set_new(o, "expires_at", d->expires_at ? json_integer(d->expires_at) : json_null());
	json_object_set_new(o, "approved_at", d->approved_at ? json_integer(d->approved_at) : json_null());
	json_object_set_new(o, "ended_at", d->ended_at ? json_integer(d->ended_at) : json_null());
	return o;
}

/* GET /api/v1/delegated-admin?limit=&cursor= — the organization's delegated admin
 * relationships, on either side, newest first. */
int
api_delegated_admins(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct da_row *v;
	size_t n = 0;
	if (api_da_page(r->store, r->a, r->sess->tenant_id, p.after, p.limit, &v, &n) < 0)
		return api_problem(r, 500, NULL);
	int64_t now = now_sec();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, da_json(&v[i], r->sess->tenant_id, now));
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, n, n ? v[n - 1].id : 0);
	return api_send(r, 200, out);
}

/* GET /api/v1/delegated-admin/ID — one relationship the organization is a side of. */
int
api_delegated_admin(struct req *r)
{
	struct da_row d;
	const char *why = NULL;
	int found = da_of(r->store, r->a, r->id, r->sess->tenant_id, &d, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 0)
		return api_not_found(r, "delegated admin relationship", r->id);
	return api_send(r, 200, da_json(&d, r->sess->tenant_id, now_sec()));
}
