/* dispatch.h — one FastCGI request in, one response out. */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/portal.h"

struct store;

/* Per worker thread: the process's shared settings and templates, its own database
 * connection and its request arena. Each on a cache line of its own: every request
 * writes its thread's arena and counter, and workers packed side by side would make the
 * cores pass those lines back and forth (measured: the sign-in page ~5% slower). */
#define WORKER_ALIGN 64
struct worker {
	_Alignas(WORKER_ALIGN) const struct portal *portal;
	struct store *store;
	struct arena arena;
	unsigned long requests;
};

void dispatch(FCGX_Request *fr, struct worker *w);

/* Checks CONTENT_LENGTH against the limit: 0 with *len set, or the status to answer
 * (400 for anything but digits, 413 above max). A missing/empty value is a length of 0. */
int body_length_check(const char *content_length, size_t max, size_t *len);

/* Finds the route for method and path. Returns it, or NULL with *status 404 or 405 (and
 * *allow set to "GET, HEAD" style text for 405). *id gets the numeric segment of "/#". */
const struct route *route_find(const char *method, const char *path, int *status, const char **allow, long long *id);

/* Builds route_find's lookup table (a hash of every routes.def pattern) if not built yet;
 * main() calls it before the worker threads start, route_find on first use otherwise. */
void route_table_init(void);

/* Does path match a route pattern: "/x" exactly, or "/x/#" where '#' is a positive decimal
 * id without a leading zero, at most 18 digits (then *id is set)? */
bool route_path_match(const char *pattern, const char *path, long long *id);

/* The reason phrase for an HTTP status. */
const char *http_reason(int status);

#endif
