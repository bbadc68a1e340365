/* log.c — see log.h. */
#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* The time stamp, "2026-11-21T05:00:00Z": made once a second per thread (issue 17). */
static size_t
stamp(char *out, size_t n)
{
	static _Thread_local time_t last = (time_t)-1;
	static _Thread_local char text[32];
	static _Thread_local size_t len;
	time_t t = time(NULL);
	if (t != last) {
		struct tm tm;
		gmtime_r(&t, &tm);
		len = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	size_t k = len < n ? len : n - 1;
	memcpy(out, text, k);
	out[k] = '\0';
	return k;
}

/* One write(2) per line, straight to the descriptor (issue 17). fprintf on the unbuffered
 * stderr held the stream's lock across its write, so the worker threads queued there (a futex
 * wait and wake-up for nearly every request under load: 2.5 per sign-in page at 32
 * connections). A single write keeps lines whole without the lock: the kernel appends each
 * write to a file at once (threads share the file offset), and a pipe takes up to PIPE_BUF
 * bytes whole (journald's stream; a line here is shorter). */
static void
put_line(const char *line, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, line, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		line += w;
		n -= (size_t)w;
	}
}

void
log_msg(const char *fmt, ...)
{
	char raw[2048], clean[4096], line[4200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_clean(clean, sizeof(clean), raw);
	size_t n = stamp(line, sizeof(line));
	int k = snprintf(line + n, sizeof(line) - n, " %s\n", clean);
	if (k > 0)
		put_line(line, n + ((size_t)k < sizeof(line) - n ? (size_t)k : sizeof(line) - n - 1));
}

void
log_request(const char *rid, const char *method, const char *route, int status, int64_t usec,
    const char *note)
{
	char m[16], nt[256], line[512];
	log_clean(m, sizeof(m), method ? method : "-");
	log_clean(nt, sizeof(nt), note ? note : "");
	size_t n = stamp(line, sizeof(line));
	int k = snprintf(line + n, sizeof(line) - n, " rid=%s %s %s %d %lldus%s%s\n", rid, m, route, status,
	    (long long)usec, *nt ? " " : "", nt);
	if (k > 0)
		put_line(line, n + ((size_t)k < sizeof(line) - n ? (size_t)k : sizeof(line) - n - 1));
}
