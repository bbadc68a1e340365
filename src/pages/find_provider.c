/* find_provider.c — Find a provider (SPEC §2.5): the public directory of approved indirect
 * providers, searchable by name and filterable by country and region. Works signed out. */
#include <string.h>

#include "domain/countries.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/i18n.h"
#include "base/util.h"

#define SEARCH_MAX 100

/* The name of the region with code (NULL: not a region). */
static const char *
region_name(const struct region_list *regions, const char *code)
{
	for (size_t i = 0; i < regions->n; i++)
		if (strcmp(regions->v[i].code, code) == 0)
			return regions->v[i].name;
	return NULL;
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
	struct region_list regions;
	if (rel_regions(r->store, r->a, &regions) < 0)
		return page_error(r, 500, NULL);
	if (q == NULL || strlen(q) > SEARCH_MAX || text_has_control(q, false) || paging_parse(req_query(r, "page"), &page) < 0 ||
	    (*country && check_country(r, country) != NULL) || (*region && region_name(&regions, region) == NULL))
		return page_error(r, 400, _("Search with at most 100 characters, and choose the country and region from the lists."));

	struct country_list countries;
	struct paging p;
	struct directory_list found;
	const struct directory_filter filter = { .q = q, .country = country, .region = region };
	if (countries_all(r->store, r->a, &countries) < 0 || rel_directory(r->store, r->a, &filter, page, &p, &found) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Find a provider"));
	tv_set(ctx, "q", q);
	tv_setb(ctx, "filtered", *q || *country || *region);
	struct tv *cs = tv_list(ctx, "countries");
	for (size_t i = 0; i < countries.n; i++) {
		bool chosen = strcmp(country, countries.v[i].code) == 0;
		form_option_tv(cs, countries.v[i].code, countries.v[i].name, chosen);
		if (chosen)
			tv_set(ctx, "country_name", countries.v[i].name);
	}
	struct tv *rs = tv_list(ctx, "regions");
	for (size_t i = 0; i < regions.n; i++)
		form_option_tv(rs, regions.v[i].code, regions.v[i].name, strcmp(region, regions.v[i].code) == 0);
	if (*region)
		tv_set(ctx, "region_name", region_name(&regions, region));

	struct tv *rows = tv_list(ctx, "providers");
	for (size_t i = 0; i < found.n; i++) {
		const struct directory_row *d = &found.v[i];
		struct tv *row = tv_push(rows);
		tv_set(row, "name", d->name);
		tv_set(row, "mpn", d->mpn);
		tv_set(row, "country", d->country);
		tv_set(row, "region", d->region);
		tv_set(row, "email", d->email);
		tv_set(row, "phone", d->phone);
		tv_set(row, "website", d->website);
		/* Only https:// addresses become links. */
		if (str_has_prefix(d->website, "https://"))
			tv_set(row, "web", d->website);
	}
	tv_seti(ctx, "total", p.total);
	tv_setb(ctx, "one", p.total == 1);
	const char *keep[] = { "q", q, "country", country, "region", region, NULL };
	pager_tv(ctx, "pager", &p, "/find-a-provider", keep, "page", _("Pages of providers"));
	return page_render(r, 200, "directory/list", ctx);
}
