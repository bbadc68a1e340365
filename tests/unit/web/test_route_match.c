/* test_route_match.c — route_find (dispatch.c): exact paths, a numeric id at the end or in
 * the middle of a path, and what is not an id. */
#include <pthread.h>
#include <stdio.h>
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

/* ---- the lookup table (route_table_init) against the linear scan it replaced ---- */

/* The scan route_find did before the table: every pattern in routes.def order. */
static const struct route *
scan(const char *method, const char *path, int *status, const char **allow, long long *id)
{
	enum method m = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? M_GET
	    : strcmp(method, "POST") == 0 ? M_POST : 0;
	unsigned have = 0;
	const struct route *hit = NULL;
	for (int i = 0; i < R__COUNT; i++) {
		long long pid = 0;
		if (!route_path_match(routes[i].path, path, &pid))
			continue;
		have |= routes[i].method;
		if (routes[i].method == m && hit == NULL) {
			hit = &routes[i];
			*id = pid;
		}
	}
	if (hit != NULL)
		return hit;
	*status = have ? 405 : 404;
	*allow = have == (M_GET | M_POST) ? "GET, HEAD, POST" : have == M_POST ? "POST" : "GET, HEAD";
	return NULL;
}

/* route_find and the scan give the same answer for path under every method. */
static void
same_answer(const char *path)
{
	static const char *const verbs[] = { "GET", "HEAD", "POST", "PUT", "" };
	for (size_t k = 0; k < NELEM(verbs); k++) {
		int st1 = 0, st2 = 0;
		const char *a1 = NULL, *a2 = NULL;
		long long id1 = -1, id2 = -1;
		const struct route *r1 = route_find(verbs[k], path, &st1, &a1, &id1);
		const struct route *r2 = scan(verbs[k], path, &st2, &a2, &id2);
		ck_assert_msg(r1 == r2, "%s %s: table %s, scan %s", verbs[k], path, r1 ? r1->name : "none",
		    r2 ? r2->name : "none");
		if (r1 != NULL)
			ck_assert_msg(id1 == id2, "%s %s: id %lld, scan %lld", verbs[k], path, id1, id2);
		else
			ck_assert_msg(st1 == st2 && strcmp(a1, a2) == 0, "%s %s: %d %s, scan %d %s", verbs[k], path, st1, a1,
			    st2, a2);
	}
}

/* Every pattern with '#' replaced by ids and non-ids, cut short, lengthened, doubled. */
START_TEST(table_matches_scan)
{
	route_table_init();
	static const char *const idv[] = { "1", "42", "907", "123456789012345678", "1234567890123456789", "0", "012",
		"-1", "+1", "1x", "#", "", "1/2", "99999999999999999999" };
	char path[512], cut[512];
	for (int i = 0; i < R__COUNT; i++) {
		const char *p = routes[i].path;
		for (size_t k = 0; k < NELEM(idv); k++) {
			size_t n = 0;
			for (const char *q = p; *q && n < sizeof(path) - 40; q++) {
				if (*q == '#' && q[-1] == '/' && (q[1] == '\0' || q[1] == '/')) {
					n += (size_t)snprintf(path + n, sizeof(path) - n, "%s", idv[k]);
				} else {
					path[n++] = *q;
				}
			}
			path[n] = '\0';
			same_answer(path);
			for (size_t c = 0; c <= n; c++) {
				memcpy(cut, path, c);
				cut[c] = '\0';
				same_answer(cut);
			}
			snprintf(cut, sizeof(cut), "%s/", path);
			same_answer(cut);
			snprintf(cut, sizeof(cut), "%sx", path);
			same_answer(cut);
			snprintf(cut, sizeof(cut), "%s%s", path, path);
			same_answer(cut);
			snprintf(cut, sizeof(cut), "/7%s", path);
			same_answer(cut);
		}
	}
	static const char *const odd[] = { "", "/", "//", "/#", "/1", "/1/2/3/4/5/6/7/8", "/customers/1/order/2",
		"/customers/1/1/order", "/settings/users/5/5", "/SIGNIN", "/signin?x", "/signin\n", "/%73ignin" };
	for (size_t k = 0; k < NELEM(odd); k++)
		same_answer(odd[k]);
	/* A path far longer than any pattern. */
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	same_answer(path);
}
END_TEST

/* The table's keys assume at most one id segment per pattern (the first '#' segment is the
 * id; route_path_match would compare a second one literally). */
START_TEST(one_id_per_pattern)
{
	for (int i = 0; i < R__COUNT; i++) {
		int n = 0;
		for (const char *q = strchr(routes[i].path, '#'); q != NULL; q = strchr(q + 1, '#'))
			n++;
		ck_assert_msg(n <= 1, "%s: more than one '#' in %s", routes[i].name, routes[i].path);
	}
}
END_TEST

/* Built once, from several threads at once or before any: the same answers. */
static void *
find_users(void *arg)
{
	int st;
	const char *allow;
	long long id = 0;
	*(const struct route **)arg = route_find("GET", "/settings/users/77", &st, &allow, &id);
	return NULL;
}

START_TEST(built_once_under_threads)
{
	pthread_t t[4];
	const struct route *got[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, find_users, &got[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_ptr_nonnull(got[i]);
		ck_assert_int_eq(got[i]->id, R_USER);
	}
}
END_TEST

UNIT_MAIN("route_match",
	unit_case("paths", NULL, NULL, UNIT_TESTS(ids, not_ids, methods)),
	unit_case("table", NULL, NULL, UNIT_TESTS(table_matches_scan, one_id_per_pattern, built_once_under_threads)))
