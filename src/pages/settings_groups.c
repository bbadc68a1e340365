/* settings_groups.c — Settings -> User groups (issue 13): a Global admin names groups of the
 * organization's users; a group assigned to one of the organization's delegated admin
 * relationships (on that relationship's page: delegated_admin.c) lets its members act as
 * partner under it without Admin agent. The rules are domain/groups.h's; the dispatcher
 * checked the permission (USER_GROUPS_MANAGE); another organization's group is 404, audited. */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/groups.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"

#define GROUP_USERS_MAX 500		/* users offered in the Add member list */

static const struct field name_fields[] = {
	{ "name", N_("Name"), "text", GROUP_NAME_MAX, FF_REQUIRED, NULL, N_("For example Helpdesk team."), "off" },
};

/* ctx.groups = [{ id, name, members }]. 0 or -1. */
static int
groups_tv(struct req *r, struct tv *ctx)
{
	struct user_group_list l;
	if (groups_of(r->store, r->a, r->sess->tenant_id, &l) < 0)
		return -1;
	struct tv *list = tv_list(ctx, "groups");
	for (size_t i = 0; i < l.n; i++) {
		struct tv *g = tv_push(list);
		tv_seti(g, "id", l.v[i].id);
		tv_set(g, "name", l.v[i].name);
		tv_seti(g, "members", l.v[i].members);
	}
	return 0;
}

static int
list_page(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, _("User groups"));
	if (groups_tv(r, ctx) < 0)
		return page_error(r, 500, NULL);
	form_to_tv(f, ctx);
	return page_render(r, status, "groups/list", ctx);
}

/* GET /settings/groups — the organization's groups and the form to make one. Who: USER_GROUPS_MANAGE. */
int
page_groups(struct req *r)
{
	struct form f;
	form_init(&f, name_fields, NELEM(name_fields));
	return list_page(r, 200, &f);
}

/* POST /settings/groups — name: a new group (a name the organization has not used, any case). */
int
page_groups_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, name_fields, NELEM(name_fields)) > 0)
		return list_page(r, 422, &f);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	enum group_refusal why;
	int64_t id = group_save(r->store, r->sess->tenant_id, 0, form_get(&f, "name"), now_sec(), &why);
	if (id < 0)
		return page_error(r, 500, NULL);
	if (id == 0) {
		form_fail(&f, "name", group_refusal_text(why));
		return list_page(r, 422, &f);
	}
	audit(r, "group.create", form_get(&f, "name"), "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "/settings/groups/%lld", (long long)id));
}

/* Group r->id of the organization (with its members): 0, or the answer (404 audited, 500). */
static int
load(struct req *r, struct user_group *g, struct user_list *members)
{
	return page_lookup(r, group_get(r->store, r->a, r->id, r->sess->tenant_id, g, members), "user group", r->id,
	    "not one of this organization's groups");
}

static int
group_page(struct req *r, int status, const struct user_group *g, const struct user_list *members, struct form *f,
    const char *problem)
{
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("User group '%s'"), g->name));
	page_crumbs(ctx, "/settings/groups", _("User groups"), NULL);
	tv_seti(ctx, "group_id", g->id);
	tv_set(ctx, "problem", problem);
	form_to_tv(f, ctx);
	struct tv *ml = tv_list(ctx, "members");
	for (size_t i = 0; i < members->n; i++) {
		struct tv *m = tv_push(ml);
		tv_seti(m, "uid", members->v[i].id);
		tv_set(m, "name", members->v[i].name);
		tv_set(m, "email", members->v[i].email);
	}
	/* the organization's users who are not members yet */
	struct paging pg;
	struct user_list users;
	if (users_page(r->store, r->a, r->sess->tenant_id, USER_ORDER_NAME, false, 1, GROUP_USERS_MAX, &pg, &users) < 0)
		return page_error(r, 500, NULL);
	struct tv *cl = tv_list(ctx, "candidates");
	for (size_t i = 0; i < users.n; i++) {
		bool member = false;
		for (size_t k = 0; k < members->n && !member; k++)
			member = members->v[k].id == users.v[i].id;
		if (member)
			continue;
		struct tv *c = tv_push(cl);
		tv_seti(c, "uid", users.v[i].id);
		tv_setf(c, "label", "%s (%s)", users.v[i].name, users.v[i].email);
	}
	return page_render(r, status, "groups/one", ctx);
}

/* GET /settings/groups/ID — rename, members (add, remove), delete. */
int
page_group(struct req *r)
{
	struct user_group g;
	struct user_list members;
	int st = load(r, &g, &members);
	if (st)
		return st;
	struct form f;
	form_init(&f, name_fields, NELEM(name_fields));
	form_set(&f, "name", g.name);
	return group_page(r, 200, &g, &members, &f, NULL);
}

/* The user id of the form's "user" field: > 0, or 0 when it is not a number. */
static int64_t
form_user(struct req *r)
{
	int64_t id;
	return parse_i64(req_form(r, "user"), 1, INT64_MAX, &id) == 0 ? id : 0;
}

/* POST /settings/groups/ID — action=rename (name), add (user: one of the organization's
 * users), remove (user). Each one transaction, audited. */
int
page_group_post(struct req *r)
{
	const char *action = req_form(r, "action");
	bool rename = str_eq(action, "rename"), add = str_eq(action, "add"), remove = str_eq(action, "remove");
	if (!rename && !add && !remove)
		return page_error(r, 400, NULL);
	struct form f;
	int errors = rename ? form_read(r, &f, name_fields, NELEM(name_fields)) : 0;
	if (!rename)
		form_init(&f, name_fields, NELEM(name_fields));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct user_group g;
	struct user_list members;
	int st = load(r, &g, &members);
	if (st)
		return st;
	if (!rename)
		form_set(&f, "name", g.name);
	if (errors > 0)
		return group_page(r, 422, &g, &members, &f, NULL);
	enum group_refusal why = GROUP_OK;
	if (rename) {
		int64_t n = group_save(r->store, r->sess->tenant_id, g.id, form_get(&f, "name"), now_sec(), &why);
		if (n < 0)
			return page_error(r, 500, NULL);
		if (n == 0) {
			form_fail(&f, "name", group_refusal_text(why));
			return group_page(r, 422, &g, &members, &f, NULL);
		}
		audit(r, "group.rename", g.name, "ok", arena_printf(r->a, "now '%s'", form_get(&f, "name")));
	} else {
		int64_t user = form_user(r);
		struct user_row u = { 0 };
		int found = user > 0 ? user_in_tenant(r->store, r->a, r->sess->tenant_id, user, &u) : 0;
		int n = found < 0 ? -1 : found == 0 ? 0 : group_member_set(r->store, g.id, user, add, &why);
		if (n < 0)
			return page_error(r, 500, NULL);
		if (n == 0)
			return group_page(r, 422, &g, &members, &f, group_refusal_text(GROUP_NOT_MEMBER_OF_ORG));
		audit(r, add ? "group.member-add" : "group.member-remove", u.email, "ok", arena_printf(r->a, "group '%s'", g.name));
	}
	return resp_redirect(r, arena_printf(r->a, "/settings/groups/%lld", (long long)g.id));
}

/* POST /settings/groups/ID/delete — the group, its members and its assignments go. */
int
page_group_delete_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct user_group g;
	int st = load(r, &g, NULL);
	if (st)
		return st;
	if (group_delete(r->store, g.id, r->sess->tenant_id) != 1)
		return page_error(r, 500, NULL);
	audit(r, "group.delete", g.name, "ok", NULL);
	return resp_redirect(r, "/settings/groups");
}
