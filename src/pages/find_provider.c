/* page_directory.c — Find a provider (SPEC §2.5): the public directory of approved indirect
 * providers, searchable by name and filterable by country and region. Works signed out. */
#include <string.h>

#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/util.h"

#define SEARCH_MAX 100

static bool
region_known(struct req *r, const char *code)
{
	bool ok = false;
	sqlite3_stmt *st = db_q0(r->store, Q_REGIONS);
	while (!ok && db_step(st) == SQLITE_ROW)
		ok = strcmp(db_text(st, 0), code) == 0;
	sqlite3_reset(st);
	return ok;
}

static bool
has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

/* GET /find-a-provider — ?q=NAME&country=CC&region=CODE&page=N, each optional. Approved
 * indirect providers whose name contains q (case-insensitive), in the country and region
 * chosen, 20 a page, by name; their contact details. An unknown country or region code, a
 * search longer than 100 characters or a bad page number → 400. Who: anyone. */
int
page_find_provider(struct req *r)
{
	const char *q = str_trim(r->a, req_query(r, "q") ? req_query(r, "q") : "");
	const char *country = req_query(r, "country") ? req_query(r, "country") : "";
	const char *region = req_query(r, "region") ? req_query(r, "region") : "";
	int64_t page;
	if (q == NULL || strlen(q) > SEARCH_MAX || has_control(q) || paging_parse(req_query(r, "page"), &page) < 0 ||
	    (*country && check_country(r, country) != NULL) || (*region && !region_known(r, region)))
		return page_error(r, 400, "Search with at most 100 characters, and choose the country and region from the lists.");

	struct tv *ctx = page_ctx(r, "Find a provider");
	tv_set(ctx, "q", q);
	tv_setb(ctx, "filtered", *q || *country || *region);
	struct tv *cs = tv_list(ctx, "countries");
	sqlite3_stmt *st = db_q0(r->store, Q_COUNTRIES);
	while (db_step(st) == SQLITE_ROW) {
		struct tv *c = tv_push(cs);
		tv_set(c, "code", db_text(st, 0));
		tv_set(c, "name", db_text(st, 1));
		tv_setb(c, "selected", strcmp(country, db_text(st, 0)) == 0);
		if (strcmp(country, db_text(st, 0)) == 0)
			tv_set(ctx, "country_name", db_text(st, 1));
	}
	sqlite3_reset(st);
	struct tv *rs = tv_list(ctx, "regions");
	st = db_q0(r->store, Q_REGIONS);
	while (db_step(st) == SQLITE_ROW) {
		struct tv *g = tv_push(rs);
		tv_set(g, "code", db_text(st, 0));
		tv_set(g, "name", db_text(st, 1));
		tv_setb(g, "selected", strcmp(region, db_text(st, 0)) == 0);
		if (strcmp(region, db_text(st, 0)) == 0)
			tv_set(ctx, "region_name", db_text(st, 1));
	}
	sqlite3_reset(st);

	struct paging p = paging_at(db_int(r->store, Q_DIRECTORY_COUNT, 0, QT(q), QT(country), QT(region)), page, REL_PAGE_SIZE);
	struct tv *rows = tv_list(ctx, "providers");
	st = db_q(r->store, Q_DIRECTORY_LIST, QT(q), QT(country), QT(region), QI(REL_PAGE_SIZE), QI(p.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rows);
		tv_row(row, st);
		/* Only https:// addresses become links. */
		if (str_has_prefix(db_text(st, 6), "https://"))
			tv_set(row, "web", db_text(st, 6));
	}
	sqlite3_reset(st);
	tv_seti(ctx, "total", p.total);
	tv_setb(ctx, "one", p.total == 1);
	const char *keep[] = { "q", q, "country", country, "region", region, NULL };
	pager_tv(ctx, "pager", &p, "/find-a-provider", keep, "page", "Pages of providers");
	return page_render(r, 200, "directory/list", ctx);
}
