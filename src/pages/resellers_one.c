/* resellers_one.c — one indirect reseller as its provider sees it (issue 15, item 11): the
 * drill-down from a name on /resellers. F_PROVIDER and RESELLERS_VIEW like the list; a
 * relationship of another provider, an ended one or none answers 404 (audited). */
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/audit.h"
#include "domain/customers.h"
#include "domain/partners.h"
#include "domain/reseller_view.h"
#include "domain/words.h"
#include "pages/relationship_parts.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"

/* ctx.invitations: the invitations that reached the reseller, with their state. */
static void
reseller_invitations_tv(struct req *r, struct tv *ctx, const struct invitation_list *l)
{
	static const char *const tags[INV__COUNT] = {
		[INV_PENDING] = "warn", [INV_ACCEPTED] = "ok", [INV_REVOKED] = "muted", [INV_EXPIRED] = "err",
	};
	struct tv *rows = tv_list(ctx, "invitations");
	for (size_t i = 0; i < l->n; i++) {
		const struct invitation_row *x = &l->v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", x->id);
		tv_set(row, "email", x->email);
		tv_set(row, "sent_text", fmt_date(r->a, x->sent_at));
		tv_set(row, "expires_text", fmt_date(r->a, x->expires_at));
		tv_set(row, "state_text", inv_status_label(x->state));
		tv_set(row, "tag", (unsigned)x->state < INV__COUNT ? tags[x->state] : "muted");
	}
}

/* ctx.events: the provider's log entries about the reseller, as sentences. */
static void
reseller_events_tv(struct req *r, struct tv *ctx, const struct audit_list *l)
{
	struct tv *rows = tv_list(ctx, "events");
	for (size_t i = 0; i < l->n; i++) {
		struct tv *row = tv_push(rows);
		tv_set(row, "at", page_time(r, l->v[i].at));
		tv_set(row, "sentence", audit_sentence(r->a, &l->v[i], NULL));
	}
}

/* ctx.customers and ctx.cpager: a page of the customers the provider shares with the reseller. */
static int
shared_customers_tv(struct req *r, struct tv *ctx, const struct reseller_one *one)
{
	enum cust_seek seek;
	int64_t id;
	if (rel_cursor_parse(r, &seek, &id) < 0)
		return 400;
	struct cust_reseller_rel rel = { .id = one->row.id, .provider_id = one->provider_id, .reseller_id = one->reseller_id,
		.provider_name = r->sess->tenant_name };
	struct cust_cursor c = { seek, id, 0 };
	struct cust_page cp;
	if (cust_shared_customers_seek(r->store, r->a, &rel, &c, &cp) < 0)
		return 500;
	struct tv *rows = tv_list(ctx, "customers");
	for (size_t i = 0; i < cp.rows.n; i++) {
		const struct customer_row *x = &cp.rows.v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", x->id);
		tv_set(row, "name", x->name);
		tv_set(row, "country", x->country);
		tv_set(row, "since_text", fmt_date(r->a, x->since));
		tv_seti(row, "subscriptions", x->subscriptions);
	}
	const struct customer_list *l = &cp.rows;
	const char *path = arena_printf(r->a, "/resellers/%lld", (long long)one->row.id);
	const char *keep[] = { NULL };
	cursor_pager_tv(ctx, "cpager", path, keep, l->n ? l->v[0].id : 0, l->n ? l->v[l->n - 1].id : 0,
	    cp.prev && l->n > 0, cp.next && l->n > 0, _("Pages of shared customers"));
	return 0;
}

/* GET /resellers/ID — ?after=ID|before=ID|last=1 pages the shared customers. One reseller of
 * the signed-in provider by relationship ID: name, MPN IDs, country, since, administrator
 * access, the partner agreement's status and date, the customers both work with (cursor
 * pages), the invitations that reached it and the relationship's entries in this
 * organization's audit log. Who: RESELLERS_VIEW of its provider. */
int
page_reseller(struct req *r)
{
	int64_t provider;
	partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_PROVIDER, &provider);
	struct reseller_view v;
	const char *why = NULL;
	int found = reseller_view_load(r->store, r->a, provider, r->sess->tenant_id, r->id, now_sec(), &v, &why);
	int st = page_lookup(r, found, "reseller relationship", r->id, why);
	if (st)
		return st;
	struct tv *ctx = page_ctx(r, v.one.row.name);
	page_crumbs(ctx, "/resellers", _("Indirect resellers"), NULL);
	struct tv *o = tv_obj(ctx, "reseller");
	tv_seti(o, "id", v.one.row.id);
	tv_set(o, "name", v.one.row.name);
	tv_set(o, "domain", v.one.domain);
	tv_set(o, "mpn", v.one.row.mpn);
	tv_set(o, "country", v.one.row.country);
	tv_set(o, "since_text", fmt_date(r->a, v.one.row.since));
	tv_setb(o, "admin_access", v.one.row.admin_access);
	if (!v.one.row.admin_access)
		tv_setf(o, "removed_text", _("Removed %s"), fmt_date(r->a, v.one.row.removed_at));
	tv_set(o, "agreement", _(v.agreement.words));
	tv_set(o, "agreement_detail", v.agreement.detail);
	tv_set(o, "agreement_tag", v.agreement.tag);
	int cst = shared_customers_tv(r, ctx, &v.one);
	if (cst)
		return page_error(r, cst, NULL);
	reseller_invitations_tv(r, ctx, &v.invitations);
	reseller_events_tv(r, ctx, &v.events);
	tv_setb(ctx, "can_invite", route_allows(r->sess, &routes[R_RESELLER_INVITE]));
	tv_setb(ctx, "can_audit", route_allows(r->sess, &routes[R_AUDIT]));
	/* issue 13: the relationship's timeline */
	if (route_allows(r->sess, &routes[R_REL_TIMELINE_RESELLER]))
		tv_setf(ctx, "timeline", "/relationships/reseller/%lld", (long long)v.one.row.id);
	return page_render(r, 200, "resellers/reseller", ctx);
}
