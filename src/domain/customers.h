/* customers.h — customers that an indirect reseller shares with its indirect provider, and
 * orders on their behalf (SPEC §2.6): the logic shared by /customers, /providers/ID/customers,
 * the reseller's customer invitations, /customer-invite, the order form and portalctl demo.
 *
 * Words: a reseller or provider is a partner account (partner_accounts.id); a customer is a
 * tenant of kind "customer". A customer invitation (customer_invitations) is sent by a
 * reseller under one of its providers and emailed as a signed token of purpose
 * customer-invite naming the row and its expiry. The customer's Global admin accepts it:
 * customer relationships (customer_relationships) with the reseller AND the provider are
 * made in one transaction. The provider then orders for that customer on behalf of the
 * reseller: a subscription (subscriptions) under the reseller's MPN ID.
 *
 * Every rule is decided in ONE pure function, cust_decide(), for both actions (accepting an
 * invitation, placing an order); the callers only gather facts (cust_accept_gather,
 * cust_order_check) inside their transaction. */
#ifndef CUSTOMERS_H
#define CUSTOMERS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/agreement.h"
#include "base/arena.h"
#include "store/db.h"
#include "base/token.h"

#define CUST_INVITE_TTL (30 * 24 * 60 * 60)	/* a customer invitation link is valid 30 days */
#define CUST_MESSAGE_MAX 1000			/* the reseller's optional message */
#define CUST_QUANTITY_MAX 10000			/* an order's quantity: 1 to this */
#define CUST_ORDER_KEY_LEN 22			/* 16 random bytes in base64url */

/* ---- the decision ---- */

enum cust_action {
	CUST_ACCEPT = 0,	/* a customer's Global admin accepts an invitation */
	CUST_ORDER = 1,		/* a provider orders for a customer on behalf of a reseller */
};

/* Why the action is refused, in the order checked (the link first, then the partners, then
 * the customer organization, then what only an order needs). */
enum cust_refusal {
	CR_OK = 0,
	/* the invitation link (accepting only) */
	CR_NO_LINK,			/* the visit carries no link */
	CR_ALTERED,			/* malformed, wrong MAC, no such invitation, or another expiry */
	CR_FOREIGN,			/* a signed link of another kind */
	CR_OLD_KEY,			/* signed with a retired key */
	CR_EXPIRED,
	CR_REVOKED,
	CR_USED,			/* already accepted */
	CR_PARTNER_NOT_APPROVED,	/* the reseller or the provider is no longer approved */
	CR_SIGNED_OUT,			/* not a refusal: sign in, or create the organization */
	/* the partners */
	CR_RELATIONSHIP_INACTIVE,	/* no active reseller-provider relationship */
	/* the customer organization (SPEC §2.6, scenarios 4-7 of the source) */
	CR_OWN_TENANT,			/* a partner's own work account (scenario 5) */
	CR_RESELLER_OF_PROVIDER,	/* a reseller of this provider, same tenant (scenario 6) */
	CR_PARTNER_TENANT,		/* any partner-type tenant (scenario 4) */
	CR_NOT_CUSTOMER_OF_PROVIDER,	/* order: no customer relationship with the provider */
	CR_NOT_CUSTOMER_OF_RESELLER,	/* order: no customer relationship with the reseller */
	CR_OTHER_REGION,		/* scenario 7 */
	/* accepting */
	CR_NOT_GLOBAL_ADMIN,		/* the user may not accept for the organization */
	CR_ALREADY_CUSTOMER,		/* a customer of both already */
	/* ordering */
	CR_RESELLER_GATE,		/* the reseller may not transact (agreement_gate) */
	CR_PROVIDER_GATE,		/* the provider may not transact (agreement_gate) */
	CR_MPN_NOT_RESELLERS,		/* the MPN ID is not one of the reseller's */
	CR__COUNT
};

/* Everything the decision looks at; callers gather it, cust_decide only reasons. */
struct cust_facts {
	enum cust_action action;
	/* the link (CUST_ACCEPT) */
	bool has_link;
	enum token_error token;		/* token_open's answer */
	int64_t token_expires;		/* from the token (when token is TOKEN_OK) */
	bool found;			/* the invitation row exists */
	const char *status;		/* its stored status */
	int64_t row_expires;
	int64_t now;
	bool signed_in;
	unsigned roles;			/* the signed-in user's role bits */
	/* the partners */
	const char *reseller_status, *provider_status;	/* partner account statuses */
	int64_t reseller_tenant, provider_tenant;
	const char *reseller_region, *provider_region;	/* region codes */
	bool relationship_active;	/* an active provider-reseller relationship */
	/* the customer organization */
	int64_t customer_tenant;
	const char *customer_kind;	/* "partner" or "customer" */
	const char *customer_region;
	bool customer_has_partner_account;	/* any partner account, any type or status */
	bool customer_resells_for_provider;	/* a reseller account related to this provider */
	bool customer_of_reseller, customer_of_provider;	/* active customer relationships */
	/* the order (CUST_ORDER) */
	enum agreement_gate reseller_gate, provider_gate;
	bool mpn_of_reseller;
};

/* The first reason why f does not allow f->action, or CR_OK. Pure: no I/O. */
enum cust_refusal cust_decide(const struct cust_facts *f);
/* A short stable code for the audit log ("other-region", ...). */
const char *cust_refusal_code(enum cust_refusal why);
/* The HTTP status of a refusal. */
int cust_refusal_status(enum cust_refusal why);
/* Whether an invitation link stays usable after this refusal (problems of the signed-in
 * organization: yes, the right person can still use it; problems of the link: no). */
bool cust_refusal_keeps_link(enum cust_refusal why);

/* The names the sentences use. */
struct cust_names {
	const char *reseller, *provider, *customer;
	const char *customer_country, *customer_region;		/* "Germany", "Europe" */
	const char *partner_region;				/* the partners' region name */
	const char *reseller_gate, *provider_gate;		/* agreement_gate texts */
	const char *mpn;					/* the MPN ID ordered under */
	const char *admins;					/* the customer's Global admins */
};
/* One sentence (two at most) saying what is wrong, naming the rule, and what to do; NULL for
 * CR_OK and CR_SIGNED_OUT. In the arena. */
const char *cust_refusal_text(struct arena *a, const struct cust_facts *f, enum cust_refusal why,
    const struct cust_names *n);

/* ---- what the rules are about ---- */

/* A partner account with its organization. */
struct cust_partner {
	int64_t id, tenant_id;
	const char *type, *status, *name, *mpn, *country, *region, *region_name, *email, *website;
};
/* Loads partner account id. 1 found, 0 not, -1 database error. */
int cust_partner_load(struct store *db, struct arena *a, int64_t id, struct cust_partner *p);

/* An organization (the customer side). */
struct cust_tenant {
	int64_t id;
	const char *name, *domain, *kind, *country_code, *country, *region, *region_name;
};
int cust_tenant_load(struct store *db, struct arena *a, int64_t id, struct cust_tenant *t);

/* Fills the partner and customer facts both actions share (statuses, regions, the
 * relationship, the customer's kind, partner accounts and relationships). */
void cust_facts_common(struct store *db, struct cust_facts *f, const struct cust_partner *reseller,
    const struct cust_partner *provider, const struct cust_tenant *customer);
/* The names for cust_refusal_text from loaded objects (customer may be NULL). */
void cust_names_fill(struct store *db, struct arena *a, struct cust_names *n, const struct cust_partner *reseller,
    const struct cust_partner *provider, const struct cust_tenant *customer);

/* A reseller's relationship with one of its providers, as the reseller's pages load it. */
struct cust_reseller_rel {
	int64_t id, provider_id, reseller_id;
	const char *provider_name;
};
/* Loads provider relationship id when it is an active relationship of the indirect reseller
 * account of tenant: returns NULL. Otherwise returns why not, for the audit log ("no such
 * relationship", "another organization's relationship", "relationship ended"). */
const char *cust_reseller_rel(struct store *db, struct arena *a, int64_t tenant, int64_t id, struct cust_reseller_rel *rel);

/* ---- invitations ---- */

struct cust_invitation {
	int64_t id, reseller_id, provider_id, created_at, created_by, expires_at, accepted_at, customer_tenant_id, revoked_at;
	bool delegated_admin;
	const char *email, *message, *status, *inviter_name, *inviter_email, *customer_name;
	const char *state;		/* status, with "expired" for a pending row past its expiry */
};
/* 1 found, 0 not, -1 database error. */
int cust_invitation_load(struct store *db, struct arena *a, int64_t id, int64_t now, struct cust_invitation *inv);
/* The invitation link's token for row id valid until expires. NULL on error. */
char *cust_invite_token(struct arena *a, int64_t id, int64_t expires);

/* Everything /customer-invite needs: the decision and what it was made of. */
struct cust_accept {
	struct cust_facts f;
	enum cust_refusal why;
	const char *text;		/* the link's token as this visit carries it */
	struct token t;
	struct cust_invitation inv;
	struct cust_partner reseller, provider;
	struct cust_tenant customer;	/* the signed-in organization (id 0 when signed out) */
	struct cust_names names;
};
/* Gathers and decides for link text and the signed-in user (tenant_id 0: signed out).
 * Reads only. Returns 0, or -1 on a database error. */
int cust_accept_gather(struct store *db, struct arena *a, const char *text, int64_t tenant_id, unsigned user_roles,
    int64_t now, struct cust_accept *out);

/* ---- writing ---- */

/* Gives partner account partner a customer relationship with tenant customer (new, or an
 * ended one made active again), since now. invitation_id, invited_by, accepted_by may be 0
 * (the operator's demo world). The caller holds a write transaction. Returns 1 when made, 0
 * when it was active already, -1 on error. */
int cust_relate(struct store *db, int64_t partner, int64_t customer, int64_t invitation_id, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now);

/* One order: what the provider's form (or the demo) asks for. */
struct cust_order {
	int64_t customer;		/* tenant */
	int64_t provider, reseller;	/* partner accounts */
	const char *mpn_id, *offer_id;
	int64_t quantity;
	int64_t by_user;		/* the provider's user; 0: the operator */
	const char *order_key;		/* the form's one-time key */
};
/* Gathers the facts of order o (inside the caller's transaction) and decides. names and
 * facts are filled for the messages. Returns the decision (CR_OK: it may be placed). A
 * database error is reported as CR_RELATIONSHIP_INACTIVE with *failed set. */
enum cust_refusal cust_order_check(struct store *db, struct arena *a, const struct cust_order *o, struct cust_facts *f,
    struct cust_names *n, bool *failed);
/* Writes the subscription of a checked order (caller holds the transaction). Returns its id;
 * 0 when the order key was used already (*existing = that subscription when it is the same
 * provider's order for the same customer, else 0); -1 on error. */
int64_t cust_order_insert(struct store *db, const struct cust_order *o, int64_t now, int64_t *existing);
/* A new order key: 16 random bytes, base64url (22 characters). */
char *cust_order_key(struct arena *a);
/* Whether s looks like an order key (16-64 characters of the base64url alphabet). */
bool cust_order_key_valid(const char *s);

/* "12.50 USD" for a price in cents. */
char *cust_price_text(struct arena *a, int64_t cents, const char *currency);

#endif
