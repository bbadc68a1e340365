/* page_account.c — work accounts: Sign in, Create one, Sign out, forgotten passwords.
 * SPEC §2.1 and §5. */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "domain/link.h"
#include "web/landing.h"
#include "base/log.h"
#include "mail/mail.h"
#include "web/page.h"
#include "domain/users.h"
#include "base/util.h"

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_PER_ACCOUNT 5		/* failures per account name in the window */
#define THROTTLE_PER_ADDRESS 20		/* failures per client address in the window */
#define RESET_TTL (60 * 60)

/* Where to go after signing in: the "next" the visitor came with, when it is safe. */
static const char *
next_or_home(const char *next)
{
	return req_safe_next(next) && !str_has_prefix(next, "/signin") && !str_has_prefix(next, "/signout") ? next : "/";
}

int
account_sign_in(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next, const char *action)
{
	char cookie[SESSION_COOKIE_LEN + 1];
	/* Rotation: the visitor's previous session (if any) dies with this sign-in. */
	const char *old = req_cookie(r, "sid");
	if (old != NULL)
		session_end_cookie(r->store, old);
	if (session_create(r->store, user_id, r->ip, cookie) < 0)
		return page_error(r, 500, NULL);
	struct audit_entry *e = audit(r, action, email, "ok", NULL);
	if (e != NULL) {
		e->tenant_id = tenant_id;
		e->actor_id = user_id;
		e->actor = email;
	}
	resp_cookie(r, "sid", cookie, "/", -1);
	return resp_redirect(r, next);
}

/* ---- Sign in ---- */

static const struct field signin_fields[] = {
	{ "email", "Email", "email", 254, FF_REQUIRED | FF_LOWER, NULL, NULL, "username" },
	{ "password", "Password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "next", "Next", "hidden", 1024, 0, NULL, NULL, NULL },
};

static int
signin_form(struct req *r, int status, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, "Sign in");
	form_to_tv(f, ctx);
	tv_set(ctx, "problem", problem);
	tv_set(ctx, "next", next_or_home(form_get(f, "next")));
	tv_set(ctx, "signup_next", url_encode(r->a, next_or_home(form_get(f, "next"))));
	return page_render(r, status, "account/signin", ctx);
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

/* POST /signin — email, password, next. The same answer for an unknown account and a
 * wrong password; throttled per account name and per client address. */
int
page_signin_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, signin_fields, NELEM(signin_fields)) > 0)
		return signin_form(r, 422, &f, NULL);
	const char *email = form_get(&f, "email");
	const char *password = req_form(r, "password");
	int64_t since = now_sec() - THROTTLE_WINDOW;
	if (db_int(r->store, Q_SIGNIN_FAILS_ACTOR, 0, QT(email), QI(since)) >= THROTTLE_PER_ACCOUNT ||
	    db_int(r->store, Q_SIGNIN_FAILS_IP, 0, QT(r->ip ? r->ip : ""), QI(since)) >= THROTTLE_PER_ADDRESS) {
		struct audit_entry *e = audit(r, "signin", email, "failed", "throttled");
		if (e != NULL)
			e->actor = email;
		log_msg("rid=%s sign-in throttled", r->rid);
		return signin_form(r, 429, &f, "Too many unsuccessful attempts. Wait 15 minutes, then try again, or reset your password.");
	}

	int64_t user_id = 0, tenant_id = 0;
	const char *hash = NULL;
	sqlite3_stmt *st = db_q(r->store, Q_USER_FOR_SIGNIN, QT(email));
	if (db_step(st) == SQLITE_ROW) {
		user_id = db_i64(st, 0);
		tenant_id = db_i64(st, 1);
		hash = arena_strdup(r->a, db_text(st, 2));
	}
	sqlite3_reset(st);
	/* Unknown accounts are checked against a dummy hash: same work, same time. */
	if (!password_check(hash, password)) {
		struct audit_entry *e = audit(r, "signin", email, "failed", user_id ? "wrong password" : "unknown account");
		if (e != NULL) {
			e->actor = email;
			e->tenant_id = tenant_id;
			e->actor_id = user_id;
		}
		log_msg("rid=%s sign-in failed", r->rid);
		return signin_form(r, 422, &f, "That email and password do not match an account. Check them and try again.");
	}
	char fresh[PW_HASH_MAX];
	bool rehash = password_needs_rehash(hash) && password_hash(password, fresh) == 0;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	if (rehash)
		db_run(r->store, Q_USER_SET_PASSWORD, QT(fresh), QI(now_sec()), QI(user_id));
	return account_sign_in(r, user_id, tenant_id, email, next_or_home(form_get(&f, "next")), "signin");
}

/* POST /signout — ends the session on the server and forgets the cookie. */
int
page_signout_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	session_end(r->store, r->sess->id);
	audit(r, "signout", r->sess->email, "ok", NULL);
	resp_cookie(r, "sid", "", "/", 0);
	return resp_redirect(r, "/signin?m=signed-out");
}

/* ---- Create one ---- */

static const struct field signup_fields[] = {
	{ "org", "Organization name", "text", 200, FF_REQUIRED, NULL, "Your company's name as your users should see it.", "organization" },
	{ "domain", "Primary domain", "text", 253, FF_REQUIRED | FF_LOWER, check_domain, "The domain your organization uses, like contoso.com. One work account per domain.", NULL },
	{ "country", "Country or region", "select", 2, FF_REQUIRED, check_country, "Where your company is legally located. It decides your CSP region and cannot be changed later.", NULL },
	{ "name", "Your name", "text", 100, FF_REQUIRED, NULL, NULL, "name" },
	{ "email", "Your email", "email", 254, FF_REQUIRED | FF_LOWER, check_email, "You will sign in with it, as this organization's Global admin.", "email" },
	{ "password", "Password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, "At least 12 characters. Any characters, including spaces, are fine.", "new-password" },
	{ "password2", "Confirm password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "next", "Next", "hidden", 1024, 0, NULL, NULL, NULL },
};

/* Adds ctx.countries = [{code, name, region, selected}] for a country <select>. */
static void
add_countries(struct req *r, struct tv *ctx, const char *selected)
{
	struct tv *list = tv_list(ctx, "countries");
	sqlite3_stmt *st = db_q0(r->store, Q_COUNTRIES);
	while (db_step(st) == SQLITE_ROW) {
		struct tv *c = tv_push(list);
		tv_set(c, "code", db_text(st, 0));
		tv_set(c, "name", db_text(st, 1));
		tv_set(c, "region", db_text(st, 3));
		tv_setb(c, "selected", str_eq(selected, db_text(st, 0)));
	}
	sqlite3_reset(st);
}

static int
signup_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, "Create a work account");
	form_to_tv(f, ctx);
	add_countries(r, ctx, form_get(f, "country"));
	tv_set(ctx, "next", form_get(f, "next"));
	return page_render(r, status, "account/signup", ctx);
}

/* GET /signup — Create one: a new organization (tenant) and its first Global admin. Coming
 * from a customer invitation (next=/customer-invite), the customer organization's own form
 * takes over, so that a customer never becomes a partner-type tenant by accident. */
int
page_signup(struct req *r)
{
	const char *next = req_query(r, "next");
	if (next != NULL && (str_eq(next, "/customer-invite") || str_has_prefix(next, "/customer-invite?") ||
	    str_has_prefix(next, "/customer-invite/")))
		return resp_redirect(r, "/customer-invite/new");
	struct form f;
	form_init(&f, signup_fields, NELEM(signup_fields));
	form_set(&f, "next", req_query(r, "next"));
	return signup_form(r, 200, &f);
}

/* POST /signup — org, domain, country, name, email, password, password2, next. */
int
page_signup_post(struct req *r)
{
	struct form f;
	form_read(r, &f, signup_fields, NELEM(signup_fields));
	const char *email = form_get(&f, "email"), *pw = req_form(r, "password");
	form_check_new_password(r, &f, email);
	if (f.nerrors > 0)
		return signup_form(r, 422, &f);

	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct new_account n = { form_get(&f, "org"), form_get(&f, "domain"), form_get(&f, "country"), "partner",
		form_get(&f, "name"), email, hash, ROLE_MASK(GLOBAL_ADMIN) };
	int64_t tenant_id = 0, user_id = 0;
	int taken = account_create(r->store, &n, &tenant_id, &user_id);
	if (taken < 0)
		return page_error(r, 500, NULL);
	if (taken & ACCOUNT_DOMAIN_TAKEN)
		form_fail(&f, "domain", "This domain already has a work account. Sign in to it, or ask its Global admin to add you.");
	if (taken & ACCOUNT_EMAIL_TAKEN)
		form_fail(&f, "email", "An account with this email already exists. Sign in instead, or reset its password.");
	if (f.nerrors > 0)
		return signup_form(r, 422, &f);
	struct audit_entry *e = audit(r, "tenant.create", form_get(&f, "domain"), "ok", form_get(&f, "org"));
	if (e != NULL) {
		e->tenant_id = tenant_id;
		e->actor_id = user_id;
		e->actor = email;
	}
	/* "/" is where the sign-in page's "Create one" link says to go back to: the overview,
	 * with its welcome notice. */
	const char *next = form_get(&f, "next");
	return account_sign_in(r, user_id, tenant_id, email, req_safe_next(next) && !str_eq(next, "/") ? next : "/?m=welcome", "signin");
}

/* ---- Forgotten password ---- */

static const struct field forgot_fields[] = {
	{ "email", "Email", "email", 254, FF_REQUIRED | FF_LOWER, check_email, "The address you sign in with.", "username" },
};

/* GET /password/forgot — asks for the account's email. */
int
page_forgot(struct req *r)
{
	struct form f;
	form_init(&f, forgot_fields, NELEM(forgot_fields));
	struct tv *ctx = page_ctx(r, "Reset your password");
	form_to_tv(&f, ctx);
	return page_render(r, 200, "account/forgot", ctx);
}

/* POST /password/forgot — email. Sends a reset link if the account exists; the answer is
 * the same either way, and both ways do comparable work (one transaction). */
int
page_forgot_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, forgot_fields, NELEM(forgot_fields)) > 0) {
		struct tv *ctx = page_ctx(r, "Reset your password");
		form_to_tv(&f, ctx);
		return page_render(r, 422, "account/forgot", ctx);
	}
	const char *email = form_get(&f, "email");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	sqlite3_stmt *st = db_q(r->store, Q_USER_FOR_SIGNIN, QT(email));
	int64_t user_id = 0, tenant_id = 0;
	if (db_step(st) == SQLITE_ROW) {
		user_id = db_i64(st, 0);
		tenant_id = db_i64(st, 1);
	}
	sqlite3_reset(st);
	struct audit_entry *e = audit(r, "password.reset-request", email, "ok", user_id ? NULL : "unknown account");
	if (e != NULL) {
		e->actor = email;
		e->tenant_id = tenant_id;
		e->actor_id = user_id;
	}
	if (user_id) {
		char *token = link_issue(r->store, r->a, TP_PASSWORD_RESET, user_id, RESET_TTL);
		struct tv *m = tv_new_obj(r->a);
		tv_setf(m, "link", "%s/password/reset?t=%s", r->portal->cfg.base_url, token ? token : "");
		tv_set(m, "email", email);
		tv_set(m, "ip", r->ip);
		if (token == NULL || page_mail(r, email, "password-reset", m) < 0)
			return page_error(r, 500, NULL);
	}
	return resp_redirect(r, "/password/forgot?m=reset-sent");
}

/* ---- Reset (the emailed link's landing page) ---- */

static const struct field reset_fields[] = {
	{ "password", "New password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, "At least 12 characters.", "new-password" },
	{ "password2", "Confirm new password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "t", "Link", "hidden", 128, 0, NULL, NULL, NULL },
};

static int
reset_refused(struct req *r, const char *why)
{
	struct tv *ctx = page_ctx(r, "Reset your password");
	tv_set(ctx, "problem", why);
	link_forget(r);
	return page_render(r, 400, "account/reset-refused", ctx);
}

static int
reset_form(struct req *r, int status, struct form *f, const char *email)
{
	struct tv *ctx = page_ctx(r, "Choose a new password");
	form_to_tv(f, ctx);
	tv_set(ctx, "email", email);
	return page_render(r, status, "account/reset", ctx);
}

static const char *
user_email(struct req *r, int64_t user_id)
{
	sqlite3_stmt *st = db_q(r->store, Q_USER_BY_ID, QI(user_id));
	const char *email = db_step(st) == SQLITE_ROW ? arena_strdup(r->a, db_text(st, 2)) : NULL;
	sqlite3_reset(st);
	return email;
}

/* GET /password/reset?t=TOKEN — keeps the token, drops it from the address, shows the form. */
int
page_reset(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	int64_t user_id;
	struct token t;
	const char *text = link_current(r);
	const char *why = link_check(r->store, text, TP_PASSWORD_RESET, &user_id, &t);
	if (why != NULL)
		return reset_refused(r, why);
	struct form f;
	form_init(&f, reset_fields, NELEM(reset_fields));
	form_set(&f, "t", text);
	return reset_form(r, 200, &f, user_email(r, user_id));
}

/* POST /password/reset — t, password, password2. Sets the password, uses up the link
 * (exactly once, even under concurrent submissions) and ends every session of the user. */
int
page_reset_post(struct req *r)
{
	struct form f;
	form_read(r, &f, reset_fields, NELEM(reset_fields));
	int64_t user_id;
	struct token t;
	const char *why = link_check(r->store, form_get(&f, "t"), TP_PASSWORD_RESET, &user_id, &t);
	if (why != NULL)
		return reset_refused(r, why);
	const char *email = user_email(r, user_id), *pw = req_form(r, "password");
	form_check_new_password(r, &f, email);
	if (f.nerrors > 0)
		return reset_form(r, 422, &f, email);
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	if (!link_use(r->store, &t)) {
		struct audit_entry *e = audit(r, "password.reset", email, "refused", "link already used");
		if (e != NULL)
			e->actor = email ? email : "";
		return reset_refused(r, "This link has already been used. Each link works once.");
	}
	db_run(r->store, Q_USER_SET_PASSWORD, QT(hash), QI(now_sec()), QI(user_id));
	sessions_end_user(r->store, user_id);
	sqlite3_stmt *st = db_q(r->store, Q_USER_BY_ID, QI(user_id));
	int64_t tenant_id = db_step(st) == SQLITE_ROW ? db_i64(st, 1) : 0;
	sqlite3_reset(st);
	struct audit_entry *e = audit(r, "password.reset", email, "ok", NULL);
	if (e != NULL) {
		e->actor = email ? email : "";
		e->actor_id = user_id;
		e->tenant_id = tenant_id;
	}
	link_forget(r);
	resp_cookie(r, "sid", "", "/", 0);
	return resp_redirect(r, "/signin?m=password-changed");
}
