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
#include "store/db.h"
#include "base/token.h"

#define REL_INVITE_TTL (30 * 24 * 60 * 60)	/* an invitation link is valid 30 days */
#define REL_MESSAGE_MAX 1000			/* the provider's optional message */
#define REL_PAGE_SIZE 20			/* rows per page in every list */

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

/* Everything the decision looks at; the page gathers it, rel_decide only reasons. */
struct rel_facts {
	bool has_link;
	enum token_error token;		/* token_open's answer */
	int64_t token_expires;		/* from the token (when token is TOKEN_OK) */
	bool found;			/* the invitation row exists */
	const char *status;		/* its stored status */
	int64_t row_expires;
	int64_t now;
	const char *provider_status;	/* the inviting provider account's status */
	bool signed_in;
	unsigned roles;			/* the signed-in user's role bits */
	const char *tenant_kind;	/* "partner" or "customer" */
	bool same_org;			/* the user belongs to the provider's organization */
	bool other_partner_type;	/* the organization has a provider or direct-bill account */
	const char *reseller_status;	/* its indirect_reseller account's status; NULL: none */
	const char *provider_region, *reseller_region;	/* region codes */
	bool related;			/* an active relationship between the two exists */
};

/* The first reason why f does not allow authorizing, or RR_OK. Pure: no I/O. */
enum rel_refusal rel_decide(const struct rel_facts *f);
/* A short stable code for the audit log ("expired", "other-region", ...). */
const char *rel_refusal_code(enum rel_refusal why);
/* The HTTP status of a refused POST /authorize. */
int rel_refusal_status(enum rel_refusal why);
/* Whether the link stays usable after this refusal (account problems: yes; link problems: no). */
bool rel_refusal_keeps_link(enum rel_refusal why);

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




/* ---- accounts ---- */

/* The organization's partner account of type: its status ("approved", ...) with *id set,
 * or NULL when it has none. */
const char *rel_account(struct store *db, struct arena *a, int64_t tenant_id, const char *type, int64_t *id);

/* ---- writing ---- */

/* Relates provider account to reseller account (partner_accounts ids), delegated
 * administrator access on, since now. invitation_id and by_user may be 0 (the operator's
 * demo world). The caller holds a write transaction. Returns the relationship id, 0 when
 * the two already have an active relationship, -1 on error. portalctl demo may call it. */
int64_t rel_create(struct store *db, int64_t provider_id, int64_t reseller_id, int64_t invitation_id,
    int64_t by_user, int64_t now);
/* Ends active relationship id with reason (the operator only). Caller holds a write
 * transaction. 1 ended, 0 not active (or unknown), -1 error. */
int rel_end(struct store *db, int64_t id, const char *reason, int64_t now);

/* The invitation link's token for row id valid until expires. NULL on error. */
char *rel_invite_token(struct arena *a, int64_t id, int64_t expires);
/* The expiry for a (re)send at now: 30 days on, and always later than the previous one, so
 * that every earlier link stops working even when resent within the same second. */
int64_t rel_next_expiry(int64_t now, int64_t previous);

#endif
