/* enroll_mpn.c — "Link your MPN ID": sign in to the Partner Membership Center copy (PMC user
 * name -> `Next` -> PMC password -> `Sign in`), pick one of the company profiles linked to
 * that PMC account -> `Continue`; `Cancel` starts again with other PMC credentials.
 *
 * The same handlers serve two places (SPEC §2.2 step 3):
 *   /enroll/mpn...            during enrollment (Global admin; `Skip for now` is in enroll.c)
 *   /settings/profile/mpn...  Settings -> Organization profile -> Identifiers -> link another
 *                             (Global admin, Account admin)
 * Only an active profile in the work account's country, not linked to another organization,
 * may be linked (domain/mpn.h mpn_link_problem). PMC sign-in failures are throttled like
 * /signin: per PMC user name and per client address. */
#include <string.h>

#include "base/log.h"
#include "base/i18n.h"
#include "base/password.h"
#include "base/util.h"
#include "domain/countries.h"
#include "domain/enroll.h"
#include "domain/mpn.h"
#include "pages/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"

struct flow {
	bool enroll;			/* during enrollment (else: Settings) */
	const char *base;		/* "/enroll/mpn" or "/settings/profile/mpn" */
	const char *done;		/* where a linked profile leads */
	const char *back;		/* where leaving the first step leads */
};

/* Which flow this request belongs to, and the checks that flow needs. Returns 0 to go on,
 * else the answer already prepared. */
static int
flow_start(struct req *r, struct flow *fl, bool is_get)
{
	fl->enroll = str_has_prefix(r->path, "/enroll/");
	fl->base = fl->enroll ? "/enroll/mpn" : "/settings/profile/mpn";
	fl->done = fl->enroll ? "/enroll/profile?m=mpn-linked" : "/settings/profile?m=mpn-linked";
	fl->back = fl->enroll ? "/enroll" : "/settings/profile";
	struct enroll_state s;
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.customer)
		return page_error(r, 403, _("This is a customer organization's work account: MPN IDs belong to partner organizations."));
	if (fl->enroll && s.submitted)
		return resp_redirect(r, "/enroll");
	if (fl->enroll && s.shortcut && is_get)
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

/* Loads the draft; the answer for a database error when that fails (else 0). */
static int
load(struct req *r, struct form_draft *d)
{
	return form_draft_load(r, d) < 0 ? page_error(r, 500, NULL) : 0;
}

/* Opens the write transaction, then loads the draft (to change it): 0, or the answer. */
static int
load_for_write(struct req *r, struct form_draft *d)
{
	return tx_begin(r) < 0 ? page_error(r, 500, NULL) : load(r, d);
}

/* What a step needs before its own work, besides the draft. */
enum need {
	NEED_DRAFT,			/* the draft only */
	NEED_USER,			/* a PMC user name in it, else back to the user name */
	NEED_SIGNIN,			/* a live PMC sign-in by it, else back to the password */
};

/* Starts a step of the flow: the flow's checks (flow_start), the draft, and what the step
 * needs. Returns 0 to go on, else the answer already prepared. */
static int
step_start(struct req *r, struct flow *fl, struct form_draft *d, bool is_get, enum need need)
{
	int st = flow_start(r, fl, is_get);
	if (st == 0)
		st = load(r, d);
	if (st != 0)
		return st;
	if (need == NEED_USER && str_empty(form_draft_get(d, "pmc_user")))
		return resp_redirect(r, fl->base);
	/* Signed in to PMC by this draft, recently? */
	if (need == NEED_SIGNIN && !draft_pmc_live(&d->saved, r->sess->user_id, now_sec()))
		return resp_redirect(r, arena_printf(r->a, "%s/password", fl->base));
	return 0;
}

/* In the write transaction: saves the draft's fields and forgets the PMC sign-in (0), or
 * answers with an error. */
static int
save_forget_pmc(struct req *r, const struct form_draft *d)
{
	if (form_draft_save(r, d) < 0 || draft_set_pmc(r->store, r->sess->tenant_id, 0, 0, now_sec()) < 0)
		return page_error(r, 500, NULL);
	return 0;
}

/* ---- 1. PMC user name ---- */

static const struct field user_fields[] = {
	{ "pmc_user", N_("PMC user name"), "text", 254, FF_REQUIRED | FF_LOWER, NULL,
	  N_("The user name you sign in to the Partner Membership Center (PMC) with."), "username" },
};

static int
user_form(struct req *r, int status, const struct flow *fl, struct form *f)
{
	struct tv *ctx = flow_ctx(r, fl, _("Link your MPN ID"));
	form_to_tv(f, ctx);
	if (enroll_mpns_tv(r, ctx, "linked") < 0)
		return page_error(r, 500, NULL);
	return page_render(r, status, "enroll/mpn-user", ctx);
}

/* GET /enroll/mpn, /settings/profile/mpn — the PMC user name, button `Next`. */
int
page_mpn_user(struct req *r)
{
	struct flow fl;
	struct form_draft d;
	int st = step_start(r, &fl, &d, true, NEED_DRAFT);
	if (st)
		return st;
	struct form f;
	form_init(&f, user_fields, NELEM(user_fields));
	form_set(&f, "pmc_user", form_draft_get(&d, "pmc_user"));
	return user_form(r, 200, &fl, &f);
}

/* POST /enroll/mpn, /settings/profile/mpn — pmc_user. Kept in the draft; on to the password. */
int
page_mpn_user_post(struct req *r)
{
	struct flow fl;
	int st = flow_start(r, &fl, false);
	if (st)
		return st;
	struct form f;
	if (form_read(r, &f, user_fields, NELEM(user_fields)) > 0)
		return user_form(r, 422, &fl, &f);
	struct form_draft d;
	if ((st = load_for_write(r, &d)) != 0)
		return st;
	form_draft_set(r->a, &d, "pmc_user", form_get(&f, "pmc_user"));
	if ((st = save_forget_pmc(r, &d)) != 0)
		return st;
	return resp_redirect(r, arena_printf(r->a, "%s/password", fl.base));
}

/* ---- 2. PMC password ---- */

static const struct field pw_fields[] = {
	{ "pmc_password", N_("PMC password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
};

static int
pw_form(struct req *r, int status, const struct flow *fl, struct form *f, const char *user, const char *problem)
{
	struct tv *ctx = flow_ctx(r, fl, _("Sign in to the Partner Membership Center"));
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
	struct form_draft d;
	int st = step_start(r, &fl, &d, true, NEED_USER);
	if (st)
		return st;
	const char *user = form_draft_get(&d, "pmc_user");
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
	struct form_draft d;
	int st = step_start(r, &fl, &d, false, NEED_USER);
	if (st)
		return st;
	const char *user = form_draft_get(&d, "pmc_user");
	struct form f;
	if (form_read(r, &f, pw_fields, NELEM(pw_fields)) > 0)
		return pw_form(r, 422, &fl, &f, user, NULL);
	int throttled = pmc_signin_throttled(r->store, user, r->ip, now_sec());
	if (throttled < 0)
		return page_error(r, 500, NULL);
	if (throttled) {
		audit(r, "pmc.signin", user, "failed", "throttled");
		log_msg("rid=%s PMC sign-in throttled", r->rid);
		return pw_form(r, 429, &fl, &f, user, _("Too many unsuccessful attempts. Wait 15 minutes, then try again."));
	}
	int64_t pmc_id;
	int ok = pmc_signin(r->store, r->a, user, req_form(r, "pmc_password"), &pmc_id);
	if (ok < 0)
		return page_error(r, 500, NULL);
	if (!ok) {
		audit(r, "pmc.signin", user, "failed", pmc_id ? "wrong password" : "unknown PMC user name");
		return pw_form(r, 422, &fl, &f, user,
		    _("That PMC user name and password do not match a Partner Membership Center account. Check them and try again, or select Cancel to use another user name."));
	}
	if (tx_begin(r) < 0 || draft_set_pmc(r->store, r->sess->tenant_id, pmc_id, r->sess->user_id, now_sec()) < 0)
		return page_error(r, 500, NULL);
	audit(r, "pmc.signin", user, "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "%s/profiles", fl.base));
}

/* ---- 3. pick a company profile ---- */

static int
profiles_page(struct req *r, int status, const struct flow *fl, const struct form_draft *d, const char *chosen,
    const char *problem)
{
	struct country mine;
	struct mpn_profile_list list;
	int known = country_get(r->store, r->a, r->sess->country, &mine);
	if (known < 0 || pmc_profiles(r->store, r->a, d->saved.pmc_id, &list) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = flow_ctx(r, fl, _("Choose your company profile"));
	tv_set(ctx, "pmc_user", form_draft_get(d, "pmc_user"));
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "country", r->sess->country);
	if (known == 1)
		tv_set(ctx, "country_name", mine.name);
	struct tv *items = tv_list(ctx, "profiles");
	for (size_t i = 0; i < list.n; i++) {
		const struct mpn_profile *p = &list.v[i];
		struct tv *it = tv_push(items);
		tv_set(it, "mpn_id", p->mpn_id);
		tv_set(it, "company", p->company_name);
		tv_set(it, "country", p->country_name);
		tv_setb(it, "active", p->active);
		tv_setb(it, "other_country", !str_eq(p->country, r->sess->country));
		tv_setb(it, "ours", p->linked_to == r->sess->tenant_id);
		tv_setb(it, "taken", p->linked_to != 0 && p->linked_to != r->sess->tenant_id);
		tv_setb(it, "checked", str_eq(chosen, p->mpn_id));
	}
	if (problem != NULL) {
		struct tv *e = tv_push(tv_list(ctx, "errors"));
		tv_set(e, "id", "f-mpn_id");
		tv_set(e, "label", _("Company profile"));
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
	struct form_draft d;
	int st = step_start(r, &fl, &d, true, NEED_SIGNIN);
	if (st)
		return st;
	return profiles_page(r, 200, &fl, &d, NULL, NULL);
}

/* POST /enroll/mpn/profiles, /settings/profile/mpn/profiles — mpn_id: links the chosen
 * profile to the organization when the rules allow, else says which rule refused it. */
int
page_mpn_profiles_post(struct req *r)
{
	struct flow fl;
	struct form_draft d;
	int st = step_start(r, &fl, &d, false, NEED_SIGNIN);
	if (st)
		return st;
	const char *mpn = req_form(r, "mpn_id");
	if (str_empty(mpn))
		return profiles_page(r, 422, &fl, &d, NULL, _("Choose one of the company profiles."));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	const char *why;
	int rc = mpn_link_offered(r->store, r->a, d.saved.pmc_id, mpn, r->sess->tenant_id, r->sess->country,
	    r->sess->user_id, &why);
	switch (rc) {
	case MPN_NOT_OFFERED:
		audit(r, "mpn.link", mpn, "refused", "not a profile of the PMC account");
		return profiles_page(r, 422, &fl, &d, NULL, _("Choose one of the company profiles listed: that one is not linked to this PMC account."));
	case MPN_REFUSED:
		audit(r, "mpn.link", mpn, "refused", why);
		return profiles_page(r, 422, &fl, &d, mpn, why);
	case MPN_LINKED:
	case MPN_ALREADY_LINKED:
		break;
	default:
		return page_error(r, 500, NULL);
	}
	/* The PMC sign-in has done its job. */
	form_draft_set(r->a, &d, "mpn_skipped", NULL);
	if ((st = save_forget_pmc(r, &d)) != 0)
		return st;
	audit(r, "mpn.link", mpn, "ok", rc == MPN_ALREADY_LINKED ? "already linked" : NULL);
	return resp_redirect(r, fl.done);
}

/* POST /enroll/mpn/cancel, /settings/profile/mpn/cancel — forgets the PMC sign-in and user
 * name, back to the PMC user name. */
int
page_mpn_cancel_post(struct req *r)
{
	struct flow fl;
	int st = flow_start(r, &fl, false);
	if (st)
		return st;
	struct form_draft d;
	if ((st = load_for_write(r, &d)) != 0)
		return st;
	form_draft_set(r->a, &d, "pmc_user", NULL);
	if ((st = save_forget_pmc(r, &d)) != 0)
		return st;
	return resp_redirect(r, fl.base);
}
