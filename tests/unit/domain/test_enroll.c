/* test_enroll.c — enrollment rules: the checks of the legal business profile (with the
 * web-mail rule), the status machine (every illegal move refused), where an organization
 * stands, Enroll now and the contact's verification with real rows, the draft, the MPN
 * linking rules, and the PMC CSV importer's error reporting. The form's field table and
 * validators are tested in tests/unit/pages/test_enroll_form.c. */
#include <string.h>

#include "base/password.h"
#include "base/portal.h"
#include "base/syntax.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/enroll.h"
#include "domain/mpn.h"
#include "domain/overview.h"
#include "domain/mpn_import.h"
#include "domain/session.h"
#include "domain/words.h"
#include "unit.h"

/* ---- validators ---- */

START_TEST(test_email_syntax)
{
	static const char *const good[] = {
		"carla@woodgrove.example", "first.last+tag@sub.woodgrove.co.uk",
	};
	static const char *const bad[] = {
		"carla", "@woodgrove.example", "carla@", "carla@@woodgrove.example", "carla@woodgrove",
		"car la@woodgrove.example", ".carla@woodgrove.example", "carla..x@woodgrove.example",
		"carla@-woodgrove.example",
	};
	UNIT_VERDICTS(email_valid, good, bad);
}
END_TEST

START_TEST(test_phone)
{
	static const char *const good[] = {
		"+49 69 555 0100", "+1 (206) 555-0100",
		"1234567", /* 7 digits */
		"12345678901234567890", /* 20 digits */
	};
	static const char *const bad[] = {
		"123456", /* 6 */
		"123456789012345678901", /* 21 */
		"+49 69 555 01OO", /* letters */
		"+49.69.555.0100", /* dots */
		"+49 69 555 0100 ext 2", "(((-+-)))",
	};
	UNIT_VERDICTS(phone_valid, good, bad);
}
END_TEST

START_TEST(test_website)
{
	static const char *const good[] = {
		"https://support.woodgrove.example", "https://woodgrove.example/help?x=1#top",
	};
	static const char *const bad[] = {
		"HTTPS://woodgrove.example", /* the scheme as written */
		"http://woodgrove.example", "woodgrove.example", "https://", "https://woodgrove",
		"https://wood grove.example", "https://woodgrove.example/a b",
		"https://woodgrove.example/\"><script>", "javascript:alert(1)",
	};
	UNIT_VERDICTS(https_url_valid, good, bad);
}
END_TEST

START_TEST(test_postal_code)
{
	ck_assert(enroll_postal_code_problem("60311") == NULL);
	ck_assert(enroll_postal_code_problem("1015 AA") == NULL);
	ck_assert(enroll_postal_code_problem("SW1A 1AA") == NULL);
	ck_assert(enroll_postal_code_problem("98101-1234") == NULL);
	ck_assert(enroll_postal_code_problem("--") != NULL);
	ck_assert(enroll_postal_code_problem("60311;") != NULL);
	ck_assert_str_eq(enroll_postal_code_problem("--"), "Enter the postal code.");
	ck_assert_str_eq(enroll_postal_code_problem("60311;"), "Use letters, digits, spaces and hyphens only.");
}
END_TEST

START_TEST(test_webmail_match)
{
	ck_assert(webmail_match("gmail.com", "gmail.com"));
	ck_assert(webmail_match("GMail.COM", "gmail.com"));		/* case */
	ck_assert(webmail_match("gmail.com", "GMAIL.com"));
	ck_assert(webmail_match("eu.gmail.com", "gmail.com"));		/* subdomain */
	ck_assert(webmail_match("a.b.gmail.com", "gmail.com"));
	ck_assert(!webmail_match("notgmail.com", "gmail.com"));
	ck_assert(!webmail_match("gmail.com.evil.example", "gmail.com"));
	ck_assert(!webmail_match("gmail.co", "gmail.com"));
	ck_assert(webmail_match("yahoo.com", "yahoo.*"));		/* wildcard suffix */
	ck_assert(webmail_match("yahoo.fr", "yahoo.*"));
	ck_assert(webmail_match("yahoo.co.uk", "yahoo.*"));
	ck_assert(webmail_match("YAHOO.Co.Uk", "yahoo.*"));
	ck_assert(webmail_match("mail.yahoo.co.uk", "yahoo.*"));	/* subdomain + wildcard */
	ck_assert(webmail_match("live.com.au", "live.*"));
	ck_assert(webmail_match("hotmail.de", "hotmail.*"));
	ck_assert(!webmail_match("yahoo", "yahoo.*"));
	ck_assert(!webmail_match("myyahoo.com", "yahoo.*"));
	ck_assert(!webmail_match("live.contoso.com", "live.*"));	/* a company's own subdomain */
	ck_assert(!webmail_match("yahoo.de.contoso.com", "yahoo.*"));
	ck_assert(!webmail_match("me.contoso.com", "me.com"));
	ck_assert(!webmail_match("acme.com", "me.com"));
	ck_assert(webmail_match("me.com", "me.com"));
	ck_assert(!webmail_match("", "gmail.com"));
	ck_assert(!webmail_match("gmail.com", ""));
}
END_TEST

START_TEST(test_webmail_rule_from_table)
{
	ck_assert_str_eq(webmail_rule(&DB, &A, "ceo@Mail.Yahoo.co.uk"), "yahoo.*");
	ck_assert_str_eq(webmail_rule(&DB, &A, "ceo@googlemail.com"), "googlemail.com");
	ck_assert_str_eq(webmail_rule(&DB, &A, "ceo@eu.outlook.com"), "outlook.com");
	ck_assert_ptr_null(webmail_rule(&DB, &A, "ceo@woodgrove.example"));
	ck_assert_ptr_null(webmail_rule(&DB, &A, "not-an-email"));
	/* The list is data: a new row is a new rule. */
	unit_sql_exec(DB.h, "INSERT INTO webmail_domains VALUES ('Mail.example')");
	ck_assert_str_eq(webmail_rule(&DB, &A, "x@box.mail.EXAMPLE"), "Mail.example");
}
END_TEST

START_TEST(test_contact_email_names_the_rule)
{
	const char *m = enroll_contact_email_problem(&DB, &A, "boss@hotmail.fr");
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(m, "web-mail") != NULL && strstr(m, "hotmail.fr") != NULL && strstr(m, "matches \"hotmail.*\"") != NULL, "%s", m);
	m = enroll_contact_email_problem(&DB, &A, "boss@GMAIL.com");
	ck_assert_str_eq(m, "The primary contact cannot use a web-mail address: gmail.com is on the list of web-mail services. "
	    "Use an address at your company's own domain.");
	ck_assert_ptr_nonnull(enroll_contact_email_problem(&DB, &A, "boss-at-contoso"));
	ck_assert_ptr_null(enroll_contact_email_problem(&DB, &A, "boss@contoso.example"));
}
END_TEST

/* ---- the status machine ---- */

static bool
legal(enum pa_status from, enum pa_status to, bool verified)
{
	switch (to) {
	case PA_PENDING_VERIFICATION: return from == PA_DRAFT || from == PA_REJECTED;
	case PA_IN_REVIEW: return verified && (from == PA_PENDING_VERIFICATION || from == PA_DRAFT || from == PA_REJECTED);
	case PA_APPROVED:
	case PA_REJECTED: return from == PA_IN_REVIEW;
	default: return false;
	}
}

START_TEST(test_every_transition)
{
	int allowed = 0;
	for (int v = 0; v < 2; v++)
		for (int from = 0; from < PA__COUNT; from++)
			for (int to = 0; to < PA__COUNT; to++) {
				const char *why = enroll_transition(from, to, v);
				bool want = legal(from, to, v);
				ck_assert_msg((why == NULL) == want, "%s -> %s (verified %d): %s", pa_status_key(from),
				    pa_status_key(to), v, why ? why : "allowed");
				if (why != NULL)
					ck_assert_msg(strlen(why) > 10, "a refusal says why");
				allowed += want;
			}
	ck_assert_int_eq(allowed, 2 + 2 + 3 + 2 + 2);	/* unverified: 4; verified: 7 */
	/* Out of range and self-moves. */
	ck_assert_ptr_nonnull(enroll_transition(PA__COUNT, PA_DRAFT, true));
	ck_assert_ptr_nonnull(enroll_transition(PA_DRAFT, (enum pa_status)-1, true));
	ck_assert_ptr_nonnull(enroll_transition(PA_IN_REVIEW, PA_IN_REVIEW, true));
	ck_assert_str_eq(enroll_transition(PA_PENDING_VERIFICATION, PA_APPROVED, true),
	    "The primary contact has not verified their email address yet: only an enrollment in review can be"
	    " decided.");
	ck_assert_str_eq(enroll_transition(PA_APPROVED, PA_REJECTED, true), "This enrollment has already been decided.");
}
END_TEST

START_TEST(test_status_names)
{
	for (int s = 0; s < PA__COUNT; s++)
		ck_assert_int_eq(pa_status_parse(pa_status_key(s)), s);
	ck_assert_int_eq(pa_status_parse("approve"), -1);
	ck_assert_int_eq(pa_status_parse(NULL), -1);
	ck_assert_str_eq(pa_status_short(PA_IN_REVIEW), "Pending");
	ck_assert_str_eq(pa_status_short(PA_APPROVED), "Approved");	/* issue 15, item 13 (was "Accepted") */
	ck_assert_str_eq(pa_status_short(PA_REJECTED), "Rejected");
}
END_TEST

/* An organization enrolling as an indirect reseller: its user U (Global admin, who enrolled
 * it), its legal profile (the contact verified at 5, or not) and the account with status. */
struct enrolling {
	int64_t tenant, user, account;
};

static struct enrolling
make_account(enum pa_status status, bool verified)
{
	struct enrolling e;
	e.tenant = unit_org(.name = "T", .domain = "t.example");
	e.user = unit_user(.tenant = e.tenant, .email = "u@t.example", .name = "U", .roles = ROLE_MASK(GLOBAL_ADMIN));
	struct legal_profile l = { .legal_name = "T GmbH", .address1 = "A 1", .city = "C", .postal_code = "1",
		.contact_first = "F", .contact_last = "L", .contact_email = "c@t.example", .contact_phone = "1234567",
		.contact_verified_at = verified ? 5 : 0 };
	ck_assert_int_eq(st_legal_upsert(&DB, e.tenant, &l, 1), 1);
	e.account = unit_account(.tenant = e.tenant, .type = PT_INDIRECT_RESELLER, .status = status, .enrolled_by = e.user);
	return e;
}

static const char *
status_of(int64_t id)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(DB.h, "SELECT status FROM partner_accounts WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	const char *s = arena_strdup(&A, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* enroll_apply: NULL when it moved, else the refusal's sentence (a database error fails). */
static const char *
apply(int64_t id, enum pa_status to, const char *reason, struct pa_change *c)
{
	const char *why = NULL;
	int rc = enroll_apply(&DB, &A, id, to, reason, c, &why);
	ck_assert_int_ge(rc, 0);
	ck_assert((rc == 0) == (why == NULL));
	return why;
}

START_TEST(test_apply_refuses_and_writes_nothing)
{
	UNIT_SQLITE_ONLY("reads rows with sqlite3_prepare");
	struct enrolling e = make_account(PA_PENDING_VERIFICATION, false);
	int64_t id = e.account;
	struct pa_change c;
	ck_assert_ptr_nonnull(apply(id, PA_APPROVED, NULL, &c));
	ck_assert_ptr_nonnull(apply(id, PA_IN_REVIEW, NULL, &c));	/* not verified */
	ck_assert_ptr_nonnull(apply(id, PA_DRAFT, NULL, &c));
	ck_assert_str_eq(status_of(id), "pending_verification");
	ck_assert_ptr_nonnull(apply(999, PA_APPROVED, NULL, &c));
	ck_assert_int_eq(st_legal_set_verified(&DB, e.tenant, 7), 1);
	ck_assert_ptr_null(apply(id, PA_IN_REVIEW, NULL, &c));
	ck_assert_str_eq(status_of(id), "in_review");
	ck_assert_int_eq(c.from, PA_PENDING_VERIFICATION);
	ck_assert_str_eq(c.contact_email, "c@t.example");
	/* A rejection needs a reason. */
	ck_assert_ptr_nonnull(apply(id, PA_REJECTED, "", &c));
	ck_assert_str_eq(status_of(id), "in_review");
	/* Approval: the enrolling user joins Admin agent and loses their sessions. */
	ck_assert_int_gt(st_session_insert(&DB, (const unsigned char[32]){ 0 }, e.user, 1, "", "", 1, false), 0);
	ck_assert_ptr_null(apply(id, PA_APPROVED, NULL, &c));
	ck_assert_str_eq(status_of(id), "approved");
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT roles FROM users WHERE id = 1"), ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ADMIN_AGENT));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM sessions"), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT decided_at IS NOT NULL FROM partner_accounts"), 1);
	ck_assert_ptr_nonnull(apply(id, PA_REJECTED, "late", &c));
	ck_assert_str_eq(status_of(id), "approved");
}
END_TEST

/* ---- MPN linking rules ---- */

START_TEST(test_mpn_link_rules)
{
	ck_assert_ptr_null(mpn_link_problem(&A, true, "DE", "Germany", "DE", "Germany", 0, 7));
	ck_assert_ptr_null(mpn_link_problem(&A, true, "DE", "Germany", "DE", "Germany", 7, 7));	/* ours already */
	const char *m = mpn_link_problem(&A, false, "DE", "Germany", "DE", "Germany", 0, 7);
	ck_assert_msg(m != NULL && strstr(m, "inactive") != NULL, "%s", m);
	m = mpn_link_problem(&A, true, "US", "United States", "DE", "Germany", 0, 7);
	ck_assert_msg(m != NULL && strstr(m, "is in United States, but your work account is in Germany") != NULL, "%s", m);
	m = mpn_link_problem(&A, true, "DE", "Germany", "DE", "Germany", 8, 7);
	ck_assert_msg(m != NULL && strstr(m, "another organization") != NULL, "%s", m);
}
END_TEST

/* ---- the CSV importer ---- */

static const char good_csv[] =
	"pmc_username,pmc_password,mpn_id,company_name,country,status\r\n"
	"PMC@Woodgrove.example,Woodgrove-PMC-2025,6100001,Woodgrove Bank GmbH,DE,active\r\n"
	"pmc@woodgrove.example,,6100002,\"Woodgrove Bank, Inc.\",us,Active\r\n"
	"\r\n"
	",,6100003,\"Woodgrove \"\"Leasing\"\" GmbH\",DE,inactive\r\n";

START_TEST(test_import_good)
{
	struct mpn_import_result res;
	ck_assert_int_eq(mpn_import(&DB, &A, good_csv, strlen(good_csv), &res), 0);
	ck_assert_int_eq(res.rows, 3);
	ck_assert_int_eq(res.pmc_accounts, 1);
	ck_assert_int_eq(res.profiles, 3);
	ck_assert_int_eq(res.links, 2);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM pmc_accounts WHERE username ="
	    " 'pmc@woodgrove.example' AND pw_hash LIKE '$argon2id$%'"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mpn_profiles WHERE mpn_id = '6100002' AND"
	    " company_name = 'Woodgrove Bank, Inc.' AND country = 'US' AND status = 'active'"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mpn_profiles WHERE company_name = 'Woodgrove \"Leasing\" GmbH'"), 1);
	/* The stored hash checks the password. */
	char hash[256];
	unit_sql_text(DB.h, "SELECT pw_hash FROM pmc_accounts", hash, sizeof(hash));
	ck_assert(password_check(hash, "Woodgrove-PMC-2025"));
	ck_assert(!password_check(hash, "woodgrove-pmc-2025"));
	/* Again: nothing duplicated. */
	ck_assert_int_eq(mpn_import(&DB, &A, good_csv, strlen(good_csv), &res), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM pmc_accounts"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mpn_profiles"), 3);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM pmc_profile_links"), 2);
}
END_TEST

static void
expect_errors(const char *csv, const char *const *want, int n)
{
	struct mpn_import_result res;
	int64_t before = unit_sql_int(DB.h, "SELECT (SELECT count(*) FROM pmc_accounts) + (SELECT count(*) FROM"
	    " mpn_profiles) + (SELECT count(*) FROM pmc_profile_links)");
	ck_assert_int_eq(mpn_import(&DB, &A, csv, strlen(csv), &res), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT (SELECT count(*) FROM pmc_accounts) + (SELECT count(*) FROM"
	    " mpn_profiles) + (SELECT count(*) FROM pmc_profile_links)"), before);
	for (int i = 0; i < n && i < res.nerrors; i++)
		ck_assert_msg(strncmp(res.errors[i], want[i], strlen(want[i])) == 0, "error %d: got \"%s\", want \"%s...\"", i, res.errors[i], want[i]);
	ck_assert_msg(res.nerrors == n, "%d errors, want %d (first: %s)", res.nerrors, n, res.nerrors ? res.errors[0] : "-");
}

START_TEST(test_import_errors_with_line_numbers)
{
	static const char csv[] =
		"pmc_username,pmc_password,mpn_id,company_name,country,status\n"	/* 1 */
		"pmc@a.example,A-PMC-2025,6100001,A GmbH,DE,active\n"			/* 2 fine */
		"pmc@b.example,B-PMC-2025,61-0002,B GmbH,DE,active\n"			/* 3 mpn_id */
		"pmc@c.example,C-PMC-2025,6100003,,DE,active\n"				/* 4 company */
		"pmc@d.example,D-PMC-2025,6100004,D GmbH,Germany,active\n"		/* 5 country */
		"pmc@e.example,E-PMC-2025,6100005,E GmbH,DE,paused\n"			/* 6 status */
		"pmc@f.example,F-PMC-2025,6100006,F GmbH,DE\n"				/* 7 columns */
		"pmc@g.example,G-PMC-2025,6100007,\"G\nGmbH\"x,DE,active\n"		/* 8-9 quote */
		"pmc@h.example,H-PMC-2025,6100008,H GmbH,DE,active\n"			/* 10 fine */
		"pmc@h.example,other-password,6100009,H2 GmbH,DE,active\n"		/* 11 password differs */
		"pmc@a.example,,6100001,A GmbH,FR,active\n"				/* 12 pair again, profile differs */
		",secret,6100010,I GmbH,DE,active\n"					/* 13 password without user */
		"pmc@j.example,$argon2id$broken,6100011,J GmbH,DE,active\n"		/* 14 bad hash */
		"pmc@k.example,K-PMC-2025,6100012,\"K\nGmbH\",DE,active\n"		/* 15-16 a line break in a name */
		"pmc@l.example,L-PMC-2025,12,L GmbH,DE,active\n";			/* 17: numbered after it */
	static const char *const want[] = {
		"line 3: mpn_id must be 6 to 10 digits",
		"line 4: company_name must be 1 to 200 characters on one line",
		"line 5: country \"GERMANY\" is not a country code",
		"line 6: status must be active or inactive (found \"paused\")",
		"line 7: expected 6 columns",
		"line 8: text after a closing quote",
		"line 13: pmc_password is given but pmc_username is empty",
		"line 14: pmc_password looks like an Argon2 hash but is not a valid one",
		"line 15: company_name must be 1 to 200 characters on one line",
		"line 17: mpn_id must be 6 to 10 digits",
		"line 11: PMC account pmc@h.example has a different password on line 10",
		"line 12: PMC account pmc@a.example and MPN ID 6100001 are already paired on line 2",
		"line 12: MPN ID 6100001 has a different company, country or status on line 2",
	};
	expect_errors(csv, want, (int)NELEM(want));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mpn_profiles"), 0);
}
END_TEST

START_TEST(test_import_header_and_encoding)
{
	static const char *const header[] = { "line 1: the header must be exactly: pmc_username,pmc_password,mpn_id,company_name,country,status" };
	expect_errors("username,password,mpn\nx,y,1234567\n", header, 1);
	static const char *const empty[] = { "line 1: the file is empty" };
	expect_errors("", empty, 1);
	static const char *const binary[] = { "line 1: the file is not UTF-8 text" };
	expect_errors("pmc_username,pmc_password,mpn_id,company_name,country,status\n\xff\xfe,x,1234567,A,DE,active\n", binary, 1);
	static const char *const open_quote[] = { "line 2: a quoted field is not closed" };
	expect_errors("pmc_username,pmc_password,mpn_id,company_name,country,status\n\"x,y,1234567,A,DE,active\n", open_quote, 1);
	/* A UTF-8 byte-order mark and CRLF line ends are fine. */
	struct mpn_import_result res;
	const char *bom = "\xEF\xBB\xBFpmc_username,pmc_password,mpn_id,company_name,country,status\r\n,,1234567,Ä GmbH,AT,inactive\r\n";
	ck_assert_int_eq(mpn_import(&DB, &A, bom, strlen(bom), &res), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM mpn_profiles WHERE company_name = 'Ä GmbH'"), 1);
}
END_TEST

/* ---- where an organization stands, Enroll now, the contact's verification ---- */

#define BASE_URL "https://portal.example"

/* A partner organization in Germany with its Global admin; returns the tenant (user: *user). */
static int64_t
make_org(const char *domain, int64_t *user)
{
	int64_t t = unit_org(.name = "Woodgrove Bank", .domain = domain);
	*user = unit_user(.tenant = t, .email = arena_printf(&A, "ana@%s", domain), .name = "Ana Admin",
	    .roles = ROLE_MASK(GLOBAL_ADMIN));
	return t;
}

static struct enroll_submission
submission(int64_t tenant, int64_t user)
{
	return (struct enroll_submission){
		.tenant = tenant, .user = user,
		.legal = { .legal_name = "Woodgrove Bank GmbH", .address1 = "Bankplatz 1", .city = "Frankfurt",
		    .postal_code = "60311", .contact_first = "Carla", .contact_last = "Contact",
		    .contact_email = "carla@woodgrove.example", .contact_phone = "+49 69 555 0100" },
		.support = { "support@woodgrove.example", "+49 69 555 0199", "https://support.woodgrove.example" },
	};
}

START_TEST(test_state_submit_verify)
{
	UNIT_SQLITE_ONLY("reads rows with sqlite3_prepare");
	int64_t user, t = make_org("woodgrove.example", &user);
	struct enroll_state s;
	ck_assert_int_eq(enroll_state_get(&DB, &A, t, &s), 0);
	ck_assert(!s.customer && !s.has_legal && !s.shortcut && !s.submitted);
	ck_assert_ptr_null(s.reseller);
	ck_assert_int_eq(s.reseller_status, PA_NONE);
	ck_assert_str_eq(s.tenant.country.name, "Germany");
	ck_assert_int_eq(enroll_state_get(&DB, &A, 999, &s), -1);	/* no such organization */

	/* Enroll now: the profile, the account, the status change, the link; the draft goes. */
	ck_assert_int_eq(draft_save(&DB, t, "legal_name=W", 5), 0);
	struct enroll_submission sub = submission(t, user);
	struct pa_change c;
	const char *link, *why;
	ck_assert_int_eq(enroll_submit(&DB, &A, &sub, BASE_URL, &c, &link, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(c.from, PA_DRAFT);
	ck_assert_int_eq(c.to, PA_PENDING_VERIFICATION);
	ck_assert_int_eq(c.type, PT_INDIRECT_RESELLER);
	ck_assert_str_eq(c.contact_email, "carla@woodgrove.example");
	ck_assert_str_eq(c.contact_name, "Carla Contact");
	ck_assert_str_eq(c.legal_name, "Woodgrove Bank GmbH");
	ck_assert_msg(str_has_prefix(link, BASE_URL "/verify?t="), "%s", link);
	ck_assert_str_eq(enroll_mail_template(c.to), "enroll-verify");
	ck_assert_str_eq(enroll_change_detail(&A, &c), "indirect_reseller: draft -> pending_verification");
	ck_assert_str_eq(status_of(c.account_id), "pending_verification");
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM enrollment_drafts"), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM link_tokens WHERE purpose = 'verify-contact' AND"
	    " revoked_at IS NULL"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT verify_sent_at IS NOT NULL AND enrolled_by = 1 FROM"
	    " partner_accounts"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT contact_verified_at IS NULL FROM legal_profiles"), 1);
	ck_assert_int_eq(enroll_state_get(&DB, &A, t, &s), 0);
	ck_assert(s.submitted && s.has_legal && !s.contact_verified);
	ck_assert_int_eq(s.reseller_id, c.account_id);
	ck_assert_str_eq(s.reseller->support_website, "https://support.woodgrove.example");
	ck_assert_str_eq(s.legal.postal_code, "60311");

	/* Submitted already: refused with the status machine's sentence. */
	ck_assert_int_eq(enroll_submit(&DB, &A, &sub, BASE_URL, &c, &link, &why), 1);
	ck_assert_str_eq(why, "The enrollment already has this status.");

	/* The contact follows the link: verified, and in review. */
	struct pa_change facts, moved;
	ck_assert_int_eq(enroll_facts(&DB, &A, s.reseller_id, &facts, NULL), 1);
	ck_assert_int_eq(enroll_contact_verified(&DB, &A, &facts, &moved, &why), 0);
	ck_assert_int_eq(moved.from, PA_PENDING_VERIFICATION);
	ck_assert_int_eq(moved.to, PA_IN_REVIEW);
	ck_assert_str_eq(status_of(s.reseller_id), "in_review");
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT contact_verified_at IS NOT NULL FROM legal_profiles"), 1);
	/* Again (a second link): verified, nothing moves. */
	ck_assert_int_eq(enroll_facts(&DB, &A, s.reseller_id, &facts, NULL), 1);
	ck_assert_int_eq(enroll_contact_verified(&DB, &A, &facts, &moved, &why), 0);
	ck_assert_int_eq(moved.from, moved.to);
	ck_assert_int_eq(enroll_facts(&DB, &A, 999, &facts, NULL), 0);
}
END_TEST

/* Issue 17: the Overview reads the organization, its accounts, legal details and agreement
 * state in one statement, with the same answers as enroll_state_get and agreement_state (four
 * statements): without any of them, with all of them, and for no such organization. */
static void
same_states(int64_t t)
{
	struct enroll_state want, got;
	struct agreement_state want_ag, got_ag;
	ck_assert_int_eq(enroll_state_get(&DB, &A, t, &want), 0);
	ck_assert_int_eq(agreement_state(&DB, &A, t, &want_ag), 0);
	uint64_t before = DB.statements;
	ck_assert_int_eq(overview_state(&DB, &A, t, &got, &got_ag), 0);
	ck_assert_uint_eq(DB.statements - before, 1);
	ck_assert_int_eq(got.tenant.id, want.tenant.id);
	ck_assert_str_eq(got.tenant.name, want.tenant.name);
	ck_assert_str_eq(got.tenant.domain, want.tenant.domain);
	ck_assert_int_eq(got.tenant.kind, want.tenant.kind);
	ck_assert_int_eq(got.tenant.created_at, want.tenant.created_at);
	ck_assert_str_eq(got.tenant.country.code, want.tenant.country.code);
	ck_assert_str_eq(got.tenant.country.name, want.tenant.country.name);
	ck_assert_str_eq(got.tenant.country.region, want.tenant.country.region);
	ck_assert_str_eq(got.tenant.country.region_name, want.tenant.country.region_name);
	ck_assert_uint_eq(got.accounts.n, want.accounts.n);
	for (size_t i = 0; i < got.accounts.n; i++) {
		const struct partner_account *g = &got.accounts.v[i], *w = &want.accounts.v[i];
		ck_assert_int_eq(g->id, w->id);
		ck_assert_int_eq(g->tenant_id, w->tenant_id);
		ck_assert_int_eq(g->type, w->type);
		ck_assert_int_eq(g->status, w->status);
		ck_assert_str_eq(g->support_email, w->support_email);
		ck_assert_str_eq(g->support_phone, w->support_phone);
		ck_assert_str_eq(g->support_website, w->support_website);
		ck_assert_int_eq(g->submitted_at, w->submitted_at);
		ck_assert_int_eq(g->verified_at, w->verified_at);
		ck_assert_int_eq(g->decided_at, w->decided_at);
		ck_assert_int_eq(g->verify_sent_at, w->verify_sent_at);
		ck_assert_pstr_eq(g->reject_reason, w->reject_reason);
	}
	ck_assert_int_eq(got.reseller_id, want.reseller_id);
	ck_assert_int_eq(got.reseller_status, want.reseller_status);
	ck_assert_int_eq(got.other_approved, want.other_approved);
	ck_assert_int_eq(got.other != NULL ? got.other->id : 0, want.other != NULL ? want.other->id : 0);
	ck_assert_int_eq(got.customer, want.customer);
	ck_assert_int_eq(got.has_legal, want.has_legal);
	ck_assert_int_eq(got.contact_verified, want.contact_verified);
	ck_assert_int_eq(got.shortcut, want.shortcut);
	ck_assert_int_eq(got.submitted, want.submitted);
	if (want.has_legal) {
		ck_assert_str_eq(got.legal.legal_name, want.legal.legal_name);
		ck_assert_str_eq(got.legal.address1, want.legal.address1);
		ck_assert_pstr_eq(got.legal.address2, want.legal.address2);
		ck_assert_str_eq(got.legal.city, want.legal.city);
		ck_assert_pstr_eq(got.legal.state, want.legal.state);
		ck_assert_str_eq(got.legal.postal_code, want.legal.postal_code);
		ck_assert_str_eq(got.legal.contact_first, want.legal.contact_first);
		ck_assert_str_eq(got.legal.contact_last, want.legal.contact_last);
		ck_assert_str_eq(got.legal.contact_email, want.legal.contact_email);
		ck_assert_str_eq(got.legal.contact_phone, want.legal.contact_phone);
		ck_assert_int_eq(got.legal.contact_verified_at, want.legal.contact_verified_at);
		ck_assert_int_eq(got.legal.updated_at, want.legal.updated_at);
	}
	ck_assert_int_eq(got_ag.published, want_ag.published);
	ck_assert_int_eq(got_ag.version_id, want_ag.version_id);
	ck_assert_str_eq(got_ag.version, want_ag.version);
	ck_assert_int_eq(got_ag.published_at, want_ag.published_at);
	ck_assert_int_eq(got_ag.accepted, want_ag.accepted);
	ck_assert_int_eq(got_ag.accepted_version_id, want_ag.accepted_version_id);
	ck_assert_pstr_eq(got_ag.accepted_version, want_ag.accepted_version);
	ck_assert_pstr_eq(got_ag.signer_name, want_ag.signer_name);
	ck_assert_pstr_eq(got_ag.signer_email, want_ag.signer_email);
	ck_assert_pstr_eq(got_ag.signer_title, want_ag.signer_title);
	ck_assert_int_eq(got_ag.accepted_at, want_ag.accepted_at);
}

START_TEST(test_overview_state_one_statement)
{
	int64_t user, t = make_org("fabrikam.example", &user);
	same_states(t);		/* nothing: no account, no legal profile, no agreement published */
	struct enroll_state s;
	struct agreement_state ag;
	ck_assert_int_eq(overview_state(&DB, &A, t, &s, &ag), 0);
	ck_assert(!s.has_legal && s.accounts.n == 0 && !ag.published);
	ck_assert_str_eq(ag.version, "");
	ck_assert_int_eq(overview_state(&DB, &A, 999, &s, &ag), -1);	/* no such organization */

	/* a provider account approved, a reseller account in draft, the legal profile, two
	 * versions published and the first one accepted */
	struct support_details sup = { "help@fabrikam.example", "+49 30 555 0100", "https://help.fabrikam.example" };
	int64_t provider = st_pa_insert(&DB, t, PT_INDIRECT_PROVIDER, PA_APPROVED, &sup, user, 3);
	ck_assert_int_gt(st_pa_insert(&DB, t, PT_INDIRECT_RESELLER, PA_DRAFT, &sup, user, 4), provider);
	struct legal_profile legal = submission(t, user).legal;
	legal.contact_verified_at = 3;
	ck_assert_int_eq(st_legal_upsert(&DB, t, &legal, 5), 1);
	int64_t v1 = st_agreement_publish(&DB, "2026-01", "first", 6);
	ck_assert_int_gt(v1, 0);
	same_states(t);		/* published, nothing accepted */
	struct agreement_acceptance acc = { .version_id = v1, .first = "Carla", .last = "Contact",
	    .email = "carla@woodgrove.example", .phone = "+49 69 555 0100", .title = "CFO", .user_id = user,
	    .accepted_at = 7, .ip = "192.0.2.1" };
	ck_assert_int_eq(st_agreement_accept(&DB, t, &acc), 1);
	ck_assert_int_gt(st_agreement_publish(&DB, "2026-02", "second", 8), v1);
	same_states(t);		/* an older version accepted */
	ck_assert_int_eq(overview_state(&DB, &A, t, &s, &ag), 0);
	ck_assert(s.has_legal && s.accounts.n == 2 && s.other_approved && s.shortcut && ag.published && !ag.accepted);
	ck_assert_str_eq(ag.accepted_version, "2026-01");
	ck_assert_str_eq(ag.signer_name, "Carla Contact");
}
END_TEST

START_TEST(test_shortcut_submit)
{
	/* An approved indirect provider whose contact is verified: only the support details. */
	int64_t user, t = make_org("fabrikam.example", &user);
	struct support_details sup = { "help@fabrikam.example", "+49 30 555 0100", "https://help.fabrikam.example" };
	int64_t provider = st_pa_insert(&DB, t, PT_INDIRECT_PROVIDER, PA_APPROVED, &sup, user, 3);
	ck_assert_int_gt(provider, 0);
	struct legal_profile legal = submission(t, user).legal;
	legal.contact_verified_at = 3;
	ck_assert_int_eq(st_legal_upsert(&DB, t, &legal, 3), 1);
	struct enroll_state s;
	ck_assert_int_eq(enroll_state_get(&DB, &A, t, &s), 0);
	ck_assert(s.other_approved && s.contact_verified && s.shortcut && !s.submitted);
	ck_assert_int_eq(s.other->id, provider);
	ck_assert_int_eq(enroll_verify_account(&s.accounts), provider);
	ck_assert_ptr_eq(enroll_support_account(&s.accounts), s.other);

	struct enroll_submission sub = { .tenant = t, .user = user, .shortcut = true, .support = sup };
	struct pa_change c;
	const char *link, *why;
	ck_assert_int_eq(enroll_submit(&DB, &A, &sub, BASE_URL, &c, &link, &why), 0);
	ck_assert_int_eq(c.to, PA_IN_REVIEW);
	ck_assert_ptr_null(link);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM link_tokens"), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT contact_verified_at FROM legal_profiles"), 3);	/* untouched */
	ck_assert_int_eq(enroll_state_get(&DB, &A, t, &s), 0);
	ck_assert_int_eq(enroll_verify_account(&s.accounts), s.reseller_id);	/* the reseller account now */
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT submitted_at = verified_at AND verified_at = decided_at AND"
	    " status = 'approved'"
	    " FROM partner_accounts WHERE type = 'indirect_provider'"), 1);
}
END_TEST

START_TEST(test_profile_save)
{
	int64_t user, t = make_org("contoso.example", &user);
	struct legal_profile legal = submission(t, user).legal;
	struct support_details sup = { "s@contoso.example", "1234567", "https://s.contoso.example" };
	bool changed;
	ck_assert_int_eq(enroll_profile_save(&DB, &A, t, &legal, &sup, &changed), 0);
	ck_assert(changed);				/* a first contact */
	ck_assert_int_eq(st_legal_set_verified(&DB, t, 9), 1);
	legal.contact_email = "CARLA@woodgrove.example";
	legal.city = "Offenbach";
	ck_assert_int_eq(enroll_profile_save(&DB, &A, t, &legal, &sup, &changed), 0);
	ck_assert(!changed);				/* the same address, any case: still verified */
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT contact_verified_at FROM legal_profiles"), 9);
	legal.contact_email = "dora@contoso.example";
	ck_assert_int_eq(enroll_profile_save(&DB, &A, t, &legal, &sup, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT contact_verified_at IS NULL FROM legal_profiles"), 1);
	struct legal_profile got;
	ck_assert_int_eq(enroll_legal_get(&DB, &A, t, &got), 1);
	ck_assert_str_eq(got.city, "Offenbach");
	ck_assert_int_eq(enroll_legal_get(&DB, &A, 999, &got), 0);
}
END_TEST

START_TEST(test_draft)
{
	UNIT_SQLITE_ONLY("drops a table with sqlite3_exec to make a write fail");
	int64_t user, t = make_org("tailspin.example", &user);
	struct draft d;
	ck_assert_int_eq(draft_load(&DB, &A, t, &d), 0);
	ck_assert(!d.exists);
	ck_assert_str_eq(d.fields, "");
	ck_assert_int_eq(draft_save(&DB, t, "pmc_user=x%40y.example", 10), 0);
	ck_assert_int_eq(st_pmc_upsert(&DB, "x@y.example", "$argon2id$x"), 1);
	int64_t pmc = st_pmc_id(&DB, "X@Y.example");
	ck_assert_int_gt(pmc, 0);
	ck_assert_int_eq(draft_set_pmc(&DB, t, pmc, user, now_sec()), 0);
	ck_assert_int_eq(draft_load(&DB, &A, t, &d), 0);
	ck_assert(d.exists);
	ck_assert_str_eq(d.fields, "pmc_user=x%40y.example");
	ck_assert_int_eq(d.pmc_id, pmc);
	ck_assert(draft_pmc_live(&d, user, now_sec()));
	ck_assert(!draft_pmc_live(&d, user + 1, now_sec()));		/* another user */
	ck_assert(!draft_pmc_live(&d, user, now_sec() + PMC_SIGNIN_TTL));	/* too long ago */
	ck_assert_int_eq(draft_set_pmc(&DB, t, 0, 0, now_sec()), 0);
	ck_assert_int_eq(draft_load(&DB, &A, t, &d), 0);
	ck_assert_int_eq(d.pmc_id, 0);
	ck_assert_str_eq(d.fields, "pmc_user=x%40y.example");		/* the fields stay */
	/* A database error is an error, not an empty draft. */
	ck_assert_int_eq(sqlite3_exec(DB.h, "DROP TABLE enrollment_drafts", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(draft_load(&DB, &A, t, &d), -1);
	ck_assert(store_failed(&DB));
	store_clear_failure(&DB);
}
END_TEST

/* ---- Link your MPN ID ---- */

START_TEST(test_pmc_signin_and_link)
{
	struct mpn_import_result res;
	ck_assert_int_eq(mpn_import(&DB, &A, good_csv, strlen(good_csv), &res), 0);
	int64_t user, t = make_org("woodgrove.example", &user), pmc;
	ck_assert_int_eq(pmc_signin(&DB, &A, "pmc@woodgrove.example", "Woodgrove-PMC-2025", &pmc), 1);
	ck_assert_int_gt(pmc, 0);
	int64_t known = pmc;
	ck_assert_int_eq(pmc_signin(&DB, &A, "pmc@woodgrove.example", "wrong", &pmc), 0);
	ck_assert_int_eq(pmc, known);
	ck_assert_int_eq(pmc_signin(&DB, &A, "nobody@woodgrove.example", "Woodgrove-PMC-2025", &pmc), 0);
	ck_assert_int_eq(pmc, 0);

	struct mpn_profile_list list;
	ck_assert_int_eq(pmc_profiles(&DB, &A, known, &list), 0);
	ck_assert_int_eq(list.n, 2);
	ck_assert_str_eq(list.v[0].company_name, "Woodgrove Bank GmbH");
	ck_assert_str_eq(list.v[1].country_name, "United States");

	const char *why;
	ck_assert_int_eq(mpn_link_offered(&DB, &A, known, "6100003", t, "DE", user, &why), MPN_NOT_OFFERED);
	ck_assert_int_eq(mpn_link_offered(&DB, &A, known, "6100002", t, "DE", user, &why), MPN_REFUSED);
	ck_assert_msg(strstr(why, "is in United States, but your work account is in Germany") != NULL, "%s", why);
	ck_assert_int_eq(mpn_link_offered(&DB, &A, known, "6100001", t, "DE", user, &why), MPN_LINKED);
	ck_assert_int_eq(mpn_link_offered(&DB, &A, known, "6100001", t, "DE", user, &why), MPN_ALREADY_LINKED);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenant_mpn_ids WHERE mpn_id = '6100001' AND"
	    " linked_by = 1"), 1);
	int64_t other_user, other = make_org("contoso.example", &other_user);
	ck_assert_int_eq(mpn_link_offered(&DB, &A, known, "6100001", other, "DE", other_user, &why), MPN_REFUSED);
	ck_assert_msg(strstr(why, "another organization") != NULL, "%s", why);
}
END_TEST

START_TEST(test_pmc_throttle)
{
	int64_t now = now_sec();
	ck_assert_int_eq(pmc_signin_throttled(&DB, "pmc@x.example", "192.0.2.1", now), 0);
	for (int i = 0; i < PMC_THROTTLE_PER_NAME; i++) {
		struct audit_row e = { .at = now - 60, .action = "pmc.signin", .target = "pmc@x.example", .outcome = "failed",
		    .ip = "192.0.2.9" };
		ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
	}
	ck_assert_int_eq(pmc_signin_throttled(&DB, "pmc@x.example", "192.0.2.1", now), 1);	/* per name */
	ck_assert_int_eq(pmc_signin_throttled(&DB, "pmc@y.example", "192.0.2.1", now), 0);
	ck_assert_int_eq(pmc_signin_throttled(&DB, "pmc@x.example", "192.0.2.1", now + PMC_THROTTLE_WINDOW), 0);
	for (int i = 0; i < PMC_THROTTLE_PER_ADDRESS; i++) {
		struct audit_row e = { .at = now - 60, .action = "pmc.signin", .target = arena_printf(&A, "u%d@x.example", i),
		    .outcome = "failed", .ip = "192.0.2.1" };
		ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
	}
	ck_assert_int_eq(pmc_signin_throttled(&DB, "pmc@y.example", "192.0.2.1", now), 1);	/* per address */
}
END_TEST

/* Every case with password hashing ready (the importer hashes, the PMC sign-in checks). */
UNIT_MAIN("enroll",
	unit_once(unit_password_once, unit_case("validators", unit_db_setup, unit_db_teardown, UNIT_TESTS(
	    test_email_syntax, test_phone, test_website, test_postal_code, test_webmail_match,
	    test_webmail_rule_from_table, test_contact_email_names_the_rule, test_mpn_link_rules))),
	unit_once(unit_password_once, unit_case("status machine", unit_db_setup, unit_db_teardown, UNIT_TESTS(
	    test_every_transition, test_status_names, test_apply_refuses_and_writes_nothing))),
	unit_once(unit_password_once, unit_timeout(30, unit_case("mpn import", unit_db_setup, unit_db_teardown,
	    UNIT_TESTS(test_import_good, test_import_errors_with_line_numbers, test_import_header_and_encoding,
	    test_pmc_signin_and_link, test_pmc_throttle)))),
	unit_once(unit_password_once, unit_case("organization", unit_db_setup, unit_db_teardown, UNIT_TESTS(
	    test_state_submit_verify, test_shortcut_submit, test_overview_state_one_statement, test_profile_save, test_draft))))
