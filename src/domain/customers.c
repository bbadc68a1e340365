/* customers.c — see customers.h. */
#include "domain/customers.h"

#include <sodium.h>
#include <string.h>

#include "base/numfmt.h"
#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/agreement.h"
#include "domain/delegated.h"
#include "domain/partners.h"
#include "domain/timeline.h"
#include "domain/webhooks.h"
#include "domain/words.h"

/* ---- the decision ---- */

static bool
approved(enum pa_status status)
{
	return status == PA_APPROVED;
}

/* The link part of accepting: the token, the row, its state. */
static enum cust_refusal
decide_link(const struct cust_facts *f)
{
	if (!f->has_link)
		return CR_NO_LINK;
	switch (f->token) {
	case TOKEN_OK: break;
	case TOKEN_EXPIRED: return CR_EXPIRED;
	case TOKEN_WRONG_PURPOSE: return CR_FOREIGN;
	case TOKEN_BAD_KEY: return CR_OLD_KEY;
	case TOKEN_MALFORMED:
	case TOKEN_BAD_MAC:
	default: return CR_ALTERED;
	}
	if (!f->found)
		return CR_ALTERED;
	switch (f->status) {
	case INV_REVOKED: return CR_REVOKED;
	case INV_ACCEPTED: return CR_USED;
	case INV_EXPIRED: return CR_EXPIRED;
	case INV_PENDING:
	case INV__COUNT: break;
	}
	/* A token names its row's expiry; another expiry is not a link this portal issued. */
	if (f->row_expires != f->token_expires)
		return CR_ALTERED;
	if (f->row_expires <= f->now)
		return CR_EXPIRED;
	return CR_OK;
}

enum cust_refusal
cust_decide(const struct cust_facts *f)
{
	if (f->action == CUST_ACCEPT) {
		enum cust_refusal why = decide_link(f);
		if (why != CR_OK)
			return why;
		if (!approved(f->reseller_status) || !approved(f->provider_status))
			return CR_PARTNER_NOT_APPROVED;
	}
	/* The reseller and its provider work together (both actions). */
	if (!f->relationship_active)
		return CR_RELATIONSHIP_INACTIVE;
	if (f->action == CUST_ACCEPT && !f->signed_in)
		return CR_SIGNED_OUT;

	/* The customer organization: never a partner's own tenant, never a reseller of this
	 * provider with the tenant it uses as a partner, never any partner-type tenant. */
	if (f->customer_tenant != 0 && (f->customer_tenant == f->reseller_tenant || f->customer_tenant == f->provider_tenant))
		return CR_OWN_TENANT;
	if (f->customer_resells_for_provider)
		return CR_RESELLER_OF_PROVIDER;
	if (f->customer_kind != TENANT_CUSTOMER || f->customer_has_partner_account)
		return CR_PARTNER_TENANT;
	if (f->action == CUST_ORDER) {
		if (!f->customer_of_provider)
			return CR_NOT_CUSTOMER_OF_PROVIDER;
		if (!f->customer_of_reseller)
			return CR_NOT_CUSTOMER_OF_RESELLER;
	}
	if (!str_eq(f->customer_region, f->reseller_region) || !str_eq(f->customer_region, f->provider_region))
		return CR_OTHER_REGION;

	if (f->action == CUST_ACCEPT) {
		if (!perm_allows(PERM_CUSTOMER_ACCEPT, f->roles))
			return CR_NOT_GLOBAL_ADMIN;
		if (f->customer_of_reseller && f->customer_of_provider)
			return CR_ALREADY_CUSTOMER;
		return CR_OK;
	}
	/* Ordering: both partners may transact (approved, current agreement accepted), and the
	 * subscription carries one of the reseller's MPN IDs. */
	if (f->reseller_gate != GATE_OK)
		return CR_RESELLER_GATE;
	if (f->provider_gate != GATE_OK)
		return CR_PROVIDER_GATE;
	if (!f->mpn_of_reseller)
		return CR_MPN_NOT_RESELLERS;
	return CR_OK;
}

static const struct {
	const char *code;
	int status;
	bool keeps_link;
} refusals[CR__COUNT] = {
	[CR_OK] = { "ok", 200, true },
	[CR_NO_LINK] = { "no-link", 400, false },
	[CR_ALTERED] = { "altered", 400, false },
	[CR_FOREIGN] = { "foreign-link", 400, false },
	[CR_OLD_KEY] = { "retired-key", 410, false },
	[CR_EXPIRED] = { "expired", 410, false },
	[CR_REVOKED] = { "revoked", 410, false },
	[CR_USED] = { "used", 409, false },
	[CR_PARTNER_NOT_APPROVED] = { "partner-not-approved", 410, false },
	[CR_SIGNED_OUT] = { "signed-out", 403, true },
	[CR_RELATIONSHIP_INACTIVE] = { "relationship-inactive", 403, false },
	[CR_OWN_TENANT] = { "own-tenant", 403, true },
	[CR_RESELLER_OF_PROVIDER] = { "reseller-of-provider", 403, true },
	[CR_PARTNER_TENANT] = { "partner-tenant", 403, true },
	[CR_NOT_CUSTOMER_OF_PROVIDER] = { "not-customer-of-provider", 403, false },
	[CR_NOT_CUSTOMER_OF_RESELLER] = { "not-customer-of-reseller", 403, false },
	[CR_OTHER_REGION] = { "other-region", 403, true },
	[CR_NOT_GLOBAL_ADMIN] = { "not-global-admin", 403, true },
	[CR_ALREADY_CUSTOMER] = { "already-customer", 409, false },
	[CR_RESELLER_GATE] = { "reseller-may-not-transact", 403, false },
	[CR_PROVIDER_GATE] = { "provider-may-not-transact", 403, false },
	[CR_MPN_NOT_RESELLERS] = { "mpn-not-resellers", 403, false },
};

const char *
cust_refusal_code(enum cust_refusal why)
{
	return why >= 0 && why < CR__COUNT ? refusals[why].code : "?";
}

int
cust_refusal_status(enum cust_refusal why)
{
	return why >= 0 && why < CR__COUNT ? refusals[why].status : 400;
}

bool
cust_refusal_keeps_link(enum cust_refusal why)
{
	return why >= 0 && why < CR__COUNT && refusals[why].keeps_link;
}

/* "the organization has not accepted ..." from the gate's "The organization has ..." */
static const char *
lower_first(struct arena *a, const char *s)
{
	if (s == NULL || *s == '\0')
		return _("it cannot transact now.");
	char *c = arena_strdup(a, s);
	if (c != NULL && c[0] >= 'A' && c[0] <= 'Z')
		c[0] = (char)(c[0] - 'A' + 'a');
	return c ? c : s;
}

static const char *
nz(const char *s, const char *dflt)
{
	return s != NULL && *s ? s : dflt;
}

const char *
cust_refusal_text(struct arena *a, const struct cust_facts *f, enum cust_refusal why, const struct cust_names *n)
{
	const char *s = nz(n->reseller, _("the reseller")), *p = nz(n->provider, _("the provider"));
	const char *org = nz(n->customer, _("your organization"));
	switch (why) {
	case CR_OK:
	case CR_SIGNED_OUT:
	case CR__COUNT:
		return NULL;
	case CR_NO_LINK:
		return _("This page opens from the invitation link in a partner's email. Open the link in the email again.");
	case CR_ALTERED:
		return _("This invitation link is not valid: it may have been changed or cut short. Copy the whole link from the email, or ask your partner to send a new invitation.");
	case CR_FOREIGN:
		return _("This link is not a customer invitation. Open the link in your partner's invitation email.");
	case CR_OLD_KEY:
		return _("This invitation link is no longer valid. Ask your partner to send a new invitation.");
	case CR_EXPIRED:
		return arena_printf(a, _("This invitation has expired: customer invitation links work for 30 days. Ask %s to send a new one."), s);
	case CR_REVOKED:
		return arena_printf(a, _("%s has revoked this invitation. Ask them for a new one if you still want to work with them."), s);
	case CR_USED:
		return arena_printf(a, _("This invitation has already been used: each invitation link works once. If your organization accepted it, %s and %s are listed as your partners on the Customers page."), s, p);
	case CR_PARTNER_NOT_APPROVED:
		return arena_printf(a, _("Rule: both partners must be approved in the program. %s is no longer an approved %s, so this invitation cannot be accepted."),
		    approved(f->reseller_status) ? p : s,
		    partner_type_words(approved(f->reseller_status) ? PT_INDIRECT_PROVIDER : PT_INDIRECT_RESELLER));
	case CR_RELATIONSHIP_INACTIVE:
		if (f->action == CUST_ACCEPT)
			return arena_printf(a, _("Rule: a reseller invites customers together with an indirect provider it works with. %s and %s no longer have an active relationship, so this invitation cannot be accepted."), s, p);
		return arena_printf(a, _("Rule: a provider orders on behalf of a reseller only while the two have an active relationship. %s and %s have no active relationship. No order was placed."), p, s);
	case CR_OWN_TENANT:
		return arena_printf(a, _("Rule: a partner cannot be its own customer. %s is the work account %s uses in the program, and partners may not sell to themselves. Buying for your own use needs a separate customer organization (another work account), bought from another partner."),
		    org, f->customer_tenant == f->reseller_tenant ? s : p);
	case CR_RESELLER_OF_PROVIDER:
		return arena_printf(a, _("Rule: an indirect reseller of %s cannot become its customer with the same work account. %s is an indirect reseller of %s; to buy for its own use it must use another work account: create a separate customer organization with this link."),
		    p, org, p);
	case CR_PARTNER_TENANT:
		return arena_printf(a, _("Rule: a partner's work account cannot be a customer. %s is a partner work account; a customer needs a customer organization. Create one with this link (a new organization with its own domain), or sign in to your customer organization."), org);
	case CR_NOT_CUSTOMER_OF_PROVIDER:
		return arena_printf(a, _("Rule: a provider orders only for a customer it has a relationship with. %s has no customer relationship with %s. No order was placed."), org, p);
	case CR_NOT_CUSTOMER_OF_RESELLER:
		return arena_printf(a, _("Rule: an order on behalf of a reseller needs the customer's relationship with that reseller. %s has no customer relationship with %s. No order was placed."), org, s);
	case CR_OTHER_REGION:
		return arena_printf(a, f->action == CUST_ORDER
		    ? _("Rule: partners sell only to customers in their own region. %s is in %s (%s), and %s and %s work in %s. No order was placed.")
		    : _("Rule: partners sell only to customers in their own region. %s is in %s (%s), and %s and %s work in %s."),
		    org, nz(n->customer_country, _("another country")), nz(n->customer_region, _("another region")), s, p,
		    nz(n->partner_region, _("another region")));
	case CR_NOT_GLOBAL_ADMIN:
		return arena_printf(a, _("Rule: only a Global admin of the customer organization can accept. Ask %s of %s to open this link."),
		    nz(n->admins, _("a Global admin")), org);
	case CR_ALREADY_CUSTOMER:
		return arena_printf(a, _("%s is already a customer of both %s and %s. You find them on your Customers page."), org, s, p);
	case CR_RESELLER_GATE:
		return arena_printf(a, _("Rule: a provider orders on behalf of a reseller only when the reseller may transact: approved, with the current partner agreement accepted. %s cannot yet: %s No order was placed."),
		    s, lower_first(a, n->reseller_gate));
	case CR_PROVIDER_GATE:
		return arena_printf(a, _("Rule: a provider places orders only when it may transact itself: approved, with the current partner agreement accepted. %s cannot yet: %s No order was placed."),
		    p, lower_first(a, n->provider_gate));
	case CR_MPN_NOT_RESELLERS:
		return arena_printf(a, _("Rule: an order carries one of the reseller's own MPN IDs. %s is not an MPN ID of %s. No order was placed."),
		    nz(n->mpn, _("This MPN ID")), s);
	}
	return _("This cannot be done.");
}

/* ---- the rows the rules are about ---- */

/* Partner account id into p; zeroed (name NULL) when there is none. 0, or -1 on error. */
static int
load_partner(struct store *s, struct arena *a, int64_t id, struct partner *p)
{
	memset(p, 0, sizeof(*p));
	int rc = id != 0 ? partner_get(s, a, id, p) : 0;
	if (rc != 1)
		memset(p, 0, sizeof(*p));
	return rc < 0 ? -1 : 0;
}

/* Organization id into t; zeroed (id 0) when there is none. 0, or -1 on error. */
static int
load_tenant(struct store *s, struct arena *a, int64_t id, struct tenant_row *t)
{
	memset(t, 0, sizeof(*t));
	int rc = tenant_get(s, a, id, t);
	if (rc != 1)
		memset(t, 0, sizeof(*t));
	return rc < 0 ? -1 : 0;
}

/* Whether MPN ID mpn is linked to tenant: 1, 0, or -1 on error. */
static int
tenant_has_mpn(struct store *s, struct arena *a, int64_t tenant, const char *mpn)
{
	struct tenant_mpn_list l;
	if (tenant_mpns(s, a, tenant, &l) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++)
		if (str_eq(l.v[i].mpn_id, mpn))
			return 1;
	return 0;
}

/* Fills the partner and customer facts both actions share (statuses, regions, the
 * relationship, the customer's kind, partner accounts and relationships). 0 or -1. */
static int
facts_common(struct store *s, struct arena *a, struct cust_facts *f, const struct partner *reseller,
    const struct partner *provider, const struct tenant_row *customer)
{
	f->reseller_status = reseller->status;
	f->provider_status = provider->status;
	f->reseller_tenant = reseller->tenant_id;
	f->provider_tenant = provider->tenant_id;
	f->reseller_region = reseller->region;
	f->provider_region = provider->region;
	int64_t rel = reseller->id && provider->id ? st_rel_active_id(s, provider->id, reseller->id) : 0;
	f->relationship_active = rel > 0;
	if (rel < 0)
		return -1;
	if (customer == NULL || customer->id == 0)
		return 0;
	f->customer_tenant = customer->id;
	f->customer_kind = customer->kind;
	f->customer_region = customer->country.region;
	struct partner_account_list accounts;
	int64_t resells = provider->id ? st_cust_resells_for(s, customer->id, provider->id) : 0;
	int64_t of_reseller = reseller->id ? st_cust_rel_active(s, reseller->id, customer->id) : 0;
	int64_t of_provider = provider->id ? st_cust_rel_active(s, provider->id, customer->id) : 0;
	if (partner_accounts(s, a, customer->id, &accounts) < 0 || resells < 0 || of_reseller < 0 || of_provider < 0)
		return -1;
	f->customer_has_partner_account = accounts.n > 0;
	f->customer_resells_for_provider = resells > 0;
	f->customer_of_reseller = of_reseller > 0;
	f->customer_of_provider = of_provider > 0;
	return 0;
}

/* The names for cust_refusal_text (customer may be NULL). 0 or -1. */
static int
names_fill(struct store *s, struct arena *a, struct cust_names *n, const struct partner *reseller,
    const struct partner *provider, const struct tenant_row *customer)
{
	n->reseller = reseller->name;
	n->provider = provider->name;
	n->partner_region = provider->region_name ? provider->region_name : reseller->region_name;
	if (customer == NULL || customer->id == 0)
		return 0;
	n->customer = customer->name;
	n->customer_country = customer->country.name;
	n->customer_region = customer->country.region_name;
	/* Who may accept for the customer, for "ask ... to open this link" (a few names). */
	struct user_list admins;
	if (access_recipients(s, a, customer->id, PERM_CUSTOMER_ACCEPT, &admins) < 0)
		return -1;
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	for (size_t i = 0; i < admins.n && i < 5; i++)
		buf_printf(&b, "%s%s (%s)", i ? ", " : "", admins.v[i].name, admins.v[i].email);
	n->admins = b.len && !b.failed ? b.p : NULL;
	return 0;
}

/* ---- accepting ---- */

int
cust_accept_gather(struct store *s, struct arena *a, const char *text, int64_t tenant_id, unsigned user_roles,
    int64_t now, struct cust_accept *out)
{
	memset(out, 0, sizeof(*out));
	struct cust_facts *f = &out->f;
	f->action = CUST_ACCEPT;
	f->now = now;
	out->text = text;
	f->has_link = text != NULL;
	f->token = token_open(text, TP_CUSTOMER_INVITE, now, &out->t);
	int rc = 0;
	if (f->has_link && f->token == TOKEN_OK) {
		f->token_expires = out->t.expires;
		int found = cust_invitation_load(s, a, out->t.row, now, &out->inv);
		if (found < 0)
			rc = -1;
		f->found = found > 0;
		f->status = out->inv.status;
		f->row_expires = out->inv.expires_at;
	}
	if (f->found && (load_partner(s, a, out->inv.reseller_id, &out->reseller) < 0 ||
	    load_partner(s, a, out->inv.provider_id, &out->provider) < 0))
		rc = -1;
	const struct tenant_row *customer = NULL;
	if (tenant_id != 0) {
		f->signed_in = true;
		f->roles = user_roles;
		if (load_tenant(s, a, tenant_id, &out->customer) < 0)
			rc = -1;
		customer = &out->customer;
	}
	if (facts_common(s, a, f, &out->reseller, &out->provider, customer) < 0 ||
	    names_fill(s, a, &out->names, &out->reseller, &out->provider, customer) < 0)
		rc = -1;
	out->why = cust_decide(f);
	return rc;
}

int
cust_accept(struct store *s, const struct cust_accept *v, int64_t user, int64_t customer, int64_t now, bool made[2])
{
	/* The decision was read in this write transaction: the write promise keeps it true. */
	if (!store_in_write(s) || v->why != CR_OK)
		return -1;
	int used = st_cinv_accept(s, v->inv.id, v->t.expires, user, customer, now);
	if (used <= 0)
		return used;
	const struct partner *side[2] = { &v->reseller, &v->provider };
	bool da = cust_accept_delegated(v);
	for (int k = 0; k < 2; k++) {
		int m = cust_relate(s, side[k]->id, customer, v->inv.id, v->inv.created_by, user, da, now);
		if (m < 0)
			return -1;
		made[k] = m > 0;
		if (da && da_grant_default(s, side[k]->tenant_id, customer, DAK_CUSTOMER, user, now) < 0)
			return -1;
	}
	/* Issue 13: the invitation's entries (the reseller invited, the link was opened...) start
	 * the timeline of the reseller's relationship with the customer, whose invitation it was. */
	int64_t rel = tl_customer_rel(s, v->reseller.id, customer);
	if (rel < 0 || tl_adopt(s, TL_CUSTOMER_INV, v->inv.id, TL_CUSTOMER, rel) < 0)
		return -1;
	/* webhooks: each partner organization the customer now works with */
	for (int k = 0; k < 2; k++) {
		if (side[k]->name == NULL || side[k]->tenant_id <= 0 || (k == 1 && side[1]->tenant_id == side[0]->tenant_id))
			continue;
		json_t *d = json_pack("{s:I, s:{s:I, s:s}, s:o}", "invitation_id", (json_int_t)v->inv.id, "customer",
		    "organization_id", (json_int_t)customer, "name", v->customer.name ? v->customer.name : "", "partner",
		    webhook_partner(side[k]));
		if (webhook_enqueue(s, side[k]->tenant_id, WH_CUSTOMER_ACCEPTED, now, d) < 0)
			return -1;
	}
	return 1;
}

int
cust_precheck(struct store *s, struct arena *a, int64_t reseller, int64_t provider, const char *email, int64_t now,
    enum cust_refusal *why, const char **text, bool *agreement_missing)
{
	*why = CR_OK;
	*text = NULL;
	*agreement_missing = false;
	struct partner rp, pp;
	if (load_partner(s, a, reseller, &rp) < 0 || load_partner(s, a, provider, &pp) < 0)
		return -1;
	struct agreement_state ag;
	if (agreement_state(s, a, rp.tenant_id, &ag) < 0)
		return -1;
	*agreement_missing = ag.published && !ag.accepted;
	const char *at = email != NULL ? strrchr(email, '@') : NULL;
	int64_t tenant = at != NULL && at[1] ? st_tenant_by_domain(s, at + 1) : 0;
	if (tenant <= 0)
		return tenant < 0 ? -1 : 0;
	struct tenant_row customer;
	struct cust_names names;
	struct cust_facts f = { .action = CUST_ACCEPT, .has_link = true, .token = TOKEN_OK, .token_expires = now + 1,
		.found = true, .status = INV_PENDING, .row_expires = now + 1, .now = now, .signed_in = true,
		.roles = ROLE_MASK(GLOBAL_ADMIN) };
	if (load_tenant(s, a, tenant, &customer) < 0 || facts_common(s, a, &f, &rp, &pp, &customer) < 0 ||
	    names_fill(s, a, &names, &rp, &pp, &customer) < 0)
		return -1;
	*why = cust_decide(&f);
	if (*why != CR_OK)
		*text = cust_refusal_text(a, &f, *why, &names);
	return 0;
}

bool
cust_precheck_warns(enum cust_refusal why, bool agreement_missing)
{
	return why == CR_PARTNER_TENANT || why == CR_RESELLER_OF_PROVIDER || (why == CR_OK && agreement_missing);
}

const char *
cust_precheck_warning(struct arena *a, enum cust_refusal why, const char *why_text)
{
	if (why != CR_OK)
		return arena_printf(a, _("%s The recipient can still create a separate customer organization from the link."), why_text);
	return _("Your organization has not accepted the current partner agreement: the customer can accept, but no order "
	    "can be placed for it until you accept the agreement.");
}

bool
cust_accept_delegated(const struct cust_accept *v)
{
	return v->inv.delegated_admin && !v->without_da;
}

int
cust_accepted_recipients(struct store *s, struct arena *a, const struct partner *side, struct user_list *out)
{
	return access_recipients(s, a, side->tenant_id,
	    side->type == PT_INDIRECT_PROVIDER ? PERM_RESELLERS_INVITE : PERM_PROVIDERS_AUTHORIZE, out);
}

int
cust_relate(struct store *s, int64_t partner, int64_t customer, int64_t invitation_id, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now)
{
	return st_cust_relate(s, partner, customer, invitation_id, invited_by, accepted_by, delegated_admin, now);
}

/* ---- orders ---- */

enum cust_refusal
cust_order_check(struct store *s, struct arena *a, const struct cust_order *o, struct cust_facts *f,
    struct cust_names *n, bool *failed)
{
	memset(f, 0, sizeof(*f));
	memset(n, 0, sizeof(*n));
	*failed = false;
	f->action = CUST_ORDER;
	f->now = now_sec();
	struct partner reseller, provider;
	struct tenant_row customer;
	if (load_partner(s, a, o->reseller, &reseller) < 0 || load_partner(s, a, o->provider, &provider) < 0 ||
	    load_tenant(s, a, o->customer, &customer) < 0) {
		*failed = true;
		return CR_RELATIONSHIP_INACTIVE;
	}
	/* Only partner accounts of the right types count as the two sides. */
	if (reseller.type != PT_INDIRECT_RESELLER)
		memset(&reseller, 0, sizeof(reseller));
	if (provider.type != PT_INDIRECT_PROVIDER)
		memset(&provider, 0, sizeof(provider));
	if (facts_common(s, a, f, &reseller, &provider, &customer) < 0 ||
	    names_fill(s, a, n, &reseller, &provider, &customer) < 0)
		*failed = true;
	struct gate g;
	f->reseller_gate = reseller.id ? agreement_gate(s, a, reseller.tenant_id, PT_INDIRECT_RESELLER, &g) : GATE_NO_ACCOUNT;
	n->reseller_gate = reseller.id ? g.text : NULL;
	f->provider_gate = provider.id ? agreement_gate(s, a, provider.tenant_id, PT_INDIRECT_PROVIDER, &g) : GATE_NO_ACCOUNT;
	n->provider_gate = provider.id ? g.text : NULL;
	if (f->reseller_gate == GATE_ERROR || f->provider_gate == GATE_ERROR)
		*failed = true;
	n->mpn = o->mpn_id;
	int mpn = reseller.id && o->mpn_id != NULL ? tenant_has_mpn(s, a, reseller.tenant_id, o->mpn_id) : 0;
	if (mpn < 0)
		*failed = true;
	f->mpn_of_reseller = mpn > 0;
	return cust_decide(f);
}

int64_t
cust_order_insert(struct store *s, const struct cust_order *o, int64_t now, int64_t *existing)
{
	*existing = 0;
	struct subscription_new n = { .customer = o->customer, .provider = o->provider, .reseller = o->reseller,
		.mpn_id = o->mpn_id, .offer_id = o->offer_id, .quantity = o->quantity, .created_at = now,
		.created_by = o->by_user, .created_by_credential = o->by_credential, .order_key = o->order_key };
	int64_t id = st_sub_insert(s, &n);
	if (id != 0)
		return id;
	/* The key was used: the same form sent again (or a key from somewhere else). */
	int64_t sub, provider, customer;
	int found = st_sub_by_key(s, o->order_key, &sub, &provider, &customer);
	if (found < 0)
		return -1;
	if (found && provider == o->provider && customer == o->customer)
		*existing = sub;
	return 0;
}

/* webhooks: the order to the provider's and the reseller's organizations. 0 or -1. */
static int
order_webhook(struct store *s, struct arena *a, const struct cust_order *o, const struct cust_order_result *res,
    int64_t now)
{
	struct partner pp, rp;
	if (st_partner_get(s, a, o->provider, &pp) != 1 || st_partner_get(s, a, o->reseller, &rp) != 1)
		return -1;
	for (int k = 0; k < 2; k++) {
		if (k == 1 && rp.tenant_id == pp.tenant_id)
			break;
		json_t *d = json_pack("{s:I, s:s?, s:I, s:s, s:{s:I, s:s}, s:o, s:o}", "subscription_id",
		    (json_int_t)res->subscription, "offer_id", o->offer_id, "quantity", (json_int_t)o->quantity, "mpn_id",
		    o->mpn_id ? o->mpn_id : "", "customer", "organization_id", (json_int_t)o->customer, "name",
		    res->n.customer ? res->n.customer : "", "provider", webhook_partner(&pp), "reseller", webhook_partner(&rp));
		if (webhook_enqueue(s, k == 0 ? pp.tenant_id : rp.tenant_id, WH_ORDER_PLACED, now, d) < 0)
			return -1;
	}
	return 0;
}

int
cust_order_place(struct store *s, struct arena *a, const struct cust_order *o, int64_t now,
    struct cust_order_result *res)
{
	memset(res, 0, sizeof(*res));
	/* Read, decide, write: every fact below is read inside the write transaction, and the
	 * store's write promise (store.h) keeps it true until the subscription commits — so a
	 * form sent twice at once makes one subscription, and no rule changes under the
	 * decision. Without the transaction there is no promise: refuse to start. */
	if (!store_in_write(s))
		return -1;
	int64_t sub, provider, customer;
	int used = st_sub_by_key(s, o->order_key, &sub, &provider, &customer);
	if (used < 0)
		return -1;
	if (used > 0) {
		bool same = provider == o->provider && customer == o->customer;
		res->outcome = same ? ORDER_ALREADY_PLACED : ORDER_KEY_ELSEWHERE;
		res->subscription = same ? sub : 0;
		return 0;
	}
	/* A reseller the provider never worked with is a foreign id: its name (and whether it
	 * exists, is approved or in review) is none of the provider's business. */
	int64_t known = o->reseller > 0 ? st_rel_any_id(s, o->provider, o->reseller) : 0;
	if (known < 0)
		return -1;
	if (known == 0) {
		res->outcome = ORDER_UNKNOWN_RESELLER;
		return 0;
	}
	bool failed;
	res->why = cust_order_check(s, a, o, &res->f, &res->n, &failed);
	if (failed)
		return -1;
	if (res->why != CR_OK) {
		res->outcome = ORDER_REFUSED;
		return 0;
	}
	int64_t existing;
	sub = cust_order_insert(s, o, now, &existing);
	if (sub < 0)
		return -1;
	/* A used key cannot appear between the check above and the insert (the promise), but
	 * never make two subscriptions of one form. */
	res->outcome = sub > 0 ? ORDER_PLACED : ORDER_ALREADY_PLACED;
	res->subscription = sub > 0 ? sub : existing;
	return sub > 0 ? order_webhook(s, a, o, res, now) : 0;
}

int
cust_order_recipients(struct store *s, struct arena *a, int64_t reseller_tenant, struct user_list *out)
{
	return access_recipients(s, a, reseller_tenant, PERM_CUSTOMERS_VIEW, out);
}

char *
cust_order_key(struct arena *a)
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	return b64url_encode(a, raw, sizeof(raw));
}

bool
cust_order_key_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 16 && n <= 64 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

char *
cust_price_text(struct arena *a, int64_t cents, const char *currency)
{
	return fmt_money(a, cents, currency);	/* issue 18: in the reader's language (numfmt.h) */
}
