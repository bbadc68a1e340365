/* req.h — one HTTP request as the portal sees it, and its parsers.
 *
 * The parsers are independent of libfcgi (dispatch.c feeds them) so that unit tests and
 * fuzz targets exercise exactly the code that runs in production. */
#ifndef REQ_H
#define REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define REQ_MAX_PARAMS 256	/* more fields than this in one query or body → 400 */

struct param {
	const char *name, *value;
};

struct params {
	struct param *v;
	size_t n, cap;
};

enum req_parse {
	PARSE_OK = 0,
	PARSE_BAD_ENCODING = -1,	/* bad %XX, invalid UTF-8, NUL byte */
	PARSE_REPEATED = -2,		/* a single-valued field given twice */
	PARSE_TOO_MANY = -3,		/* more than REQ_MAX_PARAMS fields */
	PARSE_NOMEM = -4,
};

/* Parses application/x-www-form-urlencoded text s[0..n) ("a=1&b=%20x", '+' is a space)
 * into out. Names ending in "[]" may repeat (check-box groups); any other name given twice
 * is PARSE_REPEATED. Names and values must decode to valid UTF-8 without NUL. */
enum req_parse req_parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out);

/* issue 19: multipart/form-data (RFC 7578), for the few forms that upload a text file (the
 * route flag F_UPLOAD). content_type is the request's Content-Type (its boundary= parameter,
 * quoted or not, 1-70 characters); s[0..n) the body. Each part needs a Content-Disposition
 * "form-data" with a name; its content becomes that field's value (a file's content as it
 * is: the file name is not kept). The same rules as a urlencoded form: valid UTF-8 without
 * NUL (a binary file is PARSE_BAD_ENCODING), names unique unless "[]", at most
 * REQ_MAX_PARAMS. A malformed body (no closing boundary, a part without headers or name)
 * is PARSE_BAD_ENCODING. */
enum req_parse req_parse_multipart(struct arena *a, const char *content_type, const char *s, size_t n, struct params *out);

/* Parses a Cookie header ("a=b; c=d"). Malformed pairs are skipped; of repeated names the
 * first wins (that is the most specific path, as browsers order them). Values are not
 * decoded. Returns PARSE_OK or PARSE_NOMEM/PARSE_TOO_MANY. */
enum req_parse req_parse_cookies(struct arena *a, const char *s, struct params *out);

/* Appends name=value (neither copied). 0, or -1 when out of memory. */
int params_add(struct arena *a, struct params *p, const char *name, const char *value);
/* The value of name, or NULL. */
const char *params_get(const struct params *p, const char *name);
/* Every value of a repeatable name (ending in "[]"), in order; returns the count. */
size_t params_all(const struct params *p, const char *name, const char **out, size_t max);

/* Percent-encodes s for a query-string value into the arena. */
char *url_encode(struct arena *a, const char *s);

/* A relative path on this site ("/x?y") that is safe to redirect to after sign-in;
 * anything else (absolute URLs, "//host", backslashes, control characters) is not. */
bool req_safe_next(const char *next);

#endif
