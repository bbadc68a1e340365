/* signin.c — /signin: signing in with a work account. SPEC §2.1 and §5. Sign-in is
 * throttled per account name and per client address (domain/accounts.h). */
#include "base/i18n.h"
#include "pages/signin.h"

#include "base/log.h"
#include "base/password.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/access.h"
#include "domain/mfa.h"
#include "domain/operators.h"
#include "domain/session.h"
#include "web/form.h"
#include "web/page.h"

/* Where to go after signing in: the "next" the visitor came with, when it is safe. */
const char *
next_or_home(const char *next)
{
	return req_safe_next(next) && !str_has_prefix(next, "/signin") && !str_has_prefix(next, "/signout") ? next : "/";
}

int
account_sign_in_mfa(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next,
    const char *action, bool mfa, const char *detail)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	int64_t now = now_sec();
	/* Rotation: the visitor's previous session (if any) dies with this sign-in. */
	const char *old = req_cookie(r, "sid");
	if (old != NULL && session_end_cookie(r->store, old) < 0)
		return page_error(r, 500, NULL);
	if (session_create(r->store, user_id, r->ip, r->user_agent, now, mfa, cookie) < 0 ||
	    mfa_record_signin(r->store, user_id, now, mfa) < 0)
		return page_error(r, 500, NULL);
	audit_as(r, tenant_id, user_id, email, action, email, "ok", detail);
	resp_cookie(r, "sid", cookie, "/", -1);
	return resp_redirect(r, next);
}

int
account_sign_in(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next, const char *action)
{
	return account_sign_in_mfa(r, user_id, tenant_id, email, next, action, false, NULL);
}

static const struct field signin_fields[] = {
	{ "email", N_("Email"), "email", 254, FF_REQUIRED | FF_LOWER, NULL, NULL, "username" },
	{ "password", N_("Password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "next", N_("Next"), "hidden", 1024, 0, NULL, NULL, NULL },
};

/* The form again: /signin's, or the operator console's (console, issue 19). */
static int
signin_form_in(struct req *r, int status, struct form *f, const char *problem, bool console)
{
	struct tv *ctx = page_ctx(r, console ? _("Program console: sign in") : _("Sign in"));
	form_to_tv(f, ctx);
	/* issue 15: the cursor starts in Email, unless the error summary takes the focus (a page
	 * has one autofocus). */
	bool field_error = false;
	for (size_t i = 0; i < f->n; i++)
		field_error |= f->error[i] != NULL;
	if (!field_error)
		tv_setb(tv_obj(tv_obj(ctx, "f"), "email"), "autofocus", true);
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "next", console ? operator_next(form_get(f, "next")) : next_or_home(form_get(f, "next")));
	tv_set(ctx, "signup_next", url_encode(r->a, next_or_home(form_get(f, "next"))));
	return page_render(r, status, console ? "operator/signin" : "account/signin", ctx);
}

static int
signin_form(struct req *r, int status, struct form *f, const char *problem)
{
	return signin_form_in(r, status, f, problem, false);
}

const char *
operator_next(const char *next)
{
	return req_safe_next(next) && str_has_prefix(next, "/operator") && !str_has_prefix(next, "/operator/signin")
	    ? next : "/operator";
}

/* GET /operator/signin (issue 19) — the console's sign-in form. ?next= is where to return. */
int
signin_console_form(struct req *r)
{
	const char *next = req_query(r, "next");
	if (r->sess != NULL && session_is_operator(r->sess))
		return resp_redirect(r, operator_next(next));
	struct form f;
	form_init(&f, signin_fields, NELEM(signin_fields));
	form_set(&f, "next", next);
	return signin_form_in(r, 200, &f, NULL, true);
}

/* GET /signin (and / when signed out) — the sign-in form. ?next= is where to return. */
int
page_signin(struct req *r)
{
	const char *next = req_query(r, "next");
	if (r->sess != NULL)
		return resp_redirect(r, next_or_home(next));
	struct form f;
	form_init(&f, signin_fields, NELEM(signin_fields));
	form_set(&f, "next", next);
	return signin_form(r, 200, &f, NULL);
}

/* The answer to too many failed sign-ins. */
static int
throttled(struct req *r, struct form *f, const char *email, bool console)
{
	struct audit_entry *e = audit(r, "signin", email, "failed", "throttled");
	if (e != NULL)
		e->actor = email;
	log_msg("rid=%s sign-in throttled", r->rid);
	return signin_form_in(r, 429, f, _("Too many unsuccessful attempts. Wait 15 minutes, then try again, or reset your password."), console);
}

static const char *const no_match = N_("That email and password do not match an account. Check them and try again.");

/* issue 19: a right password on the wrong sign-in page. An operator's account at /signin is
 * told where the console is (the password proved who asks); a partner's account at
 * /operator/signin gets the answer of a wrong password, as if it did not exist there. */
static int
wrong_door(struct req *r, struct form *f, const struct user_row *u, const char *email, bool console)
{
	audit_as(r, u->tenant_id, u->id, email, "signin", email, "failed", console ? "not an operator account" : "operator account at /signin");
	log_msg("rid=%s sign-in failed", r->rid);
	return signin_form_in(r, 422, f, console ? _(no_match)
	    : _("This is a program team account. Sign in to the program console at /operator/signin."), console);
}

/* POST /signin — email, password, next. The same answer for an unknown account and a
 * wrong password; throttled per account name and per client address. */
int
page_signin_post(struct req *r)
{
	return signin_submit(r, false);
}

int
signin_submit(struct req *r, bool console)
{
	struct form f;
	if (form_read(r, &f, signin_fields, NELEM(signin_fields)) > 0)
		return signin_form_in(r, 422, &f, NULL, console);
	const char *email = form_get(&f, "email");
	const char *password = req_form(r, "password");
	int t = signin_throttled(r->store, email, r->ip, now_sec());
	if (t != 0)
		return t < 0 ? page_error(r, 500, NULL) : throttled(r, &f, email, console);

	struct user_row u = { 0 };
	const char *hash = NULL;
	if (account_by_email(r->store, r->a, email, &u, &hash) < 0)
		return page_error(r, 500, NULL);
	/* Unknown accounts are checked against a dummy hash: same work, same time. */
	if (!password_check(hash, password)) {
		audit_as(r, u.tenant_id, u.id, email, "signin", email, "failed", u.id ? "wrong password" : "unknown account");
		log_msg("rid=%s sign-in failed", r->rid);
		return signin_form_in(r, 422, &f, _(no_match), console);
	}
	int op = operator_role_of(r->store, r->a, u.id);
	if (op < 0)
		return page_error(r, 500, NULL);
	if ((op != OP_NONE) != console)
		return wrong_door(r, &f, &u, email, console);
	const char *next = console ? operator_next(form_get(&f, "next")) : next_or_home(form_get(&f, "next"));
	char fresh[PW_HASH_MAX];
	bool rehash = password_needs_rehash(hash) && password_hash(password, fresh) == 0;
	if (tx_begin(r) < 0 || (rehash && account_set_password(r->store, u.id, fresh) < 0))
		return page_error(r, 500, NULL);
	/* With a second factor, no session yet: the code page (signin_code.c) makes it. */
	struct mfa_state m;
	if (mfa_state(r->store, r->a, u.id, &m) < 0)
		return page_error(r, 500, NULL);
	if (m.enabled)
		return signin_code_challenge(r, u.id, next);
	return account_sign_in(r, u.id, u.tenant_id, email, next, "signin");
}
