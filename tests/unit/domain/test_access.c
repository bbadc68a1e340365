/* test_access.c — the roles and the permission table (domain/access.c). */
#include "unit.h"

#include "domain/access.h"

/* ---- roles ---- */

START_TEST(permissions_and_roles)
{
	ck_assert(perm_allows(PERM_PUBLIC, 0));
	ck_assert(perm_allows(PERM_SIGNED_IN, 0));
	ck_assert(perm_allows(PERM_AUDIT_VIEW, ROLE_MASK(GLOBAL_ADMIN)));
	ck_assert(!perm_allows(PERM_AUDIT_VIEW, ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(USER_ADMIN)));
	ck_assert(!perm_allows(PERM_USERS_VIEW, 0));
	ck_assert(perm_allows(PERM_USERS_MANAGE, ROLE_MASK(USER_ADMIN)));
	ck_assert(!perm_allows(PERM_USERS_MANAGE, ROLE_MASK(BILLING_ADMIN)));
	ck_assert(perm_allows(PERM_CUSTOMERS_VIEW, ROLE_MASK(BILLING_ADMIN)));
	/* A Global admin holds every permission of an organization (issue 19: the operator
	 * console's permissions belong to no organization role). */
	for (int p = 0; p < PERM__COUNT; p++)
		ck_assert_msg(perm_is_operator((enum perm)p) != perm_allows((enum perm)p, ROLE_MASK(GLOBAL_ADMIN)),
		    "Global admin lacks %s, or holds an operator permission", perms[p].key);
	/* Nobody without roles holds a role-bound permission. */
	for (int p = 2; p < PERM__COUNT; p++)
		ck_assert_msg(!perm_allows((enum perm)p, 0), "%s allowed without roles", perms[p].key);

	ck_assert_str_eq(roles_text(&A, 0), "No roles");
	ck_assert_str_eq(roles_text(&A, ROLE_MASK(GLOBAL_ADMIN)), "Global admin");
	ck_assert_str_eq(roles_text(&A, ROLE_MASK(ADMIN_AGENT) | ROLE_MASK(GLOBAL_ADMIN)), "Global admin, Admin agent");
	ck_assert_str_eq(roles_text(&A, ROLE_ALL),
	    "Global admin, Account admin, User admin, Admin agent, Sales agent, Helpdesk agent, Billing admin");
	ck_assert_int_eq(ROLE__COUNT, 7);
	for (int i = 0; i < ROLE__COUNT; i++) {
		ck_assert_uint_eq(roles[i].mask, 1u << i);
		ck_assert_ptr_nonnull(roles[i].key);
	}
}
END_TEST

UNIT_MAIN("access",
	unit_case("roles", unit_setup, unit_teardown, UNIT_TESTS(permissions_and_roles)))
