/* pager.c — see pager.h. */
#include "web/pager.h"

#include <string.h>

#include "base/util.h"
#include "web/req.h"

char *
href_with(struct arena *a, const char *path, const char *const *kv)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, path);
	char sep = '?';
	for (size_t i = 0; kv != NULL && kv[i] != NULL; i += 2) {
		const char *v = kv[i + 1];
		if (v == NULL || *v == '\0')
			continue;
		buf_printf(&b, "%c%s=%s", sep, kv[i], url_encode(a, v));
		sep = '&';
	}
	return b.failed ? arena_strdup(a, path) : b.p;
}

void
pager_tv(struct tv *ctx, const char *key, const struct paging *p, const char *path, const char *const *kv,
    const char *page_param, const char *label)
{
	struct tv *o = tv_obj(ctx, key);
	tv_seti(o, "page", p->page);
	tv_seti(o, "pages", p->pages);
	tv_seti(o, "total", p->total);
	tv_setb(o, "many", p->pages > 1);
	tv_set(o, "label", label);
	const char *pairs[16];
	size_t n = 0;
	for (size_t i = 0; kv != NULL && kv[i] != NULL && n + 4 < NELEM(pairs); i += 2) {
		pairs[n++] = kv[i];
		pairs[n++] = kv[i + 1];
	}
	pairs[n] = page_param;
	pairs[n + 2] = NULL;
	if (p->page > 1) {
		pairs[n + 1] = arena_printf(ctx->a, "%lld", (long long)(p->page - 1));
		tv_set(o, "prev", href_with(ctx->a, path, pairs));
	}
	if (p->page < p->pages) {
		pairs[n + 1] = arena_printf(ctx->a, "%lld", (long long)(p->page + 1));
		tv_set(o, "next", href_with(ctx->a, path, pairs));
	}
}

void
cursor_pager_tv(struct tv *ctx, const char *key, const char *path, const char *const *kv, int64_t first_id,
    int64_t last_id, bool prev, bool next, const char *label)
{
	struct tv *o = tv_obj(ctx, key);
	tv_setb(o, "many", prev || next);
	tv_set(o, "label", label);
	const char *pairs[16];
	size_t n = 0;
	for (size_t i = 0; kv != NULL && kv[i] != NULL && n + 4 < NELEM(pairs); i += 2) {
		pairs[n++] = kv[i];
		pairs[n++] = kv[i + 1];
	}
	pairs[n + 2] = NULL;
	pairs[n] = NULL;
	if (prev) {
		tv_set(o, "first", href_with(ctx->a, path, pairs));
		pairs[n] = "before";
		pairs[n + 1] = arena_printf(ctx->a, "%lld", (long long)first_id);
		tv_set(o, "prev", href_with(ctx->a, path, pairs));
	}
	if (next) {
		pairs[n] = "after";
		pairs[n + 1] = arena_printf(ctx->a, "%lld", (long long)last_id);
		tv_set(o, "next", href_with(ctx->a, path, pairs));
		pairs[n] = "last";
		pairs[n + 1] = "1";
		tv_set(o, "last", href_with(ctx->a, path, pairs));
	}
}

void
sort_headers_tv(struct tv *ctx, const char *path, const struct sort_col *cols, int ncols, int current, bool desc)
{
	sort_headers_kv_tv(ctx, path, cols, ncols, current, desc, NULL);
}

void
sort_headers_kv_tv(struct tv *ctx, const char *path, const struct sort_col *cols, int ncols, int current, bool desc,
    const char *const *more)
{
	struct tv *sort = tv_obj(ctx, "sort");
	for (int i = 0; i < ncols; i++) {
		struct tv *h = tv_obj(sort, cols[i].key);
		bool cur = i == current;
		bool next_desc = cur ? !desc : cols[i].first_desc;
		const char *kv[16] = { "sort", cols[i].key, "dir", next_desc ? "desc" : "asc", NULL };
		for (size_t n = 4, j = 0; more != NULL && more[j] != NULL && n + 3 < NELEM(kv); j += 2) {
			kv[n++] = more[j];
			kv[n++] = more[j + 1];
			kv[n] = NULL;
		}
		tv_set(h, "href", href_with(ctx->a, path, kv));
		if (cur) {
			tv_set(h, "aria", desc ? "descending" : "ascending");
			tv_set(h, "arrow", desc ? "\u2193" : "\u2191");
		}
	}
}

void
tv_lines(struct tv *list, const char *text)
{
	for (const char *p = text; p != NULL && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t keep = len;
		if (keep > 0 && p[keep - 1] == '\r')
			keep--;
		char *line = arena_strndup(list->a, p, keep);
		if (line != NULL)
			tv_push_str(list, line);
		p = nl ? nl + 1 : NULL;
	}
}

const char *
search_param(struct arena *a, const char *q, bool *bad)
{
	*bad = false;
	if (q == NULL)
		return NULL;
	const char *t = str_trim(a, q);
	if (t == NULL || *t == '\0')
		return NULL;
	if (strlen(t) > SEARCH_MAX) {
		*bad = true;
		return NULL;
	}
	return t;
}

void
search_tv(struct tv *ctx, const char *action, const char *q, const char *label, const char *help,
    const char *const *kv)
{
	struct tv *o = tv_obj(ctx, "search");
	tv_set(o, "action", action);
	tv_set(o, "q", q);
	tv_set(o, "label", label);
	tv_set(o, "help", help);
	struct tv *keep = tv_list(o, "keep");
	for (size_t i = 0; kv != NULL && kv[i] != NULL; i += 2) {
		if (kv[i + 1] == NULL || *kv[i + 1] == '\0' || str_eq(kv[i], "q"))
			continue;
		struct tv *k = tv_push(keep);
		tv_set(k, "name", kv[i]);
		tv_set(k, "value", kv[i + 1]);
	}
}
