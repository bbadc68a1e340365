/* account.c — /account, _("Your account"): the signed-in user's own details, password and
 * sessions (each browser signed in, with `Sign out` and `Sign out everywhere else`). The
 * current-password check is throttled like sign-in (domain/throttle.h). */
#include "base/i18n.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/session.h"
#include "domain/zones.h"
#include "pages/account.h"
#include "web/form.h"
#include "web/page.h"
#include "pages/language.h"

static const struct field password_fields[] = {
	{ "current", N_("Current password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "password", N_("New password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, N_("At least 12 characters."), "new-password" },
	{ "password2", N_("Confirm new password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "others", N_("Sign me out on every other device and browser"), "checkbox", 3, 0, NULL, NULL, NULL },
};

/* issue 15: the zone the user reads times in; empty: the organization's default. */
static const char *
check_time_zone(struct req *r, const char *v)
{
	(void)r;
	return tz_known(v) ? NULL : N_("Choose a time zone from the list.");
}

const struct field zone_fields[ZONE_FIELDS] = {
	{ "time_zone", N_("Time zone"), "select", TZ_ID_MAX - 1, 0, check_time_zone,
	  N_("Times on pages and in emails to you are shown in this zone, with its abbreviation."), NULL },
};

int
zone_form_tv(struct req *r, struct tv *ctx, const struct form *zf, const char *action)
{
	struct tz_names all;
	if (tz_list(r->a, &all) < 0)
		return -1;
	struct tv *z = tv_obj(ctx, "zone");
	form_to_tv(zf, z);
	const char *chosen = form_get(zf, "time_zone");
	tv_set(z, "default", zone_session_default(r->a, r->sess));
	tv_set(z, "default_note", r->sess->op_role == NULL ? _("the country of your organization") : NULL);
	tv_set(z, "zone_action", action);
	struct tv *list = tv_list(z, "zones");
	for (size_t i = 0; i < all.n; i++)
		form_option_tv(list, all.v[i], all.v[i], str_eq(chosen, all.v[i]));
	tv_setb(z, "chosen", !str_empty(chosen));
	return 0;
}

/* ctx.sessions = [{ id, browser, ip, created, seen, current }]: the user's live
 * sessions, last seen first. The number of them, or -1. */
static int64_t
add_sessions(struct req *r, struct tv *ctx)
{
	struct session_list list;
	if (sessions_list(r->store, r->a, r->sess->user_id, now_sec(), &list) < 0)
		return -1;
	struct tv *items = tv_list(ctx, "sessions");
	for (size_t i = 0; i < list.n; i++) {
		const struct session_row *row = &list.v[i];
		struct tv *it = tv_push(items);
		tv_seti(it, "id", row->id);
		tv_set(it, "browser", session_browser(r->a, row->user_agent));
		tv_set(it, "ip", *row->ip ? row->ip : "unknown");
		tv_set(it, "created", page_time(r, row->created_at));
		tv_set(it, "seen", page_time(r, row->seen_at));
		tv_setb(it, "current", row->id == r->sess->id);
	}
	return (int64_t)list.n;
}

static int
account_page_with(struct req *r, int status, struct form *f, const struct form *zf)
{
	struct tv *ctx = page_ctx(r, _("Your account"));
	int64_t sessions = add_sessions(r, ctx);
	if (sessions < 0 || zone_form_tv(r, ctx, zf, "/account/time-zone") < 0)
		return page_error(r, 500, NULL);
	form_to_tv(f, ctx);
	tv_seti(ctx, "other_sessions", sessions - 1);
	account_lang_tv(r, ctx, "/account/language");	/* issue 18 */
	return page_render(r, status, "account/me", ctx);
}

/* The page with the password form f and the time zone form as stored. */
static int
account_page(struct req *r, int status, struct form *f)
{
	struct form zf;
	zone_form_init(r, &zf);
	return account_page_with(r, status, f, &zf);
}

/* GET /account — name, email, organization and roles of the signed-in user, and the
 * form to change the password. Any signed-in user. */
int
page_account(struct req *r)
{
	struct form f;
	form_init(&f, password_fields, NELEM(password_fields));
	form_set(&f, "others", "yes");
	return account_page(r, 200, &f);
}

/* Whether the form's current password is the user's: 1, 0 (refused, and audited), -1 error.
 * Throttled like sign-in: a wrong current password counts as a failed sign-in of this
 * account from this address, and while the throttle holds the password is not checked at
 * all (the same refusal, whatever was typed). */
static int
current_password_ok(struct req *r, struct form *f, int *status)
{
	int t = signin_throttled(r->store, r->sess->email, r->ip, now_sec());
	if (t != 0) {
		if (t > 0) {
			audit(r, "password.change", r->sess->email, "refused", "throttled");
			form_fail(f, "current", N_("Too many unsuccessful attempts. Wait 15 minutes, then try again."));
			*status = 429;
		}
		return t < 0 ? -1 : 0;
	}
	const char *hash = NULL;
	if (account_password_hash(r->store, r->a, r->sess->user_id, &hash) < 0)
		return -1;
	if (password_check(hash, req_form(r, "current")))
		return 1;
	/* This detail is what the throttle counts (store/audit.c, SQL_WRONG_CURRENT). */
	audit(r, "password.change", r->sess->email, "refused", "wrong current password");
	form_fail(f, "current", N_("This is not your current password."));
	return 0;
}

/* POST /account/password — current, password, password2, others. Checks the current
 * password (throttled: 429 while refused), sets the new one, ends the user's emailed
 * password links, rotates this session and, when asked, ends the others.
 * Says "updated" only when every write of it succeeded (else 500, and nothing changed). */
int
page_account_password_post(struct req *r)
{
	struct form f;
	form_read(r, &f, password_fields, NELEM(password_fields));
	form_check_new_password(r, &f, r->sess->email);
	int status = 422;
	if (f.nerrors == 0 && current_password_ok(r, &f, &status) < 0)
		return page_error(r, 500, NULL);
	if (f.nerrors > 0)
		return account_page(r, status, &f);
	char hash[PW_HASH_MAX];
	if (password_hash(req_form(r, "password"), hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	/* The new password also ends every outstanding reset and set-password link. */
	if (account_change_password(r->store, r->sess->user_id, hash) < 0)
		return page_error(r, 500, NULL);
	bool others = !str_empty(form_get(&f, "others"));
	/* A new session for this browser in any case; the others only when asked. */
	int ended = others ? sessions_end_user(r->store, r->sess->user_id) : session_end(r->store, r->sess->id);
	char cookie[SESSION_COOKIE_LEN + 1];
	if (ended < 0 || session_create(r->store, r->sess->user_id, r->ip, r->user_agent, r->sess->auth_at, r->sess->mfa, cookie) < 0)
		return page_error(r, 500, NULL);
	resp_cookie(r, "sid", cookie, "/", -1);
	audit(r, "password.change", r->sess->email, "ok", others ? "other sessions ended" : NULL);
	return resp_redirect(r, "/account?m=password-updated");
}

/* ---- the sessions list ---- */

/* POST /account/sessions/end/ID — `Sign out` of one of the user's own sessions (another
 * browser, or this one: then this browser is signed out too). Any signed-in user; a session
 * that is not theirs (another user's, or none) is 404 and audited. */
int
page_session_end_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	bool here = r->id == r->sess->id;
	int ended = session_end_own(r->store, r->sess->user_id, r->id);
	if (ended <= 0)
		return ended < 0 ? page_error(r, 500, NULL) : page_not_ours(r, "session", r->id, "not one of your sessions");
	audit(r, "session.end", r->sess->email, "ok", here ? "this browser" : arena_printf(r->a, "session %lld", (long long)r->id));
	if (here) {
		resp_cookie(r, "sid", "", "/", 0);
		return resp_redirect(r, "/signin?m=signed-out");
	}
	return resp_redirect(r, "/account?m=session-ended");
}

/* POST /account/sessions/end-others — `Sign out everywhere else`: ends every session of
 * the user but this one. Any signed-in user. */
int
page_sessions_end_others_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t n = sessions_end_others(r->store, r->sess->user_id, r->sess->id);
	if (n < 0)
		return page_error(r, 500, NULL);
	audit(r, "session.end", r->sess->email, "ok", arena_printf(r->a, "everywhere else: %lld session(s)", (long long)n));
	return resp_redirect(r, "/account?m=sessions-ended");
}

/* ---- issue 15: the time zone ---- */

void
zone_form_init(struct req *r, struct form *zf)
{
	form_init(zf, zone_fields, ZONE_FIELDS);
	form_set(zf, "time_zone", r->sess->time_zone);
}

int
zone_form_save(struct req *r, struct form *zf)
{
	form_read(r, zf, zone_fields, ZONE_FIELDS);
	if (zf->nerrors > 0)
		return 1;
	const char *zone = form_get(zf, "time_zone");
	if (str_empty(zone))
		zone = NULL;
	if (tx_begin(r) < 0 || zone_set(r->store, r->sess->user_id, zone) != 1)
		return -1;
	audit(r, "account.time-zone", zone != NULL ? zone : arena_printf(r->a, "the default (%s)",
	    zone_session_default(r->a, r->sess)), "ok", NULL);
	return 0;
}

/* POST /account/time-zone — time_zone (an id ICU knows, or empty: the organization's
 * default). Any signed-in user, for themselves. An unknown zone is the page again with the
 * message beside the field (422), nothing written; a change is audited. */
int
page_account_zone_post(struct req *r)
{
	struct form zf;
	int rc = zone_form_save(r, &zf);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc > 0) {
		struct form f;
		form_init(&f, password_fields, NELEM(password_fields));
		form_set(&f, "others", "yes");
		return account_page_with(r, 422, &f, &zf);
	}
	return resp_redirect(r, "/account?m=time-zone-saved");
}
