/* invitations.c — see invitations.h. */
#include "domain/invitations.h"
#include "base/i18n.h"
#include "base/tz.h"

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/agreement.h"
#include "domain/audit.h"
#include "domain/relationships.h"
#include "domain/timeline.h"

/* issue 18: the state's word, and its date as a phrase of its own ("Accepted %s"), each
 * translated where shown (the thread's language; the date in it too: inv_state_line) */
static const char *const labels[INVS__COUNT] = {
	[INVS_SENT] = N_("Sent"), [INVS_OPENED] = N_("Opened"), [INVS_ACCEPTED] = N_("Accepted"),
	[INVS_DECLINED] = N_("Declined"), [INVS_EXPIRED] = N_("Expired"), [INVS_REVOKED] = N_("Revoked"),
};


enum inv_state
inv_state_at(const struct inv_dates *d, int64_t now)
{
	if (d->accepted_at)
		return INVS_ACCEPTED;
	if (d->declined_at)
		return INVS_DECLINED;
	if (d->revoked_at)
		return INVS_REVOKED;
	if (d->ended_expired || d->expires_at <= now)
		return INVS_EXPIRED;
	return d->opened_at ? INVS_OPENED : INVS_SENT;
}

const char *
inv_state_label(enum inv_state s)
{
	return s >= 0 && s < INVS__COUNT ? _(labels[s]) : "";
}

const char *
inv_state_line(struct arena *a, const struct inv_dates *d, int64_t now, const char *zone)
{
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, _("Sent %s"), fmt_datetime_in(a, d->sent_at, zone, NULL));
	if (d->opened_at) {
		buf_puts(&b, " · ");
		buf_printf(&b, _("Opened %s"), fmt_datetime_in(a, d->opened_at, zone, NULL));
	}
	enum inv_state s = inv_state_at(d, now);
	const char *t = fmt_datetime_in(a, s == INVS_ACCEPTED ? d->accepted_at : s == INVS_DECLINED ? d->declined_at
	    : s == INVS_REVOKED ? d->revoked_at : d->expires_at, zone, NULL);
	buf_puts(&b, " · ");
	switch (s) {
	case INVS_ACCEPTED: buf_printf(&b, _("Accepted %s"), t); break;
	case INVS_DECLINED: buf_printf(&b, _("Declined %s"), t); break;
	case INVS_REVOKED: buf_printf(&b, _("Revoked %s"), t); break;
	case INVS_EXPIRED: buf_printf(&b, _("Expired %s"), t); break;
	default: buf_printf(&b, _("link valid until %s"), t); break;
	}
	return b.failed ? "" : b.p;
}

int
inv_dates_of(struct store *s, enum inv_kind kind, int64_t id, struct inv_dates *out)
{
	return st_inv_dates(s, kind, id, out);
}

int
inv_opened(struct store *s, enum inv_kind kind, int64_t id, int64_t now)
{
	if (!store_in_write(s))
		return -1;
	int n = st_inv_opened(s, kind, id, now);
	return n < 0 ? -1 : n == 1;
}

int
inv_due(struct store *s, struct arena *a, enum inv_kind kind, int64_t now, struct inv_due_list *out)
{
	return st_inv_due(s, a, kind, now, INV_REMIND_BEFORE, INV_DUE_BATCH, out);
}

int
inv_claim_reminder(struct store *s, const struct inv_due *d, int64_t now)
{
	int n = st_inv_claim_reminder(s, d->kind, d->id, d->expires_at);
	if (n == 1 && d->kind != INV_DELEGATED && d->from_tenant > 0) {
		bool reseller = d->kind == INV_RESELLER;
		char detail[64];
		snprintf(detail, sizeof detail, reseller ? "invitation %lld" : "customer invitation %lld", (long long)d->id);
		struct audit_row row = { .at = now, .tenant_id = d->from_tenant, .actor = "portal",
			.action = reseller ? "invitation.remind" : "customer-invitation.remind", .target = d->email,
			.outcome = "ok", .detail = detail, .rel_kind = reseller ? TL_RESELLER_INV : TL_CUSTOMER_INV,
			.rel_id = d->id };
		if (audit_write(s, &row) < 0)
			return -1;
	}
	return n < 0 ? -1 : n == 1;
}

/* The organization of email's domain: its id, 0 none, -1. */
static int64_t
org_of(struct store *s, const char *email)
{
	const char *at = email != NULL ? strrchr(email, '@') : NULL;
	return at == NULL || at[1] == '\0' ? 0 : st_tenant_by_domain(s, at + 1);
}

int
inv_precheck_reseller(struct store *s, struct arena *a, int64_t provider_account, const char *email, int64_t now,
    struct inv_precheck *out)
{
	*out = (struct inv_precheck){ .level = INVC_OK };
	int64_t tenant = org_of(s, email);
	if (tenant <= 0)
		return tenant < 0 ? -1 : 0;
	struct partner provider;
	struct tenant_row org;
	struct partner_account_list accounts;
	if (st_partner_get(s, a, provider_account, &provider) <= 0 || st_tenant_get(s, a, tenant, &org) <= 0 ||
	    st_partner_accounts(s, a, tenant, &accounts) < 0)
		return -1;
	/* The facts acceptance would gather for a Global admin of that organization following a
	 * valid link of this invitation: the same decision decides. */
	struct rel_facts f = { .has_link = true, .token = TOKEN_OK, .token_expires = now + 1, .found = true,
		.status = INV_PENDING, .row_expires = now + 1, .now = now, .provider_status = (int)provider.status,
		.signed_in = true, .roles = ROLE_MASK(GLOBAL_ADMIN), .tenant_kind = org.kind,
		.same_org = tenant == provider.tenant_id, .reseller_status = PA_NONE,
		.provider_region = provider.region, .reseller_region = org.country.region };
	int64_t reseller = 0;
	for (size_t i = 0; i < accounts.n; i++) {
		if (accounts.v[i].type != PT_INDIRECT_RESELLER) {
			f.other_partner_type = true;
			continue;
		}
		f.reseller_status = (int)accounts.v[i].status;
		reseller = accounts.v[i].id;
	}
	if (reseller) {
		int64_t active = st_rel_active_id(s, provider_account, reseller);
		if (active < 0)
			return -1;
		f.related = active != 0;
	}
	switch (rel_decide(&f)) {
	case RR_SELF:
		*out = (struct inv_precheck){ INVC_REFUSE, _("This address belongs to your own organization: a provider cannot be its own reseller."), NULL, NULL };
		return 0;
	case RR_WRONG_TYPE:
		if (org.kind == TENANT_CUSTOMER) {
			*out = (struct inv_precheck){ INVC_REFUSE, arena_printf(a, _("This address belongs to %s, a customer organization: a customer cannot become an indirect reseller. Invite a partner's address instead."), org.name), NULL, NULL };
			return 0;
		}
		/* a partner without an indirect reseller account may enroll as one */
		__attribute__((fallthrough));
	case RR_NOT_ENROLLED:
		*out = (struct inv_precheck){ INVC_WARN, arena_printf(a, _("%s is not an approved indirect reseller yet: it can authorize you only after its enrollment is approved. The same link works then."), org.name),
			"/enroll", _("How enrollment works") };
		return 0;
	case RR_OTHER_REGION:
		*out = (struct inv_precheck){ INVC_REFUSE, arena_printf(a, _("%s is in %s, you are in %s: a reseller can authorize only a provider of its own region."), org.name, org.country.region_name, provider.region_name), NULL, NULL };
		return 0;
	case RR_ALREADY_RELATED:
		*out = (struct inv_precheck){ INVC_REFUSE, arena_printf(a, _("%s is already your indirect reseller."), org.name), "/resellers", _("See your resellers") };
		return 0;
	default:
		break;
	}
	/* Authorizing does not need the agreement, but nothing can be ordered for its customers
	 * until the reseller accepts it. */
	struct agreement_state ag;
	if (agreement_state(s, a, tenant, &ag) < 0)
		return -1;
	if (ag.published && !ag.accepted)
		*out = (struct inv_precheck){ INVC_WARN, arena_printf(a, _("%s has not accepted the current partner agreement (%s): it can authorize you, but no order can be placed for its customers until it does."), org.name, ag.version),
			"/agreement", _("About the partner agreement") };
	return 0;
}
