/* paging.c — see paging.h. */
#include "base/paging.h"

#include "base/util.h"

struct paging
paging_at(int64_t total, int64_t page, int64_t per_page)
{
	struct paging p;
	p.per_page = per_page > 0 ? per_page : 1;
	p.total = total < 0 ? 0 : total;
	p.pages = p.total == 0 ? 1 : (p.total + p.per_page - 1) / p.per_page;
	p.page = page < 1 ? 1 : page > p.pages ? p.pages : page;
	p.offset = (p.page - 1) * p.per_page;
	return p;
}

int
paging_parse(const char *s, int64_t *page)
{
	*page = 1;
	if (s == NULL || *s == '\0')
		return 0;
	return parse_i64(s, 1, 1000000, page);
}
