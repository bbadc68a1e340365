/* page_mpn.c — "Link your MPN ID": sign in to the Partner Membership Center copy (PMC user
 * name -> `Next` -> PMC password -> `Sign in`), pick one of the company profiles linked to
 * that PMC account -> `Continue`; `Cancel` starts again with other PMC credentials.
 *
 * The same handlers serve two places (SPEC §2.2 step 3):
 *   /enroll/mpn...            during enrollment (Global admin; `Skip for now` is in page_enroll.c)
 *   /settings/profile/mpn...  Settings -> Organization profile -> Identifiers -> link another
 *                             (Global admin, Account admin)
 * Only an active profile in the work account's country, not linked to another organization,
 * may be linked (enroll.c mpn_link_problem). PMC sign-in failures are throttled like
 * /signin: per PMC user name and per client address. */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "base/log.h"
#include "web/page.h"
#include "base/util.h"

#define PMC_THROTTLE_WINDOW (15 * 60)
#define PMC_THROTTLE_PER_NAME 5
#define PMC_THROTTLE_PER_ADDRESS 20

struct flow {
	bool enroll;			/* during enrollment (else: Settings) */
	const char *base;		/* "/enroll/mpn" or "/settings/profile/mpn" */
	const char *done;		/* where a linked profile leads */
	const char *back;		/* where leaving the first step leads */
};

/* Which flow this request belongs to, and the checks that flow needs. Returns 0 to go on,
 * else the answer already prepared. */
static int
flow_start(struct req *r, struct flow *fl, struct enroll_state *s, bool is_get)
{
	fl->enroll = str_has_prefix(r->path, "/enroll/");
	fl->base = fl->enroll ? "/enroll/mpn" : "/settings/profile/mpn";
	fl->done = fl->enroll ? "/enroll/profile?m=mpn-linked" : "/settings/profile?m=mpn-linked";
	fl->back = fl->enroll ? "/enroll" : "/settings/profile";
	if (enroll_state_get(r->store, r->sess->tenant_id, s) < 0)
		return page_error(r, 500, NULL);
	if (s->customer)
		return page_error(r, 403, "This is a customer organization's work account: MPN IDs belong to partner organizations.");
	if (fl->enroll && s->submitted)
		return resp_redirect(r, "/enroll");
	if (fl->enroll && s->shortcut && is_get)
		return resp_redirect(r, "/enroll/profile");
	return 0;
}

static struct tv *
flow_ctx(struct req *r, const struct flow *fl, const char *title)
{
	struct tv *ctx = page_ctx(r, title);
	tv_set(ctx, "base", fl->base);
	tv_set(ctx, "back", fl->back);
	tv_setb(ctx, "enrolling", fl->enroll);
	if (fl->enroll)
		enroll_steps(ctx, 2, false);
	return ctx;
}

/* Is the user signed in to PMC (by this draft, recently)? */
static bool
pmc_live(const struct req *r, const struct draft *d)
{
	return d->pmc_id != 0 && d->pmc_user_id == r->sess->user_id && now_sec() - d->pmc_at < PMC_SIGNIN_TTL;
}

/* ---- 1. PMC user name ---- */

static const struct field user_fields[] = {
	{ "pmc_user", "PMC user name", "text", 254, FF_REQUIRED | FF_LOWER, NULL,
	  "The user name you sign in to the Partner Membership Center (PMC) with.", "username" },
};

static int
user_form(struct req *r, int status, const struct flow *fl, struct form *f)
{
	struct tv *ctx = flow_ctx(r, fl, "Link your MPN ID");
	form_to_tv(f, ctx);
	struct tv *list = tv_list(ctx, "linked");
	sqlite3_stmt *st = db_q(r->store, Q_TENANT_MPNS, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(list);
		tv_set(it, "mpn_id", db_text(st, 0));
		tv_set(it, "company", db_text(st, 1));
	}
	sqlite3_reset(st);
	return page_render(r, status, "enroll/mpn-user", ctx);
}

/* GET /enroll/mpn, /settings/profile/mpn — the PMC user name, button `Next`. */
int
page_mpn_user(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, true);
	if (st)
		return st;
	struct draft d;
	draft_load(r->store, r->a, r->sess->tenant_id, &d);
	struct form f;
	form_init(&f, user_fields, NELEM(user_fields));
	form_set(&f, "pmc_user", draft_get(&d, "pmc_user"));
	return user_form(r, 200, &fl, &f);
}

/* POST /enroll/mpn, /settings/profile/mpn — pmc_user. Kept in the draft; on to the password. */
int
page_mpn_user_post(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, false);
	if (st)
		return st;
	struct form f;
	if (form_read(r, &f, user_fields, NELEM(user_fields)) > 0)
		return user_form(r, 422, &fl, &f);
	struct draft d;
	int64_t now = now_sec();
	if (tx_begin(r) < 0 || draft_load(r->store, r->a, r->sess->tenant_id, &d) < 0)
		return page_error(r, 500, NULL);
	draft_set(r->a, &d, "pmc_user", form_get(&f, "pmc_user"));
	if (draft_save(r->store, r->a, r->sess->tenant_id, &d, now) < 0 ||
	    db_run(r->store, Q_DRAFT_PMC, QI(r->sess->tenant_id), QNULL, QNULL, QNULL, QI(now)) != 1)
		return page_error(r, 500, NULL);
	return resp_redirect(r, arena_printf(r->a, "%s/password", fl.base));
}

/* ---- 2. PMC password ---- */

static const struct field pw_fields[] = {
	{ "pmc_password", "PMC password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
};

static int
pw_form(struct req *r, int status, const struct flow *fl, struct form *f, const char *user, const char *problem)
{
	struct tv *ctx = flow_ctx(r, fl, "Sign in to the Partner Membership Center");
	form_to_tv(f, ctx);
	tv_set(ctx, "pmc_user", user);
	tv_set(ctx, "problem", problem);
	return page_render(r, status, "enroll/mpn-password", ctx);
}

/* GET /enroll/mpn/password, /settings/profile/mpn/password — the PMC password, `Sign in`. */
int
page_mpn_password(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, true);
	if (st)
		return st;
	struct draft d;
	draft_load(r->store, r->a, r->sess->tenant_id, &d);
	const char *user = draft_get(&d, "pmc_user");
	if (str_empty(user))
		return resp_redirect(r, fl.base);
	struct form f;
	form_init(&f, pw_fields, NELEM(pw_fields));
	return pw_form(r, 200, &fl, &f, user, NULL);
}

/* POST /enroll/mpn/password, /settings/profile/mpn/password — pmc_password. Checks it
 * against the PMC copy (libsodium); the same answer for an unknown user name and a wrong
 * password; throttled. Success remembers the PMC sign-in for 30 minutes. */
int
page_mpn_password_post(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, false);
	if (st)
		return st;
	struct draft d;
	draft_load(r->store, r->a, r->sess->tenant_id, &d);
	const char *user = draft_get(&d, "pmc_user");
	if (str_empty(user))
		return resp_redirect(r, fl.base);
	struct form f;
	if (form_read(r, &f, pw_fields, NELEM(pw_fields)) > 0)
		return pw_form(r, 422, &fl, &f, user, NULL);
	int64_t since = now_sec() - PMC_THROTTLE_WINDOW;
	if (db_int(r->store, Q_PMC_FAILS_NAME, 0, QT(user), QI(since)) >= PMC_THROTTLE_PER_NAME ||
	    db_int(r->store, Q_PMC_FAILS_IP, 0, QT(r->ip ? r->ip : ""), QI(since)) >= PMC_THROTTLE_PER_ADDRESS) {
		audit(r, "pmc.signin", user, "failed", "throttled");
		log_msg("rid=%s PMC sign-in throttled", r->rid);
		return pw_form(r, 429, &fl, &f, user, "Too many unsuccessful attempts. Wait 15 minutes, then try again.");
	}
	int64_t pmc_id = 0;
	const char *hash = NULL;
	sqlite3_stmt *q = db_q(r->store, Q_PMC_BY_NAME, QT(user));
	if (db_step(q) == SQLITE_ROW) {
		pmc_id = db_i64(q, 0);
		hash = arena_strdup(r->a, db_text(q, 1));
	}
	sqlite3_reset(q);
	/* Unknown user names are checked against a dummy hash: same work, same answer. */
	if (!password_check(hash, req_form(r, "pmc_password"))) {
		audit(r, "pmc.signin", user, "failed", pmc_id ? "wrong password" : "unknown PMC user name");
		return pw_form(r, 422, &fl, &f, user,
		    "That PMC user name and password do not match a Partner Membership Center account. Check them and try again, or select Cancel to use another user name.");
	}
	int64_t now = now_sec();
	if (tx_begin(r) < 0 ||
	    db_run(r->store, Q_DRAFT_PMC, QI(r->sess->tenant_id), QI(pmc_id), QI(r->sess->user_id), QI(now), QI(now)) != 1)
		return page_error(r, 500, NULL);
	audit(r, "pmc.signin", user, "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "%s/profiles", fl.base));
}

/* ---- 3. pick a company profile ---- */

static int
profiles_page(struct req *r, int status, const struct flow *fl, const struct draft *d, const char *chosen,
    const char *problem)
{
	struct tv *ctx = flow_ctx(r, fl, "Choose your company profile");
	tv_set(ctx, "pmc_user", draft_get(d, "pmc_user"));
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "country", r->sess->country);
	sqlite3_stmt *st = db_q(r->store, Q_COUNTRY_GET, QT(r->sess->country));
	if (db_step(st) == SQLITE_ROW)
		tv_set(ctx, "country_name", db_text(st, 0));
	sqlite3_reset(st);
	struct tv *list = tv_list(ctx, "profiles");
	st = db_q(r->store, Q_PMC_PROFILES, QI(d->pmc_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(list);
		tv_set(it, "mpn_id", db_text(st, 0));
		tv_set(it, "company", db_text(st, 1));
		tv_set(it, "country", db_text(st, 3));
		tv_setb(it, "active", str_eq(db_text(st, 4), "active"));
		tv_setb(it, "other_country", !str_eq(db_text(st, 2), r->sess->country));
		int64_t owner = db_i64(st, 5);
		tv_setb(it, "ours", owner == r->sess->tenant_id);
		tv_setb(it, "taken", owner != 0 && owner != r->sess->tenant_id);
		tv_setb(it, "checked", str_eq(chosen, db_text(st, 0)));
	}
	sqlite3_reset(st);
	if (problem != NULL) {
		struct tv *e = tv_push(tv_list(ctx, "errors"));
		tv_set(e, "id", "f-mpn_id");
		tv_set(e, "label", "Company profile");
		tv_set(e, "message", problem);
	}
	return page_render(r, status, "enroll/mpn-profiles", ctx);
}

/* GET /enroll/mpn/profiles, /settings/profile/mpn/profiles — the company profiles linked to
 * the PMC account signed in to, as radio buttons; `Continue`, `Cancel`. */
int
page_mpn_profiles(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, true);
	if (st)
		return st;
	struct draft d;
	draft_load(r->store, r->a, r->sess->tenant_id, &d);
	if (!pmc_live(r, &d))
		return resp_redirect(r, arena_printf(r->a, "%s/password", fl.base));
	return profiles_page(r, 200, &fl, &d, NULL, NULL);
}

/* POST /enroll/mpn/profiles, /settings/profile/mpn/profiles — mpn_id: links the chosen
 * profile to the organization when the rules allow, else says which rule refused it. */
int
page_mpn_profiles_post(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, false);
	if (st)
		return st;
	struct draft d;
	draft_load(r->store, r->a, r->sess->tenant_id, &d);
	if (!pmc_live(r, &d))
		return resp_redirect(r, arena_printf(r->a, "%s/password", fl.base));
	const char *mpn = req_form(r, "mpn_id");
	if (str_empty(mpn))
		return profiles_page(r, 422, &fl, &d, NULL, "Choose one of the company profiles.");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	sqlite3_stmt *q = db_q(r->store, Q_PMC_PROFILE_GET, QI(d.pmc_id), QT(mpn));
	if (db_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		audit(r, "mpn.link", mpn, "refused", "not a profile of the PMC account");
		return profiles_page(r, 422, &fl, &d, NULL, "Choose one of the company profiles listed: that one is not linked to this PMC account.");
	}
	const char *status = arena_strdup(r->a, db_text(q, 3)), *country = arena_strdup(r->a, db_text(q, 1));
	const char *country_name = arena_strdup(r->a, db_text(q, 2));
	int64_t owner = db_i64(q, 4);
	sqlite3_reset(q);
	const char *my_country_name = r->sess->country;
	q = db_q(r->store, Q_COUNTRY_GET, QT(r->sess->country));
	if (db_step(q) == SQLITE_ROW)
		my_country_name = arena_strdup(r->a, db_text(q, 0));
	sqlite3_reset(q);
	const char *why = mpn_link_problem(r->a, status, country, country_name, r->sess->country, my_country_name, owner,
	    r->sess->tenant_id);
	if (why != NULL) {
		audit(r, "mpn.link", mpn, "refused", why);
		return profiles_page(r, 422, &fl, &d, mpn, why);
	}
	int64_t now = now_sec();
	if (owner == 0 && db_run(r->store, Q_MPN_LINK, QT(mpn), QI(r->sess->tenant_id), QI(r->sess->user_id), QI(now)) != 1)
		return page_error(r, 500, NULL);
	/* The PMC sign-in has done its job. */
	draft_set(r->a, &d, "mpn_skipped", NULL);
	if (draft_save(r->store, r->a, r->sess->tenant_id, &d, now) < 0 ||
	    db_run(r->store, Q_DRAFT_PMC, QI(r->sess->tenant_id), QNULL, QNULL, QNULL, QI(now)) != 1)
		return page_error(r, 500, NULL);
	audit(r, "mpn.link", mpn, "ok", owner ? "already linked" : NULL);
	return resp_redirect(r, fl.done);
}

/* POST /enroll/mpn/cancel, /settings/profile/mpn/cancel — forgets the PMC sign-in and user
 * name, back to the PMC user name. */
int
page_mpn_cancel_post(struct req *r)
{
	struct flow fl;
	struct enroll_state s;
	int st = flow_start(r, &fl, &s, false);
	if (st)
		return st;
	struct draft d;
	int64_t now = now_sec();
	if (tx_begin(r) < 0 || draft_load(r->store, r->a, r->sess->tenant_id, &d) < 0)
		return page_error(r, 500, NULL);
	draft_set(r->a, &d, "pmc_user", NULL);
	if (draft_save(r->store, r->a, r->sess->tenant_id, &d, now) < 0 ||
	    db_run(r->store, Q_DRAFT_PMC, QI(r->sess->tenant_id), QNULL, QNULL, QNULL, QI(now)) != 1)
		return page_error(r, 500, NULL);
	return resp_redirect(r, fl.base);
}
