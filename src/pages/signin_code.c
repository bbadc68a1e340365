/* signin_code.c — /signin/code: the second step of signing in, for a user with a second
 * factor. The password step (signin.c) leaves no session: only a challenge cookie "mfa"
 * (Path=/signin), a MAC-signed token (base/token.h, purpose mfa-challenge) naming the user
 * and expiring after five minutes. The session is made here, after a right code (TOTP, or
 * a recovery code). Wrong codes are failed sign-ins: the same throttle as passwords counts
 * them (domain/accounts.h signin_throttled). No "remember this browser". */
#include "base/log.h"
#include "base/i18n.h"
#include "base/token.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/mfa.h"
#include "pages/signin.h"
#include "web/form.h"
#include "web/page.h"

#define CHALLENGE_TTL (5 * 60)

static const struct field code_fields[] = {
	{ "code", N_("Code"), "text", 40, FF_REQUIRED | FF_SECRET, NULL,
	  N_("The 6-digit code from your authenticator app, or one of your recovery codes."), "one-time-code" },
	{ "next", N_("Next"), "hidden", 1024, 0, NULL, NULL, NULL },
};

int
signin_code_challenge(struct req *r, int64_t user_id, const char *next)
{
	const char *t = token_make(r->a, TP_MFA_CHALLENGE, user_id, now_sec() + CHALLENGE_TTL);
	if (t == NULL)
		return page_error(r, 500, NULL);
	resp_cookie(r, "mfa", t, "/signin", -1);
	return resp_redirect(r, arena_printf(r->a, "/signin/code?next=%s", url_encode(r->a, next)));
}

/* The user the challenge cookie names, when it is valid: 1 with u, 0 (none, expired,
 * altered), -1 error. */
static int
challenged_user(struct req *r, struct user_row *u)
{
	struct token t;
	if (token_open(req_cookie(r, "mfa"), TP_MFA_CHALLENGE, now_sec(), &t) != TOKEN_OK)
		return 0;
	return account_user(r->store, r->a, t.row, u);
}

static int
code_form(struct req *r, int status, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, _("Enter your code"));
	form_to_tv(f, ctx);
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "next", next_or_home(form_get(f, "next")));
	return page_render(r, status, "account/signin-code", ctx);
}

/* Back to the password step: the challenge is missing or has expired. */
static int
start_again(struct req *r, const char *next)
{
	resp_cookie(r, "mfa", "", "/signin", 0);
	return resp_redirect(r, arena_printf(r->a, "/signin?next=%s", url_encode(r->a, next_or_home(next))));
}

/* GET /signin/code — the code form, while the challenge of the password step is valid. */
int
page_signin_code(struct req *r)
{
	const char *next = req_query(r, "next");
	if (r->sess != NULL)
		return resp_redirect(r, next_or_home(next));
	struct user_row u;
	int found = challenged_user(r, &u);
	if (found < 0)
		return page_error(r, 500, NULL);
	if (found == 0)
		return start_again(r, next);
	struct form f;
	form_init(&f, code_fields, NELEM(code_fields));
	form_set(&f, "next", next);
	return code_form(r, 200, &f, NULL);
}

/* A wrong code: a failed sign-in of that account (it counts towards the throttle). */
static int
wrong_code(struct req *r, struct form *f, const struct user_row *u, const char *why)
{
	audit_as(r, u->tenant_id, u->id, u->email, "signin", u->email, "failed", why);
	log_msg("rid=%s sign-in failed at the second factor", r->rid);
	form_fail(f, "code", _("That code is not right. Enter the current code from your app, or a recovery code you have not used."));
	return code_form(r, 422, f, NULL);
}

int
signin_recovery_used(struct req *r, const struct user_row *u)
{
	struct mfa_state st;
	if (mfa_state(r->store, r->a, u->id, &st) < 0)
		return -1;
	int64_t left = st.codes_left;
	audit_as(r, u->tenant_id, u->id, u->email, "mfa.recovery_used", u->email, "ok",
	    arena_printf(r->a, "%lld left", (long long)left));
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "email", u->email);
	tv_set(m, "ip", r->ip);
	tv_set(m, "when", page_mail_time(r, u->email, now_sec()));
	tv_seti(m, "left", left);
	tv_set(m, "account_url", arena_printf(r->a, "%s/account/mfa", r->portal->cfg.base_url));
	return page_mail(r, u->email, "mfa-recovery-used", m);
}

/* POST /signin/code — code, next. A TOTP code (once, ±1 step) or an unused recovery code
 * of the challenged user; then the session. Throttled like the password. */
int
page_signin_code_post(struct req *r)
{
	struct form f;
	int bad = form_read(r, &f, code_fields, NELEM(code_fields));
	const char *next = form_get(&f, "next");
	struct user_row u;
	int found = challenged_user(r, &u);
	if (found < 0)
		return page_error(r, 500, NULL);
	if (found == 0)
		return start_again(r, next);
	if (bad > 0)
		return code_form(r, 422, &f, NULL);
	int64_t now = now_sec();
	int t = signin_throttled(r->store, u.email, r->ip, now);
	if (t < 0)
		return page_error(r, 500, NULL);
	if (t > 0) {
		struct audit_entry *e = audit(r, "signin", u.email, "failed", "throttled");
		if (e != NULL)
			e->actor = u.email;
		return code_form(r, 429, &f, _("Too many unsuccessful attempts. Wait 15 minutes, then try again."));
	}
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	const char *code = req_form(r, "code");
	char digits[OTP_DIGITS + 1];
	bool totp = mfa_is_totp_code(code, digits);
	enum mfa_result res = totp ? mfa_check_code(r->store, r->a, u.id, digits, now, false)
	    : mfa_recovery_use(r->store, r->a, u.id, code, now);
	if (res == MFA_ERROR)
		return page_error(r, 500, NULL);
	if (res == MFA_NONE)
		return start_again(r, next);
	if (res != MFA_OK)
		return wrong_code(r, &f, &u, !totp ? "wrong recovery code" : res == MFA_REPLAY ? "code used before" : "wrong code");
	if (!totp && signin_recovery_used(r, &u) < 0)
		return page_error(r, 500, NULL);
	resp_cookie(r, "mfa", "", "/signin", 0);
	return account_sign_in_mfa(r, u.id, u.tenant_id, u.email, next_or_home(next), "signin", true,
	    totp ? "with a second factor" : "with a recovery code");
}
