/* fuzz_multipart.c — the multipart/form-data parser (req_parse_multipart, issue 19), the
 * code that reads the console's file uploads. The first line of the input is the
 * Content-Type, the rest the body. Invariants: accepted output is well-formed UTF-8 without
 * NUL, at most REQ_MAX_PARAMS fields, non-empty names, single-valued names unique. */
#include <string.h>

#include "fuzz.h"
#include "web/req.h"
#include "base/util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 8u << 20);
		ready = 1;
	}
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t cl = nl ? (size_t)(nl - s) : size;
	char *ct = arena_strndup(&a, s, cl);
	if (ct != NULL && strlen(ct) == cl) {
		const char *body = nl ? nl + 1 : s + size;
		size_t bl = nl ? size - cl - 1 : 0;
		struct params p;
		memset(&p, 0, sizeof(p));
		enum req_parse rc = req_parse_multipart(&a, ct, body, bl, &p);
		FUZZ_CHECK(rc == PARSE_OK || rc == PARSE_BAD_ENCODING || rc == PARSE_REPEATED || rc == PARSE_TOO_MANY ||
		    rc == PARSE_NOMEM);
		if (rc == PARSE_OK) {
			FUZZ_CHECK(p.n <= REQ_MAX_PARAMS);
			for (size_t i = 0; i < p.n; i++) {
				const char *name = p.v[i].name, *value = p.v[i].value;
				size_t nlen = strlen(name);
				FUZZ_CHECK(nlen > 0 && utf8_valid(name, nlen) && utf8_valid(value, strlen(value)));
				bool rep = nlen >= 2 && name[nlen - 2] == '[' && name[nlen - 1] == ']';
				if (!rep)
					FUZZ_CHECK(params_get(&p, name) == value);
			}
		}
	}
	arena_reset(&a);
	return 0;
}
