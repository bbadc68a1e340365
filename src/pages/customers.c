/* customers.c — Customers (SPEC §2.6): a partner's customers and one customer with the
 * subscriptions placed through this partner; a customer organization's own partners and
 * subscriptions; and a reseller's View customers for one of its indirect providers.
 *
 * Multi-partner: a customer may have many partners, and each partner organization sees only
 * its own customer relationships and the subscriptions it took part in (as the provider that
 * ordered, or the reseller it ordered for). Another organization's customer answers 404 and is
 * written to the audit log. */
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/agreement.h"
#include "domain/customers.h"
#include "domain/partners.h"
#include "domain/relationships.h"
#include "domain/words.h"
#include "pages/customers.h"
#include "pages/relationship_parts.h"
#include "web/http.h"
#include "domain/delegated.h"
#include "web/page.h"
#include "web/pager.h"

/* A subscription's state as a tag: its words and CSS class. */
static const struct {
	const char *words, *tag;
} sub_states[SUB__COUNT] = {
	[SUB_ACTIVE] = { N_("Active"), "ok" },
	[SUB_SUSPENDED] = { N_("Suspended"), "warn" },
	[SUB_CANCELLED] = { N_("Cancelled"), "muted" },
};

/* ctx.<key> = the subscriptions, newest first. */
static void
add_subscriptions(struct req *r, struct tv *ctx, const char *key, const struct subscription_list *subs)
{
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < subs->n; i++) {
		const struct subscription_row *s = &subs->v[i];
		struct tv *row = tv_push(list);
		tv_seti(row, "id", s->id);
		tv_set(row, "offer_id", s->offer_id);
		tv_set(row, "offer", s->offer);
		tv_set(row, "unit", s->unit);
		tv_seti(row, "quantity", s->quantity);
		tv_set(row, "reseller", s->reseller);
		tv_set(row, "mpn_id", s->mpn_id);
		tv_set(row, "provider", s->provider);
		tv_set(row, "ordered_by", s->ordered_by);
		tv_set(row, "ordered_text", fmt_date(r->a, s->created_at));
		tv_set(row, "status_text", _(sub_states[s->status].words));
		tv_set(row, "tag", sub_states[s->status].tag);
	}
}

/* ---- a customer organization's own view ---- */

/* /customers for a customer organization: all of its partners (the Global admin and every
 * user with CUSTOMERS_VIEW see them all) and all of its subscriptions. */
static int
customer_own_page(struct req *r)
{
	struct customer_partner_list partners;
	struct subscription_list subs;
	if (cust_own_partners(r->store, r->a, r->sess->tenant_id, &partners) < 0 ||
	    cust_own_subscriptions(r->store, r->a, r->sess->tenant_id, &subs) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Your partners"));
	tv_set(ctx, "org", r->sess->tenant_name);
	struct tv *list = tv_list(ctx, "partners");
	for (size_t i = 0; i < partners.n; i++) {
		const struct customer_partner *p = &partners.v[i];
		struct tv *row = tv_push(list);
		tv_seti(row, "id", p->rel_id);
		tv_set(row, "name", p->name);
		tv_set(row, "type_text", partner_type_label(p->type));
		tv_set(row, "country", p->country);
		tv_set(row, "since_text", fmt_date(r->a, p->since));
		tv_setb(row, "delegated_admin", p->delegated_admin);
		/* issue 13: the pair's live delegated admin grant, not the stored flag */
		if (access_state_tv(r, row, p->tenant_id, r->sess->tenant_id) < 0)
			return page_error(r, 500, NULL);
		tv_set(row, "mpn", p->mpn);
		tv_set(row, "email", p->support_email);
		tv_set(row, "website", p->support_website);
	}
	add_subscriptions(r, ctx, "subscriptions", &subs);
	return page_render(r, 200, "customers/mine", ctx);
}

/* ---- a partner's customers ---- */

/* The partner's part with a customer: "Indirect reseller", "Indirect provider", or both. */
static const char *
roles_words(const struct customer_row *c)
{
	return c->as_reseller && c->as_provider ? _("Reseller and indirect provider")
	    : c->as_reseller ? partner_type_label(PT_INDIRECT_RESELLER)
	    : c->as_provider ? partner_type_label(PT_INDIRECT_PROVIDER) : _("Partner");
}

/* ctx.customers: a partner's list of customers (as_text: through which of its accounts,
 * when with_roles). */
static int
add_customers(struct req *r, struct tv *ctx, const struct customer_list *customers, bool with_roles)
{
	struct tv *rows = tv_list(ctx, "customers");
	for (size_t i = 0; i < customers->n; i++) {
		const struct customer_row *c = &customers->v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", c->id);
		tv_set(row, "name", c->name);
		tv_set(row, "country", c->country);
		tv_set(row, "since_text", fmt_date(r->a, c->since));
		if (with_roles)
			tv_set(row, "as_text", roles_words(c));
		tv_setb(row, "delegated_admin", c->delegated_admin);
		if (access_state_tv(r, row, r->sess->tenant_id, c->id) < 0)
			return -1;
		tv_seti(row, "subscriptions", c->subscriptions);
	}
	return 0;
}

/* ctx.invite_href (issue 15, item 11): where Invite customer leads an approved reseller's
 * user who may invite customers — the form of its only indirect provider, or Indirect
 * providers to choose one (none: nothing, as there is no one to invite with). 0 or -1. */
static int
invite_tv(struct req *r, struct tv *ctx, int64_t reseller)
{
	if (!route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]))
		return 0;
	struct rel_page first;
	struct rel_list l = { REL_SORT_NAME, false, 1 };
	if (rel_providers_seek(r->store, r->a, reseller, &l, CUST_FIRST, 0, &first) < 0)
		return -1;
	if (first.rows.n == 1)
		tv_setf(ctx, "invite_href", "/providers/%lld/invite-customer", (long long)first.rows.v[0].id);
	else if (first.rows.n > 1)
		tv_set(ctx, "invite_href", "/providers");
	return 0;
}

/* The cursor of a customer list from ?after=ID, ?before=ID or ?last=1 (the cursor pager's
 * links), else an old ?page=N link (page, already parsed), else the first page. 0, or -1
 * for a value that is not an id (the caller answers 400). */
static int
read_cursor(struct req *r, int64_t page, struct cust_cursor *c)
{
	const char *after = req_query(r, "after"), *before = req_query(r, "before"), *last = req_query(r, "last");
	*c = (struct cust_cursor){ CUST_FIRST, 0, 0 };
	if (after != NULL)
		return (c->seek = CUST_AFTER, parse_i64(after, 1, INT64_MAX, &c->id));
	if (before != NULL)
		return (c->seek = CUST_BEFORE, parse_i64(before, 1, INT64_MAX, &c->id));
	if (last != NULL)
		return (c->seek = CUST_LAST, str_eq(last, "1") ? 0 : -1);
	c->page = page;
	return 0;
}

/* ctx.<key>: the First / Previous / Next / Last links of a page of customers. */
static void
customers_pager(struct tv *ctx, const char *key, const char *path, const char *const *kv, const struct cust_page *cp,
    const char *label)
{
	const struct customer_list *l = &cp->rows;
	cursor_pager_tv(ctx, key, path, kv, l->n ? l->v[0].id : 0, l->n ? l->v[l->n - 1].id : 0, cp->prev && l->n > 0,
	    cp->next && l->n > 0, label);
}

/* GET /customers — ?sort=name|since&dir=asc|desc and ?after=ID|before=ID|last=1 (a First /
 * Previous / Next / Last pager on a cursor: no page numbers, which cannot be fast at a hundred
 * thousand customers; old ?page=N links still work). A partner organization's customers
 * (name, country, as what, since, delegated administration, subscriptions it took part in);
 * a customer organization's partners and subscriptions. Who: CUSTOMERS_VIEW. */
int
page_customers(struct req *r)
{
	if (r->sess->tenant_kind == TENANT_CUSTOMER)
		return customer_own_page(r);
	struct rel_list l;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0)
		return page_error(r, 400, NULL);
	int64_t provider, reseller;
	int ps = partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_PROVIDER, &provider);
	int rs = partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_RESELLER, &reseller);
	struct cust_cursor cur;
	bool bad;
	const char *q = search_param(r->a, req_query(r, "q"), &bad);
	if (read_cursor(r, l.page, &cur) < 0 || bad)
		return page_error(r, 400, NULL);
	struct cust_page cp;
	if (cust_customers_find(r->store, r->a, r->sess->tenant_id, q, l.sort == REL_SORT_SINCE, l.desc, &cur, &cp) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Customers"));
	tv_setb(ctx, "is_provider", ps == PA_APPROVED);
	tv_setb(ctx, "is_reseller", rs == PA_APPROVED);
	tv_setb(ctx, "in_program", provider != 0 || reseller != 0);
	if (add_customers(r, ctx, &cp.rows, true) < 0)
		return page_error(r, 500, NULL);
	if (rs == PA_APPROVED && invite_tv(r, ctx, reseller) < 0)
		return page_error(r, 500, NULL);
	const char *keep_q[] = { "q", q, NULL };
	sort_headers_kv_tv(ctx, "/customers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc, keep_q);
	const char *keep[] = { "sort", l.sort == REL_SORT_SINCE ? "since" : "name", "dir", l.desc ? "desc" : "asc", "q", q, NULL };
	customers_pager(ctx, "pager", "/customers", keep, &cp, _("Pages of customers"));
	search_tv(ctx, "/customers", q, _("Search customers"), _("Part of a customer's name or primary domain."), keep);
	return page_render(r, 200, "customers/list", ctx);
}

/* ---- one customer ---- */

/* ctx.relationships: this organization's own relationships with the customer. */
static void
add_relationships(struct req *r, struct tv *ctx, const struct customer_rel_list *rels)
{
	struct tv *list = tv_list(ctx, "relationships");
	for (size_t i = 0; i < rels->n; i++) {
		const struct customer_rel_row *rel = &rels->v[i];
		struct tv *row = tv_push(list);
		tv_set(row, "as", partner_type_words(rel->type == PT_DIRECT_BILL ? PT__COUNT : rel->type));
		tv_set(row, "since", fmt_date(r->a, rel->since));
		tv_setb(row, "delegated_admin", rel->delegated_admin);
		tv_set(row, "invited_by", rel->invited_by);
		tv_set(row, "accepted_by", rel->accepted_by);
		tv_setb(row, "by_operator", rel->invitation_id == 0);
		/* issue 13: the relationship's timeline */
		if (route_allows(r->sess, &routes[R_REL_TIMELINE_CUSTOMER]))
			tv_setf(row, "timeline", "/relationships/customer/%lld", (long long)rel->id);
	}
}

/* ctx.resellers: the resellers a provider shares the customer with, their agreement
 * standing, and Place order when the user may order. */
static void
add_shared_resellers(struct req *r, struct tv *ctx, const struct shared_partner_list *resellers)
{
	bool can_order = route_allows(r->sess, &routes[R_ORDER_POST]);
	tv_setb(ctx, "as_provider", true);
	tv_setb(ctx, "can_order", can_order);
	struct tv *list = tv_list(ctx, "resellers");
	for (size_t i = 0; i < resellers->n; i++) {
		struct agreement_view v;
		struct tv *row = cust_reseller_tv(r, list, &resellers->v[i], &v);
		tv_set(row, "agreement_detail", v.detail);
		tv_set(row, "agreement_tag", v.tag);
		tv_setb(row, "can_order", can_order);
	}
}

struct tv *
cust_reseller_tv(struct req *r, struct tv *list, const struct shared_partner *s, struct agreement_view *v)
{
	agreement_reseller_view(r->store, r->a, s->tenant_id, v);
	struct tv *row = tv_push(list);
	tv_seti(row, "id", s->account_id);
	tv_seti(row, "tenant_id", s->tenant_id);
	tv_set(row, "name", s->name);
	tv_set(row, "mpn", s->mpn);
	tv_set(row, "agreement", _(v->words));	/* agreement.c's words, in the catalog */
	return row;
}

/* GET /customers/ID — one customer as this partner organization sees it: the customer, its
 * relationships with this organization (since, delegated administration, who invited and who
 * accepted), the partners it shares the customer with (a provider: its resellers, with their
 * agreement status and `Place order`; a reseller: its providers), and the subscriptions
 * placed through this organization. Who: CUSTOMERS_VIEW of a partner related to the customer. */
int
page_customer(struct req *r)
{
	struct cust_view v;
	const char *why = NULL;
	int found = cust_view_load(r->store, r->a, r->id, r->sess->tenant_id, &v, &why);
	int st = page_lookup(r, found, "customer", r->id, why);
	if (st)
		return st;
	struct tv *ctx = page_ctx(r, v.customer.name);
	page_crumbs(ctx, "/customers", _("Customers"), NULL);
	struct tv *co = tv_obj(ctx, "customer");
	tv_seti(co, "id", v.customer.id);
	tv_set(co, "name", v.customer.name);
	tv_set(co, "domain", v.customer.domain);
	tv_setf(co, "country", "%s (%s)", v.customer.country.name, v.customer.country.region_name);
	add_relationships(r, ctx, &v.rels);
	if (v.as_provider)
		add_shared_resellers(r, ctx, &v.resellers);
	if (v.as_reseller) {
		tv_setb(ctx, "as_reseller", true);
		struct tv *list = tv_list(ctx, "providers");
		for (size_t i = 0; i < v.providers.n; i++) {
			struct tv *row = tv_push(list);
			tv_seti(row, "id", v.providers.v[i].account_id);
			tv_set(row, "name", v.providers.v[i].name);
			tv_seti(row, "rel", v.providers.v[i].rel_id);
		}
	}
	add_subscriptions(r, ctx, "subscriptions", &v.subs);
	/* issue 13: the switcher — the grants this organization may act under there */
	struct da_list grants;
	if (da_grants_between(r->store, r->a, r->sess->tenant_id, v.customer.id, now_sec(), &grants) < 0)
		return page_error(r, 500, NULL);
	struct tv *gl = tv_list(ctx, "grants");
	for (size_t i = 0; i < grants.n; i++) {
		/* issue 13: an Admin agent, or a member of a user group assigned to it */
		bool failed;
		bool can_act = da_acting_decision(r->store, &grants.v[i], r->sess, now_sec(), &failed) == DA_OK;
		if (failed)
			return page_error(r, 500, NULL);
		struct tv *g = tv_push(gl);
		tv_seti(g, "id", grants.v[i].id);
		tv_set(g, "name", grants.v[i].name);
		tv_set(g, "roles", roles_local(r->a, grants.v[i].roles));
		tv_set(g, "ends", fmt_date(r->a, grants.v[i].expires_at));
		tv_setb(g, "can_act", can_act);
	}
	tv_setb(ctx, "can_request_da", route_allows(r->sess, &routes[R_DA_NEW]));
	return page_render(r, 200, "customers/customer", ctx);
}

/* ---- a reseller's View customers for one provider ---- */

/* ctx.invitations: the reseller's invitations under the provider. */
static void
add_invitations(struct req *r, struct tv *ctx, const struct cinv_list *invs)
{
	struct tv *list = tv_list(ctx, "invitations");
	for (size_t i = 0; i < invs->n; i++) {
		const struct cinv_row *inv = &invs->v[i];
		struct tv *row = tv_push(list);
		tv_seti(row, "id", inv->id);
		tv_set(row, "email", inv->email);
		tv_set(row, "customer", inv->customer);
		tv_set(row, "sent_text", fmt_date(r->a, inv->created_at));
		tv_set(row, "expires_text", fmt_date(r->a, inv->expires_at));
		cust_inv_state_tv(row, inv->state);
	}
}

/* GET /providers/ID/customers — ?after=ID|before=ID|last=1 (the customers' cursor pager, as
 * on /customers; old ?page=N links still work), ?ipage=N. View customers: the customers the signed-in
 * reseller shares with the provider of its relationship ID (both have an active customer
 * relationship), with the subscriptions the provider placed for them on the reseller's
 * behalf, and the reseller's customer invitations under this provider (status, expiry,
 * Revoke). Who: CUSTOMERS_VIEW of an approved reseller; Invite new customers needs
 * CUSTOMERS_INVITE. */
int
page_provider_customers(struct req *r)
{
	int64_t page, ipage;
	if (paging_parse(req_query(r, "page"), &page) < 0 || paging_parse(req_query(r, "ipage"), &ipage) < 0)
		return page_error(r, 400, NULL);
	struct cust_reseller_rel rel;
	int status = cust_page_relationship(r, r->id, &rel);
	if (status)
		return status;
	struct cust_cursor cur;
	if (read_cursor(r, page, &cur) < 0)
		return page_error(r, 400, NULL);
	struct cust_page cp;
	struct paging ipg;
	struct cinv_list invs;
	if (cust_shared_customers_seek(r->store, r->a, &rel, &cur, &cp) < 0 ||
	    cust_invitations_page(r->store, r->a, &rel, now_sec(), ipage, &ipg, &invs) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("Customers shared with %s"), rel.provider_name));
	page_crumbs(ctx, "/providers", _("Indirect providers"), NULL);
	tv_seti(ctx, "rel", rel.id);
	tv_set(ctx, "provider", rel.provider_name);
	tv_setb(ctx, "can_invite", route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]));
	const char *path = arena_printf(r->a, "/providers/%lld/customers", (long long)rel.id);
	if (add_customers(r, ctx, &cp.rows, false) < 0)
		return page_error(r, 500, NULL);
	const char *ip = arena_printf(r->a, "%lld", (long long)ipage);
	const char *keep_c[] = { "ipage", ipage > 1 ? ip : NULL, NULL };
	customers_pager(ctx, "cpager", path, keep_c, &cp, _("Pages of customers"));
	add_invitations(r, ctx, &invs);
	/* the invitations' pager keeps the customers' page as it was asked for */
	const char *keep_i[] = { "after", req_query(r, "after"), "before", req_query(r, "before"), "last",
		req_query(r, "last"), "page", cur.page > 1 ? req_query(r, "page") : NULL, NULL };
	pager_tv(ctx, "ipager", &ipg, path, keep_i, "ipage", _("Pages of invitations"));
	return page_render(r, 200, "customers/shared", ctx);
}
