/* customers.c — see customers.h. */
#include "domain/customers.h"

#include <sodium.h>
#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "base/util.h"

/* ---- the decision ---- */

static bool
approved(const char *status)
{
	return str_eq(status, "approved");
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
	if (!f->found || f->status == NULL)
		return CR_ALTERED;
	if (strcmp(f->status, "revoked") == 0)
		return CR_REVOKED;
	if (strcmp(f->status, "accepted") == 0)
		return CR_USED;
	if (strcmp(f->status, "expired") == 0)
		return CR_EXPIRED;
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
	if (!str_eq(f->customer_kind, "customer") || f->customer_has_partner_account)
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
		return "it cannot transact now.";
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
	const char *s = nz(n->reseller, "the reseller"), *p = nz(n->provider, "the provider");
	const char *org = nz(n->customer, "your organization");
	switch (why) {
	case CR_OK:
	case CR_SIGNED_OUT:
	case CR__COUNT:
		return NULL;
	case CR_NO_LINK:
		return "This page opens from the invitation link in a partner's email. Open the link in the email again.";
	case CR_ALTERED:
		return "This invitation link is not valid: it may have been changed or cut short. Copy the whole link from the email, or ask your partner to send a new invitation.";
	case CR_FOREIGN:
		return "This link is not a customer invitation. Open the link in your partner's invitation email.";
	case CR_OLD_KEY:
		return "This invitation link is no longer valid. Ask your partner to send a new invitation.";
	case CR_EXPIRED:
		return arena_printf(a, "This invitation has expired: customer invitation links work for 30 days. Ask %s to send a new one.", s);
	case CR_REVOKED:
		return arena_printf(a, "%s has revoked this invitation. Ask them for a new one if you still want to work with them.", s);
	case CR_USED:
		return arena_printf(a, "This invitation has already been used: each invitation link works once. If your organization accepted it, %s and %s are listed as your partners on the Customers page.", s, p);
	case CR_PARTNER_NOT_APPROVED:
		return arena_printf(a, "Rule: both partners must be approved in the program. %s is no longer an approved %s, so this invitation cannot be accepted.",
		    approved(f->reseller_status) ? p : s, approved(f->reseller_status) ? "indirect provider" : "indirect reseller");
	case CR_RELATIONSHIP_INACTIVE:
		if (f->action == CUST_ACCEPT)
			return arena_printf(a, "Rule: a reseller invites customers together with an indirect provider it works with. %s and %s no longer have an active relationship, so this invitation cannot be accepted.", s, p);
		return arena_printf(a, "Rule: a provider orders on behalf of a reseller only while the two have an active relationship. %s and %s have no active relationship. No order was placed.", p, s);
	case CR_OWN_TENANT:
		return arena_printf(a, "Rule: a partner cannot be its own customer. %s is the work account %s uses in the program, and partners may not sell to themselves. Buying for your own use needs a separate customer organization (another tenant), bought from another partner.",
		    org, f->customer_tenant == f->reseller_tenant ? s : p);
	case CR_RESELLER_OF_PROVIDER:
		return arena_printf(a, "Rule: an indirect reseller of %s cannot become its customer with the same work account. %s is an indirect reseller of %s; to buy for its own use it must use another tenant: create a separate customer organization with this link.",
		    p, org, p);
	case CR_PARTNER_TENANT:
		return arena_printf(a, "Rule: a partner's work account cannot be a customer. %s is a partner work account; a customer needs a customer organization. Create one with this link (a new organization with its own domain), or sign in to your customer organization.", org);
	case CR_NOT_CUSTOMER_OF_PROVIDER:
		return arena_printf(a, "Rule: a provider orders only for a customer it has a relationship with. %s has no customer relationship with %s. No order was placed.", org, p);
	case CR_NOT_CUSTOMER_OF_RESELLER:
		return arena_printf(a, "Rule: an order on behalf of a reseller needs the customer's relationship with that reseller. %s has no customer relationship with %s. No order was placed.", org, s);
	case CR_OTHER_REGION:
		return arena_printf(a, "Rule: partners sell only to customers in their own region. %s is in %s (%s), and %s and %s work in %s.%s",
		    org, nz(n->customer_country, "another country"), nz(n->customer_region, "another region"), s, p,
		    nz(n->partner_region, "another region"), f->action == CUST_ORDER ? " No order was placed." : "");
	case CR_NOT_GLOBAL_ADMIN:
		return arena_printf(a, "Rule: only a Global admin of the customer organization can accept. Ask %s of %s to open this link.",
		    nz(n->admins, "a Global admin"), org);
	case CR_ALREADY_CUSTOMER:
		return arena_printf(a, "%s is already a customer of both %s and %s. You find them on your Customers page.", org, s, p);
	case CR_RESELLER_GATE:
		return arena_printf(a, "Rule: a provider orders on behalf of a reseller only when the reseller may transact: approved, with the current partner agreement accepted. %s cannot yet: %s No order was placed.",
		    s, lower_first(a, n->reseller_gate));
	case CR_PROVIDER_GATE:
		return arena_printf(a, "Rule: a provider places orders only when it may transact itself: approved, with the current partner agreement accepted. %s cannot yet: %s No order was placed.",
		    p, lower_first(a, n->provider_gate));
	case CR_MPN_NOT_RESELLERS:
		return arena_printf(a, "Rule: an order carries one of the reseller's own MPN IDs. %s is not an MPN ID of %s. No order was placed.",
		    nz(n->mpn, "This MPN ID"), s);
	}
	return "This cannot be done.";
}

/* ---- loading ---- */

int
cust_partner_load(struct store *db, struct arena *a, int64_t id, struct cust_partner *p)
{
	memset(p, 0, sizeof(*p));
	sqlite3_stmt *st = db_q(db, Q_REL_PARTNER, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		p->id = db_i64(st, 0);
		p->type = arena_strdup(a, db_text(st, 1));
		p->status = arena_strdup(a, db_text(st, 2));
		p->tenant_id = db_i64(st, 3);
		p->name = arena_strdup(a, db_text(st, 4));
		p->mpn = arena_strdup(a, db_text(st, 6));
		p->country = arena_strdup(a, db_text(st, 7));
		p->region = arena_strdup(a, db_text(st, 8));
		p->region_name = arena_strdup(a, db_text(st, 9));
		p->email = arena_strdup(a, db_text(st, 10));
		p->website = arena_strdup(a, db_text(st, 11));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
cust_tenant_load(struct store *db, struct arena *a, int64_t id, struct cust_tenant *t)
{
	memset(t, 0, sizeof(*t));
	sqlite3_stmt *st = db_q(db, Q_CUST_TENANT, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		t->id = db_i64(st, 0);
		t->name = arena_strdup(a, db_text(st, 1));
		t->domain = arena_strdup(a, db_text(st, 2));
		t->kind = arena_strdup(a, db_text(st, 3));
		t->country_code = arena_strdup(a, db_text(st, 4));
		t->country = arena_strdup(a, db_text(st, 5));
		t->region = arena_strdup(a, db_text(st, 6));
		t->region_name = arena_strdup(a, db_text(st, 7));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

void
cust_facts_common(struct store *db, struct cust_facts *f, const struct cust_partner *reseller,
    const struct cust_partner *provider, const struct cust_tenant *customer)
{
	f->reseller_status = reseller->status;
	f->provider_status = provider->status;
	f->reseller_tenant = reseller->tenant_id;
	f->provider_tenant = provider->tenant_id;
	f->reseller_region = reseller->region;
	f->provider_region = provider->region;
	f->relationship_active = reseller->id && provider->id &&
	    db_int(db, Q_REL_ACTIVE_ID, 0, QI(provider->id), QI(reseller->id)) != 0;
	if (customer == NULL || customer->id == 0)
		return;
	f->customer_tenant = customer->id;
	f->customer_kind = customer->kind;
	f->customer_region = customer->region;
	f->customer_has_partner_account = db_int(db, Q_CUST_TENANT_ACCOUNTS, 0, QI(customer->id)) > 0;
	f->customer_resells_for_provider = provider->id &&
	    db_int(db, Q_CUST_TENANT_RESELLS_FOR, 0, QI(customer->id), QI(provider->id)) > 0;
	f->customer_of_reseller = reseller->id && db_int(db, Q_CUST_REL_ACTIVE, 0, QI(reseller->id), QI(customer->id)) != 0;
	f->customer_of_provider = provider->id && db_int(db, Q_CUST_REL_ACTIVE, 0, QI(provider->id), QI(customer->id)) != 0;
}

void
cust_names_fill(struct store *db, struct arena *a, struct cust_names *n, const struct cust_partner *reseller,
    const struct cust_partner *provider, const struct cust_tenant *customer)
{
	n->reseller = reseller->name;
	n->provider = provider->name;
	n->partner_region = provider->region_name ? provider->region_name : reseller->region_name;
	if (customer == NULL || customer->id == 0)
		return;
	n->customer = customer->name;
	n->customer_country = customer->country;
	n->customer_region = customer->region_name;
	/* The customer's Global admins, for "ask ... to open this link". */
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	sqlite3_stmt *st = db_q(db, Q_AGREEMENT_GLOBAL_ADMINS, QI(customer->id), QI(ROLE_MASK(GLOBAL_ADMIN)));
	int k = 0;
	while (db_step(st) == SQLITE_ROW && k < 5)
		buf_printf(&b, "%s%s (%s)", k++ ? ", " : "", db_text(st, 0), db_text(st, 1));
	sqlite3_reset(st);
	n->admins = b.len && !b.failed ? b.p : NULL;
}

const char *
cust_reseller_rel(struct store *db, struct arena *a, int64_t tenant, int64_t id, struct cust_reseller_rel *rel)
{
	memset(rel, 0, sizeof(*rel));
	int64_t reseller = db_int(db, Q_PA_OF_TYPE, 0, QI(tenant), QT("indirect_reseller"));
	sqlite3_stmt *st = db_q(db, Q_REL_GET, QI(id));
	bool found = db_step(st) == SQLITE_ROW, active = false;
	if (found) {
		rel->id = db_i64(st, 0);
		rel->provider_id = db_i64(st, 1);
		rel->reseller_id = db_i64(st, 2);
		active = str_eq(db_text(st, 3), "active");
		rel->provider_name = arena_strdup(a, db_text(st, 6));
	}
	sqlite3_reset(st);
	if (!found)
		return "no such relationship";
	if (reseller == 0 || rel->reseller_id != reseller)
		return "another organization's relationship";
	if (!active)
		return "relationship ended";
	return NULL;
}

/* ---- invitations ---- */

int
cust_invitation_load(struct store *db, struct arena *a, int64_t id, int64_t now, struct cust_invitation *inv)
{
	memset(inv, 0, sizeof(*inv));
	sqlite3_stmt *st = db_q(db, Q_CINV_GET, QI(id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		inv->id = db_i64(st, 0);
		inv->reseller_id = db_i64(st, 1);
		inv->provider_id = db_i64(st, 2);
		inv->email = arena_strdup(a, db_text(st, 3));
		inv->message = arena_strdup(a, db_text(st, 4));
		inv->delegated_admin = db_i64(st, 5) != 0;
		inv->created_at = db_i64(st, 6);
		inv->expires_at = db_i64(st, 7);
		inv->status = arena_strdup(a, db_text(st, 8));
		inv->inviter_name = arena_strdup(a, db_text(st, 9));
		inv->inviter_email = arena_strdup(a, db_text(st, 10));
		inv->accepted_at = db_i64(st, 11);
		inv->customer_tenant_id = db_i64(st, 12);
		inv->customer_name = arena_strdup(a, db_text(st, 13));
		inv->revoked_at = db_i64(st, 14);
		inv->created_by = db_i64(st, 15);
		inv->state = str_eq(inv->status, "pending") && inv->expires_at <= now ? "expired" : inv->status;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

char *
cust_invite_token(struct arena *a, int64_t id, int64_t expires)
{
	return token_make(a, TP_CUSTOMER_INVITE, id, expires);
}

int
cust_accept_gather(struct store *db, struct arena *a, const char *text, int64_t tenant_id, unsigned user_roles,
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
		int found = cust_invitation_load(db, a, out->t.row, now, &out->inv);
		if (found < 0)
			rc = -1;
		f->found = found > 0;
		f->status = out->inv.status;
		f->row_expires = out->inv.expires_at;
	}
	if (f->found) {
		if (cust_partner_load(db, a, out->inv.reseller_id, &out->reseller) < 0 ||
		    cust_partner_load(db, a, out->inv.provider_id, &out->provider) < 0)
			rc = -1;
	}
	if (tenant_id != 0) {
		f->signed_in = true;
		f->roles = user_roles;
		if (cust_tenant_load(db, a, tenant_id, &out->customer) < 0)
			rc = -1;
	}
	cust_facts_common(db, f, &out->reseller, &out->provider, tenant_id ? &out->customer : NULL);
	cust_names_fill(db, a, &out->names, &out->reseller, &out->provider, tenant_id ? &out->customer : NULL);
	out->why = cust_decide(f);
	return rc;
}

/* ---- writing ---- */

int
cust_relate(struct store *db, int64_t partner, int64_t customer, int64_t invitation_id, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now)
{
	int n = db_run(db, Q_CUST_REL_UPSERT, QI(partner), QI(customer), QI(now), invitation_id ? QI(invitation_id) : QNULL,
	    invited_by ? QI(invited_by) : QNULL, accepted_by ? QI(accepted_by) : QNULL, QI(delegated_admin ? 1 : 0));
	return n < 0 ? -1 : n > 0;
}

enum cust_refusal
cust_order_check(struct store *db, struct arena *a, const struct cust_order *o, struct cust_facts *f,
    struct cust_names *n, bool *failed)
{
	memset(f, 0, sizeof(*f));
	memset(n, 0, sizeof(*n));
	*failed = false;
	f->action = CUST_ORDER;
	f->now = now_sec();
	struct cust_partner reseller, provider;
	struct cust_tenant customer;
	if (cust_partner_load(db, a, o->reseller, &reseller) < 0 || cust_partner_load(db, a, o->provider, &provider) < 0 ||
	    cust_tenant_load(db, a, o->customer, &customer) < 0) {
		*failed = true;
		return CR_RELATIONSHIP_INACTIVE;
	}
	/* Only partner accounts of the right types count as the two sides. */
	if (!str_eq(reseller.type, "indirect_reseller"))
		memset(&reseller, 0, sizeof(reseller));
	if (!str_eq(provider.type, "indirect_provider"))
		memset(&provider, 0, sizeof(provider));
	cust_facts_common(db, f, &reseller, &provider, &customer);
	cust_names_fill(db, a, n, &reseller, &provider, &customer);
	struct gate g;
	f->reseller_gate = reseller.id ? agreement_gate(db, a, reseller.tenant_id, PT_INDIRECT_RESELLER, &g) : GATE_NO_ACCOUNT;
	n->reseller_gate = reseller.id ? g.text : NULL;
	f->provider_gate = provider.id ? agreement_gate(db, a, provider.tenant_id, PT_INDIRECT_PROVIDER, &g) : GATE_NO_ACCOUNT;
	n->provider_gate = provider.id ? g.text : NULL;
	if (f->reseller_gate == GATE_ERROR || f->provider_gate == GATE_ERROR)
		*failed = true;
	n->mpn = o->mpn_id;
	f->mpn_of_reseller = reseller.id && o->mpn_id != NULL &&
	    db_int(db, Q_CUST_MPN_OF_TENANT, 0, QT(o->mpn_id), QI(reseller.tenant_id)) > 0;
	return cust_decide(f);
}

int64_t
cust_order_insert(struct store *db, const struct cust_order *o, int64_t now, int64_t *existing)
{
	*existing = 0;
	int n = db_run(db, Q_SUB_INSERT, QI(o->customer), QI(o->provider), QI(o->reseller), QT(o->mpn_id), QT(o->offer_id),
	    QI(o->quantity), QI(now), o->by_user ? QI(o->by_user) : QNULL, QT(o->order_key));
	if (n < 0)
		return -1;
	if (n == 1)
		return db_last_id(db);
	/* The key was used: the same form sent again (or a key from somewhere else). */
	sqlite3_stmt *st = db_q(db, Q_SUB_BY_KEY, QT(o->order_key));
	if (db_step(st) == SQLITE_ROW && db_i64(st, 1) == o->provider && db_i64(st, 2) == o->customer)
		*existing = db_i64(st, 0);
	sqlite3_reset(st);
	return 0;
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
	return arena_printf(a, "%lld.%02lld %s", (long long)(cents / 100), (long long)(cents % 100), currency ? currency : "");
}
