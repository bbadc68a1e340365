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
 * rows). Tailspin's two subscriptions were ordered by Northwind on behalf of TREY, the
 * reseller that has accepted the agreement — through the same rule check and insert as the
 * web order form (cust_order_check, cust_order_insert), so the demo obeys every rule. An
 * order for Tailspin on behalf of Adatum is refused until Adatum accepts the agreement,
 * which the demo shows as it is. Subscriptions are keyed by fixed order keys, so running the
 * demo again adds none.
 *
 * Running it again adds only what is missing (organizations by domain, users by email,
 * PMC accounts and profiles by name and MPN ID); it never duplicates. It prints every demo
 * sign-in and writes the same list to <data>/demo-accounts.txt, one account a line:
 * email, password, organization, partner type, roles — tab-separated, padded so that the
 * columns line up in a terminal. */
#include <stdio.h>
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "cli/ctl.h"
#include "domain/customers.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "domain/mpn_import.h"
#include "domain/offers.h"
#include "domain/relationships.h"
#include "base/util.h"
#include "domain/words.h"

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
};

struct demo_org {
	const char *org, *domain, *country;
	const char *type;		/* NULL: a customer organization */
	enum pa_status status;		/* for indirect_reseller: where its enrollment stands */
	const char *legal_name, *address1, *city, *postal_code, *phone, *support_phone, *website, *mpn_id;
	struct demo_user users[6];	/* the first is the Global admin */
};

static const struct demo_org demo_orgs[] = {
	{ "Northwind Distribution", "northwind.example", "DE", "indirect_provider", PA_APPROVED,
	  "Northwind Distribution GmbH", "Hafenstrasse 12", "Hamburg", "20457", "+49 40 5550 1200", "+49 40 5550 1299",
	  "https://support.northwind.example", "4100001",
	  { { "nora.north@northwind.example", "Nora North", GA | AG },
	    { "alex.account@northwind.example", "Alex Account", AA },
	    { "ulla.users@northwind.example", "Ulla Users", UA },
	    { "sam.sales@northwind.example", "Sam Sales", SA },
	    { "hana.help@northwind.example", "Hana Help", HA } } },
	{ "Fabrikam Supply", "fabrikam.example", "US", "indirect_provider", PA_APPROVED,
	  "Fabrikam Supply Inc.", "400 Pine Street", "Seattle", "98101", "+1 206 555 0100", "+1 206 555 0199",
	  "https://support.fabrikam.example", "4200002",
	  { { "fiona.fab@fabrikam.example", "Fiona Fab", GA | AG },
	    { "adam.agent@fabrikam.example", "Adam Agent", AG },
	    { "sally.sales@fabrikam.example", "Sally Sales", SA },
	    { "bill.billing@fabrikam.example", "Bill Billing", BA } } },
	{ "Adatum Systems", "adatum.example", "FR", "indirect_reseller", PA_APPROVED,
	  "Adatum Systems SARL", "8 rue de la Paix", "Paris", "75002", "+33 1 55 50 12 00", "+33 1 55 50 12 99",
	  "https://help.adatum.example", "5100003",
	  { { "ada.adatum@adatum.example", "Ada Adatum", GA },
	    { "sven.sales@adatum.example", "Sven Sales", SA },
	    { "bea.billing@adatum.example", "Bea Billing", BA } } },
	{ "Trey Research", "treyresearch.example", "AT", "indirect_reseller", PA_APPROVED,
	  "Trey Research GmbH", "Mariahilfer Strasse 50", "Vienna", "1070", "+43 1 555 0170", "+43 1 555 0179",
	  "https://support.treyresearch.example", "5300005",
	  { { "tara.trey@treyresearch.example", "Tara Trey", GA },
	    { "simon.sales@treyresearch.example", "Simon Sales", SA } } },
	{ "Litware Consulting", "litware.example", "NL", "indirect_reseller", PA_IN_REVIEW,
	  "Litware Consulting B.V.", "Keizersgracht 100", "Amsterdam", "1015 AA", "+31 20 555 0100", "+31 20 555 0199",
	  "https://support.litware.example", "5200004",
	  { { "lisa.litware@litware.example", "Lisa Litware", GA } } },
	{ "Tailspin Toys", "tailspin.example", "DE", NULL, PA_DRAFT,
	  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	  { { "tom.tailspin@tailspin.example", "Tom Tailspin", GA } } },
};

/* The partner account id of type for the organization with domain, or 0. */
static int64_t
demo_account(struct ctl *c, const char *domain, const char *type)
{
	int64_t tenant = db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT(domain));
	return tenant ? db_int(c->store, Q_PA_OF_TYPE, 0, QI(tenant), QT(type)) : 0;
}

/* Adatum Systems (approved reseller, France) already works with Northwind Distribution
 * (provider, Germany): both in Europe. rel_create does nothing when they are related. */
static int
demo_relationships(struct ctl *c)
{
	static const char *const resellers[] = { "adatum.example", "treyresearch.example" };
	int64_t provider = demo_account(c, "northwind.example", "indirect_provider");
	for (size_t i = 0; i < NELEM(resellers); i++) {
		int64_t reseller = demo_account(c, resellers[i], "indirect_reseller");
		if (provider == 0 || reseller == 0)
			continue;
		if (rel_create(c->store, provider, reseller, 0, 0, now_sec()) < 0)
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
	int64_t version = db_int0(c->store, Q_AGREEMENT_CURRENT, 0);
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
		int64_t tenant = db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT(signers[i].domain));
		int64_t user = db_int(c->store, Q_USER_ID_BY_EMAIL, 0, QT(signers[i].admin));
		if (tenant == 0 || user == 0)
			continue;
		if (db_run(c->store, Q_AGREEMENT_ACCEPT, QI(tenant), QI(version), QT(signers[i].first), QT(signers[i].last),
		    QT(signers[i].admin), QT(signers[i].phone), QT("Managing Director"), QI(user), QI(now_sec()),
		    QT("")) < 0)
			return -1;
	}
	return 0;
}

/* The offer catalog, through the real importer (idempotent by offer_id). List prices in USD. */
static const char demo_offers_csv[] =
	"offer_id,name,description,unit,price,currency,active\n"
	"CLD-BIZ-BASIC,Business Basic,\"Web and mobile office apps, business email, 1 TB of file storage per user\",user/month,6.00,USD,yes\n"
	"CLD-BIZ-STD,Business Standard,\"Desktop office apps, plus everything in Business Basic\",user/month,12.50,USD,yes\n"
	"CLD-BIZ-PREM,Business Premium,\"Business Standard plus advanced security, identity and device management\",user/month,22.00,USD,yes\n"
	"CLD-ENT-E3,Enterprise E3,\"Office apps, email, compliance and device management for large organizations\",user/month,36.00,USD,yes\n"
	"CLD-SEC-EP,Endpoint Protection,\"Threat protection, detection and response for laptops, phones and servers\",device/month,3.00,USD,yes\n"
	"CLD-PHONE,Cloud Phone System,\"Calling plans and a phone number for each user, in the collaboration app\",user/month,8.00,USD,yes\n"
	"CLD-STOR-1TB,Extra File Storage,\"1 TB of additional file storage for the whole organization\",TB/month,2.00,USD,yes\n"
	"CLD-BIZ-ESS,Business Essentials (retired),\"Replaced by Business Basic; kept for existing subscriptions\",user/month,5.00,USD,no\n";

/* Tailspin Toys (customer, DE) works with Adatum, Trey Research and Northwind. */
static int
demo_customers(struct ctl *c)
{
	static const struct { const char *domain, *type; } partners[] = {
		{ "adatum.example", "indirect_reseller" },
		{ "treyresearch.example", "indirect_reseller" },
		{ "northwind.example", "indirect_provider" },
	};
	int64_t customer = db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT("tailspin.example"));
	if (customer == 0)
		return 0;
	for (size_t i = 0; i < NELEM(partners); i++) {
		int64_t partner = demo_account(c, partners[i].domain, partners[i].type);
		if (partner != 0 && cust_relate(c->store, partner, customer, 0, 0, 0, true, now_sec()) < 0)
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
			.customer = db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT("tailspin.example")),
			.provider = demo_account(c, "northwind.example", "indirect_provider"),
			.reseller = demo_account(c, "treyresearch.example", "indirect_reseller"),
			.mpn_id = "5300005", .offer_id = orders[i].offer, .quantity = orders[i].quantity,
			.order_key = orders[i].key,
		};
		if (o.customer == 0 || o.provider == 0 || o.reseller == 0 || db_int(c->store, Q_SUB_BY_KEY, 0, QT(o.order_key)) != 0)
			continue;
		struct cust_facts f;
		struct cust_names n;
		bool failed;
		enum cust_refusal why = cust_order_check(c->store, &c->a, &o, &f, &n, &failed);
		if (failed || why != CR_OK) {
			fprintf(stderr, "portalctl: demo: order %s refused: %s\n", o.order_key,
			    failed ? "database error" : cust_refusal_text(&c->a, &f, why, &n));
			return -1;
		}
		int64_t existing;
		int64_t sub = cust_order_insert(c->store, &o, now_sec(), &existing);
		if (sub < 0)
			return -1;
		added += sub > 0;
	}
	return added;
}

/* Creates org o (when its domain is new) with its first user; returns 1 created, 0 there, -1 failed. */
static int
demo_org(struct ctl *c, const struct demo_org *o, const char *hash)
{
	if (db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT(o->domain)) != 0)
		return 0;
	int64_t tenant, user, account;
	int64_t now = now_sec();
	if (o->type == NULL) {
		if (db_run(c->store, Q_TENANT_INSERT, QT(o->org), QT(o->domain), QT(o->country), QT("customer"), QI(now)) != 1)
			return -1;
		tenant = db_last_id(c->store);
		return db_run(c->store, Q_USER_INSERT, QI(tenant), QT(o->users[0].email), QT(o->users[0].name), QT(hash),
		    QI(o->users[0].roles), QI(now), QI(now)) == 1 ? 1 : -1;
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
	if (strcmp(o->type, "indirect_reseller") != 0)
		return 1;
	/* A reseller goes through the real status machine: submitted, verified, maybe approved. */
	if (db_run(c->store, Q_PA_INSERT, QI(tenant), QT(o->type), QT(p.support_email), QT(p.support_phone), QT(p.website),
	    QI(user), QI(now)) != 1)
		return -1;
	account = db_last_id(c->store);
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
	if (db_int(c->store, Q_USER_ID_BY_EMAIL, 0, QT(u->email)) != 0)
		return 0;
	int64_t tenant = db_int(c->store, Q_TENANT_BY_DOMAIN, 0, QT(domain)), now = now_sec();
	if (tenant == 0)
		return -1;
	return db_run(c->store, Q_USER_INSERT, QI(tenant), QT(u->email), QT(u->name), QT(hash), QI(u->roles), QI(now),
	    QI(now)) == 1 ? 1 : -1;
}

/* "Indirect provider", "Indirect reseller (in review)", "Customer" for the listing, from the database. */
static const char *
type_text(struct ctl *c, int64_t tenant, const char *kind)
{
	if (strcmp(kind, "customer") == 0)
		return "Customer";
	struct buf b;
	buf_init(&b, &c->a);
	buf_puts(&b, "");
	sqlite3_stmt *st = db_q(c->store, Q_PA_FOR_TENANT, QI(tenant));
	while (db_step(st) == SQLITE_ROW) {
		int s = pa_status_parse(db_text(st, 2));
		buf_printf(&b, "%s%s", b.len ? ", " : "", partner_type_label(partner_type_parse(db_text(st, 1))));
		if (s != PA_APPROVED)
			buf_printf(&b, " (%s)", s >= 0 ? pa_status_label((enum pa_status)s) : "?");
	}
	sqlite3_reset(st);
	return b.len ? b.p : "Partner (not enrolled)";
}

struct line {
	const char *col[5];
};

static void
put_lines(FILE *out, const struct line *l, int n, const char *indent)
{
	size_t w[5] = { 0 };
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			if (strlen(l[i].col[k]) > w[k])
				w[k] = strlen(l[i].col[k]);
	for (int i = 0; i < n; i++)
		fprintf(out, "%s%-*s\t%-*s\t%-*s\t%-*s\t%s\n", indent, (int)w[0], l[i].col[0], (int)w[1], l[i].col[1],
		    (int)w[2], l[i].col[2], (int)w[3], l[i].col[3], l[i].col[4]);
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
	if (password_hash(DEMO_PASSWORD, hash) < 0 || db_begin(c->store) < 0) {
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
	if (demo_relationships(c) < 0 || demo_agreement(c) < 0 || demo_customers(c) < 0)
		goto failed;
	int subscriptions = demo_orders(c);
	if (subscriptions < 0)
		goto failed;
	if (created || users || subscriptions)
		ctl_audit(c, 0, "demo.load", "", "ok", arena_printf(&c->a, "%d organizations, %d more users, %d subscriptions",
		    created, users, subscriptions));
	if (db_commit(c->store) < 0) {
		fprintf(stderr, "portalctl: demo: the database refused the demo world; nothing was added\n");
		return EXIT_REFUSED;
	}

	/* The listing, from the database as it is now. */
	struct line lines[64];
	int n = 0;
	lines[n++] = (struct line){ { "EMAIL", "PASSWORD", "ORGANIZATION", "PARTNER TYPE", "ROLES" } };
	for (size_t i = 0; i < NELEM(demo_orgs); i++)
		for (size_t k = 0; k < NELEM(demo_orgs[i].users) && demo_orgs[i].users[k].email != NULL && n < 60; k++) {
			int64_t uid = db_int(c->store, Q_USER_ID_BY_EMAIL, 0, QT(demo_orgs[i].users[k].email));
			sqlite3_stmt *st = db_q(c->store, Q_USER_BY_ID, QI(uid));
			if (db_step(st) != SQLITE_ROW) {
				sqlite3_reset(st);
				continue;
			}
			int64_t tenant = db_i64(st, 1);
			unsigned have = (unsigned)db_i64(st, 4);
			const char *email = arena_strdup(&c->a, db_text(st, 2));
			sqlite3_reset(st);
			st = db_q(c->store, Q_TENANT_GET, QI(tenant));
			const char *org = "?", *kind = "partner";
			if (db_step(st) == SQLITE_ROW) {
				org = arena_strdup(&c->a, db_text(st, 0));
				kind = arena_strdup(&c->a, db_text(st, 3));
			}
			sqlite3_reset(st);
			lines[n++] = (struct line){ { email, DEMO_PASSWORD, org, type_text(c, tenant, kind), roles_text(&c->a, have) } };
		}
	for (size_t i = 0; i < NELEM(demo_pmc) && n < 64; i++)
		lines[n++] = (struct line){ { demo_pmc[i].user, demo_pmc[i].password, demo_pmc[i].company,
		    "PMC account (Link your MPN ID)", demo_pmc[i].note } };

	printf("demo world ready: %d organization%s and %d user%s added this time.\n", created, created == 1 ? "" : "s",
	    users, users == 1 ? "" : "s");
	printf("demo sign-ins (email, password, organization, partner type, roles):\n");
	put_lines(stdout, lines, n, "  ");
	printf("to enroll a new company: Create one at /enroll with the domain woodgrove.example in Germany,\n"
	    "then link the MPN ID with the PMC account above.\n"
	    "customers: Tailspin Toys works with Adatum, Trey Research and Northwind; Northwind orders for it\n"
	    "on behalf of Trey (Adatum must accept the agreement first). The catalog: portalctl offers list.\n");

	char path[1200], tmp[1300];
	snprintf(path, sizeof(path), "%s/demo-accounts.txt", c->portal->cfg.data_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(stderr, "portalctl: demo: cannot write %s\n", path);
		return EXIT_REFUSED;
	}
	put_lines(f, lines, n, "");
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "portalctl: demo: cannot write %s\n", path);
		return EXIT_REFUSED;
	}
	printf("the same list is in %s\n", path);
	return EXIT_OK;
failed:
	db_rollback(c->store);
	fprintf(stderr, "portalctl: demo: nothing was added\n");
	return EXIT_REFUSED;
}
