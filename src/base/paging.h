/* paging.h — where a page of a list starts, for the store's list calls and the pager the
 * pages draw (web/pager.h). Pure arithmetic. */
#ifndef PAGING_H
#define PAGING_H

#include <stdbool.h>
#include <stdint.h>

struct paging {
	int64_t page;			/* 1-based, clamped to [1, pages] */
	int64_t pages;			/* at least 1 */
	int64_t total;			/* rows in the whole list */
	int64_t per_page;
	int64_t offset;			/* rows before this page */
};

/* A sortable column of a list: its key in ?sort= and whether its first click sorts
 * descending (web/pager.h draws the headers). */
struct sort_col {
	const char *key;
	bool first_desc;
};

/* The page `page` of a list of total rows at per_page a page, clamped into range. */
struct paging paging_at(int64_t total, int64_t page, int64_t per_page);
/* Reads a page number from a query string (NULL or "": 1). 0, or -1 when it is not a
 * number from 1 to 1000000 (the caller answers 400 or shows page 1). */
int paging_parse(const char *s, int64_t *page);

#endif
