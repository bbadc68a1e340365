/* util.h — small helpers shared by every module: time, encodings, number parsing. */
#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Wall-clock seconds since the epoch; tests may shift it (util_time_offset). */
int64_t now_sec(void);
extern int64_t util_time_offset;
/* Monotonic microseconds, for durations. */
int64_t mono_usec(void);

/* The one format of dates and times that people read (issue 15, item 13): on every page and
 * in every email, a date is "05 Mar 2026" (fmt_date) and a time "05 Mar 2026, 14:03 UTC"
 * (fmt_datetime: the date, then the time with its zone). CSV files and the API keep ISO 8601
 * in UTC (fmt_iso8601); portalctl's tables a sortable column without spaces inside the date
 * ("2026-03-05 14:03 UTC", fmt_stamp); mail headers RFC 5322 (fmt_rfc5322). Into the arena. */
char *fmt_datetime(struct arena *a, int64_t t);
char *fmt_date(struct arena *a, int64_t t);
char *fmt_stamp(struct arena *a, int64_t t);
char *fmt_rfc5322(struct arena *a, int64_t t);
char *fmt_iso8601(struct arena *a, int64_t t);
/* The same into out (no arena: a download's rows, issue 17); returns out, or "?". */
#define FMT_ISO8601_LEN 64
const char *fmt_iso8601_to(char out[FMT_ISO8601_LEN], int64_t t);

/* base64url without padding. Returns the arena string, or NULL. */
char *b64url_encode(struct arena *a, const unsigned char *p, size_t n);
/* Decodes into out (capacity cap); returns the length or -1 on bad input. */
long b64url_decode(const char *s, unsigned char *out, size_t cap);
char *hex_encode(struct arena *a, const unsigned char *p, size_t n);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* Characters (code points) in valid UTF-8 s: what "at most N characters" counts. */
size_t utf8_chars(const char *s);

/* Parses a whole decimal integer in [min,max]; returns 0 or -1 (junk, empty, range). */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Parses a calendar date "YYYY-MM-DD" (years 1970-9999, a day the month has) into the Unix
 * time of its midnight UTC; returns 0 or -1. */
int parse_date(const char *s, int64_t *out);

bool str_eq(const char *a, const char *b);		/* NULL-safe */
bool str_ieq(const char *a, const char *b);		/* ASCII case-insensitive */
bool str_empty(const char *s);				/* NULL or "" */
bool str_has_prefix(const char *s, const char *prefix);
/* Copies s lowercased (ASCII) into the arena, trimmed of surrounding blanks. */
char *str_lower_trim(struct arena *a, const char *s);
char *str_trim(struct arena *a, const char *s);

/* issue 15, item 11: the LIKE pattern (with ESCAPE '\') that matches text containing s:
 * "%" + s with every \, % and _ escaped + "%", so a search for "50%" or "a_b" finds exactly
 * those characters. In the arena; NULL on no memory. */
char *like_contains(struct arena *a, const char *s);

#endif
