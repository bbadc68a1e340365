/* audit.c — see audit.h. */
#include "domain/audit.h"

int
audit_write(struct store *s, const struct audit_row *e)
{
	return st_audit_insert(s, e) > 0 ? 0 : -1;
}

int
audit_log_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, int64_t page,
    int64_t per_page, struct paging *pg, struct audit_list *out)
{
	int64_t total = st_audit_count(s, tenant, f);
	if (total < 0)
		return -1;
	*pg = paging_at(total, page, per_page);
	return st_audit_page(s, a, tenant, f, pg->per_page, pg->offset, out);
}

int
audit_log_choices(struct store *s, struct arena *a, int64_t tenant, struct audit_values *actors,
    struct audit_values *actions)
{
	if (st_audit_actors(s, a, tenant, actors) < 0)
		return -1;
	return st_audit_actions(s, a, tenant, actions);
}

int
audit_log_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t max,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	return st_audit_each(s, tenant, f, max, 0, fn, ctx);
}
