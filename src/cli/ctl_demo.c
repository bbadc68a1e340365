/* ctl_demo.c — `portalctl demo`: a demo world for `make run` and the browser tests.
 *
 * Two regions (Europe, North America); an approved indirect provider in each, with users
 * in several roles; two approved indirect resellers (Adatum, FR, and Trey Research, AT); a
 * reseller still in review (Litware); a customer organization (Tailspin Toys, DE); and PMC
 * accounts with MPN profiles for a NEW company to enroll with (Woodgrove, Germany: one usable
 * profile, one in another country, one inactive). Adatum and Trey work with Northwind;
 * agreement version 2025-01 is published and accepted by both providers and by Trey, NOT by
 * Adatum (the agreement's browser test accepts it for Adatum).
 *
 * Customers and orders (SPEC §2.6): a small offer catalog (through the real importer);
 * Tailspin Toys is a customer of Adatum, Trey and Northwind (delegated administration on:
 * what accepting an invitation that asks for it makes, written directly as the operator's
 * rows, with the default delegated admin relationship of each pair, as for the resellers). Tailspin's two subscriptions were ordered by Northwind on behalf of TREY, the
 * reseller that has accepted the agreement — through the same rule check and insert as the
 * web order form (cust_order_check, cust_order_insert), so the demo obeys every rule. An
 * order for Tailspin on behalf of Adatum is refused until Adatum accepts the agreement,
 * which the demo shows as it is. Subscriptions are keyed by fixed order keys, so running the
 * demo again adds none.
 *
 * Running it again adds only what is missing (organizations by domain, users by email,
 * PMC accounts and profiles by name and MPN ID); it never duplicates. It prints every demo
 * sign-in and writes the same list to <data>/demo-accounts.txt, one account a line:
 * email, password, TOTP secret (base32: every demo user has multi-factor sign-in set up, so
 * a person can add it to an authenticator app and tests compute codes from it),
 * organization, partner type, roles — tab-separated, padded so that the columns line up in
 * a terminal. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "cli/ctl.h"
#include "domain/customers.h"
#include "domain/delegated.h"
#include "domain/accounts.h"
#include "domain/partners.h"
#include "store/store.h"
#include "domain/enroll.h"
#include "domain/mfa.h"
#include "base/otp.h"
#include "domain/mpn_import.h"
#include "domain/offers.h"
#include "domain/relationships.h"
#include "base/util.h"
#include "domain/words.h"
#include "domain/language.h"
#include "base/i18n.h"

#define DEMO_PASSWORD "Demo-Partner-2025"

#define GA ROLE_MASK(GLOBAL_ADMIN)
#define AA ROLE_MASK(ACCOUNT_ADMIN)
#define UA ROLE_MASK(USER_ADMIN)
#define AG ROLE_MASK(ADMIN_AGENT)
#define SA ROLE_MASK(SALES_AGENT)
#define HA ROLE_MASK(HELPDESK_AGENT)
#define BA ROLE_MASK(BILLING_ADMIN)

/* The PMC copy, through the real importer (idempotent: it adds and updates). */
static const char demo_csv[] =
	"pmc_username,pmc_password,mpn_id,company_name,country,status\n"
	"pmc@northwind.example,Northwind-PMC-2025,4100001,Northwind Distribution GmbH,DE,active\n"
	"pmc@fabrikam.example,Fabrikam-PMC-2025,4200002,Fabrikam Supply Inc.,US,active\n"
	"pmc@adatum.example,Adatum-PMC-2025,5100003,Adatum Systems SARL,FR,active\n"
	"pmc@litware.example,Litware-PMC-2025,5200004,Litware Consulting B.V.,NL,active\n"
	"pmc@treyresearch.example,Trey-PMC-2025,5300005,Trey Research GmbH,AT,active\n"
	"pmc@woodgrove.example,Woodgrove-PMC-2025,6100001,Woodgrove Bank GmbH,DE,active\n"
	"pmc@woodgrove.example,,6100002,Woodgrove Bank Inc.,US,active\n"
	"pmc@woodgrove.example,,6100003,Woodgrove Leasing GmbH,DE,inactive\n";

static const struct {
	const char *user, *password, *company, *note;
} demo_pmc[] = {
	{ "pmc@woodgrove.example", "Woodgrove-PMC-2025", "Woodgrove Bank (not enrolled yet)",
	  "6100001 DE active = links; 6100002 US = other country; 6100003 inactive" },
};

struct demo_user {
	const char *email, *name;
	unsigned roles;
	const char *lang;		/* issue 18: the user's own language (NULL: the browser's) */
};

struct demo_org {
	const char *org, *domain, *country;
	int type;			/* enum partner_type; -1: a customer organization */
	enum pa_status status;		/* for indirect_reseller: where its enrollment stands */
	const char *legal_name, *address1, *city, *postal_code, *phone, *support_phone, *website, *mpn_id;
	struct demo_user users[6];	/* the first is the Global admin */
};

static const struct demo_org demo_orgs[] = {
	{ "Northwind Distribution", "northwind.example", "DE", PT_INDIRECT_PROVIDER, PA_APPROVED,
	  "Northwind Distribution GmbH", "Hafenstrasse 12", "Hamburg", "20457", "+49 40 5550 1200", "+49 40 5550 1299",
	  "https://support.northwind.example", "4100001",
	  { { "nora.north@northwind.example", "Nora North", GA | AG, NULL },
	    { "alex.account@northwind.example", "Alex Account", AA, NULL },
	    { "ulla.users@northwind.example", "Ulla Users", UA, NULL },
	    { "sam.sales@northwind.example", "Sam Sales", SA, NULL },
	    { "hana.help@northwind.example", "Hana Help", HA, NULL },
	    { "piotr.nowak@northwind.example", "Piotr Nowak", HA, "pl" } } },
	{ "Fabrikam Supply", "fabrikam.example", "US", PT_INDIRECT_PROVIDER, PA_APPROVED,
	  "Fabrikam Supply Inc.", "400 Pine Street", "Seattle", "98101", "+1 206 555 0100", "+1 206 555 0199",
	  "https://support.fabrikam.example", "4200002",
	  { { "fiona.fab@fabrikam.example", "Fiona Fab", GA | AG, NULL },
	    { "adam.agent@fabrikam.example", "Adam Agent", AG, NULL },
	    { "sally.sales@fabrikam.example", "Sally Sales", SA, NULL },
	    { "bill.billing@fabrikam.example", "Bill Billing", BA, NULL } } },
	{ "Adatum Systems", "adatum.example", "FR", PT_INDIRECT_RESELLER, PA_APPROVED,
	  "Adatum Systems SARL", "8 rue de la Paix", "Paris", "75002", "+33 1 55 50 12 00", "+33 1 55 50 12 99",
	  "https://help.adatum.example", "5100003",
	  { { "ada.adatum@adatum.example", "Ada Adatum", GA, NULL },
	    { "sven.sales@adatum.example", "Sven Sales", SA, NULL },
	    { "bea.billing@adatum.example", "Bea Billing", BA, NULL },
	    { "sara.svensson@adatum.example", "Sara Svensson", SA, "sv" } } },
	{ "Trey Research", "treyresearch.example", "AT", PT_INDIRECT_RESELLER, PA_APPROVED,
	  "Trey Research GmbH", "Mariahilfer Strasse 50", "Vienna", "1070", "+43 1 555 0170", "+43 1 555 0179",
	  "https://support.treyresearch.example", "5300005",
	  { { "tara.trey@treyresearch.example", "Tara Trey", GA, NULL },
	    { "simon.sales@treyresearch.example", "Simon Sales", SA, NULL },
	    { "irina.ivanova@treyresearch.example", "Irina Ivanova", BA, "ru" } } },
	{ "Litware Consulting", "litware.example", "NL", PT_INDIRECT_RESELLER, PA_IN_REVIEW,
	  "Litware Consulting B.V.", "Keizersgracht 100", "Amsterdam", "1015 AA", "+31 20 555 0100", "+31 20 555 0199",
	  "https://support.litware.example", "5200004",
	  { { "lisa.litware@litware.example", "Lisa Litware", GA, NULL } } },
	{ "Tailspin Toys", "tailspin.example", "DE", -1, PA_DRAFT,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  { { "tom.tailspin@tailspin.example", "Tom Tailspin", GA, NULL } } },
};

/* The organization with domain: its id, 0 none (a database error fails the store). */
static int64_t
demo_tenant(struct ctl *c, const char *domain)
{
	int64_t id = st_tenant_by_domain(c->store, domain);
	return id > 0 ? id : 0;
}

/* The user signing in with email: their id, or 0. */
static int64_t
demo_user_id(struct ctl *c, const char *email)
{
	struct user_row u;
	const char *hash;
	return account_by_email(c->store, &c->a, email, &u, &hash) == 1 ? u.id : 0;
}

/* The partner account id of type t for the organization with domain, or 0. */
static int64_t
demo_account(struct ctl *c, const char *domain, enum partner_type t)
{
	int64_t tenant = demo_tenant(c, domain), id = 0;
	if (tenant != 0)
		partner_status_of(c->store, tenant, t, &id);
	return id;
}

/* Adatum Systems (approved reseller, France) already works with Northwind Distribution
 * (provider, Germany): both in Europe. rel_create does nothing when they are related. A
 * relationship made here gets the delegated admin relationship an authorization makes
 * (da_grant_default: "Administrator access", Admin agent, two years; issue 13), so the demo
 * shows what accepting an invitation gives; an existing one is left as its users left it. */
static int
demo_relationships(struct ctl *c)
{
	static const char *const resellers[] = { "adatum.example", "treyresearch.example" };
	int64_t provider = demo_account(c, "northwind.example", PT_INDIRECT_PROVIDER);
	for (size_t i = 0; i < NELEM(resellers); i++) {
		int64_t reseller = demo_account(c, resellers[i], PT_INDIRECT_RESELLER);
		if (provider == 0 || reseller == 0)
			continue;
		int64_t made = rel_create(c->store, provider, reseller, 0, 0, now_sec());
		if (made < 0 || (made > 0 && da_grant_default(c->store, demo_tenant(c, "northwind.example"),
		    demo_tenant(c, resellers[i]), DAK_RESELLER, 0, now_sec()) < 0))
			return -1;
	}
	return 0;
}

static const char demo_agreement_text[] =
	"This Partner Agreement is between the program owner and the partner organization named in "
	"its acceptance. It governs how the partner takes part in the Cloud Solution Provider program.\n\n"
	"1. Participation. The partner may resell the program's online services only in the region of "
	"its legal business location, and only through the relationships the program allows: indirect "
	"providers sell to indirect resellers, and both sell to customers of their own region.\n\n"
	"2. Customers. The partner keeps an accurate record of each customer relationship, does not sell "
	"to itself or its affiliates as an end customer, and removes its administrator access when a "
	"customer asks.\n\n"
	"3. Orders. An indirect provider places orders for an indirect reseller's customers only while "
	"both have accepted the current version of this agreement.\n\n"
	"4. Data protection and security. The partner protects customer data with appropriate technical "
	"and organizational measures and reports security incidents without undue delay.\n\n"
	"5. Changes. The program owner may publish a new version of this agreement. The partner must "
	"accept it before it transacts new business.\n";

/* Version 2025-01 of the agreement, accepted by both demo providers (they can transact);
 * Adatum, the approved reseller, has not accepted it yet, so its overview asks for it. */
static int
demo_agreement(struct ctl *c)
{
	struct agreement_version current;
	int have = agreement_current(c->store, &c->a, &current);
	if (have < 0)
		return -1;
	int64_t version = have ? current.id : 0;
	if (version == 0) {
		char err[256];
		version = agreement_publish(c->store, "2025-01", demo_agreement_text, now_sec(), err, sizeof(err));
		if (version <= 0) {
			fprintf(stderr, "portalctl: demo: %s\n", err);
			return -1;
		}
	}
	static const struct { const char *domain, *admin, *first, *last, *phone; } signers[] = {
		{ "northwind.example", "nora.north@northwind.example", "Nora", "North", "+49 40 5550 1200" },
		{ "fabrikam.example", "fiona.fab@fabrikam.example", "Fiona", "Fab", "+1 206 555 0100" },
		{ "treyresearch.example", "tara.trey@treyresearch.example", "Tara", "Trey", "+43 1 555 0170" },
	};
	for (size_t i = 0; i < NELEM(signers); i++) {
		int64_t tenant = demo_tenant(c, signers[i].domain), user = demo_user_id(c, signers[i].admin);
		if (tenant == 0 || user == 0)
			continue;
		struct agreement_signer who = { signers[i].first, signers[i].last, signers[i].admin, signers[i].phone,
		    "Managing Director" };
		const char *label;
		enum agreement_accept r = agreement_accept(c->store, &c->a, tenant, version, &who, user, "", now_sec(), &label);
		if (r != ACCEPT_RECORDED && r != ACCEPT_ALREADY)
			return -1;
	}
	return 0;
}

/* The offer catalog, through the real importer (idempotent by offer_id). List prices in USD,
 * with prices in EUR, PLN and SEK for the European customers (issue 15). */
static const char demo_offers_csv[] =
	"offer_id,name,description,unit,price,currency,active\n"
	"CLD-BIZ-BASIC,Business Basic,\"Web and mobile office apps, business email, 1 TB of file storage per user\",user/month,6.00,USD,yes\n"
	"CLD-BIZ-BASIC,Business Basic,\"Web and mobile office apps, business email, 1 TB of file storage per user\",user/month,5.50,EUR,yes\n"
	"CLD-BIZ-BASIC,Business Basic,\"Web and mobile office apps, business email, 1 TB of file storage per user\",user/month,23.70,PLN,yes\n"
	"CLD-BIZ-BASIC,Business Basic,\"Web and mobile office apps, business email, 1 TB of file storage per user\",user/month,63.00,SEK,yes\n"
	"CLD-BIZ-STD,Business Standard,\"Desktop office apps, plus everything in Business Basic\",user/month,12.50,USD,yes\n"
	"CLD-BIZ-STD,Business Standard,\"Desktop office apps, plus everything in Business Basic\",user/month,11.50,EUR,yes\n"
	"CLD-BIZ-STD,Business Standard,\"Desktop office apps, plus everything in Business Basic\",user/month,49.40,PLN,yes\n"
	"CLD-BIZ-STD,Business Standard,\"Desktop office apps, plus everything in Business Basic\",user/month,131.20,SEK,yes\n"
	"CLD-BIZ-PREM,Business Premium,\"Business Standard plus advanced security, identity and device management\",user/month,22.00,USD,yes\n"
	"CLD-BIZ-PREM,Business Premium,\"Business Standard plus advanced security, identity and device management\",user/month,20.20,EUR,yes\n"
	"CLD-BIZ-PREM,Business Premium,\"Business Standard plus advanced security, identity and device management\",user/month,86.90,PLN,yes\n"
	"CLD-BIZ-PREM,Business Premium,\"Business Standard plus advanced security, identity and device management\",user/month,231.00,SEK,yes\n"
	"CLD-ENT-E3,Enterprise E3,\"Office apps, email, compliance and device management for large organizations\",user/month,36.00,USD,yes\n"
	"CLD-ENT-E3,Enterprise E3,\"Office apps, email, compliance and device management for large organizations\",user/month,33.10,EUR,yes\n"
	"CLD-ENT-E3,Enterprise E3,\"Office apps, email, compliance and device management for large organizations\",user/month,142.20,PLN,yes\n"
	"CLD-ENT-E3,Enterprise E3,\"Office apps, email, compliance and device management for large organizations\",user/month,378.00,SEK,yes\n"
	"CLD-SEC-EP,Endpoint Protection,\"Threat protection, detection and response for laptops, phones and servers\",device/month,3.00,USD,yes\n"
	"CLD-SEC-EP,Endpoint Protection,\"Threat protection, detection and response for laptops, phones and servers\",device/month,2.80,EUR,yes\n"
	"CLD-SEC-EP,Endpoint Protection,\"Threat protection, detection and response for laptops, phones and servers\",device/month,11.90,PLN,yes\n"
	"CLD-SEC-EP,Endpoint Protection,\"Threat protection, detection and response for laptops, phones and servers\",device/month,31.50,SEK,yes\n"
	"CLD-PHONE,Cloud Phone System,\"Calling plans and a phone number for each user, in the collaboration app\",user/month,8.00,USD,yes\n"
	"CLD-PHONE,Cloud Phone System,\"Calling plans and a phone number for each user, in the collaboration app\",user/month,7.40,EUR,yes\n"
	"CLD-PHONE,Cloud Phone System,\"Calling plans and a phone number for each user, in the collaboration app\",user/month,31.60,PLN,yes\n"
	"CLD-PHONE,Cloud Phone System,\"Calling plans and a phone number for each user, in the collaboration app\",user/month,84.00,SEK,yes\n"
	"CLD-STOR-1TB,Extra File Storage,\"1 TB of additional file storage for the whole organization\",TB/month,2.00,USD,yes\n"
	"CLD-STOR-1TB,Extra File Storage,\"1 TB of additional file storage for the whole organization\",TB/month,1.80,EUR,yes\n"
	"CLD-STOR-1TB,Extra File Storage,\"1 TB of additional file storage for the whole organization\",TB/month,7.90,PLN,yes\n"
	"CLD-STOR-1TB,Extra File Storage,\"1 TB of additional file storage for the whole organization\",TB/month,21.00,SEK,yes\n"
	"CLD-BIZ-ESS,Business Essentials (retired),\"Replaced by Business Basic; kept for existing subscriptions\",user/month,5.00,USD,no\n"
	"CLD-BIZ-ESS,Business Essentials (retired),\"Replaced by Business Basic; kept for existing subscriptions\",user/month,4.60,EUR,no\n"
	"CLD-BIZ-ESS,Business Essentials (retired),\"Replaced by Business Basic; kept for existing subscriptions\",user/month,19.80,PLN,no\n"
	"CLD-BIZ-ESS,Business Essentials (retired),\"Replaced by Business Basic; kept for existing subscriptions\",user/month,52.50,SEK,no\n";

/* Tailspin Toys (customer, DE) works with Adatum, Trey Research and Northwind. */
static int
demo_customers(struct ctl *c)
{
	static const struct { const char *domain; enum partner_type type; } partners[] = {
		{ "adatum.example", PT_INDIRECT_RESELLER },
		{ "treyresearch.example", PT_INDIRECT_RESELLER },
		{ "northwind.example", PT_INDIRECT_PROVIDER },
	};
	int64_t customer = demo_tenant(c, "tailspin.example");
	if (customer == 0)
		return 0;
	for (size_t i = 0; i < NELEM(partners); i++) {
		int64_t partner = demo_account(c, partners[i].domain, partners[i].type);
		int made = partner != 0 ? cust_relate(c->store, partner, customer, 0, 0, 0, true, now_sec()) : 0;
		/* with the delegated admin relationship accepting it with delegated administration makes */
		if (made < 0 || (made > 0 && da_grant_default(c->store, demo_tenant(c, partners[i].domain), customer,
		    DAK_CUSTOMER, 0, now_sec()) < 0))
			return -1;
	}
	return 0;
}

/* Tailspin's subscriptions: Northwind ordered them on behalf of Trey Research, under Trey's
 * MPN ID, through the web order's own rule check. Fixed order keys: no duplicates. Returns
 * the number added, or -1 (with the rule that refused one on stderr). */
static int
demo_orders(struct ctl *c)
{
	static const struct { const char *offer, *key; int64_t quantity; } orders[] = {
		{ "CLD-BIZ-STD", "demo-tailspin-business-standard", 25 },
		{ "CLD-SEC-EP", "demo-tailspin-endpoint-protection", 30 },
	};
	int added = 0;
	for (size_t i = 0; i < NELEM(orders); i++) {
		struct cust_order o = {
			.customer = demo_tenant(c, "tailspin.example"),
			.provider = demo_account(c, "northwind.example", PT_INDIRECT_PROVIDER),
			.reseller = demo_account(c, "treyresearch.example", PT_INDIRECT_RESELLER),
			.mpn_id = "5300005", .offer_id = orders[i].offer, .quantity = orders[i].quantity,
			.order_key = orders[i].key,
		};
		if (o.customer == 0 || o.provider == 0 || o.reseller == 0)
			continue;
		struct cust_order_result res;
		if (cust_order_place(c->store, &c->a, &o, now_sec(), &res) < 0)
			return -1;
		if (res.outcome == ORDER_UNKNOWN_RESELLER) {
			fprintf(stderr, "portalctl: demo: order %s refused: the reseller does not work with the provider\n", o.order_key);
			return -1;
		}
		if (res.outcome == ORDER_REFUSED) {
			fprintf(stderr, "portalctl: demo: order %s refused: %s\n", o.order_key,
			    cust_refusal_text(&c->a, &res.f, res.why, &res.n));
			return -1;
		}
		added += res.outcome == ORDER_PLACED;
	}
	return added;
}

/* Creates org o (when its domain is new) with its first user; returns 1 created, 0 there, -1 failed. */
static int
demo_org(struct ctl *c, const struct demo_org *o, const char *hash)
{
	if (demo_tenant(c, o->domain) != 0)
		return 0;
	int64_t tenant, user, account;
	if (o->type < 0) {
		struct new_account n = { o->org, o->domain, o->country, TENANT_CUSTOMER, o->users[0].name, o->users[0].email,
		    hash, o->users[0].roles };
		return account_create(c->store, &n, &tenant, &user) == 0 ? 1 : -1;
	}
	struct partner_spec p = {
		.type = o->type, .org = o->org, .domain = o->domain, .country = o->country,
		.admin_email = o->users[0].email, .admin_name = o->users[0].name, .legal_name = o->legal_name,
		.address1 = o->address1, .city = o->city, .postal_code = o->postal_code, .phone = o->phone,
		.support_email = arena_printf(&c->a, "support@%s", o->domain), .support_phone = o->support_phone,
		.website = o->website, .mpn_id = o->mpn_id,
	};
	const char *why = ctl_create_partner(c, &p, hash, &tenant, &user, &account);
	if (why != NULL) {
		fprintf(stderr, "portalctl: demo: %s: %s\n", o->org, why);
		return -1;
	}
	if (o->type != PT_INDIRECT_RESELLER)
		return 1;
	/* A reseller goes through the real status machine: submitted, verified, maybe approved. */
	struct support_details sup = { p.support_email, p.support_phone, p.website };
	if ((account = st_pa_insert(c->store, tenant, PT_INDIRECT_RESELLER, PA_DRAFT, &sup, user, now_sec())) < 0)
		return -1;
	static const enum pa_status path[] = { PA_PENDING_VERIFICATION, PA_IN_REVIEW, PA_APPROVED };
	for (size_t i = 0; i < NELEM(path) && path[i] <= o->status; i++) {
		struct pa_change ch;
		if (enroll_apply(c->store, &c->a, account, path[i], NULL, &ch, &why) != 0) {
			fprintf(stderr, "portalctl: demo: %s: %s\n", o->org, why ? why : "could not change the enrollment status");
			return -1;
		}
	}
	return 1;
}

/* Adds user u to the organization of domain when the email is new. 1 added, 0 there, -1 failed. */
static int
demo_user(struct ctl *c, const char *domain, const struct demo_user *u, const char *hash)
{
	if (demo_user_id(c, u->email) != 0)
		return 0;
	int64_t tenant = demo_tenant(c, domain);
	if (tenant == 0)
		return -1;
	return st_user_insert(c->store, tenant, u->email, u->name, hash, u->roles, now_sec()) > 0 ? 1 : -1;
}

/* "Indirect provider", "Indirect reseller (in review)", "Customer" for the listing, from the database. */
static const char *
type_text(struct ctl *c, const struct tenant_row *t)
{
	if (t->kind == TENANT_CUSTOMER)
		return "Customer";
	struct partner_account_list pa;
	if (partner_accounts(c->store, &c->a, t->id, &pa) < 0)
		return "?";
	struct buf b;
	buf_init(&b, &c->a);
	buf_puts(&b, "");
	for (size_t i = 0; i < pa.n; i++) {
		buf_printf(&b, "%s%s", b.len ? ", " : "", partner_type_label(pa.v[i].type));
		if (pa.v[i].status != PA_APPROVED)
			buf_printf(&b, " (%s)", pa_status_label(pa.v[i].status));
	}
	return b.len ? b.p : "Partner (not enrolled)";
}

struct line {
	const char *col[6];
};

static void
put_lines(FILE *out, const struct line *l, int n, const char *indent)
{
	size_t w[6] = { 0 };
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 5; k++)
			if (strlen(l[i].col[k]) > w[k])
				w[k] = strlen(l[i].col[k]);
	for (int i = 0; i < n; i++)
		fprintf(out, "%s%-*s\t%-*s\t%-*s\t%-*s\t%-*s\t%s\n", indent, (int)w[0], l[i].col[0], (int)w[1], l[i].col[1],
		    (int)w[2], l[i].col[2], (int)w[3], l[i].col[3], (int)w[4], l[i].col[4], l[i].col[5]);
}

/* The user's TOTP secret in base32 (for an authenticator app, and the tests), or "-". */
static const char *
totp_text(struct ctl *c, int64_t user_id)
{
	unsigned char secret[OTP_SECRET_BYTES];
	if (mfa_secret(c->store, &c->a, user_id, secret) != 1)
		return "-";
	const char *t = otp_base32(&c->a, secret, sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	return t ? t : "-";
}

/* Every demo user gets a second factor (an app can add it from the printed secret). 0 or -1. */
static int
demo_mfa(struct ctl *c)
{
	for (size_t i = 0; i < NELEM(demo_orgs); i++)
		for (size_t k = 0; k < NELEM(demo_orgs[i].users) && demo_orgs[i].users[k].email != NULL; k++) {
			int64_t id = demo_user_id(c, demo_orgs[i].users[k].email);
			if (id <= 0 || mfa_enable_unconfirmed(c->store, &c->a, id, now_sec()) < 0)
				return -1;
		}
	return 0;
}

/* issue 18: the demo users who read the portal in Polish, Swedish and Russian. 0 or -1. */
static int
demo_langs(struct ctl *c)
{
	for (size_t i = 0; i < NELEM(demo_orgs); i++)
		for (size_t k = 0; k < NELEM(demo_orgs[i].users) && demo_orgs[i].users[k].email != NULL; k++) {
			const struct demo_user *u = &demo_orgs[i].users[k];
			if (u->lang != NULL && user_lang_set(c->store, demo_user_id(c, u->email), u->lang) < 0)
				return -1;
		}
	return 0;
}

/* The sign-ins of the demo world as the database has them now, and the PMC accounts: a
 * header line, then one line each (at most max). Returns the number of lines. */
static int
demo_listing(struct ctl *c, struct line *lines, int max)
{
	int n = 0;
	lines[n++] = (struct line){ { "EMAIL", "PASSWORD", "TOTP SECRET", "ORGANIZATION", "PARTNER TYPE", "ROLES" } };
	for (size_t i = 0; i < NELEM(demo_orgs); i++)
		for (size_t k = 0; k < NELEM(demo_orgs[i].users) && demo_orgs[i].users[k].email != NULL && n < max - 4; k++) {
			struct user_row u;
			struct tenant_row t;
			if (account_user(c->store, &c->a, demo_user_id(c, demo_orgs[i].users[k].email), &u) != 1 ||
			    tenant_get(c->store, &c->a, u.tenant_id, &t) != 1)
				continue;
			const char *lang = demo_orgs[i].users[k].lang;
			const char *words = roles_text(&c->a, u.roles);
			if (lang != NULL)	/* issue 18 */
				words = arena_printf(&c->a, "%s (pages and emails in %s)", words, i18n_name((enum lang)i18n_parse(lang)));
			lines[n++] = (struct line){ { u.email, DEMO_PASSWORD, totp_text(c, u.id), t.name, type_text(c, &t), words } };
		}
	for (size_t i = 0; i < NELEM(demo_pmc) && n < max; i++)
		lines[n++] = (struct line){ { demo_pmc[i].user, demo_pmc[i].password, "-", demo_pmc[i].company,
		    "PMC account (Link your MPN ID)", demo_pmc[i].note } };
	return n;
}

/* Writes the listing to <data>/demo-accounts.txt (replacing it whole): its path, or NULL
 * after saying why on stderr. */
static const char *
demo_write(struct ctl *c, const struct line *lines, int n)
{
	const char *path = arena_printf(&c->a, "%s/demo-accounts.txt", c->portal->cfg.data_dir);
	const char *tmp = arena_printf(&c->a, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(stderr, "portalctl: demo: cannot write %s\n", path);
		return NULL;
	}
	put_lines(f, lines, n, "");
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "portalctl: demo: cannot write %s\n", path);
		return NULL;
	}
	return path;
}

/* demo — loads the demo world (adding only what is missing) and lists its sign-ins. */
int
cmd_demo(struct ctl *c)
{
	if (c->argc != 0)
		return EXIT_USAGE;
	struct mpn_import_result res;
	if (mpn_import(c->store, &c->a, demo_csv, strlen(demo_csv), &res) != 0) {
		fprintf(stderr, "portalctl: demo: could not load the PMC directory (%s)\n", res.nerrors ? res.errors[0] : "database");
		return EXIT_REFUSED;
	}
	struct offers_import_result ores;
	if (offers_import(c->store, &c->a, demo_offers_csv, strlen(demo_offers_csv), &ores) != 0) {
		fprintf(stderr, "portalctl: demo: could not load the offer catalog (%s)\n", ores.nerrors ? ores.errors[0] : "database");
		return EXIT_REFUSED;
	}
	char hash[PW_HASH_MAX];
	if (password_hash(DEMO_PASSWORD, hash) < 0 || store_begin_write(c->store) < 0) {
		fprintf(stderr, "portalctl: demo: could not start (out of memory or database busy)\n");
		return EXIT_REFUSED;
	}
	int created = 0, users = 0;
	for (size_t i = 0; i < NELEM(demo_orgs); i++) {
		const struct demo_org *o = &demo_orgs[i];
		int rc = demo_org(c, o, hash);
		if (rc < 0)
			goto failed;
		created += rc;
		for (size_t k = 1; k < NELEM(o->users) && o->users[k].email != NULL; k++) {
			if ((rc = demo_user(c, o->domain, &o->users[k], hash)) < 0)
				goto failed;
			users += rc;
		}
	}
	if (demo_relationships(c) < 0 || demo_agreement(c) < 0 || demo_customers(c) < 0 || demo_mfa(c) < 0 ||
	    demo_langs(c) < 0)
		goto failed;
	int subscriptions = demo_orders(c);
	if (subscriptions < 0)
		goto failed;
	if (created || users || subscriptions)
		ctl_audit(c, 0, "demo.load", "", "ok", arena_printf(&c->a, "%d organizations, %d more users, %d subscriptions",
		    created, users, subscriptions));
	if (store_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: demo: the database refused the demo world; nothing was added\n");
		return EXIT_REFUSED;
	}

	struct line lines[64];
	int n = demo_listing(c, lines, (int)NELEM(lines));
	printf("demo world ready: %d organization%s and %d user%s added this time.\n", created, created == 1 ? "" : "s",
	    users, users == 1 ? "" : "s");
	printf("demo sign-ins (email, password, TOTP secret for an authenticator app, organization, partner type, roles):\n");
	put_lines(stdout, lines, n, "  ");
	printf("to enroll a new company: Create one at /enroll with the domain woodgrove.example in Germany,\n"
	    "then link the MPN ID with the PMC account above.\n"
	    "customers: Tailspin Toys works with Adatum, Trey Research and Northwind; Northwind orders for it\n"
	    "on behalf of Trey (Adatum must accept the agreement first). The catalog: portalctl offers list.\n");

	const char *path = demo_write(c, lines, n);
	if (path == NULL)
		return EXIT_REFUSED;
	printf("the same list is in %s\n", path);
	return EXIT_OK;
failed:
	store_rollback(c->store);
	fprintf(stderr, "portalctl: demo: nothing was added\n");
	return EXIT_REFUSED;
}
