/* users.c — see users.h. */
#include "domain/users.h"

#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "store/db.h"
#include "base/util.h"

#define GA ROLE_MASK(GLOBAL_ADMIN)

enum user_verdict
user_change_check(const struct user_change *c)
{
	if (!perm_allows(PERM_USERS_MANAGE, c->actor_roles))
		return UV_NOT_ALLOWED;
	bool actor_ga = (c->actor_roles & GA) != 0;
	bool target_ga = (c->old_roles & GA) != 0;
	switch (c->action) {
	case UA_ADD:
		return (c->new_roles & GA) && !actor_ga ? UV_GLOBAL_ONLY : UV_OK;
	case UA_ROLES:
		if ((target_ga || (c->new_roles & GA)) && !actor_ga)
			return UV_GLOBAL_ONLY;
		if (target_ga && !(c->new_roles & GA) && c->global_admins <= 1)
			return UV_LAST_GLOBAL;
		return c->self ? UV_SELF : UV_OK;
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
	}
	return "";
}

const char *
user_verdict_text(struct arena *a, enum user_action action, enum user_verdict v, const char *name)
{
	const char *who = name != NULL && *name ? name : "This user";
	switch (v) {
	case UV_OK:
		return NULL;
	case UV_NOT_ALLOWED:
		return "Your roles do not include managing users. Ask a Global admin or a User admin.";
	case UV_GLOBAL_ONLY:
		switch (action) {
		case UA_ADD: return "Only a Global admin can grant the Global admin role. Untick it, or ask a Global admin.";
		case UA_RESET: return "Only a Global admin can reset a Global admin's password.";
		case UA_DELETE: return "Only a Global admin can delete a Global admin.";
		case UA_ROLES: break;
		}
		return "Only a Global admin can grant or remove the Global admin role, or change a Global admin's roles.";
	case UV_LAST_GLOBAL:
		return arena_printf(a, action == UA_DELETE
		    ? "%s is the organization's last Global admin and cannot be deleted. Make another user Global admin first."
		    : "%s is the organization's last Global admin and must keep that role. Make another user Global admin first.",
		    who);
	case UV_SELF:
		switch (action) {
		case UA_RESET: return "You cannot reset your own password here. Use \"Forgot your password?\" on the sign-in page.";
		case UA_DELETE: return "You cannot delete your own account. Ask another administrator.";
		default: break;
		}
		return "You cannot change your own roles. Ask another administrator.";
	}
	return NULL;
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

int
account_create(struct store *db, const struct new_account *n, int64_t *tenant_id, int64_t *user_id)
{
	int taken = 0;
	if (db_int(db, Q_TENANT_BY_DOMAIN, 0, QT(n->domain)) != 0)
		taken |= ACCOUNT_DOMAIN_TAKEN;
	if (db_int(db, Q_USER_ID_BY_EMAIL, 0, QT(n->email)) != 0)
		taken |= ACCOUNT_EMAIL_TAKEN;
	if (taken)
		return taken;
	int64_t now = now_sec();
	if (db_run(db, Q_TENANT_INSERT, QT(n->org), QT(n->domain), QT(n->country), QT(n->kind), QI(now)) != 1)
		return -1;
	*tenant_id = db_last_id(db);
	if (db_run(db, Q_USER_INSERT, QI(*tenant_id), QT(n->email), QT(n->name), QT(n->pw_hash), QI(n->roles),
	    QI(now), QI(now)) != 1)
		return -1;
	*user_id = db_last_id(db);
	return 0;
}
