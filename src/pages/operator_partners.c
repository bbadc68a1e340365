/* operator_partners.c — /operator/partners and /operator/relationships (issue 19, item 3):
 * partner search (name, domain, MPN ID, country), a partner's page (accounts and statuses,
 * agreement acceptance, relationships in both directions, customers, users, recent audit
 * entries) and End relationship (a reason; both sides are emailed, as by portalctl
 * end-relationship, on the same domain functions). */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/console.h"
#include "domain/relationships.h"
#include "domain/words.h"
#include "domain/timeline.h"
#include "web/form.h"
#include "pages/console_parts.h"
#include "web/page.h"

#define PROGRAM_TEAM "the program team"

/* GET /operator/partners — ?q= (part of a name or domain, or an MPN ID), ?country=. OP_CONSOLE. */
int
page_op_partners(struct req *r)
{
	const char *q = req_query(r, "q"), *country = req_query(r, "country");
	q = q ? str_trim(r->a, q) : "";
	if (strlen(q) > 200)
		return page_error(r, 400, _("Search for at most 200 characters."));
	if (!str_empty(country) && check_country(r, country) != NULL)
		return page_error(r, 400, _("Choose a country from the list."));
	struct console_partner_list list = { 0 };
	bool searched = !str_empty(q) || !str_empty(country);
	if (searched && console_partners(r->store, r->a, q, country, &list) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Partners"));
	tv_set(ctx, "q", q);
	tv_setb(ctx, "searched", searched);
	if (form_countries_tv(r, ctx, NULL, country) < 0)
		return page_error(r, 500, NULL);
	struct tv *rows = tv_list(ctx, "partners");
	for (size_t i = 0; i < list.n; i++) {
		const struct console_partner *p = &list.v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "tenant", p->tenant_id);
		tv_set(row, "name", p->name);
		tv_set(row, "domain", p->domain);
		tv_set(row, "country", p->country);
		tv_set(row, "type", partner_type_label(p->type));
		tv_set(row, "status", pa_status_label(p->status));
	}
	tv_setb(ctx, "full", list.n >= CONSOLE_PARTNERS_MAX);
	return page_render(r, 200, "operator/partners", ctx);
}

/* One side's relationships into ctx[key]; ending them when may_end. */
static void
add_relationships(struct req *r, struct tv *ctx, const char *key, const struct rel_overview_list *l, bool provider_side,
    bool may_end, int64_t bad_rel, const char *bad_reason, const char *error)
{
	struct tv *list = tv_list(ctx, key);
	for (size_t i = 0; i < l->n; i++) {
		const struct rel_overview *x = &l->v[i];
		struct tv *row = tv_push(list);
		tv_seti(row, "id", x->id);
		tv_set(row, "other", provider_side ? x->reseller_name : x->provider_name);
		tv_set(row, "other_domain", provider_side ? x->reseller_domain : x->provider_domain);
		tv_set(row, "since", fmt_date(r->a, x->since));
		tv_setb(row, "active", x->status == RS_ACTIVE);
		tv_set(row, "ended", x->status == RS_ACTIVE ? NULL : fmt_date(r->a, x->ended_at));
		tv_set(row, "end_reason", x->end_reason);
		tv_setb(row, "may_end", may_end && x->status == RS_ACTIVE);
		if (x->id == bad_rel) {
			tv_set(row, "reason", bad_reason);
			tv_set(row, "error", error);
		}
	}
}

/* The partner's page for organization tenant (status 200, or 422 with the End relationship
 * form of bad_rel showing error). */
static int
partner_page(struct req *r, int status, int64_t tenant, int64_t bad_rel, const char *bad_reason, const char *error)
{
	struct partner_view v;
	int found = console_partner(r->store, r->a, tenant, &v);
	if (found <= 0)
		return found < 0 ? page_error(r, 500, NULL) : page_error(r, 404, NULL);
	struct tv *ctx = page_ctx(r, v.t.name);
	page_crumbs(ctx, "/operator/partners", _("Partners"), NULL);
	struct tv *t = tv_obj(ctx, "t");
	tv_seti(t, "id", v.t.id);
	tv_set(t, "name", v.t.name);
	tv_set(t, "domain", v.t.domain);
	tv_set(t, "country", v.t.country.name);
	tv_set(t, "kind", tenant_kind_key(v.t.kind));
	tv_set(t, "created", fmt_date(r->a, v.t.created_at));
	struct tv *accounts = tv_list(ctx, "accounts");
	for (size_t i = 0; i < v.accounts.n; i++) {
		struct tv *a = tv_push(accounts);
		tv_seti(a, "id", v.accounts.v[i].id);
		tv_set(a, "type", partner_type_label(v.accounts.v[i].type));
		tv_set(a, "status", pa_status_label(v.accounts.v[i].status));
		tv_setb(a, "enrollment", v.accounts.v[i].type == PT_INDIRECT_RESELLER);
	}
	struct tv *ag = tv_obj(ctx, "agreement");
	tv_setb(ag, "published", v.agreement.published);
	tv_setb(ag, "accepted", v.agreement.accepted);
	tv_set(ag, "version", v.agreement.version);
	if (v.agreement.accepted_version_id) {
		tv_set(ag, "accepted_version", v.agreement.accepted_version);
		tv_set(ag, "signer", v.agreement.signer_name);
		tv_set(ag, "signer_email", v.agreement.signer_email);
		tv_set(ag, "accepted_at", page_time(r, v.agreement.accepted_at));
	}
	bool may_end = route_allows(r->sess, &routes[R_OP_REL_END_POST]);
	add_relationships(r, ctx, "as_provider", &v.as_provider, true, may_end, bad_rel, bad_reason, error);
	add_relationships(r, ctx, "as_reseller", &v.as_reseller, false, may_end, bad_rel, bad_reason, error);
	tv_seti(ctx, "customers", v.customers);
	console_users_tv(r, ctx, "users", &v.users);
	console_events_tv(r, ctx, "audit", &v.audit);
	return page_render(r, status, "operator/partner", ctx);
}

/* GET /operator/partners/# — one partner organization (its tenant id). OP_CONSOLE. */
int
page_op_partner(struct req *r)
{
	return partner_page(r, 200, r->id, 0, NULL, NULL);
}

/* The relationship-ended notices to side's users who hear about its relationships. 0 or -1. */
static int
end_notices(struct req *r, const struct partner *side, const struct partner *p, const struct partner *rs,
    const char *why, int64_t now)
{
	struct user_list to;
	if (rel_recipients(r->store, r->a, side->tenant_id, side->type, &to) < 0)
		return -1;
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "provider", p->name);
		tv_set(m, "reseller", rs->name);
		tv_set(m, "reason", why);
		tv_set(m, "when", page_mail_time(r, to.v[i].email, now));
		if (page_mail(r, to.v[i].email, "relationship-ended", m) < 0)
			return -1;
	}
	return 0;
}

/* POST /operator/relationships/#/end — reason (one line, at most 500 characters), back (the
 * organization whose page the form was on). OP_ADMIN. */
int
page_op_rel_end_post(struct req *r)
{
	int64_t back = 0;
	const char *b = req_form(r, "back");
	if (b == NULL || parse_i64(b, 1, INT64_MAX, &back) < 0)
		return page_error(r, 400, NULL);
	const char *why = str_trim(r->a, req_form(r, "reason") ? req_form(r, "reason") : "");
	const char *problem = str_empty(why) ? _("Say why the relationship ends: both partners read it in the email.")
	    : strlen(why) > 500 || strpbrk(why, "\r\n") != NULL || !utf8_valid(why, strlen(why))
	    ? _("Write the reason on one line of at most 500 characters.") : NULL;
	if (problem != NULL)
		return partner_page(r, 422, back, r->id, why, problem);
	int64_t now = now_sec();
	struct partner p = { 0 }, rs = { 0 };
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int rc = console_end_relationship(r->store, r->a, r->id, why, now, &p, &rs);
	if (rc < 0)
		return page_error(r, 500, NULL);
	const char *target = arena_printf(r->a, "relationship %lld", (long long)r->id);
	if (rc > 0) {
		audit(r, "relationship.end", target, "refused", "not an active relationship");
		return page_error(r, 409, _("This relationship is not active: it was ended already."));
	}
	const char *detail = arena_printf(r->a, "relationship %lld: %s", (long long)r->id, why);
	audit(r, "relationship.end", arena_printf(r->a, "%s and %s", p.name, rs.name), "ok", detail);
	const struct partner *side[2] = { &p, &rs };
	for (int k = 0; k < 2; k++) {
		audit_rel(audit_as(r, side[k]->tenant_id, 0, PROGRAM_TEAM, "relationship.end", side[1 - k]->name, "ok", detail),
		    TL_RESELLER, r->id);
		if (end_notices(r, side[k], &p, &rs, why, now) < 0)
			return page_error(r, 500, NULL);
	}
	return resp_redirect(r, arena_printf(r->a, "/operator/partners/%lld?m=relationship-ended", (long long)back));
}
