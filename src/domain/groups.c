/* groups.c — see groups.h. */
#include "base/i18n.h"
#include "domain/groups.h"

#include "domain/delegated.h"

const char *
group_refusal_text(enum group_refusal why)
{
	static const char *const text[GROUP__REFUSALS] = {
		[GROUP_OK] = "",
		[GROUP_NAME_TAKEN] = N_("Your organization has a group of that name. Choose another name."),
		[GROUP_NOT_MEMBER_OF_ORG] = N_("Choose one of your organization's users who is not in the group yet."),
		[GROUP_NOT_PARTNER] = N_("Only the partner of this relationship assigns its user groups."),
		[GROUP_ENDED] = N_("This relationship has ended: its access cannot be given to a group."),
	};
	return why > GROUP_OK && why < GROUP__REFUSALS ? _(text[why]) : "";
}

int
groups_of(struct store *s, struct arena *a, int64_t tenant, struct user_group_list *out)
{
	return st_groups_of(s, a, tenant, out);
}

int
group_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_group *out,
    struct user_list *members)
{
	int found = st_group_get(s, a, id, tenant, out);
	if (found <= 0 || members == NULL)
		return found;
	return st_group_members(s, a, id, members) < 0 ? -1 : 1;
}

int64_t
group_save(struct store *s, int64_t tenant, int64_t id, const char *name, int64_t now, enum group_refusal *why)
{
	*why = GROUP_OK;
	int taken = st_group_name_taken(s, tenant, name, id);
	if (taken != 0) {
		*why = GROUP_NAME_TAKEN;
		return taken < 0 ? -1 : 0;
	}
	if (id == 0)
		return st_group_create(s, tenant, name, now);
	int n = st_group_rename(s, id, tenant, name);
	return n < 0 ? -1 : n == 1 ? id : 0;
}

int
group_delete(struct store *s, int64_t id, int64_t tenant)
{
	int n = st_group_delete(s, id, tenant);
	return n < 0 ? -1 : n == 1;
}

int
group_member_set(struct store *s, int64_t id, int64_t user, bool add, enum group_refusal *why)
{
	*why = GROUP_OK;
	int n = add ? st_group_member_add(s, id, user) : st_group_member_remove(s, id, user);
	if (n == 0)
		*why = GROUP_NOT_MEMBER_OF_ORG;
	return n < 0 ? -1 : n == 1;
}

int
da_groups(struct store *s, struct arena *a, int64_t da, struct user_group_list *out)
{
	return st_da_groups(s, a, da, out);
}

int
da_group_assign(struct store *s, const struct da_row *d, const struct user_group *g, int64_t tenant, bool assign,
    int64_t now, enum group_refusal *why)
{
	*why = GROUP_OK;
	if (d->partner_tenant_id != tenant || g->tenant_id != tenant) {
		*why = GROUP_NOT_PARTNER;
		return 0;
	}
	enum da_state st = da_state_at(d, now);
	if (assign && st != DA_PENDING && st != DA_ACTIVE) {
		*why = GROUP_ENDED;
		return 0;
	}
	int n = assign ? st_da_group_assign(s, d->id, g->id) : st_da_group_unassign(s, d->id, g->id);
	return n < 0 ? -1 : n == 1;
}
