/* relationships_timeline.c — one timeline per relationship (issue 13): /relationships/<kind>/ID
 * for a provider-reseller ("reseller"), partner-customer ("customer") or delegated admin
 * ("delegated") relationship the organization is part of, on either side: every event of it
 * from both organizations' audit logs as the log's sentences, newest first, 50 a page
 * (?before=ID: older than that entry), and the same events as ?format=csv or ?format=json
 * (the newest 10,000). The client address of an entry is left out: the other organization's
 * users' addresses are theirs. The rules are domain/timeline.h's; the dispatcher checked the
 * permission (RELATIONSHIP_TIMELINE); another organization's relationship is 404, audited. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/csv.h"
#include "base/util.h"
#include "domain/audit.h"
#include "domain/timeline.h"
#include "web/http.h"
#include "web/page.h"

/* The entry as a sentence (an "access" entry names the page refused). */
static const char *
sentence_of(struct req *r, const struct audit_row *e)
{
	return audit_sentence(r->a, e, strcmp(e->action, "access") == 0 ? page_route_words(r->a, e->target) : NULL);
}

/* The page of the relationship itself, for the signed-in side, when the user may open it. */
static void
own_page_tv(struct req *r, struct tv *ctx, const struct tl_rel *rel)
{
	bool a_side = rel->sides.a_tenant == r->sess->tenant_id;
	const char *href = NULL, *label = NULL;
	if (strcmp(rel->kind, TL_DELEGATED) == 0 && route_allows(r->sess, &routes[R_DA_ONE])) {
		href = arena_printf(r->a, "/delegated-admin/%lld", (long long)rel->id);
		label = _("Open the delegated admin relationship");
	} else if (strcmp(rel->kind, TL_RESELLER) == 0 && a_side && route_allows(r->sess, &routes[R_RESELLER])) {
		href = arena_printf(r->a, "/resellers/%lld", (long long)rel->id);
		label = _("Open the reseller's page");
	} else if (strcmp(rel->kind, TL_RESELLER) == 0 && !a_side && route_allows(r->sess, &routes[R_PROVIDERS])) {
		href = "/providers";
		label = _("Open Indirect providers");
	} else if (strcmp(rel->kind, TL_CUSTOMER) == 0 && a_side && route_allows(r->sess, &routes[R_CUSTOMER])) {
		href = arena_printf(r->a, "/customers/%lld", (long long)rel->sides.b_tenant);
		label = _("Open the customer");
	}
	tv_set(ctx, "own_href", href);
	tv_set(ctx, "own_label", label);
}

/* GET /relationships/<kind>/ID[?before=ID] — the page. */
static int
timeline_page(struct req *r, const struct tl_rel *rel)
{
	int64_t before = 0;
	const char *b = req_query(r, "before");
	if (b != NULL && parse_i64(b, 1, INT64_MAX, &before) < 0)
		return page_error(r, 400, NULL);
	struct audit_list rows;
	bool older = false;
	if (tl_page(r->store, r->a, rel, before, TL_PER_PAGE, &rows, &older) < 0)
		return page_error(r, 500, NULL);
	const char *title = *rel->sides.name
	    ? arena_printf(r->a, _("Timeline of delegated admin '%s'"), rel->sides.name)
	    : arena_printf(r->a, _("Timeline of %s and %s"), rel->sides.a_name, rel->sides.b_name);
	struct tv *ctx = page_ctx(r, title);
	page_crumbs(ctx, "/relationships", _("Relationships"), NULL);
	const char *self = arena_printf(r->a, "/relationships/%s/%lld", rel->kind, (long long)rel->id);
	tv_set(ctx, "kind", tl_kind_label(rel->kind));
	tv_set(ctx, "a_name", rel->sides.a_name);
	tv_set(ctx, "b_name", rel->sides.b_name);
	tv_set(ctx, "since", fmt_date(r->a, rel->sides.since));
	tv_setb(ctx, "predates", rel->predates);
	tv_setb(ctx, "paged", before > 0);
	own_page_tv(r, ctx, rel);
	struct tv *list = tv_list(ctx, "events");
	for (size_t i = 0; i < rows.n; i++) {
		const struct audit_row *e = &rows.v[i];
		struct tv *it = tv_push(list);
		bool ok = strcmp(e->outcome, "ok") == 0, refused = strcmp(e->outcome, "refused") == 0;
		tv_set(it, "when", page_time(r, e->at));
		tv_set(it, "iso", fmt_iso8601(r->a, e->at));
		tv_set(it, "sentence", sentence_of(r, e));
		tv_set(it, "log", tl_log_of(rel, e));
		tv_set(it, "outcome_text", ok ? _("Done") : refused ? _("Refused") : _("Failed"));
		tv_set(it, "tag", ok ? "ok" : refused ? "warn" : "err");
	}
	if (before > 0)
		tv_set(ctx, "newest", self);
	if (older && rows.n > 0)
		tv_setf(ctx, "older", "%s?before=%lld", self, (long long)rows.v[rows.n - 1].id);
	tv_setf(ctx, "csv_href", "%s?format=csv", self);
	tv_setf(ctx, "json_href", "%s?format=json", self);
	tv_seti(ctx, "export_max", TL_EXPORT_MAX);
	return page_render(r, 200, "relationships/timeline", ctx);
}

struct export_out {
	struct req *r;
	const struct tl_rel *rel;
	struct buf *b;
	json_t *events;
};

static int
csv_line(void *ctx, const struct audit_row *e)
{
	struct export_out *o = ctx;
	const char *cells[] = { fmt_iso8601(o->r->a, e->at), tl_log_of(o->rel, e), e->actor, e->action, e->target,
		e->outcome, e->detail, sentence_of(o->r, e) };
	for (size_t i = 0; i < NELEM(cells); i++)
		csv_put_cell(o->b, cells[i], i + 1 == NELEM(cells));
	return o->b->failed ? -1 : 0;
}

static int
json_line(void *ctx, const struct audit_row *e)
{
	struct export_out *o = ctx;
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id,
	    "at", fmt_iso8601(o->r->a, e->at), "log", tl_log_of(o->rel, e), "actor", e->actor, "action", e->action,
	    "target", e->target, "outcome", e->outcome, "detail", e->detail, "sentence", sentence_of(o->r, e));
	return v != NULL && json_array_append_new(o->events, v) == 0 ? 0 : -1;
}

/* ?format=csv — the events as an RFC 4180 CSV attachment. */
static int
timeline_csv(struct req *r, const struct tl_rel *rel, const char *file)
{
	r->body.len = 0;
	struct export_out o = { r, rel, &r->body, NULL };
	static const char *const head[] = { "Time (UTC)", "Log", "Actor", "Action", "Target", "Outcome", "Detail", "What happened" };
	for (size_t i = 0; i < NELEM(head); i++)
		csv_put_cell(o.b, head[i], i + 1 == NELEM(head));
	if (tl_each(r->store, rel, csv_line, &o) < 0 || o.b->failed)
		return page_error(r, 500, NULL);
	r->content_type = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s.csv\"", file));
	return 200;
}

/* ?format=json — { relationship: {...}, events: [...] } as an attachment. */
static int
timeline_json(struct req *r, const struct tl_rel *rel, const char *file)
{
	json_t *doc = json_pack("{s:{s:s, s:I, s:s, s:[s, s], s:s, s:b}, s:[]}", "relationship", "kind", rel->kind,
	    "id", (json_int_t)rel->id, "name", rel->sides.name, "organizations", rel->sides.a_name, rel->sides.b_name,
	    "since", fmt_iso8601(r->a, rel->sides.since), "predates_links", rel->predates, "events");
	struct export_out o = { r, rel, NULL, doc ? json_object_get(doc, "events") : NULL };
	char *text = NULL;
	if (doc == NULL || tl_each(r->store, rel, json_line, &o) < 0 ||
	    (text = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL) {
		json_decref(doc);
		return page_error(r, 500, NULL);
	}
	json_decref(doc);
	r->body.len = 0;
	buf_puts(&r->body, text);
	free(text);
	r->content_type = "application/json; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s.json\"", file));
	return 200;
}

/* GET /relationships/<kind>/ID[?before=ID|format=csv|format=json] — who: RELATIONSHIP_TIMELINE
 * of either organization of the relationship. */
static int
timeline(struct req *r, const char *kind)
{
	const char *format = req_query(r, "format");
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return page_error(r, 400, NULL);
	struct tl_rel rel;
	const char *why = NULL;
	int found = tl_open(r->store, r->a, kind, r->id, r->sess->tenant_id, &rel, &why);
	int st = page_lookup(r, found, arena_printf(r->a, "%s relationship", kind), r->id, why);
	if (st)
		return st;
	const char *file = arena_printf(r->a, "timeline-%s-%lld", kind, (long long)r->id);
	if (format == NULL)
		return timeline_page(r, &rel);
	/* CSV and JSON are data: English whatever the page's language (issue 18). A failure's
	 * page is in the reader's language again. */
	enum lang was = i18n_use(LANG_EN);
	st = strcmp(format, "csv") == 0 ? timeline_csv(r, &rel, file) : timeline_json(r, &rel, file);
	i18n_use(was);
	return st;
}

int
page_rel_timeline_reseller(struct req *r)
{
	return timeline(r, TL_RESELLER);
}

int
page_rel_timeline_customer(struct req *r)
{
	return timeline(r, TL_CUSTOMER);
}

int
page_rel_timeline_delegated(struct req *r)
{
	return timeline(r, TL_DELEGATED);
}
