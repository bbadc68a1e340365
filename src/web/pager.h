/* pager.h — links of list pages: a query string built from pairs, the pager partial's
 * values (templates/partials/pager.html) and sortable column headers. */
#ifndef PAGER_H
#define PAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "base/tmpl.h"

/* path?k1=v1&k2=v2... with values percent-encoded; pairs with an empty or NULL value are
 * left out. kv is pairs ended by a NULL name: { "sort", "name", "page", p, NULL }. */
char *href_with(struct arena *a, const char *path, const char *const *kv);

/* ctx.<key> = { page, pages, total, prev, next, many, label } for partials/pager: prev/next
 * are path?<kv...>&<page_param>=N (kv as for href_with, the page parameter left out). */
void pager_tv(struct tv *ctx, const char *key, const struct paging *p, const char *path, const char *const *kv,
    const char *page_param, const char *label);

/* ctx.<key> = { many, first, prev, next, last, label } for partials/cursor-pager: the links of
 * a First / Previous / Next / Last pager on a cursor (lists too long for page numbers):
 * path?<kv...> (first), &before=<first_id> (prev, when prev), &after=<last_id> (next, when
 * next), &last=1 (last). kv as for href_with; the cursor's parameters are left out of it. */
void cursor_pager_tv(struct tv *ctx, const char *key, const char *path, const char *const *kv, int64_t first_id,
    int64_t last_id, bool prev, bool next, const char *label);

/* ctx.sort.<key> = { href, aria, arrow } for each column: a header links to its own column,
 * flipping the direction when it is the current one (aria and arrow only there). */
void sort_headers_tv(struct tv *ctx, const char *path, const struct sort_col *cols, int ncols, int current,
    bool desc);

/* The same with more pairs kept in every header's link (kv as for href_with; issue 15: a
 * search stays when the list is sorted). */
void sort_headers_kv_tv(struct tv *ctx, const char *path, const struct sort_col *cols, int ncols, int current,
    bool desc, const char *const *kv);

/* Issue 15, item 11: a list's search box. SEARCH_MAX: the longest search read, in bytes. */
#define SEARCH_MAX 100
/* ?q= trimmed of blanks: NULL when absent or blank; *bad when longer than SEARCH_MAX bytes
 * (the caller answers 400). In a. */
const char *search_param(struct arena *a, const char *q, bool *bad);
/* ctx.search = { action, q, label, help, keep: [{ name, value }] } for partials/search (kv: the
 * list's parameters the box keeps, as for href_with; empty values and q itself left out). */
void search_tv(struct tv *ctx, const char *action, const char *q, const char *label, const char *help,
    const char *const *kv);

/* Appends each line of text (CR LF or LF separated) to list as a string: a message shown
 * as paragraphs, in a page or an email, without raw HTML. */
void tv_lines(struct tv *list, const char *text);

#endif
