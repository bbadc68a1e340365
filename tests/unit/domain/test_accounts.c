/* test_accounts.c — the user-management rules (accounts.c): every action, every actor role set,
 * self or not, with one or more Global admins. */
#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "unit.h"
#include "store/db.h"
#include "domain/accounts.h"

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
		{ "User admin adds a Sales agent", UA_ADD, UA, false, 0, SA, 1, UV_OK },
		{ "User admin adds a user without roles", UA_ADD, UA, false, 0, 0, 1, UV_OK },
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
		{ "User admin grants Admin agent", UA_ROLES, UA, false, SA, SA | AA, 1, UV_OK },
		{ "User admin grants User admin", UA_ROLES, UA, false, 0, UA, 1, UV_OK },
		{ "User admin grants GA", UA_ROLES, UA, false, SA, GA, 1, UV_GLOBAL_ONLY },
		{ "User admin removes GA", UA_ROLES, UA, false, GA, SA, 2, UV_GLOBAL_ONLY },
		{ "User admin changes a GA's other roles", UA_ROLES, UA, false, GA, GA | SA, 2, UV_GLOBAL_ONLY },
		{ "User admin promotes themselves to GA", UA_ROLES, UA, true, UA, UA | GA, 1, UV_GLOBAL_ONLY },
		{ "User admin adds Sales agent to themselves", UA_ROLES, UA, true, UA, UA | SA, 1, UV_SELF },
		{ "User admin removes their own role", UA_ROLES, UA, true, UA, 0, 1, UV_SELF },
		{ "Admin agent grants Sales agent", UA_ROLES, AA, false, 0, SA, 1, UV_OK },
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
								ck_assert_int_eq(v, UV_NOT_ALLOWED);
								continue;
							}
							ck_assert_int_ne(v, UV_NOT_ALLOWED);
							if (v != UV_OK)
								continue;
							ok++;
							/* nobody changes, resets or deletes themselves */
							ck_assert(!self);
							/* Global admin is granted, removed and touched only by a GA */
							if (a == UA_ADD || a == UA_ROLES)
								ck_assert(actor_ga || !((old | nw) & GA));
							if (a == UA_RESET || a == UA_DELETE)
								ck_assert(actor_ga || !(old & GA));
							/* never zero Global admins */
							if ((a == UA_ROLES && (old & GA) && !(nw & GA)) || (a == UA_DELETE && (old & GA)))
								ck_assert_int_ge(gas, 2);
						}
	ck_assert_int_gt(ok, 0);
}
END_TEST

/* And nothing reasonable is refused: a Global admin may do anything to anyone else while
 * another Global admin remains; a User admin or Admin agent anything that leaves Global
 * admin alone. */
START_TEST(allowed_is_allowed)
{
	for (int a = UA_ADD; a <= UA_DELETE; a++)
		for (unsigned old = 0; old <= ROLE_ALL; old++)
			for (unsigned nw = 0; nw <= ROLE_ALL; nw++) {
				unsigned o = a == UA_ADD ? 0 : old;
				ck_assert_int_eq(check((enum user_action)a, GA, false, o, nw, 2), UV_OK);
				if (!((o | nw) & GA)) {
					ck_assert_int_eq(check((enum user_action)a, UA, false, o, nw, 1), UV_OK);
					ck_assert_int_eq(check((enum user_action)a, AA | SA, false, o, nw, 1), UV_OK);
				}
			}
}
END_TEST

START_TEST(every_refusal_says_why)
{
	struct arena a;
	arena_init(&a, 0);
	for (int act = UA_ADD; act <= UA_DELETE; act++) {
		ck_assert_ptr_null(user_verdict_text(&a, (enum user_action)act, UV_OK, "Bo"));
		for (int v = UV_NOT_ALLOWED; v <= UV_SELF; v++) {
			const char *t = user_verdict_text(&a, (enum user_action)act, (enum user_verdict)v, "Bo Berg");
			ck_assert_ptr_nonnull(t);
			ck_assert_int_gt(strlen(t), 20);
			ck_assert_int_gt(strlen(user_verdict_code((enum user_verdict)v)), 0);
		}
	}
	ck_assert_ptr_nonnull(strstr(user_verdict_text(&a, UA_DELETE, UV_LAST_GLOBAL, "Bo Berg"), "Bo Berg"));
	ck_assert_ptr_nonnull(strstr(user_verdict_text(&a, UA_ROLES, UV_LAST_GLOBAL, NULL), "This user"));
	arena_free(&a);
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
	struct store db;
	unit_db_open(&db);
	struct new_account n = { "Contoso", "contoso.example", "DE", TENANT_PARTNER, "Ana", "ana@contoso.example", "$argon2id$x",
		ROLE_MASK(GLOBAL_ADMIN) };
	int64_t tenant = 0, user = 0;
	ck_assert_int_eq(db_begin(&db), 0);
	ck_assert_int_eq(account_create(&db, &n, &tenant, &user), 0);
	ck_assert_int_gt(tenant, 0);
	ck_assert_int_gt(user, 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT roles FROM users WHERE email = 'ana@contoso.example'"), ROLE_MASK(GLOBAL_ADMIN));
	/* The same domain (any case), the same email, or both: said, and nothing written. */
	struct new_account again = n;
	again.domain = "CONTOSO.example";
	again.email = "other@contoso.example";
	ck_assert_int_eq(account_create(&db, &again, &tenant, &user), ACCOUNT_DOMAIN_TAKEN);
	again.domain = "fabrikam.example";
	again.email = "ANA@contoso.example";
	ck_assert_int_eq(account_create(&db, &again, &tenant, &user), ACCOUNT_EMAIL_TAKEN);
	again.domain = "contoso.example";
	ck_assert_int_eq(account_create(&db, &again, &tenant, &user), ACCOUNT_DOMAIN_TAKEN | ACCOUNT_EMAIL_TAKEN);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM tenants"), 1);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM users"), 1);
	/* A customer organization is a tenant of kind customer. */
	struct new_account cust = { "Tailspin", "tailspin.example", "DE", TENANT_CUSTOMER, "Tom", "tom@tailspin.example", "$argon2id$y",
		ROLE_MASK(GLOBAL_ADMIN) };
	ck_assert_int_eq(account_create(&db, &cust, &tenant, &user), 0);
	ck_assert_int_eq(unit_sql_int(db.h, "SELECT count(*) FROM tenants WHERE kind = 'customer' AND domain = 'tailspin.example'"), 1);
	db_commit(&db);
	db_close(&db);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("rules");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, named_cases);
	tcase_add_test(tc, every_combination);
	tcase_add_test(tc, allowed_is_allowed);
	tcase_add_test(tc, every_refusal_says_why);
	tcase_add_test(tc, role_keys);
	tcase_add_test(tc, new_work_accounts);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
