/* log.c — see log.h. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
log_clean(char *dst, size_t n, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t j = 0;
	if (n == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)src; *p && j + 4 < n; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			dst[j++] = '\\';
			dst[j++] = 'x';
			dst[j++] = hex[*p >> 4];
			dst[j++] = hex[*p & 15];
		} else {
			dst[j++] = (char)*p;
		}
	}
	dst[j] = '\0';
}

static void
stamp(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
log_msg(const char *fmt, ...)
{
	char raw[2048], clean[4096], ts[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_clean(clean, sizeof(clean), raw);
	stamp(ts, sizeof(ts));
	/* One fprintf per line: stdio locks the stream, so lines from threads never interleave. */
	fprintf(stderr, "%s %s\n", ts, clean);
}

void
log_request(const char *rid, const char *method, const char *route, int status, int64_t usec,
    const char *note)
{
	char m[16], ts[32], nt[256];
	log_clean(m, sizeof(m), method ? method : "-");
	log_clean(nt, sizeof(nt), note ? note : "");
	stamp(ts, sizeof(ts));
	fprintf(stderr, "%s rid=%s %s %s %d %lldus%s%s\n", ts, rid, m, route, status, (long long)usec,
	    *nt ? " " : "", nt);
}
