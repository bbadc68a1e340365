/* api_orders.c — the JSON API's orders (routes.def, F_API and F_PROVIDER): an approved
 * indirect provider places an order for one of its customers on behalf of one of its
 * resellers, with every check of the order review and Place order (pages/customers_order.c):
 * an offer of the catalog that can be ordered, a quantity from 1 to 10000, the currency the
 * customer is charged in (when the caller states one), then cust_order_place's rules in the
 * order's transaction (the relationships, both partners may transact, one region, the MPN
 * ID is the reseller's). An Idempotency-Key is required, as the form's one-time order key:
 * the same key again returns the first answer and never places a second subscription. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "domain/apilists.h"
#include "domain/customers.h"
#include "domain/offers.h"
#include "pages/api_parts.h"
#include "pages/customers.h"
#include "web/api.h"

/* The subscription id of customer as the organization sees it, with the order's price:
 * 201 (placed) or 200 (the same order again). */
static int
answer(struct req *r, int status, int64_t customer, int64_t id, int64_t cents, const char *currency, int64_t quantity)
{
	struct cust_view v;
	const char *why = NULL;
	if (cust_view_load(r->store, r->a, customer, r->sess->tenant_id, &v, &why) != 1)
		return api_problem(r, 500, NULL);
	for (size_t i = 0; i < v.subs.n; i++)
		if (v.subs.v[i].id == id) {
			json_t *o = api_subscription_json(&v.subs.v[i]);
			json_object_set_new(o, "price", json_pack("{s:s, s:I, s:I}", "currency", currency,
			    "unit_cents", (json_int_t)cents, "total_cents", (json_int_t)(cents * quantity)));
			resp_header(r, "Location", arena_printf(r->a, "/api/v1/customers/%lld/subscriptions", (long long)customer));
			return api_send(r, status, o);
		}
	return api_problem(r, 500, NULL);
}

/* POST /api/v1/customers/ID/orders — {"reseller_account_id", "mpn_id", "offer_id",
 * "quantity", "currency"?} with an Idempotency-Key. 201 with the subscription and its
 * price; 400 without the key; 404 for a customer or reseller this provider does not work
 * with (audited); 422 for bad fields; a rule's refusal with its status and sentence
 * (audited, nothing written). ORDERS_PLACE of an approved provider. */
int
api_order_post(struct req *r)
{
	if (r->idem_key == NULL)
		return api_problem(r, 400, "Send an Idempotency-Key header with an order: the same key again never places a second one.");
	int64_t provider = 0;
	struct tenant_row c;
	const char *why = NULL;
	int found = cust_order_customer(r->store, r->a, r->sess->tenant_id, r->id, &provider, &c, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 0)
		return api_not_found(r, "customer organization", r->id);

	json_t *errors = json_array();
	bool bad = false, bad_cur = false;
	struct cust_order o = { .customer = c.id, .provider = provider, .by_user = 0, .by_credential = r->cred->id,
		.order_key = api_order_key(r->a, r->cred->id, r->idem_key) };
	json_t *res_id = json_object_get(r->json, "reseller_account_id"), *qty = json_object_get(r->json, "quantity");
	if (!json_is_integer(res_id) || json_integer_value(res_id) < 1)
		api_field_error(errors, "reseller_account_id", "Give the reseller's account id (GET /api/v1/customers/{id} lists them).");
	else
		o.reseller = json_integer_value(res_id);
	o.mpn_id = api_in_str(r, "mpn_id", &bad);
	size_t ml = o.mpn_id ? strlen(o.mpn_id) : 0;
	if (o.mpn_id == NULL || ml < 6 || ml > 10 || strspn(o.mpn_id, "0123456789") != ml)
		api_field_error(errors, "mpn_id", "Give one of the reseller's MPN IDs (6 to 10 digits).");
	bad = false;
	o.offer_id = api_in_str(r, "offer_id", &bad);
	struct offer offer = { 0 };
	if (o.offer_id == NULL || strlen(o.offer_id) > 40)
		api_field_error(errors, "offer_id", "Give an offer id of the catalog.");
	else {
		int orderable = offer_orderable(r->store, r->a, o.offer_id, &offer);
		if (orderable < 0)
			return json_decref(errors), api_problem(r, 500, NULL);
		if (orderable == 0)
			api_field_error(errors, "offer_id", "This offer does not exist or can no longer be ordered.");
	}
	if (!json_is_integer(qty) || json_integer_value(qty) < 1 || json_integer_value(qty) > CUST_QUANTITY_MAX)
		api_field_error(errors, "quantity", "Give a whole number from 1 to 10000.");
	else
		o.quantity = json_integer_value(qty);
	const char *currency = api_in_str(r, "currency", &bad_cur);
	int64_t cents = 0;
	const char *charged = NULL;
	if (offer.id != NULL) {
		if (offer_price_for(r->store, r->a, o.offer_id, c.country.code, &cents, &charged) != 1)
			return json_decref(errors), api_problem(r, 500, NULL);
		if (bad_cur || (currency != NULL && strcmp(currency, charged) != 0))
			api_field_error(errors, "currency", arena_printf(r->a, "This customer is charged in %s for this offer.", charged));
	} else if (bad_cur)
		api_field_error(errors, "currency", "Give the currency as a three-letter code.");
	if (json_array_size(errors) > 0)
		return api_invalid(r, errors);
	json_decref(errors);
	if (o.order_key == NULL)
		return api_problem(r, 500, NULL);

	/* Placing reads, decides and writes in one transaction (the store's write promise). */
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	int64_t now = now_sec();
	struct cust_order_result res;
	if (cust_order_place(r->store, r->a, &o, now, &res) < 0)
		return api_problem(r, 500, NULL);
	switch (res.outcome) {
	case ORDER_KEY_ELSEWHERE:
		return api_problem(r, 422, "This Idempotency-Key was used for another customer's order.");
	case ORDER_ALREADY_PLACED:
		audit(r, "order.place", c.name, "ok", arena_printf(r->a, "the same order again: subscription %lld, nothing added",
		    (long long)res.subscription));
		return answer(r, 200, c.id, res.subscription, cents, charged, o.quantity);
	case ORDER_UNKNOWN_RESELLER:
		return api_not_found(r, "reseller account", o.reseller);
	case ORDER_REFUSED:
		audit(r, "order.place", c.name, "refused", arena_printf(r->a, "%s; reseller account %lld, %s, quantity %lld, MPN ID %s",
		    cust_refusal_code(res.why), (long long)o.reseller, o.offer_id, (long long)o.quantity, o.mpn_id));
		return api_problem(r, cust_refusal_status(res.why), cust_refusal_text(r->a, &res.f, res.why, &res.n));
	case ORDER_PLACED:
		break;
	}
	if (cust_order_placed(r, &o, &res, &offer, &c, now) < 0)
		return api_problem(r, 500, NULL);
	return answer(r, 201, c.id, res.subscription, cents, charged, o.quantity);
}
