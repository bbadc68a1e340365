/* audit.c — see audit.h. */
#include "base/i18n.h"
#include "domain/audit.h"

int
audit_write(struct store *s, const struct audit_row *e)
{
	return st_audit_insert(s, e) > 0 ? 0 : -1;
}

/* 1 when tenant has an entry matching f on the seek side of id x, 0 when not, -1 on error. */
static int
any_beyond(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, enum audit_seek seek,
    int64_t x)
{
	struct audit_list one;
	if (st_audit_page(s, a, tenant, f, seek, x, 1, &one) < 0)
		return -1;
	return one.n > 0;
}

int
audit_log_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f,
    const struct audit_cursor *c, int64_t per_page, struct audit_page *out)
{
	*out = (struct audit_page){ 0 };
	struct audit_list *l = &out->rows;
	enum audit_seek seek = c->seek;
	int64_t x = c->x < 0 ? 0 : c->x;
	/* one more than a page: whether there is more on the side the page was read towards */
	if (st_audit_page(s, a, tenant, f, seek, x, per_page + 1, l) < 0)
		return -1;
	if (seek == AUDIT_NEWER_THAN && (int64_t)l->n <= per_page && x > 0) {
		/* reached the newest end: the newest page, in full */
		seek = AUDIT_OLDER_THAN;
		x = 0;
		if (st_audit_page(s, a, tenant, f, seek, x, per_page + 1, l) < 0)
			return -1;
	}
	bool more = (int64_t)l->n > per_page;
	if (more)
		l->n = (size_t)per_page;
	int other;
	if (seek == AUDIT_NEWER_THAN) {
		/* read oldest first: newest first for the page */
		for (size_t i = 0; i < l->n / 2; i++) {
			struct audit_row t = l->v[i];
			l->v[i] = l->v[l->n - 1 - i];
			l->v[l->n - 1 - i] = t;
		}
		out->newer = more;
		other = l->n > 0 && x > 0 ? any_beyond(s, a, tenant, f, AUDIT_OLDER_THAN, l->v[l->n - 1].id) : 0;
		out->older = other == 1;
	} else {
		out->older = more;
		if (seek == AUDIT_OFFSET)
			other = x > 0;
		else if (x == 0)
			other = 0;
		else
			other = any_beyond(s, a, tenant, f, AUDIT_NEWER_THAN, l->n > 0 ? l->v[0].id : x - 1);
		out->newer = other == 1;
	}
	if (other < 0)
		return -1;
	out->count = st_audit_count(s, tenant, f, AUDIT_COUNT_CAP);
	out->capped = out->count >= AUDIT_COUNT_CAP;
	return out->count < 0 ? -1 : 0;
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
	return st_audit_each(s, tenant, f, max, fn, ctx);
}
