/* timeline.c — see timeline.h. */
#include "domain/timeline.h"

#include <string.h>
#include "base/i18n.h"

const char *
tl_kind(const char *word)
{
	static const char *const kinds[] = { TL_RESELLER, TL_CUSTOMER, TL_DELEGATED };
	for (size_t i = 0; word != NULL && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(word, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

const char *
tl_kind_label(const char *kind)
{
	return strcmp(kind, TL_RESELLER) == 0 ? _("Provider and reseller")
	    : strcmp(kind, TL_CUSTOMER) == 0 ? _("Partner and customer") : _("Delegated admin");
}

int
tl_open(struct store *s, struct arena *a, const char *kind, int64_t id, int64_t tenant, struct tl_rel *out,
    const char **why)
{
	*out = (struct tl_rel){ .kind = tl_kind(kind), .id = id };
	if (out->kind == NULL) {
		*why = "no such kind of relationship";
		return 0;
	}
	int found = st_rel_sides(s, a, out->kind, id, &out->sides);
	if (found <= 0) {
		*why = "no such relationship";
		return found;
	}
	if (out->sides.a_tenant != tenant && out->sides.b_tenant != tenant) {
		*why = "a relationship of other organizations";
		return 0;
	}
	int64_t since = st_rel_links_since(s);
	if (since < 0)
		return -1;
	out->predates = out->sides.since < since;
	return 1;
}

const char *
tl_log_of(const struct tl_rel *rel, const struct audit_row *e)
{
	return e->tenant_id == rel->sides.a_tenant ? rel->sides.a_name
	    : e->tenant_id == rel->sides.b_tenant ? rel->sides.b_name : "";
}

int64_t
tl_customer_rel(struct store *s, int64_t partner, int64_t customer)
{
	return partner > 0 && customer > 0 ? st_cust_rel_active(s, partner, customer) : 0;
}

int
tl_adopt(struct store *s, const char *inv_kind, int64_t inv_id, const char *kind, int64_t rel)
{
	if (inv_id <= 0 || rel <= 0)
		return 0;
	return st_rel_relink(s, inv_kind, inv_id, kind, rel) < 0 ? -1 : 0;
}

int
tl_page(struct store *s, struct arena *a, const struct tl_rel *rel, int64_t before, int64_t per_page,
    struct audit_list *out, bool *older)
{
	/* one more than a page: whether older ones follow */
	if (st_rel_events(s, a, rel->kind, rel->id, rel->sides.a_tenant, rel->sides.b_tenant, before, per_page + 1, out) < 0)
		return -1;
	*older = (int64_t)out->n > per_page;
	if (*older)
		out->n = (size_t)per_page;
	return 0;
}

int
tl_each(struct store *s, const struct tl_rel *rel, int (*fn)(void *ctx, const struct audit_row *row), void *ctx)
{
	return st_rel_events_each(s, rel->kind, rel->id, rel->sides.a_tenant, rel->sides.b_tenant, TL_EXPORT_MAX, fn, ctx);
}
