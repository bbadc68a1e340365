/* operator_directories.c — /operator/directories: the directories an operator loads (issue 19,
 * item 6): the PMC copy (MPN profiles, as portalctl mpn import) and the offer catalog (as
 * portalctl offers import), uploaded as CSV. A file is checked by the importer's own checks
 * (all or nothing, numbered problems) and previewed first; Import takes the same file again
 * (its digest must be the previewed one's: the PMC file's text, which may hold passwords, is
 * never stored) and imports it in one transaction. */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/console.h"
#include "domain/mpn_import.h"
#include "domain/offers.h"
#include "web/page.h"

#define PROBLEMS_MAX 50

/* What an importer said about a file. */
struct verdict {
	int rc;				/* 0 fine (imported, or would be), 1 problems, -1 error */
	int rows, nerrors;
	const char *const *errors;
	const char *summary;		/* after an import: what it did */
};

static int
kind_of(const char *k)
{
	return k == NULL ? -1 : strcmp(k, "mpn") == 0 ? 0 : strcmp(k, "offers") == 0 ? 1 : -1;
}

static const char *const kind_words[] = { N_("MPN profiles (the PMC copy)"), N_("the offer catalog") };

/* Checks (commit false) or imports the file of kind k. */
static struct verdict
run(struct req *r, int k, const char *text, bool commit)
{
	struct verdict v = { 0 };
	size_t len = strlen(text);
	if (k == 0) {
		struct mpn_import_result *res = arena_alloc(r->a, sizeof(*res));
		if (res == NULL)
			return (struct verdict){ .rc = -1 };
		v.rc = commit ? mpn_import(r->store, r->a, text, len, res) : mpn_import_check(r->store, r->a, text, len, res);
		v.rows = res->rows;
		v.nerrors = res->nerrors;
		v.errors = res->errors;
		v.summary = arena_printf(r->a, _("%d rows: %d PMC accounts, %d company profiles, %d pairings"), res->rows,
		    res->pmc_accounts, res->profiles, res->links);
	} else {
		struct offers_import_result *res = arena_alloc(r->a, sizeof(*res));
		if (res == NULL)
			return (struct verdict){ .rc = -1 };
		v.rc = commit ? offers_import(r->store, r->a, text, len, res) : offers_import_check(r->store, r->a, text, len, res);
		v.rows = res->rows;
		v.nerrors = res->nerrors;
		v.errors = res->errors;
		v.summary = arena_printf(r->a, _("%d rows: %d offers added, %d updated, %d unchanged"), res->rows, res->added,
		    res->updated, res->unchanged);
	}
	return v;
}

/* The directories page: the forms, and (v) a file's problems or its preview. */
static int
directories_page(struct req *r, int status, int k, const struct verdict *v, const char *digest)
{
	struct tv *ctx = page_ctx(r, _("Directories"));
	tv_set(ctx, "mpn_columns", mpn_import_columns);
	tv_set(ctx, "offers_columns", offers_import_columns);
	tv_setb(ctx, "may_import", route_allows(r->sess, &routes[R_OP_DIRECTORY_PREVIEW_POST]));
	if (v != NULL) {
		tv_set(ctx, "kind", k == 0 ? "mpn" : "offers");
		tv_set(ctx, "kind_words", _(kind_words[k]));
		tv_seti(ctx, "rows", v->rows);
		if (v->rc == 1) {
			tv_seti(ctx, "nproblems", v->nerrors);
			struct tv *list = tv_list(ctx, "problems");
			int shown = v->nerrors < PROBLEMS_MAX ? v->nerrors : PROBLEMS_MAX;
			for (int i = 0; i < shown; i++)
				tv_set(tv_push(list), "text", v->errors[i]);
			if (v->nerrors > shown)
				tv_seti(ctx, "more_problems", v->nerrors - shown);
		} else {
			tv_set(ctx, "digest", digest);
		}
	}
	return page_render(r, status, "operator/directories", ctx);
}

/* GET /operator/directories. OP_CONSOLE. */
int
page_op_directories(struct req *r)
{
	return directories_page(r, 200, 0, NULL, NULL);
}

/* POST /operator/directories/preview — kind (mpn, offers), file (multipart). OP_ADMIN. The
 * importer's checks, nothing written but the preview's digest: its numbered problems (422),
 * or how many rows would be imported, with Import. */
int
page_op_directory_preview_post(struct req *r)
{
	int k = kind_of(req_form(r, "kind"));
	const char *text = req_form(r, "file");
	if (k < 0 || text == NULL)
		return page_error(r, 400, _("Choose what the file is, and the file."));
	struct verdict v = run(r, k, text, false);
	if (v.rc < 0)
		return page_error(r, 500, NULL);
	if (v.rc == 1)
		return directories_page(r, 422, k, &v, NULL);
	const char *digest = console_file_digest(r->a, text, strlen(text));
	if (digest == NULL || tx_begin(r) < 0 ||
	    console_preview_record(r->store, r->sess->user_id, k == 0 ? "mpn" : "offers", digest, now_sec()) < 0)
		return page_error(r, 500, NULL);
	return directories_page(r, 200, k, &v, digest);
}

/* POST /operator/directories/import — kind, file (the previewed one again), digest. OP_ADMIN. */
int
page_op_directory_import_post(struct req *r)
{
	int k = kind_of(req_form(r, "kind"));
	const char *text = req_form(r, "file"), *digest = req_form(r, "digest");
	if (k < 0 || text == NULL || digest == NULL)
		return page_error(r, 400, _("Choose what the file is, and the file."));
	const char *kind = k == 0 ? "mpn" : "offers";
	const char *mine = console_file_digest(r->a, text, strlen(text));
	int64_t preview = mine != NULL && strcmp(mine, digest) == 0
	    ? console_preview_find(r->store, r->sess->user_id, kind, digest, now_sec()) : 0;
	if (preview < 0)
		return page_error(r, 500, NULL);
	if (preview == 0) {
		audit(r, arena_printf(r->a, "%s.import", kind), "console upload", "refused", "not the previewed file");
		return page_error(r, 409, _("This is not the file you previewed (or the preview is more than a day old). Preview the file, then import the same file."));
	}
	/* The importer writes in a transaction of its own (all or nothing), then the audit
	 * entry and the end of the preview in the request's. */
	struct verdict v = run(r, k, text, true);
	if (v.rc < 0)
		return page_error(r, 500, NULL);
	if (v.rc == 1) {
		audit(r, arena_printf(r->a, "%s.import", kind), "console upload", "refused", arena_printf(r->a, "%d problems", v.nerrors));
		return directories_page(r, 422, k, &v, NULL);
	}
	if (tx_begin(r) < 0 || console_preview_done(r->store, preview) < 0)
		return page_error(r, 500, NULL);
	audit(r, arena_printf(r->a, "%s.import", kind), "console upload", "ok", v.summary);
	return resp_redirect(r, arena_printf(r->a, "/operator/directories?m=directory-imported"));
}
