/* access.c — see access.h. */
#include "domain/access.h"

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"

const struct role_info roles[ROLE__COUNT] = {
#define ROLE(id, bit, key, name, about) [bit] = { 1u << (bit), key, name, about },
#include "domain/roles.def"
#undef ROLE
};

const struct perm_info perms[PERM__COUNT] = {
#define PERM(id, about, mask) [PERM_##id] = { #id, about, mask },
#include "domain/perms.def"
#undef PERM
};

bool
perm_allows(enum perm p, unsigned have)
{
	if (p == PERM_PUBLIC || p == PERM_SIGNED_IN)
		return true;
	return (perms[p].roles & have) != 0;
}

bool
perm_is_operator(enum perm p)
{
	return (perms[p].roles & OP_ROLES) != 0;
}

bool
session_is_operator(const struct session *s)
{
	return s != NULL && (s->roles & OP_ROLES) != 0;
}

char *
roles_text(struct arena *a, unsigned have)
{
	struct buf b;
	buf_init(&b, a);
	if (have & OP_ROLES)		/* an operator (issue 19) */
		return arena_strdup(a, (have & OP_ROLE_ADMIN) ? _("Program team: admin") : _("Program team: reviewer"));
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_puts(&b, roles[i].name);
		}
	return b.len ? b.p : arena_strdup(a, "No roles");
}

/* issue 18: the same list in the reader's language, for pages and emails (roles_text stays
 * English: it is data in audit details, CSV files and the API). */
char *
roles_local(struct arena *a, unsigned have)
{
	struct buf b;
	buf_init(&b, a);
	if (have & OP_ROLES)
		return roles_text(a, have);
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_puts(&b, _(roles[i].name));
		}
	return b.len ? b.p : arena_strdup(a, _("No roles"));
}

bool
perm_allows_in(const struct session *s, enum perm p, int64_t tenant)
{
	if (p == PERM_PUBLIC)
		return true;
	return s != NULL && s->tenant_id == tenant && perm_allows(p, s->roles);
}

int
access_recipients(struct store *s, struct arena *a, int64_t tenant, enum perm p, struct user_list *out)
{
	unsigned mask = p == PERM_PUBLIC || p == PERM_SIGNED_IN ? ROLE_ALL : perms[p].roles;
	return st_users_with_roles(s, a, tenant, mask, out);
}
