/* relationship_parts.c — see relationship_parts.h. */
#include "pages/relationship_parts.h"

#include <string.h>


#include "web/page.h"
#include "web/pager.h"
#include "base/i18n.h"
#include "base/util.h"
#include "domain/relcenter.h"

struct tv *
relationship_row_tv(struct req *r, struct tv *rows, const struct rel_partner_row *x)
{
	struct tv *row = tv_push(rows);
	tv_seti(row, "id", x->id);
	tv_set(row, "name", x->name);
	tv_set(row, "mpn", x->mpn);
	tv_set(row, "country", x->country);
	tv_set(row, "since_text", fmt_date(r->a, x->since));
	tv_setb(row, "admin_access", x->admin_access);
	return row;
}

int
rel_cursor_parse(struct req *r, enum cust_seek *seek, int64_t *id)
{
	const char *after = req_query(r, "after"), *before = req_query(r, "before"), *last = req_query(r, "last");
	*seek = CUST_FIRST;
	*id = 0;
	if (after != NULL)
		return (*seek = CUST_AFTER, parse_i64(after, 1, INT64_MAX, id));
	if (before != NULL)
		return (*seek = CUST_BEFORE, parse_i64(before, 1, INT64_MAX, id));
	if (last != NULL)
		return (*seek = CUST_LAST, str_eq(last, "1") ? 0 : -1);
	return 0;
}

void
rel_pager_tv(struct tv *ctx, const char *key, const char *path, const char *const *kv, const struct rel_page *pg,
    const char *label)
{
	const struct rel_partner_list *l = &pg->rows;
	cursor_pager_tv(ctx, key, path, kv, l->n ? l->v[0].id : 0, l->n ? l->v[l->n - 1].id : 0, pg->prev && l->n > 0,
	    pg->next && l->n > 0, label);
}

int
access_state_tv(struct req *r, struct tv *row, int64_t partner_tenant, int64_t customer_tenant)
{
	struct rc_access acc;
	if (rc_pair_access(r->store, r->a, partner_tenant, customer_tenant, now_sec(), &acc) < 0)
		return -1;
	bool live = acc.id != 0;
	tv_setb(row, "access_live", live);
	if (!live)
		return 0;
	bool expiring = strcmp(acc.state, "expiring") == 0;
	tv_set(row, "access_state", acc.state);
	tv_set(row, "access_tag", expiring ? "warn" : "ok");
	tv_setf(row, "access_text", expiring ? _("Expiring %s") : _("Active until %s"), fmt_date(r->a, acc.expires));
	return 0;
}
