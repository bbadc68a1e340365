/* authorize.c — the landing page of a provider's invitation link (SPEC §2.5): who the
 * provider is, what authorizing grants, and `Authorize indirect provider`.
 *
 * The link is /authorize?t=TOKEN (purpose reseller-invite, naming the invitation row and
 * its expiry). link_landing keeps the token in a cookie scoped to /authorize and redirects
 * to the address without it; a visitor who is signed out signs in (or creates a work
 * account) and comes back here. Every check is rel_decide's; the POST gathers the facts and
 * accepts inside one transaction, so two concurrent uses succeed exactly once. A refusal
 * writes nothing but an audit entry. */
#include <string.h>

#include "pages/invitation_parts.h"
#include "base/i18n.h"
#include "pages/authorize.h"
#include "base/portal.h"
#include "domain/partners.h"
#include "domain/timeline.h"
#include "web/form.h"
#include "web/http.h"
#include "web/landing.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/delegated.h"
#include "domain/relationships.h"
#include "base/util.h"

/* A visit's link and what rel_check found for it. */
struct view {
	struct rel_check c;
	const char *text;		/* the link's token as this visit carries it */
};

/* Reads everything rel_decide needs for link text and the visitor. Changes nothing.
 * 0, or -1 on a database error. */
static int
gather(struct req *r, const char *text, struct view *v)
{
	v->text = text;
	return rel_check(r->store, r->a, text, r->sess, now_sec(), &v->c);
}

static const short refusal_statuses[RR__COUNT] = {
	[RR_OK] = 200, [RR_NO_LINK] = 400, [RR_ALTERED] = 400, [RR_FOREIGN] = 400, [RR_OLD_KEY] = 410,
	[RR_EXPIRED] = 410, [RR_REVOKED] = 410, [RR_USED] = 409, [RR_REPLACED] = 410, [RR_PROVIDER_GONE] = 410,
	[RR_SIGNED_OUT] = 403, [RR_SELF] = 403, [RR_WRONG_TYPE] = 403, [RR_NOT_ENROLLED] = 403,
	[RR_OTHER_REGION] = 403, [RR_ALREADY_RELATED] = 409, [RR_NOT_ADMIN] = 403,
};

int
authorize_refusal_status(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT ? refusal_statuses[why] : 400;
}

static const char *
enrollment_words(int status)
{
	switch (status) {
	case PA_DRAFT: return _("your enrollment has not been submitted yet");
	case PA_PENDING_VERIFICATION: return _("your enrollment waits for the primary contact to verify their email");
	case PA_IN_REVIEW: return _("your enrollment is in review");
	case PA_REJECTED: return _("your enrollment was not approved");
	default: return _("it has not enrolled yet");
	}
}

/* The sentence for a refusal: what is wrong and what to do next. */
static const char *
refusal_text(struct req *r, const struct view *v)
{
	const char *p = v->c.provider.name && *v->c.provider.name ? v->c.provider.name : _("the provider");
	const char *org = r->sess ? r->sess->tenant_name : "";
	switch (v->c.why) {
	case RR_OK:
	case RR_SIGNED_OUT:
		return NULL;
	case RR_NO_LINK:
		return _("This page opens from the invitation link in an indirect provider's email. Open the link in the email again.");
	case RR_ALTERED:
		return _("This invitation link is not valid: it may have been changed or cut short. Copy the whole link from the email, or ask the provider to send the invitation again.");
	case RR_FOREIGN:
		return _("This link is not an invitation from an indirect provider. Open the link in the provider's invitation email.");
	case RR_OLD_KEY:
		return _("This invitation link is no longer valid. Ask the provider to send the invitation again.");
	case RR_EXPIRED:
		return _("This invitation has expired: invitation links work for 30 days. Ask the provider to send it again.");
	case RR_REVOKED:
		return arena_printf(r->a, _("%s has revoked this invitation. Ask them for a new one if you still want to work together."), p);
	case RR_USED:
		return _("This invitation has already been used: each invitation link works once. If your organization accepted it, the provider is on your Indirect providers page.");
	case RR_REPLACED:
		return arena_printf(r->a, _("%s has sent this invitation again, so this link no longer works. Use the link in the most recent email."), p);
	case RR_PROVIDER_GONE:
		return arena_printf(r->a, _("%s is no longer an approved indirect provider, so its invitation cannot be accepted."), p);
	case RR_SELF:
		return _("This invitation comes from your own organization. Send the link to the indirect reseller you want to work with.");
	case RR_WRONG_TYPE:
		return arena_printf(r->a, _("Only an indirect reseller can authorize an indirect provider, and %s is %s. Sign in with the work account of your reseller organization."),
		    org, r->sess && r->sess->tenant_kind == TENANT_CUSTOMER ? _("a customer organization")
		    : session_pa(r->sess, PT_INDIRECT_PROVIDER) != PA_NONE ? _("an indirect provider") : _("a direct-bill partner"));
	case RR_NOT_ENROLLED:
		return arena_printf(r->a, _("%s is not an approved indirect reseller yet: %s. Enroll as an indirect reseller first; this link keeps working until %s, so you can come back to it once your enrollment is approved."),
		    org, enrollment_words(v->c.f.reseller_status), page_time(r, v->c.f.row_expires));
	case RR_OTHER_REGION:
		return arena_printf(r->a, _("%s is in the %s region (%s) and %s is in the %s region (%s). Partners can work together only within the same CSP region."),
		    p, v->c.provider.region_name, v->c.provider.country, org, v->c.org.country.region_name, v->c.org.country.name);
	case RR_ALREADY_RELATED:
		return arena_printf(r->a, _("%s is already your indirect provider. You find it on your Indirect providers page."), p);
	case RR_NOT_ADMIN:
		return arena_printf(r->a, _("Only a Global admin or Account admin of %s can authorize an indirect provider. Ask one of them to open this link."), org);
	case RR__COUNT:
		break;
	}
	return _("This invitation cannot be used.");
}

static const struct field authorize_fields[] = {
	{ "confirm", N_("I authorize this indirect provider"), "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
};

static int
authorize_page(struct req *r, int status, const struct view *v, struct form *form)
{
	/* Issue 15, item 12: a refused link's page says so in its title, and never that the
	 * provider "invites your organization" under the refusal. */
	bool link_ok = v->c.why == RR_OK || v->c.why == RR_SIGNED_OUT || rel_refusal_keeps_link(v->c.why);
	const char *title = v->c.why == RR_OK || v->c.why == RR_SIGNED_OUT ? _("Authorize an indirect provider")
	    : v->c.why == RR_NOT_ENROLLED ? _("Enroll first to authorize an indirect provider")
	    : _("This invitation cannot be used");
	struct tv *ctx = page_ctx(r, title);
	tv_set(ctx, "heading", title);
	if (v->c.f.found && v->c.provider.name != NULL) {
		struct tv *p = tv_obj(ctx, "provider");
		tv_setb(p, "link_ok", link_ok);
		tv_set(p, "name", v->c.provider.name);
		tv_set(p, "mpn", *v->c.provider.mpn ? v->c.provider.mpn : _("Not linked"));
		tv_setf(p, "country", "%s (%s)", v->c.provider.country, v->c.provider.region_name);
		tv_set(p, "email", v->c.provider.support_email);
		tv_set(p, "website", v->c.provider.support_website);
		tv_set(p, "invited", v->c.inv.email);
		tv_set(p, "expires", page_time(r, v->c.f.row_expires));
		tv_lines(tv_list(p, "message_lines"), v->c.inv.message);
	}
	/* Who is shown the grant: anyone who may still act on this link. */
	tv_setb(ctx, "show_grant", link_ok && v->c.f.found);
	if (v->c.f.found && v->c.f.token == TOKEN_OK && invitation_state_tv(r, ctx, INV_RESELLER, v->c.inv.id) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: the delegated admin relationship authorizing creates, in plain words. */
	tv_set(ctx, "da_name", DA_DEFAULT_NAME);
	tv_set(ctx, "da_words", da_default_words(r->a, now_sec()));
	tv_set(ctx, "problem", refusal_text(r, v));
	tv_set(ctx, "problem_class", v->c.why == RR_NOT_ENROLLED || v->c.why == RR_NOT_ADMIN ? "warn" : "error");
	tv_setb(ctx, "enroll", v->c.why == RR_NOT_ENROLLED);
	tv_setb(ctx, "to_providers", v->c.why == RR_ALREADY_RELATED || (v->c.why == RR_USED && session_pa(r->sess, PT_INDIRECT_RESELLER) != PA_NONE));
	tv_setb(ctx, "signed_out", v->c.why == RR_SIGNED_OUT);
	tv_setb(ctx, "switch_account", v->c.why == RR_WRONG_TYPE || v->c.why == RR_NOT_ADMIN);
	tv_set(ctx, "next", url_encode(r->a, "/authorize"));
	if (v->c.why == RR_OK) {
		struct form empty;
		if (form == NULL) {
			form_init(&empty, authorize_fields, NELEM(authorize_fields));
			form_set(&empty, "t", v->text);
			form = &empty;
		}
		form_to_tv(form, ctx);
		struct tv *c = tv_obj(tv_obj(ctx, "f"), "confirm");
		tv_setf(c, "label", _("I authorize %s to be our indirect provider: it may submit orders and add subscriptions for our customers, and its admin agents get the delegated admin relationship '%s' (%s)."), v->c.provider.name,
		    DA_DEFAULT_NAME, da_default_words(r->a, now_sec()));
		tv_set(ctx, "org", r->sess->tenant_name);
	}
	return page_render(r, status, "authorize/page", ctx);
}

static void
audit_refusal(struct req *r, const struct view *v, const char *when)
{
	const char *target = v->c.provider.name ? v->c.provider.name : v->c.inv.id ? arena_printf(r->a, "invitation %lld", (long long)v->c.inv.id) : "";
	const char *detail = arena_printf(r->a, "%s%s%s", rel_refusal_code(v->c.why),
	    v->c.inv.id ? arena_printf(r->a, ", invitation %lld", (long long)v->c.inv.id) : "", when);
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
	if (gather(r, link_current(r), &v) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: the first visit by a valid link is "opened" (once: a conditional UPDATE). */
	if ((v.c.why == RR_OK || v.c.why == RR_SIGNED_OUT || rel_refusal_keeps_link(v.c.why)) && v.c.f.found &&
	    invitation_opened_audited(r, INV_RESELLER, v.c.inv.id, v.c.provider.tenant_id, v.c.inv.email) < 0)
		return page_error(r, 500, NULL);
	if (v.c.why == RR_OK || v.c.why == RR_SIGNED_OUT)
		return authorize_page(r, 200, &v, NULL);
	audit_refusal(r, &v, " (page)");
	if (!rel_refusal_keeps_link(v.c.why))
		link_forget(r);
	return authorize_page(r, authorize_refusal_status(v.c.why), &v, NULL);
}

/* Tells the provider: the inviting user, or (if gone) those who hear about its
 * relationships (rel_recipients: its users who may invite resellers). */
static int
notify_provider(struct req *r, const struct view *v, int64_t now)
{
	struct user_row inviter = { .email = v->c.inv.inviter_email };
	struct user_list to = { 0 };
	if (v->c.inv.inviter_email != NULL && *v->c.inv.inviter_email) {
		to.v = &inviter;
		to.n = 1;
	} else if (rel_recipients(r->store, r->a, v->c.provider.tenant_id, PT_INDIRECT_PROVIDER, &to) < 0)
		return -1;
	struct partner reseller;
	const char *mpn = partner_get(r->store, r->a, v->c.reseller_id, &reseller) == 1 ? reseller.mpn : "";
	for (size_t i = 0; i < to.n; i++) {
		struct tv *m = tv_new_obj(r->a);
		tv_set(m, "provider", v->c.provider.name);
		tv_set(m, "reseller", r->sess->tenant_name);
		tv_set(m, "reseller_mpn", *mpn ? mpn : "not linked");
		tv_setf(m, "reseller_country", "%s (%s)", v->c.org.country.name, v->c.org.country.region_name);
		tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
		tv_set(m, "invited", v->c.inv.email);
		tv_set(m, "when", page_mail_time(r, to.v[i].email, now));
		if (page_mail(r, to.v[i].email, "reseller-invitation-accepted", m) < 0)
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
	if (gather(r, text, &v) < 0)
		return page_error(r, 500, NULL);
	if (v.c.why != RR_OK) {
		audit_refusal(r, &v, "");
		if (!rel_refusal_keeps_link(v.c.why))
			link_forget(r);
		return authorize_page(r, authorize_refusal_status(v.c.why), &v, NULL);
	}
	if (f.nerrors > 0) {
		form_set(&f, "t", text);
		return authorize_page(r, 422, &v, &f);
	}
	int64_t rel = rel_authorize(r->store, &v.c, r->sess->user_id, &v.c.why);
	if (rel == 0) {
		audit_refusal(r, &v, "");
		if (v.c.why == RR_USED)
			link_forget(r);
		return authorize_page(r, authorize_refusal_status(v.c.why), &v, NULL);
	}
	if (rel < 0 || notify_provider(r, &v, v.c.f.now) < 0)
		return page_error(r, 500, NULL);
	const char *detail = arena_printf(r->a, "invitation %lld, relationship %lld, sent to %s", (long long)v.c.inv.id,
	    (long long)rel, v.c.inv.email);
	audit_rel(audit(r, "provider.authorize", v.c.provider.name, "ok", detail), TL_RESELLER, rel);
	struct audit_entry *e = audit_rel(audit(r, "invitation.accept", r->sess->tenant_name, "ok", detail), TL_RESELLER, rel);
	if (e != NULL)
		e->tenant_id = v.c.provider.tenant_id;	/* the provider's log: its reseller accepted */
	link_forget(r);
	return resp_redirect(r, "/providers?m=provider-authorized");
}
