/* syntax.c — see syntax.h. */
#include "base/syntax.h"

#include <ctype.h>
#include <string.h>

#include "base/util.h"

static bool
label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

bool
domain_valid(const char *v)
{
	size_t n = strlen(v);
	if (n < 3 || n > 253 || strchr(v, '.') == NULL)
		return false;
	const char *p = v, *last = v;
	while (1) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (!label_ok(p, len))
			return false;
		last = p;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	/* The top-level label is letters only (no "example.123"). */
	size_t tl = strlen(last);
	if (tl < 2)
		return false;
	for (size_t i = 0; i < tl; i++)
		if (!isalpha((unsigned char)last[i]))
			return false;
	return true;
}

bool
email_valid(const char *v)
{
	const char *at = strrchr(v, '@');
	size_t n = strlen(v);
	if (at == NULL || at == v || n > 254 || (size_t)(at - v) > 64 || strchr(v, '@') != at)
		return false;
	static const char special[] = ".!#$%&'*+/=?^_`{|}~-";
	for (const char *p = v; p < at; p++)
		if (!isalnum((unsigned char)*p) && strchr(special, *p) == NULL)
			return false;
	if (v[0] == '.' || at[-1] == '.' || strstr(v, "..") != NULL)
		return false;
	return domain_valid(at + 1);
}

bool
phone_valid(const char *v)
{
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strchr(" +-()", *p) == NULL)
			return false;
	}
	return digits >= 7 && digits <= 20;
}

bool
https_url_valid(const char *v)
{
	if (!str_has_prefix(v, "https://") || strlen(v) > 200)
		return false;
	const char *host = v + 8, *end = host;
	while (*end && *end != '/' && *end != '?' && *end != '#')
		end++;
	char h[256];
	size_t hl = (size_t)(end - host);
	if (hl == 0 || hl >= sizeof(h))
		return false;
	memcpy(h, host, hl);
	h[hl] = '\0';
	for (char *p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!domain_valid(h))
		return false;
	for (const char *p = end; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || (unsigned char)*p >= 0x7f)
			return false;
	return true;
}

bool
text_has_control(const char *s, bool multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return true;
	return false;
}
