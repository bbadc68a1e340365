/* providers_customers.c — a reseller's customer invitations (SPEC §2.6): Invite new
 * customers for one of its indirect providers, one invitation with its link and a Copy link
 * button, and Revoke. The customer's Global admin accepts on /customer-invite
 * (customer_invite.c), which makes customer relationships with the reseller AND the
 * provider at once.
 *
 * Every route here is F_RESELLER_APPROVED: only users of an approved indirect reseller get in.
 * A relationship or invitation of another organization answers 404 (and is audited). */
#include "pages/invite_lang.h"
#include "pages/invitation_parts.h"
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/customers.h"
#include "domain/partners.h"
#include "domain/words.h"
#include "domain/timeline.h"
#include "pages/customers.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"

static char *
invite_link(struct req *r, int64_t id, int64_t expires)
{
	char *token = cust_invite_token(r->a, id, expires);
	return token ? arena_printf(r->a, "%s/customer-invite?t=%s", r->portal->cfg.base_url, token) : NULL;
}

int
cust_page_relationship(struct req *r, int64_t id, struct cust_reseller_rel *rel)
{
	const char *why = cust_reseller_rel(r->store, r->a, r->sess->tenant_id, id, rel);
	return why == NULL ? 0 : page_not_ours(r, "relationship", id, why);
}

void
cust_inv_state_tv(struct tv *obj, enum inv_status state)
{
	static const char *const tags[INV__COUNT] = {
		[INV_PENDING] = "warn", [INV_ACCEPTED] = "ok", [INV_REVOKED] = "muted", [INV_EXPIRED] = "err",
	};
	tv_set(obj, "state_text", inv_status_label(state));
	tv_set(obj, "tag", (unsigned)state < INV__COUNT ? tags[state] : "muted");
	tv_setb(obj, "pending", state == INV_PENDING);
}

/* ---- Invite new customers ---- */

static const struct field invite_fields[] = {
	{ "email", N_("Customer's email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  N_("Send it to the customer's Global admin: only a Global admin can accept. A new customer can create its organization from the link."), "off" },
	{ "message", N_("Message"), "textarea", CUST_MESSAGE_MAX, FF_MULTILINE, NULL,
	  N_("Shown in the email above the link. At most 1000 characters."), NULL },
	{ "delegated_admin", N_("Include delegated administration: ask the customer to let our admin agents and the provider's administer its work account."),
	  "checkbox", 3, 0, NULL, NULL, NULL },
	INVITE_LANG_FIELD,	/* issue 18 (pages/invite_lang.h) */
	/* Issue 13: shown with a warning of the checks before sending. */
	{ "send_anyway", N_("Send it anyway: I know what the warning above says"), "checkbox", 3, 0, NULL, NULL, NULL },
};

/* The form; with what the check before sending (issue 13) found (warn: the Send anyway box;
 * link, link_text: what to do; NULL: none). */
static int
invite_form_checked(struct req *r, int status, const struct cust_reseller_rel *rel, struct form *f, bool warn,
    const char *link, const char *link_text)
{
	struct tv *ctx = page_ctx(r, _("Invite new customers"));
	form_to_tv(f, ctx);
	tv_setb(ctx, "precheck_warn", warn);
	tv_set(ctx, "precheck_link", link);
	tv_set(ctx, "precheck_link_text", link_text);
	tv_seti(ctx, "rel", rel->id);
	tv_set(ctx, "provider", rel->provider_name);
	tv_seti(ctx, "ttl_days", CUST_INVITE_TTL / 86400);
	invite_lang_tv(r, ctx, f);	/* issue 18 */
	return page_render(r, status, "customers/invite", ctx);
}

static int
invite_form(struct req *r, int status, const struct cust_reseller_rel *rel, struct form *f)
{
	struct tv *ctx = page_ctx(r, _("Invite new customers"));
	page_crumbs(ctx, "/providers", _("Indirect providers"), arena_printf(r->a, "/providers/%lld/customers", (long long)rel->id),
	    arena_printf(r->a, _("Customers shared with %s"), rel->provider_name), NULL);
	form_to_tv(f, ctx);
	tv_seti(ctx, "rel", rel->id);
	tv_set(ctx, "provider", rel->provider_name);
	tv_seti(ctx, "ttl_days", CUST_INVITE_TTL / 86400);
	invite_lang_tv(r, ctx, f);	/* issue 18 */
	return page_render(r, status, "customers/invite", ctx);
}

/* GET /providers/ID/invite-customer — the form: the customer's email, an optional message and
 * whether to ask for delegated administration (ticked at first), for the provider of the
 * signed-in reseller's relationship ID. Who: CUSTOMERS_INVITE of an approved reseller. */
int
page_customer_invite_form(struct req *r)
{
	struct cust_reseller_rel rel;
	int st = cust_page_relationship(r, r->id, &rel);
	if (st)
		return st;
	struct form f;
	form_init(&f, invite_fields, NELEM(invite_fields));
	form_set(&f, "delegated_admin", "yes");
	return invite_form(r, 200, &rel, &f);
}

/* Queues the invitation email: who invites (the reseller, with its provider), the message,
 * the link on its own line, when it expires (pages/customers.h: the API sends it too). */
int
cust_send_invitation(struct req *r, const struct customer_invitation *inv)
{
	char *link = invite_link(r, inv->id, inv->expires_at);
	if (link == NULL)
		return -1;
	struct partner provider;
	if (partner_get(r->store, r->a, inv->provider_id, &provider) != 1)
		return -1;
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "reseller", r->sess->tenant_name);
	tv_set(m, "provider", provider.name);
	tv_set(m, "region", provider.region_name);
	tv_set(m, "inviter_name", r->sess->name);
	tv_set(m, "inviter_email", r->sess->email);
	tv_set(m, "link", link);
	/* issue 18: in the language the inviter chose (stored with the invitation), its time too */
	const char *lang = inv_lang(r->store, r->a, INV_CUSTOMER, inv->id);
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	tv_set(m, "lang", lang);
	tv_set(m, "expires", page_mail_time(r, inv->email, inv->expires_at));
	i18n_use(was);
	tv_setb(m, "delegated_admin", inv->delegated_admin);
	tv_lines(tv_list(m, "message_lines"), inv->message);
	page_mail_reply_to(r, m);
	return page_mail(r, inv->email, "customer-invitation", m);
}

/* POST /providers/ID/invite-customer — email, message, delegated_admin. Records the invitation
 * (reseller, provider, valid 30 days), emails the link, and shows the invitation with its
 * link and a copy button. One pending invitation per address and provider: a second one is
 * refused beside the field. Who: CUSTOMERS_INVITE of an approved reseller. */
int
page_customer_invite_form_post(struct req *r)
{
	struct cust_reseller_rel rel;
	int st = cust_page_relationship(r, r->id, &rel);
	if (st)
		return st;
	struct form f;
	if (form_read(r, &f, invite_fields, NELEM(invite_fields)) > 0)
		return invite_form(r, 422, &rel, &f);
	int64_t now = now_sec();
	struct customer_invitation inv = { .reseller_id = rel.reseller_id, .provider_id = rel.provider_id,
		.email = form_get(&f, "email"), .message = form_get(&f, "message"),
		.delegated_admin = !str_empty(form_get(&f, "delegated_admin")), .created_at = now,
		.created_by = r->sess->user_id, .expires_at = now + CUST_INVITE_TTL };
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: checked before sending, by acceptance's own decision (cust_decide) on the
	 * address's organization. Refused: the partners' own organization, another region, a
	 * customer of both already. Warned (Send anyway): a partner's work account (the recipient
	 * can create a separate customer organization from the link), our agreement not accepted. */
	/* issue 18: the email's language, the form's choice or its default */
	const char *lang = invite_lang_choice(r, &f, inv.email);
	if (lang == NULL)
		return store_failed(r->store) ? page_error(r, 500, NULL) : invite_form(r, 422, &rel, &f);
	enum cust_refusal why;
	const char *why_text;
	bool no_agreement;
	if (cust_precheck(r->store, r->a, rel.reseller_id, rel.provider_id, inv.email, now, &why, &why_text, &no_agreement) < 0)
		return page_error(r, 500, NULL);
	bool warn = cust_precheck_warns(why, no_agreement);
	if (why != CR_OK && !warn) {
		audit(r, "customer-invitation.send", inv.email, "refused", arena_printf(r->a, "checked before sending: %s", cust_refusal_code(why)));
		form_fail(&f, "email", why_text);
		return invite_form_checked(r, 422, &rel, &f, false, why == CR_ALREADY_CUSTOMER ? "/customers" : NULL,
		    why == CR_ALREADY_CUSTOMER ? _("See your customers") : NULL);
	}
	if (warn && str_empty(form_get(&f, "send_anyway"))) {
		form_fail(&f, "email", cust_precheck_warning(r->a, why, why_text));
		return invite_form_checked(r, 422, &rel, &f, true, why != CR_OK ? NULL : "/agreement", why != CR_OK ? NULL : _("Accept the partner agreement"));
	}
	int made = cust_invite(r->store, &inv);
	if (made < 0)
		return page_error(r, 500, NULL);
	if (made == 0) {
		form_fail(&f, "email", _("You have already invited this address with this provider and the invitation is still pending. Open it below the customers to copy its link, or revoke it first."));
		return invite_form(r, 422, &rel, &f);
	}
	if (inv_lang_set(r->store, INV_CUSTOMER, inv.id, lang) < 0 || cust_send_invitation(r, &inv) < 0)
		return page_error(r, 500, NULL);
	audit_rel(audit(r, "customer-invitation.send", inv.email, "ok", arena_printf(r->a, "customer invitation %lld, with %s%s",
	    (long long)inv.id, rel.provider_name, inv.delegated_admin ? ", delegated administration asked" : "")),
	    TL_CUSTOMER_INV, inv.id);
	return resp_redirect(r, arena_printf(r->a, "/providers/customer-invitations/%lld?m=customer-invitation-sent", (long long)inv.id));
}

/* ---- one invitation ---- */

/* Loads invitation id of the signed-in reseller. 0, or 404 (audited). */
static int
load_invitation(struct req *r, int64_t id, struct customer_invitation *inv)
{
	const char *why = NULL;
	int found = cust_invitation_of(r->store, r->a, r->sess->tenant_id, id, now_sec(), inv, &why);
	return page_lookup(r, found, "customer invitation", id, why);
}

static int
invitation_page(struct req *r, int status, const struct customer_invitation *inv, const char *problem)
{
	struct partner provider = { 0 };
	if (partner_get(r->store, r->a, inv->provider_id, &provider) < 0)
		return page_error(r, 500, NULL);
	int64_t rel = cust_partners_rel(r->store, inv->provider_id, inv->reseller_id);
	struct tv *ctx = page_ctx(r, _("Customer invitation"));
	if (rel > 0)
		page_crumbs(ctx, "/providers", _("Indirect providers"), arena_printf(r->a, "/providers/%lld/customers", (long long)rel),
		    arena_printf(r->a, _("Customers shared with %s"), provider.name), NULL);
	else
		page_crumbs(ctx, "/providers", _("Indirect providers"), NULL);
	struct tv *o = tv_obj(ctx, "inv");
	tv_seti(o, "id", inv->id);
	tv_set(o, "email", inv->email);
	tv_set(o, "provider", provider.name);
	cust_inv_state_tv(o, inv->state);
	tv_set(o, "sent", page_time(r, inv->created_at));
	tv_set(o, "expires", page_time(r, inv->expires_at));
	tv_set(o, "inviter", *inv->inviter_name ? arena_printf(r->a, "%s (%s)", inv->inviter_name, inv->inviter_email) : NULL);
	tv_setb(o, "delegated_admin", inv->delegated_admin);
	tv_lines(tv_list(o, "message_lines"), inv->message);
	if (inv->state == INV_PENDING)
		tv_set(o, "link", invite_link(r, inv->id, inv->expires_at));
	if (inv->accepted_at) {
		tv_set(o, "accepted", page_time(r, inv->accepted_at));
		tv_set(o, "customer", inv->customer_name);
		tv_seti(o, "customer_id", inv->customer_tenant_id);
	}
	if (rel > 0)
		tv_seti(ctx, "rel", rel);
	tv_set(ctx, "problem", problem);
	if (invitation_state_tv(r, ctx, INV_CUSTOMER, inv->id) < 0)
		return page_error(r, 500, NULL);
	return page_render(r, status, "customers/invitation", ctx);
}

/* GET /providers/customer-invitations/ID — one customer invitation: address, provider,
 * status, sent, expiry, message, delegated administration; while pending, the link with a
 * Copy link button, and Revoke. Who: CUSTOMERS_INVITE of the inviting reseller. */
int
page_customer_invitation(struct req *r)
{
	struct customer_invitation inv;
	int st = load_invitation(r, r->id, &inv);
	return st ? st : invitation_page(r, 200, &inv, NULL);
}

/* POST /providers/customer-invitations/revoke/ID — the link stops working at once. Pending
 * invitations only (409 otherwise). Who: CUSTOMERS_INVITE of the inviting reseller. */
int
page_customer_invitation_revoke_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct customer_invitation inv;
	int st = load_invitation(r, r->id, &inv);
	if (st)
		return st;
	int revoked = cust_invitation_revoke(r->store, &inv, r->sess->user_id, now_sec());
	if (revoked < 0)
		return page_error(r, 500, NULL);
	if (revoked == 0) {
		audit(r, "customer-invitation.revoke", inv.email, "refused", inv_status_key(inv.state));
		return invitation_page(r, 409, &inv, _("This invitation cannot be revoked: it was already accepted, revoked, or it has expired."));
	}
	audit_rel(audit(r, "customer-invitation.revoke", inv.email, "ok", arena_printf(r->a, "customer invitation %lld", (long long)inv.id)),
	    TL_CUSTOMER_INV, inv.id);
	int64_t rel = cust_partners_rel(r->store, inv.provider_id, inv.reseller_id);
	if (rel < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, rel ? arena_printf(r->a, "/providers/%lld/customers?m=customer-invitation-revoked", (long long)rel)
	    : "/providers?m=customer-invitation-revoked");
}

/* GET /providers/customer-invitations/revoke/ID — the confirmation before Revoke (issue 15,
 * item 10), as Delete user asks. A pending invitation only (its page with the reason, 409,
 * otherwise). Who: CUSTOMERS_INVITE of the inviting reseller. */
int
page_customer_invitation_revoke(struct req *r)
{
	struct customer_invitation inv;
	int st = load_invitation(r, r->id, &inv);
	if (st)
		return st;
	if (inv.state != INV_PENDING)
		return invitation_page(r, 409, &inv, _("This invitation cannot be revoked: it was already accepted, revoked, or it has expired."));
	struct tv *ctx = page_ctx(r, _("Revoke the customer invitation?"));
	page_crumbs(ctx, "/providers", _("Indirect providers"), arena_printf(r->a, "/providers/customer-invitations/%lld", (long long)inv.id),
	    _("Customer invitation"), NULL);
	struct tv *o = tv_obj(ctx, "inv");
	tv_seti(o, "id", inv.id);
	tv_set(o, "email", inv.email);
	cust_inv_state_tv(o, inv.state);
	tv_set(o, "sent", page_time(r, inv.created_at));
	tv_set(o, "expires", page_time(r, inv.expires_at));
	return page_render(r, 200, "customers/invitation-revoke", ctx);
}
