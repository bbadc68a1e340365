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
 * cust_order_check) inside their write transaction, where the store's write promise
 * (store.h) keeps them true until the action's writes commit.
 *
 * The rows are the store's (store.h: struct partner, struct tenant_row, struct
 * customer_invitation, the customer lists, struct subscription_row, struct offer); the
 * functions below read them for the pages scoped to the signed-in organization. */
#ifndef CUSTOMERS_H
#define CUSTOMERS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "base/token.h"
#include "domain/agreement.h"
#include "store/store.h"

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
	enum inv_status status;		/* its stored status (when found) */
	int64_t row_expires;
	int64_t now;
	bool signed_in;
	unsigned roles;			/* the signed-in user's role bits */
	/* the partners (a partner that is not there: PA_DRAFT, not approved) */
	enum pa_status reseller_status, provider_status;
	int64_t reseller_tenant, provider_tenant;
	const char *reseller_region, *provider_region;	/* region codes */
	bool relationship_active;	/* an active provider-reseller relationship */
	/* the customer organization */
	int64_t customer_tenant;
	enum tenant_kind customer_kind;	/* TENANT_PARTNER when there is none */
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

/* ---- a reseller's relationship with one of its providers ---- */

struct cust_reseller_rel {
	int64_t id, provider_id, reseller_id;
	const char *provider_name;
};
/* Loads provider relationship id when it is an active relationship of the indirect reseller
 * account of tenant: returns NULL. Otherwise returns why not, for the audit log ("no such
 * relationship", "another organization's relationship", "relationship ended"); a database
 * error reads as "no such relationship" and fails the store. */
const char *cust_reseller_rel(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct cust_reseller_rel *rel);
/* The id of the active relationship between provider and reseller accounts; 0 none, -1. */
int64_t cust_partners_rel(struct store *s, int64_t provider, int64_t reseller);

/* ---- invitations ---- */

/* Invitation id with its state at now: 1 found, 0 none, -1 database error. */
int cust_invitation_load(struct store *s, struct arena *a, int64_t id, int64_t now, struct customer_invitation *inv);
/* Invitation id when it was sent by the indirect reseller account of tenant: 1; 0 when it
 * is not (*why: "no such invitation", "another organization's invitation"); -1 error. */
int cust_invitation_of(struct store *s, struct arena *a, int64_t tenant, int64_t id, int64_t now,
    struct customer_invitation *inv, const char **why);
/* The invitation link's token for row id valid until expires. NULL on error. */
char *cust_invite_token(struct arena *a, int64_t id, int64_t expires);
/* Records invitation inv (reseller_id, provider_id, email, message, delegated_admin,
 * created_at, created_by, expires_at) in the caller's write transaction, unless one to the
 * same address under the same provider is still pending: 1 with inv->id set, 0 pending
 * already (nothing written), -1 error. */
int cust_invite(struct store *s, struct customer_invitation *inv);
/* Revokes pending invitation inv as user at now: 1 revoked, 0 it is not pending, -1 error. */
int cust_invitation_revoke(struct store *s, const struct customer_invitation *inv, int64_t user, int64_t now);
/* Page `page` of the invitations of rel's reseller under its provider, newest first, with
 * their state at now: *p is the page shown. 0 or -1. */
int cust_invitations_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t now,
    int64_t page, struct paging *p, struct cinv_list *out);

/* Everything /customer-invite needs: the decision and what it was made of. */
struct cust_accept {
	struct cust_facts f;
	enum cust_refusal why;
	const char *text;		/* the link's token as this visit carries it */
	struct token t;
	struct customer_invitation inv;
	struct partner reseller, provider;	/* zeroed (name NULL) when not found */
	struct tenant_row customer;	/* the signed-in organization (id 0 when signed out) */
	struct cust_names names;
	/* Issue 13: the customer accepts without any delegated admin relationship (a choice on
	 * the form; the default keeps what the invitation asked for). Set before cust_accept. */
	bool without_da;
};
/* Whether accepting v makes delegated admin relationships: the invitation asked for
 * delegated administration and the customer did not refuse it (without_da). */
bool cust_accept_delegated(const struct cust_accept *v);
/* Gathers and decides for link text and the signed-in user (tenant_id 0: signed out).
 * Reads only; to act on the decision, call it after store_begin_write (the write promise
 * keeps the facts true). Returns 0, or -1 on a database error. */
int cust_accept_gather(struct store *s, struct arena *a, const char *text, int64_t tenant_id, unsigned user_roles,
    int64_t now, struct cust_accept *out);
/* Accepts the invitation of v, which cust_accept_gather decided CR_OK inside the caller's
 * write transaction, for user of organization customer: the invitation is used (once) and
 * customer relationships with the reseller and the provider exist (made[0], made[1]: made
 * now, rather than kept), and, when cust_accept_delegated, each partner has the default
 * delegated admin relationship in it (delegated.h, da_grant_default). 1 accepted; 0 the link is no longer usable (nothing written); -1
 * error (also when no write transaction is open). */
int cust_accept(struct store *s, const struct cust_accept *v, int64_t user, int64_t customer, int64_t now,
    bool made[2]);
/* Issue 13, checked before sending: what acceptance (cust_decide) would answer for the
 * organization of email's domain (a Global admin of it following a valid link of reseller
 * account reseller's invitation under provider account provider at now): *why (CR_OK: no such
 * organization, or nothing against it) and its sentence (*text, cust_refusal_text's). And
 * *agreement_missing: the reseller has not accepted the current partner agreement (the
 * customer may accept; nothing can be ordered until it does). 0 or -1. */
int cust_precheck(struct store *s, struct arena *a, int64_t reseller, int64_t provider, const char *email, int64_t now,
    enum cust_refusal *why, const char **text, bool *agreement_missing);
/* Whether a precheck's answer (why, agreement_missing) is a warning the inviter may send past
 * ("Send it anyway"; the API's "confirm": true) rather than a refusal or nothing: a partner's
 * work account (the recipient can create a separate customer organization), or the
 * reseller's agreement not accepted. */
bool cust_precheck_warns(enum cust_refusal why, bool agreement_missing);
/* The warning's sentence (why_text: cust_precheck's *text), in a. */
const char *cust_precheck_warning(struct arena *a, enum cust_refusal why, const char *why_text);
/* Who is told that a customer accepted, in partner organization side (the reseller or the
 * provider of the invitation): its users who decide its partner relationships (reseller:
 * PROVIDERS_AUTHORIZE; provider: RESELLERS_INVITE, who also place the orders). 0 or -1. */
int cust_accepted_recipients(struct store *s, struct arena *a, const struct partner *side, struct user_list *out);

/* ---- writing ---- */

/* Gives partner account partner a customer relationship with tenant customer (new, or an
 * ended one made active again), since now. invitation_id, invited_by, accepted_by may be 0
 * (the operator's demo world). The caller holds a write transaction. Returns 1 when made, 0
 * when it was active already, -1 on error. */
int cust_relate(struct store *s, int64_t partner, int64_t customer, int64_t invitation_id, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now);

/* ---- what the pages list ---- */

/* Page `page` of partner organization tenant's customers, by name or since, ascending or
 * descending (*p: the page shown). 0 or -1. */
int cust_customers_page(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc, int64_t page,
    struct paging *p, struct customer_list *out);
/* Page `page` of the customers rel's reseller shares with its provider. 0 or -1. */
int cust_shared_customers_page(struct store *s, struct arena *a, const struct cust_reseller_rel *rel, int64_t page,
    struct paging *p, struct customer_list *out);

/* A page of a customer list read from a cursor (issue 17: the lists have no page numbers,
 * which cannot be fast at a hundred thousand customers): where it starts (store.h enum
 * cust_seek, with the customer id on the edge of the page the link was on, or a page number
 * of an old ?page= link: AFTER with page > 1 skips (page - 1) pages), its rows and whether
 * there are pages before and after it. A Previous link that reaches the start shows the
 * first page in full. */
struct cust_cursor {
	enum cust_seek seek;
	int64_t id;
	int64_t page;			/* an old ?page=N link (then seek and id are unused); 0: none */
};
struct cust_page {
	struct customer_list rows;
	bool prev, next;
};
int cust_customers_seek(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc,
    const struct cust_cursor *c, struct cust_page *out);
int cust_shared_customers_seek(struct store *s, struct arena *a, const struct cust_reseller_rel *rel,
    const struct cust_cursor *c, struct cust_page *out);
/* Issue 15, item 11: the partner's customers whose name or primary domain contains q (NULL or
 * "": all of them, as cust_customers_seek), in the same order and cursor pages. 0 or -1. */
int cust_customers_find(struct store *s, struct arena *a, int64_t tenant, const char *q, bool by_since, bool desc,
    const struct cust_cursor *c, struct cust_page *out);

/* One customer as a partner organization sees it (/customers/ID). */
struct cust_view {
	struct tenant_row customer;
	struct customer_rel_list rels;		/* the organization's own relationships with it */
	int64_t as_provider, as_reseller;	/* its accounts related to the customer (0: none) */
	struct shared_partner_list resellers;	/* as_provider: resellers it shares the customer with */
	struct shared_partner_list providers;	/* as_reseller: providers it shares the customer with */
	struct subscription_list subs;		/* placed through the organization, newest first */
};
/* Customer id for partner organization tenant: 1 filled; 0 when it is not tenant's
 * customer (*why: "no such customer", "not this organization's customer"); -1 error. */
int cust_view_load(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct cust_view *out,
    const char **why);
/* A customer organization's own view: all its partners, and all its subscriptions. */
int cust_own_partners(struct store *s, struct arena *a, int64_t customer, struct customer_partner_list *out);
int cust_own_subscriptions(struct store *s, struct arena *a, int64_t customer, struct subscription_list *out);

/* ---- orders ---- */

/* Customer id as the order form of provider organization tenant sees it: 1 with *provider
 * (its indirect provider account) and *c; 0 when it is no customer of that provider (*why:
 * "no such customer", "not this organization's customer"); -1 error. */
int cust_order_customer(struct store *s, struct arena *a, int64_t tenant, int64_t id, int64_t *provider,
    struct tenant_row *c, const char **why);
/* Provider account provider's active resellers that customer works with (whom an order can
 * be placed on behalf of), with their MPN IDs. 0 or -1. */
int cust_order_resellers(struct store *s, struct arena *a, int64_t provider, int64_t customer,
    struct shared_partner_list *out);

/* One order: what the provider's form (or the demo) asks for. */
struct cust_order {
	int64_t customer;		/* tenant */
	int64_t provider, reseller;	/* partner accounts */
	const char *mpn_id, *offer_id;
	int64_t quantity;
	int64_t by_user;		/* the provider's user; 0: the operator or an API credential */
	int64_t by_credential;		/* the API credential that placed it (issue 14); 0: none */
	const char *order_key;		/* the form's one-time key */
};
/* Gathers the facts of order o (inside the caller's transaction) and decides. names and
 * facts are filled for the messages. Returns the decision (CR_OK: it may be placed). A
 * database error is reported as CR_RELATIONSHIP_INACTIVE with *failed set. */
enum cust_refusal cust_order_check(struct store *s, struct arena *a, const struct cust_order *o, struct cust_facts *f,
    struct cust_names *n, bool *failed);
/* Writes the subscription of a checked order (caller holds the transaction). Returns its id;
 * 0 when the order key was used already (*existing = that subscription when it is the same
 * provider's order for the same customer, else 0); -1 on error. */
int64_t cust_order_insert(struct store *s, const struct cust_order *o, int64_t now, int64_t *existing);

/* What placing an order came to. */
enum cust_order_outcome {
	ORDER_PLACED = 0,		/* a new subscription */
	ORDER_ALREADY_PLACED,		/* the same form again: the subscription it made */
	ORDER_KEY_ELSEWHERE,		/* the key made another provider's or customer's subscription */
	ORDER_REFUSED,			/* a rule refused it (why, with facts and names for the sentence) */
	ORDER_UNKNOWN_RESELLER,		/* the reseller never worked with this provider (or is no
					 * reseller): a foreign id, answered like one and never named */
};
struct cust_order_result {
	enum cust_order_outcome outcome;
	int64_t subscription;		/* PLACED, ALREADY_PLACED */
	enum cust_refusal why;		/* REFUSED */
	struct cust_facts f;
	struct cust_names n;
};
/* Places order o at now: the order key, then whether the provider knows the reseller at all
 * (a relationship, active or ended: refusals name only organizations the provider already
 * sees), then every rule (cust_order_check), then the
 * subscription — one read-then-decide action, run inside the caller's write transaction
 * so that the store's write promise (store.h) keeps every fact it read true until the
 * subscription commits. 0 with *res, or -1 on error (also when no write transaction is
 * open: nothing written). */
int cust_order_place(struct store *s, struct arena *a, const struct cust_order *o, int64_t now,
    struct cust_order_result *res);
/* Who at the reseller is told that an order was placed on its behalf: everyone who sees its
 * customers and their subscriptions (CUSTOMERS_VIEW). 0 or -1. */
int cust_order_recipients(struct store *s, struct arena *a, int64_t reseller_tenant, struct user_list *out);

/* A new order key: 16 random bytes, base64url (22 characters). */
char *cust_order_key(struct arena *a);
/* Whether s looks like an order key (16-64 characters of the base64url alphabet). */
bool cust_order_key_valid(const char *s);

/* "12.50 USD" for a price in cents; in the thread's language ("12,50 USD", numfmt.h). */
char *cust_price_text(struct arena *a, int64_t cents, const char *currency);

#endif
