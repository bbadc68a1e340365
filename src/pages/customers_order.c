/* customers_order.c — a provider's order for a customer on behalf of one of its resellers (SPEC
 * §2.6): offer (from the catalog), quantity, the reseller's MPN ID → a subscription, listed on
 * the customer's page for the provider, the reseller and the customer.
 *
 * Every rule is cust_decide's (through cust_order_place, inside the order's transaction): the
 * provider-reseller relationship is active, reseller and provider may transact
 * (agreement_gate: approved, current agreement accepted), the customer has relationships with
 * both, all three are in one region, and the MPN ID is the reseller's. A refused order writes
 * nothing but an audit entry. The form carries a one-time order key: sending it twice makes
 * one subscription. Both routes are F_PROVIDER. */
#include <string.h>

#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/agreement.h"
#include "domain/customers.h"
#include "domain/offers.h"
#include "domain/partners.h"
#include "pages/customers.h"
#include "domain/timeline.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"

static const struct field order_fields[] = {
	{ "reseller", N_("Reseller"), "select", 20, FF_REQUIRED, NULL, N_("The indirect reseller this order is for. Only resellers this customer also works with are listed."), NULL },
	{ "mpn_id", N_("Reseller's MPN ID"), "select", 10, FF_REQUIRED, NULL, N_("The subscription is recorded under one of the reseller's MPN IDs."), NULL },
	{ "offer", N_("Offer"), "select", 40, FF_REQUIRED, NULL, NULL, NULL },
	{ "quantity", N_("Quantity"), "text", 20, FF_REQUIRED, NULL, N_("A whole number from 1 to 10000."), "off" },
	{ "order_key", N_("Order key"), "hidden", 64, 0, NULL, NULL, NULL },
};

struct order_customer {
	int64_t provider;		/* the signed-in provider account */
	struct tenant_row c;
};

/* Loads customer id of the signed-in provider. 0, or 404 (audited) when it is no customer of
 * this provider. */
static int
load_customer(struct req *r, int64_t id, struct order_customer *oc)
{
	const char *why = NULL;
	int found = cust_order_customer(r->store, r->a, r->sess->tenant_id, id, &oc->provider, &oc->c, &why);
	return page_lookup(r, found, "customer", id, why);
}

/* One reseller of the order form: whether it may transact now (agreement_gate), and why not. */
struct order_reseller {
	const struct shared_partner *s;
	struct tenant_mpn_list mpns;
	struct gate g;
	bool can;
};

/* ctx.resellers: the resellers that share this customer, with their agreement standing and
 * MPN IDs (the chosen ones selected). A reseller that may not transact is offered disabled,
 * with the reason beside it (issue 15); the only one that may is chosen, and so is the only
 * MPN ID of the chosen reseller. 0 or -1. */
static int
add_resellers(struct req *r, struct tv *ctx, const struct order_customer *oc, const struct form *f)
{
	const char *reseller_sel = form_get(f, "reseller"), *mpn_sel = form_get(f, "mpn_id");
	struct shared_partner_list resellers;
	if (cust_order_resellers(r->store, r->a, oc->provider, oc->c.id, &resellers) < 0)
		return -1;
	struct order_reseller *rs = arena_alloc(r->a, sizeof(*rs) * (resellers.n ? resellers.n : 1));
	if (rs == NULL)
		return -1;
	size_t ncan = 0, only = 0;
	for (size_t i = 0; i < resellers.n; i++) {
		rs[i].s = &resellers.v[i];
		if (tenant_mpns(r->store, r->a, rs[i].s->tenant_id, &rs[i].mpns) < 0)
			return -1;
		enum agreement_gate gate = agreement_gate(r->store, r->a, rs[i].s->tenant_id, PT_INDIRECT_RESELLER, &rs[i].g);
		if (gate == GATE_ERROR)
			return -1;
		rs[i].can = gate == GATE_OK;
		if (rs[i].can) {
			ncan++;
			only = i;
		}
	}
	if (str_empty(reseller_sel) && ncan == 1)
		reseller_sel = arena_printf(r->a, "%lld", (long long)rs[only].s->account_id);
	struct tv *list = tv_list(ctx, "resellers"), *blocked = tv_list(ctx, "blocked");
	for (size_t i = 0; i < resellers.n; i++) {
		const struct shared_partner *s = rs[i].s;
		struct agreement_view v;
		struct tv *row = cust_reseller_tv(r, list, s, &v);
		bool chosen = str_eq(reseller_sel, arena_printf(r->a, "%lld", (long long)s->account_id));
		tv_setb(row, "selected", chosen && rs[i].can);
		tv_setb(row, "signed", v.accepted);
		tv_setb(row, "can", rs[i].can);
		if (!rs[i].can) {
			struct tv *b = tv_push(blocked);
			tv_set(b, "name", s->name);
			tv_set(b, "why", rs[i].g.text);
		}
		/* A single MPN ID of the chosen reseller is chosen too. */
		bool one = chosen && rs[i].can && str_empty(mpn_sel) && rs[i].mpns.n == 1;
		struct tv *mlist = tv_list(row, "mpns");
		for (size_t k = 0; k < rs[i].mpns.n; k++) {
			struct tv *m = tv_push(mlist);
			tv_set(m, "mpn_id", rs[i].mpns.v[k].mpn_id);
			tv_set(m, "company", rs[i].mpns.v[k].company_name);
			tv_setb(m, "selected", one || str_eq(mpn_sel, rs[i].mpns.v[k].mpn_id));
		}
	}
	return 0;
}

/* ctx.offers: the offers that can be ordered (the chosen one selected), each at its price
 * for the customer (its country's currency when the offer has a price in it). 0 or -1. */
static int
add_offers(struct req *r, struct tv *ctx, const struct form *f, const char *country)
{
	const char *offer_sel = form_get(f, "offer");
	struct offer_list offers;
	if (offers_list(r->store, r->a, true, &offers) < 0)
		return -1;
	struct tv *list = tv_list(ctx, "offers");
	for (size_t i = 0; i < offers.n; i++) {
		const struct offer *o = &offers.v[i];
		struct tv *row = tv_push(list);
		tv_set(row, "offer_id", o->id);
		tv_set(row, "name", o->name);
		tv_set(row, "description", o->description);
		tv_set(row, "unit", o->unit);
		int64_t cents = o->price_cents;
		const char *cur = o->currency;
		if (offer_price_for(r->store, r->a, o->id, country, &cents, &cur) < 0)
			return -1;
		tv_set(row, "price_text", cust_price_text(r->a, cents, cur));
		tv_setb(row, "selected", str_eq(offer_sel, o->id));
	}
	return 0;
}

/* The order form: the resellers that share this customer (with their agreement standing and
 * MPN IDs), the active offers, the quantity, and the one-time key. */
static int
order_form(struct req *r, int status, const struct order_customer *oc, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, _("Place order"));
	page_crumbs(ctx, "/customers", _("Customers"), arena_printf(r->a, "/customers/%lld", (long long)oc->c.id), oc->c.name, NULL);
	form_to_tv(f, ctx);
	struct tv *co = tv_obj(ctx, "customer");
	tv_seti(co, "id", oc->c.id);
	tv_set(co, "name", oc->c.name);
	tv_setf(co, "country", "%s (%s)", oc->c.country.name, oc->c.country.region_name);
	tv_set(ctx, "problem", problem);
	if (add_resellers(r, ctx, oc, f) < 0 || add_offers(r, ctx, f, oc->c.country.code) < 0)
		return page_error(r, 500, NULL);
	return page_render(r, status, "orders/new", ctx);
}

/* GET /customers/ID/order — ?reseller=ACCOUNT preselects a reseller. The order form for
 * customer ID of the signed-in provider. Who: ORDERS_PLACE of an approved provider. */
int
page_order(struct req *r)
{
	struct order_customer oc;
	int st = load_customer(r, r->id, &oc);
	if (st)
		return st;
	struct form f;
	form_init(&f, order_fields, NELEM(order_fields));
	int64_t pre;
	if (parse_i64(req_query(r, "reseller"), 1, INT64_MAX, &pre) == 0)
		form_set(&f, "reseller", arena_printf(r->a, "%lld", (long long)pre));
	form_set(&f, "order_key", cust_order_key(r->a));
	return order_form(r, 200, &oc, &f, NULL);
}

/* The order's price for the customer: quantity x the offer's price in the customer's
 * currency (its list price when it has none). 0 or -1. */
struct order_price {
	const char *unit_text, *total_text;
};

static int
order_price(struct req *r, const struct cust_order *o, const char *country, struct order_price *p)
{
	int64_t cents = 0;
	const char *cur = NULL;
	if (offer_price_for(r->store, r->a, o->offer_id, country, &cents, &cur) != 1)
		return -1;
	p->unit_text = cust_price_text(r->a, cents, cur);
	p->total_text = cust_price_text(r->a, cents * o->quantity, cur);
	return 0;
}

/* Emails the order's confirmation to the three organizations (issue 15): the provider that
 * placed it, the reseller it is on behalf of, and the customer — in each, everyone who sees
 * customers and their subscriptions (CUSTOMERS_VIEW). */
static int
confirm_order(struct req *r, const struct cust_order *o, const struct cust_order_result *res,
    const struct offer *offer, const struct order_price *price, int64_t now)
{
	static const char *const who[] = { "to_provider", "to_reseller", "to_customer" };
	int64_t tenants[3] = { r->sess->tenant_id, res->f.reseller_tenant, res->f.customer_tenant };
	for (int k = 0; k < 3; k++) {
		struct user_list to;
		if (cust_order_recipients(r->store, r->a, tenants[k], &to) < 0)
			return -1;
		for (size_t i = 0; i < to.n; i++) {
			struct tv *m = tv_new_obj(r->a);
			tv_setb(m, who[k], true);
			tv_set(m, "reseller", res->n.reseller);
			tv_set(m, "provider", res->n.provider);
			tv_set(m, "customer", res->n.customer);
			tv_setf(m, "subscription", "%lld", (long long)res->subscription);
			tv_set(m, "offer", offer->name);
			tv_set(m, "offer_id", o->offer_id);
			tv_set(m, "unit", offer->unit);
			tv_setf(m, "quantity", "%lld", (long long)o->quantity);
			tv_set(m, "mpn", o->mpn_id);
			tv_set(m, "price", price->unit_text);
			tv_set(m, "total", price->total_text);
			tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
			tv_set(m, "when", page_mail_time(r, to.v[i].email, now));
			if (k == 2)
				tv_setf(m, "customer_link", "%s/customers", r->portal->cfg.base_url);
			else
				tv_setf(m, "customer_link", "%s/customers/%lld", r->portal->cfg.base_url, (long long)o->customer);
			if (page_mail(r, to.v[i].email, "order-confirmation", m) < 0)
				return -1;
		}
	}
	return 0;
}

/* Reads the order form into o and *offer: every field's own check (a catalog offer that
 * can be ordered, a quantity from 1 to 10000). Returns -1 on a database error, else the
 * number of problems (beside their fields in f). */
static int
read_order(struct req *r, struct form *f, struct cust_order *o, struct offer *offer)
{
	if (!str_empty(form_get(f, "reseller")) && parse_i64(form_get(f, "reseller"), 1, INT64_MAX, &o->reseller) < 0)
		form_fail(f, "reseller", _("Choose a reseller from the list."));
	o->mpn_id = form_get(f, "mpn_id");
	size_t ml = strlen(o->mpn_id);
	if (ml > 0 && (ml < 6 || ml > 10 || strspn(o->mpn_id, "0123456789") != ml))
		form_fail(f, "mpn_id", _("Choose one of the reseller's MPN IDs (6 to 10 digits)."));
	o->offer_id = form_get(f, "offer");
	if (!str_empty(o->offer_id)) {
		int orderable = offer_orderable(r->store, r->a, o->offer_id, offer);
		if (orderable < 0)
			return -1;
		if (orderable == 0)
			form_fail(f, "offer", _("Choose an offer from the catalog: this one does not exist or can no longer be ordered."));
	}
	const char *qty = form_get(f, "quantity");
	if (!str_empty(qty) && parse_i64(qty, 1, CUST_QUANTITY_MAX, &o->quantity) < 0)
		form_fail(f, "quantity", _("Enter a whole number from 1 to 10000."));
	return f->nerrors;
}

/* Writes the audit entries of a placed order: the provider's, the reseller's and the
 * customer's logs. */
static void
audit_placed(struct req *r, const struct cust_order *o, const struct cust_order_result *res, const struct offer *offer,
    const char *customer)
{
	const char *detail = arena_printf(r->a, "subscription %lld: %lld x %s (%s) for %s, on behalf of %s, MPN ID %s",
	    (long long)res->subscription, (long long)o->quantity, offer->name, o->offer_id, res->n.customer, res->n.reseller,
	    o->mpn_id);
	/* issue 13: on the timelines of the provider's and the reseller's relationships with the
	 * customer (the customer's own entry on the reseller's, on whose behalf it was placed) */
	int64_t of_provider = tl_customer_rel(r->store, o->provider, o->customer);
	int64_t of_reseller = tl_customer_rel(r->store, o->reseller, o->customer);
	audit_rel(audit(r, "order.place", customer, "ok", detail), TL_CUSTOMER, of_provider);
	int64_t tenants[2] = { res->f.reseller_tenant, res->f.customer_tenant };
	for (int k = 0; k < 2; k++) {
		struct audit_entry *e = audit_rel(audit(r, "subscription.create", k ? res->n.reseller : res->n.customer, "ok",
		    detail), TL_CUSTOMER, of_reseller);
		if (e != NULL)
			e->tenant_id = tenants[k];
	}
}

int
cust_order_placed(struct req *r, const struct cust_order *o, const struct cust_order_result *res, const struct offer *offer,
    const struct tenant_row *customer, int64_t now)
{
	struct order_price price;
	if (order_price(r, o, customer->country.code, &price) < 0 || confirm_order(r, o, res, offer, &price, now) < 0)
		return -1;
	audit_placed(r, o, res, offer, customer->name);
	return 0;
}

/* POST /customers/ID/order — reseller, mpn_id, offer, quantity, order_key (the review's
 * Place order). Checks the form
 * (a catalog offer that is active, a quantity from 1 to 10000), then in one transaction every
 * rule of the order; places it as a subscription, emails the provider, the reseller and the
 * customer a confirmation, and
 * goes to the customer's page. The same order key again: the subscription it made, once.
 * Who: ORDERS_PLACE of an approved provider related to the customer. */
int
page_order_post(struct req *r)
{
	struct order_customer oc;
	int st = load_customer(r, r->id, &oc);
	if (st)
		return st;
	struct form f;
	form_read(r, &f, order_fields, NELEM(order_fields));
	const char *key = form_get(&f, "order_key");
	if (!cust_order_key_valid(key))
		return page_error(r, 400, _("This order form is incomplete. Open Place order again and fill it in."));
	struct cust_order o = { .customer = oc.c.id, .provider = oc.provider, .by_user = r->sess->user_id, .order_key = key };
	struct offer offer = { 0 };
	int problems = read_order(r, &f, &o, &offer);
	if (problems < 0)
		return page_error(r, 500, NULL);
	if (problems > 0)
		return order_form(r, 422, &oc, &f, NULL);

	/* Placing an order reads, decides and writes: cust_order_place reads its facts inside
	 * this write transaction and relies on the store's write promise (store.h). */
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t now = now_sec();
	struct cust_order_result res;
	if (cust_order_place(r->store, r->a, &o, now, &res) < 0)
		return page_error(r, 500, NULL);
	const char *again = arena_printf(r->a, "/customers/%lld?m=order-already-placed", (long long)oc.c.id);
	switch (res.outcome) {
	case ORDER_KEY_ELSEWHERE:
		return page_error(r, 400, _("This order form is not valid here. Open Place order again."));
	case ORDER_ALREADY_PLACED:
		audit(r, "order.place", oc.c.name, "ok", arena_printf(r->a, "the same order form again: subscription %lld, nothing added",
		    (long long)res.subscription));
		return resp_redirect(r, again);
	case ORDER_UNKNOWN_RESELLER:
		/* Like every foreign id: 404, audited, nothing named. */
		return page_not_ours(r, "reseller account", o.reseller, "not a reseller of this provider");
	case ORDER_REFUSED:
		audit(r, "order.place", oc.c.name, "refused", arena_printf(r->a, "%s; reseller account %lld, %s, quantity %lld, MPN ID %s",
		    cust_refusal_code(res.why), (long long)o.reseller, o.offer_id, (long long)o.quantity, o.mpn_id));
		return order_form(r, cust_refusal_status(res.why), &oc, &f, cust_refusal_text(r->a, &res.f, res.why, &res.n));
	case ORDER_PLACED:
		break;
	}
	if (cust_order_placed(r, &o, &res, &offer, &oc.c, now) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, arena_printf(r->a, "/customers/%lld?m=order-placed", (long long)oc.c.id));
}

/* Whether reseller account id is one the order form offers (a reseller that shares this
 * customer with the provider): 1, 0, or -1. A review never names another. */
static int
offered_reseller(struct req *r, const struct order_customer *oc, int64_t id)
{
	struct shared_partner_list resellers;
	if (cust_order_resellers(r->store, r->a, oc->provider, oc->c.id, &resellers) < 0)
		return -1;
	for (size_t i = 0; i < resellers.n; i++)
		if (resellers.v[i].account_id == id)
			return 1;
	return 0;
}

/* POST /customers/ID/order/review — the order form's fields (issue 15, item 5). Checks them
 * and every rule of the order, writing nothing, and shows the review: the offer, quantity x
 * the price in the customer's currency and the total, with Place order (POST
 * /customers/ID/order, the same one-time key) and Change the order (edit=1: the form again,
 * filled in). Refusals show the form with the reason, as placing would. Who: ORDERS_PLACE
 * of an approved provider related to the customer. */
int
page_order_review_post(struct req *r)
{
	struct order_customer oc;
	int st = load_customer(r, r->id, &oc);
	if (st)
		return st;
	struct form f;
	form_read(r, &f, order_fields, NELEM(order_fields));
	const char *key = form_get(&f, "order_key");
	if (!cust_order_key_valid(key))
		return page_error(r, 400, _("This order form is incomplete. Open Place order again and fill it in."));
	if (str_eq(req_form(r, "edit"), "1"))
		return order_form(r, 200, &oc, &f, NULL);
	struct cust_order o = { .customer = oc.c.id, .provider = oc.provider, .by_user = r->sess->user_id, .order_key = key };
	struct offer offer = { 0 };
	int problems = read_order(r, &f, &o, &offer);
	if (problems < 0)
		return page_error(r, 500, NULL);
	if (problems == 0) {
		int known = offered_reseller(r, &oc, o.reseller);
		if (known < 0)
			return page_error(r, 500, NULL);
		if (!known) {
			form_fail(&f, "reseller", _("Choose a reseller from the list."));
			problems = 1;
		}
	}
	if (problems > 0)
		return order_form(r, 422, &oc, &f, NULL);
	struct cust_facts facts;
	struct cust_names names;
	bool failed = false;
	enum cust_refusal why = cust_order_check(r->store, r->a, &o, &facts, &names, &failed);
	if (failed)
		return page_error(r, 500, NULL);
	if (why != CR_OK)
		return order_form(r, cust_refusal_status(why), &oc, &f, cust_refusal_text(r->a, &facts, why, &names));
	struct order_price price;
	if (order_price(r, &o, oc.c.country.code, &price) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Review the order"));
	page_crumbs(ctx, "/customers", _("Customers"), arena_printf(r->a, "/customers/%lld", (long long)oc.c.id), oc.c.name,
	    arena_printf(r->a, "/customers/%lld/order", (long long)oc.c.id), _("Place order"), NULL);
	form_to_tv(&f, ctx);
	struct tv *co = tv_obj(ctx, "customer");
	tv_seti(co, "id", oc.c.id);
	tv_set(co, "name", oc.c.name);
	tv_setf(co, "country", "%s (%s)", oc.c.country.name, oc.c.country.region_name);
	tv_set(ctx, "reseller", names.reseller);
	tv_set(ctx, "offer_name", offer.name);
	tv_set(ctx, "unit", offer.unit);
	tv_set(ctx, "price", price.unit_text);
	tv_set(ctx, "total", price.total_text);
	return page_render(r, 200, "orders/review", ctx);
}
