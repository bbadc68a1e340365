/* test_compliance.c — the MFA compliance view (domain/compliance.c): the organization's
 * users only, with and without MFA, their last sign-in, pages by name. The MFA columns are
 * written here directly: the sign-in and setup code owns them. */
#include "unit.h"

#include "domain/access.h"
#include "domain/compliance.h"

static int64_t T1, T2;

static void
world(void)
{
	unit_db_setup();
	ck_assert_int_eq(db_begin(&DB), 0);
	T1 = unit_org(.domain = "contoso.example");
	T2 = unit_org(.domain = "fabrikam.example");
	unit_user(.tenant = T1, .email = "cy@contoso.example", .name = "Cy", .roles = ROLE_MASK(GLOBAL_ADMIN));
	unit_user(.tenant = T1, .email = "ana@contoso.example", .name = "ana", .roles = ROLE_MASK(SALES_AGENT));
	unit_user(.tenant = T1, .email = "bo@contoso.example", .name = "Bo");
	unit_user(.tenant = T2, .email = "zed@fabrikam.example", .name = "Zed");
	ck_assert_int_eq(db_commit(&DB), 0);
	/* Ana: MFA since 1000, last signed in at 5000 with it; Cy: none, signed in without at 4000;
	 * Bo: never signed in; Zed (another organization): MFA. */
	unit_sql_exec(DB.h, "UPDATE users SET mfa_enabled_at = 1000, last_signin_at = 5000, last_signin_mfa = 1 WHERE email = 'ana@contoso.example'");
	unit_sql_exec(DB.h, "UPDATE users SET last_signin_at = 4000 WHERE email = 'cy@contoso.example'");
	unit_sql_exec(DB.h, "UPDATE users SET mfa_enabled_at = 2000 WHERE email = 'zed@fabrikam.example'");
}

START_TEST(filters_totals_and_pages)
{
	int64_t users, with;
	ck_assert_int_eq(mfa_totals(&DB, T1, &users, &with), 0);
	ck_assert_int_eq(users, 3);
	ck_assert_int_eq(with, 1);
	struct paging pg;
	struct mfa_status_list l;
	ck_assert_int_eq(mfa_users_page(&DB, &A, T1, MFA_ALL, 1, 25, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0].name, "ana");		/* by name, any case */
	ck_assert_int_eq(l.v[0].mfa_since, 1000);
	ck_assert_int_eq(l.v[0].last_signin_at, 5000);
	ck_assert(l.v[0].last_signin_mfa);
	ck_assert_uint_eq(l.v[0].roles, ROLE_MASK(SALES_AGENT));
	ck_assert_str_eq(l.v[1].name, "Bo");
	ck_assert_int_eq(l.v[1].last_signin_at, 0);
	ck_assert_str_eq(l.v[2].name, "Cy");
	ck_assert_int_eq(l.v[2].mfa_since, 0);
	ck_assert(!l.v[2].last_signin_mfa);
	ck_assert_int_eq(mfa_users_page(&DB, &A, T1, MFA_WITH, 1, 25, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].email, "ana@contoso.example");
	ck_assert_int_eq(mfa_users_page(&DB, &A, T1, MFA_WITHOUT, 1, 25, &pg, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(pg.total, 2);
	/* Pages of two: the second holds Cy alone; a page past the end is the last one. */
	ck_assert_int_eq(mfa_users_page(&DB, &A, T1, MFA_ALL, 9, 2, &pg, &l), 0);
	ck_assert_int_eq(pg.page, 2);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Cy");
	ck_assert_int_eq(mfa_users_all(&DB, &A, T2, MFA_ALL, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].name, "Zed");
	ck_assert_int_eq(mfa_users_all(&DB, &A, T2, MFA_WITHOUT, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(mfa_filter_parse("with"), MFA_WITH);
	ck_assert_int_eq(mfa_filter_parse("without"), MFA_WITHOUT);
	ck_assert_int_eq(mfa_filter_parse("anything"), MFA_ALL);
	ck_assert_int_eq(mfa_filter_parse(NULL), MFA_ALL);
	ck_assert(!store_failed(&DB));
}
END_TEST

UNIT_MAIN("compliance", unit_case("view", world, unit_db_teardown, UNIT_TESTS(filters_totals_and_pages)))
