/* api_customers.c — the JSON API's customers and customer invitations (routes.def, F_API):
 * a partner's customers (a page at a time, with a name search) and one customer with the
 * subscriptions placed through the organization (CUSTOMERS_VIEW, as /customers); an
 * approved reseller's customer invitations under one of its providers: list, invite,
 * get, revoke (CUSTOMERS_INVITE and F_RESELLER_APPROVED, as /providers/ID/invite-customer).
 * The same domain calls, rules and emails as the pages (pages/customers.c,
 * pages/providers_customers.c); another organization's ids answer 404, audited. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/portal.h"
#include "base/syntax.h"
#include "base/util.h"
#include "domain/apilists.h"
#include "domain/customers.h"
#include "domain/timeline.h"
#include "pages/api_parts.h"
#include "pages/customers.h"
#include "web/api.h"

static const char *const sub_keys[SUB__COUNT] = { [SUB_ACTIVE] = "active", [SUB_SUSPENDED] = "suspended",
	[SUB_CANCELLED] = "cancelled" };

json_t *
api_subscription_json(const struct subscription_row *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)s->id,
	    "offer_id", s->offer_id, "offer", s->offer, "unit", s->unit, "quantity", (json_int_t)s->quantity,
	    "reseller", s->reseller, "mpn_id", s->mpn_id, "provider", s->provider, "ordered_by", s->ordered_by,
	    "created_at", (json_int_t)s->created_at, "status", (unsigned)s->status < SUB__COUNT ? sub_keys[s->status] : "active");
}

/* GET /api/v1/customers?q=&limit=&cursor=&sort=name|-name|since|-since — the organization's
 * customers (any of its partner accounts): name, country, as which partner, since,
 * delegated administration, subscriptions it took part in. q: a part of the name. */
int
api_customers(struct req *r)
{
	static const char *const sorts[] = { "name", "-name", "since", "-since" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	const char *q = req_query(r, "q");
	if (q != NULL && (strlen(q) > API_SEARCH_MAX * 4 || text_has_control(q, false)))
		return api_problem(r, 400, "q must be a part of a name: text of at most 100 characters on one line.");
	struct customer_list l;
	int found = api_customers_page(r->store, r->a, r->sess->tenant_id, q, strstr(p.sort, "since") != NULL, p.desc,
	    p.after, p.limit, &l);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 1)
		return api_problem(r, 400, "cursor is not one this list gave (or it was for another sort).");
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const struct customer_row *c = &l.v[i];
		json_t *as = json_array();
		if (c->as_reseller)
			json_array_append_new(as, json_string(partner_type_key(PT_INDIRECT_RESELLER)));
		if (c->as_provider)
			json_array_append_new(as, json_string(partner_type_key(PT_INDIRECT_PROVIDER)));
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:I, s:b, s:I}", "id", (json_int_t)c->id,
		    "name", c->name, "country", c->country, "as", as, "since", (json_int_t)c->since,
		    "delegated_admin", c->delegated_admin, "subscriptions", (json_int_t)c->subscriptions));
	}
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, l.n, l.n ? l.v[l.n - 1].id : 0);
	return api_send(r, 200, out);
}

/* The customer r->id as this organization sees it (cust_view_load): 0, or the answer (404
 * for another organization's, audited). */
static int
load_customer(struct req *r, struct cust_view *v)
{
	const char *why = NULL;
	int found = cust_view_load(r->store, r->a, r->id, r->sess->tenant_id, v, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	return found ? 0 : api_not_found(r, "customer organization", r->id);
}

/* GET /api/v1/customers/ID — one customer: its organization, this organization's
 * relationships with it, the resellers (as its provider) or providers (as its reseller)
 * the customer is shared with. CUSTOMERS_VIEW of a partner related to the customer. */
int
api_customer(struct req *r)
{
	struct cust_view v;
	int st = load_customer(r, &v);
	if (st)
		return st;
	json_t *rels = json_array(), *resellers = json_array(), *providers = json_array();
	for (size_t i = 0; i < v.rels.n; i++)
		json_array_append_new(rels, json_pack("{s:s, s:I, s:b}", "as", partner_type_key(v.rels.v[i].type),
		    "since", (json_int_t)v.rels.v[i].since, "delegated_admin", v.rels.v[i].delegated_admin));
	for (size_t i = 0; v.as_provider && i < v.resellers.n; i++)
		json_array_append_new(resellers, json_pack("{s:I, s:I, s:s, s:s}", "account_id", (json_int_t)v.resellers.v[i].account_id,
		    "organization_id", (json_int_t)v.resellers.v[i].tenant_id, "name", v.resellers.v[i].name, "mpn_ids", v.resellers.v[i].mpn));
	for (size_t i = 0; v.as_reseller && i < v.providers.n; i++)
		json_array_append_new(providers, json_pack("{s:I, s:s, s:I}", "account_id", (json_int_t)v.providers.v[i].account_id,
		    "name", v.providers.v[i].name, "relationship_id", (json_int_t)v.providers.v[i].rel_id));
	return api_send(r, 200, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)v.customer.id,
	    "name", v.customer.name, "domain", v.customer.domain, "country", v.customer.country.code, "relationships", rels,
	    "resellers", resellers, "providers", providers));
}

/* GET /api/v1/customers/ID/subscriptions?limit=&cursor= — the customer's subscriptions
 * placed through this organization (as the provider that ordered or the reseller it
 * ordered for), newest first, as the customer's page lists them. CUSTOMERS_VIEW. */
int
api_customer_subscriptions(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct cust_view v;
	if ((st = load_customer(r, &v)) != 0)
		return st;
	json_t *items = json_array();
	size_t got = 0;
	int64_t last = 0;
	/* v.subs is newest first: the page is the rows below the cursor's id */
	for (size_t i = 0; i < v.subs.n && (int64_t)got < p.limit; i++) {
		if (p.after && v.subs.v[i].id >= p.after)
			continue;
		json_array_append_new(items, api_subscription_json(&v.subs.v[i]));
		last = v.subs.v[i].id;
		got++;
	}
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, got, last);
	return api_send(r, 200, out);
}

/* ---- a reseller's customer invitations ---- */

/* The signed-in reseller's active relationship id with one of its providers: 0, or 404. */
static int
reseller_rel(struct req *r, int64_t id, struct cust_reseller_rel *rel)
{
	const char *why = cust_reseller_rel(r->store, r->a, r->sess->tenant_id, id, rel);
	if (store_failed(r->store))
		return api_problem(r, 500, NULL);
	return why == NULL ? 0 : api_not_found(r, "relationship", id);
}

static json_t *
cinv_json(struct req *r, const struct customer_invitation *inv)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:s, s:I, s:I, s:I}", "id", (json_int_t)inv->id, "email", inv->email,
	    "message", inv->message, "delegated_admin", inv->delegated_admin, "status", inv_status_key(inv->state),
	    "provider_account_id", (json_int_t)inv->provider_id, "created_at", (json_int_t)inv->created_at,
	    "expires_at", (json_int_t)inv->expires_at);
	if (inv->state == INV_PENDING) {
		const char *t = cust_invite_token(r->a, inv->id, inv->expires_at);
		if (t != NULL)
			json_object_set_new(o, "link", json_string(arena_printf(r->a, "%s/customer-invite?t=%s",
			    r->portal->cfg.base_url, t)));
	}
	if (inv->accepted_at) {
		json_object_set_new(o, "accepted_at", json_integer(inv->accepted_at));
		json_object_set_new(o, "customer", json_pack("{s:I, s:s}", "id", (json_int_t)inv->customer_tenant_id,
		    "name", inv->customer_name));
	}
	return o;
}

/* GET /api/v1/providers/REL/customer-invitations?limit=&cursor= — the reseller's customer
 * invitations under the provider of its relationship REL, newest first. */
int
api_customer_invitations(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct cust_reseller_rel rel;
	if ((st = reseller_rel(r, r->id, &rel)) != 0)
		return st;
	struct customer_invitation *v;
	size_t n = 0;
	if (api_cinv_page(r->store, r->a, &rel, p.after, p.limit, now_sec(), &v, &n) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, cinv_json(r, &v[i]));
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, n, n ? v[n - 1].id : 0);
	return api_send(r, 200, out);
}

/* POST /api/v1/providers/REL/customer-invitations — {"email", "message"?,
 * "delegated_admin"? (true unless false), "confirm"?}: invites a customer under the provider
 * of relationship REL (30 days) and emails the link, as Invite new customers. Checked before
 * sending as the form (issue 13, cust_precheck): refused (the partners' own organization,
 * another region, a customer of both already) 422 with the sentence; warned (a partner's
 * work account, the agreement not accepted) 409 with the warnings unless "confirm": true.
 * 201 with the invitation (its link included); 409 while a pending invitation to that
 * address under this provider exists. */
int
api_customer_invitation_add_post(struct req *r)
{
	struct cust_reseller_rel rel;
	int st = reseller_rel(r, r->id, &rel);
	if (st)
		return st;
	bool bad = false;
	const char *email = api_in_str(r, "email", &bad), *message = api_in_str(r, "message", &bad);
	email = email ? str_lower_trim(r->a, email) : NULL;
	bool bad_da = false;
	bool with_da = api_in_bool(r, "delegated_admin", true, &bad_da);
	json_t *errors = json_array();
	if (email == NULL || strlen(email) > 254 || !email_valid(email))
		api_field_error(errors, "email", "Give an email address like name@example.com.");
	if (bad || (message && (strlen(message) > CUST_MESSAGE_MAX * 4 || text_has_control(message, true))))
		api_field_error(errors, "message", "Give the message as text of at most 1000 characters.");
	if (bad_da)
		api_field_error(errors, "delegated_admin", "Give delegated_admin as true or false.");
	if (json_array_size(errors) > 0)
		return api_invalid(r, errors);
	json_decref(errors);
	int confirmed = api_confirmed(r);
	if (confirmed < 0)
		return 422;
	int64_t now = now_sec();
	struct customer_invitation inv = { .reseller_id = rel.reseller_id, .provider_id = rel.provider_id, .email = email,
		.message = message ? message : "", .delegated_admin = with_da, .created_at = now,
		.created_by = 0, .expires_at = now + CUST_INVITE_TTL };
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	enum cust_refusal why;
	const char *why_text;
	bool no_agreement;
	if (cust_precheck(r->store, r->a, rel.reseller_id, rel.provider_id, inv.email, now, &why, &why_text, &no_agreement) < 0)
		return api_problem(r, 500, NULL);
	bool warn = cust_precheck_warns(why, no_agreement);
	if (why != CR_OK && !warn) {
		audit(r, "customer-invitation.send", inv.email, "refused", arena_printf(r->a, "checked before sending: %s",
		    cust_refusal_code(why)));
		return api_precheck_refused(r, why_text, why == CR_ALREADY_CUSTOMER ? "/customers" : NULL);
	}
	if (warn && !confirmed)
		return api_precheck_warned(r, cust_precheck_warning(r->a, why, why_text), why != CR_OK ? NULL : "/agreement");
	int made = cust_invite(r->store, &inv);
	if (made < 0)
		return api_problem(r, 500, NULL);
	if (made == 0)
		return api_problem(r, 409, "A pending invitation to this address under this provider exists already; revoke it first.");
	if (cust_send_invitation(r, &inv) < 0)
		return api_problem(r, 500, NULL);
	audit_rel(audit(r, "customer-invitation.send", inv.email, "ok", arena_printf(r->a, "customer invitation %lld, with %s%s",
	    (long long)inv.id, rel.provider_name, inv.delegated_admin ? ", delegated administration asked" : "")),
	    TL_CUSTOMER_INV, inv.id);
	struct customer_invitation got;
	if (cust_invitation_load(r->store, r->a, inv.id, now, &got) != 1)
		return api_problem(r, 500, NULL);
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/customer-invitations/%lld", (long long)inv.id));
	return api_send(r, 201, cinv_json(r, &got));
}

/* Customer invitation r->id of the signed-in reseller: 0, or the answer (404, audited). */
static int
load_invitation(struct req *r, struct customer_invitation *inv)
{
	const char *why = NULL;
	int found = cust_invitation_of(r->store, r->a, r->sess->tenant_id, r->id, now_sec(), inv, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	return found ? 0 : api_not_found(r, "customer invitation", r->id);
}

/* GET /api/v1/customer-invitations/ID — one of the reseller's customer invitations. */
int
api_customer_invitation(struct req *r)
{
	struct customer_invitation inv;
	int st = load_invitation(r, &inv);
	return st ? st : api_send(r, 200, cinv_json(r, &inv));
}

/* POST /api/v1/customer-invitations/ID/revoke — its link stops working at once. 200 with
 * it; 409 when it is not pending (accepted, revoked, expired). */
int
api_customer_invitation_revoke_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	struct customer_invitation inv;
	int st = load_invitation(r, &inv);
	if (st)
		return st;
	int revoked = cust_invitation_revoke(r->store, &inv, 0, now_sec());
	if (revoked < 0)
		return api_problem(r, 500, NULL);
	if (revoked == 0) {
		audit(r, "customer-invitation.revoke", inv.email, "refused", inv_status_key(inv.state));
		return api_problem(r, 409, "This invitation cannot be revoked: it was already accepted, revoked, or it has expired.");
	}
	audit_rel(audit(r, "customer-invitation.revoke", inv.email, "ok", arena_printf(r->a, "customer invitation %lld", (long long)inv.id)),
	    TL_CUSTOMER_INV, inv.id);
	if ((st = load_invitation(r, &inv)) != 0)
		return st;
	return api_send(r, 200, cinv_json(r, &inv));
}
