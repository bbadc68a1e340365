/* test_pager.c — list paging (base/paging.h) and the pager's links (web/pager.h). */
#include "unit.h"

#include "base/paging.h"
#include "domain/relationships.h"
#include "web/pager.h"

START_TEST(pager_clamps)
{
	struct paging p = paging_at(0, 5, REL_PAGE_SIZE);
	ck_assert_int_eq(p.pages, 1);
	ck_assert_int_eq(p.page, 1);
	ck_assert_int_eq(p.offset, 0);
	p = paging_at(REL_PAGE_SIZE, 2, REL_PAGE_SIZE);
	ck_assert_int_eq(p.pages, 1);
	ck_assert_int_eq(p.page, 1);
	p = paging_at(REL_PAGE_SIZE + 1, 2, REL_PAGE_SIZE);
	ck_assert_int_eq(p.pages, 2);
	ck_assert_int_eq(p.page, 2);
	ck_assert_int_eq(p.offset, REL_PAGE_SIZE);
	p = paging_at(3 * REL_PAGE_SIZE, 99, REL_PAGE_SIZE);
	ck_assert_int_eq(p.page, 3);
	ck_assert_int_eq(p.offset, 2 * REL_PAGE_SIZE);
}
END_TEST

START_TEST(href_encodes_and_skips_empty)
{
	const char *kv[] = { "q", "a&b c", "country", "", "region", NULL, "page", "2", NULL };
	ck_assert_str_eq(href_with(&A, "/find-a-provider", kv), "/find-a-provider?q=a%26b%20c&page=2");
	const char *none[] = { "q", "", NULL };
	ck_assert_str_eq(href_with(&A, "/x", none), "/x");
	ck_assert_str_eq(href_with(&A, "/x", NULL), "/x");
}
END_TEST

START_TEST(sort_headers_and_pager_links)
{
	struct tv *ctx = tv_new_obj(&A);
	sort_headers_tv(ctx, "/resellers", rel_sort_cols, REL_SORT__COUNT, REL_SORT_NAME, false);
	const struct tv *sort = tv_get(ctx, "sort");
	ck_assert_str_eq(tv_str(tv_get(sort, "name"), "href"), "/resellers?sort=name&dir=desc");
	ck_assert_str_eq(tv_str(tv_get(sort, "name"), "aria"), "ascending");
	ck_assert_str_eq(tv_str(tv_get(sort, "since"), "href"), "/resellers?sort=since&dir=desc");
	ck_assert_ptr_null(tv_get(tv_get(sort, "since"), "aria"));
	struct paging p = paging_at(45, 2, REL_PAGE_SIZE);
	const char *keep[] = { "sort", "since", "dir", "asc", NULL };
	pager_tv(ctx, "pager", &p, "/providers", keep, "page", "Pages");
	const struct tv *pg = tv_get(ctx, "pager");
	ck_assert_str_eq(tv_str(pg, "prev"), "/providers?sort=since&dir=asc&page=1");
	ck_assert_str_eq(tv_str(pg, "next"), "/providers?sort=since&dir=asc&page=3");
	ck_assert(tv_truthy(tv_get(pg, "many")));
}
END_TEST

START_TEST(page_numbers)
{
	int64_t page = 0;
	ck_assert_int_eq(paging_parse(NULL, &page), 0);
	ck_assert_int_eq(page, 1);
	ck_assert_int_eq(paging_parse("7", &page), 0);
	ck_assert_int_eq(page, 7);
	ck_assert_int_eq(paging_parse("0", &page), -1);
	ck_assert_int_eq(paging_parse("1000001", &page), -1);
	ck_assert_int_eq(paging_parse("2x", &page), -1);
}
END_TEST

START_TEST(lines_split)
{
	struct tv *ctx = tv_new_obj(&A);
	struct tv *l = tv_list(ctx, "l");
	tv_lines(l, "one\r\ntwo\n\nthree");
	ck_assert_uint_eq(l->n, 4);
	ck_assert_str_eq(l->items[0]->s, "one");
	ck_assert_str_eq(l->items[1]->s, "two");
	ck_assert_str_eq(l->items[2]->s, "");
	ck_assert_str_eq(l->items[3]->s, "three");
	struct tv *e = tv_list(ctx, "e");
	tv_lines(e, "");
	ck_assert_uint_eq(e->n, 0);
}
END_TEST

UNIT_MAIN("pager",
	unit_case("pager", unit_setup, unit_teardown, UNIT_TESTS(pager_clamps, href_encodes_and_skips_empty,
	    sort_headers_and_pager_links, page_numbers, lines_split)))
