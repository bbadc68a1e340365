/* relationship_parts.c — see relationship_parts.h. */
#include "pages/relationship_parts.h"

#include "web/page.h"
#include "base/util.h"

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
