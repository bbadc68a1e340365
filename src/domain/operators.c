/* operators.c — see operators.h. */
#include "domain/operators.h"

#include <string.h>

#include "base/util.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/link.h"

static const char *const role_keys[] = { [OP_REVIEWER] = "reviewer", [OP_ADMIN] = "admin" };

const char *
op_role_key(enum op_role r)
{
	return r > OP_NONE && r <= OP_ADMIN ? role_keys[r] : NULL;
}

int
op_role_parse(const char *key)
{
	for (int r = OP_REVIEWER; key != NULL && r <= OP_ADMIN; r++)
		if (strcmp(role_keys[r], key) == 0)
			return r;
	return -1;
}

unsigned
op_role_bits(enum op_role r)
{
	return r == OP_ADMIN ? OP_ROLE_ADMIN : r == OP_REVIEWER ? OP_ROLE_REVIEWER : 0;
}

int
operator_role_of(struct store *s, struct arena *a, int64_t user_id)
{
	const char *role;
	int found = st_operator_role(s, a, user_id, &role);
	if (found <= 0)
		return found;
	int r = op_role_parse(role);
	return r < 0 ? OP_NONE : r;
}

int
operator_team(struct store *s, struct arena *a, int64_t *id)
{
	const char *v;
	int found = st_setting_get(s, a, "operator_tenant", &v);
	if (found <= 0)
		return found;
	return parse_i64(v, 1, INT64_MAX, id) < 0 ? -1 : 1;
}

/* The program team's tenant, made (and named in program_settings) on first use. */
static int
team_id(struct store *s, struct arena *a, int64_t *id)
{
	int found = operator_team(s, a, id);
	if (found != 0)
		return found < 0 ? -1 : 0;
	*id = st_operator_team_insert(s, OPERATOR_TEAM_NAME, OPERATOR_TEAM_DOMAIN, now_sec());
	if (*id <= 0)
		return -1;
	return st_setting_set(s, "operator_tenant", arena_printf(a, "%lld", (long long)*id)) < 0 ? -1 : 0;
}

int
operator_add(struct store *s, struct arena *a, const char *email, const char *name, enum op_role role,
    int64_t *user_id)
{
	int64_t team;
	if (op_role_key(role) == NULL || team_id(s, a, &team) < 0)
		return -1;
	struct user_row u;
	const char *hash;
	int taken = st_user_by_email(s, a, email, &u, &hash);
	if (taken != 0)
		return taken < 0 ? -1 : OPERATOR_EMAIL_TAKEN;
	*user_id = st_user_insert(s, team, email, name, NULL, 0, now_sec());
	if (*user_id <= 0)
		return -1;
	return st_operator_insert(s, *user_id, op_role_key(role), now_sec());
}

int
operator_remove(struct store *s, struct arena *a, const char *email, int64_t *user_id)
{
	struct user_row u;
	const char *hash;
	int found = st_user_by_email(s, a, email, &u, &hash);
	if (found <= 0)
		return found;
	int role = operator_role_of(s, a, u.id);
	if (role <= 0)
		return role;
	*user_id = u.id;
	/* user_delete ends the sessions and the links; the operators row goes with the user. */
	return user_delete(s, u.tenant_id, u.id) < 0 ? -1 : 1;
}

int
operators_list(struct store *s, struct arena *a, struct operator_list *out)
{
	return st_operators_list(s, a, out);
}

char *
operator_link(struct store *s, struct arena *a, const char *base_url, int64_t user_id)
{
	char *token = link_issue(s, a, TP_SET_PASSWORD, user_id, OPERATOR_LINK_TTL);
	return token != NULL ? arena_printf(a, "%s/password/set?t=%s", base_url, token) : NULL;
}
