/* route.c — the route table (routes.def), matching a request to its route, and the one
 * answer to "may this user open that route" (route_allows) that the dispatcher, the
 * navigation and every page's links and buttons share. */
#include "web/http.h"

#include <pthread.h>
#include <stdint.h>
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

/* ---- the lookup table ----
 * Built once (at start-up, or on first use): every route pattern hashed, so that a request
 * costs a few hash look-ups instead of a route_path_match against every line of routes.def.
 * A pattern with a numeric segment ("/customers/#/order") is keyed by that pattern and found
 * through the path's "shape": the path with one id-shaped segment (what route_path_match's
 * '#' accepts) replaced by '#'. Exact patterns are keyed by themselves and marked as such, so
 * a path that literally contains "/#" never finds an id pattern. For each key the table keeps
 * the first route per method (routes.def order, as the scan took it) and the methods it has,
 * so the answer — the route, or 404/405 with Allow — is the scan's (tests/unit/web/
 * test_route_match.c compares the two). Patterns have at most one '#' segment. */
#define RT_SLOTS 512		/* a power of two, well over twice the number of routes */

struct rt_slot {
	const char *key;	/* NULL: empty */
	size_t len;
	bool has_id;		/* the key is a pattern with a '#' segment */
	unsigned have;		/* M_GET | M_POST */
	short first[3];		/* [M_GET], [M_POST]: the first route, or -1 */
};

static struct rt_slot rt_table[RT_SLOTS];
static size_t rt_longest;	/* the longest pattern */
static pthread_once_t rt_once = PTHREAD_ONCE_INIT;

static uint32_t
rt_hash(const char *s, size_t n, bool has_id)
{
	uint32_t h = has_id ? 2166136261u ^ 0x5bd1e995u : 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The slot of key (len bytes), or the empty slot where it would go. */
static struct rt_slot *
rt_slot(const char *key, size_t len, bool has_id)
{
	uint32_t i = rt_hash(key, len, has_id) & (RT_SLOTS - 1);
	for (;;) {
		struct rt_slot *sl = &rt_table[i];
		if (sl->key == NULL || (sl->len == len && sl->has_id == has_id && memcmp(sl->key, key, len) == 0))
			return sl;
		i = (i + 1) & (RT_SLOTS - 1);
	}
}

/* Whether a pattern has an id segment: a '#' that is a whole segment (route_path_match). */
static bool
pattern_has_id(const char *p)
{
	for (const char *q = strchr(p, '#'); q != NULL; q = strchr(q + 1, '#'))
		if (q > p && q[-1] == '/' && (q[1] == '\0' || q[1] == '/'))
			return true;
	return false;
}

static void
rt_build(void)
{
	_Static_assert(R__COUNT * 2 < RT_SLOTS, "RT_SLOTS too small for routes.def");
	for (int i = 0; i < R__COUNT; i++) {
		const char *p = routes[i].path;
		size_t len = strlen(p);
		bool has_id = pattern_has_id(p);
		struct rt_slot *sl = rt_slot(p, len, has_id);
		if (sl->key == NULL)
			*sl = (struct rt_slot){ .key = p, .len = len, .has_id = has_id, .first = { -1, -1, -1 } };
		sl->have |= routes[i].method;
		if (sl->first[routes[i].method] < 0)
			sl->first[routes[i].method] = (short)i;
		if (len > rt_longest)
			rt_longest = len;
	}
}

void
route_table_init(void)
{
	pthread_once(&rt_once, rt_build);
}

/* Adds what key (len bytes) finds to *have and, for method m, the earliest route to *hit.
 * Whether *hit changed. */
static bool
rt_collect(const char *key, size_t len, bool has_id, enum method m, unsigned *have, int *hit)
{
	const struct rt_slot *sl = rt_slot(key, len, has_id);
	if (sl->key == NULL)
		return false;
	*have |= sl->have;
	if (m && sl->first[m] >= 0 && (*hit < 0 || sl->first[m] < *hit)) {
		*hit = sl->first[m];
		return true;
	}
	return false;
}

const struct route *
route_find(const char *method, const char *path, int *status, const char **allow, long long *id)
{
	route_table_init();
	enum method m = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? M_GET
	    : strcmp(method, "POST") == 0 ? M_POST : 0;
	unsigned have = 0;
	int hit = -1;
	long long hit_id = 0;
	size_t len = strlen(path);
	char shape[1024];
	/* A path longer than every pattern plus an 18-digit id matches none. */
	if (len <= rt_longest + 17 && len < sizeof(shape)) {
		rt_collect(path, len, false, m, &have, &hit);
		/* Each id-shaped segment in turn stands for the '#'. */
		for (const char *seg = strchr(path, '/'); seg != NULL; seg = strchr(seg + 1, '/')) {
			const char *d = seg + 1;
			size_t n = strspn(d, "0123456789");
			if (n == 0 || n > 18 || d[0] == '0' || (d[n] != '\0' && d[n] != '/'))
				continue;
			size_t pre = (size_t)(d - path);
			memcpy(shape, path, pre);
			shape[pre] = '#';
			memcpy(shape + pre + 1, d + n, len - pre - n + 1);
			if (rt_collect(shape, len - n + 1, true, m, &have, &hit)) {
				char digits[19];
				memcpy(digits, d, n);
				digits[n] = '\0';
				int64_t v = 0;
				parse_i64(digits, 1, INT64_MAX, &v);
				hit_id = v;
			}
		}
	}
	if (hit >= 0) {
		*id = hit_id;
		return &routes[hit];
	}
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
route_console_ok(const struct session *s, const struct route *rt)
{
	if (s == NULL || rt->perm == PERM_PUBLIC)
		return true;
	if (session_is_operator(s))
		return perm_is_operator(rt->perm) || (rt->flags & F_MFA_SETUP) != 0;
	return !perm_is_operator(rt->perm);
}

bool
route_allows(const struct session *s, const struct route *rt)
{
	if (rt->perm == PERM_PUBLIC)
		return true;
	return s != NULL && route_console_ok(s, rt) && perm_allows_in(s, rt->perm, s->tenant_id) && route_partner_ok(s, rt);
}

