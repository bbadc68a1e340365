/* fuzz_json.c — the JSON API's request body parser (api_json_parse, web/api.c: the same code
 * that reads every /api/ POST body) and the Authorization header's Bearer reader.
 * Invariants: an accepted body is a JSON object; written out again (as the API writes its
 * answers) it parses back to an equal value; a refusal is 400 with a reason and no value;
 * a Bearer secret is a suffix of the header without leading spaces. */
#include <string.h>

#include "fuzz.h"
#include "web/api.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = NULL;
	char err[160] = "";
	int st = api_json_parse((const char *)data, size, &v, err, sizeof(err));
	if (st == 0) {
		FUZZ_CHECK(v != NULL && json_is_object(v));
		char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
		FUZZ_CHECK(text != NULL);
		json_t *w = NULL;
		char err2[160];
		FUZZ_CHECK(api_json_parse(text, strlen(text), &w, err2, sizeof(err2)) == 0);
		FUZZ_CHECK(json_equal(v, w));
		json_decref(w);
		free(text);
		json_decref(v);
	} else {
		FUZZ_CHECK(st == 400 && v == NULL && err[0] != '\0');
	}
	/* The same bytes as an Authorization header (up to the first NUL). */
	char *h = malloc(size + 1);
	FUZZ_CHECK(h != NULL);
	memcpy(h, data, size);
	h[size] = '\0';
	const char *secret = api_bearer(h);
	if (secret != NULL) {
		FUZZ_CHECK(secret > h && secret <= h + strlen(h) && *secret != ' ' && *secret != '\0');
		FUZZ_CHECK(strncmp(h, "Bearer ", 7) == 0 || strncmp(h, "bearer ", 7) == 0 || secret - h >= 7);
	}
	free(h);
	return 0;
}
