/* page_me.c — "Your account": the signed-in user's own details and password. */
#include <string.h>

#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "base/util.h"

static const struct field password_fields[] = {
	{ "current", "Current password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "current-password" },
	{ "password", "New password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, "At least 12 characters.", "new-password" },
	{ "password2", "Confirm new password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "others", "Sign me out on every other device and browser", "checkbox", 3, 0, NULL, NULL, NULL },
};

static int
account_page(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, "Your account");
	form_to_tv(f, ctx);
	tv_seti(ctx, "other_sessions", sessions_count(r->store, r->sess->user_id) - 1);
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

/* POST /account/password — current, password, password2, others. Checks the current
 * password, sets the new one, rotates this session and, when asked, ends the others. */
int
page_account_password_post(struct req *r)
{
	struct form f;
	form_read(r, &f, password_fields, NELEM(password_fields));
	const char *pw = req_form(r, "password");
	form_check_new_password(r, &f, r->sess->email);
	const char *current = req_form(r, "current");
	if (f.nerrors == 0) {
		sqlite3_stmt *st = db_q(r->store, Q_USER_PASSWORD_HASH, QI(r->sess->user_id));
		const char *hash = db_step(st) == SQLITE_ROW ? arena_strdup(r->a, db_text(st, 0)) : NULL;
		sqlite3_reset(st);
		if (!password_check(hash, current)) {
			audit(r, "password.change", r->sess->email, "refused", "wrong current password");
			form_fail(&f, "current", "This is not your current password.");
		}
	}
	if (f.nerrors > 0)
		return account_page(r, 422, &f);
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	db_run(r->store, Q_USER_SET_PASSWORD, QT(hash), QI(now_sec()), QI(r->sess->user_id));
	bool others = !str_empty(form_get(&f, "others"));
	/* A new session for this browser in any case; the others only when asked. */
	if (others)
		sessions_end_user(r->store, r->sess->user_id);
	else
		session_end(r->store, r->sess->id);
	char cookie[SESSION_COOKIE_LEN + 1];
	if (session_create(r->store, r->sess->user_id, r->ip, cookie) < 0)
		return page_error(r, 500, NULL);
	resp_cookie(r, "sid", cookie, "/", -1);
	audit(r, "password.change", r->sess->email, "ok", others ? "other sessions ended" : NULL);
	return resp_redirect(r, "/account?m=password-updated");
}
