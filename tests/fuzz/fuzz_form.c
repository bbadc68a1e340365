/* fuzz_form.c — the query/form parser (req_parse_urlencoded), the same code that reads
 * every query string and POST body; plus url_encode and req_safe_next on what it yields.
 * Invariants: accepted output is well-formed UTF-8 without NUL, at most REQ_MAX_PARAMS
 * pairs, single-valued names unique; encoding the pairs again parses back to the same. */
#include <string.h>

#include "fuzz.h"
#include "web/req.h"
#include "base/util.h"

static void
check_next(const char *s)
{
	if (!req_safe_next(s))
		return;
	FUZZ_CHECK(s[0] == '/' && s[1] != '/' && s[1] != '\\');
	FUZZ_CHECK(strchr(s, '\\') == NULL);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 8u << 20);
		ready = 1;
	}
	struct params p;
	memset(&p, 0, sizeof(p));
	enum req_parse rc = req_parse_urlencoded(&a, (const char *)data, size, &p);
	FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_BAD_ENCODING || rc == PARSE_REPEATED || rc == PARSE_TOO_MANY ||
	    rc == PARSE_NOMEM);
	if (rc == PARSE_OK) {
		FUZZ_CHECK(p.n <= REQ_MAX_PARAMS);
		struct buf again;
		buf_init(&again, &a);
		for (size_t i = 0; i < p.n; i++) {
			const char *name = p.v[i].name, *value = p.v[i].value;
			size_t nl = strlen(name), vl = strlen(value);
			FUZZ_CHECK(nl > 0);
			FUZZ_CHECK(utf8_valid(name, nl) && utf8_valid(value, vl));
			bool rep = nl >= 2 && name[nl - 2] == '[' && name[nl - 1] == ']';
			if (!rep)
				FUZZ_CHECK(params_get(&p, name) == value);	/* the only one of its name */
			check_next(value);
			buf_printf(&again, "%s%s=%s", i ? "&" : "", url_encode(&a, name), url_encode(&a, value));
		}
		if (!again.failed) {
			struct params q;
			memset(&q, 0, sizeof(q));
			FUZZ_CHECK(req_parse_urlencoded(&a, again.p ? again.p : "", again.len, &q) == PARSE_OK);
			FUZZ_CHECK(q.n == p.n);
			for (size_t i = 0; i < p.n; i++)
				FUZZ_CHECK(strcmp(q.v[i].name, p.v[i].name) == 0 && strcmp(q.v[i].value, p.v[i].value) == 0);
		}
	}
	arena_reset(&a);
	return 0;
}
