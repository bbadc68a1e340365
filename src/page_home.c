/* page_home.c — the overview page and the health check. */
#include <string.h>

#include "agreement.h"
#include "app.h"
#include "db.h"
#include "http.h"
#include "page.h"
#include "util.h"

/* GET / — the overview for a signed-in user; the sign-in page otherwise. */
int
page_home(struct req *r)
{
	if (r->sess == NULL)
		return page_signin(r);
	struct tv *ctx = page_ctx(r, "Overview");
	struct tv *org = tv_obj(ctx, "org");
	tv_set(org, "name", r->sess->tenant_name);
	sqlite3_stmt *st = db_q(r->db, Q_COUNTRY_GET, QT(r->sess->country));
	if (db_step(st) == SQLITE_ROW) {
		tv_set(org, "country", db_text(st, 0));
		tv_set(org, "region", db_text(st, 2));
	}
	sqlite3_reset(st);
	agreement_banner_ctx(r, ctx);		/* the partner agreement banner (agreement.h) */
	return page_render(r, 200, "home/overview", ctx);
}

/* GET /healthz — 200 "ok" when the process and the database answer, 503 otherwise. */
int
page_healthz(struct req *r)
{
	if (db_intv(r->db, Q_HEALTH, -1, NULL, 0) < 0)
		return resp_text(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
	return resp_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}
