/* accounts.c — see accounts.h. */
#include "base/i18n.h"
#include "domain/accounts.h"
#include "domain/webhooks.h"

#include <string.h>

#include "base/util.h"
#include "domain/link.h"
#include "domain/session.h"

#define GA ROLE_MASK(GLOBAL_ADMIN)

/* ---- the user-management rule ---- */

enum user_verdict
user_change_check(const struct user_change *c)
{
	if (!perm_allows(PERM_USERS_MANAGE, c->actor_roles))
		return UV_NOT_ALLOWED;
	bool actor_ga = (c->actor_roles & GA) != 0;
	bool target_ga = (c->old_roles & GA) != 0;
	unsigned beyond = ~user_roles_grantable(c->actor_roles) & ROLE_ALL;
	switch (c->action) {
	case UA_ADD:
		if ((c->new_roles & ROLE_ALL) == 0)
			return UV_NO_ROLE;
		if ((c->new_roles & GA) && !actor_ga)
			return UV_GLOBAL_ONLY;
		return c->new_roles & beyond ? UV_NOT_HELD : UV_OK;
	case UA_ROLES:
		if ((target_ga || (c->new_roles & GA)) && !actor_ga)
			return UV_GLOBAL_ONLY;
		if (target_ga && !(c->new_roles & GA) && c->global_admins <= 1)
			return UV_LAST_GLOBAL;
		if (c->self)
			return UV_SELF;
		return ((c->old_roles ^ c->new_roles) & ROLE_ALL & beyond) ? UV_NOT_HELD : UV_OK;
	case UA_RESET:
		if (target_ga && !actor_ga)
			return UV_GLOBAL_ONLY;
		return c->self ? UV_SELF : UV_OK;
	case UA_DELETE:
		if (target_ga && !actor_ga)
			return UV_GLOBAL_ONLY;
		if (target_ga && c->global_admins <= 1)
			return UV_LAST_GLOBAL;
		return c->self ? UV_SELF : UV_OK;
	}
	return UV_NOT_ALLOWED;
}

const char *
user_verdict_code(enum user_verdict v)
{
	switch (v) {
	case UV_OK: return "";
	case UV_NOT_ALLOWED: return "role";
	case UV_GLOBAL_ONLY: return "Global admin only";
	case UV_LAST_GLOBAL: return "last Global admin";
	case UV_SELF: return "own account";
	case UV_NOT_HELD: return "role not held";
	case UV_NO_ROLE: return "no role";
	}
	return "";
}

const char *
user_verdict_text(struct arena *a, enum user_action action, enum user_verdict v, const char *name)
{
	const char *who = name != NULL && *name ? name : _("This user");
	switch (v) {
	case UV_OK:
		return NULL;
	case UV_NOT_ALLOWED:
		return _("Your roles do not include managing users. Ask a Global admin or a User admin.");
	case UV_GLOBAL_ONLY:
		switch (action) {
		case UA_ADD: return _("Only a Global admin can grant the Global admin role. Untick it, or ask a Global admin.");
		case UA_RESET: return _("Only a Global admin can reset a Global admin's password.");
		case UA_DELETE: return _("Only a Global admin can delete a Global admin.");
		case UA_ROLES: break;
		}
		return _("Only a Global admin can grant or remove the Global admin role, or change a Global admin's roles.");
	case UV_LAST_GLOBAL:
		return arena_printf(a, action == UA_DELETE
		    ? _("%s is the organization's last Global admin and cannot be deleted. Make another user Global admin first.")
		    : _("%s is the organization's last Global admin and must keep that role. Make another user Global admin first."),
		    who);
	case UV_SELF:
		switch (action) {
		case UA_RESET: return _("You cannot reset your own password here. Use \"Forgot your password?\" on the sign-in page.");
		case UA_DELETE: return _("You cannot delete your own account. Ask another administrator.");
		default: break;
		}
		return _("You cannot change your own roles. Ask another administrator.");
	case UV_NOT_HELD:
		return action == UA_ADD
		    ? _("You can grant only roles you hold yourself. Untick the others, or ask a Global admin.")
		    : _("You can grant or remove only roles you hold yourself. Ask a Global admin for the others.");
	case UV_NO_ROLE:
		return _("Choose at least one role: a user without a role can do nothing in the portal.");
	}
	return NULL;
}

int
user_facts_read(struct store *s, struct arena *a, const struct session *actor, bool stored_roles,
    struct user_facts *out)
{
	*out = (struct user_facts){ .actor_id = actor->user_id, .tenant_id = actor->tenant_id,
	    .actor_roles = actor->roles & ROLE_ALL };
	if (stored_roles) {
		/* The roles as stored now; an actor deleted meanwhile has none. */
		struct user_row me;
		int found = st_user_get(s, a, actor->user_id, &me);
		if (found < 0)
			return -1;
		out->actor_roles = found ? me.roles & ROLE_ALL : 0;
		/* A partner acting here under a delegated admin grant (issue 13) holds the grant's
		 * roles, which the dispatcher has just checked again: not its own organization's. */
		if (found && me.tenant_id != actor->tenant_id)
			out->actor_roles = actor->roles & ROLE_ALL;
	}
	int64_t n = st_users_count_with_roles(s, actor->tenant_id, GA);
	if (n < 0)
		return -1;
	out->global_admins = (int)n;
	return 0;
}

enum user_verdict
user_decide(const struct user_facts *f, enum user_action action, const struct user_row *target, unsigned new_roles)
{
	struct user_change c = {
		.action = action,
		.actor_roles = f->actor_roles,
		.self = target != NULL && target->id == f->actor_id,
		.old_roles = target ? target->roles & ROLE_ALL : 0,
		.new_roles = new_roles,
		.global_admins = f->global_admins,
	};
	return user_change_check(&c);
}

unsigned
user_roles_grantable(unsigned actor_roles)
{
	return actor_roles & GA ? ROLE_ALL : actor_roles & ROLE_ALL & ~GA;
}

bool
user_role_grantable(unsigned actor_roles, int i)
{
	return i >= 0 && i < ROLE__COUNT && (roles[i].mask & user_roles_grantable(actor_roles)) != 0;
}

unsigned
user_roles_asked(unsigned actor_roles, unsigned stored, unsigned ticked)
{
	return (ticked | (stored & ~user_roles_grantable(actor_roles))) & ROLE_ALL;
}

int
roles_from_keys(const char *const *keys, size_t n, unsigned *out)
{
	unsigned bits = 0;
	for (size_t i = 0; i < n; i++) {
		int found = -1;
		for (int k = 0; k < ROLE__COUNT; k++)
			if (keys[i] != NULL && strcmp(keys[i], roles[k].key) == 0)
				found = k;
		if (found < 0)
			return -1;
		bits |= roles[found].mask;
	}
	*out = bits;
	return 0;
}

/* ---- an organization's users ---- */

enum user_order
users_order_parse(const char *key)
{
	return key != NULL && strcmp(key, "email") == 0 ? USER_ORDER_EMAIL : USER_ORDER_NAME;
}

const char *
users_order_key(enum user_order o)
{
	return o == USER_ORDER_EMAIL ? "email" : "name";
}

int
users_page(struct store *s, struct arena *a, int64_t tenant, enum user_order order, bool desc, int64_t page,
    int64_t per_page, struct paging *pg, struct user_list *out)
{
	int64_t total = st_users_count(s, tenant);
	if (total < 0)
		return -1;
	*pg = paging_at(total, page, per_page);
	return st_users_page(s, a, tenant, order, desc, pg, out);
}

int
users_find(struct store *s, struct arena *a, int64_t tenant, const char *q, enum user_order order, bool desc,
    int64_t page, int64_t per_page, struct paging *pg, struct user_list *out)
{
	if (q == NULL || *q == '\0')
		return users_page(s, a, tenant, order, desc, page, per_page, pg, out);
	int64_t total = st_users_search_count(s, a, tenant, q);
	if (total < 0)
		return -1;
	*pg = paging_at(total, page, per_page);
	return st_users_search_page(s, a, tenant, q, order, desc, pg, out);
}

int
user_in_tenant(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct user_row *out)
{
	int found = st_user_in_tenant(s, a, id, tenant, out);
	if (found == 1)
		out->roles &= ROLE_ALL;
	return found;
}

/* Whether any account signs in with email: 1, 0, or -1. */
static int
email_taken(struct store *s, struct arena *a, const char *email)
{
	struct user_row u;
	const char *hash;
	return st_user_by_email(s, a, email, &u, &hash);
}

int
user_add(struct store *s, struct arena *a, int64_t tenant, const char *name, const char *email, unsigned have,
    int64_t *id)
{
	struct user_row u;
	const char *hash;
	int taken = st_user_by_email(s, a, email, &u, &hash);
	if (taken < 0)
		return -1;
	if (taken > 0) {
		*id = u.id;
		return u.tenant_id == tenant ? USER_EMAIL_TAKEN : USER_EMAIL_ELSEWHERE;
	}
	*id = st_user_insert(s, tenant, email, name, NULL, have, now_sec());
	if (*id <= 0)
		return -1;
	return webhook_enqueue(s, tenant, WH_USER_ADDED, now_sec(),
	    json_pack("{s:I, s:s?, s:s?, s:I}", "user_id", (json_int_t)*id, "name", name, "email", email, "roles", (json_int_t)have));
}

int
user_set_roles(struct store *s, int64_t tenant, int64_t id, unsigned have)
{
	if (st_user_set_roles(s, id, tenant, have) != 1)
		return -1;
	return sessions_end_user_why(s, id, SESSION_END_ROLES);
}

int
user_clear_password(struct store *s, int64_t tenant, int64_t id)
{
	if (st_user_clear_password(s, id, tenant, now_sec()) != 1 || sessions_end_user(s, id) < 0)
		return -1;
	return account_links_revoke(s, id);
}

int
user_delete(struct store *s, int64_t tenant, int64_t id)
{
	if (link_revoke(s, TP_SET_PASSWORD, id) < 0 || link_revoke(s, TP_PASSWORD_RESET, id) < 0 ||
	    sessions_end_user(s, id) < 0)
		return -1;
	struct arena a;
	struct user_row u;
	arena_init(&a, 0);
	int found = st_user_in_tenant(s, &a, id, tenant, &u);
	json_t *data = found == 1 ? json_pack("{s:I, s:s?, s:s?}", "user_id", (json_int_t)id, "name", u.name, "email", u.email)
	    : NULL;
	arena_free(&a);
	if (found != 1 || st_user_delete(s, id, tenant) != 1) {
		json_decref(data);
		return -1;
	}
	return webhook_enqueue(s, tenant, WH_USER_REMOVED, now_sec(), data);
}

/* ---- new work accounts ---- */

int
account_create(struct store *db, const struct new_account *n, int64_t *tenant_id, int64_t *user_id)
{
	int taken = 0;
	struct arena a;
	arena_init(&a, 0);
	int64_t tenant = st_tenant_by_domain(db, n->domain);
	int user = email_taken(db, &a, n->email);
	arena_free(&a);
	if (tenant < 0 || user < 0)
		return -1;
	if (tenant != 0)
		taken |= ACCOUNT_DOMAIN_TAKEN;
	if (user != 0)
		taken |= ACCOUNT_EMAIL_TAKEN;
	if (taken)
		return taken;
	int64_t now = now_sec();
	*tenant_id = st_tenant_insert(db, n->org, n->domain, n->country, n->kind, now);
	if (*tenant_id <= 0)
		return -1;
	*user_id = st_user_insert(db, *tenant_id, n->email, n->name, n->pw_hash, n->roles, now);
	return *user_id > 0 ? 0 : -1;
}

/* ---- Create one, confirmed by email ---- */

int
signup_request(struct store *s, struct arena *a, struct signup_request *r, char **token)
{
	*token = NULL;
	int64_t tenant = st_tenant_by_domain(s, r->domain);
	int user = email_taken(s, a, r->email);
	if (tenant < 0 || user < 0)
		return -1;
	if (tenant != 0)
		return SIGNUP_DOMAIN_TAKEN;
	if (user != 0)
		return SIGNUP_EMAIL_TAKEN;
	r->created_at = now_sec();
	r->expires_at = r->created_at + SIGNUP_TTL;
	r->id = st_signup_insert(s, r);
	if (r->id <= 0)
		return -1;
	*token = link_issue(s, a, TP_SIGNUP_CONFIRM, r->id, SIGNUP_TTL);
	return *token != NULL ? SIGNUP_SENT : -1;
}

const char *
signup_check(struct store *s, struct arena *a, const char *text, struct signup_request *out, struct token *t)
{
	int64_t id = 0;
	const char *why = link_check(s, text, TP_SIGNUP_CONFIRM, &id, t);
	if (why != NULL)
		return why;
	int found = st_signup_get(s, a, id, out);
	if (found <= 0 || out->expires_at <= now_sec())
		return _("This link is no longer valid. Fill in Create one again.");
	return NULL;
}

int
signup_confirm(struct store *s, const struct token *t, const struct signup_request *r, int64_t *tenant_id,
    int64_t *user_id)
{
	if (!link_use(s, t))
		return store_failed(s) ? -1 : SIGNUP_LINK_USED;
	struct new_account n = { r->org, r->domain, r->country, r->kind, r->name, r->email, r->pw_hash, FIRST_USER_ROLES };
	int taken = account_create(s, &n, tenant_id, user_id);
	if (taken != 0)
		return taken;
	return st_signup_delete(s, r->id) == 1 ? 0 : -1;
}

int
signup_requests_purge(struct store *s, int64_t now)
{
	if (store_begin_write(s) < 0)
		return -1;
	int n = st_signup_purge(s, now);
	if (n < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s) < 0 ? -1 : n;
}

/* ---- signing in and passwords ---- */

int
account_by_email(struct store *s, struct arena *a, const char *email, struct user_row *out, const char **pw_hash)
{
	return st_user_by_email(s, a, email, out, pw_hash);
}

int
account_user(struct store *s, struct arena *a, int64_t id, struct user_row *out)
{
	return st_user_get(s, a, id, out);
}

int
account_with_org(struct store *s, struct arena *a, int64_t id, struct user_row *out, const char **org)
{
	int found = st_user_get(s, a, id, out);
	if (found != 1)
		return found;
	struct tenant_row t;
	found = st_tenant_get(s, a, out->tenant_id, &t);
	if (found == 1)
		*org = t.name;
	return found;
}

int
account_password_hash(struct store *s, struct arena *a, int64_t id, const char **pw_hash)
{
	return st_user_password_hash(s, a, id, pw_hash);
}

int
account_set_password(struct store *s, int64_t id, const char *pw_hash)
{
	return st_user_set_password(s, id, pw_hash, now_sec()) == 1 ? 0 : -1;
}

int
account_links_revoke(struct store *s, int64_t id)
{
	return link_revoke(s, TP_PASSWORD_RESET, id) < 0 || link_revoke(s, TP_SET_PASSWORD, id) < 0 ? -1 : 0;
}

int
account_change_password(struct store *s, int64_t id, const char *pw_hash)
{
	return account_set_password(s, id, pw_hash) < 0 ? -1 : account_links_revoke(s, id);
}

int
account_password_by_link(struct store *s, const struct token *t, int64_t id, const char *pw_hash)
{
	if (!link_use(s, t))
		return store_failed(s) ? -1 : LINK_PASSWORD_USED;
	if (account_change_password(s, id, pw_hash) < 0 || sessions_end_user(s, id) < 0)
		return -1;
	return LINK_PASSWORD_SET;
}
