/* account.c — /account, "Your account": the signed-in user's own details and password. */
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/session.h"
#include "web/form.h"
#include "web/page.h"

static const struct field password_fields[] = {
	{ "current", "Current password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "password", "New password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, "At least 12 characters.", "new-password" },
	{ "password2", "Confirm new password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "others", "Sign me out on every other device and browser", "checkbox", 3, 0, NULL, NULL, NULL },
};

static int
account_page(struct req *r, int status, struct form *f)
{
	int64_t sessions = sessions_count(r->store, r->sess->user_id);
	if (sessions < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, "Your account");
	form_to_tv(f, ctx);
	tv_seti(ctx, "other_sessions", sessions - 1);
	return page_render(r, status, "account/me", ctx);
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

/* Whether the form's current password is the user's: 1, 0 (refused, and audited), -1 error. */
static int
current_password_ok(struct req *r, struct form *f)
{
	const char *hash = NULL;
	if (account_password_hash(r->store, r->a, r->sess->user_id, &hash) < 0)
		return -1;
	if (password_check(hash, req_form(r, "current")))
		return 1;
	audit(r, "password.change", r->sess->email, "refused", "wrong current password");
	form_fail(f, "current", "This is not your current password.");
	return 0;
}

/* POST /account/password — current, password, password2, others. Checks the current
 * password, sets the new one, rotates this session and, when asked, ends the others.
 * Says "updated" only when every write of it succeeded (else 500, and nothing changed). */
int
page_account_password_post(struct req *r)
{
	struct form f;
	form_read(r, &f, password_fields, NELEM(password_fields));
	form_check_new_password(r, &f, r->sess->email);
	if (f.nerrors == 0 && current_password_ok(r, &f) < 0)
		return page_error(r, 500, NULL);
	if (f.nerrors > 0)
		return account_page(r, 422, &f);
	char hash[PW_HASH_MAX];
	if (password_hash(req_form(r, "password"), hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	if (account_set_password(r->store, r->sess->user_id, hash) < 0)
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
