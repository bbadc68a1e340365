/* util.c — see util.h. */
#include "base/util.h"
#include "base/i18n.h"
#include "base/tz.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t util_time_offset;

int64_t
now_sec(void)
{
	return (int64_t)time(NULL) + util_time_offset;
}

int64_t
mono_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

enum tfmt { T_DATETIME, T_DATE, T_STAMP, T_RFC5322, T_ISO8601 };

static char *
fmt_time(struct arena *a, int64_t t, enum tfmt which)
{
	char out[64];
	time_t tt = (time_t)t;
	struct tm tm;
	size_t n = 0;
	if (gmtime_r(&tt, &tm) != NULL) {
		/* strftime's %a/%b follow the locale; this process never calls setlocale, so "C". */
		switch (which) {
		case T_DATETIME: n = strftime(out, sizeof(out), "%d %b %Y, %H:%M UTC", &tm); break;
		case T_STAMP: n = strftime(out, sizeof(out), "%Y-%m-%d %H:%M UTC", &tm); break;
		case T_DATE: n = strftime(out, sizeof(out), "%d %b %Y", &tm); break;
		case T_RFC5322: n = strftime(out, sizeof(out), "%a, %d %b %Y %H:%M:%S +0000", &tm); break;
		case T_ISO8601: n = strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm); break;
		}
	}
	return arena_strdup(a, n ? out : "?");
}

/* issue 18: in the calling thread's language (English: the format above; pl, ru, sv: ICU's
 * medium date of the language, tz.h). */
char *
fmt_datetime(struct arena *a, int64_t t)
{
	if (i18n_current() == LANG_EN)
		return fmt_time(a, t, T_DATETIME);
	return fmt_datetime_in(a, t, "UTC", NULL);
}

char *
fmt_date(struct arena *a, int64_t t)
{
	char buf[64];
	if (i18n_current() == LANG_EN || tz_format_date(buf, sizeof(buf), t, NULL, NULL) < 0)
		return fmt_time(a, t, T_DATE);
	return arena_strdup(a, buf);
}

char *
fmt_stamp(struct arena *a, int64_t t)
{
	return fmt_time(a, t, T_STAMP);
}

char *
fmt_rfc5322(struct arena *a, int64_t t)
{
	return fmt_time(a, t, T_RFC5322);
}

char *
fmt_iso8601(struct arena *a, int64_t t)
{
	return fmt_time(a, t, T_ISO8601);
}

const char *
fmt_iso8601_to(char out[FMT_ISO8601_LEN], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, FMT_ISO8601_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return "?";
	return out;
}

char *
b64url_encode(struct arena *a, const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = arena_alloc(a, len);
	if (s == NULL)
		return NULL;
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

long
b64url_decode(const char *s, unsigned char *out, size_t cap)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t len = 0;
	const char *end;
	/* Checked here first: libsodium 1.0.18's decoder takes any byte >= 0x80 for '_', so
	 * one token or cookie would have many spellings. */
	if (s == NULL || s[strspn(s, alphabet)] != '\0' || sodium_base642bin(out, cap, s, strlen(s), NULL, &len, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || *end != '\0')
		return -1;
	return (long)len;
}

char *
hex_encode(struct arena *a, const unsigned char *p, size_t n)
{
	char *s = arena_alloc(a, n * 2 + 1);
	if (s != NULL)
		sodium_bin2hex(s, n * 2 + 1, p, n);
	return s;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t len;
		unsigned cp, min;
		if ((c & 0xE0) == 0xC0) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if ((size_t)(e - p) < len)
			return false;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += len;
	}
	return true;
}

int
parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (s == NULL || *s == '\0')
		return -1;
	/* Digits only (an optional leading '-'): strtoll alone would accept " 12" or "+12". */
	const char *d = s + (*s == '-');
	if (*d == '\0')
		return -1;
	for (const char *p = d; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (counted in eras of 400
 * years, whose day count is fixed, with March as the year's first month). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = y / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
parse_date(const char *s, int64_t *out)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int64_t m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*out = days_from_civil(y, m, d) * 86400;
	return 0;
}

bool
str_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

bool
str_ieq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

bool
str_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_trim(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

char *
str_lower_trim(struct arena *a, const char *s)
{
	char *t = str_trim(a, s);
	if (t != NULL)
		for (char *p = t; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return t;
}

char *
like_contains(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *p = arena_alloc(a, 2 * n + 3);
	if (p == NULL)
		return NULL;
	char *w = p;
	*w++ = '%';
	for (; *s; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			*w++ = '\\';
		*w++ = *s;
	}
	*w++ = '%';
	*w = '\0';
	return p;
}
