/* password.c — /password/...: the forgotten password (an emailed reset link), the reset
 * link's page, and the set-password link a new user (or one whose password an
 * administrator reset) gets. SPEC §2.1, §2.3 and §5.
 *
 * Both links are single-use (domain/link.h): the action uses the link, stores the password
 * and ends the user's sessions in one transaction, and tells the user only once it has
 * committed — a failed write rolls everything back, the link included, and answers 500. */
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/link.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "web/form.h"
#include "web/landing.h"
#include "web/page.h"

#define RESET_TTL (60 * 60)

/* ---- Forgotten password ---- */

static const struct field forgot_fields[] = {
	{ "email", N_("Email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email, N_("The address you sign in with."), "username" },
};

static int
forgot_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, _("Reset your password"));
	form_to_tv(f, ctx);
	return page_render(r, status, "account/forgot", ctx);
}

/* GET /password/forgot — asks for the account's email. */
int
page_forgot(struct req *r)
{
	struct form f;
	form_init(&f, forgot_fields, NELEM(forgot_fields));
	return forgot_form(r, 200, &f);
}

/* Issues a reset link for user_id and queues its email. 0 or -1. */
static int
send_reset(struct req *r, int64_t user_id, const char *email)
{
	char *token = link_issue(r->store, r->a, TP_PASSWORD_RESET, user_id, RESET_TTL);
	if (token == NULL)
		return -1;
	struct tv *m = tv_new_obj(r->a);
	tv_setf(m, "link", "%s/password/reset?t=%s", r->portal->cfg.base_url, token);
	tv_set(m, "email", email);
	tv_set(m, "ip", r->ip);
	return page_mail(r, email, "password-reset", m);
}

/* POST /password/forgot — email. Sends a reset link if the account exists; the answer is
 * the same either way, and both ways do comparable work (one transaction). Throttled per
 * address and per client address (domain/throttle.h): a throttled request sends nothing
 * and gets the same answer. */
int
page_forgot_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, forgot_fields, NELEM(forgot_fields)) > 0)
		return forgot_form(r, 422, &f);
	const char *email = form_get(&f, "email");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int throttled = reset_mail_throttled(r->store, email, r->ip, now_sec());
	struct user_row u = { 0 };
	const char *hash;
	if (throttled < 0 || account_by_email(r->store, r->a, email, &u, &hash) < 0)
		return page_error(r, 500, NULL);
	audit_as(r, u.tenant_id, u.id, email, "password.reset-request", email, throttled ? "refused" : "ok",
	    throttled ? "throttled" : u.id ? NULL : "unknown account");
	if (u.id && !throttled && send_reset(r, u.id, email) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, "/password/forgot?m=reset-sent");
}

/* ---- what the two links share ---- */

/* A link's holder: the user it names, with their organization's name. */
struct holder {
	struct user_row user;
	const char *org;
};

/* A kind of link: its purpose, its form page, the audit action of using it, its refusal. */
struct link_kind {
	enum token_purpose purpose;
	const struct field *fields;
	size_t nfields;
	int (*form_page)(struct req *r, int status, struct form *f, const struct holder *who);
	const char *action;
	const char *title, *refused_tmpl;	/* the refusal page */
	bool refusal_in_org;			/* "already used" goes to the organization's log */
	bool token_in_form_only;		/* the POST reads t from the form, never the cookie */
};

/* The link's page, refused: why, and the landing cookie forgotten. */
static int
link_refused(struct req *r, const struct link_kind *k, const char *why)
{
	struct tv *ctx = page_ctx(r, _(k->title));
	tv_set(ctx, "problem", _(why));
	link_forget(r);
	return page_render(r, 400, k->refused_tmpl, ctx);
}

/* Checks the link text: 0 when usable (then *t and *who are set), else the status of the
 * page already rendered (400 refused, 500 when the database could not say). */
static int
link_holder(struct req *r, const struct link_kind *k, const char *text, struct token *t, struct holder *who)
{
	int64_t user_id;
	const char *why = link_check(r->store, text, k->purpose, &user_id, t);
	if (why != NULL)
		return link_refused(r, k, why);
	int found = account_with_org(r->store, r->a, user_id, &who->user, &who->org);
	if (found < 0)
		return page_error(r, 500, NULL);
	return found ? 0 : link_refused(r, k, _("This account no longer exists. Ask your organization's administrator."));
}

/* GET of a link's page (?t=TOKEN): keeps the token, drops it from the address, shows the
 * form for the link's holder. */
static int
link_get(struct req *r, const struct link_kind *k)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct token t;
	struct holder who;
	const char *text = link_current(r);
	if ((st = link_holder(r, k, text, &t, &who)) != 0)
		return st;
	struct form f;
	form_init(&f, k->fields, k->nfields);
	form_set(&f, "t", text);
	return k->form_page(r, 200, &f, &who);
}

/* Uses the link and sets the password (account_password_by_link), audited either way.
 * 0 when set; else the status of the page already rendered (400 used already, 500). */
static int
link_apply(struct req *r, const struct link_kind *k, const struct token *t, const struct holder *who,
    const char *hash)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int done = account_password_by_link(r->store, t, who->user.id, hash);
	if (done < 0)
		return page_error(r, 500, NULL);
	bool set = done == LINK_PASSWORD_SET;
	audit_as(r, set || k->refusal_in_org ? who->user.tenant_id : 0, set ? who->user.id : 0, who->user.email,
	    k->action, who->user.email, set ? "ok" : "refused", set ? NULL : "link already used");
	if (!set)
		return link_refused(r, k, _("This link has already been used. Each link works once."));
	link_forget(r);
	return 0;
}

static const struct link_kind reset_link;

/* POST of a link's form (t, password, password2): checks the link and the new password,
 * then uses the link, sets the password and ends every session of the user in one
 * transaction. 0 when done (the caller answers); else the status already answered. */
static int
link_post(struct req *r, const struct link_kind *k)
{
	struct form f;
	form_read(r, &f, k->fields, k->nfields);
	struct token t;
	struct holder who;
	const char *text = k->token_in_form_only ? form_get(&f, "t") : link_current(r);
	int st = link_holder(r, k, text, &t, &who);
	if (st)
		return st;
	form_check_new_password(r, &f, who.user.email);
	/* Issue 15: a reset chooses a new password, not the one in use now. */
	if (f.nerrors == 0 && k == &reset_link) {
		const char *current = NULL;
		if (account_password_hash(r->store, r->a, who.user.id, &current) < 0)
			return page_error(r, 500, NULL);
		if (current != NULL && *current && password_check(current, req_form(r, "password")))
			form_fail(&f, "password", _("This is your current password. Choose a new one."));
	}
	if (f.nerrors > 0)
		return k->form_page(r, 422, &f, &who);
	char hash[PW_HASH_MAX];
	if (password_hash(req_form(r, "password"), hash) < 0)
		return page_error(r, 500, NULL);
	return link_apply(r, k, &t, &who, hash);
}

/* ---- Reset (the emailed link's landing page) ---- */

static const struct field reset_fields[] = {
	{ "password", N_("New password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, N_("At least 12 characters."), "new-password" },
	{ "password2", N_("Confirm new password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
};

static int
reset_form(struct req *r, int status, struct form *f, const struct holder *who)
{
	struct tv *ctx = page_ctx(r, _("Choose a new password"));
	form_to_tv(f, ctx);
	tv_set(ctx, "email", who->user.email);
	return page_render(r, status, "account/reset", ctx);
}

static const struct link_kind reset_link = { TP_PASSWORD_RESET, reset_fields, NELEM(reset_fields), reset_form,
	"password.reset", N_("Reset your password"), "account/reset-refused", false, true };

/* GET /password/reset?t=TOKEN — keeps the token, drops it from the address, shows the form. */
int
page_reset(struct req *r)
{
	return link_get(r, &reset_link);
}

/* POST /password/reset — t, password, password2. Sets the password, uses up the link
 * (exactly once, even under concurrent submissions) and ends every session of the user. */
int
page_reset_post(struct req *r)
{
	int st = link_post(r, &reset_link);
	if (st)
		return st;
	resp_cookie(r, "sid", "", "/", 0);
	return resp_redirect(r, "/signin?m=password-changed");
}

/* ---- Set password (the new user's link) ---- */

static const struct field setpw_fields[] = {
	{ "password", N_("Password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password,
	  N_("At least 12 characters. Any characters, including spaces, are fine."), "new-password" },
	{ "password2", N_("Confirm password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
};

static int
setpw_form(struct req *r, int status, struct form *f, const struct holder *who)
{
	struct tv *ctx = page_ctx(r, _("Set your password"));
	form_to_tv(f, ctx);
	tv_set(ctx, "email", who->user.email);
	tv_set(ctx, "name", who->user.name);
	tv_set(ctx, "org", who->org);
	return page_render(r, status, "users/set-password", ctx);
}

static const struct link_kind setpw_link = { TP_SET_PASSWORD, setpw_fields, NELEM(setpw_fields), setpw_form,
	"password.set", N_("Set your password"), "users/set-password-refused", true, false };

/* GET /password/set?t=TOKEN — the landing page of the link a new user (or one whose
 * password an administrator reset) gets by email: keeps the token, drops it from the
 * address, asks for a password. Public. */
int
page_set_password(struct req *r)
{
	return link_get(r, &setpw_link);
}

/* POST /password/set — t, password, password2. Sets the password, uses up the link
 * (exactly once), ends any session of the account, and sends the user to sign in. */
int
page_set_password_post(struct req *r)
{
	int st = link_post(r, &setpw_link);
	if (st)
		return st;
	/* Whoever was signed in in this browser is not the one who just set a password. */
	if (r->sess != NULL) {
		if (session_end(r->store, r->sess->id) < 0)
			return page_error(r, 500, NULL);
		resp_cookie(r, "sid", "", "/", 0);
	}
	return resp_redirect(r, "/signin?m=password-set");
}
