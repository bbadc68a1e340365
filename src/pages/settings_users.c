/* settings_users.c — /settings/users: Settings → User management. SPEC §2.3.
 * Who may do what is decided by the rule of domain/accounts.h (user_decide); every user
 * looked up by an id from the URL is looked up within the signed-in user's organization,
 * so an id of another organization is "not found" (404, and an audit entry). The new
 * user's set-password link lands on /password/set (password.c). */
#include <string.h>

#include "base/i18n.h"
#include "base/portal.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/link.h"
#include "domain/mfa.h"
#include "domain/session.h"
#include "web/form.h"
#include "web/page.h"
#include "web/pager.h"
#include "pages/settings_users.h"

#define USERS_PER_PAGE 25
#define SET_PASSWORD_TTL (7 * 24 * 60 * 60)

/* Loads user r->id of the signed-in user's organization: 1 found, 0 none, -1 error. */
static int
load_target(struct req *r, struct user_row *t)
{
	memset(t, 0, sizeof(*t));
	return user_in_tenant(r->store, r->a, r->sess->tenant_id, r->id, t);
}

/* Another organization's user, or none at all: the same 404 either way, and a record. */
static int
not_found(struct req *r, const char *action)
{
	audit(r, action, arena_printf(r->a, "user #%lld", (long long)r->id), "refused",
	    "no such user in this organization");
	return page_error(r, 404, NULL);
}

/* The target of a page about one user: 0 when loaded, else the status already answered
 * (404 not found, 500). */
static int
target_or_status(struct req *r, struct user_row *t, const char *action)
{
	int found = load_target(r, t);
	if (found < 0)
		return page_error(r, 500, NULL);
	return found ? 0 : not_found(r, action);
}

/* ctx.roles: one check box per role, in roles.def order: checked as asked for (checked),
 * except the boxes the actor may not tick (user_role_grantable), shown as stored and
 * disabled, with why. */
static void
add_role_boxes(struct tv *ctx, unsigned checked, unsigned stored, unsigned actor, bool editable)
{
	struct tv *list = tv_list(ctx, "roles");
	for (int i = 0; i < ROLE__COUNT; i++) {
		struct tv *it = tv_push(list);
		bool locked = !user_role_grantable(actor, i);
		tv_set(it, "key", roles[i].key);
		tv_set(it, "role", _(roles[i].name));
		tv_set(it, "about", _(roles[i].about));
		/* A box the actor may not tick is shown as it is stored, never as asked for. */
		unsigned shown = editable && locked ? stored : checked;
		tv_setb(it, "checked", (shown & roles[i].mask) != 0);
		tv_setb(it, "disabled", !editable || locked);
		tv_set(it, "note", !editable || !locked ? NULL : roles[i].mask == ROLE_MASK(GLOBAL_ADMIN)
		    ? _("Only a Global admin can grant or remove this role.")
		    : _("You do not hold this role, so you cannot grant or remove it."));
	}
}

/* ctx.tags: the role names of a user, for .tag lists. */
static void
add_role_tags(struct tv *obj, unsigned have)
{
	struct tv *list = tv_list(obj, "tags");
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask)
			tv_push_str(list, _(roles[i].name));
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

/* ctx.sort_<column>: a header link per sortable column; the current one flips the direction. */
static void
add_sort_headers(struct req *r, struct tv *ctx, enum user_order order, bool desc, const char *q)
{
	static const enum user_order cols[] = { USER_ORDER_NAME, USER_ORDER_EMAIL };
	for (size_t i = 0; i < NELEM(cols); i++) {
		const char *key = users_order_key(cols[i]);
		struct tv *c = tv_obj(ctx, arena_printf(r->a, "sort_%s", key));
		bool cur = cols[i] == order;
		const char *kv[] = { "sort", key, "dir", cur && !desc ? "desc" : "asc", "q", q, NULL };
		tv_set(c, "href", href_with(r->a, "/settings/users", kv));
		tv_set(c, "aria", cur ? (desc ? "descending" : "ascending") : NULL);
		tv_set(c, "arrow", cur ? (desc ? "▼" : "▲") : NULL);
	}
}

/* GET /settings/users?sort=name|email&dir=asc|desc&page=N&q=TEXT — the organization's users
 * with their roles, 25 a page; q (issue 15): only those whose name or email contains it.
 * USERS_VIEW; `Add user` shown with USERS_MANAGE. */
int
page_users(struct req *r)
{
	enum user_order order = users_order_parse(req_query(r, "sort"));
	bool desc = str_eq(req_query(r, "dir"), "desc");
	const char *sort = users_order_key(order), *dir = desc ? "desc" : "asc";
	int64_t page = 1;
	if (req_query(r, "page") != NULL && parse_i64(req_query(r, "page"), 1, 1000000, &page) < 0)
		page = 1;
	bool bad;
	const char *q = search_param(r->a, req_query(r, "q"), &bad);
	if (bad)
		return page_error(r, 400, NULL);
	struct paging pg;
	struct user_list users;
	if (users_find(r->store, r->a, r->sess->tenant_id, q, order, desc, page, USERS_PER_PAGE, &pg, &users) < 0)
		return page_error(r, 500, NULL);

	struct tv *ctx = page_ctx(r, _("User management"));
	tv_setb(ctx, "may_manage", route_allows(r->sess, &routes[R_USER_NEW]));
	tv_setb(ctx, "may_mfa_report", route_allows(r->sess, &routes[R_MFA_COMPLIANCE]));
	tv_seti(ctx, "total", pg.total);
	struct tv *list = tv_list(ctx, "users");
	for (size_t i = 0; i < users.n; i++) {
		const struct user_row *row = &users.v[i];
		struct tv *u = tv_push(list);
		tv_seti(u, "id", row->id);
		tv_set(u, "name", row->name);
		tv_set(u, "email", row->email);
		add_role_tags(u, row->roles & ROLE_ALL);
		tv_setb(u, "has_password", row->has_password);
		tv_setb(u, "was_reset", !row->has_password && row->had_password);
		tv_setb(u, "is_me", row->id == r->sess->user_id);
	}
	add_sort_headers(r, ctx, order, desc, q);
	const char *keep[] = { "sort", sort, "dir", dir, "q", q, "page", NULL, NULL };
	if (pg.pages > 1) {
		struct tv *p = tv_obj(ctx, "pager");
		tv_seti(p, "page", pg.page);
		tv_seti(p, "pages", pg.pages);
		if (pg.page > 1) {
			keep[7] = arena_printf(r->a, "%lld", (long long)(pg.page - 1));
			tv_set(p, "prev", href_with(r->a, "/settings/users", keep));
		}
		if (pg.page < pg.pages) {
			keep[7] = arena_printf(r->a, "%lld", (long long)(pg.page + 1));
			tv_set(p, "next", href_with(r->a, "/settings/users", keep));
		}
	}
	keep[6] = NULL;
	search_tv(ctx, "/settings/users", q, _("Search users"), _("Part of a user's name or email address."), keep);
	return page_render(r, 200, "users/list", ctx);
}

/* ---- Add user ---- */

static const struct field user_fields[] = {
	{ "name", N_("Name"), "text", 100, FF_REQUIRED, NULL, N_("First and last name, as colleagues know them."), "off" },
	{ "email", N_("Email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  N_("Their work address. They sign in with it; one account per address."), "off" },
	{ "roles", N_("Roles"), "checkbox", 0, 0, NULL, NULL, NULL },
};

static int
new_form(struct req *r, int status, struct form *f, unsigned checked, const char *refusal)
{
	struct tv *ctx = page_ctx(r, _("Add user"));
	page_crumbs(ctx, "/settings/users", _("User management"), NULL);
	form_to_tv(f, ctx);
	add_role_boxes(ctx, checked, 0, r->sess->roles, true);
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

/* The emailed link to choose a password: for a new user, after a reset, or again (also the
 * JSON API's, settings_users.h). 0 or -1. */
int
send_set_password(struct req *r, const struct user_row *u, const char *tmpl)
{
	char *token = link_issue(r->store, r->a, TP_SET_PASSWORD, u->id, SET_PASSWORD_TTL);
	if (token == NULL)
		return -1;
	struct tv *m = tv_new_obj(r->a);
	tv_setf(m, "link", "%s/password/set?t=%s", r->portal->cfg.base_url, token);
	tv_set(m, "email", u->email);
	tv_set(m, "name", u->name);
	tv_set(m, "org", r->sess->tenant_name);
	tv_set(m, "admin", r->sess->name);
	tv_set(m, "admin_email", r->sess->email);
	tv_set(m, "roles", roles_local(r->a, u->roles));
	tv_set(m, "expires", page_mail_time(r, u->email, now_sec() + SET_PASSWORD_TTL));
	return page_mail(r, u->email, tmpl, m);
}

/* Tells the owner of an address that has an account in another organization that an
 * administrator of this one tried to add it: nothing changed, what they can do. 0 or -1. */
int
send_account_exists(struct req *r, const struct user_row *u)
{
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "email", u->email);
	tv_set(m, "org", r->sess->tenant_name);
	tv_set(m, "admin", r->sess->name);
	tv_set(m, "admin_email", r->sess->email);
	return page_mail(r, u->email, "user-exists", m);
}

/* The facts for a decision (domain/accounts.h): with the actor's roles as stored now for a
 * change (stored), or the session's for a page that shows what the actor may do. */
static int
facts(struct req *r, bool stored, struct user_facts *f)
{
	return user_facts_read(r->store, r->a, r->sess, stored, f);
}

/* POST /settings/users/new — name, email, roles[]. USERS_MANAGE; only a Global admin may
 * grant Global admin, and nobody a role they do not hold. An address of a user of this
 * organization is refused beside the field; one of another organization's user gets the
 * same answer as a new address (the list of users, "User added"), but nobody is added: its
 * owner is emailed instead. The new user gets no password: an email brings a link to choose
 * one (7 days, once). */
int
page_user_new_post(struct req *r)
{
	struct form f;
	form_read(r, &f, user_fields, NELEM(user_fields));
	unsigned want = 0;
	if (form_roles(r, &want) < 0) {
		want = 0;
		form_fail(&f, "roles", N_("Choose roles from the list."));
	}
	if (f.nerrors > 0)
		return new_form(r, 422, &f, want, NULL);
	struct user_row u = { .tenant_id = r->sess->tenant_id, .email = form_get(&f, "email"),
	    .name = form_get(&f, "name"), .roles = want };

	struct user_facts uf;
	if (tx_begin(r) < 0 || facts(r, true, &uf) < 0)
		return page_error(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, UA_ADD, NULL, want);
	if (v == UV_NO_ROLE) {
		/* Input to correct, not a refusal: beside the roles, nothing written. */
		form_fail(&f, "roles", user_verdict_text(r->a, UA_ADD, v, u.name));
		return new_form(r, 422, &f, want, NULL);
	}
	if (v == UV_NOT_HELD) {
		/* Beside the field: untick what the actor does not hold. */
		audit(r, "user.add", u.email, "refused", arena_printf(r->a, "%s (asked for: %s)", user_verdict_code(v), roles_text(r->a, want)));
		form_fail(&f, "roles", user_verdict_text(r->a, UA_ADD, v, u.name));
		return new_form(r, 422, &f, want, NULL);
	}
	if (v != UV_OK) {
		audit(r, "user.add", u.email, "refused", user_verdict_code(v));
		return new_form(r, 403, &f, want, user_verdict_text(r->a, UA_ADD, v, u.name));
	}
	int added = user_add(r->store, r->a, u.tenant_id, u.name, u.email, want, &u.id);
	if (added == USER_EMAIL_TAKEN) {
		/* A user of this very organization: saying so tells the admin nothing new. */
		audit(r, "user.add", u.email, "refused", "already a user of this organization");
		form_fail(&f, "email", N_("This address is already a user of your organization. Find them in the list of users."));
		return new_form(r, 422, &f, want, NULL);
	}
	if (added == USER_EMAIL_ELSEWHERE) {
		/* Another organization's user: the same answer as for a new address, so that no
		 * admin can probe who uses the portal (issue 12, item 9). Nothing is written but the
		 * owner's email; no entry in this organization's log either (its Global admins
		 * read it). */
		if (send_account_exists(r, &u) < 0)
			return page_error(r, 500, NULL);
		return resp_redirect(r, "/settings/users?m=user-added");
	}
	if (added < 0 || send_set_password(r, &u, "user-added") < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.add", u.email, "ok", arena_printf(r->a, "roles: %s", roles_text(r->a, want)));
	return resp_redirect(r, "/settings/users?m=user-added");
}

/* ---- one user: roles, password, delete ---- */

static int
user_page(struct req *r, int status, const struct user_row *t, unsigned checked, const char *refusal,
    const char *roles_error)
{
	struct user_facts uf;
	if (facts(r, false, &uf) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, t->name);
	page_crumbs(ctx, "/settings/users", _("User management"), NULL);
	struct tv *u = tv_obj(ctx, "user");
	tv_seti(u, "id", t->id);
	tv_set(u, "name", t->name);
	tv_set(u, "email", t->email);
	tv_set(u, "added", fmt_date(r->a, t->created_at));
	tv_setb(u, "has_password", t->has_password);
	tv_setb(u, "is_me", t->id == r->sess->user_id);
	add_role_tags(u, t->roles);

	enum user_verdict vr = user_decide(&uf, UA_ROLES, t, t->roles);
	enum user_verdict vp = user_decide(&uf, UA_RESET, t, t->roles);
	enum user_verdict vd = user_decide(&uf, UA_DELETE, t, 0);
	bool manage = perm_allows_in(r->sess, PERM_USERS_MANAGE, r->sess->tenant_id);
	add_role_boxes(ctx, checked, t->roles, uf.actor_roles, vr == UV_OK);
	if (roles_error != NULL) {
		struct tv *fr = tv_obj(tv_obj(ctx, "f"), "roles");
		tv_set(fr, "error", roles_error);
	}
	tv_setb(ctx, "may_roles", vr == UV_OK);
	tv_setb(ctx, "legend_hidden", true);	/* the card's heading says N_("Roles") already */
	tv_setb(ctx, "may_manage", manage);
	/* Why a control is missing, for those who manage users (others just read). */
	if (manage) {
		tv_set(ctx, "why_roles", user_verdict_text(r->a, UA_ROLES, vr, t->name));
		tv_set(ctx, "why_reset", user_verdict_text(r->a, UA_RESET, vp, t->name));
		tv_set(ctx, "why_delete", user_verdict_text(r->a, UA_DELETE, vd, t->name));
	}
	tv_setb(ctx, "may_reset", vp == UV_OK);
	tv_setb(ctx, "may_delete", vd == UV_OK);
	tv_setb(ctx, "may_audit", route_allows(r->sess, &routes[R_AUDIT]));
	if (route_allows(r->sess, &routes[R_USER_SESSIONS_POST])) {
		int64_t n = sessions_count(r->store, t->id);
		if (n < 0)
			return page_error(r, 500, NULL);
		tv_setb(ctx, "may_end_sessions", true);
		tv_seti(ctx, "user_sessions", n);
	}
	if (route_allows(r->sess, &routes[R_USER_MFA_RESET_POST])) {
		struct mfa_state ms;
		if (mfa_state(r->store, r->a, t->id, &ms) < 0)
			return page_error(r, 500, NULL);
		tv_setb(ctx, "may_mfa_reset", true);
		tv_setb(u, "mfa_enabled", ms.enabled);
		tv_set(u, "mfa_since", ms.enabled ? fmt_date(r->a, ms.enabled_at) : NULL);
	}
	tv_set(ctx, "audit_href", arena_printf(r->a, "/settings/audit?actor=%s", url_encode(r->a, t->email)));
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, "users/user", ctx);
}

/* GET /settings/users/ID — a user's roles (check boxes and `Update` for those who may
 * change them), `Reset password` and `Delete user`. USERS_VIEW; own organization only. */
int
page_user(struct req *r)
{
	struct user_row t;
	int st = target_or_status(r, &t, "user.view");
	return st ? st : user_page(r, 200, &t, t.roles, NULL, NULL);
}

/* POST /settings/users/ID — roles[]: `Update` the user's roles. USERS_MANAGE, and the rules
 * of domain/accounts.h. Ends the user's sessions, so the new roles apply at once. */
int
page_user_post(struct req *r)
{
	unsigned ticked = 0;
	if (form_roles(r, &ticked) < 0)
		return page_error(r, 400, _("The form named a role that does not exist. Reload the page and try again."));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct user_row t;
	struct user_facts uf;
	int st = target_or_status(r, &t, "user.roles");
	if (st)
		return st;
	if (facts(r, true, &uf) < 0)
		return page_error(r, 500, NULL);
	/* The disabled boxes (roles the actor may not change) are not sent: they stay as stored. */
	unsigned want = user_roles_asked(uf.actor_roles, t.roles, ticked);
	enum user_verdict v = user_decide(&uf, UA_ROLES, &t, want);
	if (v != UV_OK) {
		audit(r, "user.roles", t.email, "refused",
		    arena_printf(r->a, "%s (asked for: %s)", user_verdict_code(v), roles_text(r->a, want)));
		if (v == UV_NOT_HELD)
			return user_page(r, 422, &t, want, NULL, user_verdict_text(r->a, UA_ROLES, v, t.name));
		return user_page(r, 403, &t, t.roles, user_verdict_text(r->a, UA_ROLES, v, t.name), NULL);
	}
	if (want == t.roles)
		return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=roles-unchanged", (long long)t.id));
	if (user_set_roles(r->store, r->sess->tenant_id, t.id, want) < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.roles", t.email, "ok",
	    arena_printf(r->a, "%s → %s", roles_text(r->a, t.roles), roles_text(r->a, want)));
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=roles-updated", (long long)t.id));
}

/* ---- Reset password, Delete user: a confirmation, then the action ---- */

static int
confirm_page(struct req *r, int status, const struct user_row *t, const char *tmpl, const char *title,
    const char *refusal)
{
	struct tv *ctx = page_ctx(r, title);
	page_crumbs(ctx, "/settings/users", _("User management"), arena_printf(r->a, "/settings/users/%lld", (long long)t->id), t->name, NULL);
	struct tv *u = tv_obj(ctx, "user");
	tv_seti(u, "id", t->id);
	tv_set(u, "name", t->name);
	tv_set(u, "email", t->email);
	tv_setb(u, "has_password", t->has_password);
	add_role_tags(u, t->roles);
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, tmpl, ctx);
}

/* What a confirmation page asks about. */
struct confirm {
	enum user_action action;
	const char *audit_action, *tmpl, *title;
};
static const struct confirm confirm_reset = { UA_RESET, "user.password-reset", "users/reset", N_("Reset password") };
static const struct confirm confirm_delete = { UA_DELETE, "user.delete", "users/delete", N_("Delete user") };

/* GET of a confirmation: the question (200), or why not (403). */
static int
confirm_get(struct req *r, const struct confirm *c)
{
	struct user_row t;
	struct user_facts uf;
	int st = target_or_status(r, &t, c->audit_action);
	if (st)
		return st;
	if (facts(r, false, &uf) < 0)
		return page_error(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, c->action, &t, c->action == UA_DELETE ? 0 : t.roles);
	return confirm_page(r, v == UV_OK ? 200 : 403, &t, c->tmpl, _(c->title), user_verdict_text(r->a, c->action, v, t.name));
}

/* POST of a confirmation, up to the action: 0 with *t when it may go ahead (inside the
 * write transaction, with the facts read there), else the status already answered. */
static int
confirm_post(struct req *r, const struct confirm *c, struct user_row *t)
{
	struct user_facts uf;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int st = target_or_status(r, t, c->audit_action);
	if (st)
		return st;
	if (facts(r, true, &uf) < 0)
		return page_error(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, c->action, t, c->action == UA_DELETE ? 0 : t->roles);
	if (v == UV_OK)
		return 0;
	audit(r, c->audit_action, t->email, "refused", user_verdict_code(v));
	return confirm_page(r, 403, t, c->tmpl, _(c->title), user_verdict_text(r->a, c->action, v, t->name));
}

/* GET /settings/users/ID/password — asks to confirm `Reset password`, saying what happens:
 * a user with a password loses it and is signed out; one who never set a password gets a
 * new set-password link. USERS_MANAGE; Global admins' passwords: Global admins only. */
int
page_user_reset(struct req *r)
{
	return confirm_get(r, &confirm_reset);
}

/* POST /settings/users/ID/password — resets: clears the password, ends the user's sessions
 * and emails a link to choose a new one (7 days, once). Same rules as the GET. */
int
page_user_reset_post(struct req *r)
{
	struct user_row t;
	int st = confirm_post(r, &confirm_reset, &t);
	if (st)
		return st;
	if (t.has_password && user_clear_password(r->store, r->sess->tenant_id, t.id) < 0)
		return page_error(r, 500, NULL);
	if (send_set_password(r, &t, t.has_password ? "password-reset-by-admin" : "user-added") < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.password-reset", t.email, "ok",
	    t.has_password ? "password cleared, set-password link sent" : "set-password link sent again");
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=%s", (long long)t.id,
	    t.has_password ? "password-reset" : "invite-resent"));
}

/* GET /settings/users/ID/delete — asks to confirm `Delete user`. USERS_MANAGE; Global
 * admins: Global admins only, never the last one, never oneself. */
int
page_user_delete(struct req *r)
{
	return confirm_get(r, &confirm_delete);
}

/* POST /settings/users/ID/delete — deletes the user: their sessions end and their emailed
 * links stop working; their audit entries stay. Same rules as the GET. */
int
page_user_delete_post(struct req *r)
{
	struct user_row t;
	int st = confirm_post(r, &confirm_delete, &t);
	if (st)
		return st;
	if (user_delete(r->store, r->sess->tenant_id, t.id) < 0) {
		log_msg("rid=%s cannot delete user %lld", r->rid, (long long)t.id);
		return page_error(r, 500, NULL);
	}
	audit(r, "user.delete", t.email, "ok", arena_printf(r->a, "%s; roles: %s", t.name, roles_text(r->a, t.roles)));
	return resp_redirect(r, "/settings/users?m=user-deleted");
}

/* ---- Sign out everywhere ---- */

/* POST /settings/users/ID/sessions — ends every session of the user (every browser they
 * are signed in with; their password stays). USER_SESSIONS_END (Global admins); a user of
 * the organization only (another organization's: 404, audited). Oneself included: then
 * this browser is signed out too. */
int
page_user_sessions_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct user_row t;
	int st = target_or_status(r, &t, "user.sessions-end");
	if (st)
		return st;
	int64_t n = sessions_count(r->store, t.id);
	if (n < 0 || sessions_end_user_why(r->store, t.id, SESSION_END_BY_ADMIN) < 0)
		return page_error(r, 500, NULL);
	audit(r, "user.sessions-end", t.email, "ok", arena_printf(r->a, "%lld session(s) ended", (long long)n));
	if (t.id == r->sess->user_id) {
		resp_cookie(r, "sid", "", "/", 0);
		return resp_redirect(r, "/signin?m=signed-out");
	}
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=user-signed-out", (long long)t.id));
}

/* ---- Reset multi-factor sign-in ---- */

/* The confirmation page of the reset: the question, or why not (refusal). */
static int
mfa_reset_page(struct req *r, int status, const struct user_row *t, const char *refusal)
{
	struct tv *ctx = page_ctx(r, _("Reset multi-factor sign-in"));
	page_crumbs(ctx, "/settings/users", _("User management"), arena_printf(r->a, "/settings/users/%lld", (long long)t->id), t->name, NULL);
	struct tv *u = tv_obj(ctx, "user");
	tv_seti(u, "id", t->id);
	tv_set(u, "name", t->name);
	tv_set(u, "email", t->email);
	tv_set(ctx, "refusal", refusal);
	return page_render(r, status, "users/mfa-reset", ctx);
}

/* A Global admin's own second factor is theirs to change on their account page (turning it
 * off there asks for a code); the reset is for someone who cannot sign in with it any
 * more, which another Global admin does for a Global admin. */
static const char *
mfa_reset_self(struct req *r, const struct user_row *t)
{
	return t->id == r->sess->user_id
	    ? _("You cannot reset your own multi-factor sign-in here. Change it on your account page "
	      "(Multi-factor sign-in); if you lost your authenticator and your recovery codes, "
	      "ask another Global admin of your organization.")
	    : NULL;
}

static const char *
mfa_reset_none(struct req *r, const struct user_row *t)
{
	return arena_printf(r->a, _("%s has not set up multi-factor sign-in, so there is nothing to reset."), t->name);
}

/* GET /settings/users/ID/mfa-reset — asks to confirm `Reset multi-factor sign-in`, saying
 * what happens. MFA_RESET (Global admins), re-authentication first (F_REAUTH); a user of
 * the organization only (another organization's: 404, audited); oneself: refused (403); a
 * user without a confirmed second factor: nothing to reset (409). */
int
page_user_mfa_reset(struct req *r)
{
	struct user_row t;
	int st = target_or_status(r, &t, "mfa.reset");
	if (st)
		return st;
	const char *self = mfa_reset_self(r, &t);
	if (self != NULL)
		return mfa_reset_page(r, 403, &t, self);
	struct mfa_state ms;
	if (mfa_state(r->store, r->a, t.id, &ms) < 0)
		return page_error(r, 500, NULL);
	return ms.enabled ? mfa_reset_page(r, 200, &t, NULL) : mfa_reset_page(r, 409, &t, mfa_reset_none(r, &t));
}

/* The user's email about the reset: who did it, and whether they must set it up again at
 * their next sign-in. 0 or -1. */
static int
send_mfa_reset(struct req *r, const struct user_row *t, bool required)
{
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "email", t->email);
	tv_set(m, "name", t->name);
	tv_set(m, "org", r->sess->tenant_name);
	tv_set(m, "admin", r->sess->name);
	tv_set(m, "admin_email", r->sess->email);
	tv_set(m, "when", page_mail_time(r, t->email, now_sec()));
	tv_setb(m, "required", required);
	tv_set(m, "signin_url", arena_printf(r->a, "%s/signin", r->portal->cfg.base_url));
	tv_set(m, "account_url", arena_printf(r->a, "%s/account/mfa", r->portal->cfg.base_url));
	return page_mail(r, t->email, "mfa-reset-by-admin", m);
}

/* POST /settings/users/ID/mfa-reset — resets the user's second factor in one transaction:
 * TOTP secret, last step and recovery codes gone, set-password and reset links revoked,
 * every session ended (domain/mfa.h mfa_admin_reset), an audit entry, and an email to the
 * user. Same rules as the GET; a user without one: the page with the message, nothing
 * written. */
int
page_user_mfa_reset_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct user_row t;
	int st = target_or_status(r, &t, "mfa.reset");
	if (st)
		return st;
	const char *self = mfa_reset_self(r, &t);
	if (self != NULL) {
		audit(r, "mfa.reset", t.email, "refused", "own account");
		return mfa_reset_page(r, 403, &t, self);
	}
	int required = mfa_user_required(r->store, r->a, r->sess->tenant_id);
	int64_t ended = 0;
	int done = required < 0 ? -1 : mfa_admin_reset(r->store, r->a, t.id, &ended);
	if (done < 0)
		return page_error(r, 500, NULL);
	if (done == 0)
		return mfa_reset_page(r, 409, &t, mfa_reset_none(r, &t));
	if (send_mfa_reset(r, &t, required > 0) < 0)
		return page_error(r, 500, NULL);
	audit(r, "mfa.reset", t.email, "ok", arena_printf(r->a,
	    "second factor and recovery codes removed, %lld session(s) ended%s", (long long)ended,
	    required > 0 ? "; set up again at the next sign-in (required)" : ""));
	return resp_redirect(r, arena_printf(r->a, "/settings/users/%lld?m=mfa-reset", (long long)t.id));
}
