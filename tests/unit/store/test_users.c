/* test_users.c — the store's users area (store/users.c): the user-management list with its
 * orders and pages, lookups scoped to an organization, the changes an administrator makes,
 * and the password hash, on real rows in a :memory: database. */
#include "unit.h"

#include "base/paging.h"

static int64_t T1, T2;			/* two organizations */
static int64_t ANA, BO, CARL, EVE;	/* ANA, BO, CARL in T1; EVE in T2 */

static void
setup(void)
{
	unit_db_setup();
	ck_assert_int_eq(db_begin(&DB), 0);
	unit_two_orgs(&T1, &T2);
	/* Names differ in case, so that the order shows it is case-insensitive. */
	BO = unit_user(.tenant = T1, .email = "bo@contoso.example", .name = "bo", .pw_hash = "$argon2id$bo", .roles = 1,
	    .at = 1001);
	ANA = unit_user(.tenant = T1, .email = "zed@contoso.example", .name = "Ana", .roles = 2, .at = 1002);
	CARL = unit_user(.tenant = T1, .email = "Carl@contoso.example", .name = "carl", .roles = 4, .at = 1003);
	EVE = unit_user(.tenant = T2, .email = "eve@fabrikam.example", .name = "Eve", .pw_hash = "$argon2id$eve", .roles = 1,
	    .at = 1004);
	ck_assert_int_eq(db_commit(&DB), 0);
}

/* The names of a page of T1's users in order, "a,b,c". */
static const char *
names(enum user_order order, bool desc, int64_t page, int64_t per_page)
{
	struct paging p = paging_at(st_users_count(&DB, T1), page, per_page);
	struct user_list l;
	ck_assert_int_eq(st_users_page(&DB, &A, T1, order, desc, &p, &l), 0);
	struct buf b;
	buf_init(&b, &A);
	buf_puts(&b, "");
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_int_eq(l.v[i].tenant_id, T1);
		buf_printf(&b, "%s%s", i ? "," : "", l.v[i].name);
	}
	return b.p;
}

START_TEST(page_orders_and_pages)
{
	ck_assert_int_eq(st_users_count(&DB, T1), 3);
	ck_assert_int_eq(st_users_count(&DB, T2), 1);
	ck_assert_int_eq(st_users_count(&DB, 999), 0);
	ck_assert_str_eq(names(USER_ORDER_NAME, false, 1, 25), "Ana,bo,carl");
	ck_assert_str_eq(names(USER_ORDER_NAME, true, 1, 25), "carl,bo,Ana");
	ck_assert_str_eq(names(USER_ORDER_EMAIL, false, 1, 25), "bo,carl,Ana");	/* bo@, Carl@, zed@ */
	ck_assert_str_eq(names(USER_ORDER_EMAIL, true, 1, 25), "Ana,carl,bo");
	ck_assert_str_eq(names(USER_ORDER_NAME, false, 1, 2), "Ana,bo");
	ck_assert_str_eq(names(USER_ORDER_NAME, false, 2, 2), "carl");
	/* Another organization's list holds only its own. */
	struct paging p = paging_at(1, 1, 25);
	struct user_list l;
	ck_assert_int_eq(st_users_page(&DB, &A, T2, USER_ORDER_NAME, false, &p, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].id, EVE);
	ck_assert(l.v[0].has_password);
	ck_assert(l.v[0].had_password);
}
END_TEST

START_TEST(in_tenant_only)
{
	struct user_row u;
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, BO, T1, &u), 1);
	ck_assert_int_eq(u.id, BO);
	ck_assert_int_eq(u.tenant_id, T1);
	ck_assert_str_eq(u.name, "bo");
	ck_assert_str_eq(u.email, "bo@contoso.example");
	ck_assert_uint_eq(u.roles, 1);
	ck_assert(u.has_password);
	ck_assert(u.had_password);
	ck_assert_int_eq(u.created_at, 1001);
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, ANA, T1, &u), 1);
	ck_assert(!u.has_password);
	ck_assert(!u.had_password);
	/* Another organization's user, or nobody: not found. */
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, EVE, T1, &u), 0);
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, 999, T1, &u), 0);
}
END_TEST

START_TEST(changes_name_the_organization)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	/* Through another organization: nothing changes. */
	ck_assert_int_eq(st_user_set_roles(&DB, EVE, T1, 127), 0);
	ck_assert_int_eq(st_user_clear_password(&DB, EVE, T1, 2000), 0);
	ck_assert_int_eq(st_user_delete(&DB, EVE, T1), 0);
	/* Through its own. */
	ck_assert_int_eq(st_user_set_roles(&DB, BO, T1, 6), 1);
	ck_assert_int_eq(st_user_clear_password(&DB, BO, T1, 2000), 1);
	ck_assert_int_eq(st_user_delete(&DB, CARL, T1), 1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert(!store_failed(&DB));

	struct user_row u;
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, BO, T1, &u), 1);
	ck_assert_uint_eq(u.roles, 6);
	ck_assert(!u.has_password);
	ck_assert(u.had_password);	/* "Password reset" in the list */
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, CARL, T1, &u), 0);
	ck_assert_int_eq(st_user_in_tenant(&DB, &A, EVE, T2, &u), 1);
	ck_assert_uint_eq(u.roles, 1);
	ck_assert(u.has_password);
	ck_assert_int_eq(st_users_count(&DB, T1), 2);
}
END_TEST

START_TEST(stored_password_hash)
{
	const char *h = NULL;
	ck_assert_int_eq(st_user_password_hash(&DB, &A, EVE, &h), 1);
	ck_assert_str_eq(h, "$argon2id$eve");
	ck_assert_int_eq(st_user_password_hash(&DB, &A, ANA, &h), 1);
	ck_assert_str_eq(h, "");
	ck_assert_int_eq(st_user_password_hash(&DB, &A, 999, &h), 0);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_user_set_password(&DB, ANA, "$argon2id$new", 3000), 1);
	ck_assert_int_eq(st_user_set_password(&DB, 999, "$argon2id$new", 3000), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(st_user_password_hash(&DB, &A, ANA, &h), 1);
	ck_assert_str_eq(h, "$argon2id$new");
}
END_TEST

/* A failing write is -1 and fails the store; nothing survives the commit. */
START_TEST(failed_write_is_sticky)
{
	UNIT_SQLITE_ONLY("injects a failing write with a SQLite trigger");
	ck_assert_int_eq(sqlite3_exec(DB.h, "CREATE TRIGGER no_roles BEFORE UPDATE OF roles ON users"
	    " BEGIN SELECT RAISE(ABORT, 'injected'); END", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_user_clear_password(&DB, BO, T1, 2000), 1);
	ck_assert_int_eq(st_user_set_roles(&DB, BO, T1, 6), -1);
	ck_assert(store_failed(&DB));
	ck_assert_int_eq(store_commit(&DB), -1);
	store_clear_failure(&DB);
	const char *h = NULL;
	ck_assert_int_eq(st_user_password_hash(&DB, &A, BO, &h), 1);
	ck_assert_str_eq(h, "$argon2id$bo");
}
END_TEST

UNIT_MAIN("store users",
	unit_case("users", setup, unit_db_teardown, UNIT_TESTS(page_orders_and_pages, in_tenant_only,
	    changes_name_the_organization, stored_password_hash, failed_write_is_sticky)))
