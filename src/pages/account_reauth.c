/* account_reauth.c — /account/reauth: proving who you are again before a sensitive action.
 * The dispatcher sends a session here (routes.def F_REAUTH) when its last proof
 * (sessions.auth_at) is older than ten minutes: the password, and the code when the user
 * has a second factor. Throttled and audited like signing in: a wrong answer is a failed
 * sign-in of the account. */
#include "base/i18n.h"
#include "base/log.h"
#include "base/password.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/mfa.h"
#include "domain/session.h"
#include "pages/signin.h"
#include "web/form.h"
#include "web/page.h"

static const struct field reauth_fields[] = {
	{ "password", N_("Password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "code", N_("Code"), "text", 40, FF_SECRET, NULL,
	  N_("The 6-digit code from your authenticator app, or one of your recovery codes."), "one-time-code" },
	{ "next", "Next", "hidden", 1024, 0, NULL, NULL, NULL },
};

static int
reauth_form(struct req *r, int status, struct form *f, bool again, const char *problem)
{
	struct tv *ctx = page_ctx(r, _("Confirm it is you"));
	form_to_tv(f, ctx);
	tv_setb(ctx, "with_code", r->sess->mfa_enabled);
	tv_setb(ctx, "again", again);
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "next", next_or_home(form_get(f, "next")));
	return page_render(r, status, "account/reauth", ctx);
}

/* GET /account/reauth — ?next= the page to return to; ?again=1 when a form was not carried
 * out (the user submits it again afterwards). */
int
page_account_reauth(struct req *r)
{
	struct form f;
	form_init(&f, reauth_fields, NELEM(reauth_fields));
	form_set(&f, "next", req_query(r, "next"));
	return reauth_form(r, 200, &f, str_eq(req_query(r, "again"), "1"), NULL);
}

/* A wrong answer: a failed sign-in of this account (counted by the throttle). */
static int
refused(struct req *r, struct form *f, const char *field, const char *why, const char *msg)
{
	audit(r, "signin", r->sess->email, "failed", why);	/* as the signed-in user */
	log_msg("rid=%s re-authentication failed", r->rid);
	form_fail(f, field, msg);
	return reauth_form(r, 422, f, false, NULL);
}

/* The second factor of the form: MFA_OK, or why not. */
static enum mfa_result
check_code(struct req *r, const char *code, int64_t now)
{
	char digits[OTP_DIGITS + 1];
	if (mfa_is_totp_code(code, digits))
		return mfa_check_code(r->store, r->a, r->sess->user_id, digits, now, false);
	enum mfa_result res = mfa_recovery_use(r->store, r->a, r->sess->user_id, code, now);
	struct user_row u = { .id = r->sess->user_id, .tenant_id = r->sess->tenant_id, .email = r->sess->email };
	if (res == MFA_OK && signin_recovery_used(r, &u) < 0)
		return MFA_ERROR;
	return res;
}

/* POST /account/reauth — password, code (with a second factor), next. Right: the session's
 * proof is now, and back to next. Throttled per account and address like sign-in. */
int
page_account_reauth_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, reauth_fields, NELEM(reauth_fields)) > 0)
		return reauth_form(r, 422, &f, false, NULL);
	int64_t now = now_sec();
	int t = signin_throttled(r->store, r->sess->email, r->ip, now);
	if (t != 0) {
		if (t < 0)
			return page_error(r, 500, NULL);
		audit(r, "reauth", r->sess->email, "refused", "throttled");
		return reauth_form(r, 429, &f, false, _("Too many unsuccessful attempts. Wait 15 minutes, then try again."));
	}
	const char *hash = NULL;
	if (account_password_hash(r->store, r->a, r->sess->user_id, &hash) < 0)
		return page_error(r, 500, NULL);
	if (!password_check(hash, req_form(r, "password")))
		return refused(r, &f, "password", "re-authentication: wrong password", N_("This is not your password."));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	bool with_code = r->sess->mfa_enabled;
	if (with_code) {
		enum mfa_result res = check_code(r, req_form(r, "code"), now);
		if (res == MFA_ERROR)
			return page_error(r, 500, NULL);
		if (res != MFA_OK && res != MFA_NONE)
			return refused(r, &f, "code", "re-authentication: wrong code",
			    N_("That code is not right. Enter the current code from your app, or a recovery code you have not used."));
	}
	if (session_proof(r->store, r->sess, now, with_code) < 0)
		return page_error(r, 500, NULL);
	audit(r, "reauth", r->sess->email, "ok", with_code ? "password and code" : "password");
	const char *next = next_or_home(form_get(&f, "next"));
	return resp_redirect(r, str_eq(next, "/") ? "/?m=reauth-done" : next);
}
