/* page_users.c — Settings → User management, and the new user's set-password link.
 * SPEC §2.3. Who may do what is decided by user_change_check (users.c); every user looked
 * up by an id from the URL is looked up within the signed-in user's organization, so an id
 * of another organization is "not found" (404, and an audit entry). */
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

#define USERS_PER_PAGE 25
#define SET_PASSWORD_TTL (7 * 24 * 60 * 60)
#define GA ROLE_MASK(GLOBAL_ADMIN)

/* A user of the signed-in user's organization. */
struct target {
	int64_t id, created_at;
	const char *name, *email;
	unsigned roles;
	bool has_password;
};

/* Loads user r->id of the signed-in user's organization. true when found. */
static bool
load_target(struct req *r, struct target *t)
{
	memset(t, 0, sizeof(*t));
	sqlite3_stmt *st = db_q(r->store, Q_USER_IN_TENANT, QI(r->id), QI(r->sess->tenant_id));
	bool found = db_step(st) == SQLITE_ROW;
	if (found) {
		t->id = db_i64(st, 0);
		t->name = arena_strdup(r->a, db_text(st, 1));
		t->email = arena_strdup(r->a, db_text(st, 2));
		t->roles = (unsigned)db_i64(st, 3) & ROLE_ALL;
		t->has_password = db_i64(st, 4) != 0;
		t->created_at = db_i64(st, 5);
	}
	sqlite3_reset(st);
	return found;
}

/* Another organization's user, or none at all: the same 404 either way, and a record. */
static int
not_found(struct req *r, const char *action)
{
	audit(r, action, arena_printf(r->a, "user #%lld", (long long)r->id), "refused",
	    "no such user in this organization");
	return page_error(r, 404, NULL);
}

/* The actor's roles as stored now (a role change made since their request began counts). */
static unsigned
actor_roles(struct req *r)
{
	return (unsigned)db_int(r->store, Q_USER_ROLES, 0, QI(r->sess->user_id)) & ROLE_ALL;
}

static enum user_verdict
verdict(struct req *r, enum user_action action, const struct target *t, unsigned new_roles, unsigned actor)
{
	struct user_change c = {
		.action = action,
		.actor_roles = actor,
		.self = t != NULL && t->id == r->sess->user_id,
		.old_roles = t ? t->roles : 0,
		.new_roles = new_roles,
		.global_admins = (int)db_int(r->store, Q_TENANT_COUNT_ROLE, 0, QI(r->sess->tenant_id), QI(GA)),
	};
	return user_change_check(&c);
}

/* ctx.roles: one check box per role, in roles.def order. */
static void
add_role_boxes(struct tv *ctx, unsigned checked, unsigned actor, bool editable)
{
	struct tv *list = tv_list(ctx, "roles");
	for (int i = 0; i < ROLE__COUNT; i++) {
		struct tv *it = tv_push(list);
		bool ga_locked = roles[i].mask == GA && !(actor & GA);
		tv_set(it, "key", roles[i].key);
		tv_set(it, "role", roles[i].name);
		tv_set(it, "about", roles[i].about);
		/* A box the actor may not tick is shown as it is stored, never as asked for. */
		tv_setb(it, "checked", (checked & roles[i].mask) != 0 && !(editable && ga_locked));
		tv_setb(it, "disabled", !editable || ga_locked);
		tv_set(it, "note", editable && ga_locked ? "Only a Global admin can grant or remove this role." : NULL);
	}
}

/* ctx.tags: the role names of a user, for .tag lists. */
static void
add_role_tags(struct tv *obj, unsigned have)
{
	struct tv *list = tv_list(obj, "tags");
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask)
			tv_push_str(list, roles[i].name);
}

/* The roles ticked in a form (roles[]); -1 when one is not a role (a tampered form). */
static int
form_roles(struct req *r, unsigned *out)
{
	const char *keys[ROLE__COUNT * 2];
	size_t n = params_all(&r->form, "roles[]", keys, NELEM(keys));
	if (n == NELEM(keys))
		return -1;
	return roles_from_keys(keys, n, out);
}

/* ---- the list ---- */

/* GET /settings/users?sort=name|email&dir=asc|desc&page=N — the organization's users with
 * their roles, 25 a page. USERS_VIEW; `Add user` shown with USERS_MANAGE. */
int
page_users(struct req *r)
{
	const char *sort = str_eq(req_query(r, "sort"), "email") ? "email" : "name";
	const char *dir = str_eq(req_query(r, "dir"), "desc") ? "desc" : "asc";
	int64_t page = 1;
	if (req_query(r, "page") != NULL && parse_i64(req_query(r, "page"), 1, 1000000, &page) < 0)
		page = 1;
	int64_t total = db_int(r->store, Q_USERS_COUNT, 0, QI(r->sess->tenant_id));
	int64_t pages = total > 0 ? (total + USERS_PER_PAGE - 1) / USERS_PER_PAGE : 1;
	if (page > pages)
		page = pages;

	struct tv *ctx = page_ctx(r, "User management");
	tv_setb(ctx, "may_manage", route_allows(r->sess, &routes[R_USER_NEW]));
	tv_seti(ctx, "total", total);
	struct tv *list = tv_list(ctx, "users");
	sqlite3_stmt *st = db_q(r->store, Q_USERS_PAGE, QI(r->sess->tenant_id), QT(sort), QT(dir),
	    QI(USERS_PER_PAGE), QI((page - 1) * USERS_PER_PAGE));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *u = tv_push(list);
		tv_seti(u, "id", db_i64(st, 0));
		tv_set(u, "name", db_text(st, 1));
		tv_set(u, "email", db_text(st, 2));
		add_role_tags(u, (unsigned)db_i64(st, 3) & ROLE_ALL);
		tv_setb(u, "has_password", db_i64(st, 4) != 0);
		tv_setb(u, "was_reset", db_i64(st, 4) == 0 && db_i64(st, 5) != 0);
		tv_setb(u, "is_me", db_i64(st, 0) == r->sess->user_id);
	}
	sqlite3_reset(st);

	/* Sortable headers: a link per column; the current one flips the direction. */
	static const char *const cols[] = { "name", "email" };
	for (size_t i = 0; i < NELEM(cols); i++) {
		struct tv *c = tv_obj(ctx, arena_printf(r->a, "sort_%s", cols[i]));
		bool cur = strcmp(sort, cols[i]) == 0;
		const char *next = cur && strcmp(dir, "asc") == 0 ? "desc" : "asc";
		tv_setf(c, "href", "/settings/users?sort=%s&dir=%s", cols[i], next);
		tv_set(c, "aria", cur ? (strcmp(dir, "asc") == 0 ? "ascending" : "descending") : NULL);
		tv_set(c, "arrow", cur ? (strcmp(dir, "asc") == 0 ? "▲" : "▼") : NULL);
	}
	if (pages > 1) {
		struct tv *pg = tv_obj(ctx, "pager");
		tv_seti(pg, "page", page);
		tv_seti(pg, "pages", pages);
		if (page > 1)
			tv_setf(pg, "prev", "/settings/users?sort=%s&dir=%s&page=%lld", sort, dir, (long long)(page - 1));
		if (page < pages)
			tv_setf(pg, "next", "/settings/users?sort=%s&dir=%s&page=%lld", sort, dir, (long long)(page + 1));
	}
	return page_render(r, 200, "users/list", ctx);
}

/* ---- Add user ---- */

static const struct field user_fields[] = {
	{ "name", "Name", "text", 100, FF_REQUIRED, NULL, "First and last name, as colleagues know them.", "off" },
	{ "email", "Email", "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  "Their work address. They sign in with it; one account per address.", "off" },
	{ "roles", "Roles", "checkbox", 0, 0, NULL, NULL, NULL },
};

static int
new_form(struct req *r, int status, struct form *f, unsigned checked, const char *refusal)
{
	struct tv *ctx = page_ctx(r, "Add user");
	form_to_tv(f, ctx);
	add_role_boxes(ctx, checked, r->sess->roles, true);
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, "users/new", ctx);
}

/* GET /settings/users/new — the Add user form: name, email, roles. USERS_MANAGE. */
int
page_user_new(struct req *r)
{
	struct form f;
	form_init(&f, user_fields, NELEM(user_fields));
	return new_form(r, 200, &f, 0, NULL);
}

/* The emailed link to choose a password: for a new user, after a reset, or again. */
static int
send_set_password(struct req *r, int64_t user_id, const char *email, const char *name, unsigned roles_have,
    const char *tmpl)
{
	char *token = link_issue(r->store, r->a, TP_SET_PASSWORD, user_id, SET_PASSWORD_TTL);
	if (token == NULL)
		return -1;
	struct tv *m = tv_new_obj(r->a);
	tv_setf(m, "link", "%s/password/set?t=%s", r->portal->cfg.base_url, token);
	tv_set(m, "email", email);
	tv_set(m, "name", name);
	tv_set(m, "org", r->sess->tenant_name);
	tv_set(m, "admin", r->sess->name);
	tv_set(m, "admin_email", r->sess->email);
	tv_set(m, "roles", roles_text(r->a, roles_have));
	tv_set(m, "expires", fmt_datetime(r->a, now_sec() + SET_PASSWORD_TTL));
	return page_mail(r, email, tmpl, m);
}

/* POST /settings/users/new — name, email, roles[]. USERS_MANAGE; only a Global admin may
 * grant Global admin; an email already used by any account is refused. The new user gets
 * no password: an email brings a link to choose one (7 days, once). */
int
page_user_new_post(struct req *r)
{
	struct form f;
	form_read(r, &f, user_fields, NELEM(user_fields));
	unsigned want = 0;
	if (form_roles(r, &want) < 0) {
		want = 0;
		form_fail(&f, "roles", "Choose roles from the list.");
	}
	if (f.nerrors > 0)
		return new_form(r, 422, &f, want, NULL);
	const char *email = form_get(&f, "email"), *name = form_get(&f, "name");

	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	enum user_verdict v = verdict(r, UA_ADD, NULL, want, actor_roles(r));
	if (v != UV_OK) {
		audit(r, "user.add", email, "refused", user_verdict_code(v));
		return new_form(r, 403, &f, want, user_verdict_text(r->a, UA_ADD, v, name));
	}
	if (db_int(r->store, Q_USER_ID_BY_EMAIL, 0, QT(email)) != 0) {
		audit(r, "user.add", email, "refused", "email already in use");
		form_fail(&f, "email", "An account with this email already exists. Each email address can have one account.");
		return new_form(r, 422, &f, want, NULL);
	}
	int64_t now = now_sec();
	if (db_run(r->store, Q_USER_INSERT, QI(r->sess->tenant_id), QT(email), QT(name), QNULL, QI(want), QI(now),
	    QNULL) != 1)
		return page_error(r, 500, NULL);
	int64_t id = db_last_id(r->store);
	if (send_set_password(r, id, email, name, want, "user-added") < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.add", email, "ok", arena_printf(r->a, "roles: %s", roles_text(r->a, want)));
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=user-added", (long long)id));
}

/* ---- one user: roles, password, delete ---- */

static int
user_page(struct req *r, int status, const struct target *t, unsigned checked, const char *refusal)
{
	struct tv *ctx = page_ctx(r, t->name);
	struct tv *u = tv_obj(ctx, "user");
	tv_seti(u, "id", t->id);
	tv_set(u, "name", t->name);
	tv_set(u, "email", t->email);
	tv_set(u, "added", fmt_date(r->a, t->created_at));
	tv_setb(u, "has_password", t->has_password);
	tv_setb(u, "is_me", t->id == r->sess->user_id);
	add_role_tags(u, t->roles);

	unsigned actor = r->sess->roles;
	enum user_verdict vr = verdict(r, UA_ROLES, t, t->roles, actor);
	enum user_verdict vp = verdict(r, UA_RESET, t, t->roles, actor);
	enum user_verdict vd = verdict(r, UA_DELETE, t, 0, actor);
	bool manage = perm_allows(PERM_USERS_MANAGE, actor);
	add_role_boxes(ctx, checked, actor, vr == UV_OK);
	tv_setb(ctx, "may_roles", vr == UV_OK);
	tv_setb(ctx, "legend_hidden", true);	/* the card's heading says "Roles" already */
	tv_setb(ctx, "may_manage", manage);
	/* Why a control is missing, for those who manage users (others just read). */
	if (manage) {
		tv_set(ctx, "why_roles", user_verdict_text(r->a, UA_ROLES, vr, t->name));
		tv_set(ctx, "why_reset", user_verdict_text(r->a, UA_RESET, vp, t->name));
		tv_set(ctx, "why_delete", user_verdict_text(r->a, UA_DELETE, vd, t->name));
	}
	tv_setb(ctx, "may_reset", vp == UV_OK);
	tv_setb(ctx, "may_delete", vd == UV_OK);
	tv_setb(ctx, "may_audit", perm_allows(PERM_AUDIT_VIEW, actor));
	tv_set(ctx, "audit_href", arena_printf(r->a, "/settings/audit?actor=%s", url_encode(r->a, t->email)));
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, "users/user", ctx);
}

/* GET /settings/users/ID — a user's roles (check boxes and `Update` for those who may
 * change them), `Reset password` and `Delete user`. USERS_VIEW; own organization only. */
int
page_user(struct req *r)
{
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.view");
	return user_page(r, 200, &t, t.roles, NULL);
}

/* POST /settings/users/ID — roles[]: `Update` the user's roles. USERS_MANAGE, and the rules
 * of users.h. Ends the user's sessions, so the new roles apply at once. */
int
page_user_post(struct req *r)
{
	unsigned want = 0;
	if (form_roles(r, &want) < 0)
		return page_error(r, 400, "The form named a role that does not exist. Reload the page and try again.");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.roles");
	enum user_verdict v = verdict(r, UA_ROLES, &t, want, actor_roles(r));
	if (v != UV_OK) {
		audit(r, "user.roles", t.email, "refused",
		    arena_printf(r->a, "%s (asked for: %s)", user_verdict_code(v), roles_text(r->a, want)));
		return user_page(r, 403, &t, t.roles, user_verdict_text(r->a, UA_ROLES, v, t.name));
	}
	if (want == t.roles)
		return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=roles-unchanged", (long long)t.id));
	if (db_run(r->store, Q_USER_SET_ROLES, QI(want), QI(t.id), QI(r->sess->tenant_id)) != 1 ||
	    sessions_end_user(r->store, t.id) < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.roles", t.email, "ok",
	    arena_printf(r->a, "%s → %s", roles_text(r->a, t.roles), roles_text(r->a, want)));
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=roles-updated", (long long)t.id));
}

/* ---- Reset password ---- */

static int
confirm_page(struct req *r, int status, const struct target *t, const char *tmpl, const char *title,
    const char *refusal)
{
	struct tv *ctx = page_ctx(r, title);
	struct tv *u = tv_obj(ctx, "user");
	tv_seti(u, "id", t->id);
	tv_set(u, "name", t->name);
	tv_set(u, "email", t->email);
	tv_setb(u, "has_password", t->has_password);
	add_role_tags(u, t->roles);
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, tmpl, ctx);
}

/* GET /settings/users/ID/password — asks to confirm `Reset password`, saying what happens:
 * a user with a password loses it and is signed out; one who never set a password gets a
 * new set-password link. USERS_MANAGE; Global admins' passwords: Global admins only. */
int
page_user_reset(struct req *r)
{
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.password-reset");
	enum user_verdict v = verdict(r, UA_RESET, &t, t.roles, r->sess->roles);
	return confirm_page(r, v == UV_OK ? 200 : 403, &t, "users/reset", "Reset password",
	    user_verdict_text(r->a, UA_RESET, v, t.name));
}

/* POST /settings/users/ID/password — resets: clears the password, ends the user's sessions
 * and emails a link to choose a new one (7 days, once). Same rules as the GET. */
int
page_user_reset_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.password-reset");
	enum user_verdict v = verdict(r, UA_RESET, &t, t.roles, actor_roles(r));
	if (v != UV_OK) {
		audit(r, "user.password-reset", t.email, "refused", user_verdict_code(v));
		return confirm_page(r, 403, &t, "users/reset", "Reset password", user_verdict_text(r->a, UA_RESET, v, t.name));
	}
	if (t.has_password) {
		if (db_run(r->store, Q_USER_CLEAR_PASSWORD, QI(now_sec()), QI(t.id), QI(r->sess->tenant_id)) != 1 ||
		    sessions_end_user(r->store, t.id) < 0 ||
		    link_revoke(r->store, TP_PASSWORD_RESET, t.id) < 0)
			return page_error(r, 500, NULL);
	}
	if (send_set_password(r, t.id, t.email, t.name, t.roles, t.has_password ? "password-reset-by-admin" : "user-added") < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.password-reset", t.email, "ok",
	    t.has_password ? "password cleared, set-password link sent" : "set-password link sent again");
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=%s", (long long)t.id,
	    t.has_password ? "password-reset" : "invite-resent"));
}

/* ---- Delete user ---- */

/* GET /settings/users/ID/delete — asks to confirm `Delete user`. USERS_MANAGE; Global
 * admins: Global admins only, never the last one, never oneself. */
int
page_user_delete(struct req *r)
{
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.delete");
	enum user_verdict v = verdict(r, UA_DELETE, &t, 0, r->sess->roles);
	return confirm_page(r, v == UV_OK ? 200 : 403, &t, "users/delete", "Delete user",
	    user_verdict_text(r->a, UA_DELETE, v, t.name));
}

/* POST /settings/users/ID/delete — deletes the user: their sessions end and their emailed
 * links stop working; their audit entries stay. Same rules as the GET. */
int
page_user_delete_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct target t;
	if (!load_target(r, &t))
		return not_found(r, "user.delete");
	enum user_verdict v = verdict(r, UA_DELETE, &t, 0, actor_roles(r));
	if (v != UV_OK) {
		audit(r, "user.delete", t.email, "refused", user_verdict_code(v));
		return confirm_page(r, 403, &t, "users/delete", "Delete user", user_verdict_text(r->a, UA_DELETE, v, t.name));
	}
	/* Link rows name the user by id, and a deleted id can come back: revoke them first. */
	if (link_revoke(r->store, TP_SET_PASSWORD, t.id) < 0 ||
	    link_revoke(r->store, TP_PASSWORD_RESET, t.id) < 0 ||
	    sessions_end_user(r->store, t.id) < 0 ||
	    db_run(r->store, Q_USER_DELETE, QI(t.id), QI(r->sess->tenant_id)) != 1) {
		log_msg("rid=%s cannot delete user %lld", r->rid, (long long)t.id);
		return page_error(r, 500, NULL);
	}
	audit(r, "user.delete", t.email, "ok", arena_printf(r->a, "%s; roles: %s", t.name, roles_text(r->a, t.roles)));
	return resp_redirect(r, "/settings/users?m=user-deleted");
}

/* ---- the set-password link (public) ---- */

static const struct field setpw_fields[] = {
	{ "password", "Password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password,
	  "At least 12 characters. Any characters, including spaces, are fine.", "new-password" },
	{ "password2", "Confirm password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "t", "Link", "hidden", 128, 0, NULL, NULL, NULL },
};

struct invitee {
	int64_t id, tenant_id;
	const char *email, *name, *org;
};

/* NULL when the link is usable (then who is filled), else the sentence to show. */
static const char *
setpw_check(struct req *r, const char *text, struct token *t, struct invitee *who)
{
	int64_t user_id;
	const char *why = link_check(r->store, text, TP_SET_PASSWORD, &user_id, t);
	if (why != NULL)
		return why;
	sqlite3_stmt *st = db_q(r->store, Q_USER_WITH_TENANT, QI(user_id));
	bool found = db_step(st) == SQLITE_ROW;
	if (found) {
		who->id = user_id;
		who->email = arena_strdup(r->a, db_text(st, 0));
		who->name = arena_strdup(r->a, db_text(st, 1));
		who->tenant_id = db_i64(st, 2);
		who->org = arena_strdup(r->a, db_text(st, 3));
	}
	sqlite3_reset(st);
	return found ? NULL : "This account no longer exists. Ask your organization's administrator.";
}

static int
setpw_refused(struct req *r, const char *why)
{
	struct tv *ctx = page_ctx(r, "Set your password");
	tv_set(ctx, "problem", why);
	link_forget(r);
	return page_render(r, 400, "users/set-password-refused", ctx);
}

static int
setpw_form(struct req *r, int status, struct form *f, const struct invitee *who)
{
	struct tv *ctx = page_ctx(r, "Set your password");
	form_to_tv(f, ctx);
	tv_set(ctx, "email", who->email);
	tv_set(ctx, "name", who->name);
	tv_set(ctx, "org", who->org);
	return page_render(r, status, "users/set-password", ctx);
}

/* GET /password/set?t=TOKEN — the landing page of the link a new user (or one whose
 * password an administrator reset) gets by email: keeps the token, drops it from the
 * address, asks for a password. Public. */
int
page_set_password(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct token t;
	struct invitee who;
	const char *text = link_current(r);
	const char *why = setpw_check(r, text, &t, &who);
	if (why != NULL)
		return setpw_refused(r, why);
	struct form f;
	form_init(&f, setpw_fields, NELEM(setpw_fields));
	form_set(&f, "t", text);
	return setpw_form(r, 200, &f, &who);
}

/* POST /password/set — t, password, password2. Sets the password, uses up the link
 * (exactly once), ends any session of the account, and sends the user to sign in. */
int
page_set_password_post(struct req *r)
{
	struct form f;
	form_read(r, &f, setpw_fields, NELEM(setpw_fields));
	struct token t;
	struct invitee who;
	const char *why = setpw_check(r, link_current(r), &t, &who);
	if (why != NULL)
		return setpw_refused(r, why);
	const char *pw = req_form(r, "password");
	form_check_new_password(r, &f, who.email);
	if (f.nerrors > 0)
		return setpw_form(r, 422, &f, &who);
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	if (!link_use(r->store, &t)) {
		struct audit_entry *e = audit(r, "password.set", who.email, "refused", "link already used");
		if (e != NULL) {
			e->actor = who.email;
			e->tenant_id = who.tenant_id;
		}
		return setpw_refused(r, "This link has already been used. Each link works once.");
	}
	if (db_run(r->store, Q_USER_SET_PASSWORD, QT(hash), QI(now_sec()), QI(who.id)) != 1 ||
	    sessions_end_user(r->store, who.id) < 0)
		return page_error(r, 500, NULL);
	struct audit_entry *e = audit(r, "password.set", who.email, "ok", NULL);
	if (e != NULL) {
		e->actor = who.email;
		e->actor_id = who.id;
		e->tenant_id = who.tenant_id;
	}
	link_forget(r);
	/* Whoever was signed in in this browser is not the one who just set a password. */
	if (r->sess != NULL) {
		session_end(r->store, r->sess->id);
		resp_cookie(r, "sid", "", "/", 0);
	}
	return resp_redirect(r, "/signin?m=password-set");
}
