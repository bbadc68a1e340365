/* compliance.c — see compliance.h. */
#include "base/i18n.h"
#include "domain/compliance.h"

#include <string.h>

enum mfa_filter
mfa_filter_parse(const char *key)
{
	if (key != NULL && strcmp(key, "with") == 0)
		return MFA_WITH;
	if (key != NULL && strcmp(key, "without") == 0)
		return MFA_WITHOUT;
	return MFA_ALL;
}

const char *
mfa_filter_key(enum mfa_filter f)
{
	return f == MFA_WITH ? "with" : f == MFA_WITHOUT ? "without" : "all";
}

int
mfa_totals(struct store *s, int64_t tenant, int64_t *users, int64_t *with_mfa)
{
	return st_mfa_totals(s, tenant, users, with_mfa);
}

int
mfa_users_page(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, int64_t page, int64_t per_page,
    struct paging *pg, struct mfa_status_list *out)
{
	int64_t total = st_mfa_count(s, tenant, f);
	if (total < 0)
		return -1;
	*pg = paging_at(total, page, per_page);
	return st_mfa_page(s, a, tenant, f, pg, out);
}

int
mfa_users_all(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, struct mfa_status_list *out)
{
	int64_t total = st_mfa_count(s, tenant, f);
	if (total < 0)
		return -1;
	struct paging all = paging_at(total, 1, total > 0 ? total : 1);
	return st_mfa_page(s, a, tenant, f, &all, out);
}
