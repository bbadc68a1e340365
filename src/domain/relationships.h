/* relationships.h — indirect providers and indirect resellers (SPEC §2.5): the logic shared
 * by /resellers, /providers, /authorize, /find-a-provider and portalctl.
 *
 * Words: a provider or reseller here is a partner account (partner_accounts.id) of type
 * indirect_provider or indirect_reseller. An invitation (reseller_invitations) is emailed as
 * a signed token of purpose reseller-invite naming the row and its expiry; accepting it
 * creates a relationship (provider_relationships) with delegated administrator access. */
#ifndef RELATIONSHIPS_H
#define RELATIONSHIPS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "base/token.h"
#include "store/store.h"

#define REL_INVITE_TTL (30 * 24 * 60 * 60)	/* an invitation link is valid 30 days */
#define REL_MESSAGE_MAX 1000			/* the provider's optional message */
#define REL_PAGE_SIZE 20			/* rows per page in every list */
/* Rows an old ?page=N link of a cursor-paged list may skip; further on it shows the last page
 * (issue 17: skipping a hundred thousand rows costs as much as reading them). */
#define REL_SKIP_MAX 1000

/* ---- the authorization decision (/authorize) ---- */

/* Why an invitation link cannot be used to authorize a provider, in the order checked. */
enum rel_refusal {
	RR_OK = 0,
	RR_NO_LINK,		/* the visit carries no link at all */
	RR_ALTERED,		/* malformed, wrong MAC, or no such invitation */
	RR_FOREIGN,		/* a signed link of another kind (password reset, ...) */
	RR_OLD_KEY,		/* signed with a retired key */
	RR_EXPIRED,
	RR_REVOKED,
	RR_USED,		/* already accepted */
	RR_REPLACED,		/* the provider re-sent it: a newer link exists */
	RR_PROVIDER_GONE,	/* the inviting provider is no longer approved */
	RR_SIGNED_OUT,		/* not a refusal: sign in first */
	RR_SELF,		/* the provider's own organization */
	RR_WRONG_TYPE,		/* a customer, or a provider/direct-bill partner without a reseller account */
	RR_NOT_ENROLLED,	/* no approved indirect reseller account (yet) */
	RR_OTHER_REGION,
	RR_ALREADY_RELATED,
	RR_NOT_ADMIN,		/* neither Global admin nor Account admin */
	RR__COUNT
};

/* Everything the decision looks at; rel_check gathers it, rel_decide only reasons. */
struct rel_facts {
	bool has_link;
	enum token_error token;		/* token_open's answer */
	int64_t token_expires;		/* from the token (when token is TOKEN_OK) */
	bool found;			/* the invitation row exists */
	enum inv_status status;		/* its stored status */
	int64_t row_expires;
	int64_t now;
	int provider_status;		/* the inviting provider account's enum pa_status (PA_NONE: gone) */
	bool signed_in;
	unsigned roles;			/* the signed-in user's role bits */
	enum tenant_kind tenant_kind;	/* the signed-in user's organization */
	bool same_org;			/* the user belongs to the provider's organization */
	bool other_partner_type;	/* the organization has a provider or direct-bill account */
	int reseller_status;		/* its indirect reseller account's enum pa_status; PA_NONE: none */
	const char *provider_region, *reseller_region;	/* region codes */
	bool related;			/* an active relationship between the two exists */
};

/* The first reason why f does not allow authorizing, or RR_OK. Pure: no I/O. */
enum rel_refusal rel_decide(const struct rel_facts *f);
/* A short stable code for the audit log ("expired", "other-region", ...). */
const char *rel_refusal_code(enum rel_refusal why);
/* Whether the link stays usable after this refusal (account problems: yes; link problems: no). */
bool rel_refusal_keeps_link(enum rel_refusal why);

/* What /authorize knows about a link and its visitor: the facts, the decision, and what
 * the page shows of the provider and the visitor's organization. */
struct rel_check {
	struct rel_facts f;
	enum rel_refusal why;
	struct token t;			/* the link (when f.token is TOKEN_OK) */
	struct reseller_invitation inv;	/* the invitation (when f.found) */
	struct partner provider;	/* the inviting provider (name NULL when unknown) */
	struct tenant_row org;		/* the signed-in organization (when signed in) */
	int64_t reseller_id;		/* its indirect reseller account, 0 none */
};
/* Gathers the facts for the link's text (NULL: none) and the user of sess (NULL: signed
 * out) at now, and decides (c->why). Changes nothing; read inside the write transaction,
 * the facts stay true until commit. 0, or -1 on a database error. */
int rel_check(struct store *s, struct arena *a, const char *link, const struct session *sess, int64_t now,
    struct rel_check *c);
/* Acts on a check that said RR_OK (inside the same write transaction): the invitation is
 * accepted — once, only for the link's own expiry — and the provider becomes the
 * reseller's indirect provider with delegated administrator access. Returns the new
 * relationship's id; 0 with *why when it cannot be (RR_USED: the link was used meanwhile;
 * RR_ALREADY_RELATED); -1 on error. */
int64_t rel_authorize(struct store *s, const struct rel_check *c, int64_t by_user, enum rel_refusal *why);

/* Who in a partner organization hears about its provider-reseller relationships (an
 * invitation accepted when the inviting user is gone, administrator access removed, a
 * relationship ended): on the provider's side the users who may invite resellers
 * (RESELLERS_INVITE), on the reseller's side those who may authorize providers
 * (PROVIDERS_AUTHORIZE). No cap, by name. 0 or -1. */
int rel_recipients(struct store *s, struct arena *a, int64_t tenant, enum partner_type side, struct user_list *out);

/* ---- lists: sorting and paging ---- */

enum rel_sort { REL_SORT_NAME = 0, REL_SORT_SINCE = 1, REL_SORT__COUNT };
/* The sortable columns of every relationship list, in enum rel_sort order (for
 * sort_headers_tv, web/pager.h): newest first is what one usually wants of "since". */
extern const struct sort_col rel_sort_cols[REL_SORT__COUNT];

struct rel_list {
	enum rel_sort sort;
	bool desc;
	int64_t page;			/* 1-based, as asked */
};

/* Reads ?sort=name|since&dir=asc|desc&page=N (each optional; defaults name, asc, 1).
 * 0, or -1 for any other value (the caller answers 400). */
int rel_list_parse(const char *sort, const char *dir, const char *page, struct rel_list *out);
/* Index 0..3 into a table of four fixed statements: name asc, name desc, since asc, since desc. */
int rel_list_variant(const struct rel_list *l);

/* A page of either list from a cursor (issue 17: First / Previous / Next / Last instead of
 * page numbers): seek and id (a relationship id on the edge of the page the link was on) as
 * for st_resellers_seek, or l->page > 1 for an old ?page=N link (read by skipping). prev and
 * next: there are rows before / after the page. A Previous that reaches the start gives the
 * first page in full. 0 or -1. */
struct rel_page {
	struct rel_partner_list rows;
	bool prev, next;
};
/* A cursor page's Previous and Next links, from how it was sought, whether the store found
 * more rows that way and the page's row count n (the customers' and the relationships' lists
 * share it). false: a Previous page reached the start, so it is to be read again as the first
 * page, in full. */
bool cursor_links(enum cust_seek seek, bool more, size_t n, bool *prev, bool *next);

int rel_resellers_seek(struct store *s, struct arena *a, int64_t provider, const struct rel_list *l,
    enum cust_seek seek, int64_t id, struct rel_page *out);
int rel_providers_seek(struct store *s, struct arena *a, int64_t reseller, const struct rel_list *l,
    enum cust_seek seek, int64_t id, struct rel_page *out);
/* Issue 15, item 11: the provider's resellers whose name, primary domain or an MPN ID contains
 * q (NULL or "": all, as rel_resellers_seek), in l's order and cursor pages (an old ?page=N
 * is not read with a search). 0 or -1. */
int rel_resellers_find(struct store *s, struct arena *a, int64_t provider, const char *q, const struct rel_list *l,
    enum cust_seek seek, int64_t id, struct rel_page *out);
/* One page of provider's invitations, newest first: all of them (state -1), or those in one
 * enum inv_status at now (issue 15: the list's filter). 0 or -1. */
int rel_invitations(struct store *s, struct arena *a, int64_t provider, int state, int64_t page, int64_t now,
    struct paging *p, struct invitation_list *out);

/* Find a provider: the approved indirect providers matching f, by name, page `page`. 0 or -1. */
int rel_directory(struct store *s, struct arena *a, const struct directory_filter *f, int64_t page, struct paging *p,
    struct directory_list *out);
/* The regions the directory filters by. 0 or -1. */
int rel_regions(struct store *s, struct arena *a, struct region_list *out);

/* ---- accounts ---- */

/* Partner account id if it is of type t: id, 0 when it is not (or there is none), -1 error. */
int64_t rel_account_by_id(struct store *s, struct arena *a, int64_t id, enum partner_type t);
/* The partner account of type t of the organization with primary domain domain (any
 * case): its id, 0 none, -1 error. */
int64_t rel_account_by_domain(struct store *s, const char *domain, enum partner_type t);

/* ---- invitations (/resellers) ---- */

/* Records provider's invitation to email with message, valid REL_INVITE_TTL from now, sent
 * by by_user (caller holds the write transaction). Returns its id with *expires; 0 when a
 * pending invitation to that address exists already (Resend is the way); -1 on error. */
int64_t rel_invite(struct store *s, int64_t provider, const char *email, const char *message, int64_t by_user,
    int64_t now, int64_t *expires);
/* Stores "expired" on provider's pending invitations past their expiry at now (before a
 * resend or revoke reads one). 0 or -1. */
int rel_invitations_expire(struct store *s, int64_t provider, int64_t now);
/* Invitation id, if it is provider account provider's: 1 with *out; 0 when there is none
 * or it is another organization's (*why: the words for the audit log); -1 on error. */
int rel_invitation_of(struct store *s, struct arena *a, int64_t id, int64_t provider, struct reseller_invitation *out,
    const char **why);
/* inv's state at now: INV_EXPIRED also for a pending one past its expiry. */
enum inv_status rel_invitation_state(const struct reseller_invitation *inv, int64_t now);
/* Sends inv again with a new expiry (rel_next_expiry), which every earlier link lacks:
 * 1 with inv->sent_at and inv->expires_at updated; 0 when it was accepted or revoked;
 * -1 on error. Caller holds the write transaction. */
int rel_invitation_resend(struct store *s, struct reseller_invitation *inv, int64_t now);
/* Revokes inv (its link stops working): 1; 0 when it was accepted or revoked; -1. */
int rel_invitation_revoke(struct store *s, const struct reseller_invitation *inv, int64_t by_user, int64_t now);

/* ---- relationships ---- */

/* Relationship id, if it is reseller account reseller's and active: 1 with *out; 0 when
 * there is none, it is another organization's or it ended (*why: words for the audit
 * log); -1 on error. */
int rel_of_reseller(struct store *s, struct arena *a, int64_t id, int64_t reseller, struct provider_rel *out,
    const char **why);
/* Removes the provider's delegated administrator access of rel, recording by_user and now;
 * the relationship stays. 1; 0 when it was removed already; -1. */
int rel_remove_access(struct store *s, const struct provider_rel *rel, int64_t by_user, int64_t now);

/* Relates provider account to reseller account (partner_accounts ids), delegated
 * administrator access on, since now. invitation_id and by_user may be 0 (the operator's
 * demo world). The caller holds a write transaction. Returns the relationship id, 0 when
 * the two already have an active relationship, -1 on error. portalctl demo may call it. */
int64_t rel_create(struct store *db, int64_t provider_id, int64_t reseller_id, int64_t invitation_id,
    int64_t by_user, int64_t now);
/* Ends active relationship id with reason (the operator only). Caller holds a write
 * transaction. 1 ended, 0 not active (or unknown), -1 error. */
int rel_end(struct store *db, int64_t id, const char *reason, int64_t now);
/* Ends the active relationship between provider and reseller accounts: its id, 0 when
 * there is none, -1 on error. Caller holds the write transaction. */
int64_t rel_end_between(struct store *s, int64_t provider, int64_t reseller, const char *reason, int64_t now);
/* Every relationship, active and ended, of provider and/or reseller account (0: any), by id. 0 or -1. */
int rel_all(struct store *s, struct arena *a, int64_t provider, int64_t reseller, struct rel_overview_list *out);

/* The invitation link's token for row id valid until expires. NULL on error. */
char *rel_invite_token(struct arena *a, int64_t id, int64_t expires);
/* The expiry for a (re)send at now: 30 days on, and always later than the previous one, so
 * that every earlier link stops working even when resent within the same second. */
int64_t rel_next_expiry(int64_t now, int64_t previous);

#endif
