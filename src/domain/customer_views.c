/* customer_views.c — what the customer pages read (customers.h): a reseller's relationship
 * with one of its providers, its customer invitations, the partners' lists of customers, one
 * customer as a partner sees it, a customer organization's own view, and the order form's
 * customer and resellers — each scoped to the signed-in organization. */
#include "domain/customers.h"

#include <string.h>

#include "base/util.h"
#include "domain/partners.h"
#include "domain/relationships.h"

/* ---- a reseller's relationship with one of its providers ---- */

const char *
cust_reseller_rel(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct cust_reseller_rel *rel)
{
	memset(rel, 0, sizeof(*rel));
	int64_t reseller;
	partner_status_of(s, tenant, PT_INDIRECT_RESELLER, &reseller);
	struct cust_provider_rel r;
	if (st_cust_provider_rel(s, a, id, &r) != 1)
		return "no such relationship";
	*rel = (struct cust_reseller_rel){ .id = r.id, .provider_id = r.provider_id, .reseller_id = r.reseller_id,
	    .provider_name = r.provider_name };
	if (reseller == 0 || rel->reseller_id != reseller)
		return "another organization's relationship";
	if (r.status != RS_ACTIVE)
		return "relationship ended";
	return NULL;
}

int64_t
cust_partners_rel(struct store *s, int64_t provider, int64_t reseller)
{
	return st_rel_active_id(s, provider, reseller);
}

/* ---- invitations ---- */

int
cust_invitation_load(struct store *s, struct arena *a, int64_t id, int64_t now, struct customer_invitation *inv)
{
	memset(inv, 0, sizeof(*inv));
	return st_cinv_get(s, a, id, now, inv);
}

int
cust_invitation_of(struct store *s, struct arena *a, int64_t tenant, int64_t id, int64_t now,
    struct customer_invitation *inv, const char **why)
{
	int64_t reseller;
	partner_status_of(s, tenant, PT_INDIRECT_RESELLER, &reseller);
	int found = cust_invitation_load(s, a, id, now, inv);
	if (found < 0)
		return -1;
	if (found == 0 || inv->reseller_id != reseller) {
		*why = found ? "another organization's invitation" : "no such invitation";
		return 0;
	}
	return 1;
}

char *
cust_invite_token(struct arena *a, int64_t id, int64_t expires)
{
	return token_make(a, TP_CUSTOMER_INVITE, id, expires);
}

int
cust_invite(struct store *s, struct customer_invitation *inv)
{
	int64_t pending = st_cinv_pending_to(s, inv->reseller_id, inv->provider_id, inv->email, inv->created_at);
	if (pending != 0)
		return pending < 0 ? -1 : 0;
	inv->id = st_cinv_insert(s, inv);
	return inv->id < 0 ? -1 : 1;
}

int
cust_invitation_revoke(struct store *s, const struct customer_invitation *inv, int64_t user, int64_t now)
{
	if (inv->state != INV_PENDING)
		return 0;
	return st_cinv_revoke(s, inv->id, inv->reseller_id, user, now);
}

int
cust_invitations_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t now,
    int64_t page, struct paging *p, struct cinv_list *out)
{
	int64_t total = st_cinv_count(s, rel->reseller_id, rel->provider_id);
	if (total < 0)
		return -1;
	*p = paging_at(total, page, REL_PAGE_SIZE);
	return st_cinv_page(s, a, rel->reseller_id, rel->provider_id, now, p, out);
}

/* ---- what the pages list ---- */

int
cust_customers_page(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc, int64_t page,
    struct paging *p, struct customer_list *out)
{
	int64_t total = st_customers_count(s, tenant);
	if (total < 0)
		return -1;
	*p = paging_at(total, page, REL_PAGE_SIZE);
	return st_customers_page(s, a, tenant, by_since, desc, p, out);
}

int
cust_shared_customers_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t page,
    struct paging *p, struct customer_list *out)
{
	int64_t total = st_shared_customers_count(s, rel->reseller_id, rel->provider_id);
	if (total < 0)
		return -1;
	*p = paging_at(total, page, REL_PAGE_SIZE);
	return st_shared_customers_page(s, a, rel->reseller_id, rel->provider_id, p, out);
}

/* The page of a cursor for either list: seek(..., seek, id, limit, out, more) is the
 * store's keyset call for the list; legacy(..., p, out) its offset call for old ?page= links. */
struct cust_list_calls {
	int (*seek)(const void *ctx, enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out, bool *more);
	int (*legacy)(const void *ctx, const struct paging *p, struct customer_list *out);
	const void *ctx;
};

static int
cursor_page(const struct cust_list_calls *k, const struct cust_cursor *c, struct cust_page *out)
{
	*out = (struct cust_page){ 0 };
	bool more = false;
	if (c->page > 1 && (c->page - 1) * REL_PAGE_SIZE > REL_SKIP_MAX)
		return cursor_page(k, &(struct cust_cursor){ CUST_LAST, 0, 0 }, out);
	if (c->page > 1) {
		/* an old ?page=N link: one row more than a page tells whether there is a next */
		struct paging p = { .page = c->page, .per_page = REL_PAGE_SIZE + 1, .offset = (c->page - 1) * REL_PAGE_SIZE };
		if (k->legacy(k->ctx, &p, &out->rows) < 0)
			return -1;
		if (out->rows.n == 0)	/* past the end: the last page */
			return cursor_page(k, &(struct cust_cursor){ CUST_LAST, 0, 0 }, out);
		out->next = out->rows.n > REL_PAGE_SIZE;
		if (out->next)
			out->rows.n = REL_PAGE_SIZE;
		out->prev = true;
		return 0;
	}
	if (k->seek(k->ctx, c->seek, c->id, REL_PAGE_SIZE, &out->rows, &more) < 0)
		return -1;
	if (!cursor_links(c->seek, more, out->rows.n, &out->prev, &out->next))
		return cursor_page(k, &(struct cust_cursor){ CUST_FIRST, 0, 0 }, out);
	return 0;
}

struct mine_ctx {
	struct store *s;
	struct arena *a;
	int64_t tenant;
	bool by_since, desc;
	const char *q;			/* issue 15: the search, NULL none */
};

static int
mine_seek(const void *ctx, enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out, bool *more)
{
	const struct mine_ctx *m = ctx;
	if (m->q != NULL)
		return st_customers_search_seek(m->s, m->a, m->tenant, m->q, m->by_since, m->desc, seek, id, limit, out, more);
	return st_customers_seek(m->s, m->a, m->tenant, m->by_since, m->desc, seek, id, limit, out, more);
}

static int
mine_legacy(const void *ctx, const struct paging *p, struct customer_list *out)
{
	const struct mine_ctx *m = ctx;
	return st_customers_page(m->s, m->a, m->tenant, m->by_since, m->desc, p, out);
}

int
cust_customers_seek(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc,
    const struct cust_cursor *c, struct cust_page *out)
{
	struct mine_ctx m = { s, a, tenant, by_since, desc, NULL };
	return cursor_page(&(struct cust_list_calls){ mine_seek, mine_legacy, &m }, c, out);
}

int
cust_customers_find(struct store *s, struct arena *a, int64_t tenant, const char *q, bool by_since, bool desc,
    const struct cust_cursor *c, struct cust_page *out)
{
	if (q == NULL || *q == '\0')
		return cust_customers_seek(s, a, tenant, by_since, desc, c, out);
	struct mine_ctx m = { s, a, tenant, by_since, desc, q };
	/* a search is new since the old ?page=N links: its pages are cursors only */
	struct cust_cursor k = { c->seek, c->id, 0 };
	return cursor_page(&(struct cust_list_calls){ mine_seek, mine_legacy, &m }, &k, out);
}

struct shared_ctx {
	struct store *s;
	struct arena *a;
	const struct cust_reseller_rel *rel;
};

static int
shared_seek(const void *ctx, enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out, bool *more)
{
	const struct shared_ctx *m = ctx;
	return st_shared_customers_seek(m->s, m->a, m->rel->reseller_id, m->rel->provider_id, seek, id, limit, out, more);
}

static int
shared_legacy(const void *ctx, const struct paging *p, struct customer_list *out)
{
	const struct shared_ctx *m = ctx;
	return st_shared_customers_page(m->s, m->a, m->rel->reseller_id, m->rel->provider_id, p, out);
}

int
cust_shared_customers_seek(struct store *s, struct arena *a, const struct cust_reseller_rel *rel,
    const struct cust_cursor *c, struct cust_page *out)
{
	struct shared_ctx m = { s, a, rel };
	return cursor_page(&(struct cust_list_calls){ shared_seek, shared_legacy, &m }, c, out);
}

/* Customer id of kind customer into c: 1, 0 when it is none (*why), -1 on error. */
static int
load_customer(struct store *s, struct arena *a, int64_t id, struct tenant_row *c, const char **why)
{
	memset(c, 0, sizeof(*c));
	int found = tenant_get(s, a, id, c);
	if (found == 0 || (found > 0 && c->kind != TENANT_CUSTOMER)) {
		*why = "no such customer";
		return 0;
	}
	return found;
}

int
cust_view_load(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct cust_view *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	int found = load_customer(s, a, id, &out->customer, why);
	if (found <= 0)
		return found;
	if (st_customer_rels_of(s, a, id, tenant, &out->rels) < 0)
		return -1;
	if (out->rels.n == 0) {
		*why = "not this organization's customer";
		return 0;
	}
	for (size_t i = 0; i < out->rels.n; i++) {
		if (out->rels.v[i].type == PT_INDIRECT_PROVIDER)
			out->as_provider = out->rels.v[i].partner_id;
		else if (out->rels.v[i].type == PT_INDIRECT_RESELLER)
			out->as_reseller = out->rels.v[i].partner_id;
	}
	if ((out->as_provider && st_shared_resellers(s, a, out->as_provider, id, &out->resellers) < 0) ||
	    (out->as_reseller && st_shared_providers(s, a, out->as_reseller, id, &out->providers) < 0) ||
	    st_subscriptions(s, a, id, tenant, &out->subs) < 0)
		return -1;
	return 1;
}

int
cust_own_partners(struct store *s, struct arena *a, int64_t customer, struct customer_partner_list *out)
{
	return st_customer_partners(s, a, customer, out);
}

int
cust_own_subscriptions(struct store *s, struct arena *a, int64_t customer, struct subscription_list *out)
{
	return st_subscriptions(s, a, customer, 0, out);
}

/* ---- the order form ---- */

int
cust_order_customer(struct store *s, struct arena *a, int64_t tenant, int64_t id, int64_t *provider,
    struct tenant_row *c, const char **why)
{
	partner_status_of(s, tenant, PT_INDIRECT_PROVIDER, provider);
	int found = load_customer(s, a, id, c, why);
	if (found <= 0)
		return found;
	int64_t rel = st_cust_rel_active(s, *provider, id);
	if (rel == 0)
		*why = "not this organization's customer";
	return rel < 0 ? -1 : rel > 0;
}

int
cust_order_resellers(struct store *s, struct arena *a, int64_t provider, int64_t customer,
    struct shared_partner_list *out)
{
	return st_shared_resellers(s, a, provider, customer, out);
}
