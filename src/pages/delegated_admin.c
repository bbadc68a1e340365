/* delegated_admin.c — delegated administration (issue 13): the relationships an organization
 * is part of on either side (/delegated-admin, /delegated-admin/ID), a partner's request to
 * one of its customers or indirect resellers (/delegated-admin/new) with Resend and Withdraw,
 * and the emailed link's landing page (/delegated-admin/respond) where a Global admin of the
 * organization asked approves or declines, told in plain words who asks for what, for how
 * long, and what each role would let the partner do there (from perms.def).
 *
 * Every rule is domain/delegated.h's (da_request_check, da_can); the dispatcher has already
 * checked the permission of the route. Another organization's ids answer 404 (audited). The
 * answer's link (purpose delegated-admin) is used inside the answer's transaction, and the
 * answer itself is a conditional UPDATE, so two answers at once make exactly one. */
#include <stdlib.h>
#include <string.h>

#include "pages/delegated_admin.h"
#include "pages/invitation_parts.h"
#include "base/i18n.h"
#include "base/portal.h"
#include "base/token.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/delegated.h"
#include "domain/groups.h"
#include "domain/link.h"
#include "domain/timeline.h"
#include "web/form.h"
#include "web/http.h"
#include "web/landing.h"
#include "web/page.h"
#include "web/pager.h"

#define RESPOND_PATH "/delegated-admin/respond"

static enum da_refusal terminate_refusal(struct req *r, const struct da_row *d);

/* ctx.<key>: the relationship as the organization tenant sees it. */
static struct tv *
da_tv(struct req *r, struct tv *o, const struct da_row *d, int64_t tenant)
{
	int64_t now = now_sec();
	bool asked_by_us = d->partner_tenant_id == tenant;
	tv_seti(o, "id", d->id);
	tv_set(o, "name", d->name);
	tv_set(o, "partner", d->partner_name);
	tv_set(o, "customer", d->customer_name);
	tv_set(o, "other", asked_by_us ? d->customer_name : d->partner_name);
	tv_setb(o, "asked_by_us", asked_by_us);
	tv_set(o, "direction", asked_by_us ? _("You asked") : _("Asked of you"));
	tv_set(o, "kind", da_kind_label(d->kind));
	tv_set(o, "kind_words", d->kind == DAK_RESELLER ? _("an indirect reseller") : _("a customer"));
	tv_set(o, "roles", roles_local(r->a, d->roles));
	tv_set(o, "state_text", da_state_label(d, now));
	tv_set(o, "tag", da_state_tag(d, now));
	tv_seti(o, "days", d->duration_days);
	tv_setb(o, "auto_extend", d->auto_extend);
	tv_setb(o, "migrated", d->migrated);
	tv_set(o, "created", fmt_date(r->a, d->created_at));
	tv_set(o, "sent", page_time(r, d->sent_at));
	tv_set(o, "request_expires", page_time(r, d->request_expires_at));
	if (d->approved_at)
		tv_set(o, "approved", page_time(r, d->approved_at));
	if (d->expires_at)
		tv_set(o, "expires", fmt_date(r->a, d->expires_at));
	if (d->ended_at)
		tv_set(o, "ended", page_time(r, d->ended_at));
	if (*d->end_reason)
		tv_set(o, "end_reason", d->end_reason);
	if (*d->creator_name)
		tv_set(o, "requester", arena_printf(r->a, "%s (%s)", d->creator_name, d->creator_email));
	tv_lines(tv_list(o, "message_lines"), d->message);
	return o;
}

/* ctx.grants: each role asked for with what it would let the partner do in the organization. */
static void
grants_tv(struct tv *ctx, unsigned asked)
{
	struct tv *list = tv_list(ctx, "grants");
	for (int i = 0; i < ROLE__COUNT; i++) {
		if (!(asked & roles[i].mask))
			continue;
		struct tv *g = tv_push(list);
		tv_set(g, "role", _(roles[i].name));
		tv_set(g, "about", _(roles[i].about));
		struct tv *can = tv_list(g, "can");
		for (int p = 0; p < PERM__COUNT; p++)
			if (perms[p].roles & roles[i].mask)
				tv_set(tv_push(can), "text", _(perms[p].about));
	}
}

/* ---- the list ---- */

/* GET /delegated-admin — ?page=N. Every delegated admin relationship of the organization, on
 * either side (name, the other organization, direction, roles, state, expiry), newest first.
 * Who: DELEGATED_ADMIN_VIEW; Request delegated admin needs DELEGATED_ADMIN_REQUEST. */
int
page_da_list(struct req *r)
{
	int64_t page;
	if (paging_parse(req_query(r, "page"), &page) < 0)
		return page_error(r, 400, NULL);
	struct paging pg;
	struct da_list list;
	if (da_page(r->store, r->a, r->sess->tenant_id, page, &pg, &list) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Delegated admin"));
	tv_setb(ctx, "can_request", route_allows(r->sess, &routes[R_DA_NEW]));
	struct tv *rows = tv_list(ctx, "rels");
	for (size_t i = 0; i < list.n; i++)
		da_tv(r, tv_push(rows), &list.v[i], r->sess->tenant_id);
	const char *keep[] = { NULL };
	pager_tv(ctx, "pager", &pg, "/delegated-admin", keep, "page", _("Pages of delegated admin relationships"));
	return page_render(r, 200, "delegated-admin/list", ctx);
}

/* ---- Request delegated admin ---- */

static const struct field request_fields[] = {
	{ "other", N_("Organization"), "select", 20, FF_REQUIRED, NULL,
	  N_("One of your customers, or (providers) one of your indirect resellers. Its Global admins get the request by email."), NULL },
	{ "name", N_("Name"), "text", DA_NAME_MAX, FF_REQUIRED, NULL,
	  N_("How both organizations will know this relationship, for example \"Helpdesk 2026\". At most 50 characters."), "off" },
	{ "days", N_("Duration in days"), "number", 4, FF_REQUIRED, NULL,
	  N_("From 1 to 730 days (two years), counted from the approval."), "off" },
	{ "roles", N_("Roles"), "checkbox", 0, 0, NULL, NULL, NULL },
	{ "global_admin", N_("Also ask for Global admin"), "checkbox", 3, 0, NULL, NULL, NULL },
	{ "auto_extend", N_("Extend by 6 months automatically at the end (never with Global admin)"), "checkbox", 3, 0, NULL, NULL, NULL },
	{ "message", N_("Message"), "textarea", DA_MESSAGE_MAX, FF_MULTILINE, NULL,
	  N_("Shown to the Global admins with the request. Say why you need these roles; required with Global admin."), NULL },
};

static int
request_form(struct req *r, int status, struct form *f, unsigned checked)
{
	struct da_target_list targets;
	if (da_targets(r->store, r->a, r->sess->tenant_id, &targets) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Request delegated admin"));
	page_crumbs(ctx, "/delegated-admin", _("Delegated admin"), NULL);
	form_to_tv(f, ctx);
	const char *other = form_get(f, "other");
	struct tv *opts = tv_list(ctx, "targets");
	for (size_t i = 0; i < targets.n; i++) {
		const char *code = arena_printf(r->a, "%lld", (long long)targets.v[i].tenant_id);
		form_option_tv(opts, code, arena_printf(r->a, "%s — %s", targets.v[i].name, da_kind_label(targets.v[i].kind)),
		    other != NULL && strcmp(other, code) == 0);
	}
	struct tv *boxes = tv_list(ctx, "roles");
	for (int i = 0; i < ROLE__COUNT; i++) {
		if (roles[i].mask == ROLE_MASK(GLOBAL_ADMIN))
			continue;		/* its own tick-box, with its explanation */
		struct tv *b = tv_push(boxes);
		tv_set(b, "key", roles[i].key);
		tv_set(b, "role", _(roles[i].name));
		tv_set(b, "about", _(roles[i].about));
		tv_setb(b, "checked", (checked & roles[i].mask) != 0);
	}
	return page_render(r, status, "delegated-admin/new", ctx);
}

/* GET /delegated-admin/new — ?other=TENANT preselects the organization. The form: the
 * organization, a name, the duration, the roles, Global admin on its own, auto-extend, a
 * message. Who: DELEGATED_ADMIN_REQUEST. */
int
page_da_new(struct req *r)
{
	struct form f;
	form_init(&f, request_fields, NELEM(request_fields));
	form_set(&f, "other", req_query(r, "other"));
	form_set(&f, "days", "90");
	return request_form(r, 200, &f, 0);
}

/* issue 15: an email's times in its recipient's zone, over what da_tv wrote in the
 * reader's (the sender's) zone. */
static void
da_mail_times(struct req *r, struct tv *m, const struct da_row *d, const char *to)
{
	tv_set(m, "sent", page_mail_time(r, to, d->sent_at));
	tv_set(m, "request_expires", page_mail_time(r, to, d->request_expires_at));
	if (d->approved_at)
		tv_set(m, "approved", page_mail_time(r, to, d->approved_at));
	if (d->ended_at)
		tv_set(m, "ended", page_mail_time(r, to, d->ended_at));
}

/* The request email to each Global admin of the organization asked (the link, who asks, the
 * roles, how long). 0 or -1. */
int
da_page_send_request(struct req *r, const struct da_row *d)
{
	char *token = da_link_token(r->store, r->a, d->id);
	struct user_list to;
	if (token == NULL || access_recipients(r->store, r->a, d->customer_tenant_id, PERM_DELEGATED_ADMIN_APPROVE, &to) < 0)
		return -1;
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(r->a);
		da_tv(r, m, d, d->customer_tenant_id);
		da_mail_times(r, m, d, to.v[i].email);
		tv_set(m, "requester", arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email));
		tv_setf(m, "link", "%s%s?t=%s", r->portal->cfg.base_url, RESPOND_PATH, token);
		page_mail_reply_to(r, m);
		if (page_mail(r, to.v[i].email, "delegated-admin-request", m) < 0)
			return -1;
	}
	return 0;
}

/* The field a refusal of the request form belongs beside. */
static const char *
refusal_field(enum da_refusal why)
{
	switch (why) {
	case DA_NOT_RELATED: return "other";
	case DA_NAME_TAKEN: return "name";
	case DA_BAD_DURATION: return "days";
	case DA_NO_ROLES: return "roles";
	case DA_GLOBAL_AUTO_EXTEND: return "auto_extend";
	default: return "message";
	}
}

/* Both organizations' logs: the partner's (tenant of the session) and the other one's. */
void
da_page_audit_both(struct req *r, const struct da_row *d, const char *action, const char *outcome, const char *detail)
{
	bool partner = r->sess->tenant_id == d->partner_tenant_id;
	const char *target = arena_printf(r->a, "%s (delegated admin '%s')", partner ? d->customer_name : d->partner_name, d->name);
	audit_rel(audit(r, action, target, outcome, detail), TL_DELEGATED, d->id);
	struct audit_entry *e = audit_rel(audit(r, action, arena_printf(r->a, "%s (delegated admin '%s')",
	    partner ? d->partner_name : d->customer_name, d->name), outcome, detail), TL_DELEGATED, d->id);
	if (e != NULL)
		e->tenant_id = partner ? d->customer_tenant_id : d->partner_tenant_id;
}

/* POST /delegated-admin/new — other, name, days, roles[], global_admin, auto_extend, message.
 * Checked (form again with the input and the message beside the field on any problem,
 * nothing written), recorded as pending for 90 days, emailed to the other organization's
 * Global admins as a signed link. Who: DELEGATED_ADMIN_REQUEST. */
int
page_da_new_post(struct req *r)
{
	struct form f;
	int errors = form_read(r, &f, request_fields, NELEM(request_fields));
	const char *keys[ROLE__COUNT * 2];
	size_t nkeys = params_all(&r->form, "roles[]", keys, NELEM(keys));
	unsigned asked = 0;
	if (nkeys == NELEM(keys) || roles_from_keys(keys, nkeys, &asked) < 0 || (asked & ROLE_MASK(GLOBAL_ADMIN)))
		return page_error(r, 400, NULL);		/* a tampered form */
	char *end = NULL;
	const char *days_text = form_get(&f, "days"), *other_text = form_get(&f, "other");
	long days = days_text && *days_text ? strtol(days_text, &end, 10) : 0;
	if (days_text && *days_text && (*end != '\0' || days < DA_DAYS_MIN || days > DA_DAYS_MAX))
		form_fail(&f, "days", da_refusal_text(DA_BAD_DURATION)), errors++;
	long long other = other_text && *other_text ? strtoll(other_text, &end, 10) : 0;
	if (other_text && *other_text && (*end != '\0' || other <= 0))
		form_fail(&f, "other", da_refusal_text(DA_NOT_RELATED)), errors++;
	struct da_request q = { .partner_tenant = r->sess->tenant_id, .other_tenant = other, .name = form_get(&f, "name"),
		.message = form_get(&f, "message"), .global_admin = *form_get(&f, "global_admin") != '\0',
		.auto_extend = *form_get(&f, "auto_extend") != '\0', .days = (int)days };
	q.roles = asked | (q.global_admin ? ROLE_MASK(GLOBAL_ADMIN) : 0);
	if (q.roles == 0)
		form_fail(&f, "roles", da_refusal_text(DA_NO_ROLES)), errors++;
	if (errors > 0)
		return request_form(r, 422, &f, asked);
	int64_t now = now_sec(), expires;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	enum da_refusal why;
	int64_t id = da_request(r->store, &q, r->sess->user_id, now, &expires, &why);
	if (id < 0)
		return page_error(r, 500, NULL);
	if (id == 0) {
		form_fail(&f, refusal_field(why), da_refusal_text(why));
		return request_form(r, 422, &f, asked);
	}
	struct da_row d;
	const char *unused;
	if (da_of(r->store, r->a, id, r->sess->tenant_id, &d, &unused) != 1 || da_page_send_request(r, &d) < 0)
		return page_error(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.request", "ok",
	    arena_printf(r->a, "roles %s, %d days", roles_text(r->a, d.roles), d.duration_days));
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld?m=da-requested", (long long)id));
}

/* ---- one relationship ---- */

/* Relationship id of this organization (either side): 0, or 404 (audited) / 500. */
static int
load(struct req *r, int64_t id, struct da_row *d)
{
	const char *why = NULL;
	int found = da_of(r->store, r->a, id, r->sess->tenant_id, d, &why);
	return page_lookup(r, found, "delegated admin relationship", id, why);
}

/* issue 13: on the partner's side, for who may manage user groups: ctx.assigned = [{ gid, name,
 * members }] (the groups assigned to d, each with Remove) and ctx.assignable (the
 * organization's other groups, while d is pending or active). 0 or -1. */
static int
assigned_groups_tv(struct req *r, struct tv *ctx, const struct da_row *d, int64_t now)
{
	if (d->partner_tenant_id != r->sess->tenant_id || !route_allows(r->sess, &routes[R_DA_GROUPS_POST]))
		return 0;
	struct user_group_list on, all;
	if (da_groups(r->store, r->a, d->id, &on) < 0 || groups_of(r->store, r->a, r->sess->tenant_id, &all) < 0)
		return -1;
	tv_setb(ctx, "can_assign", true);
	struct tv *al = tv_list(ctx, "assigned");
	for (size_t i = 0; i < on.n; i++) {
		struct tv *g = tv_push(al);
		tv_seti(g, "gid", on.v[i].id);
		tv_set(g, "name", on.v[i].name);
		tv_seti(g, "members", on.v[i].members);
	}
	enum da_state st = da_state_at(d, now);
	if (st != DA_PENDING && st != DA_ACTIVE)
		return 0;
	struct tv *fl = tv_list(ctx, "assignable");
	for (size_t i = 0; i < all.n; i++) {
		bool taken = false;
		for (size_t k = 0; k < on.n && !taken; k++)
			taken = on.v[k].id == all.v[i].id;
		if (taken)
			continue;
		struct tv *g = tv_push(fl);
		tv_seti(g, "gid", all.v[i].id);
		tv_set(g, "name", all.v[i].name);
	}
	return 0;
}

static int
one_page(struct req *r, int status, const struct da_row *d, const char *problem)
{
	int64_t now = now_sec();
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("Delegated admin '%s'"), d->name));
	page_crumbs(ctx, "/delegated-admin", _("Delegated admin"), NULL);
	da_tv(r, tv_obj(ctx, "rel"), d, r->sess->tenant_id);
	grants_tv(ctx, d->roles);
	if (invitation_state_tv(r, ctx, INV_DELEGATED, d->id) < 0)
		return page_error(r, 500, NULL);
	bool partner = d->partner_tenant_id == r->sess->tenant_id;
	tv_setb(ctx, "can_resend", partner && da_can(DA_RESEND, d, r->sess->tenant_id, false, now) == DA_OK &&
	    route_allows(r->sess, &routes[R_DA_RESEND_POST]));
	tv_setb(ctx, "can_withdraw", partner && da_can(DA_WITHDRAW, d, r->sess->tenant_id, false, now) == DA_OK &&
	    route_allows(r->sess, &routes[R_DA_WITHDRAW_POST]));
	tv_setb(ctx, "awaiting_us", !partner && da_state_at(d, now) == DA_PENDING);
	bool failed;
	tv_setb(ctx, "can_act", da_acting_decision(r->store, d, r->sess, now, &failed) == DA_OK);
	if (failed)
		return page_error(r, 500, NULL);
	tv_setb(ctx, "can_terminate", terminate_refusal(r, d) == DA_OK);
	tv_set(ctx, "problem", problem);
	if (assigned_groups_tv(r, ctx, d, now) < 0)
		return page_error(r, 500, NULL);
	/* issue 13: the relationship's timeline */
	if (route_allows(r->sess, &routes[R_REL_TIMELINE_DELEGATED]))
		tv_setf(ctx, "timeline", "/relationships/delegated/%lld", (long long)d->id);
	return page_render(r, status, "delegated-admin/one", ctx);
}

/* GET /delegated-admin/ID — one relationship, for either organization: who asked whom, the
 * roles and what they allow, duration, state and dates; Resend and Withdraw for the partner
 * while it is pending. Who: DELEGATED_ADMIN_VIEW of either side (another's id: 404). */
int
page_da_one(struct req *r)
{
	struct da_row d;
	int st = load(r, r->id, &d);
	return st ? st : one_page(r, 200, &d, NULL);
}

/* Resend or withdraw r->id inside the write transaction: 0 with *d when done, else the
 * status of the answer (409 and audited when the request is no longer pending). */
static int
partner_action(struct req *r, enum da_action act, struct da_row *d, int64_t *expires)
{
	int64_t now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int st = load(r, r->id, d);
	if (st)
		return st;
	const char *action = act == DA_RESEND ? "delegated-admin.resend" : "delegated-admin.withdraw";
	enum da_refusal why = da_can(act, d, r->sess->tenant_id, false, now);
	int n = why != DA_OK ? 0 : act == DA_RESEND ? da_resend(r->store, d, now, expires)
	    : da_withdraw(r->store, d, r->sess->user_id, now);
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0) {
		if (why == DA_OK)
			why = DA_NOT_PENDING;
		audit_rel(audit(r, action, d->customer_name, "refused", da_refusal_code(why)), TL_DELEGATED, d->id);
		return one_page(r, why == DA_WRONG_SIDE ? 403 : 409, d, da_refusal_text(why));
	}
	return 0;
}

/* POST /delegated-admin/resend/ID — emails the pending request again with 90 more days;
 * earlier links stop working. Who: DELEGATED_ADMIN_REQUEST of the partner that asked. */
int
page_da_resend_post(struct req *r)
{
	struct da_row d;
	int64_t expires = 0;
	int st = partner_action(r, DA_RESEND, &d, &expires);
	if (st)
		return st;
	d.request_expires_at = expires;
	d.sent_at = now_sec();
	if (da_page_send_request(r, &d) < 0)
		return page_error(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.resend", "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld?m=da-resent", (long long)d.id));
}

/* POST /delegated-admin/withdraw/ID — the pending request ends; its link stops working.
 * Who: DELEGATED_ADMIN_REQUEST of the partner that asked. */
int
page_da_withdraw_post(struct req *r)
{
	struct da_row d;
	int st = partner_action(r, DA_WITHDRAW, &d, NULL);
	if (st)
		return st;
	da_page_audit_both(r, &d, "delegated-admin.withdraw", "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld?m=da-withdrawn", (long long)d.id));
}

/* ---- the emailed link: approve or decline ---- */

/* The request behind the link of this visit: NULL with *d and *t, or the sentence why not. */
static const char *
link_request(struct req *r, struct da_row *d, struct token *t)
{
	int64_t id = 0;
	const char *problem = link_check(r->store, link_current(r), TP_DELEGATED_ADMIN, &id, t);
	if (problem != NULL)
		return problem;
	int found = da_get(r->store, r->a, id, d);
	return found == 1 ? NULL : _("This link is not valid. Open the link in the most recent email again.");
}

/* The status of a link that cannot be used: 409 when it is a genuine link that was used,
 * replaced or withdrawn (the request moved on), 400 when it is none at all. */
static int
link_status(struct req *r)
{
	struct token t;
	const char *text = link_current(r);
	return text != NULL && token_open(text, TP_DELEGATED_ADMIN, now_sec(), &t) == TOKEN_OK ? 409 : 400;
}

/* What stops the signed-in user from answering d now (DA_OK: nothing). */
static enum da_refusal
answer_refusal(struct req *r, const struct da_row *d)
{
	return da_can(DA_APPROVE, d, r->sess->tenant_id,
	    perm_allows_in(r->sess, PERM_DELEGATED_ADMIN_APPROVE, d->customer_tenant_id), now_sec());
}

static int
respond_page(struct req *r, int status, const struct da_row *d, const char *problem)
{
	struct tv *ctx = page_ctx(r, _("Delegated admin request"));
	tv_set(ctx, "problem", problem);
	if (d != NULL) {
		da_tv(r, tv_obj(ctx, "rel"), d, d->customer_tenant_id);
		grants_tv(ctx, d->roles);
		if (invitation_state_tv(r, ctx, INV_DELEGATED, d->id) < 0)
			return page_error(r, 500, NULL);
		tv_setb(ctx, "global_admin", d->global_admin);
		tv_setb(ctx, "signed_out", r->sess == NULL);
		tv_setb(ctx, "can_answer", r->sess != NULL && problem == NULL);
	}
	tv_set(ctx, "next", url_encode(r->a, RESPOND_PATH));
	return page_render(r, status, "delegated-admin/respond", ctx);
}

/* The status of a refusal to answer. */
static int
refusal_status(enum da_refusal why)
{
	return why == DA_WRONG_SIDE || why == DA_NOT_GLOBAL_ADMIN ? 403 : 409;
}

/* issue 13: the first visit of the request's link, in both organizations' logs and the
 * relationship's timeline (whoever holds the link: not named). */
static void
audit_opened(struct req *r, const struct da_row *d)
{
	const char *detail = arena_printf(r->a, "delegated admin '%s'", d->name);
	audit_rel(audit_as(r, d->customer_tenant_id, 0, "", "delegated-admin.open", d->partner_name, "ok", detail),
	    TL_DELEGATED, d->id);
	audit_rel(audit_as(r, d->partner_tenant_id, 0, "", "delegated-admin.open", d->partner_name, "ok", detail),
	    TL_DELEGATED, d->id);
}

/* GET /delegated-admin/respond (?t=TOKEN on arrival) — works signed out (then: sign in as a
 * Global admin of the organization asked). Says who asks for what, for how long, and what
 * each role would let the partner do here; Approve and Decline for that organization's
 * Global admin. Who: anyone holding the link. */
int
page_da_respond(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct da_row d;
	struct token t;
	const char *problem = link_request(r, &d, &t);
	if (problem != NULL) {
		st = link_status(r);
		link_forget(r);
		return respond_page(r, st, NULL, problem);
	}
	/* Issue 13: the first visit by a valid link is "opened" (once: a conditional UPDATE). */
	int opened = invitation_opened(r, INV_DELEGATED, d.id);
	if (opened < 0)
		return page_error(r, 500, NULL);
	if (opened == 1)
		audit_opened(r, &d);
	if (r->sess == NULL)
		return respond_page(r, 200, &d, NULL);
	enum da_refusal why = answer_refusal(r, &d);
	return why == DA_OK ? respond_page(r, 200, &d, NULL) : respond_page(r, refusal_status(why), &d, da_refusal_text(why));
}

/* Tells the partner's users who may ask (the requester among them) the answer. 0 or -1. */
static int
notify_partner(struct req *r, const struct da_row *d, bool approved)
{
	struct user_list to;
	if (access_recipients(r->store, r->a, d->partner_tenant_id, PERM_DELEGATED_ADMIN_REQUEST, &to) < 0)
		return -1;
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(r->a);
		da_tv(r, m, d, d->partner_tenant_id);
		da_mail_times(r, m, d, to.v[i].email);
		tv_setb(m, "approved", approved);
		tv_set(m, "by", arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email));
		tv_setf(m, "rel_link", "%s/delegated-admin/%lld", r->portal->cfg.base_url, (long long)d->id);
		if (page_mail(r, to.v[i].email, "delegated-admin-answered", m) < 0)
			return -1;
	}
	return 0;
}

/* POST /delegated-admin/respond — decision=approve|decline, with the landing cookie (or t).
 * Approves (active from now for its duration) or declines, uses the link, tells the
 * partner, writes both organizations' logs. Who: DELEGATED_ADMIN_APPROVE (a Global admin),
 * of the organization asked; F_REAUTH (fresh proof within 10 minutes). */
int
page_da_respond_post(struct req *r)
{
	const char *decision = req_form(r, "decision");
	bool approve = decision != NULL && strcmp(decision, "approve") == 0;
	if (!approve && (decision == NULL || strcmp(decision, "decline") != 0))
		return page_error(r, 400, NULL);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct da_row d;
	struct token t;
	const char *problem = link_request(r, &d, &t);
	const char *action = approve ? "delegated-admin.approve" : "delegated-admin.decline";
	if (problem != NULL) {
		audit(r, action, "", "refused", "link");
		return respond_page(r, link_status(r), NULL, problem);
	}
	int64_t now = now_sec();
	enum da_refusal why = answer_refusal(r, &d);
	int n = 0;
	if (why == DA_OK) {
		/* the link first: of two answers at once, the second finds it used */
		n = link_use(r->store, &t) ? da_answer(r->store, &d, approve, r->sess->user_id, now) : 0;
		if (n < 0)
			return page_error(r, 500, NULL);
		if (n == 0)
			why = DA_NOT_PENDING;
	}
	if (why != DA_OK) {
		audit_rel(audit(r, action, d.partner_name, "refused", da_refusal_code(why)), TL_DELEGATED, d.id);
		return respond_page(r, refusal_status(why), &d, da_refusal_text(why));
	}
	const char *unused;
	if (da_of(r->store, r->a, d.id, r->sess->tenant_id, &d, &unused) != 1 || notify_partner(r, &d, approve) < 0)
		return page_error(r, 500, NULL);
	da_page_audit_both(r, &d, action, "ok", approve ? arena_printf(r->a, "roles %s until %s", roles_text(r->a, d.roles),
	    fmt_date(r->a, d.expires_at)) : NULL);
	link_forget(r);
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld?m=%s", (long long)d.id,
	    approve ? "da-approved" : "da-declined"));
}

/* ---- acting as partner ---- */

/* POST /delegated-admin/act — rel=ID: opens the other organization of relationship ID as partner:
 * from the next request on, User management, Roles, Organization profile and Audit log run
 * there with the granted roles (the dispatcher's acting_check), until Stop acting or the end
 * of the grant. Who: the partner's users the acting decision allows (da_acting_decision: Admin
 * agents and Global admins — DELEGATED_ADMIN_ACT —, and members of a user group assigned to the
 * relationship; issue 13), under an active grant. */
int
page_da_act_post(struct req *r)
{
	const char *text = req_form(r, "rel");
	char *end = NULL;
	long long id = text != NULL && *text ? strtoll(text, &end, 10) : 0;
	if (id <= 0 || *end != '\0')
		return page_error(r, 400, NULL);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct da_row d;
	int st = load(r, id, &d);
	if (st)
		return st;
	bool failed;
	enum da_refusal why = da_acting_decision(r->store, &d, r->sess, now_sec(), &failed);
	if (failed)
		return page_error(r, 500, NULL);
	if (why != DA_OK) {
		audit_rel(audit(r, "delegated-admin.act", d.customer_name, "refused", da_refusal_code(why)), TL_DELEGATED, d.id);
		int status = why == DA_WRONG_SIDE || why == DA_NOT_ADMIN_AGENT ? 403 : 409;
		/* issue 13: anyone signed in may ask (a group's member may act): the relationship's
		 * page only for those who may open it */
		return route_allows(r->sess, &routes[R_DA_ONE]) ? one_page(r, status, &d, da_refusal_text(why))
		    : page_error(r, status, da_refusal_text(why));
	}
	if (da_act(r->store, r->sess->id, d.id) < 0)
		return page_error(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.act", "ok", NULL);
	return resp_redirect(r, perm_allows(PERM_USERS_VIEW, d.roles) ? "/settings/users" : "/settings/roles");
}

/* POST /delegated-admin/ID/groups — group=ID, assign=1 (give the relationship's access to the
 * group's members) or 0 (take it away: a member acting under it is refused from the next
 * request). Who: USER_GROUPS_MANAGE (Global admin) of the partner; both logs and the
 * relationship's timeline. Issue 13. */
int
page_da_groups_post(struct req *r)
{
	int64_t gid;
	const char *assign_text = req_form(r, "assign");
	if (parse_i64(req_form(r, "group"), 1, INT64_MAX, &gid) < 0 || (!str_eq(assign_text, "1") && !str_eq(assign_text, "0")))
		return page_error(r, 400, NULL);
	bool assign = str_eq(assign_text, "1");
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct da_row d;
	int st = load(r, r->id, &d);
	if (st)
		return st;
	struct user_group g;
	st = page_lookup(r, group_get(r->store, r->a, gid, r->sess->tenant_id, &g, NULL), "user group", gid,
	    "not one of this organization's groups");
	if (st)
		return st;
	const char *action = assign ? "delegated-admin.group-assign" : "delegated-admin.group-unassign";
	enum group_refusal why;
	int n = da_group_assign(r->store, &d, &g, r->sess->tenant_id, assign, now_sec(), &why);
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0 && why != GROUP_OK) {
		audit_rel(audit(r, action, d.customer_name, "refused", group_refusal_text(why)), TL_DELEGATED, d.id);
		return one_page(r, why == GROUP_NOT_PARTNER ? 403 : 409, &d, group_refusal_text(why));
	}
	if (n == 1)
		da_page_audit_both(r, &d, action, "ok", arena_printf(r->a, "user group '%s'", g.name));
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld", (long long)d.id));
}

/* POST /delegated-admin/stop — back to one's own organization. Who: any signed-in user. */
int
page_da_stop_post(struct req *r)
{
	if (tx_begin(r) < 0 || da_act(r->store, r->sess->id, 0) < 0)
		return page_error(r, 500, NULL);
	if (r->acting != NULL)
		audit_rel(audit(r, "delegated-admin.stop", r->acting->tenant_name, "ok",
		    arena_printf(r->a, "delegated admin '%s'", r->acting->name)), TL_DELEGATED, r->acting->id);
	return resp_redirect(r, "/delegated-admin");
}

/* ---- terminate ---- */

static const struct field terminate_fields[] = {
	{ "reason", N_("Reason"), "textarea", DA_REASON_MAX, FF_REQUIRED | FF_MULTILINE, NULL,
	  N_("Both organizations see it, in the email and on the relationship. At most 500 characters."), NULL },
};

/* Whether the signed-in user may terminate d now. */
static enum da_refusal
terminate_refusal(struct req *r, const struct da_row *d)
{
	return da_can(DA_TERMINATE, d, r->sess->tenant_id,
	    perm_allows_in(r->sess, PERM_DELEGATED_ADMIN_APPROVE, d->customer_tenant_id), now_sec());
}

static int
terminate_page(struct req *r, int status, const struct da_row *d, struct form *f, const char *problem)
{
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("Terminate delegated admin '%s'"), d->name));
	page_crumbs(ctx, "/delegated-admin", _("Delegated admin"), arena_printf(r->a, "/delegated-admin/%lld", (long long)d->id),
	    arena_printf(r->a, _("Delegated admin '%s'"), d->name), NULL);
	da_tv(r, tv_obj(ctx, "rel"), d, r->sess->tenant_id);
	form_to_tv(f, ctx);
	tv_set(ctx, "problem", problem);
	tv_setb(ctx, "can", problem == NULL);
	return page_render(r, status, "delegated-admin/terminate", ctx);
}

/* GET /delegated-admin/terminate/ID — the confirmation: what ends, and a reason. Who: the
 * partner's users who may ask, or the other organization's Global admin; fresh proof. */
int
page_da_terminate(struct req *r)
{
	struct da_row d;
	int st = load(r, r->id, &d);
	if (st)
		return st;
	struct form f;
	form_init(&f, terminate_fields, NELEM(terminate_fields));
	enum da_refusal why = terminate_refusal(r, &d);
	return terminate_page(r, why == DA_OK ? 200 : refusal_status(why), &d, &f, why == DA_OK ? NULL : da_refusal_text(why));
}

/* Emails tmpl about d to both organizations (the partner's users who may ask, the other's
 * Global admins), each in their language and zone, as done by the signed-in user; was: for an
 * extension, the end it had before (the email's expires and was), else 0. 0 or -1. */
int
da_page_notify_both(struct req *r, const struct da_row *d, const char *tmpl, int64_t was)
{
	const int64_t side[2] = { d->partner_tenant_id, d->customer_tenant_id };
	const enum perm who[2] = { PERM_DELEGATED_ADMIN_REQUEST, PERM_DELEGATED_ADMIN_APPROVE };
	for (int k = 0; k < 2; k++) {
		struct user_list to;
		if (access_recipients(r->store, r->a, side[k], who[k], &to) < 0)
			return -1;
		for (size_t i = 0; i < to.n; i++) {
			struct tv *m = tv_new_obj(r->a);
			da_tv(r, m, d, side[k]);
			da_mail_times(r, m, d, to.v[i].email);
			tv_set(m, "by", arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email));
			tv_set(m, "by_org", r->sess->tenant_name);
			tv_setf(m, "rel_link", "%s/delegated-admin/%lld", r->portal->cfg.base_url, (long long)d->id);
			if (was != 0) {
				tv_set(m, "expires", page_mail_time(r, to.v[i].email, d->expires_at));
				tv_set(m, "was", page_mail_time(r, to.v[i].email, was));
			}
			if (page_mail(r, to.v[i].email, tmpl, m) < 0)
				return -1;
		}
	}
	return 0;
}

/* The termination's email to both organizations. 0 or -1. */
int
da_page_notify_terminated(struct req *r, const struct da_row *d)
{
	return da_page_notify_both(r, d, "delegated-admin-terminated", 0);
}

/* POST /delegated-admin/terminate/ID — reason. Ends the active relationship at once (a
 * partner acting under it is refused from its next request), emails both organizations,
 * writes both logs. Who: as the confirmation. */
int
page_da_terminate_post(struct req *r)
{
	struct form f;
	int errors = form_read(r, &f, terminate_fields, NELEM(terminate_fields));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct da_row d;
	int st = load(r, r->id, &d);
	if (st)
		return st;
	enum da_refusal why = terminate_refusal(r, &d);
	if (why == DA_OK && errors > 0)
		return terminate_page(r, 422, &d, &f, NULL);
	int n = why == DA_OK ? da_terminate(r->store, &d, r->sess->user_id, now_sec(), form_get(&f, "reason")) : 0;
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0) {
		if (why == DA_OK)
			why = DA_NOT_ACTIVE;
		audit_rel(audit(r, "delegated-admin.terminate", d.partner_tenant_id == r->sess->tenant_id ? d.customer_name
		    : d.partner_name, "refused", da_refusal_code(why)), TL_DELEGATED, d.id);
		return terminate_page(r, refusal_status(why), &d, &f, da_refusal_text(why));
	}
	const char *unused;
	if (da_of(r->store, r->a, d.id, r->sess->tenant_id, &d, &unused) != 1 || da_page_notify_terminated(r, &d) < 0)
		return page_error(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.terminate", "ok", d.end_reason);
	return resp_redirect(r, arena_printf(r->a, "/delegated-admin/%lld?m=da-terminated", (long long)d.id));
}
