/* req.c — query, form and cookie parsers. See req.h. */
#include "web/req.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) (percent-escapes, '+' as space) into an arena string; NULL on bad input. */
static char *
url_decode(struct arena *a, const char *s, size_t n, bool *nomem)
{
	char *out = arena_alloc(a, n + 1);
	if (out == NULL) {
		*nomem = true;
		return NULL;
	}
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			out[j++] = ' ';
		} else if (c == '%') {
			if (n - i < 3)
				return NULL;
			int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			out[j++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[j++] = c;
		}
	}
	out[j] = '\0';
	if (memchr(out, '\0', j) != NULL || !utf8_valid(out, j))
		return NULL;
	return out;
}

static bool
repeatable(const char *name)
{
	size_t n = strlen(name);
	return n >= 2 && name[n - 2] == '[' && name[n - 1] == ']';
}

int
params_add(struct arena *a, struct params *p, const char *name, const char *value)
{
	struct param *v = arena_grow(a, p->v, p->n, &p->cap, sizeof(*v), 16);
	if (v == NULL)
		return -1;
	p->v = v;
	p->v[p->n].name = name;
	p->v[p->n].value = value;
	p->n++;
	return 0;
}

enum req_parse
req_parse_urlencoded(struct arena *a, const char *s, size_t n, struct params *out)
{
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && s[i] != '&')
			i++;
		size_t len = i - start;
		i++;				/* skip '&' */
		if (len == 0)
			continue;		/* "a=1&&b=2" and a trailing '&' are harmless */
		const char *pair = s + start;
		const char *eq = memchr(pair, '=', len);
		size_t nlen = eq ? (size_t)(eq - pair) : len;
		bool nomem = false;
		char *name = url_decode(a, pair, nlen, &nomem);
		char *value = eq ? url_decode(a, eq + 1, len - nlen - 1, &nomem) : arena_strdup(a, "");
		if (nomem || (eq == NULL && value == NULL))
			return PARSE_NOMEM;
		if (name == NULL || value == NULL)
			return PARSE_BAD_ENCODING;
		if (*name == '\0')
			continue;
		if (!repeatable(name) && params_get(out, name) != NULL)
			return PARSE_REPEATED;
		if (out->n >= REQ_MAX_PARAMS)
			return PARSE_TOO_MANY;
		if (params_add(a, out, name, value) < 0)
			return PARSE_NOMEM;
	}
	return PARSE_OK;
}

/* ---- multipart/form-data (issue 19) ---- */

/* The boundary parameter of a multipart/form-data Content-Type into b (NUL-terminated):
 * its length, or 0 when there is none or it is malformed. */
static size_t
multipart_boundary(const char *ct, char b[71])
{
	static const char type[] = "multipart/form-data";
	if (ct == NULL || strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return 0;
	const char *p = strcasestr(ct + sizeof(type) - 1, "boundary=");
	if (p == NULL)
		return 0;
	p += 9;
	bool quoted = *p == '"';
	p += quoted;
	size_t n = 0;
	while (p[n] && (quoted ? p[n] != '"' : p[n] != ';' && p[n] != ' ' && p[n] != '\t')) {
		unsigned char c = (unsigned char)p[n];
		if (n >= 70 || c < 0x20 || c == 0x7f)
			return 0;
		b[n] = (char)c;
		n++;
	}
	if (quoted && p[n] != '"')
		return 0;
	b[n] = '\0';
	return n;
}

/* The value of parameter key ("name") in a Content-Disposition header line h[0..n)
 * (quoted), in the arena; NULL when absent or malformed. */
static char *
disposition_param(struct arena *a, const char *h, size_t n, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl + 2 < n; i++) {
		if ((h[i] != ';' && h[i] != ' ') || strncasecmp(h + i + 1, key, kl) != 0 || h[i + 1 + kl] != '=')
			continue;
		const char *v = h + i + kl + 2;
		const char *end = h + n;
		if (v >= end || *v != '"')
			return NULL;
		const char *close = memchr(v + 1, '"', (size_t)(end - v - 1));
		return close ? arena_strndup(a, v + 1, (size_t)(close - v - 1)) : NULL;
	}
	return NULL;
}

/* The field name of a part's headers h[0..n) (CRLF-separated): its Content-Disposition's
 * name, or NULL (no "form-data" disposition, no name). */
static char *
part_name(struct arena *a, const char *h, size_t n)
{
	static const char cd[] = "content-disposition:";
	for (size_t i = 0; i < n;) {
		const char *eol = memmem(h + i, n - i, "\r\n", 2);
		size_t len = eol ? (size_t)(eol - h - i) : n - i;
		if (len > sizeof(cd) - 1 && strncasecmp(h + i, cd, sizeof(cd) - 1) == 0) {
			const char *v = h + i + sizeof(cd) - 1;
			size_t vl = len - (sizeof(cd) - 1);
			while (vl > 0 && *v == ' ') {
				v++;
				vl--;
			}
			if (vl < 9 || strncasecmp(v, "form-data", 9) != 0)
				return NULL;
			return disposition_param(a, v, vl, "name");
		}
		i += len + 2;
	}
	return NULL;
}

enum req_parse
req_parse_multipart(struct arena *a, const char *content_type, const char *s, size_t n, struct params *out)
{
	char b[71], delim[76];
	size_t bl = multipart_boundary(content_type, b);
	if (bl == 0)
		return PARSE_BAD_ENCODING;
	/* The first delimiter starts the body; every other one follows a CRLF. */
	int dl = snprintf(delim, sizeof(delim), "\r\n--%s", b);
	if (n < (size_t)dl - 2 || memcmp(s, delim + 2, (size_t)dl - 2) != 0)
		return PARSE_BAD_ENCODING;
	size_t i = (size_t)dl - 2;
	for (;;) {
		if (n - i >= 2 && s[i] == '-' && s[i + 1] == '-')
			return PARSE_OK;		/* the closing delimiter (what follows is ignored) */
		if (n - i < 2 || s[i] != '\r' || s[i + 1] != '\n')
			return PARSE_BAD_ENCODING;
		i += 2;
		const char *hend = memmem(s + i, n - i, "\r\n\r\n", 4);
		if (hend == NULL)
			return PARSE_BAD_ENCODING;
		size_t hl = (size_t)(hend - s - i);
		char *name = part_name(a, s + i, hl);
		if (name == NULL || *name == '\0' || !utf8_valid(name, strlen(name)))
			return PARSE_BAD_ENCODING;
		i += hl + 4;
		const char *next = memmem(s + i, n - i, delim, (size_t)dl);
		if (next == NULL)
			return PARSE_BAD_ENCODING;
		size_t vl = (size_t)(next - s - i);
		if (memchr(s + i, '\0', vl) != NULL || !utf8_valid(s + i, vl))
			return PARSE_BAD_ENCODING;
		char *value = arena_strndup(a, s + i, vl);
		if (value == NULL)
			return PARSE_NOMEM;
		if (!repeatable(name) && params_get(out, name) != NULL)
			return PARSE_REPEATED;
		if (out->n >= REQ_MAX_PARAMS)
			return PARSE_TOO_MANY;
		if (params_add(a, out, name, value) < 0)
			return PARSE_NOMEM;
		i += vl + (size_t)dl;
	}
}

enum req_parse
req_parse_cookies(struct arena *a, const char *s, struct params *out)
{
	if (s == NULL)
		return PARSE_OK;
	while (*s) {
		while (*s == ' ' || *s == ';' || *s == '\t')
			s++;
		const char *start = s;
		while (*s && *s != ';')
			s++;
		size_t len = (size_t)(s - start);
		while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		const char *eq = memchr(start, '=', len);
		if (len == 0 || eq == NULL || eq == start)
			continue;
		size_t nlen = (size_t)(eq - start);
		char *name = arena_strndup(a, start, nlen);
		char *value = arena_strndup(a, eq + 1, len - nlen - 1);
		if (name == NULL || value == NULL)
			return PARSE_NOMEM;
		if (params_get(out, name) != NULL)
			continue;
		if (out->n >= REQ_MAX_PARAMS)
			return PARSE_TOO_MANY;
		if (params_add(a, out, name, value) < 0)
			return PARSE_NOMEM;
	}
	return PARSE_OK;
}

const char *
params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

size_t
params_all(const struct params *p, const char *name, const char **out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n && k < max; i++)
		if (strcmp(p->v[i].name, name) == 0)
			out[k++] = p->v[i].value;
	return k;
}

char *
url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, n * 3 + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

bool
req_safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	if (strlen(next) > 1024)
		return false;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	return true;
}
