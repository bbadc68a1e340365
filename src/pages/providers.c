/* providers.c — Indirect providers, the reseller's side of SPEC §2.5: the providers it
 * has authorized, and Remove administrator access. Every route here is F_RESELLER. The
 * relationship itself is ended only by the operator (portalctl end-relationship). */
#include <string.h>

#include "base/i18n.h"
#include "base/portal.h"
#include "domain/partners.h"
#include "domain/timeline.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/delegated.h"
#include "domain/relationships.h"
#include "pages/relationship_parts.h"
#include "base/util.h"

static int64_t
my_reseller(struct req *r)
{
	int64_t id;
	partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_RESELLER, &id);
	return id;
}

/* GET /providers — ?sort=name|since&dir=asc|desc&after=ID|before=ID|last=1 (the cursor pager
 * of /resellers; old ?page=N links still work). The reseller's indirect providers
 * (name, MPN ID, country, since, delegated admin access) with Remove administrator access.
 * Who: PROVIDERS_VIEW; removing needs PROVIDERS_REMOVE_ACCESS (Global admin). */
int
page_providers(struct req *r)
{
	struct rel_list l;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0)
		return page_error(r, 400, NULL);
	enum cust_seek seek;
	int64_t cursor;
	if (rel_cursor_parse(r, &seek, &cursor) < 0)
		return page_error(r, 400, NULL);
	struct rel_page pg;
	if (rel_providers_seek(r->store, r->a, my_reseller(r), &l, seek, cursor, &pg) < 0)
		return page_error(r, 500, NULL);
	const struct rel_partner_list providers = pg.rows;
	struct tv *ctx = page_ctx(r, _("Indirect providers"));
	bool can_remove = route_allows(r->sess, &routes[R_PROVIDER_REMOVE_ACCESS]);
	bool approved = session_pa(r->sess, PT_INDIRECT_RESELLER) == PA_APPROVED;
	tv_setb(ctx, "approved", approved);
	/* Per provider: View customers and Invite new customers (providers_customers.c), for
	 * an approved reseller's users who may. */
	bool view_customers = route_allows(r->sess, &routes[R_PROVIDER_CUSTOMERS]);
	bool invite_customers = route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]);
	tv_setb(ctx, "customers_col", view_customers || invite_customers);
	struct tv *rows = tv_list(ctx, "providers");
	for (size_t i = 0; i < providers.n; i++) {
		const struct rel_partner_row *x = &providers.v[i];
		struct tv *row = relationship_row_tv(r, rows, x);
		if (access_state_tv(r, row, x->tenant_id, r->sess->tenant_id) < 0)
			return page_error(r, 500, NULL);
		tv_setb(row, "can_remove", can_remove && x->admin_access);
		tv_setb(row, "can_view_customers", view_customers);
		tv_setb(row, "can_invite_customers", invite_customers);
		if (!x->admin_access)
			tv_setf(row, "removed_text", *x->removed_by ? _("Removed %s by %s") : _("Removed %s"), fmt_date(r->a, x->removed_at),
			    x->removed_by);
	}
	sort_headers_tv(ctx, "/providers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc);
	const char *keep[] = { "sort", l.sort == REL_SORT_SINCE ? "since" : "name", "dir", l.desc ? "desc" : "asc", NULL };
	rel_pager_tv(ctx, "pager", "/providers", keep, &pg, _("Pages of providers"));
	return page_render(r, 200, "providers/list", ctx);
}

/* Loads active relationship id of this reseller. 0, or 404 (audited) when there is none,
 * it has ended, or it is another organization's (500 on a database error). */
static int
load_relationship(struct req *r, int64_t id, int64_t reseller, struct provider_rel *rel)
{
	const char *why = NULL;
	int found = rel_of_reseller(r->store, r->a, id, reseller, rel, &why);
	return page_lookup(r, found, "relationship", id, why);
}

static int
confirm_page(struct req *r, int status, const struct provider_rel *rel, const char *problem)
{
	struct tv *ctx = page_ctx(r, _("Remove administrator access"));
	page_crumbs(ctx, "/providers", _("Indirect providers"), NULL);
	tv_seti(ctx, "id", rel->id);
	tv_set(ctx, "provider", rel->provider_name);
	tv_setb(ctx, "has_access", rel->admin_access);
	if (!rel->admin_access)
		tv_set(ctx, "removed", page_time(r, rel->removed_at));
	tv_set(ctx, "problem", problem);
	return page_render(r, status, "providers/remove-access", ctx);
}

/* GET /providers/remove-access/ID — the confirmation step: what removing the provider's
 * administrator access means. Who: PROVIDERS_REMOVE_ACCESS (Global admin of the reseller). */
int
page_provider_remove_access(struct req *r)
{
	struct provider_rel rel;
	int st = load_relationship(r, r->id, my_reseller(r), &rel);
	return st ? st : confirm_page(r, 200, &rel, NULL);
}

/* Tells the provider's organization (rel_recipients: its users who may invite resellers)
 * that this reseller removed its administrator access. 0 or -1. */
static int
notify_provider(struct req *r, int64_t provider_tenant, const struct provider_rel *rel, int64_t now)
{
	struct user_list to;
	if (rel_recipients(r->store, r->a, provider_tenant, PT_INDIRECT_PROVIDER, &to) < 0)
		return -1;
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "provider", rel->provider_name);
		tv_set(m, "reseller", r->sess->tenant_name);
		tv_set(m, "by", arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email));
		tv_set(m, "when", page_mail_time(r, to.v[i].email, now));
		if (page_mail(r, to.v[i].email, "provider-access-removed", m) < 0)
			return -1;
	}
	return 0;
}

/* POST /providers/remove-access/ID — removes the provider's delegated administrator access
 * to this organization's work account, recording who and when; the provider's admins are
 * told by email. The relationship stays. Who: PROVIDERS_REMOVE_ACCESS. */
int
page_provider_remove_access_post(struct req *r)
{
	int64_t reseller = my_reseller(r), now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct provider_rel rel;
	int st = load_relationship(r, r->id, reseller, &rel);
	if (st)
		return st;
	int n = rel_remove_access(r->store, &rel, r->sess->user_id, now);
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0) {
		audit_rel(audit(r, "provider.admin-access.remove", rel.provider_name, "refused", "already removed"), TL_RESELLER, rel.id);
		return confirm_page(r, 409, &rel, _("Administrator access for this provider was already removed."));
	}
	const char *detail = arena_printf(r->a, "relationship %lld", (long long)rel.id);
	audit_rel(audit(r, "provider.admin-access.remove", rel.provider_name, "ok", detail), TL_RESELLER, rel.id);
	/* The provider's log too: its access to this organization ended. */
	struct partner provider = { 0 };
	if (partner_get(r->store, r->a, rel.provider_id, &provider) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: the standing access is a delegated admin relationship now; removing it
	 * terminates the pair's active ones (the migrated default among them). */
	if (da_terminate_pair(r->store, provider.tenant_id, r->sess->tenant_id, r->sess->user_id, now,
	    "Administrator access removed") < 0)
		return page_error(r, 500, NULL);
	struct audit_entry *e = audit_rel(audit(r, "provider.admin-access.remove", r->sess->tenant_name, "ok", detail),
	    TL_RESELLER, rel.id);
	if (e != NULL)
		e->tenant_id = provider.tenant_id;
	if (notify_provider(r, provider.tenant_id, &rel, now) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, "/providers?m=admin-access-removed");
}
