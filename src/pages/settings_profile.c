/* settings_profile.c — Settings -> Organization profile (SPEC §2.2, §2.4): Legal info (the
 * legal business profile, enrollment status per program, `Resend verification email` while
 * the primary contact is unverified), Identifiers (linked MPN IDs; linking another goes
 * through enroll_mpn.c), and Program info (program, enrollment status, the partner agreement). */
#include <string.h>

#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/agreement.h"
#include "domain/enroll.h"
#include "domain/partners.h"
#include "domain/words.h"
#include "pages/agreement.h"
#include "pages/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"

/* Issues a new verification link for account (earlier ones stop working) and queues the
 * email to the primary contact. Caller holds the transaction. 0 or -1. */
static int
send_verification(struct req *r, int64_t account)
{
	struct pa_change c;
	if (enroll_facts(r->store, r->a, account, &c, NULL) != 1)
		return -1;
	const char *link = enroll_verify_link(r->store, r->a, r->portal->cfg.base_url, account);
	if (link == NULL)
		return -1;
	c.to = PA_PENDING_VERIFICATION;		/* the verification email, whatever the status */
	struct tv *m = enroll_mail_tv(r->a, &c, link);
	tv_setb(m, "resend", true);
	return page_mail(r, c.contact_email, enroll_mail_template(c.to), m);
}

/* ctx.programs: each partner account with its status; ctx.support: the support details. */
static void
add_programs(struct req *r, struct tv *ctx, const struct partner_account_list *l)
{
	struct tv *programs = tv_list(ctx, "programs");
	for (size_t i = 0; i < l->n; i++) {
		const struct partner_account *a = &l->v[i];
		struct tv *p = tv_push(programs);
		tv_set(p, "type", partner_type_label(a->type));
		/* The details: the status only when it says more than the tag ("In review" beside
		 * "Pending"; never "Approved" twice), then the dates. */
		tv_set(p, "status", pa_status_label(a->status));
		tv_set(p, "short", pa_status_short(a->status));
		tv_set(p, "tag", a->status == PA_APPROVED ? "ok" : a->status == PA_REJECTED ? "err" : "warn");
		tv_set(p, "reason", a->reject_reason);
		tv_set(p, "support_email", a->support_email);
		tv_set(p, "support_phone", a->support_phone);
		tv_set(p, "support_website", a->support_website);
		const char *details = strcmp(pa_status_label(a->status), pa_status_short(a->status)) != 0
		    ? pa_status_label(a->status) : "";
		if (a->submitted_at != 0) {
			const char *when = arena_printf(r->a, _("Submitted %s"), fmt_date(r->a, a->submitted_at));
			details = *details ? arena_printf(r->a, "%s · %s", details, when) : when;
		}
		if (a->decided_at != 0) {
			const char *when = arena_printf(r->a, _("Decided %s"), fmt_date(r->a, a->decided_at));
			details = *details ? arena_printf(r->a, "%s · %s", details, when) : when;
		}
		tv_set(p, "details", details);
		if (a->verify_sent_at != 0)
			tv_set(p, "sent", page_time(r, a->verify_sent_at));
	}
	const struct partner_account *sup = enroll_support_account(l);
	if (sup != NULL) {
		struct tv *o = tv_obj(ctx, "support");
		tv_set(o, "support_email", sup->support_email);
		tv_set(o, "support_phone", sup->support_phone);
		tv_set(o, "support_website", sup->support_website);
	}
}

/* ctx.mpn: the linked MPN IDs. */
static void
add_mpns(struct req *r, struct tv *ctx, const struct tenant_mpn_list *l)
{
	struct tv *ids = tv_list(ctx, "mpn");
	for (size_t i = 0; i < l->n; i++) {
		struct tv *it = tv_push(ids);
		tv_set(it, "mpn_id", l->v[i].mpn_id);
		tv_set(it, "company", l->v[i].company_name);
		tv_set(it, "country", l->v[i].country);
		tv_setb(it, "active", l->v[i].active);
		tv_set(it, "linked", fmt_date(r->a, l->v[i].linked_at));
	}
}

/* ctx.agreement: signed or not, and whether this user may accept it. */
static void
add_agreement(struct req *r, struct tv *ctx, const struct agreement_state *ag)
{
	struct tv *a = tv_obj(ctx, "agreement");
	tv_setb(a, "available", ag->published);
	tv_setb(a, "signed", ag->accepted);
	tv_set(a, "version", ag->version);
	if (ag->accepted) {
		tv_set(a, "signer", ag->signer_name);
		tv_set(a, "signed_on", fmt_date(r->a, ag->accepted_at));
	}
	/* Only an organization in the program accepts it (issue 15): a customer never does, an
	 * organization that has not enrolled does once it has. */
	bool applies = agreement_applies(r);
	tv_setb(a, "applies", applies);
	tv_setb(a, "can_accept", applies && ag->published && !ag->accepted && route_allows(r->sess, &routes[R_AGREEMENT_POST]));
}

/* GET /settings/profile — Global admin, Account admin, User admin, Admin agent, Billing
 * admin. The three sections; edit and link controls for those who may edit. */
int
page_profile(struct req *r)
{
	struct enroll_state s;
	struct tenant_mpn_list mpns;
	struct agreement_state ag;
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0 ||
	    tenant_mpns(r->store, r->a, r->sess->tenant_id, &mpns) < 0 ||
	    agreement_state(r->store, r->a, r->sess->tenant_id, &ag) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Organization profile"));
	bool may_edit = route_allows(r->sess, &routes[R_PROFILE_LEGAL]);
	tv_setb(ctx, "may_edit", may_edit);
	struct tv *org = tv_obj(ctx, "org");
	tv_set(org, "name", s.tenant.name);
	tv_set(org, "domain", s.tenant.domain);
	tv_set(org, "country", s.tenant.country.name);
	tv_set(org, "region", s.tenant.country.region_name);
	tv_setb(org, "customer", s.customer);
	if (s.has_legal) {
		struct tv *legal = tv_obj(ctx, "legal");
		enroll_legal_tv(legal, &s.legal);
		if (s.contact_verified)
			tv_set(legal, "verified_on", fmt_date(r->a, s.legal.contact_verified_at));
	}
	add_programs(r, ctx, &s.accounts);
	tv_setb(ctx, "may_resend", may_edit && s.accounts.n > 0 && s.has_legal && !s.contact_verified);
	add_mpns(r, ctx, &mpns);
	add_agreement(r, ctx, &ag);
	return page_render(r, 200, "profile/index", ctx);
}

/* ---- Legal info: edit ---- */

/* The legal info form's fields for this organization (issue 15): a customer organization's
 * has no customer support details (those are a partner's, for its customers) and its primary
 * contact verifies an address, not an enrollment. *n is the count. */
static const struct field *
legal_fields(struct req *r, size_t *n)
{
	*n = enroll_profile_nfields;
	if (r->sess->tenant_kind != TENANT_CUSTOMER)
		return enroll_profile_fields;
	*n = enroll_profile_nfields - ENROLL_SUPPORT_N;
	struct field *f = arena_alloc(r->a, sizeof(*f) * *n);
	if (f == NULL) {
		*n = enroll_profile_nfields;
		return enroll_profile_fields;
	}
	memcpy(f, enroll_profile_fields, sizeof(*f) * *n);
	for (size_t i = 0; i < *n; i++)
		if (strcmp(f[i].name, "contact_email") == 0)
			f[i].help = _("We email this person to verify the address. An address at your company's domain: no "
			    "web-mail addresses (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com and the like).");
	return f;
}

static int
legal_form(struct req *r, int status, struct form *f)
{
	struct enroll_state s;
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Edit legal info"));
	form_to_tv(f, ctx);
	tv_set(ctx, "country", s.tenant.country.name);
	tv_setb(ctx, "has_accounts", s.accounts.n > 0);
	tv_setb(ctx, "customer", s.customer);
	return page_render(r, status, "profile/legal", ctx);
}

/* GET /settings/profile/legal — Global admin, Account admin. The legal business profile,
 * primary contact and customer support details as a form. */
int
page_profile_legal(struct req *r)
{
	struct enroll_state s;
	if (enroll_state_get(r->store, r->a, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	struct form f;
	size_t nf;
	const struct field *fields = legal_fields(r, &nf);
	form_init(&f, fields, nf);
	enroll_form_fill(&f, s.has_legal ? &s.legal : NULL, enroll_support_account(&s.accounts));
	return legal_form(r, 200, &f);
}

/* POST /settings/profile/legal — Global admin, Account admin: the profile fields. Saves the
 * profile and the support details of every program. A new primary contact address must be
 * verified again: it gets a new link (earlier links stop working). */
int
page_profile_legal_post(struct req *r)
{
	struct form f;
	size_t nf;
	const struct field *fields = legal_fields(r, &nf);
	if (form_read(r, &f, fields, nf) > 0)
		return legal_form(r, 422, &f);
	struct legal_profile legal;
	struct support_details sup;
	enroll_form_read(&f, &legal, &sup);
	struct partner_account_list accounts;
	bool changed;
	if (tx_begin(r) < 0 || enroll_profile_save(r->store, r->a, r->sess->tenant_id, &legal, &sup, &changed) < 0 ||
	    partner_accounts(r->store, r->a, r->sess->tenant_id, &accounts) < 0)
		return page_error(r, 500, NULL);
	int64_t account = enroll_verify_account(&accounts);
	bool sent = changed && account != 0;
	if (sent && send_verification(r, account) < 0)
		return page_error(r, 500, NULL);
	audit(r, "profile.update", "legal info", "ok", changed ? "primary contact changed" : NULL);
	return resp_redirect(r, sent ? "/settings/profile?m=profile-saved-verify" : "/settings/profile?m=profile-saved");
}

/* POST /settings/profile/resend — Global admin, Account admin. A new verification email
 * to the primary contact while they are unverified; earlier links stop working. */
int
page_profile_resend_post(struct req *r)
{
	struct partner_account_list accounts;
	if (partner_accounts(r->store, r->a, r->sess->tenant_id, &accounts) < 0)
		return page_error(r, 500, NULL);
	int64_t account = enroll_verify_account(&accounts);
	if (account == 0)
		return page_error(r, 409, _("Your organization has not enrolled yet: there is nothing to verify."));
	struct pa_change c;
	bool verified = false;
	if (tx_begin(r) < 0 || enroll_facts(r->store, r->a, account, &c, &verified) != 1)
		return page_error(r, 500, NULL);
	if (verified)
		return page_error(r, 409, _("The primary contact has already verified their email address."));
	if (str_empty(c.contact_email))
		return page_error(r, 409, _("Fill in the legal info with a primary contact first."));
	if (send_verification(r, account) < 0)
		return page_error(r, 500, NULL);
	audit(r, "enrollment.verify-resend", arena_printf(r->a, "partner account %lld", (long long)account), "ok",
	    c.contact_email);
	return resp_redirect(r, "/settings/profile?m=verification-sent");
}
