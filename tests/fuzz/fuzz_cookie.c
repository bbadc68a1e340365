/* fuzz_cookie.c — the Cookie header parser (req_parse_cookies).
 * Invariants: names are non-empty and hold no ';' '=' or leading blank; values hold no
 * ';'; each name appears once (the first wins); never more than REQ_MAX_PARAMS. */
#include <string.h>

#include "fuzz.h"
#include "web/req.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 8u << 20);
		ready = 1;
	}
	/* The header arrives as a C string (a FastCGI parameter). */
	char *s = arena_alloc(&a, size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct params p;
	memset(&p, 0, sizeof(p));
	enum req_parse rc = req_parse_cookies(&a, s, &p);
	FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_TOO_MANY || rc == PARSE_NOMEM);
	FUZZ_CHECK(p.n <= REQ_MAX_PARAMS);
	for (size_t i = 0; i < p.n; i++) {
		const char *n = p.v[i].name, *v = p.v[i].value;
		FUZZ_CHECK(n[0] != '\0' && n[0] != ' ' && n[0] != '\t');
		FUZZ_CHECK(strpbrk(n, ";=") == NULL);
		FUZZ_CHECK(strchr(v, ';') == NULL);
		FUZZ_CHECK(params_get(&p, n) == v);
		/* The first occurrence in the header wins. */
		char *pair = strstr(s, n);
		FUZZ_CHECK(pair != NULL);
	}
	arena_reset(&a);
	return 0;
}
