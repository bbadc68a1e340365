/* test_customers.c — customers and orders (customers.c, offers.c): the one decision function
 * for accepting a customer invitation and for placing an order — one case per rule and per
 * reason, and the order in which they are checked —, the refusal table, the sentences that
 * name each rule, and the database side (customer relationships, the single-use accept, the
 * order key, the order check against real rows, the offer importer). */
#include "unit.h"

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "domain/customers.h"
#include "domain/offers.h"
#include "base/token.h"

/* ---- the decision: accepting ---- */

/* Facts under which accepting is allowed; each test spoils one. Reseller tenant 10, provider
 * tenant 20, customer tenant 30, all in Europe. */
static struct cust_facts
accept_ok(void)
{
	struct cust_facts f = {
		.action = CUST_ACCEPT, .has_link = true, .token = TOKEN_OK, .token_expires = 2000, .found = true,
		.status = INV_PENDING, .row_expires = 2000, .now = 1000, .signed_in = true, .roles = ROLE_MASK(GLOBAL_ADMIN),
		.reseller_status = PA_APPROVED, .provider_status = PA_APPROVED, .reseller_tenant = 10, .provider_tenant = 20,
		.reseller_region = "EUR", .provider_region = "EUR", .relationship_active = true, .customer_tenant = 30,
		.customer_kind = TENANT_CUSTOMER, .customer_region = "EUR",
	};
	return f;
}

START_TEST(accept_allowed_for_a_global_admin_of_a_customer_organization)
{
	struct cust_facts f = accept_ok();
	ck_assert_int_eq(cust_decide(&f), CR_OK);
	f.roles = ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(BILLING_ADMIN);
	ck_assert_int_eq(cust_decide(&f), CR_OK);
	/* Multi-partner: a customer of one of the two already still accepts (the other is made). */
	f = accept_ok();
	f.customer_of_provider = true;
	ck_assert_int_eq(cust_decide(&f), CR_OK);
	f = accept_ok();
	f.customer_of_reseller = true;
	ck_assert_int_eq(cust_decide(&f), CR_OK);
}
END_TEST

START_TEST(accept_link_reasons)
{
	struct cust_facts f = accept_ok();
	f.has_link = false;
	ck_assert_int_eq(cust_decide(&f), CR_NO_LINK);
	f = accept_ok();
	f.token = TOKEN_MALFORMED;
	ck_assert_int_eq(cust_decide(&f), CR_ALTERED);
	f.token = TOKEN_BAD_MAC;
	ck_assert_int_eq(cust_decide(&f), CR_ALTERED);
	f.token = TOKEN_WRONG_PURPOSE;
	ck_assert_int_eq(cust_decide(&f), CR_FOREIGN);
	f.token = TOKEN_BAD_KEY;
	ck_assert_int_eq(cust_decide(&f), CR_OLD_KEY);
	f.token = TOKEN_EXPIRED;
	ck_assert_int_eq(cust_decide(&f), CR_EXPIRED);
	/* A genuine token naming no invitation, or another expiry than its row's. */
	f = accept_ok();
	f.found = false;
	ck_assert_int_eq(cust_decide(&f), CR_ALTERED);
	f = accept_ok();
	f.row_expires = 2500;
	ck_assert_int_eq(cust_decide(&f), CR_ALTERED);
}
END_TEST

START_TEST(accept_invitation_states)
{
	struct cust_facts f = accept_ok();
	f.status = INV_REVOKED;
	ck_assert_int_eq(cust_decide(&f), CR_REVOKED);
	f.status = INV_ACCEPTED;
	ck_assert_int_eq(cust_decide(&f), CR_USED);
	f.status = INV_EXPIRED;
	ck_assert_int_eq(cust_decide(&f), CR_EXPIRED);
	/* The row's own expiry passed (the token's is the same). */
	f = accept_ok();
	f.now = 2000;
	ck_assert_int_eq(cust_decide(&f), CR_EXPIRED);
}
END_TEST

START_TEST(accept_partner_reasons)
{
	struct cust_facts f = accept_ok();
	f.reseller_status = PA_REJECTED;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_NOT_APPROVED);
	f = accept_ok();
	f.provider_status = PA_IN_REVIEW;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_NOT_APPROVED);
	f = accept_ok();
	f.relationship_active = false;
	ck_assert_int_eq(cust_decide(&f), CR_RELATIONSHIP_INACTIVE);
	/* Signed out: not a refusal, and only once the link and the partners are fine. */
	f = accept_ok();
	f.signed_in = false;
	f.customer_tenant = 0;
	f.customer_kind = TENANT_PARTNER;
	f.customer_region = NULL;
	ck_assert_int_eq(cust_decide(&f), CR_SIGNED_OUT);
	f.relationship_active = false;
	ck_assert_int_eq(cust_decide(&f), CR_RELATIONSHIP_INACTIVE);
}
END_TEST

START_TEST(accept_customer_organization_rules)
{
	/* Scenario 5: the reseller's own work account, or the provider's. */
	struct cust_facts f = accept_ok();
	f.customer_tenant = 10;
	f.customer_kind = TENANT_PARTNER;
	f.customer_has_partner_account = true;
	ck_assert_int_eq(cust_decide(&f), CR_OWN_TENANT);
	f.customer_tenant = 20;
	ck_assert_int_eq(cust_decide(&f), CR_OWN_TENANT);
	/* Scenario 6: another reseller of this provider, with the tenant it uses as a partner. */
	f = accept_ok();
	f.customer_kind = TENANT_PARTNER;
	f.customer_has_partner_account = true;
	f.customer_resells_for_provider = true;
	ck_assert_int_eq(cust_decide(&f), CR_RESELLER_OF_PROVIDER);
	/* Scenario 4: any partner-type tenant: by kind, or by a partner account of any kind. */
	f = accept_ok();
	f.customer_kind = TENANT_PARTNER;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_TENANT);
	f = accept_ok();
	f.customer_has_partner_account = true;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_TENANT);
	/* Scenario 7: the customer's region differs from the reseller's or the provider's. */
	f = accept_ok();
	f.customer_region = "NAM";
	ck_assert_int_eq(cust_decide(&f), CR_OTHER_REGION);
	f = accept_ok();
	f.provider_region = "NAM";
	ck_assert_int_eq(cust_decide(&f), CR_OTHER_REGION);
	f = accept_ok();
	f.reseller_region = "APAC";
	ck_assert_int_eq(cust_decide(&f), CR_OTHER_REGION);
}
END_TEST

START_TEST(accept_user_and_duplicate)
{
	struct cust_facts f = accept_ok();
	f.roles = ROLE_MASK(ACCOUNT_ADMIN) | ROLE_MASK(USER_ADMIN) | ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(SALES_AGENT) |
	    ROLE_MASK(HELPDESK_AGENT) | ROLE_MASK(BILLING_ADMIN);
	ck_assert_int_eq(cust_decide(&f), CR_NOT_GLOBAL_ADMIN);
	f.roles = 0;
	ck_assert_int_eq(cust_decide(&f), CR_NOT_GLOBAL_ADMIN);
	f = accept_ok();
	f.customer_of_reseller = true;
	f.customer_of_provider = true;
	ck_assert_int_eq(cust_decide(&f), CR_ALREADY_CUSTOMER);
}
END_TEST

START_TEST(accept_order_of_checks)
{
	/* Everything wrong at once: the link speaks first, then the partners, then the
	 * organization, then the user. */
	struct cust_facts f = accept_ok();
	f.status = INV_REVOKED;
	f.relationship_active = false;
	f.customer_kind = TENANT_PARTNER;
	f.customer_region = "NAM";
	f.roles = 0;
	ck_assert_int_eq(cust_decide(&f), CR_REVOKED);
	f.status = INV_PENDING;
	ck_assert_int_eq(cust_decide(&f), CR_RELATIONSHIP_INACTIVE);
	f.relationship_active = true;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_TENANT);
	f.customer_kind = TENANT_CUSTOMER;
	ck_assert_int_eq(cust_decide(&f), CR_OTHER_REGION);
	f.customer_region = "EUR";
	ck_assert_int_eq(cust_decide(&f), CR_NOT_GLOBAL_ADMIN);
	/* Own tenant beats scenario 6, which beats the general partner-tenant rule. */
	f = accept_ok();
	f.customer_tenant = 10;
	f.customer_kind = TENANT_PARTNER;
	f.customer_resells_for_provider = true;
	ck_assert_int_eq(cust_decide(&f), CR_OWN_TENANT);
	f.customer_tenant = 40;
	ck_assert_int_eq(cust_decide(&f), CR_RESELLER_OF_PROVIDER);
}
END_TEST

/* ---- the decision: ordering ---- */

static struct cust_facts
order_ok(void)
{
	struct cust_facts f = {
		.action = CUST_ORDER, .now = 1000, .reseller_status = PA_APPROVED, .provider_status = PA_APPROVED,
		.reseller_tenant = 10, .provider_tenant = 20, .reseller_region = "EUR", .provider_region = "EUR",
		.relationship_active = true, .customer_tenant = 30, .customer_kind = TENANT_CUSTOMER, .customer_region = "EUR",
		.customer_of_reseller = true, .customer_of_provider = true, .reseller_gate = GATE_OK, .provider_gate = GATE_OK,
		.mpn_of_reseller = true,
	};
	return f;
}

START_TEST(order_allowed)
{
	struct cust_facts f = order_ok();
	ck_assert_int_eq(cust_decide(&f), CR_OK);
	/* No link, no signed-in customer user: orders do not look at them. */
	f.has_link = false;
	f.signed_in = false;
	f.roles = 0;
	ck_assert_int_eq(cust_decide(&f), CR_OK);
}
END_TEST

START_TEST(order_relationship_and_customer_rules)
{
	struct cust_facts f = order_ok();
	f.relationship_active = false;
	ck_assert_int_eq(cust_decide(&f), CR_RELATIONSHIP_INACTIVE);
	f = order_ok();
	f.customer_of_provider = false;
	ck_assert_int_eq(cust_decide(&f), CR_NOT_CUSTOMER_OF_PROVIDER);
	f = order_ok();
	f.customer_of_reseller = false;
	ck_assert_int_eq(cust_decide(&f), CR_NOT_CUSTOMER_OF_RESELLER);
	f = order_ok();
	f.customer_region = "LAT";
	ck_assert_int_eq(cust_decide(&f), CR_OTHER_REGION);
	f = order_ok();
	f.customer_tenant = 20;
	ck_assert_int_eq(cust_decide(&f), CR_OWN_TENANT);
	f = order_ok();
	f.customer_resells_for_provider = true;
	ck_assert_int_eq(cust_decide(&f), CR_RESELLER_OF_PROVIDER);
	f = order_ok();
	f.customer_kind = TENANT_PARTNER;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_TENANT);
	/* A partner-type tenant is refused as such, never as "not a customer". */
	f.customer_of_provider = false;
	ck_assert_int_eq(cust_decide(&f), CR_PARTNER_TENANT);
}
END_TEST

START_TEST(order_agreement_gates_and_mpn)
{
	static const enum agreement_gate gates[] = { GATE_NO_ACCOUNT, GATE_NOT_APPROVED, GATE_NO_VERSION, GATE_NOT_ACCEPTED, GATE_ERROR };
	for (size_t i = 0; i < NELEM(gates); i++) {
		struct cust_facts f = order_ok();
		f.reseller_gate = gates[i];
		ck_assert_int_eq(cust_decide(&f), CR_RESELLER_GATE);
		f = order_ok();
		f.provider_gate = gates[i];
		ck_assert_int_eq(cust_decide(&f), CR_PROVIDER_GATE);
	}
	struct cust_facts f = order_ok();
	f.reseller_gate = GATE_NOT_ACCEPTED;
	f.provider_gate = GATE_NOT_ACCEPTED;
	ck_assert_int_eq(cust_decide(&f), CR_RESELLER_GATE);
	f = order_ok();
	f.mpn_of_reseller = false;
	ck_assert_int_eq(cust_decide(&f), CR_MPN_NOT_RESELLERS);
	/* The relationships are checked before the agreement. */
	f = order_ok();
	f.reseller_gate = GATE_NOT_ACCEPTED;
	f.customer_of_reseller = false;
	ck_assert_int_eq(cust_decide(&f), CR_NOT_CUSTOMER_OF_RESELLER);
}
END_TEST

/* ---- the refusal table and the sentences ---- */

START_TEST(refusal_codes_statuses_and_links)
{
	for (int i = 0; i < CR__COUNT; i++) {
		ck_assert_str_ne(cust_refusal_code((enum cust_refusal)i), "?");
		ck_assert_int_ge(cust_refusal_status((enum cust_refusal)i), 200);
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(cust_refusal_code((enum cust_refusal)i), cust_refusal_code((enum cust_refusal)k));
	}
	ck_assert_str_eq(cust_refusal_code(CR__COUNT), "?");
	ck_assert_str_eq(cust_refusal_code(CR_RESELLER_OF_PROVIDER), "reseller-of-provider");
	ck_assert_int_eq(cust_refusal_status(CR_USED), 409);
	ck_assert_int_eq(cust_refusal_status(CR_EXPIRED), 410);
	ck_assert_int_eq(cust_refusal_status(CR_ALTERED), 400);
	ck_assert_int_eq(cust_refusal_status(CR_OTHER_REGION), 403);
	/* Problems of the signed-in organization keep the link for the right one. */
	ck_assert(cust_refusal_keeps_link(CR_NOT_GLOBAL_ADMIN));
	ck_assert(cust_refusal_keeps_link(CR_PARTNER_TENANT));
	ck_assert(cust_refusal_keeps_link(CR_OTHER_REGION));
	ck_assert(!cust_refusal_keeps_link(CR_USED));
	ck_assert(!cust_refusal_keeps_link(CR_ALTERED));
	ck_assert(!cust_refusal_keeps_link(CR_RELATIONSHIP_INACTIVE));
}
END_TEST

START_TEST(every_rule_has_its_own_sentence)
{
	struct cust_names n = {
		.reseller = "Adatum", .provider = "Northwind", .customer = "Tailspin", .customer_country = "United States",
		.customer_region = "North America", .partner_region = "Europe",
		.reseller_gate = "The organization has not accepted version 2025-01 of the Partner Agreement (MPA).",
		.provider_gate = "No version of the Partner Agreement (MPA) has been published yet.", .mpn = "9999999",
		.admins = "Gale Admin (ga@tailspin.example)",
	};
	struct cust_facts f = accept_ok();
	ck_assert_ptr_null(cust_refusal_text(&A, &f, CR_OK, &n));
	ck_assert_ptr_null(cust_refusal_text(&A, &f, CR_SIGNED_OUT, &n));
	for (int i = 1; i < CR__COUNT; i++) {
		if (i == CR_SIGNED_OUT)
			continue;
		const char *t = cust_refusal_text(&A, &f, (enum cust_refusal)i, &n);
		ck_assert_ptr_nonnull(t);
		for (int k = 1; k < i; k++)
			if (k != CR_SIGNED_OUT)
				ck_assert_str_ne(t, cust_refusal_text(&A, &f, (enum cust_refusal)k, &n));
	}
	ck_assert_str_eq(cust_refusal_text(&A, &f, CR_OTHER_REGION, &n),
	    "Rule: partners sell only to customers in their own region. Tailspin is in United States (North America), and Adatum and Northwind work in Europe.");
	f.customer_tenant = 10;
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_OWN_TENANT, &n), "is the work account Adatum uses in the program") != NULL);
	f.customer_tenant = 20;
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_OWN_TENANT, &n), "is the work account Northwind uses in the program") != NULL);
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_RESELLER_OF_PROVIDER, &n), "must use another work account") != NULL);
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_PARTNER_TENANT, &n), "a partner's work account cannot be a customer") != NULL);
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_NOT_GLOBAL_ADMIN, &n), "Ask Gale Admin (ga@tailspin.example) of Tailspin") != NULL);
	f = order_ok();
	ck_assert_str_eq(cust_refusal_text(&A, &f, CR_RESELLER_GATE, &n),
	    "Rule: a provider orders on behalf of a reseller only when the reseller may transact: approved, with the current partner agreement accepted. Adatum cannot yet: the organization has not accepted version 2025-01 of the Partner Agreement (MPA). No order was placed.");
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_PROVIDER_GATE, &n), "Northwind cannot yet: no version of the Partner Agreement") != NULL);
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_MPN_NOT_RESELLERS, &n), "9999999 is not an MPN ID of Adatum") != NULL);
	ck_assert(strstr(cust_refusal_text(&A, &f, CR_RELATIONSHIP_INACTIVE, &n), "No order was placed") != NULL);
	/* Names missing: still a sentence. */
	struct cust_names none = { 0 };
	ck_assert_ptr_nonnull(cust_refusal_text(&A, &f, CR_NOT_CUSTOMER_OF_RESELLER, &none));
}
END_TEST

/* Issue 13/14: which answers of the check before sending are warnings the inviter may send
 * past (the form's "Send it anyway", the API's "confirm": true), and their sentences. */
START_TEST(precheck_warnings_and_refusals)
{
	ck_assert(cust_precheck_warns(CR_PARTNER_TENANT, false));
	ck_assert(cust_precheck_warns(CR_RESELLER_OF_PROVIDER, true));
	ck_assert(cust_precheck_warns(CR_OK, true));
	ck_assert(!cust_precheck_warns(CR_OK, false));
	const enum cust_refusal refused[] = { CR_OWN_TENANT, CR_OTHER_REGION, CR_ALREADY_CUSTOMER };
	for (size_t i = 0; i < NELEM(refused); i++) {
		ck_assert(!cust_precheck_warns(refused[i], false));
		ck_assert(!cust_precheck_warns(refused[i], true));
	}
	ck_assert_str_eq(cust_precheck_warning(&A, CR_PARTNER_TENANT, "Tailspin is a partner's work account."),
	    "Tailspin is a partner's work account. The recipient can still create a separate customer organization from the link.");
	ck_assert(strstr(cust_precheck_warning(&A, CR_OK, NULL), "has not accepted the current partner agreement") != NULL);
}
END_TEST

START_TEST(order_keys_and_prices)
{
	const char *k1 = cust_order_key(&A), *k2 = cust_order_key(&A);
	ck_assert_uint_eq(strlen(k1), CUST_ORDER_KEY_LEN);
	ck_assert_str_ne(k1, k2);
	ck_assert(cust_order_key_valid(k1));
	ck_assert(cust_order_key_valid("demo-tailspin-business-standard"));
	ck_assert(!cust_order_key_valid("short"));
	ck_assert(!cust_order_key_valid(NULL));
	ck_assert(!cust_order_key_valid("has a space in it ok"));
	ck_assert_str_eq(cust_price_text(&A, 1250, "USD"), "12.50 USD");
	ck_assert_str_eq(cust_price_text(&A, 5, "EUR"), "0.05 EUR");
	int64_t c;
	ck_assert_int_eq(offers_parse_price("12.5", &c), 0);
	ck_assert_int_eq(c, 1250);
	ck_assert_int_eq(offers_parse_price("7", &c), 0);
	ck_assert_int_eq(c, 700);
	ck_assert_int_eq(offers_parse_price("0.99", &c), 0);
	ck_assert_int_eq(c, 99);
	ck_assert_int_eq(offers_parse_price("1000000", &c), 0);
	ck_assert_int_eq(offers_parse_price("1000000.01", &c), -1);
	ck_assert_int_eq(offers_parse_price("1.234", &c), -1);
	ck_assert_int_eq(offers_parse_price("-1", &c), -1);
	ck_assert_int_eq(offers_parse_price("1,50", &c), -1);
	ck_assert_int_eq(offers_parse_price("", &c), -1);
	ck_assert_int_eq(offers_parse_price("1.", &c), -1);
	ck_assert_int_eq(offers_parse_price(".5", &c), -1);
}
END_TEST

START_TEST(invite_token_is_purpose_bound)
{
	char *t = cust_invite_token(&A, 42, 5000);
	struct token tok;
	ck_assert_int_eq(token_open(t, TP_CUSTOMER_INVITE, 4000, &tok), TOKEN_OK);
	ck_assert_int_eq(tok.row, 42);
	ck_assert_int_eq(token_open(t, TP_RESELLER_INVITE, 4000, &tok), TOKEN_WRONG_PURPOSE);
}
END_TEST

/* ---- database ---- */

/* The customers world (unit.h: Northwind, tenant and account 1; Adatum, tenant and account
 * 2; Tailspin, tenant 3; related; one offer), with Northwind's MPN ID 4100001 and the
 * agreement 2025-01 published and accepted by the provider only. */
static struct unit_customers W;
static int64_t V1;			/* the agreement's version 2025-01 */

static void
world(void)
{
	W = unit_customers_world();
	unit_mpn("4100001", "Northwind", "DE", W.northwind.tenant, 1);
	V1 = unit_publish("2025-01", 1);
	unit_accept(W.northwind.tenant, V1, 2);
}

/* Reseller Litware (lw.example) in country, related to Northwind since 1: its ids; the
 * relationship in *rel (unless NULL). */
static struct unit_ids
litware(const char *country, int64_t *rel)
{
	struct unit_ids lw = unit_partner(.name = "Litware", .domain = "lw.example", .country = country,
	    .type = PT_INDIRECT_RESELLER, .status = PA_APPROVED);
	int64_t r = unit_rel(W.northwind.account, lw.account, 1);
	if (rel != NULL)
		*rel = r;
	return lw;
}

START_TEST(customer_relationships_one_per_partner_and_customer)
{
	world();
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, true, 100), 1);
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, false, 101), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT delegated_admin FROM customer_relationships WHERE partner_id = 2"), 1);
	ck_assert_int_ne(sqlite3_exec(DB.h, "INSERT INTO customer_relationships(partner_id, customer_tenant_id, since) VALUES (2, 3, 5)",
	    NULL, NULL, NULL), SQLITE_OK);
	/* Ended, then made again: the same row, active. */
	unit_sql_exec(DB.h, "UPDATE customer_relationships SET status = 'ended', ended_at = 150 WHERE partner_id = 2");
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, false, 200), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM customer_relationships"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT since * 10 + delegated_admin FROM customer_relationships WHERE status = 'active'"), 2000);
}
END_TEST

START_TEST(invitation_accept_is_single_use_and_bound_to_expiry)
{
	world();
	int64_t inv = st_cinv_insert(&DB, &(struct customer_invitation){ .reseller_id = 2, .provider_id = 1,
	    .email = "ga@ts.example", .message = "", .delegated_admin = true, .created_at = 10, .expires_at = 5000 });
	ck_assert_int_gt(inv, 0);
	ck_assert_int_eq(st_cinv_accept(&DB, inv, 4999, 0, 3, 100), 0);
	ck_assert_int_eq(st_cinv_accept(&DB, inv, 5000, 0, 3, 5000), 0);
	ck_assert_int_eq(st_cinv_accept(&DB, inv, 5000, 0, 3, 100), 1);
	ck_assert_int_eq(st_cinv_accept(&DB, inv, 5000, 0, 3, 101), 0);
	/* Accepted: not revocable; another reseller cannot revoke a pending one either. */
	ck_assert_int_eq(st_cinv_revoke(&DB, inv, 2, 0, 200), 0);
	int64_t inv2 = st_cinv_insert(&DB, &(struct customer_invitation){ .reseller_id = 2, .provider_id = 1,
	    .email = "x@ts.example", .message = "", .created_at = 10, .expires_at = 5000 });
	ck_assert_int_gt(inv2, 0);
	ck_assert_int_eq(st_cinv_revoke(&DB, inv2, 1, 0, 200), 0);
	ck_assert_int_eq(st_cinv_revoke(&DB, inv2, 2, 0, 200), 1);
	struct customer_invitation ci;
	ck_assert_int_eq(cust_invitation_load(&DB, &A, inv, 100, &ci), 1);
	ck_assert_int_eq(ci.state, INV_ACCEPTED);
	ck_assert_int_eq(ci.customer_tenant_id, 3);
	ck_assert_str_eq(ci.customer_name, "Tailspin");
	ck_assert_int_eq(cust_invitation_load(&DB, &A, inv2, 100, &ci), 1);
	ck_assert_int_eq(ci.state, INV_REVOKED);
	ck_assert_int_eq(cust_invitation_load(&DB, &A, 999, 100, &ci), 0);
}
END_TEST

START_TEST(accept_gather_reads_the_rows)
{
	world();
	int64_t inv = st_cinv_insert(&DB, &(struct customer_invitation){ .reseller_id = 2, .provider_id = 1,
	    .email = "ga@ts.example", .message = "Hi", .delegated_admin = true, .created_at = 10, .expires_at = 5000 });
	ck_assert_int_gt(inv, 0);
	char *t = cust_invite_token(&A, inv, 5000);
	struct cust_accept v;
	/* Signed out. */
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 0, 0, 100, &v), 0);
	ck_assert_int_eq(v.why, CR_SIGNED_OUT);
	ck_assert_str_eq(v.reseller.name, "Adatum");
	ck_assert_str_eq(v.provider.name, "Northwind");
	/* The customer's Global admin. */
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 3, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_OK);
	/* The reseller's own tenant, the provider's, then a reseller of the provider. */
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 2, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_OWN_TENANT);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 1, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_OWN_TENANT);
	int64_t lw_rel;
	struct unit_ids lw = litware("NL", &lw_rel);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, lw.tenant, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_RESELLER_OF_PROVIDER);
	/* The same reseller, no longer related: a partner tenant all the same. */
	ck_assert_int_eq(st_rel_end(&DB, lw_rel, "ended", 5), 1);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, lw.tenant, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_PARTNER_TENANT);
	/* A customer in another region. */
	int64_t wingtip = unit_org(.name = "Wingtip", .domain = "wt.example", .country = "US", .kind = TENANT_CUSTOMER);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, wingtip, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_OTHER_REGION);
	ck_assert_str_eq(v.names.customer_country, "United States");
	/* The relationship ended. */
	ck_assert_int_eq(st_rel_end(&DB, W.rel, "ended", 5), 1);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 3, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_RELATIONSHIP_INACTIVE);
	/* A foreign link. */
	ck_assert_int_eq(cust_accept_gather(&DB, &A, token_make(&A, TP_PASSWORD_RESET, inv, 5000), 3, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_FOREIGN);
}
END_TEST

START_TEST(order_check_and_insert_against_rows)
{
	world();
	struct cust_order o = { .customer = 3, .provider = 1, .reseller = 2, .mpn_id = "5100003", .offer_id = "STD",
	    .quantity = 5, .by_user = 0, .order_key = "key-one-1234567890" };
	struct cust_facts f;
	struct cust_names n;
	bool failed;
	/* Not yet a customer of either. */
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_NOT_CUSTOMER_OF_PROVIDER);
	ck_assert(!failed);
	ck_assert_int_eq(cust_relate(&DB, 1, 3, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_NOT_CUSTOMER_OF_RESELLER);
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, true, 10), 1);
	/* The reseller has not accepted the agreement. */
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_RESELLER_GATE);
	ck_assert(strstr(n.reseller_gate, "has not accepted version 2025-01") != NULL);
	unit_accept(W.adatum.tenant, V1, 3);
	/* The provider's own MPN ID is not the reseller's. */
	o.mpn_id = "4100001";
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_MPN_NOT_RESELLERS);
	o.mpn_id = "5100003";
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_OK);
	/* Placed once per key. */
	int64_t existing = -1;
	int64_t sub = cust_order_insert(&DB, &o, 50, &existing);
	ck_assert_int_gt(sub, 0);
	ck_assert_int_eq(existing, 0);
	ck_assert_int_eq(cust_order_insert(&DB, &o, 51, &existing), 0);
	ck_assert_int_eq(existing, sub);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM subscriptions"), 1);
	/* The same key for another customer: not that subscription. */
	struct cust_order other = o;
	other.customer = 2;
	ck_assert_int_eq(cust_order_insert(&DB, &other, 52, &existing), 0);
	ck_assert_int_eq(existing, 0);
	/* A new version: the provider must accept again. */
	unit_accept(W.adatum.tenant, unit_publish("2026-01", 9), 10);
	o.order_key = "key-two-1234567890";
	ck_assert_int_eq(cust_order_check(&DB, &A, &o, &f, &n, &failed), CR_PROVIDER_GATE);
	/* Swapped roles: a provider id as the reseller is no relationship at all. */
	struct cust_order swapped = o;
	swapped.reseller = 1;
	swapped.provider = 2;
	ck_assert_int_eq(cust_order_check(&DB, &A, &swapped, &f, &n, &failed), CR_RELATIONSHIP_INACTIVE);
	/* The quantity range is the table's too. */
	ck_assert_int_ne(sqlite3_exec(DB.h, "INSERT INTO subscriptions(customer_tenant_id, provider_id, reseller_id, mpn_id, offer_id,"
	    " quantity, created_at, order_key) VALUES (3, 1, 2, '5100003', 'STD', 10001, 1, 'key-three-123456789')", NULL, NULL, NULL), SQLITE_OK);
}
END_TEST

START_TEST(order_place_reads_decides_and_writes_in_the_write_transaction)
{
	world();
	ck_assert_int_eq(cust_relate(&DB, 1, 3, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, true, 10), 1);
	struct cust_order o = { .customer = 3, .provider = 1, .reseller = 2, .mpn_id = "5100003", .offer_id = "STD",
	    .quantity = 5, .by_user = 0, .order_key = "key-place-1234567890" };
	struct cust_order_result res;
	/* No write transaction, no write promise: nothing is read or written. */
	ck_assert_int_eq(cust_order_place(&DB, &A, &o, 50, &res), -1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM subscriptions"), 0);
	/* A reseller the provider never worked with (none at all, or the provider's own
	 * account) is a foreign id: nothing is decided about it, so nothing names it (issue 12,
	 * item 1). */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	const int64_t strangers[] = { 99, 1 };
	for (size_t i = 0; i < 2; i++) {
		struct cust_order stranger = o;
		stranger.reseller = strangers[i];
		ck_assert_int_eq(cust_order_place(&DB, &A, &stranger, 50, &res), 0);
		ck_assert_int_eq(res.outcome, ORDER_UNKNOWN_RESELLER);
		ck_assert_ptr_null(res.n.reseller);
	}
	store_rollback(&DB);
	/* Refused: the reseller has not accepted the agreement. */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(cust_order_place(&DB, &A, &o, 50, &res), 0);
	ck_assert_int_eq(res.outcome, ORDER_REFUSED);
	ck_assert_int_eq(res.why, CR_RESELLER_GATE);
	ck_assert(strstr(cust_refusal_text(&A, &res.f, res.why, &res.n), "Adatum cannot yet") != NULL);
	store_rollback(&DB);
	unit_accept(W.adatum.tenant, V1, 3);
	/* Placed, then the same key again: the same subscription; elsewhere: not this order's. */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(cust_order_place(&DB, &A, &o, 50, &res), 0);
	ck_assert_int_eq(res.outcome, ORDER_PLACED);
	ck_assert_int_gt(res.subscription, 0);
	ck_assert_int_eq(res.f.reseller_tenant, 2);
	ck_assert_str_eq(res.n.customer, "Tailspin");
	int64_t sub = res.subscription;
	ck_assert_int_eq(cust_order_place(&DB, &A, &o, 51, &res), 0);
	ck_assert_int_eq(res.outcome, ORDER_ALREADY_PLACED);
	ck_assert_int_eq(res.subscription, sub);
	struct cust_order other = o;
	other.provider = 2;
	ck_assert_int_eq(cust_order_place(&DB, &A, &other, 52, &res), 0);
	ck_assert_int_eq(res.outcome, ORDER_KEY_ELSEWHERE);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM subscriptions"), 1);
	/* The reseller's users who see its customers are told; a Sales agent too, a User admin not. */
	unit_user(.tenant = W.adatum.tenant, .email = "ga@ad.example", .name = "Gale", .roles = ROLE_MASK(GLOBAL_ADMIN));
	unit_user(.tenant = W.adatum.tenant, .email = "sa@ad.example", .name = "Sam", .roles = ROLE_MASK(SALES_AGENT));
	unit_user(.tenant = W.adatum.tenant, .email = "ua@ad.example", .name = "Uma", .roles = ROLE_MASK(USER_ADMIN));
	struct user_list to;
	ck_assert_int_eq(cust_order_recipients(&DB, &A, 2, &to), 0);
	ck_assert_uint_eq(to.n, 2);
	ck_assert_str_eq(to.v[0].email, "ga@ad.example");
	ck_assert_str_eq(to.v[1].email, "sa@ad.example");
}
END_TEST

START_TEST(accept_uses_the_invitation_once_and_relates_both)
{
	world();
	int64_t inv = st_cinv_insert(&DB, &(struct customer_invitation){ .reseller_id = 2, .provider_id = 1,
	    .email = "ga@ts.example", .message = "", .delegated_admin = true, .created_at = 10, .expires_at = 5000 });
	int64_t gale = unit_user(.tenant = W.tailspin, .email = "ga@ts.example", .name = "Gale", .roles = ROLE_MASK(GLOBAL_ADMIN));
	unit_user(.tenant = W.adatum.tenant, .email = "aa@ad.example", .name = "Abe", .roles = ROLE_MASK(ACCOUNT_ADMIN));
	unit_user(.tenant = W.adatum.tenant, .email = "sa@ad.example", .name = "Sam", .roles = ROLE_MASK(SALES_AGENT));
	unit_user(.tenant = W.northwind.tenant, .email = "ag@nw.example", .name = "Agi", .roles = ROLE_MASK(ADMIN_AGENT));
	ck_assert_int_eq(cust_relate(&DB, 1, 3, 0, 0, 0, false, 10), 1);
	char *t = cust_invite_token(&A, inv, 5000);
	struct cust_accept v;
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(cust_accept_gather(&DB, &A, t, 3, ROLE_MASK(GLOBAL_ADMIN), 100, &v), 0);
	ck_assert_int_eq(v.why, CR_OK);
	ck_assert_str_eq(v.names.admins, "Gale (ga@ts.example)");
	bool made[2];
	ck_assert_int_eq(cust_accept(&DB, &v, gale, 3, 100, made), 1);
	ck_assert(made[0]);
	ck_assert(!made[1]);		/* the provider's relationship was there already */
	ck_assert_int_eq(cust_accept(&DB, &v, gale, 3, 101, made), 0);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM customer_relationships WHERE customer_tenant_id = 3"
	    " AND status = 'active'"), 2);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT accepted_by FROM customer_relationships WHERE partner_id = 2"), gale);
	/* Outside a write transaction it does nothing. */
	ck_assert_int_eq(cust_accept(&DB, &v, gale, 3, 102, made), -1);
	/* Who is told: the reseller's Account admin (not its Sales agent); the provider's Admin agent. */
	struct user_list to;
	ck_assert_int_eq(cust_accepted_recipients(&DB, &A, &v.reseller, &to), 0);
	ck_assert_uint_eq(to.n, 1);
	ck_assert_str_eq(to.v[0].email, "aa@ad.example");
	ck_assert_int_eq(cust_accepted_recipients(&DB, &A, &v.provider, &to), 0);
	ck_assert_uint_eq(to.n, 1);
	ck_assert_str_eq(to.v[0].email, "ag@nw.example");
}
END_TEST

START_TEST(pages_read_only_the_signed_in_organizations_rows)
{
	world();
	int64_t lw = litware("DE", NULL).tenant;
	int64_t rel = unit_sql_int(DB.h, "SELECT id FROM provider_relationships WHERE reseller_id = 2");
	/* The reseller's relationship: its own, active one only. */
	struct cust_reseller_rel r;
	ck_assert_ptr_null(cust_reseller_rel(&DB, &A, 2, rel, &r));
	ck_assert_str_eq(r.provider_name, "Northwind");
	ck_assert_str_eq(cust_reseller_rel(&DB, &A, lw, rel, &r), "another organization's relationship");
	ck_assert_str_eq(cust_reseller_rel(&DB, &A, 2, 999, &r), "no such relationship");
	ck_assert_int_eq(cust_partners_rel(&DB, 1, 2), rel);
	/* Invitations: one pending per address; another reseller's is not found. */
	struct customer_invitation inv = { .reseller_id = 2, .provider_id = 1, .email = "ga@ts.example", .message = "",
		.created_at = 10, .expires_at = 5000 };
	ck_assert_int_eq(cust_invite(&DB, &inv), 1);
	int64_t id = inv.id;
	ck_assert_int_eq(cust_invite(&DB, &inv), 0);
	const char *why = NULL;
	struct customer_invitation got;
	ck_assert_int_eq(cust_invitation_of(&DB, &A, 2, id, 100, &got, &why), 1);
	ck_assert_int_eq(cust_invitation_of(&DB, &A, lw, id, 100, &got, &why), 0);
	ck_assert_str_eq(why, "another organization's invitation");
	ck_assert_int_eq(cust_invitation_of(&DB, &A, 2, 999, 100, &got, &why), 0);
	ck_assert_str_eq(why, "no such invitation");
	struct paging p;
	struct cinv_list invs;
	ck_assert_ptr_null(cust_reseller_rel(&DB, &A, 2, rel, &r));
	ck_assert_int_eq(cust_invitations_page(&DB, &A, &r, 6000, 1, &p, &invs), 0);
	ck_assert_uint_eq(invs.n, 1);
	ck_assert_int_eq(invs.v[0].state, INV_EXPIRED);
	ck_assert_int_eq(cust_invitation_of(&DB, &A, 2, id, 100, &got, &why), 1);
	ck_assert_int_eq(cust_invitation_revoke(&DB, &got, 0, 200), 1);
	ck_assert_int_eq(cust_invitation_of(&DB, &A, 2, id, 300, &got, &why), 1);
	ck_assert_int_eq(cust_invitation_revoke(&DB, &got, 0, 300), 0);
	/* One customer: only for a partner related to it. */
	struct cust_view view;
	ck_assert_int_eq(cust_view_load(&DB, &A, 3, 1, &view, &why), 0);
	ck_assert_str_eq(why, "not this organization's customer");
	ck_assert_int_eq(cust_view_load(&DB, &A, 2, 1, &view, &why), 0);
	ck_assert_str_eq(why, "no such customer");
	ck_assert_int_eq(cust_relate(&DB, 1, 3, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(cust_relate(&DB, 2, 3, 0, 0, 0, true, 10), 1);
	ck_assert_int_eq(cust_view_load(&DB, &A, 3, 1, &view, &why), 1);
	ck_assert_int_eq(view.as_provider, 1);
	ck_assert_int_eq(view.as_reseller, 0);
	ck_assert_uint_eq(view.resellers.n, 1);
	ck_assert_str_eq(view.resellers.v[0].name, "Adatum");
	ck_assert_int_eq(cust_view_load(&DB, &A, 3, 2, &view, &why), 1);
	ck_assert_int_eq(view.as_reseller, 2);
	ck_assert_uint_eq(view.providers.n, 1);
	/* The order form's customer: the provider's own customers only. */
	int64_t provider;
	struct tenant_row c;
	ck_assert_int_eq(cust_order_customer(&DB, &A, 1, 3, &provider, &c, &why), 1);
	ck_assert_int_eq(provider, 1);
	ck_assert_str_eq(c.name, "Tailspin");
	ck_assert_int_eq(cust_order_customer(&DB, &A, lw, 3, &provider, &c, &why), 0);
	ck_assert_str_eq(why, "not this organization's customer");
	/* The customer's own view: all its partners. */
	struct customer_partner_list partners;
	ck_assert_int_eq(cust_own_partners(&DB, &A, 3, &partners), 0);
	ck_assert_uint_eq(partners.n, 2);
}
END_TEST

/* ---- the offer importer ---- */

static int
import(const char *csv, struct offers_import_result *res)
{
	return offers_import(&DB, &A, csv, strlen(csv), res);
}

START_TEST(offers_import_adds_updates_and_is_idempotent)
{
	struct offers_import_result res;
	const char *csv =
	    "offer_id,name,description,unit,price,currency,active\r\n"
	    "STD,Standard,\"Apps, email\",user/month,12.50,usd,yes\r\n"
	    "\r\n"
	    "OLD,Old one,,user/month,5,USD,no\r\n";
	ck_assert_int_eq(import(csv, &res), 0);
	ck_assert_int_eq(res.rows, 2);
	ck_assert_int_eq(res.added, 2);
	char text[128];
	unit_sql_text(DB.h, "SELECT description || '|' || price_cents || '|' || currency || '|' || active FROM offers WHERE offer_id = 'STD'", text, sizeof(text));
	ck_assert_str_eq(text, "Apps, email|1250|USD|1");
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT active FROM offers WHERE offer_id = 'OLD'"), 0);
	/* The same file again: nothing changes. */
	ck_assert_int_eq(import(csv, &res), 0);
	ck_assert_int_eq(res.added, 0);
	ck_assert_int_eq(res.updated, 0);
	ck_assert_int_eq(res.unchanged, 2);
	/* A new price: updated, by offer_id. */
	ck_assert_int_eq(import("offer_id,name,description,unit,price,currency,active\nSTD,Standard,\"Apps, email\",user/month,13,USD,yes\n", &res), 0);
	ck_assert_int_eq(res.updated, 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT price_cents FROM offers WHERE offer_id = 'STD'"), 1300);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM offers"), 2);
}
END_TEST

START_TEST(offers_import_reports_every_bad_line_and_imports_nothing)
{
	struct offers_import_result res;
	const char *csv =
	    "offer_id,name,description,unit,price,currency,active\n"
	    "GOOD,Good,,user/month,1,USD,yes\n"
	    "bad id!,Name,,user/month,1,USD,yes\n"
	    "P1,,,user/month,1,USD,yes\n"
	    "P2,Name,,,1,USD,yes\n"
	    "P3,Name,,user/month,1.999,USD,yes\n"
	    "P4,Name,,user/month,1,US,yes\n"
	    "P5,Name,,user/month,1,USD,maybe\n"
	    "P6,too,few\n"
	    "GOOD,Again,,user/month,1,USD,yes\n"
	    "P7,\"unclosed,,user/month,1,USD,yes\n";
	ck_assert_int_eq(import(csv, &res), 1);
	ck_assert_int_eq(res.nerrors, 9);
	ck_assert(strstr(res.errors[0], "line 3: offer_id") == res.errors[0]);
	ck_assert(strstr(res.errors[1], "line 4: name") == res.errors[1]);
	ck_assert(strstr(res.errors[2], "line 5: unit") == res.errors[2]);
	ck_assert(strstr(res.errors[3], "line 6: price") == res.errors[3]);
	ck_assert(strstr(res.errors[4], "line 7: currency") == res.errors[4]);
	ck_assert(strstr(res.errors[5], "line 8: active") == res.errors[5]);
	ck_assert(strstr(res.errors[6], "line 9: expected 7 columns") == res.errors[6]);
	ck_assert_str_eq(res.errors[7], "line 10: offer_id GOOD has a USD price on line 2 already");
	ck_assert(strstr(res.errors[8], "line 11: a quoted field is not closed") == res.errors[8]);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM offers"), 0);
	/* The header is checked; an empty file is refused. */
	ck_assert_int_eq(import("id,name\nX,Y\n", &res), 1);
	ck_assert(strstr(res.errors[0], "line 1: the header must be exactly") == res.errors[0]);
	ck_assert_int_eq(import("", &res), 1);
	ck_assert_int_eq(import("offer_id,name,description,unit,price,currency,active\nX,\xff,,u,1,USD,yes\n", &res), 1);
	ck_assert_str_eq(res.errors[0], "line 1: the file is not UTF-8 text");
}
END_TEST

START_TEST(offers_import_takes_prices_per_currency)
{
	/* Issue 15: one line per currency; the first is the list price; the same currency twice
	 * is refused; the price for a customer is its country's currency's, else the list price. */
	struct offers_import_result res;
	const char *csv =
	    "offer_id,name,description,unit,price,currency,active\n"
	    "STD,Standard,,user/month,12.50,USD,yes\n"
	    "STD,Standard,,user/month,11.70,EUR,yes\n"
	    "STD,Standard,,user/month,49,PLN,yes\n";
	ck_assert_int_eq(import(csv, &res), 0);
	ck_assert_int_eq(res.added, 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT price_cents FROM offers WHERE offer_id = 'STD'"), 1250);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM offer_prices WHERE offer_id = 'STD'"), 3);
	int64_t cents = 0;
	const char *cur = NULL;
	ck_assert_int_eq(offer_price_for(&DB, &A, "STD", "DE", &cents, &cur), 1);
	ck_assert_int_eq(cents, 1170);
	ck_assert_str_eq(cur, "EUR");
	ck_assert_int_eq(offer_price_for(&DB, &A, "STD", "PL", &cents, &cur), 1);
	ck_assert_int_eq(cents, 4900);
	ck_assert_str_eq(cur, "PLN");
	ck_assert_int_eq(offer_price_for(&DB, &A, "STD", "SE", &cents, &cur), 1);
	ck_assert_int_eq(cents, 1250);
	ck_assert_str_eq(cur, "USD");
	ck_assert_int_eq(offer_price_for(&DB, &A, "NONE", "SE", &cents, &cur), 0);
	/* The same file again changes nothing; a new EUR price is an update. */
	ck_assert_int_eq(import(csv, &res), 0);
	ck_assert_int_eq(res.unchanged, 1);
	ck_assert_int_eq(import("offer_id,name,description,unit,price,currency,active\n"
	    "STD,Standard,,user/month,12.50,USD,yes\nSTD,Standard,,user/month,11.90,EUR,yes\n", &res), 0);
	ck_assert_int_eq(res.updated, 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT price_cents FROM offer_prices WHERE offer_id = 'STD' AND currency = 'EUR'"), 1190);
	ck_assert_int_eq(import("offer_id,name,description,unit,price,currency,active\n"
	    "X,X,,u,1,USD,yes\nX,X,,u,2,usd,yes\n", &res), 1);
	ck_assert_str_eq(res.errors[0], "line 3: offer_id X has a USD price on line 2 already");
}
END_TEST

UNIT_MAIN("customers",
	unit_case("decision", unit_setup, unit_teardown, UNIT_TESTS(
	    accept_allowed_for_a_global_admin_of_a_customer_organization, accept_link_reasons, accept_invitation_states,
	    accept_partner_reasons, accept_customer_organization_rules, accept_user_and_duplicate, accept_order_of_checks,
	    order_allowed, order_relationship_and_customer_rules, order_agreement_gates_and_mpn,
	    refusal_codes_statuses_and_links, every_rule_has_its_own_sentence, order_keys_and_prices,
	    invite_token_is_purpose_bound, precheck_warnings_and_refusals)),
	unit_case("database", unit_db_setup, unit_db_teardown, UNIT_TESTS(
	    customer_relationships_one_per_partner_and_customer, invitation_accept_is_single_use_and_bound_to_expiry,
	    accept_gather_reads_the_rows, order_check_and_insert_against_rows,
	    order_place_reads_decides_and_writes_in_the_write_transaction, accept_uses_the_invitation_once_and_relates_both,
	    pages_read_only_the_signed_in_organizations_rows, offers_import_adds_updates_and_is_idempotent,
	    offers_import_reports_every_bad_line_and_imports_nothing, offers_import_takes_prices_per_currency)))
