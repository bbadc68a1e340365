/* test_store_customers.c — the customers and offers areas of the store (store/customers.c,
 * store/offers.c) against real rows in a :memory: database: customer invitations and their
 * derived state, customer relationships, the partners' lists of customers (four orders,
 * paging), one customer's relationships and shared partners, a customer's own partners,
 * subscriptions and their order keys, and the offer catalog. */
#include "unit.h"

#include "base/paging.h"

/* The customers world (unit.h) and more: reseller Litware (lw.example, NL), related to
 * Northwind too; the customer organization contoso (co.example, NL); a user of Northwind,
 * Adatum and Tailspin (Nora, Ada, Tim); the inactive offer OLD. */
static struct unit_customers W;
static struct unit_ids LITWARE;
static int64_t REL_LITWARE, CONTOSO, NORA, ADA, TIM;

static void
world(void)
{
	W = unit_customers_world();
	LITWARE = unit_partner(.name = "Litware", .domain = "lw.example", .country = "NL", .type = PT_INDIRECT_RESELLER,
	    .status = PA_APPROVED);
	REL_LITWARE = unit_rel(W.northwind.account, LITWARE.account, 1);
	CONTOSO = unit_org(.name = "contoso", .domain = "co.example", .country = "NL", .kind = TENANT_CUSTOMER);
	NORA = unit_user(.tenant = W.northwind.tenant, .email = "nora@nw.example", .name = "Nora", .roles = 1);
	ADA = unit_user(.tenant = W.adatum.tenant, .email = "ada@ad.example", .name = "Ada", .roles = 1);
	TIM = unit_user(.tenant = W.tailspin, .email = "tim@ts.example", .name = "Tim", .roles = 1);
	unit_offer(.id = "OLD", .name = "Old", .description = "", .unit = "user/month", .price_cents = 500, .currency = "USD",
	    .active = false);
}

/* Northwind's order of 4 STD for Tailspin on Adatum's behalf, at 40. */
static void
one_subscription(void)
{
	struct subscription_new n = { .customer = W.tailspin, .provider = W.northwind.account, .reseller = W.adatum.account,
		.mpn_id = "5100003", .offer_id = "STD", .quantity = 4, .created_at = 40, .order_key = "key-0123456789abcdef" };
	ck_assert_int_gt(st_sub_insert(&DB, &n), 0);
}

START_TEST(invitations_state_and_pages)
{
	world();
	struct customer_invitation in = { .reseller_id = W.adatum.account, .provider_id = W.northwind.account,
		.email = "tim@ts.example", .message = "Hi", .delegated_admin = true, .created_at = 10, .created_by = ADA,
		.expires_at = 100 };
	int64_t a = st_cinv_insert(&DB, &in);
	in.email = "eve@ts.example";
	in.created_by = 0;
	in.expires_at = 200;
	int64_t b = st_cinv_insert(&DB, &in);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, a);
	/* Pending until its expiry; another reseller or address has none. */
	ck_assert_int_eq(st_cinv_pending_to(&DB, W.adatum.account, W.northwind.account, "tim@ts.example", 99), a);
	ck_assert_int_eq(st_cinv_pending_to(&DB, W.adatum.account, W.northwind.account, "TIM@ts.example", 99), a);
	ck_assert_int_eq(st_cinv_pending_to(&DB, W.adatum.account, W.northwind.account, "tim@ts.example", 100), 0);
	ck_assert_int_eq(st_cinv_pending_to(&DB, LITWARE.account, W.northwind.account, "tim@ts.example", 99), 0);

	struct customer_invitation got;
	ck_assert_int_eq(st_cinv_get(&DB, &A, a, 50, &got), 1);
	ck_assert_str_eq(got.email, "tim@ts.example");
	ck_assert_str_eq(got.message, "Hi");
	ck_assert_str_eq(got.inviter_name, "Ada");
	ck_assert_str_eq(got.inviter_email, "ada@ad.example");
	ck_assert(got.delegated_admin);
	ck_assert_int_eq(got.status, INV_PENDING);
	ck_assert_int_eq(got.state, INV_PENDING);
	ck_assert_int_eq(got.created_by, ADA);
	ck_assert_int_eq(st_cinv_get(&DB, &A, a, 100, &got), 1);
	ck_assert_int_eq(got.status, INV_PENDING);
	ck_assert_int_eq(got.state, INV_EXPIRED);
	ck_assert_int_eq(st_cinv_get(&DB, &A, b, 50, &got), 1);
	ck_assert_str_eq(got.inviter_name, "");
	ck_assert_int_eq(got.created_by, 0);
	ck_assert_int_eq(st_cinv_get(&DB, &A, 999, 50, &got), 0);

	ck_assert_int_eq(st_cinv_accept(&DB, b, 200, TIM, W.tailspin, 150), 1);
	ck_assert_int_eq(st_cinv_get(&DB, &A, b, 150, &got), 1);
	ck_assert_int_eq(got.state, INV_ACCEPTED);
	ck_assert_int_eq(got.accepted_at, 150);
	ck_assert_int_eq(got.customer_tenant_id, W.tailspin);
	ck_assert_str_eq(got.customer_name, "Tailspin");

	/* The list: newest first, states at now, paged. */
	ck_assert_int_eq(st_cinv_count(&DB, W.adatum.account, W.northwind.account), 2);
	ck_assert_int_eq(st_cinv_count(&DB, LITWARE.account, W.northwind.account), 0);
	struct paging p = paging_at(2, 1, 20);
	struct cinv_list l;
	ck_assert_int_eq(st_cinv_page(&DB, &A, W.adatum.account, W.northwind.account, 150, &p, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].id, b);
	ck_assert_int_eq(l.v[0].state, INV_ACCEPTED);
	ck_assert_str_eq(l.v[0].customer, "Tailspin");
	ck_assert_int_eq(l.v[1].state, INV_EXPIRED);
	ck_assert_str_eq(l.v[1].customer, "");
	p = paging_at(2, 2, 1);
	ck_assert_int_eq(st_cinv_page(&DB, &A, W.adatum.account, W.northwind.account, 150, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].id, a);
	/* Revoking: the reseller's own pending one only. */
	ck_assert_int_eq(st_cinv_revoke(&DB, a, W.adatum.account, ADA, 160), 1);
	ck_assert_int_eq(st_cinv_revoke(&DB, a, W.adatum.account, ADA, 161), 0);
	ck_assert_int_eq(st_cinv_get(&DB, &A, a, 50, &got), 1);
	ck_assert_int_eq(got.state, INV_REVOKED);
	ck_assert_int_eq(got.revoked_at, 160);
}
END_TEST

START_TEST(relationships_and_the_reseller_side)
{
	world();
	ck_assert_int_eq(st_cust_rel_active(&DB, W.adatum.account, W.tailspin), 0);
	ck_assert_int_eq(st_cust_relate(&DB, W.adatum.account, W.tailspin, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(st_cust_relate(&DB, W.adatum.account, W.tailspin, 0, 0, 0, false, 11), 0);
	ck_assert_int_gt(st_cust_rel_active(&DB, W.adatum.account, W.tailspin), 0);
	unit_sql_exec(DB.h, "UPDATE customer_relationships SET status = 'ended', ended_at = 20");
	ck_assert_int_eq(st_cust_rel_active(&DB, W.adatum.account, W.tailspin), 0);
	ck_assert_int_eq(st_cust_relate(&DB, W.adatum.account, W.tailspin, 0, ADA, TIM, false, 30), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT since * 10 + delegated_admin FROM customer_relationships"), 300);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT invited_by * 100 + accepted_by FROM customer_relationships"),
	    ADA * 100 + TIM);
	/* Litware's tenant resells for Northwind; Tailspin's does not. */
	ck_assert_int_eq(st_cust_resells_for(&DB, LITWARE.tenant, W.northwind.account), 1);
	ck_assert_int_eq(st_cust_resells_for(&DB, W.tailspin, W.northwind.account), 0);
	ck_assert_int_eq(st_rel_end(&DB, REL_LITWARE, "ended", 5), 1);
	ck_assert_int_eq(st_cust_resells_for(&DB, LITWARE.tenant, W.northwind.account), 0);
	/* A provider relationship with its provider's name and status. */
	struct cust_provider_rel r;
	ck_assert_int_eq(st_cust_provider_rel(&DB, &A, W.rel, &r), 1);
	ck_assert_int_eq(r.provider_id, W.northwind.account);
	ck_assert_int_eq(r.reseller_id, W.adatum.account);
	ck_assert_int_eq(r.status, RS_ACTIVE);
	ck_assert_str_eq(r.provider_name, "Northwind");
	ck_assert_int_eq(st_cust_provider_rel(&DB, &A, REL_LITWARE, &r), 1);
	ck_assert_int_eq(r.status, RS_ENDED);
	ck_assert_int_eq(st_cust_provider_rel(&DB, &A, 99, &r), 0);
}
END_TEST

START_TEST(partner_lists_of_customers)
{
	world();
	/* Northwind works with Tailspin (since 20) and contoso (since 10); Adatum with Tailspin. */
	ck_assert_int_eq(st_cust_relate(&DB, W.northwind.account, W.tailspin, 0, 0, 0, false, 20), 1);
	ck_assert_int_eq(st_cust_relate(&DB, W.northwind.account, CONTOSO, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(st_cust_relate(&DB, W.adatum.account, W.tailspin, 0, 0, 0, true, 30), 1);
	ck_assert_int_eq(st_customers_count(&DB, W.northwind.tenant), 2);
	ck_assert_int_eq(st_customers_count(&DB, W.adatum.tenant), 1);
	ck_assert_int_eq(st_customers_count(&DB, W.tailspin), 0);
	struct paging p = paging_at(2, 1, 20);
	struct customer_list l;
	ck_assert_int_eq(st_customers_page(&DB, &A, W.northwind.tenant, false, false, &p, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].name, "contoso");	/* by name, any case */
	ck_assert_str_eq(l.v[0].country, "Netherlands");
	ck_assert(l.v[0].delegated_admin);
	ck_assert(l.v[0].as_provider && !l.v[0].as_reseller);
	ck_assert_int_eq(st_customers_page(&DB, &A, W.northwind.tenant, false, true, &p, &l), 0);
	ck_assert_str_eq(l.v[0].name, "Tailspin");
	ck_assert_int_eq(st_customers_page(&DB, &A, W.northwind.tenant, true, false, &p, &l), 0);
	ck_assert_int_eq(l.v[0].since, 10);
	ck_assert_int_eq(st_customers_page(&DB, &A, W.northwind.tenant, true, true, &p, &l), 0);
	ck_assert_int_eq(l.v[0].since, 20);
	p = paging_at(2, 2, 1);
	ck_assert_int_eq(st_customers_page(&DB, &A, W.northwind.tenant, false, false, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Tailspin");

	/* Shared: Adatum and Northwind both work with Tailspin; one subscription between them. */
	one_subscription();
	ck_assert_int_eq(st_shared_customers_count(&DB, W.adatum.account, W.northwind.account), 1);
	ck_assert_int_eq(st_shared_customers_count(&DB, LITWARE.account, W.northwind.account), 0);
	p = paging_at(1, 1, 20);
	ck_assert_int_eq(st_shared_customers_page(&DB, &A, W.adatum.account, W.northwind.account, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Tailspin");
	ck_assert_int_eq(l.v[0].since, 30);
	ck_assert_int_eq(l.v[0].subscriptions, 1);
	ck_assert(l.v[0].delegated_admin);
	/* The partner list counts the subscriptions its organization took part in. */
	p = paging_at(1, 1, 20);
	ck_assert_int_eq(st_customers_page(&DB, &A, W.adatum.tenant, false, false, &p, &l), 0);
	ck_assert_int_eq(l.v[0].subscriptions, 1);
	ck_assert(l.v[0].as_reseller && !l.v[0].as_provider);
}
END_TEST

START_TEST(one_customer_its_partners_and_subscriptions)
{
	world();
	struct customer_invitation ci = { .reseller_id = W.adatum.account, .provider_id = W.northwind.account,
		.email = "tim@ts.example", .message = "", .created_at = 1, .created_by = ADA, .expires_at = 100 };
	int64_t inv = st_cinv_insert(&DB, &ci);
	ck_assert_int_gt(inv, 0);
	ck_assert_int_eq(st_cust_relate(&DB, W.northwind.account, W.tailspin, inv, ADA, TIM, true, 20), 1);
	ck_assert_int_eq(st_cust_relate(&DB, W.adatum.account, W.tailspin, inv, ADA, TIM, true, 20), 1);
	ck_assert_int_eq(st_cust_relate(&DB, LITWARE.account, W.tailspin, 0, 0, 0, false, 25), 1);
	struct customer_rel_list rels;
	ck_assert_int_eq(st_customer_rels_of(&DB, &A, W.tailspin, W.northwind.tenant, &rels), 0);
	ck_assert_uint_eq(rels.n, 1);
	ck_assert_int_eq(rels.v[0].partner_id, W.northwind.account);
	ck_assert_int_eq(rels.v[0].type, PT_INDIRECT_PROVIDER);
	ck_assert_str_eq(rels.v[0].invited_by, "Ada");
	ck_assert_str_eq(rels.v[0].accepted_by, "Tim");
	ck_assert_int_eq(rels.v[0].invitation_id, inv);
	ck_assert_int_eq(st_customer_rels_of(&DB, &A, W.tailspin, LITWARE.tenant, &rels), 0);
	ck_assert_int_eq(rels.v[0].invitation_id, 0);
	ck_assert_str_eq(rels.v[0].invited_by, "");
	ck_assert_int_eq(st_customer_rels_of(&DB, &A, CONTOSO, W.northwind.tenant, &rels), 0);
	ck_assert_uint_eq(rels.n, 0);

	struct shared_partner_list sp;
	ck_assert_int_eq(st_shared_resellers(&DB, &A, W.northwind.account, W.tailspin, &sp), 0);
	ck_assert_uint_eq(sp.n, 2);
	ck_assert_str_eq(sp.v[0].name, "Adatum");
	ck_assert_int_eq(sp.v[0].account_id, W.adatum.account);
	ck_assert_int_eq(sp.v[0].tenant_id, W.adatum.tenant);
	ck_assert_str_eq(sp.v[0].mpn, "5100003");
	ck_assert_str_eq(sp.v[1].mpn, "");
	ck_assert_int_eq(st_shared_providers(&DB, &A, W.adatum.account, W.tailspin, &sp), 0);
	ck_assert_uint_eq(sp.n, 1);
	ck_assert_str_eq(sp.v[0].name, "Northwind");
	ck_assert_int_eq(sp.v[0].rel_id, W.rel);
	ck_assert_int_eq(st_shared_providers(&DB, &A, W.adatum.account, CONTOSO, &sp), 0);
	ck_assert_uint_eq(sp.n, 0);

	struct customer_partner_list cp;
	ck_assert_int_eq(st_customer_partners(&DB, &A, W.tailspin, &cp), 0);
	ck_assert_uint_eq(cp.n, 3);
	ck_assert_str_eq(cp.v[0].name, "Adatum");
	ck_assert_int_eq(cp.v[0].type, PT_INDIRECT_RESELLER);
	ck_assert_str_eq(cp.v[0].country, "France");
	ck_assert_str_eq(cp.v[0].mpn, "5100003");
	ck_assert_str_eq(cp.v[1].name, "Litware");
	ck_assert_str_eq(cp.v[2].support_email, "help@nw.example");
	ck_assert_str_eq(cp.v[2].support_website, "https://nw.example");

	/* Subscriptions: Northwind for Adatum; another by Northwind for Litware. */
	struct subscription_new n = { .customer = W.tailspin, .provider = W.northwind.account, .reseller = W.adatum.account,
		.mpn_id = "5100003", .offer_id = "STD", .quantity = 5, .created_at = 50, .created_by = NORA,
		.order_key = "key-one-1234567890" };
	int64_t s1 = st_sub_insert(&DB, &n);
	ck_assert_int_gt(s1, 0);
	ck_assert_int_eq(st_sub_insert(&DB, &n), 0);
	n.reseller = LITWARE.account;
	n.created_by = 0;
	n.order_key = "key-two-1234567890";
	int64_t s2 = st_sub_insert(&DB, &n);
	ck_assert_int_gt(s2, s1);
	unit_sql_exec(DB.h, "UPDATE subscriptions SET status = 'suspended' WHERE order_key = 'key-two-1234567890'");
	int64_t id, provider, customer;
	ck_assert_int_eq(st_sub_by_key(&DB, "key-one-1234567890", &id, &provider, &customer), 1);
	ck_assert_int_eq(id, s1);
	ck_assert_int_eq(provider, W.northwind.account);
	ck_assert_int_eq(customer, W.tailspin);
	ck_assert_int_eq(st_sub_by_key(&DB, "no-such-key-123456", &id, &provider, &customer), 0);
	struct subscription_list subs;
	ck_assert_int_eq(st_subscriptions(&DB, &A, W.tailspin, 0, &subs), 0);
	ck_assert_uint_eq(subs.n, 2);
	ck_assert_int_eq(subs.v[0].id, s2);
	ck_assert_int_eq(subs.v[0].status, SUB_SUSPENDED);
	ck_assert_str_eq(subs.v[0].reseller, "Litware");
	ck_assert_str_eq(subs.v[0].ordered_by, "");
	ck_assert_int_eq(subs.v[1].status, SUB_ACTIVE);
	ck_assert_str_eq(subs.v[1].offer, "Standard");
	ck_assert_str_eq(subs.v[1].unit, "user/month");
	ck_assert_str_eq(subs.v[1].provider, "Northwind");
	ck_assert_str_eq(subs.v[1].ordered_by, "Nora");
	ck_assert_int_eq(subs.v[1].quantity, 5);
	/* A partner sees those it took part in. */
	ck_assert_int_eq(st_subscriptions(&DB, &A, W.tailspin, W.adatum.tenant, &subs), 0);
	ck_assert_uint_eq(subs.n, 1);
	ck_assert_int_eq(subs.v[0].id, s1);
	ck_assert_int_eq(st_subscriptions(&DB, &A, W.tailspin, W.northwind.tenant, &subs), 0);
	ck_assert_uint_eq(subs.n, 2);
	ck_assert_int_eq(st_subscriptions(&DB, &A, CONTOSO, 0, &subs), 0);
	ck_assert_uint_eq(subs.n, 0);
}
END_TEST

START_TEST(offer_catalog)
{
	world();
	struct offer o;
	ck_assert_int_eq(st_offer_get(&DB, &A, "STD", &o), 1);
	ck_assert_str_eq(o.name, "Standard");
	ck_assert_int_eq(o.price_cents, 1250);
	ck_assert(o.active);
	ck_assert_int_eq(st_offer_get(&DB, &A, "NONE", &o), 0);
	ck_assert_int_eq(st_offer_exists(&DB, "OLD"), 1);
	ck_assert_int_eq(st_offer_exists(&DB, "NONE"), 0);
	struct offer_list l;
	ck_assert_int_eq(st_offers(&DB, &A, true, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].id, "STD");
	ck_assert_int_eq(st_offers(&DB, &A, false, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].id, "OLD");
	ck_assert(!l.v[0].active);
	/* Upsert: new, the same again (no change), changed. */
	struct offer n = { .id = "NEW", .name = "New", .description = "", .unit = "TB/month", .price_cents = 200,
		.currency = "EUR", .active = true };
	ck_assert_int_eq(st_offer_upsert(&DB, &n, 5), 1);
	ck_assert_int_eq(st_offer_upsert(&DB, &n, 6), 0);
	n.price_cents = 300;
	ck_assert_int_eq(st_offer_upsert(&DB, &n, 7), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT price_cents * 10 + updated_at FROM offers WHERE offer_id = 'NEW'"), 3007);
	/* Subscriptions are counted per offer. */
	one_subscription();
	ck_assert_int_eq(st_offers(&DB, &A, false, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[2].id, "STD");
	ck_assert_int_eq(l.v[2].subscriptions, 1);
	ck_assert_int_eq(l.v[0].subscriptions, 0);
}
END_TEST

UNIT_MAIN("store_customers",
	unit_case("rows", unit_db_setup, unit_db_teardown, UNIT_TESTS(invitations_state_and_pages,
	    relationships_and_the_reseller_side, partner_lists_of_customers,
	    one_customer_its_partners_and_subscriptions, offer_catalog)))
