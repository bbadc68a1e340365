/* fuzz_route.c — the route matcher (web/dispatch.h) every request goes through: input is
 * "METHOD PATH". Invariants: a found route's pattern matches the path; its id is a positive
 * number of at most 18 digits without a leading zero, and writing it back into the
 * pattern gives the path exactly; a miss is 404 or 405, and 405 comes with Allow naming
 * only methods some route of that path takes. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "web/dispatch.h"
#include "web/http.h"

/* The path the pattern gives for id ('#' replaced by the number). */
static void
expand(const char *pattern, long long id, char *out, size_t n)
{
	const char *hash = strchr(pattern, '#');
	if (hash == NULL)
		snprintf(out, n, "%s", pattern);
	else
		snprintf(out, n, "%.*s%lld%s", (int)(hash - pattern), pattern, id, hash + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512];
	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *sp = strchr(buf, ' ');
	if (sp == NULL)
		return 0;
	*sp = '\0';
	const char *method = buf, *path = sp + 1;
	int status = 0;
	const char *allow = NULL;
	long long id = -1;
	const struct route *rt = route_find(method, path, &status, &allow, &id);
	if (rt != NULL) {
		long long again = -1;
		FUZZ_CHECK(route_path_match(rt->path, path, &again));
		if (strchr(rt->path, '#') != NULL) {
			FUZZ_CHECK(id > 0 && id <= 999999999999999999LL && again == id);
			char want[600];
			expand(rt->path, id, want, sizeof(want));
			FUZZ_CHECK(strcmp(want, path) == 0);
		} else {
			FUZZ_CHECK(strcmp(rt->path, path) == 0);
		}
		FUZZ_CHECK(strcmp(method, "POST") == 0 ? rt->method == M_POST : rt->method == M_GET);
	} else {
		FUZZ_CHECK(status == 404 || status == 405);
		if (status == 405)
			FUZZ_CHECK(allow != NULL && (strcmp(allow, "GET, HEAD") == 0 || strcmp(allow, "POST") == 0 ||
			    strcmp(allow, "GET, HEAD, POST") == 0));
	}
	/* Every pattern against the path directly. */
	for (int i = 0; i < R__COUNT; i++) {
		long long pid = -1;
		if (route_path_match(routes[i].path, path, &pid) && strchr(routes[i].path, '#') != NULL)
			FUZZ_CHECK(pid > 0);
	}
	return 0;
}
