/* test_accounts.c — work accounts (domain/accounts.c): the user-management rule (every
 * action, every actor role set, self or not, with one or more Global admins), new work
 * accounts, the user-management reads and writes, the sign-in throttle, and the password
 * flows of the emailed links, the last ones on real rows in a :memory: database. */
#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "unit.h"
#include "store/db.h"
#include "domain/accounts.h"
#include "domain/link.h"

#define GA ROLE_MASK(GLOBAL_ADMIN)
#define ACC ROLE_MASK(ACCOUNT_ADMIN)
#define UA ROLE_MASK(USER_ADMIN)
#define AA ROLE_MASK(ADMIN_AGENT)
#define SA ROLE_MASK(SALES_AGENT)
#define HA ROLE_MASK(HELPDESK_AGENT)
#define BA ROLE_MASK(BILLING_ADMIN)

static enum user_verdict
check(enum user_action a, unsigned actor, bool self, unsigned old, unsigned new_roles, int gas)
{
	struct user_change c = { a, actor, self, old, new_roles, gas };
	return user_change_check(&c);
}

/* The cases a partner administrator meets, each with its one right answer. */
START_TEST(named_cases)
{
	static const struct {
		const char *what;
		enum user_action a;
		unsigned actor;
		bool self;
		unsigned old, new_roles;
		int gas;
		enum user_verdict want;
	} cases[] = {
		{ "GA adds a Sales agent", UA_ADD, GA, false, 0, SA, 1, UV_OK },
		{ "GA adds a GA", UA_ADD, GA, false, 0, GA, 1, UV_OK },
		{ "User admin adds a User admin", UA_ADD, UA, false, 0, UA, 1, UV_OK },
		/* issue 12, item 7: nobody grants a role they do not hold (these were UV_OK before) */
		{ "User admin adds a Sales agent", UA_ADD, UA, false, 0, SA, 1, UV_NOT_HELD },
		{ "User admin adds an Account admin", UA_ADD, UA, false, 0, ACC, 1, UV_NOT_HELD },
		{ "Admin agent adds an Account admin", UA_ADD, AA, false, 0, ACC | AA, 1, UV_NOT_HELD },
		{ "User admin + Sales agent adds a Sales agent", UA_ADD, UA | SA, false, 0, SA, 1, UV_OK },
		{ "GA adds an Account admin", UA_ADD, GA, false, 0, ACC, 1, UV_OK },
		/* issue 15, item 15: a user is added with at least one role (this was UV_OK before) */
		{ "User admin adds a user without roles", UA_ADD, UA, false, 0, 0, 1, UV_NO_ROLE },
		{ "GA adds a user without roles", UA_ADD, GA, false, 0, 0, 1, UV_NO_ROLE },
		{ "User admin adds a GA", UA_ADD, UA, false, 0, GA | SA, 1, UV_GLOBAL_ONLY },
		{ "Admin agent adds a GA", UA_ADD, AA, false, 0, GA, 1, UV_GLOBAL_ONLY },
		{ "Account admin adds anyone", UA_ADD, ACC, false, 0, SA, 1, UV_NOT_ALLOWED },
		{ "Sales agent adds anyone", UA_ADD, SA, false, 0, 0, 1, UV_NOT_ALLOWED },
		{ "no roles adds anyone", UA_ADD, 0, false, 0, 0, 1, UV_NOT_ALLOWED },

		{ "GA grants Admin agent", UA_ROLES, GA, false, 0, AA, 1, UV_OK },
		{ "GA grants GA", UA_ROLES, GA, false, SA, GA | SA, 1, UV_OK },
		{ "GA demotes another GA", UA_ROLES, GA, false, GA, SA, 2, UV_OK },
		{ "GA demotes themselves, the last GA", UA_ROLES, GA, true, GA, SA, 1, UV_LAST_GLOBAL },
		{ "GA demotes themselves, not the last", UA_ROLES, GA, true, GA, SA, 2, UV_SELF },
		{ "GA adds a role to themselves", UA_ROLES, GA, true, GA, GA | SA, 1, UV_SELF },
		{ "GA changes a GA's other roles", UA_ROLES, GA, false, GA, GA | BA, 2, UV_OK },
		{ "User admin grants Admin agent", UA_ROLES, UA, false, SA, SA | AA, 1, UV_NOT_HELD },
		{ "User admin removes Account admin", UA_ROLES, UA, false, ACC | UA, UA, 1, UV_NOT_HELD },
		{ "User admin + Admin agent grants Admin agent to a Sales agent", UA_ROLES, UA | AA, false, SA, SA | AA, 1, UV_OK },
		{ "User admin + Admin agent removes Sales agent", UA_ROLES, UA | AA, false, SA | AA, AA, 1, UV_NOT_HELD },
		{ "User admin + Admin agent grants Admin agent", UA_ROLES, UA | AA, false, 0, AA, 1, UV_OK },
		{ "User admin + Admin agent grants Admin agent, keeps the rest", UA_ROLES, UA | AA, false, UA, UA | AA, 1, UV_OK },
		{ "GA grants Account admin", UA_ROLES, GA, false, SA, SA | ACC, 1, UV_OK },
		{ "User admin grants User admin", UA_ROLES, UA, false, 0, UA, 1, UV_OK },
		{ "User admin grants GA", UA_ROLES, UA, false, SA, GA, 1, UV_GLOBAL_ONLY },
		{ "User admin removes GA", UA_ROLES, UA, false, GA, SA, 2, UV_GLOBAL_ONLY },
		{ "User admin changes a GA's other roles", UA_ROLES, UA, false, GA, GA | SA, 2, UV_GLOBAL_ONLY },
		{ "User admin promotes themselves to GA", UA_ROLES, UA, true, UA, UA | GA, 1, UV_GLOBAL_ONLY },
		{ "User admin adds Sales agent to themselves", UA_ROLES, UA, true, UA, UA | SA, 1, UV_SELF },
		{ "User admin removes their own role", UA_ROLES, UA, true, UA, 0, 1, UV_SELF },
		{ "Admin agent grants Sales agent", UA_ROLES, AA, false, 0, SA, 1, UV_NOT_HELD },
		{ "Admin agent grants Admin agent", UA_ROLES, AA, false, 0, AA, 1, UV_OK },
		{ "Admin agent promotes themselves to User admin", UA_ROLES, AA, true, AA, AA | UA, 1, UV_SELF },
		{ "Account admin changes roles", UA_ROLES, ACC, false, SA, HA, 1, UV_NOT_ALLOWED },
		{ "Helpdesk agent promotes themselves", UA_ROLES, HA, true, HA, HA | GA, 1, UV_NOT_ALLOWED },

		{ "GA resets a Sales agent", UA_RESET, GA, false, SA, 0, 1, UV_OK },
		{ "GA resets another GA", UA_RESET, GA, false, GA, 0, 2, UV_OK },
		{ "GA resets themselves", UA_RESET, GA, true, GA, 0, 1, UV_SELF },
		{ "User admin resets a Sales agent", UA_RESET, UA, false, SA, 0, 1, UV_OK },
		{ "User admin resets a GA", UA_RESET, UA, false, GA, 0, 2, UV_GLOBAL_ONLY },
		{ "Admin agent resets a GA", UA_RESET, AA, false, GA | AA, 0, 2, UV_GLOBAL_ONLY },
		{ "Billing admin resets anyone", UA_RESET, BA, false, SA, 0, 1, UV_NOT_ALLOWED },

		{ "GA deletes a Sales agent", UA_DELETE, GA, false, SA, 0, 1, UV_OK },
		{ "GA deletes another GA", UA_DELETE, GA, false, GA, 0, 2, UV_OK },
		{ "GA deletes themselves, the last GA", UA_DELETE, GA, true, GA, 0, 1, UV_LAST_GLOBAL },
		{ "GA deletes themselves, not the last", UA_DELETE, GA, true, GA, 0, 2, UV_SELF },
		{ "GA deletes the last GA (a race)", UA_DELETE, GA, false, GA, 0, 1, UV_LAST_GLOBAL },
		{ "User admin deletes a Sales agent", UA_DELETE, UA, false, SA, 0, 1, UV_OK },
		{ "User admin deletes a User admin", UA_DELETE, UA, false, UA, 0, 1, UV_OK },
		{ "User admin deletes themselves", UA_DELETE, UA, true, UA, 0, 1, UV_SELF },
		{ "User admin deletes a GA", UA_DELETE, UA, false, GA, 0, 2, UV_GLOBAL_ONLY },
		{ "Admin agent deletes the last GA", UA_DELETE, AA, false, GA, 0, 1, UV_GLOBAL_ONLY },
		{ "Sales agent deletes anyone", UA_DELETE, SA, false, HA, 0, 1, UV_NOT_ALLOWED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum user_verdict got = check(cases[i].a, cases[i].actor, cases[i].self, cases[i].old,
		    cases[i].new_roles, cases[i].gas);
		ck_assert_msg(got == cases[i].want, "%s: got %d, want %d", cases[i].what, got, cases[i].want);
	}
}
END_TEST

/* The rules hold for every combination: actor roles x target roles (old, new) x self x
 * number of Global admins x action. */
/* Check records every passing ck_assert for the test's parent (a write per call under
 * CK_FORK): over the million combinations below that was half a minute of system time, so the
 * loop tests with plain conditions and calls Check only to fail, naming the combination. */
#define REQUIRE(c) do { \
	if (!(c)) \
		ck_abort_msg("%s: action %d, actor %#x, old %#x, new %#x, self %d, %d Global admins", #c, a, actor, old, nw, \
		    self, gas); \
} while (0)

START_TEST(every_combination)
{
	long ok = 0;
	for (int a = UA_ADD; a <= UA_DELETE; a++)
		for (unsigned actor = 0; actor <= ROLE_ALL; actor++)
			for (unsigned old = 0; old <= ROLE_ALL; old++)
				for (unsigned nw = 0; nw <= ROLE_ALL; nw++)
					for (int self = 0; self < 2; self++)
						for (int gas = 1; gas <= 2; gas++) {
							if (a == UA_ADD && (old != 0 || self))
								continue;
							if (a != UA_ADD && a != UA_ROLES && nw != 0)
								continue;
							enum user_verdict v = check((enum user_action)a, actor, self, old, nw, gas);
							bool manage = (actor & (GA | UA | AA)) != 0;
							bool actor_ga = (actor & GA) != 0;
							/* only GA, User admin and Admin agent manage users */
							if (!manage) {
								REQUIRE(v == UV_NOT_ALLOWED);
								continue;
							}
							REQUIRE(v != UV_NOT_ALLOWED);
							if (v != UV_OK)
								continue;
							ok++;
							/* nobody changes, resets or deletes themselves */
							REQUIRE(!self);
							/* Global admin is granted, removed and touched only by a GA */
							if (a == UA_ADD || a == UA_ROLES)
								REQUIRE(actor_ga || !((old | nw) & GA));
							if (a == UA_RESET || a == UA_DELETE)
								REQUIRE(actor_ga || !(old & GA));
							/* nobody grants or removes a role they do not hold (a GA holds all) */
							if (!actor_ga && a == UA_ADD)
								REQUIRE((nw & ~actor) == 0);
							if (!actor_ga && a == UA_ROLES)
								REQUIRE(((old ^ nw) & ~actor) == 0);
							/* never zero Global admins */
							if ((a == UA_ROLES && (old & GA) && !(nw & GA)) || (a == UA_DELETE && (old & GA)))
								REQUIRE(gas >= 2);
						}
	ck_assert_int_gt(ok, 0);
}
END_TEST
#undef REQUIRE

/* And nothing reasonable is refused: a Global admin may do anything to anyone else while
 * another Global admin remains; a User admin or Admin agent anything that leaves Global
 * admin alone and grants or removes only roles they hold (issue 12, item 7: before, any
 * role but Global admin). */
START_TEST(allowed_is_allowed)
{
	for (int a = UA_ADD; a <= UA_DELETE; a++)
		for (unsigned old = 0; old <= ROLE_ALL; old++)
			for (unsigned nw = 0; nw <= ROLE_ALL; nw++) {
				unsigned o = a == UA_ADD ? 0 : old;
				/* issue 15: a user is added with at least one role */
				bool no_role = a == UA_ADD && nw == 0;
				ck_assert_int_eq(check((enum user_action)a, GA, false, o, nw, 2), no_role ? UV_NO_ROLE : UV_OK);
				if (!((o | nw) & GA)) {
					unsigned changed = a == UA_ADD ? nw : a == UA_ROLES ? o ^ nw : 0;
					const unsigned actors[] = { UA, AA | SA };
					for (int k = 0; k < 2; k++)
						ck_assert_int_eq(check((enum user_action)a, actors[k], false, o, nw, 1),
						    no_role ? UV_NO_ROLE : changed & ~actors[k] ? UV_NOT_HELD : UV_OK);
				}
			}
}
END_TEST

START_TEST(every_refusal_says_why)
{
	for (int act = UA_ADD; act <= UA_DELETE; act++) {
		ck_assert_ptr_null(user_verdict_text(&A, (enum user_action)act, UV_OK, "Bo"));
		for (int v = UV_NOT_ALLOWED; v <= UV_NO_ROLE; v++) {
			const char *t = user_verdict_text(&A, (enum user_action)act, (enum user_verdict)v, "Bo Berg");
			ck_assert_ptr_nonnull(t);
			ck_assert_int_gt(strlen(t), 20);
			ck_assert_int_gt(strlen(user_verdict_code((enum user_verdict)v)), 0);
		}
	}
	ck_assert_ptr_nonnull(strstr(user_verdict_text(&A, UA_DELETE, UV_LAST_GLOBAL, "Bo Berg"), "Bo Berg"));
	ck_assert_ptr_nonnull(strstr(user_verdict_text(&A, UA_ROLES, UV_LAST_GLOBAL, NULL), "This user"));
}
END_TEST

START_TEST(role_keys)
{
	unsigned bits = 99;
	const char *none[] = { NULL };
	ck_assert_int_eq(roles_from_keys(none, 0, &bits), 0);
	ck_assert_uint_eq(bits, 0);
	const char *two[] = { "admin_agent", "global_admin", "admin_agent" };
	ck_assert_int_eq(roles_from_keys(two, 3, &bits), 0);
	ck_assert_uint_eq(bits, AA | GA);
	const char *all[] = { "global_admin", "account_admin", "user_admin", "admin_agent", "sales_agent",
		"helpdesk_agent", "billing_admin" };
	ck_assert_int_eq(roles_from_keys(all, 7, &bits), 0);
	ck_assert_uint_eq(bits, ROLE_ALL);
	bits = 5;
	const char *bad[] = { "sales_agent", "Global admin" };
	ck_assert_int_eq(roles_from_keys(bad, 2, &bits), -1);
	ck_assert_uint_eq(bits, 5);
	const char *empty[] = { "" };
	ck_assert_int_eq(roles_from_keys(empty, 1, &bits), -1);
}
END_TEST

START_TEST(new_work_accounts)
{
	struct new_account n = { "Contoso", "contoso.example", "DE", TENANT_PARTNER, "Ana", "ana@contoso.example", "$argon2id$x",
		ROLE_MASK(GLOBAL_ADMIN) };
	int64_t tenant = 0, user = 0;
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(account_create(&DB, &n, &tenant, &user), 0);
	ck_assert_int_gt(tenant, 0);
	ck_assert_int_gt(user, 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT roles FROM users WHERE email = 'ana@contoso.example'"), ROLE_MASK(GLOBAL_ADMIN));
	/* The same domain (any case), the same email, or both: said, and nothing written. */
	struct new_account again = n;
	again.domain = "CONTOSO.example";
	again.email = "other@contoso.example";
	ck_assert_int_eq(account_create(&DB, &again, &tenant, &user), ACCOUNT_DOMAIN_TAKEN);
	again.domain = "fabrikam.example";
	again.email = "ANA@contoso.example";
	ck_assert_int_eq(account_create(&DB, &again, &tenant, &user), ACCOUNT_EMAIL_TAKEN);
	again.domain = "contoso.example";
	ck_assert_int_eq(account_create(&DB, &again, &tenant, &user), ACCOUNT_DOMAIN_TAKEN | ACCOUNT_EMAIL_TAKEN);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenants"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM users"), 1);
	/* A customer organization is a tenant of kind customer. */
	struct new_account cust = { "Tailspin", "tailspin.example", "DE", TENANT_CUSTOMER, "Tom", "tom@tailspin.example", "$argon2id$y",
		ROLE_MASK(GLOBAL_ADMIN) };
	ck_assert_int_eq(account_create(&DB, &cust, &tenant, &user), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenants WHERE kind = 'customer' AND domain = 'tailspin.example'"), 1);
	db_commit(&DB);
}
END_TEST

/* ---- on real rows ---- */

/* Create one, confirmed by email (issue 12, item 9): nothing is created before the link;
 * an address with an account or a taken domain writes nothing; the link works once. */
/* Housekeeping removes requests that expired unconfirmed, and only those. */
START_TEST(signup_requests_purged)
{
	struct signup_request r = { .kind = TENANT_PARTNER, .org = "Woodgrove", .domain = "woodgrove.example", .country = "DE",
		.name = "Wanda", .email = "wanda@woodgrove.example", .pw_hash = "$argon2id$w", .next = "",
		.created_at = 1000, .expires_at = 2000 };
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_gt(st_signup_insert(&DB, &r), 0);
	r.email = "walt@woodgrove.example";
	r.expires_at = 5000;
	ck_assert_int_gt(st_signup_insert(&DB, &r), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(signup_requests_purge(&DB, 1999), 0);
	ck_assert_int_eq(signup_requests_purge(&DB, 2000), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM signup_requests WHERE email = 'walt@woodgrove.example'"), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM signup_requests"), 1);
	ck_assert(!store_failed(&DB));
}
END_TEST

START_TEST(signup_confirmed_by_email)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	struct signup_request r = { .kind = TENANT_PARTNER, .org = "Woodgrove", .domain = "woodgrove.example", .country = "DE",
		.name = "Wanda", .email = "wanda@woodgrove.example", .pw_hash = "$argon2id$w", .next = "/enroll/account" };
	char *token = NULL;
	struct signup_request taken = r;
	taken.email = "EVE@fabrikam.example";
	ck_assert_int_eq(signup_request(&DB, &A, &taken, &token), SIGNUP_EMAIL_TAKEN);
	ck_assert_ptr_null(token);
	taken = r;
	taken.domain = "CONTOSO.example";
	ck_assert_int_eq(signup_request(&DB, &A, &taken, &token), SIGNUP_DOMAIN_TAKEN);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM signup_requests"), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM link_tokens"), 0);
	ck_assert_int_eq(signup_request(&DB, &A, &r, &token), SIGNUP_SENT);
	ck_assert_ptr_nonnull(token);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM tenants WHERE domain = 'woodgrove.example'"), 0);
	struct signup_request got;
	struct token t;
	ck_assert_ptr_null(signup_check(&DB, &A, token, &got, &t));
	ck_assert_str_eq(got.email, "wanda@woodgrove.example");
	ck_assert_str_eq(got.next, "/enroll/account");
	ck_assert_int_eq(got.kind, TENANT_PARTNER);
	ck_assert_ptr_nonnull(signup_check(&DB, &A, NULL, &got, &t));
	int64_t tenant = 0, user = 0;
	ck_assert_int_eq(signup_confirm(&DB, &t, &got, &tenant, &user), 0);
	ck_assert_int_gt(tenant, 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT roles FROM users WHERE email = 'wanda@woodgrove.example'"), GA);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM signup_requests"), 0);
	/* Once. */
	ck_assert_ptr_nonnull(signup_check(&DB, &A, token, &got, &t));
	ck_assert_int_eq(signup_confirm(&DB, &t, &got, &tenant, &user), SIGNUP_LINK_USED);
	ck_assert_int_eq(db_commit(&DB), 0);
}
END_TEST

static int64_t T1, T2, GA1, UA1, SA1, OTHER;	/* GA1, UA1, SA1 in T1; OTHER in T2 */

static void
rows_setup(void)
{
	unit_db_setup();
	ck_assert_int_eq(db_begin(&DB), 0);
	unit_two_orgs(&T1, &T2);
	GA1 = unit_user(.tenant = T1, .email = "ana@contoso.example", .name = "Ana", .pw_hash = "$argon2id$ana", .roles = GA,
	    .at = 1001);
	UA1 = unit_user(.tenant = T1, .email = "ulf@contoso.example", .name = "Ulf", .pw_hash = "$argon2id$ulf", .roles = UA,
	    .at = 1002);
	SA1 = unit_user(.tenant = T1, .email = "sam@contoso.example", .name = "Sam", .roles = SA, .at = 1003);
	OTHER = unit_user(.tenant = T2, .email = "eve@fabrikam.example", .name = "Eve", .pw_hash = "$argon2id$eve", .roles = GA,
	    .at = 1004);
	ck_assert_int_eq(db_commit(&DB), 0);
}

static struct session
session_of(int64_t user, int64_t tenant, unsigned have)
{
	return (struct session){ .user_id = user, .tenant_id = tenant, .roles = have };
}

static int64_t
sessions_of(int64_t user)
{
	return sessions_count(&DB, user);
}

static void
sign_in(int64_t user)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	ck_assert_int_eq(session_create(&DB, user, "192.0.2.1", "unit-test", now_sec(), false, cookie), 0);
}

START_TEST(facts_and_decisions)
{
	/* Ulf's session still says User admin; the database says he was made Global admin. */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_user_set_roles(&DB, UA1, T1, GA | UA), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	struct session ulf = session_of(UA1, T1, UA);
	struct user_facts f;
	ck_assert_int_eq(user_facts_read(&DB, &A, &ulf, false, &f), 0);
	ck_assert_uint_eq(f.actor_roles, UA);
	ck_assert_int_eq(f.global_admins, 2);
	ck_assert_int_eq(f.actor_id, UA1);
	ck_assert_int_eq(f.tenant_id, T1);
	struct user_row ana;
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, GA1, &ana), 1);
	ck_assert_int_eq(user_decide(&f, UA_DELETE, &ana, 0), UV_GLOBAL_ONLY);
	ck_assert_int_eq(user_facts_read(&DB, &A, &ulf, true, &f), 0);
	ck_assert_uint_eq(f.actor_roles, GA | UA);
	ck_assert_int_eq(user_decide(&f, UA_DELETE, &ana, 0), UV_OK);
	/* Ulf himself: never. */
	struct user_row self;
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, UA1, &self), 1);
	ck_assert_int_eq(user_decide(&f, UA_ROLES, &self, UA), UV_SELF);
	ck_assert_int_eq(user_decide(&f, UA_ADD, NULL, GA), UV_OK);

	/* The last Global admin: Ulf loses the role again, Ana is the only one. */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_user_set_roles(&DB, UA1, T1, UA), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	struct session eve_in_t1 = session_of(SA1, T1, GA);	/* a session that still says GA */
	ck_assert_int_eq(user_facts_read(&DB, &A, &eve_in_t1, false, &f), 0);
	ck_assert_int_eq(f.global_admins, 1);
	ck_assert_int_eq(user_decide(&f, UA_DELETE, &ana, 0), UV_LAST_GLOBAL);
	ck_assert_int_eq(user_decide(&f, UA_ROLES, &ana, UA), UV_LAST_GLOBAL);
	ck_assert_int_eq(user_decide(&f, UA_RESET, &ana, GA), UV_OK);
	ck_assert_int_eq(user_facts_read(&DB, &A, &eve_in_t1, true, &f), 0);
	ck_assert_uint_eq(f.actor_roles, SA);	/* as stored: Sales agent */
	ck_assert_int_eq(user_decide(&f, UA_RESET, &ana, GA), UV_NOT_ALLOWED);
	/* An actor deleted meanwhile has no roles. */
	struct session ghost = session_of(999, T1, GA);
	ck_assert_int_eq(user_facts_read(&DB, &A, &ghost, true, &f), 0);
	ck_assert_uint_eq(f.actor_roles, 0);

	for (int i = 0; i < ROLE__COUNT; i++) {
		ck_assert(user_role_grantable(GA, i));
		ck_assert(user_role_grantable(UA, i) == (roles[i].mask == UA));
		ck_assert(user_role_grantable(UA | AA | GA, i));
		ck_assert(user_role_grantable(UA | SA, i) == (roles[i].mask == UA || roles[i].mask == SA));
	}
	ck_assert_uint_eq(user_roles_grantable(GA), ROLE_ALL);
	ck_assert_uint_eq(user_roles_grantable(UA | ACC), UA | ACC);
	/* A roles form: disabled boxes (not held) stay as stored; a forged tick stays in, to be refused. */
	ck_assert_uint_eq(user_roles_asked(UA, ACC | SA | UA, 0), ACC | SA);
	ck_assert_uint_eq(user_roles_asked(UA, ACC, UA), ACC | UA);
	ck_assert_uint_eq(user_roles_asked(UA, 0, ACC), ACC);
	ck_assert_uint_eq(user_roles_asked(GA, ACC | SA, SA), SA);
	ck_assert(!user_role_grantable(GA, -1));
	ck_assert(!user_role_grantable(GA, ROLE__COUNT));
}
END_TEST

START_TEST(list_and_lookup)
{
	ck_assert_int_eq(users_order_parse("email"), USER_ORDER_EMAIL);
	ck_assert_int_eq(users_order_parse("name"), USER_ORDER_NAME);
	ck_assert_int_eq(users_order_parse("pw_hash"), USER_ORDER_NAME);	/* only the whitelist */
	ck_assert_int_eq(users_order_parse(NULL), USER_ORDER_NAME);
	ck_assert_str_eq(users_order_key(USER_ORDER_EMAIL), "email");
	ck_assert_str_eq(users_order_key(USER_ORDER_NAME), "name");

	struct paging pg;
	struct user_list l;
	ck_assert_int_eq(users_page(&DB, &A, T1, USER_ORDER_NAME, false, 1, 2, &pg, &l), 0);
	ck_assert_int_eq(pg.total, 3);
	ck_assert_int_eq(pg.pages, 2);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].name, "Ana");
	ck_assert_str_eq(l.v[1].name, "Sam");
	/* A page past the end shows the last one. */
	ck_assert_int_eq(users_page(&DB, &A, T1, USER_ORDER_NAME, false, 99, 2, &pg, &l), 0);
	ck_assert_int_eq(pg.page, 2);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Ulf");

	struct user_row u;
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, OTHER, &u), 0);
	ck_assert_int_eq(user_in_tenant(&DB, &A, T2, OTHER, &u), 1);
	ck_assert_str_eq(u.email, "eve@fabrikam.example");
	const char *org = NULL;
	ck_assert_int_eq(account_with_org(&DB, &A, SA1, &u, &org), 1);
	ck_assert_str_eq(u.name, "Sam");
	ck_assert_str_eq(org, "Contoso");
	ck_assert_int_eq(account_with_org(&DB, &A, 999, &u, &org), 0);
	ck_assert_int_eq(account_user(&DB, &A, OTHER, &u), 1);
	ck_assert_int_eq(u.tenant_id, T2);
	const char *hash = NULL;
	ck_assert_int_eq(account_by_email(&DB, &A, "ANA@contoso.example", &u, &hash), 1);
	ck_assert_int_eq(u.id, GA1);
	ck_assert_str_eq(hash, "$argon2id$ana");
	ck_assert_int_eq(account_password_hash(&DB, &A, SA1, &hash), 1);
	ck_assert_str_eq(hash, "");
}
END_TEST

START_TEST(user_changes)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = 0;
	/* An email any organization uses (any case) is taken; nothing written. Another
	 * organization's is told apart only for the page, which answers it like a new one
	 * (issue 12, item 9: was USER_EMAIL_TAKEN). */
	ck_assert_int_eq(user_add(&DB, &A, T1, "Eve Again", "EVE@fabrikam.example", SA, &id), USER_EMAIL_ELSEWHERE);
	ck_assert_int_eq(id, OTHER);
	ck_assert_int_eq(user_add(&DB, &A, T1, "Sam Again", "SAM@contoso.example", SA, &id), USER_EMAIL_TAKEN);
	ck_assert_int_eq(id, SA1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM users"), 4);
	ck_assert_int_eq(user_add(&DB, &A, T1, "Bo", "bo@contoso.example", SA | HA, &id), 0);
	ck_assert_int_gt(id, 0);
	struct user_row u;
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, id, &u), 1);
	ck_assert(!u.has_password);
	ck_assert(!u.had_password);
	ck_assert_uint_eq(u.roles, SA | HA);

	/* New roles end the user's sessions. */
	sign_in(UA1);
	sign_in(UA1);
	ck_assert_int_eq(user_set_roles(&DB, T1, UA1, UA | BA), 0);
	ck_assert_int_eq(sessions_of(UA1), 0);
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, UA1, &u), 1);
	ck_assert_uint_eq(u.roles, UA | BA);
	/* Another organization's user: an error, nothing changed. */
	ck_assert_int_eq(user_set_roles(&DB, T1, OTHER, SA), -1);
	ck_assert_int_eq(user_clear_password(&DB, T1, OTHER), -1);
	ck_assert_int_eq(user_delete(&DB, T1, OTHER), -1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(user_in_tenant(&DB, &A, T2, OTHER, &u), 1);
	ck_assert_uint_eq(u.roles, GA);
	ck_assert(u.has_password);

	/* Clearing a password: sessions end, the unused reset link stops working. */
	ck_assert_int_eq(db_begin(&DB), 0);
	sign_in(UA1);
	char *reset = link_issue(&DB, &A, TP_PASSWORD_RESET, UA1, 3600);
	ck_assert_ptr_nonnull(reset);
	ck_assert_int_eq(user_clear_password(&DB, T1, UA1), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(sessions_of(UA1), 0);
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, UA1, &u), 1);
	ck_assert(!u.has_password);
	ck_assert(u.had_password);
	int64_t subject;
	struct token t;
	ck_assert_ptr_nonnull(link_check(&DB, reset, TP_PASSWORD_RESET, &subject, &t));

	/* Deleting: links and sessions go first, then the user. */
	ck_assert_int_eq(db_begin(&DB), 0);
	sign_in(SA1);
	char *setpw = link_issue(&DB, &A, TP_SET_PASSWORD, SA1, 3600);
	ck_assert_ptr_nonnull(setpw);
	ck_assert_int_eq(user_delete(&DB, T1, SA1), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(user_in_tenant(&DB, &A, T1, SA1, &u), 0);
	ck_assert_int_eq(sessions_of(SA1), 0);
	ck_assert_ptr_nonnull(link_check(&DB, setpw, TP_SET_PASSWORD, &subject, &t));
	ck_assert(!store_failed(&DB));
}
END_TEST

static void
failed_signin(int64_t at, const char *email, const char *ip)
{
	struct audit_row e = { .at = at, .actor = email, .action = "signin", .target = email, .outcome = "failed", .ip = ip };
	ck_assert_int_gt(st_audit_insert(&DB, &e), 0);
}

START_TEST(throttle)
{
	int64_t now = 100000;
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < SIGNIN_FAILS_PER_ACCOUNT - 1; i++)
		failed_signin(now - 60, "ana@contoso.example", "192.0.2.1");
	failed_signin(now - SIGNIN_WINDOW - 1, "ana@contoso.example", "192.0.2.1");	/* too old to count */
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(signin_throttled(&DB, "ana@contoso.example", "192.0.2.1", now), 0);
	ck_assert_int_eq(db_begin(&DB), 0);
	failed_signin(now - 1, "ana@contoso.example", "192.0.2.1");
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(signin_throttled(&DB, "ana@contoso.example", "203.0.113.1", now), 1);
	ck_assert_int_eq(signin_throttled(&DB, "ulf@contoso.example", "192.0.2.1", now), 0);
	/* Many account names from one address. */
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < SIGNIN_FAILS_PER_ADDRESS; i++)
		failed_signin(now - 10, arena_printf(&A, "guess%d@contoso.example", i), "198.51.100.9");
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(signin_throttled(&DB, "ulf@contoso.example", "198.51.100.9", now), 1);
	ck_assert_int_eq(signin_throttled(&DB, "ulf@contoso.example", NULL, now), 0);
}
END_TEST

/* The link's action: once; a failed write is -1, and its rollback leaves the link usable. */
START_TEST(password_by_link)
{
	UNIT_SQLITE_ONLY("injects a failing write with a SQLite trigger");
	ck_assert_int_eq(db_begin(&DB), 0);
	char *text = link_issue(&DB, &A, TP_SET_PASSWORD, SA1, 3600);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(db_commit(&DB), 0);
	int64_t subject;
	struct token t;
	ck_assert_ptr_null(link_check(&DB, text, TP_SET_PASSWORD, &subject, &t));
	ck_assert_int_eq(subject, SA1);

	ck_assert_int_eq(sqlite3_exec(DB.h, "CREATE TRIGGER no_pw BEFORE UPDATE OF pw_hash ON users"
	    " BEGIN SELECT RAISE(ABORT, 'injected'); END", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(db_begin(&DB), 0);
	sign_in(SA1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_password_by_link(&DB, &t, SA1, "$argon2id$sam"), -1);
	ck_assert(store_failed(&DB));
	ck_assert_int_eq(store_commit(&DB), -1);
	store_clear_failure(&DB);
	ck_assert_ptr_null(link_check(&DB, text, TP_SET_PASSWORD, &subject, &t));	/* still usable */
	ck_assert_int_eq(sessions_of(SA1), 1);
	const char *hash = NULL;
	ck_assert_int_eq(account_password_hash(&DB, &A, SA1, &hash), 1);
	ck_assert_str_eq(hash, "");

	ck_assert_int_eq(sqlite3_exec(DB.h, "DROP TRIGGER no_pw", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_password_by_link(&DB, &t, SA1, "$argon2id$sam"), LINK_PASSWORD_SET);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(account_password_hash(&DB, &A, SA1, &hash), 1);
	ck_assert_str_eq(hash, "$argon2id$sam");
	ck_assert_int_eq(sessions_of(SA1), 0);
	/* Used: the second time changes nothing. */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_password_by_link(&DB, &t, SA1, "$argon2id$again"), LINK_PASSWORD_USED);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_int_eq(account_password_hash(&DB, &A, SA1, &hash), 1);
	ck_assert_str_eq(hash, "$argon2id$sam");
	/* account_set_password: -1 for nobody. */
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_set_password(&DB, 999, "$argon2id$x"), -1);
	ck_assert_int_eq(account_set_password(&DB, SA1, "$argon2id$y"), 0);
	ck_assert_int_eq(store_commit(&DB), 0);
}
END_TEST

/* A password change, by the user or through either link, ends every outstanding reset and
 * set-password link of the user (and no one else's). */
START_TEST(password_change_revokes_links)
{
	int64_t subject;
	struct token t;
	ck_assert_int_eq(db_begin(&DB), 0);
	char *reset = link_issue(&DB, &A, TP_PASSWORD_RESET, SA1, 3600);
	char *setpw = link_issue(&DB, &A, TP_SET_PASSWORD, SA1, 3600);
	char *theirs = link_issue(&DB, &A, TP_PASSWORD_RESET, GA1, 3600);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_change_password(&DB, SA1, "$argon2id$changed"), 0);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_ptr_nonnull(link_check(&DB, reset, TP_PASSWORD_RESET, &subject, &t));
	ck_assert_ptr_nonnull(link_check(&DB, setpw, TP_SET_PASSWORD, &subject, &t));
	ck_assert_ptr_null(link_check(&DB, theirs, TP_PASSWORD_RESET, &subject, &t));

	/* Using a reset link ends the set-password link (and the other way round). */
	ck_assert_int_eq(db_begin(&DB), 0);
	reset = link_issue(&DB, &A, TP_PASSWORD_RESET, SA1, 3600);
	setpw = link_issue(&DB, &A, TP_SET_PASSWORD, SA1, 3600);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_ptr_null(link_check(&DB, reset, TP_PASSWORD_RESET, &subject, &t));
	ck_assert_int_eq(store_begin_write(&DB), 0);
	ck_assert_int_eq(account_password_by_link(&DB, &t, SA1, "$argon2id$by-link"), LINK_PASSWORD_SET);
	ck_assert_int_eq(store_commit(&DB), 0);
	ck_assert_ptr_nonnull(link_check(&DB, setpw, TP_SET_PASSWORD, &subject, &t));
	ck_assert_ptr_null(link_check(&DB, theirs, TP_PASSWORD_RESET, &subject, &t));
	ck_assert(!store_failed(&DB));
}
END_TEST

UNIT_MAIN("accounts",
	unit_timeout(60, unit_case("rules", unit_db_setup, unit_db_teardown, UNIT_TESTS(named_cases,
	    every_combination, allowed_is_allowed, every_refusal_says_why, role_keys, new_work_accounts))),
	unit_case("rows", rows_setup, unit_db_teardown, UNIT_TESTS(facts_and_decisions, list_and_lookup, user_changes, signup_confirmed_by_email, signup_requests_purged,
	    throttle, password_by_link, password_change_revokes_links)))
