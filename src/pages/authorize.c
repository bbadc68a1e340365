/* page_authorize.c — the landing page of a provider's invitation link (SPEC §2.5): who the
 * provider is, what authorizing grants, and `Authorize indirect provider`.
 *
 * The link is /authorize?t=TOKEN (purpose reseller-invite, naming the invitation row and
 * its expiry). link_landing keeps the token in a cookie scoped to /authorize and redirects
 * to the address without it; a visitor who is signed out signs in (or creates a work
 * account) and comes back here. Every check is rel_decide's; the POST gathers the facts and
 * accepts inside one transaction, so two concurrent uses succeed exactly once. A refusal
 * writes nothing but an audit entry. */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "domain/link.h"
#include "web/landing.h"
#include "mail/mail.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/util.h"

struct view {
	struct rel_facts f;
	enum rel_refusal why;
	const char *text;		/* the link's token as this visit carries it */
	struct token t;
	int64_t inv_id, provider_id, provider_tenant, reseller_id;
	const char *inv_email, *inv_message, *inviter_email;
	/* the provider */
	const char *p_name, *p_mpn, *p_country, *p_region_name, *p_email, *p_website;
	/* the signed-in organization */
	const char *r_country, *r_region_name;
};

/* Reads everything rel_decide needs for link text and the visitor. Changes nothing. */
static void
gather(struct req *r, const char *text, struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->text = text;
	struct rel_facts *f = &v->f;
	f->now = now_sec();
	f->has_link = text != NULL;
	f->token = token_open(text, TP_RESELLER_INVITE, f->now, &v->t);
	if (f->has_link && f->token == TOKEN_OK) {
		f->token_expires = v->t.expires;
		sqlite3_stmt *st = db_q(r->store, Q_INV_GET, QI(v->t.row));
		if (db_step(st) == SQLITE_ROW) {
			f->found = true;
			v->inv_id = db_i64(st, 0);
			v->provider_id = db_i64(st, 1);
			v->inv_email = arena_strdup(r->a, db_text(st, 2));
			v->inv_message = arena_strdup(r->a, db_text(st, 3));
			f->row_expires = db_i64(st, 6);
			f->status = arena_strdup(r->a, db_text(st, 7));
			v->inviter_email = arena_strdup(r->a, db_text(st, 9));
		}
		sqlite3_reset(st);
	}
	if (f->found) {
		sqlite3_stmt *st = db_q(r->store, Q_REL_PARTNER, QI(v->provider_id));
		if (db_step(st) == SQLITE_ROW) {
			f->provider_status = arena_strdup(r->a, db_text(st, 2));
			v->provider_tenant = db_i64(st, 3);
			v->p_name = arena_strdup(r->a, db_text(st, 4));
			v->p_mpn = arena_strdup(r->a, db_text(st, 6));
			v->p_country = arena_strdup(r->a, db_text(st, 7));
			f->provider_region = arena_strdup(r->a, db_text(st, 8));
			v->p_region_name = arena_strdup(r->a, db_text(st, 9));
			v->p_email = arena_strdup(r->a, db_text(st, 10));
			v->p_website = arena_strdup(r->a, db_text(st, 11));
		}
		sqlite3_reset(st);
	}
	if (r->sess != NULL) {
		f->signed_in = true;
		f->roles = r->sess->roles;
		f->same_org = v->provider_tenant != 0 && r->sess->tenant_id == v->provider_tenant;
		f->reseller_status = rel_account(r->store, r->a, r->sess->tenant_id, "indirect_reseller", &v->reseller_id);
		f->other_partner_type = db_int(r->store, Q_REL_OTHER_TYPES, 0, QI(r->sess->tenant_id)) > 0;
		sqlite3_stmt *st = db_q(r->store, Q_REL_TENANT_REGION, QI(r->sess->tenant_id));
		if (db_step(st) == SQLITE_ROW) {
			f->tenant_kind = arena_strdup(r->a, db_text(st, 0));
			f->reseller_region = arena_strdup(r->a, db_text(st, 1));
			v->r_region_name = arena_strdup(r->a, db_text(st, 2));
			v->r_country = arena_strdup(r->a, db_text(st, 3));
		}
		sqlite3_reset(st);
		if (v->reseller_id && v->provider_id)
			f->related = db_int(r->store, Q_REL_ACTIVE_ID, 0, QI(v->provider_id), QI(v->reseller_id)) != 0;
	}
	v->why = rel_decide(f);
}

static const char *
enrollment_words(const char *status)
{
	return str_eq(status, "draft") ? "your enrollment has not been submitted yet"
	    : str_eq(status, "pending_verification") ? "your enrollment waits for the primary contact to verify their email"
	    : str_eq(status, "in_review") ? "your enrollment is in review"
	    : str_eq(status, "rejected") ? "your enrollment was not approved"
	    : "it has not enrolled yet";
}

/* The sentence for a refusal: what is wrong and what to do next. */
static const char *
refusal_text(struct req *r, const struct view *v)
{
	const char *p = v->p_name && *v->p_name ? v->p_name : "the provider";
	const char *org = r->sess ? r->sess->tenant_name : "";
	switch (v->why) {
	case RR_OK:
	case RR_SIGNED_OUT:
		return NULL;
	case RR_NO_LINK:
		return "This page opens from the invitation link in an indirect provider's email. Open the link in the email again.";
	case RR_ALTERED:
		return "This invitation link is not valid: it may have been changed or cut short. Copy the whole link from the email, or ask the provider to send the invitation again.";
	case RR_FOREIGN:
		return "This link is not an invitation from an indirect provider. Open the link in the provider's invitation email.";
	case RR_OLD_KEY:
		return "This invitation link is no longer valid. Ask the provider to send the invitation again.";
	case RR_EXPIRED:
		return "This invitation has expired: invitation links work for 30 days. Ask the provider to send it again.";
	case RR_REVOKED:
		return arena_printf(r->a, "%s has revoked this invitation. Ask them for a new one if you still want to work together.", p);
	case RR_USED:
		return "This invitation has already been used: each invitation link works once. If your organization accepted it, the provider is on your Indirect providers page.";
	case RR_REPLACED:
		return arena_printf(r->a, "%s has sent this invitation again, so this link no longer works. Use the link in the most recent email.", p);
	case RR_PROVIDER_GONE:
		return arena_printf(r->a, "%s is no longer an approved indirect provider, so its invitation cannot be accepted.", p);
	case RR_SELF:
		return "This invitation comes from your own organization. Send the link to the indirect reseller you want to work with.";
	case RR_WRONG_TYPE:
		return arena_printf(r->a, "Only an indirect reseller can authorize an indirect provider, and %s is %s. Sign in with the work account of your reseller organization.",
		    org, r->sess && r->sess->tenant_kind == TENANT_CUSTOMER ? "a customer organization"
		    : session_pa(r->sess, PT_INDIRECT_PROVIDER) != PA_NONE ? "an indirect provider" : "a direct-bill partner");
	case RR_NOT_ENROLLED:
		return arena_printf(r->a, "%s is not an approved indirect reseller yet: %s. Enroll as an indirect reseller first; this link keeps working until %s, so you can come back to it once your enrollment is approved.",
		    org, enrollment_words(v->f.reseller_status), fmt_datetime(r->a, v->f.row_expires));
	case RR_OTHER_REGION:
		return arena_printf(r->a, "%s is in the %s region (%s) and %s is in the %s region (%s). Partners can work together only within the same CSP region.",
		    p, v->p_region_name, v->p_country, org, v->r_region_name, v->r_country);
	case RR_ALREADY_RELATED:
		return arena_printf(r->a, "%s is already your indirect provider. You find it on your Indirect providers page.", p);
	case RR_NOT_ADMIN:
		return arena_printf(r->a, "Only a Global admin or Account admin of %s can authorize an indirect provider. Ask one of them to open this link.", org);
	case RR__COUNT:
		break;
	}
	return "This invitation cannot be used.";
}

static const struct field authorize_fields[] = {
	{ "confirm", "I authorize this indirect provider", "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "t", "Link", "hidden", 128, 0, NULL, NULL, NULL },
};

static int
authorize_page(struct req *r, int status, const struct view *v, struct form *form)
{
	struct tv *ctx = page_ctx(r, "Authorize an indirect provider");
	if (v->f.found && v->p_name != NULL) {
		struct tv *p = tv_obj(ctx, "provider");
		tv_set(p, "name", v->p_name);
		tv_set(p, "mpn", *v->p_mpn ? v->p_mpn : "Not linked");
		tv_setf(p, "country", "%s (%s)", v->p_country, v->p_region_name);
		tv_set(p, "email", v->p_email);
		tv_set(p, "website", v->p_website);
		tv_set(p, "invited", v->inv_email);
		tv_set(p, "expires", fmt_datetime(r->a, v->f.row_expires));
		tv_lines(tv_list(p, "message_lines"), v->inv_message);
	}
	/* Who is shown the grant: anyone who may still act on this link. */
	bool link_ok = v->why == RR_OK || v->why == RR_SIGNED_OUT || rel_refusal_keeps_link(v->why);
	tv_setb(ctx, "show_grant", link_ok && v->f.found);
	tv_set(ctx, "problem", refusal_text(r, v));
	tv_set(ctx, "problem_class", v->why == RR_NOT_ENROLLED || v->why == RR_NOT_ADMIN ? "warn" : "error");
	tv_setb(ctx, "enroll", v->why == RR_NOT_ENROLLED);
	tv_setb(ctx, "to_providers", v->why == RR_ALREADY_RELATED || (v->why == RR_USED && session_pa(r->sess, PT_INDIRECT_RESELLER) != PA_NONE));
	tv_setb(ctx, "signed_out", v->why == RR_SIGNED_OUT);
	tv_setb(ctx, "switch_account", v->why == RR_WRONG_TYPE || v->why == RR_NOT_ADMIN);
	tv_set(ctx, "next", url_encode(r->a, "/authorize"));
	if (v->why == RR_OK) {
		struct form empty;
		if (form == NULL) {
			form_init(&empty, authorize_fields, NELEM(authorize_fields));
			form_set(&empty, "t", v->text);
			form = &empty;
		}
		form_to_tv(form, ctx);
		struct tv *c = tv_obj(tv_obj(ctx, "f"), "confirm");
		tv_setf(c, "label", "I authorize %s to be our indirect provider: it may submit orders and add subscriptions for our customers, and gets administrator access to our work account.", v->p_name);
		tv_set(ctx, "org", r->sess->tenant_name);
	}
	return page_render(r, status, "authorize/page", ctx);
}

static void
audit_refusal(struct req *r, const struct view *v, const char *when)
{
	const char *target = v->p_name ? v->p_name : v->inv_id ? arena_printf(r->a, "invitation %lld", (long long)v->inv_id) : "";
	const char *detail = arena_printf(r->a, "%s%s%s", rel_refusal_code(v->why),
	    v->inv_id ? arena_printf(r->a, ", invitation %lld", (long long)v->inv_id) : "", when);
	audit(r, "provider.authorize", target, "refused", detail);
}

/* GET /authorize (?t=TOKEN on arrival) — works signed out. Shows the provider (name, MPN
 * ID, country), the invitation's message and what authorizing grants; signed out: Sign in
 * and Create one, both coming back here; signed in as a Global admin or Account admin of
 * an approved indirect reseller in the provider's region: the check box and
 * `Authorize indirect provider`; otherwise the reason it cannot be used. Who: anyone. */
int
page_authorize(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct view v;
	gather(r, link_current(r), &v);
	if (v.why == RR_OK || v.why == RR_SIGNED_OUT)
		return authorize_page(r, 200, &v, NULL);
	audit_refusal(r, &v, " (page)");
	if (!rel_refusal_keeps_link(v.why))
		link_forget(r);
	return authorize_page(r, rel_refusal_status(v.why), &v, NULL);
}

/* Tells the provider: the inviting user, or (if gone) its Global admins and Account admins. */
static int
notify_provider(struct req *r, const struct view *v, int64_t now)
{
	const char *to[REQ_MAX_MAIL];
	int n = 0;
	if (v->inviter_email != NULL && *v->inviter_email)
		to[n++] = v->inviter_email;
	else {
		sqlite3_stmt *st = db_q(r->store, Q_REL_TENANT_USERS_WITH_ROLES, QI(v->provider_tenant),
		    QI(ROLE_MASK(GLOBAL_ADMIN) | ROLE_MASK(ACCOUNT_ADMIN)));
		while (db_step(st) == SQLITE_ROW && n < REQ_MAX_MAIL - 1)
			to[n++] = arena_strdup(r->a, db_text(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_stmt *st = db_q(r->store, Q_REL_PARTNER, QI(v->reseller_id));
	const char *mpn = db_step(st) == SQLITE_ROW ? arena_strdup(r->a, db_text(st, 6)) : "";
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "provider", v->p_name);
		tv_set(m, "reseller", r->sess->tenant_name);
		tv_set(m, "reseller_mpn", *mpn ? mpn : "not linked");
		tv_setf(m, "reseller_country", "%s (%s)", v->r_country, v->r_region_name);
		tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
		tv_set(m, "invited", v->inv_email);
		tv_set(m, "when", fmt_datetime(r->a, now));
		if (page_mail(r, to[i], "reseller-invitation-accepted", m) < 0)
			return -1;
	}
	return 0;
}

/* POST /authorize — confirm (check box), t (the token; else the landing cookie). In one
 * transaction: the link is valid for this purpose and unused (pending → accepted, once),
 * the user is a Global admin or Account admin (the route's PROVIDERS_AUTHORIZE) of an
 * approved indirect reseller in the provider's region, and the two are not related yet.
 * Then the relationship exists with delegated admin access, the provider is told, and the
 * user lands on Indirect providers. Refusals: a page saying why, an audit entry, nothing else. */
int
page_authorize_post(struct req *r)
{
	struct form f;
	form_read(r, &f, authorize_fields, NELEM(authorize_fields));
	const char *text = form_get(&f, "t");
	if (str_empty(text))
		text = link_current(r);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct view v;
	gather(r, text, &v);
	if (v.why != RR_OK) {
		audit_refusal(r, &v, "");
		if (!rel_refusal_keeps_link(v.why))
			link_forget(r);
		return authorize_page(r, rel_refusal_status(v.why), &v, NULL);
	}
	if (f.nerrors > 0) {
		form_set(&f, "t", text);
		return authorize_page(r, 422, &v, &f);
	}
	int64_t now = v.f.now;
	if (db_run(r->store, Q_INV_ACCEPT, QI(r->sess->user_id), QI(now), QI(v.reseller_id), QI(v.inv_id), QI(v.t.expires)) != 1) {
		v.why = RR_USED;
		audit_refusal(r, &v, "");
		link_forget(r);
		return authorize_page(r, rel_refusal_status(v.why), &v, NULL);
	}
	int64_t rel = rel_create(r->store, v.provider_id, v.reseller_id, v.inv_id, r->sess->user_id, now);
	if (rel == 0) {
		v.why = RR_ALREADY_RELATED;
		audit_refusal(r, &v, "");
		return authorize_page(r, rel_refusal_status(v.why), &v, NULL);
	}
	if (rel < 0 || notify_provider(r, &v, now) < 0)
		return page_error(r, 500, NULL);
	const char *detail = arena_printf(r->a, "invitation %lld, relationship %lld, sent to %s", (long long)v.inv_id,
	    (long long)rel, v.inv_email);
	audit(r, "provider.authorize", v.p_name, "ok", detail);
	struct audit_entry *e = audit(r, "invitation.accept", r->sess->tenant_name, "ok", detail);
	if (e != NULL)
		e->tenant_id = v.provider_tenant;	/* the provider's log: its reseller accepted */
	link_forget(r);
	return resp_redirect(r, "/providers?m=provider-authorized");
}
