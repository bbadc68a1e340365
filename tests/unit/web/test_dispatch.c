/* test_dispatch.c — CONTENT_LENGTH checks and the route table lookup (dispatch.c). */
#include "unit.h"

#include "web/dispatch.h"
#include "web/http.h"

#define MAX 65536

START_TEST(length_digits_ok)
{
	size_t len = 99;
	ck_assert_int_eq(body_length_check("0", MAX, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(body_length_check("17", MAX, &len), 0);
	ck_assert_uint_eq(len, 17);
	ck_assert_int_eq(body_length_check("65536", MAX, &len), 0);
	ck_assert_uint_eq(len, MAX);
	/* Leading zeros are still digits only. */
	ck_assert_int_eq(body_length_check("0005", MAX, &len), 0);
	ck_assert_uint_eq(len, 5);
}
END_TEST

START_TEST(length_empty_is_zero)
{
	size_t len = 99;
	ck_assert_int_eq(body_length_check(NULL, MAX, &len), 0);
	ck_assert_uint_eq(len, 0);
	len = 99;
	ck_assert_int_eq(body_length_check("", MAX, &len), 0);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(length_not_digits_400)
{
	static const char *const bad[] = {
		"12a", "-1", " 5", "5 ", "+5", "0x10", "1e3", "1.0", "١٢", "5\n", "\t5", "a",
		"99999999999999999999999999a",	/* still a 400 after going over the limit */
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		size_t len = 99;
		ck_assert_msg(body_length_check(bad[i], MAX, &len) == 400, "\"%s\" should be 400", bad[i]);
		ck_assert_uint_eq(len, 0);
	}
}
END_TEST

START_TEST(length_over_limit_413)
{
	size_t len = 99;
	ck_assert_int_eq(body_length_check("65537", MAX, &len), 413);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(body_length_check("1000000", MAX, &len), 413);
	/* Digit strings that overflow any integer type. */
	ck_assert_int_eq(body_length_check("18446744073709551616", MAX, &len), 413);
	ck_assert_int_eq(body_length_check("99999999999999999999999999999999999999999999999999", MAX, &len), 413);
	char huge[5001];
	memset(huge, '9', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	ck_assert_int_eq(body_length_check(huge, MAX, &len), 413);
	ck_assert_uint_eq(len, 0);
}
END_TEST

/* Routes */

static const struct route *
find(const char *method, const char *path, int *status, const char **allow, long long *id)
{
	*status = 0;
	*allow = NULL;
	*id = -1;
	return route_find(method, path, status, allow, id);
}

START_TEST(route_known)
{
	int st;
	const char *allow;
	long long id;
	const struct route *rt = find("GET", "/signin", &st, &allow, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_SIGNIN);
	ck_assert_int_eq(rt->method, M_GET);
	rt = find("POST", "/signin", &st, &allow, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_SIGNIN_POST);
	/* HEAD is answered as GET. */
	rt = find("HEAD", "/healthz", &st, &allow, &id);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->id, R_HEALTHZ);
	ck_assert_str_eq(rt->name, "HEALTHZ");
}
END_TEST

START_TEST(route_unknown_404)
{
	static const char *const paths[] = {
		"/nope", "/signin/", "/SIGNIN", "/signin/x", "", "/signin?x", "//signin", "/healthz.txt",
	};
	for (size_t i = 0; i < NELEM(paths); i++) {
		int st;
		const char *allow;
		long long id;
		ck_assert_ptr_null(find("GET", paths[i], &st, &allow, &id));
		ck_assert_msg(st == 404, "%s: status %d", paths[i], st);
	}
}
END_TEST

START_TEST(route_wrong_method_405)
{
	/* The method a path does not take: 405, with the ones it does. */
	static const struct {
		const char *method, *path, *allow;
	} cases[] = {
		{ "GET", "/signout", "POST" },			/* a POST-only route */
		{ "POST", "/healthz", "GET, HEAD" },		/* a GET-only route */
		{ "PUT", "/signin", "GET, HEAD, POST" },	/* both: another method */
		{ "DELETE", "/password/reset", "GET, HEAD, POST" },
	};
	int st;
	const char *allow;
	long long id;
	for (size_t i = 0; i < NELEM(cases); i++) {
		ck_assert_ptr_null(find(cases[i].method, cases[i].path, &st, &allow, &id));
		ck_assert_msg(st == 405, "%s %s: status %d", cases[i].method, cases[i].path, st);
		ck_assert_str_eq(allow, cases[i].allow);
	}
	ck_assert_ptr_null(find("get", "/signin", &st, &allow, &id));
	ck_assert_int_eq(st, 405);
}
END_TEST

START_TEST(route_table_is_consistent)
{
	/* Every path starts with '/', ids are in order, and no method+path appears twice. */
	for (int i = 0; i < R__COUNT; i++) {
		ck_assert_int_eq(routes[i].id, i);
		ck_assert_msg(routes[i].path[0] == '/', "%s: path %s", routes[i].name, routes[i].path);
		ck_assert_ptr_nonnull(routes[i].handler);
		ck_assert(routes[i].method == M_GET || routes[i].method == M_POST);
		for (int j = i + 1; j < R__COUNT; j++)
			ck_assert_msg(!(routes[i].method == routes[j].method && strcmp(routes[i].path, routes[j].path) == 0),
			    "%s and %s have the same method and path", routes[i].name, routes[j].name);
	}
	/* route_find finds each one. */
	for (int i = 0; i < R__COUNT; i++) {
		if (strchr(routes[i].path, '#') != NULL)
			continue;
		int st;
		const char *allow;
		long long id;
		const struct route *rt = find(routes[i].method == M_GET ? "GET" : "POST", routes[i].path, &st, &allow, &id);
		ck_assert_ptr_eq(rt, &routes[i]);
	}
}
END_TEST

START_TEST(numeric_id_paths)
{
	long long id = -1;
	ck_assert(route_path_match("/users/#", "/users/1", &id));
	ck_assert_int_eq(id, 1);
	ck_assert(route_path_match("/users/#", "/users/907", &id));
	ck_assert_int_eq(id, 907);
	ck_assert(route_path_match("/users/#", "/users/999999999999999999", &id));	/* 18 digits */
	ck_assert_int_eq(id, 999999999999999999LL);
	static const char *const bad[] = {
		"/users/", "/users/0", "/users/01", "/users/007", "/users/1234567890123456789",
		"/users/99999999999999999999", "/users/12a", "/users/a12", "/users/-1", "/users/+1",
		"/users/ 1", "/users/1 ", "/users/1/", "/users/1/x", "/users/1.5", "/users/0x10",
		"/users", "/usersx/1", "/user/1", "/users//1",
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		id = -1;
		ck_assert_msg(!route_path_match("/users/#", bad[i], &id), "%s should not match", bad[i]);
		ck_assert_int_eq(id, -1);
	}
	/* Exact patterns match exactly. */
	ck_assert(route_path_match("/signin", "/signin", &id));
	ck_assert(!route_path_match("/signin", "/signin/", &id));
	ck_assert(!route_path_match("/signin", "/signi", &id));
}
END_TEST

START_TEST(reason_phrases)
{
	ck_assert_str_eq(http_reason(404), "Not Found");
	ck_assert_str_eq(http_reason(405), "Method Not Allowed");
	ck_assert_str_eq(http_reason(413), "Content Too Large");
	ck_assert_str_eq(http_reason(422), "Unprocessable Content");
	ck_assert_str_eq(http_reason(999), "Unknown");
}
END_TEST

UNIT_MAIN("dispatch",
	unit_case("content-length", NULL, NULL, UNIT_TESTS(length_digits_ok, length_empty_is_zero,
	    length_not_digits_400, length_over_limit_413)),
	unit_case("routes", NULL, NULL, UNIT_TESTS(route_known, route_unknown_404, route_wrong_method_405,
	    route_table_is_consistent, numeric_id_paths, reason_phrases)))
