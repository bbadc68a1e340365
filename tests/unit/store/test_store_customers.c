/* test_store_customers.c — the customers and offers areas of the store (store/customers.c,
 * store/offers.c) against real rows in a :memory: database: customer invitations and their
 * derived state, customer relationships, the partners' lists of customers (four orders,
 * paging), one customer's relationships and shared partners, a customer's own partners,
 * subscriptions and their order keys, and the offer catalog. */
#include "unit.h"

#include "base/paging.h"

static struct arena A;
static struct store D;

static void
setup(void)
{
	arena_init(&A, 1 << 20);
	unit_db_open(&D);
}

static void
teardown(void)
{
	db_close(&D);
	arena_free(&A);
}

static void
exec(const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(D.h, sql, NULL, NULL, &err);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

/* Provider Northwind (tenant 1, account 1, DE), resellers Adatum (tenant 2, account 2, FR, MPN
 * 5100003) and Litware (tenant 4, account 4, NL), both related to Northwind; customers
 * Tailspin (tenant 3, DE) and Contoso (tenant 5, NL); a user of each partner; two offers. */
static void
world(void)
{
	exec("INSERT INTO tenants(id, name, domain, country, kind, created_at) VALUES"
	    " (1, 'Northwind', 'nw.example', 'DE', 'partner', 1), (2, 'Adatum', 'ad.example', 'FR', 'partner', 1),"
	    " (3, 'Tailspin', 'ts.example', 'DE', 'customer', 1), (4, 'Litware', 'lw.example', 'NL', 'partner', 1),"
	    " (5, 'contoso', 'co.example', 'NL', 'customer', 1);"
	    "INSERT INTO partner_accounts(id, tenant_id, type, status, created_at, support_email, support_website) VALUES"
	    " (1, 1, 'indirect_provider', 'approved', 1, 'help@nw.example', 'https://nw.example'),"
	    " (2, 2, 'indirect_reseller', 'approved', 1, 'help@ad.example', ''),"
	    " (4, 4, 'indirect_reseller', 'approved', 1, '', '');"
	    "INSERT INTO provider_relationships(id, provider_id, reseller_id, since) VALUES (7, 1, 2, 1), (8, 1, 4, 1);"
	    "INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES ('5100003', 'Adatum', 'FR', 'active');"
	    "INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) VALUES ('5100003', 2, 1);"
	    "INSERT INTO users(id, tenant_id, email, name, roles, created_at) VALUES (11, 1, 'nora@nw.example', 'Nora', 1, 1),"
	    " (12, 2, 'ada@ad.example', 'Ada', 1, 1), (13, 3, 'tim@ts.example', 'Tim', 1, 1);"
	    "INSERT INTO offers(offer_id, name, description, unit, price_cents, currency, active, updated_at) VALUES"
	    " ('STD', 'Standard', 'Apps', 'user/month', 1250, 'USD', 1, 1), ('OLD', 'Old', '', 'user/month', 500, 'USD', 0, 1);");
}

START_TEST(invitations_state_and_pages)
{
	world();
	struct customer_invitation in = { .reseller_id = 2, .provider_id = 1, .email = "tim@ts.example", .message = "Hi",
		.delegated_admin = true, .created_at = 10, .created_by = 12, .expires_at = 100 };
	int64_t a = st_cinv_insert(&D, &in);
	in.email = "eve@ts.example";
	in.created_by = 0;
	in.expires_at = 200;
	int64_t b = st_cinv_insert(&D, &in);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(b, a);
	/* Pending until its expiry; another reseller or address has none. */
	ck_assert_int_eq(st_cinv_pending_to(&D, 2, 1, "tim@ts.example", 99), a);
	ck_assert_int_eq(st_cinv_pending_to(&D, 2, 1, "TIM@ts.example", 99), a);
	ck_assert_int_eq(st_cinv_pending_to(&D, 2, 1, "tim@ts.example", 100), 0);
	ck_assert_int_eq(st_cinv_pending_to(&D, 4, 1, "tim@ts.example", 99), 0);

	struct customer_invitation got;
	ck_assert_int_eq(st_cinv_get(&D, &A, a, 50, &got), 1);
	ck_assert_str_eq(got.email, "tim@ts.example");
	ck_assert_str_eq(got.message, "Hi");
	ck_assert_str_eq(got.inviter_name, "Ada");
	ck_assert_str_eq(got.inviter_email, "ada@ad.example");
	ck_assert(got.delegated_admin);
	ck_assert_int_eq(got.status, INV_PENDING);
	ck_assert_int_eq(got.state, INV_PENDING);
	ck_assert_int_eq(got.created_by, 12);
	ck_assert_int_eq(st_cinv_get(&D, &A, a, 100, &got), 1);
	ck_assert_int_eq(got.status, INV_PENDING);
	ck_assert_int_eq(got.state, INV_EXPIRED);
	ck_assert_int_eq(st_cinv_get(&D, &A, b, 50, &got), 1);
	ck_assert_str_eq(got.inviter_name, "");
	ck_assert_int_eq(got.created_by, 0);
	ck_assert_int_eq(st_cinv_get(&D, &A, 999, 50, &got), 0);

	ck_assert_int_eq(st_cinv_accept(&D, b, 200, 13, 3, 150), 1);
	ck_assert_int_eq(st_cinv_get(&D, &A, b, 150, &got), 1);
	ck_assert_int_eq(got.state, INV_ACCEPTED);
	ck_assert_int_eq(got.accepted_at, 150);
	ck_assert_int_eq(got.customer_tenant_id, 3);
	ck_assert_str_eq(got.customer_name, "Tailspin");

	/* The list: newest first, states at now, paged. */
	ck_assert_int_eq(st_cinv_count(&D, 2, 1), 2);
	ck_assert_int_eq(st_cinv_count(&D, 4, 1), 0);
	struct paging p = paging_at(2, 1, 20);
	struct cinv_list l;
	ck_assert_int_eq(st_cinv_page(&D, &A, 2, 1, 150, &p, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].id, b);
	ck_assert_int_eq(l.v[0].state, INV_ACCEPTED);
	ck_assert_str_eq(l.v[0].customer, "Tailspin");
	ck_assert_int_eq(l.v[1].state, INV_EXPIRED);
	ck_assert_str_eq(l.v[1].customer, "");
	p = paging_at(2, 2, 1);
	ck_assert_int_eq(st_cinv_page(&D, &A, 2, 1, 150, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].id, a);
	/* Revoking: the reseller's own pending one only. */
	ck_assert_int_eq(st_cinv_revoke(&D, a, 2, 12, 160), 1);
	ck_assert_int_eq(st_cinv_revoke(&D, a, 2, 12, 161), 0);
	ck_assert_int_eq(st_cinv_get(&D, &A, a, 50, &got), 1);
	ck_assert_int_eq(got.state, INV_REVOKED);
	ck_assert_int_eq(got.revoked_at, 160);
}
END_TEST

START_TEST(relationships_and_the_reseller_side)
{
	world();
	ck_assert_int_eq(st_cust_rel_active(&D, 2, 3), 0);
	ck_assert_int_eq(st_cust_relate(&D, 2, 3, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(st_cust_relate(&D, 2, 3, 0, 0, 0, false, 11), 0);
	ck_assert_int_gt(st_cust_rel_active(&D, 2, 3), 0);
	exec("UPDATE customer_relationships SET status = 'ended', ended_at = 20");
	ck_assert_int_eq(st_cust_rel_active(&D, 2, 3), 0);
	ck_assert_int_eq(st_cust_relate(&D, 2, 3, 0, 12, 13, false, 30), 1);
	ck_assert_int_eq(unit_sql_int(D.h, "SELECT since * 10 + delegated_admin FROM customer_relationships"), 300);
	ck_assert_int_eq(unit_sql_int(D.h, "SELECT invited_by * 100 + accepted_by FROM customer_relationships"), 1213);
	/* Litware's tenant resells for Northwind; Tailspin's does not. */
	ck_assert_int_eq(st_cust_resells_for(&D, 4, 1), 1);
	ck_assert_int_eq(st_cust_resells_for(&D, 3, 1), 0);
	exec("UPDATE provider_relationships SET status = 'ended', ended_at = 5 WHERE id = 8");
	ck_assert_int_eq(st_cust_resells_for(&D, 4, 1), 0);
	/* A provider relationship with its provider's name and status. */
	struct cust_provider_rel r;
	ck_assert_int_eq(st_cust_provider_rel(&D, &A, 7, &r), 1);
	ck_assert_int_eq(r.provider_id, 1);
	ck_assert_int_eq(r.reseller_id, 2);
	ck_assert_int_eq(r.status, RS_ACTIVE);
	ck_assert_str_eq(r.provider_name, "Northwind");
	ck_assert_int_eq(st_cust_provider_rel(&D, &A, 8, &r), 1);
	ck_assert_int_eq(r.status, RS_ENDED);
	ck_assert_int_eq(st_cust_provider_rel(&D, &A, 99, &r), 0);
}
END_TEST

START_TEST(partner_lists_of_customers)
{
	world();
	/* Northwind works with Tailspin (since 20) and contoso (since 10); Adatum with Tailspin. */
	ck_assert_int_eq(st_cust_relate(&D, 1, 3, 0, 0, 0, false, 20), 1);
	ck_assert_int_eq(st_cust_relate(&D, 1, 5, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(st_cust_relate(&D, 2, 3, 0, 0, 0, true, 30), 1);
	ck_assert_int_eq(st_customers_count(&D, 1), 2);
	ck_assert_int_eq(st_customers_count(&D, 2), 1);
	ck_assert_int_eq(st_customers_count(&D, 3), 0);
	struct paging p = paging_at(2, 1, 20);
	struct customer_list l;
	ck_assert_int_eq(st_customers_page(&D, &A, 1, false, false, &p, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].name, "contoso");	/* by name, any case */
	ck_assert_str_eq(l.v[0].country, "Netherlands");
	ck_assert(l.v[0].delegated_admin);
	ck_assert(l.v[0].as_provider && !l.v[0].as_reseller);
	ck_assert_int_eq(st_customers_page(&D, &A, 1, false, true, &p, &l), 0);
	ck_assert_str_eq(l.v[0].name, "Tailspin");
	ck_assert_int_eq(st_customers_page(&D, &A, 1, true, false, &p, &l), 0);
	ck_assert_int_eq(l.v[0].since, 10);
	ck_assert_int_eq(st_customers_page(&D, &A, 1, true, true, &p, &l), 0);
	ck_assert_int_eq(l.v[0].since, 20);
	p = paging_at(2, 2, 1);
	ck_assert_int_eq(st_customers_page(&D, &A, 1, false, false, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Tailspin");

	/* Shared: Adatum and Northwind both work with Tailspin; one subscription between them. */
	exec("INSERT INTO subscriptions(customer_tenant_id, provider_id, reseller_id, mpn_id, offer_id, quantity, created_at,"
	    " order_key) VALUES (3, 1, 2, '5100003', 'STD', 4, 40, 'key-0123456789abcdef')");
	ck_assert_int_eq(st_shared_customers_count(&D, 2, 1), 1);
	ck_assert_int_eq(st_shared_customers_count(&D, 4, 1), 0);
	p = paging_at(1, 1, 20);
	ck_assert_int_eq(st_shared_customers_page(&D, &A, 2, 1, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Tailspin");
	ck_assert_int_eq(l.v[0].since, 30);
	ck_assert_int_eq(l.v[0].subscriptions, 1);
	ck_assert(l.v[0].delegated_admin);
	/* The partner list counts the subscriptions its organization took part in. */
	p = paging_at(1, 1, 20);
	ck_assert_int_eq(st_customers_page(&D, &A, 2, false, false, &p, &l), 0);
	ck_assert_int_eq(l.v[0].subscriptions, 1);
	ck_assert(l.v[0].as_reseller && !l.v[0].as_provider);
}
END_TEST

START_TEST(one_customer_its_partners_and_subscriptions)
{
	world();
	exec("INSERT INTO customer_invitations(id, reseller_id, provider_id, email, created_at, created_by, expires_at)"
	    " VALUES (9, 2, 1, 'tim@ts.example', 1, 12, 100)");
	ck_assert_int_eq(st_cust_relate(&D, 1, 3, 9, 12, 13, true, 20), 1);
	ck_assert_int_eq(st_cust_relate(&D, 2, 3, 9, 12, 13, true, 20), 1);
	ck_assert_int_eq(st_cust_relate(&D, 4, 3, 0, 0, 0, false, 25), 1);
	struct customer_rel_list rels;
	ck_assert_int_eq(st_customer_rels_of(&D, &A, 3, 1, &rels), 0);
	ck_assert_uint_eq(rels.n, 1);
	ck_assert_int_eq(rels.v[0].partner_id, 1);
	ck_assert_int_eq(rels.v[0].type, PT_INDIRECT_PROVIDER);
	ck_assert_str_eq(rels.v[0].invited_by, "Ada");
	ck_assert_str_eq(rels.v[0].accepted_by, "Tim");
	ck_assert_int_eq(rels.v[0].invitation_id, 9);
	ck_assert_int_eq(st_customer_rels_of(&D, &A, 3, 4, &rels), 0);
	ck_assert_int_eq(rels.v[0].invitation_id, 0);
	ck_assert_str_eq(rels.v[0].invited_by, "");
	ck_assert_int_eq(st_customer_rels_of(&D, &A, 5, 1, &rels), 0);
	ck_assert_uint_eq(rels.n, 0);

	struct shared_partner_list sp;
	ck_assert_int_eq(st_shared_resellers(&D, &A, 1, 3, &sp), 0);
	ck_assert_uint_eq(sp.n, 2);
	ck_assert_str_eq(sp.v[0].name, "Adatum");
	ck_assert_int_eq(sp.v[0].account_id, 2);
	ck_assert_int_eq(sp.v[0].tenant_id, 2);
	ck_assert_str_eq(sp.v[0].mpn, "5100003");
	ck_assert_str_eq(sp.v[1].mpn, "");
	ck_assert_int_eq(st_shared_providers(&D, &A, 2, 3, &sp), 0);
	ck_assert_uint_eq(sp.n, 1);
	ck_assert_str_eq(sp.v[0].name, "Northwind");
	ck_assert_int_eq(sp.v[0].rel_id, 7);
	ck_assert_int_eq(st_shared_providers(&D, &A, 2, 5, &sp), 0);
	ck_assert_uint_eq(sp.n, 0);

	struct customer_partner_list cp;
	ck_assert_int_eq(st_customer_partners(&D, &A, 3, &cp), 0);
	ck_assert_uint_eq(cp.n, 3);
	ck_assert_str_eq(cp.v[0].name, "Adatum");
	ck_assert_int_eq(cp.v[0].type, PT_INDIRECT_RESELLER);
	ck_assert_str_eq(cp.v[0].country, "France");
	ck_assert_str_eq(cp.v[0].mpn, "5100003");
	ck_assert_str_eq(cp.v[1].name, "Litware");
	ck_assert_str_eq(cp.v[2].support_email, "help@nw.example");
	ck_assert_str_eq(cp.v[2].support_website, "https://nw.example");

	/* Subscriptions: Northwind for Adatum; another by Northwind for Litware. */
	struct subscription_new n = { .customer = 3, .provider = 1, .reseller = 2, .mpn_id = "5100003", .offer_id = "STD",
		.quantity = 5, .created_at = 50, .created_by = 11, .order_key = "key-one-1234567890" };
	int64_t s1 = st_sub_insert(&D, &n);
	ck_assert_int_gt(s1, 0);
	ck_assert_int_eq(st_sub_insert(&D, &n), 0);
	n.reseller = 4;
	n.created_by = 0;
	n.order_key = "key-two-1234567890";
	int64_t s2 = st_sub_insert(&D, &n);
	ck_assert_int_gt(s2, s1);
	exec("UPDATE subscriptions SET status = 'suspended' WHERE order_key = 'key-two-1234567890'");
	int64_t id, provider, customer;
	ck_assert_int_eq(st_sub_by_key(&D, "key-one-1234567890", &id, &provider, &customer), 1);
	ck_assert_int_eq(id, s1);
	ck_assert_int_eq(provider, 1);
	ck_assert_int_eq(customer, 3);
	ck_assert_int_eq(st_sub_by_key(&D, "no-such-key-123456", &id, &provider, &customer), 0);
	struct subscription_list subs;
	ck_assert_int_eq(st_subscriptions(&D, &A, 3, 0, &subs), 0);
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
	ck_assert_int_eq(st_subscriptions(&D, &A, 3, 2, &subs), 0);
	ck_assert_uint_eq(subs.n, 1);
	ck_assert_int_eq(subs.v[0].id, s1);
	ck_assert_int_eq(st_subscriptions(&D, &A, 3, 1, &subs), 0);
	ck_assert_uint_eq(subs.n, 2);
	ck_assert_int_eq(st_subscriptions(&D, &A, 5, 0, &subs), 0);
	ck_assert_uint_eq(subs.n, 0);
}
END_TEST

START_TEST(offer_catalog)
{
	world();
	struct offer o;
	ck_assert_int_eq(st_offer_get(&D, &A, "STD", &o), 1);
	ck_assert_str_eq(o.name, "Standard");
	ck_assert_int_eq(o.price_cents, 1250);
	ck_assert(o.active);
	ck_assert_int_eq(st_offer_get(&D, &A, "NONE", &o), 0);
	ck_assert_int_eq(st_offer_exists(&D, "OLD"), 1);
	ck_assert_int_eq(st_offer_exists(&D, "NONE"), 0);
	struct offer_list l;
	ck_assert_int_eq(st_offers(&D, &A, true, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].id, "STD");
	ck_assert_int_eq(st_offers(&D, &A, false, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].id, "OLD");
	ck_assert(!l.v[0].active);
	/* Upsert: new, the same again (no change), changed. */
	struct offer n = { .id = "NEW", .name = "New", .description = "", .unit = "TB/month", .price_cents = 200,
		.currency = "EUR", .active = true };
	ck_assert_int_eq(st_offer_upsert(&D, &n, 5), 1);
	ck_assert_int_eq(st_offer_upsert(&D, &n, 6), 0);
	n.price_cents = 300;
	ck_assert_int_eq(st_offer_upsert(&D, &n, 7), 1);
	ck_assert_int_eq(unit_sql_int(D.h, "SELECT price_cents * 10 + updated_at FROM offers WHERE offer_id = 'NEW'"), 3007);
	/* Subscriptions are counted per offer. */
	exec("INSERT INTO subscriptions(customer_tenant_id, provider_id, reseller_id, mpn_id, offer_id, quantity, created_at,"
	    " order_key) VALUES (3, 1, 2, '5100003', 'STD', 4, 40, 'key-0123456789abcdef')");
	ck_assert_int_eq(st_offers(&D, &A, false, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[2].id, "STD");
	ck_assert_int_eq(l.v[2].subscriptions, 1);
	ck_assert_int_eq(l.v[0].subscriptions, 0);
}
END_TEST

static Suite *
store_customers_suite(void)
{
	Suite *s = suite_create("store_customers");
	TCase *t = tcase_create("rows");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, invitations_state_and_pages);
	tcase_add_test(t, relationships_and_the_reseller_side);
	tcase_add_test(t, partner_lists_of_customers);
	tcase_add_test(t, one_customer_its_partners_and_subscriptions);
	tcase_add_test(t, offer_catalog);
	suite_add_tcase(s, t);
	return s;
}

UNIT_MAIN(store_customers_suite)
