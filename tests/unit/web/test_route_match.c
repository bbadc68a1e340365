/* test_route_match.c — route_find (dispatch.c): exact paths, a numeric id at the end or in
 * the middle of a path, and what is not an id. */
#include <string.h>

#include "web/dispatch.h"
#include "web/http.h"
#include "unit.h"

static const struct route *
find(const char *method, const char *path, int *status, long long *id)
{
	const char *allow = NULL;
	*status = 0;
	*id = -1;
	return route_find(method, path, status, &allow, id);
}

START_TEST(ids)
{
	int st;
	long long id;
	const struct route *rt = find("GET", "/settings/users/42", &st, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_USER);
	ck_assert_int_eq(id, 42);
	rt = find("POST", "/settings/users/7/delete", &st, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_USER_DELETE_POST);
	ck_assert_int_eq(id, 7);
	rt = find("GET", "/settings/users/123456789012345678/password", &st, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_USER_RESET);
	ck_assert_int_eq(id, 123456789012345678LL);
	rt = find("GET", "/settings/users/new", &st, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_USER_NEW);
	rt = find("GET", "/settings/users", &st, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_USERS);
}
END_TEST

START_TEST(not_ids)
{
	static const char *const bad[] = {
		"/settings/users/0", "/settings/users/012", "/settings/users/-1", "/settings/users/+1",
		"/settings/users/1x", "/settings/users/ 1", "/settings/users/1/", "/settings/users/",
		"/settings/users//delete", "/settings/users/1/delete/", "/settings/users/1/delete/2",
		"/settings/users/1/deletex", "/settings/users/1234567890123456789",
		"/settings/users/99999999999999999999/delete", "/settings/users/1/2", "/settings/users/#",
		"/settings/users/#/delete", "/settings/usersx", "/settings/users.csv",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int st;
		long long id;
		ck_assert_msg(find("GET", bad[i], &st, &id) == NULL, "%s matched", bad[i]);
		ck_assert_int_eq(st, 404);
	}
}
END_TEST

START_TEST(methods)
{
	int st;
	long long id;
	const char *allow = NULL;
	ck_assert_ptr_null(route_find("PUT", "/settings/users/3/delete", &st, &allow, &id));
	ck_assert_int_eq(st, 405);
	ck_assert_str_eq(allow, "GET, HEAD, POST");
	ck_assert_ptr_null(route_find("POST", "/settings/roles", &st, &allow, &id));
	ck_assert_int_eq(st, 405);
	ck_assert_str_eq(allow, "GET, HEAD");
	ck_assert_ptr_nonnull(route_find("HEAD", "/settings/audit.csv", &st, &allow, &id));
}
END_TEST

UNIT_MAIN("route_match",
	unit_case("paths", NULL, NULL, UNIT_TESTS(ids, not_ids, methods)))
