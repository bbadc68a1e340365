/* page_orders.c — a provider's order for a customer on behalf of one of its resellers (SPEC
 * §2.6): offer (from the catalog), quantity, the reseller's MPN ID → a subscription, listed on
 * the customer's page for the provider, the reseller and the customer.
 *
 * Every rule is cust_decide's (through cust_order_check, inside the order's transaction): the
 * provider-reseller relationship is active, reseller and provider may transact
 * (agreement_gate: approved, current agreement accepted), the customer has relationships with
 * both, all three are in one region, and the MPN ID is the reseller's. A refused order writes
 * nothing but an audit entry. The form carries a one-time order key: sending it twice makes
 * one subscription. Both routes are F_PROVIDER. */
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "domain/customers.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "domain/relationships.h"
#include "base/util.h"

static const struct field order_fields[] = {
	{ "reseller", "Reseller", "select", 20, FF_REQUIRED, NULL, "The indirect reseller this order is for. Only resellers this customer also works with are listed.", NULL },
	{ "mpn_id", "Reseller's MPN ID", "select", 10, FF_REQUIRED, NULL, "The subscription is recorded under one of the reseller's MPN IDs.", NULL },
	{ "offer", "Offer", "select", 40, FF_REQUIRED, NULL, NULL, NULL },
	{ "quantity", "Quantity", "text", 20, FF_REQUIRED, NULL, "A whole number from 1 to 10000.", "off" },
	{ "order_key", "Order key", "hidden", 64, 0, NULL, NULL, NULL },
};

struct order_customer {
	int64_t provider;		/* the signed-in provider account */
	struct cust_tenant c;
};

/* Loads customer id of the signed-in provider. 0, or 404 (audited) when it is no customer of
 * this provider. */
static int
load_customer(struct req *r, int64_t id, struct order_customer *oc)
{
	memset(oc, 0, sizeof(*oc));
	rel_account(r->store, r->a, r->sess->tenant_id, "indirect_provider", &oc->provider);
	int found = cust_tenant_load(r->store, r->a, id, &oc->c);
	if (found < 0)
		return page_error(r, 500, NULL);
	const char *why = found == 0 || !str_eq(oc->c.kind, "customer") ? "no such customer"
	    : db_int(r->store, Q_CUST_REL_ACTIVE, 0, QI(oc->provider), QI(id)) == 0 ? "not this organization's customer" : NULL;
	if (why != NULL) {
		audit(r, "access", arena_printf(r->a, "customer %lld", (long long)id), "refused", why);
		return page_error(r, 404, NULL);
	}
	return 0;
}

/* The order form: the resellers that share this customer (with their agreement standing and
 * MPN IDs), the active offers, the quantity, and the one-time key. */
static int
order_form(struct req *r, int status, const struct order_customer *oc, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, "Place order");
	form_to_tv(f, ctx);
	struct tv *co = tv_obj(ctx, "customer");
	tv_seti(co, "id", oc->c.id);
	tv_set(co, "name", oc->c.name);
	tv_setf(co, "country", "%s (%s)", oc->c.country, oc->c.region_name);
	tv_set(ctx, "problem", problem);

	const char *reseller_sel = form_get(f, "reseller"), *mpn_sel = form_get(f, "mpn_id"), *offer_sel = form_get(f, "offer");
	struct tv *resellers = tv_list(ctx, "resellers");
	sqlite3_stmt *st = db_q(r->store, Q_CUST_SHARED_RESELLERS, QI(oc->provider), QI(oc->c.id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(resellers);
		tv_row(row, st);
		tv_setb(row, "selected", str_eq(reseller_sel, arena_printf(r->a, "%lld", (long long)db_i64(st, 0))));
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < resellers->n; i++) {
		struct tv *row = resellers->items[i];
		struct agreement_view v;
		agreement_reseller_view(r->store, r->a, tv_get(row, "tenant_id")->i, &v);
		tv_set(row, "agreement", v.words);
		tv_setb(row, "signed", v.accepted);
		struct tv *mpns = tv_list(row, "mpns");
		st = db_q(r->store, Q_TENANT_MPNS, QI(tv_get(row, "tenant_id")->i));
		while (db_step(st) == SQLITE_ROW) {
			struct tv *m = tv_push(mpns);
			tv_set(m, "mpn_id", db_text(st, 0));
			tv_set(m, "company", db_text(st, 1));
			tv_setb(m, "selected", str_eq(mpn_sel, db_text(st, 0)));
		}
		sqlite3_reset(st);
	}
	struct tv *offers = tv_list(ctx, "offers");
	st = db_q0(r->store, Q_OFFERS_ACTIVE);
	while (db_step(st) == SQLITE_ROW) {
		struct tv *o = tv_push(offers);
		tv_row(o, st);
		tv_set(o, "price_text", cust_price_text(r->a, db_i64(st, 4), db_text(st, 5)));
		tv_setb(o, "selected", str_eq(offer_sel, db_text(st, 0)));
	}
	sqlite3_reset(st);
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

/* Emails the reseller (Global admins, Admin agents, Billing admins): the provider placed an
 * order for its customer under its MPN ID. */
static int
confirm_to_reseller(struct req *r, const struct cust_order *o, int64_t tenant, int64_t sub, const struct cust_names *n,
    const char *offer_name, const char *unit, int64_t now)
{
	sqlite3_stmt *st = db_q(r->store, Q_REL_TENANT_USERS_WITH_ROLES, QI(tenant),
	    QI(ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(BILLING_ADMIN)));
	const char *to[REQ_MAX_MAIL];
	int k = 0;
	while (db_step(st) == SQLITE_ROW && k < REQ_MAX_MAIL - 1)
		to[k++] = arena_strdup(r->a, db_text(st, 0));
	sqlite3_reset(st);
	for (int i = 0; i < k; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "reseller", n->reseller);
		tv_set(m, "provider", n->provider);
		tv_set(m, "customer", n->customer);
		tv_setf(m, "subscription", "%lld", (long long)sub);
		tv_set(m, "offer", offer_name);
		tv_set(m, "offer_id", o->offer_id);
		tv_set(m, "unit", unit);
		tv_setf(m, "quantity", "%lld", (long long)o->quantity);
		tv_set(m, "mpn", o->mpn_id);
		tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
		tv_set(m, "when", fmt_datetime(r->a, now));
		tv_setf(m, "customer_link", "%s/customers/%lld", r->portal->cfg.base_url, (long long)o->customer);
		if (page_mail(r, to[i], "order-confirmation", m) < 0)
			return -1;
	}
	return 0;
}

/* POST /customers/ID/order — reseller, mpn_id, offer, quantity, order_key. Checks the form
 * (a catalog offer that is active, a quantity from 1 to 10000), then in one transaction every
 * rule of the order; places it as a subscription, emails the reseller a confirmation, and
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
		return page_error(r, 400, "This order form is incomplete. Open Place order again and fill it in.");
	struct cust_order o = { .customer = oc.c.id, .provider = oc.provider, .by_user = r->sess->user_id, .order_key = key };
	if (!str_empty(form_get(&f, "reseller")) && parse_i64(form_get(&f, "reseller"), 1, INT64_MAX, &o.reseller) < 0)
		form_fail(&f, "reseller", "Choose a reseller from the list.");
	o.mpn_id = form_get(&f, "mpn_id");
	size_t ml = strlen(o.mpn_id);
	if (ml > 0 && (ml < 6 || ml > 10 || strspn(o.mpn_id, "0123456789") != ml))
		form_fail(&f, "mpn_id", "Choose one of the reseller's MPN IDs (6 to 10 digits).");
	o.offer_id = form_get(&f, "offer");
	const char *offer_name = NULL, *unit = NULL;
	if (!str_empty(o.offer_id)) {
		sqlite3_stmt *q = db_q(r->store, Q_OFFER_GET, QT(o.offer_id));
		if (db_step(q) == SQLITE_ROW && db_i64(q, 6) == 1) {
			offer_name = arena_strdup(r->a, db_text(q, 1));
			unit = arena_strdup(r->a, db_text(q, 3));
		}
		sqlite3_reset(q);
		if (offer_name == NULL)
			form_fail(&f, "offer", "Choose an offer from the catalog: this one does not exist or can no longer be ordered.");
	}
	const char *qty = form_get(&f, "quantity");
	if (!str_empty(qty) && parse_i64(qty, 1, CUST_QUANTITY_MAX, &o.quantity) < 0)
		form_fail(&f, "quantity", "Enter a whole number from 1 to 10000.");
	if (f.nerrors > 0)
		return order_form(r, 422, &oc, &f, NULL);

	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t existing = 0, now = now_sec();
	sqlite3_stmt *q = db_q(r->store, Q_SUB_BY_KEY, QT(key));
	if (db_step(q) == SQLITE_ROW) {
		existing = db_i64(q, 1) == oc.provider && db_i64(q, 2) == oc.c.id ? db_i64(q, 0) : -1;
	}
	sqlite3_reset(q);
	if (existing < 0)
		return page_error(r, 400, "This order form is not valid here. Open Place order again.");
	if (existing > 0) {
		audit(r, "order.place", oc.c.name, "ok", arena_printf(r->a, "the same order form again: subscription %lld, nothing added", (long long)existing));
		return resp_redirect(r, arena_printf(r->a, "/customers/%lld?m=order-already-placed", (long long)oc.c.id));
	}
	struct cust_facts facts;
	struct cust_names names;
	bool failed;
	enum cust_refusal why = cust_order_check(r->store, r->a, &o, &facts, &names, &failed);
	if (failed)
		return page_error(r, 500, NULL);
	if (why != CR_OK) {
		audit(r, "order.place", oc.c.name, "refused", arena_printf(r->a, "%s; reseller account %lld, %s, quantity %lld, MPN ID %s",
		    cust_refusal_code(why), (long long)o.reseller, o.offer_id, (long long)o.quantity, o.mpn_id));
		return order_form(r, cust_refusal_status(why), &oc, &f, cust_refusal_text(r->a, &facts, why, &names));
	}
	int64_t sub = cust_order_insert(r->store, &o, now, &existing);
	if (sub < 0)
		return page_error(r, 500, NULL);
	if (sub == 0)		/* cannot happen inside BEGIN IMMEDIATE, but never two subscriptions */
		return resp_redirect(r, arena_printf(r->a, "/customers/%lld?m=order-already-placed", (long long)oc.c.id));
	if (confirm_to_reseller(r, &o, facts.reseller_tenant, sub, &names, offer_name, unit, now) < 0)
		return page_error(r, 500, NULL);
	const char *detail = arena_printf(r->a, "subscription %lld: %lld x %s (%s) for %s, on behalf of %s, MPN ID %s",
	    (long long)sub, (long long)o.quantity, offer_name, o.offer_id, names.customer, names.reseller, o.mpn_id);
	audit(r, "order.place", oc.c.name, "ok", detail);
	/* The reseller's and the customer's logs too. */
	int64_t tenants[2] = { facts.reseller_tenant, facts.customer_tenant };
	for (int k = 0; k < 2; k++) {
		struct audit_entry *e = audit(r, "subscription.create", k ? names.reseller : names.customer, "ok", detail);
		if (e != NULL)
			e->tenant_id = tenants[k];
	}
	return resp_redirect(r, arena_printf(r->a, "/customers/%lld?m=order-placed", (long long)oc.c.id));
}
