/* route.c — the route table (routes.def), matching a request to its route, and the one
 * answer to "may this user open that route" (route_allows) that the dispatcher, the
 * navigation and every page's links and buttons share. */
#include "web/http.h"

#include <string.h>

#include "base/util.h"
#include "domain/session.h"
#include "web/dispatch.h"

const struct route routes[R__COUNT] = {
#define ROUTE(id, method, path, handler, perm, flags) \
	{ R_##id, #id, M_##method, path, handler, PERM_##perm, flags },
#include "web/routes.def"
#undef ROUTE
};


/* Does path match pattern? Characters match exactly, except one whole segment "#"
 * ("/x/#" or "/x/#/delete"), which matches a positive decimal number without a leading
 * zero (at most 18 digits) and puts it in *id. */
bool
route_path_match(const char *pattern, const char *path, long long *id)
{
	const char *p = pattern, *s = path;
	int64_t v = 0;
	bool have_id = false;
	while (*p) {
		if (*p == '#' && p > pattern && p[-1] == '/' && (p[1] == '\0' || p[1] == '/') && !have_id) {
			size_t n = strspn(s, "0123456789");
			if (n == 0 || n > 18 || s[0] == '0')
				return false;
			char digits[19];
			memcpy(digits, s, n);
			digits[n] = '\0';
			if (parse_i64(digits, 1, INT64_MAX, &v) < 0)
				return false;
			have_id = true;
			p++;
			s += n;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s != '\0')
		return false;
	if (have_id)
		*id = v;
	return true;
}

const struct route *
route_find(const char *method, const char *path, int *status, const char **allow, long long *id)
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


bool
route_partner_ok(const struct session *s, const struct route *rt)
{
	unsigned f = rt->flags;
	if ((f & F_PROVIDER) && session_pa(s, PT_INDIRECT_PROVIDER) != PA_APPROVED)
		return false;
	if ((f & F_RESELLER) && session_pa(s, PT_INDIRECT_RESELLER) == PA_NONE)
		return false;
	if ((f & F_RESELLER_APPROVED) && session_pa(s, PT_INDIRECT_RESELLER) != PA_APPROVED)
		return false;
	return true;
}

bool
route_allows(const struct session *s, const struct route *rt)
{
	if (rt->perm == PERM_PUBLIC)
		return true;
	return s != NULL && perm_allows_in(s, rt->perm, s->tenant_id) && route_partner_ok(s, rt);
}

