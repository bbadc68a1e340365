/* log.h — one line per event on stderr. Values are passed through log_clean, so a CR or
 * LF in them cannot forge a line; callers never pass passwords, cookies or token links. */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>
#include <stdint.h>

/* "2026-11-21T05:00:00Z <message>\n", message formatted then cleaned of control chars. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The access line: time, request id, method, route name, status, microseconds. */
void log_request(const char *rid, const char *method, const char *route, int status, int64_t usec,
    const char *note);
/* Copies src into dst (size n) with control characters written as \xHH. */
void log_clean(char *dst, size_t n, const char *src);

#endif
