/* relationships.c — see relationships.h. */
#include "domain/relationships.h"
#include "domain/delegated.h"

#include <string.h>

#include "domain/access.h"
#include "domain/partners.h"
#include "domain/timeline.h"
#include "domain/webhooks.h"
#include "base/paging.h"
#include "base/util.h"

static int rel_webhook(struct store *s, enum webhook_event ev, int64_t rel, int64_t provider, int64_t reseller,
    const char *reason, bool to_provider_only, int64_t now);

/* ---- the authorization decision ---- */

enum rel_refusal
rel_decide(const struct rel_facts *f)
{
	if (!f->has_link)
		return RR_NO_LINK;
	switch (f->token) {
	case TOKEN_OK: break;
	case TOKEN_EXPIRED: return RR_EXPIRED;
	case TOKEN_WRONG_PURPOSE: return RR_FOREIGN;
	case TOKEN_BAD_KEY: return RR_OLD_KEY;
	case TOKEN_MALFORMED:
	case TOKEN_BAD_MAC:
	default: return RR_ALTERED;
	}
	if (!f->found)
		return RR_ALTERED;
	if (f->status == INV_REVOKED)
		return RR_REVOKED;
	if (f->status == INV_ACCEPTED)
		return RR_USED;
	if (f->status == INV_EXPIRED)
		return RR_EXPIRED;
	if (f->row_expires != f->token_expires)
		return RR_REPLACED;
	if (f->row_expires <= f->now)
		return RR_EXPIRED;
	if (f->provider_status != PA_APPROVED)
		return RR_PROVIDER_GONE;
	if (!f->signed_in)
		return RR_SIGNED_OUT;
	if (f->same_org)
		return RR_SELF;
	if (f->tenant_kind == TENANT_CUSTOMER || (f->reseller_status == PA_NONE && f->other_partner_type))
		return RR_WRONG_TYPE;
	if (f->reseller_status != PA_APPROVED)
		return RR_NOT_ENROLLED;
	if (!str_eq(f->provider_region, f->reseller_region))
		return RR_OTHER_REGION;
	if (f->related)
		return RR_ALREADY_RELATED;
	if (!perm_allows(PERM_PROVIDERS_AUTHORIZE, f->roles))
		return RR_NOT_ADMIN;
	return RR_OK;
}

static const struct {
	const char *code;
	bool keeps_link;
} refusals[RR__COUNT] = {
	[RR_OK] = { "ok", true },
	[RR_NO_LINK] = { "no-link", false },
	[RR_ALTERED] = { "altered", false },
	[RR_FOREIGN] = { "foreign-link", false },
	[RR_OLD_KEY] = { "retired-key", false },
	[RR_EXPIRED] = { "expired", false },
	[RR_REVOKED] = { "revoked", false },
	[RR_USED] = { "used", false },
	[RR_REPLACED] = { "replaced", false },
	[RR_PROVIDER_GONE] = { "provider-not-approved", false },
	[RR_SIGNED_OUT] = { "signed-out", true },
	[RR_SELF] = { "own-organization", false },
	[RR_WRONG_TYPE] = { "wrong-account-type", true },
	[RR_NOT_ENROLLED] = { "not-enrolled", true },
	[RR_OTHER_REGION] = { "other-region", true },
	[RR_ALREADY_RELATED] = { "already-related", false },
	[RR_NOT_ADMIN] = { "role", true },
};

const char *
rel_refusal_code(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT ? refusals[why].code : "?";
}

bool
rel_refusal_keeps_link(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT && refusals[why].keeps_link;
}

/* ---- lists ---- */

const struct sort_col rel_sort_cols[REL_SORT__COUNT] = {
	[REL_SORT_NAME] = { "name", false },
	[REL_SORT_SINCE] = { "since", true },
};

int
rel_list_parse(const char *sort, const char *dir, const char *page, struct rel_list *out)
{
	out->sort = REL_SORT_NAME;
	out->desc = false;
	if (sort != NULL && *sort) {
		if (strcmp(sort, "name") == 0)
			out->sort = REL_SORT_NAME;
		else if (strcmp(sort, "since") == 0)
			out->sort = REL_SORT_SINCE;
		else
			return -1;
	}
	if (dir != NULL && *dir) {
		if (strcmp(dir, "asc") == 0)
			out->desc = false;
		else if (strcmp(dir, "desc") == 0)
			out->desc = true;
		else
			return -1;
	}
	return paging_parse(page, &out->page);
}

int
rel_list_variant(const struct rel_list *l)
{
	return (l->sort == REL_SORT_SINCE ? 2 : 0) + (l->desc ? 1 : 0);
}


/* Resellers, providers, invitations, the directory: a count, then the page asked for. */
static int
page_of(int64_t total, int64_t page, struct paging *p)
{
	if (total < 0)
		return -1;
	*p = paging_at(total, page, REL_PAGE_SIZE);
	return 0;
}

bool
cursor_links(enum cust_seek seek, bool more, size_t n, bool *prev, bool *next)
{
	switch (seek) {
	case CUST_FIRST:
		*next = more;
		break;
	case CUST_AFTER:
		*next = more;
		*prev = n > 0;
		break;
	case CUST_LAST:
		*prev = more;
		break;
	case CUST_BEFORE:
		if (!more)
			return false;
		*prev = *next = true;
		break;
	}
	return true;
}

static int
side_page(struct store *s, struct arena *a, bool resellers, int64_t account, const char *q, const struct rel_list *l,
    enum cust_seek seek, int64_t id, struct rel_page *out)
{
	*out = (struct rel_page){ 0 };
	bool more = false, by_since = l->sort == REL_SORT_SINCE;
	if (l->page > 1 && (l->page - 1) * REL_PAGE_SIZE > REL_SKIP_MAX)
		return side_page(s, a, resellers, account, q, &(struct rel_list){ l->sort, l->desc, 1 }, CUST_LAST, 0, out);
	if (l->page > 1 && q == NULL) {
		/* an old ?page=N link: one row more than a page tells whether there is a next */
		struct paging p = { .page = l->page, .per_page = REL_PAGE_SIZE + 1, .offset = (l->page - 1) * REL_PAGE_SIZE };
		enum rel_order o = (enum rel_order)rel_list_variant(l);
		if ((resellers ? st_resellers_page(s, a, account, o, &p, &out->rows)
		    : st_providers_page(s, a, account, o, &p, &out->rows)) < 0)
			return -1;
		if (out->rows.n == 0)	/* past the end: the last page */
			return side_page(s, a, resellers, account, q, &(struct rel_list){ l->sort, l->desc, 1 }, CUST_LAST, 0, out);
		out->next = out->rows.n > REL_PAGE_SIZE;
		if (out->next)
			out->rows.n = REL_PAGE_SIZE;
		out->prev = true;
		return 0;
	}
	if ((q != NULL ? st_resellers_search_seek(s, a, account, q, by_since, l->desc, seek, id, REL_PAGE_SIZE, &out->rows, &more)
	    : resellers ? st_resellers_seek(s, a, account, by_since, l->desc, seek, id, REL_PAGE_SIZE, &out->rows, &more)
	    : st_providers_seek(s, a, account, by_since, l->desc, seek, id, REL_PAGE_SIZE, &out->rows, &more)) < 0)
		return -1;
	if (!cursor_links(seek, more, out->rows.n, &out->prev, &out->next))
		return side_page(s, a, resellers, account, q, l, CUST_FIRST, 0, out);
	return 0;
}

int
rel_resellers_seek(struct store *s, struct arena *a, int64_t provider, const struct rel_list *l, enum cust_seek seek,
    int64_t id, struct rel_page *out)
{
	return side_page(s, a, true, provider, NULL, l, seek, id, out);
}

int
rel_resellers_find(struct store *s, struct arena *a, int64_t provider, const char *q, const struct rel_list *l,
    enum cust_seek seek, int64_t id, struct rel_page *out)
{
	return side_page(s, a, true, provider, q != NULL && *q ? q : NULL, l, seek, id, out);
}

int
rel_providers_seek(struct store *s, struct arena *a, int64_t reseller, const struct rel_list *l, enum cust_seek seek,
    int64_t id, struct rel_page *out)
{
	return side_page(s, a, false, reseller, NULL, l, seek, id, out);
}

int
rel_invitations(struct store *s, struct arena *a, int64_t provider, int state, int64_t page, int64_t now,
    struct paging *p, struct invitation_list *out)
{
	if (state >= 0) {
		const char *w = inv_status_key((enum inv_status)state);
		if (page_of(st_invitations_count_in(s, provider, now, w), page, p) < 0)
			return -1;
		return st_invitations_page_in(s, a, provider, now, w, p, out);
	}
	if (page_of(st_invitations_count(s, provider), page, p) < 0)
		return -1;
	return st_invitations_page(s, a, provider, now, p, out);
}

int
rel_directory(struct store *s, struct arena *a, const struct directory_filter *f, int64_t page, struct paging *p,
    struct directory_list *out)
{
	if (page_of(st_directory_count(s, f), page, p) < 0)
		return -1;
	return st_directory_page(s, a, f, p, out);
}

int
rel_regions(struct store *s, struct arena *a, struct region_list *out)
{
	return st_directory_regions(s, a, out);
}

/* ---- the authorization decision's facts ---- */

/* The signed-in side of the facts: the organization, its accounts, the relationship. */
static int
check_visitor(struct store *s, struct arena *a, const struct session *sess, struct rel_check *c)
{
	struct rel_facts *f = &c->f;
	f->signed_in = true;
	f->roles = sess->roles;
	f->same_org = c->provider.tenant_id != 0 && sess->tenant_id == c->provider.tenant_id;
	struct partner_account_list accounts;
	if (st_partner_accounts(s, a, sess->tenant_id, &accounts) < 0)
		return -1;
	for (size_t i = 0; i < accounts.n; i++) {
		if (accounts.v[i].type != PT_INDIRECT_RESELLER) {
			f->other_partner_type = true;
			continue;
		}
		f->reseller_status = (int)accounts.v[i].status;
		c->reseller_id = accounts.v[i].id;
	}
	int rc = st_tenant_get(s, a, sess->tenant_id, &c->org);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		f->tenant_kind = c->org.kind;
		f->reseller_region = c->org.country.region;
	}
	if (c->reseller_id && c->inv.provider_id) {
		int64_t active = st_rel_active_id(s, c->inv.provider_id, c->reseller_id);
		if (active < 0)
			return -1;
		f->related = active != 0;
	}
	return 0;
}

int
rel_check(struct store *s, struct arena *a, const char *link, const struct session *sess, int64_t now,
    struct rel_check *c)
{
	memset(c, 0, sizeof(*c));
	struct rel_facts *f = &c->f;
	f->now = now;
	f->has_link = link != NULL;
	f->provider_status = PA_NONE;
	f->reseller_status = PA_NONE;
	f->token = token_open(link, TP_RESELLER_INVITE, now, &c->t);
	if (f->has_link && f->token == TOKEN_OK) {
		f->token_expires = c->t.expires;
		int rc = st_invitation_get(s, a, c->t.row, &c->inv);
		if (rc < 0)
			return -1;
		f->found = rc == 1;
		f->status = c->inv.status;
		f->row_expires = c->inv.expires_at;
	}
	if (f->found) {
		int rc = st_partner_get(s, a, c->inv.provider_id, &c->provider);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			f->provider_status = (int)c->provider.status;
			f->provider_region = c->provider.region;
		}
	}
	if (sess != NULL && check_visitor(s, a, sess, c) < 0)
		return -1;
	c->why = rel_decide(f);
	return 0;
}

int64_t
rel_authorize(struct store *s, const struct rel_check *c, int64_t by_user, enum rel_refusal *why)
{
	int n = st_invitation_accept(s, c->inv.id, c->t.expires, c->reseller_id, by_user, c->f.now);
	if (n <= 0) {
		*why = RR_USED;
		return n;
	}
	int64_t rel = rel_create(s, c->inv.provider_id, c->reseller_id, c->inv.id, by_user, c->f.now);
	if (rel == 0)
		*why = RR_ALREADY_RELATED;
	/* Issue 13: the invitation's entries (invited, opened, reminded...) start its timeline. */
	if (rel > 0 && tl_adopt(s, TL_RESELLER_INV, c->inv.id, TL_RESELLER, rel) < 0)
		return -1;
	if (rel > 0 && rel_webhook(s, WH_INVITATION_ACCEPTED, rel, c->inv.provider_id, c->reseller_id, NULL, true,
	    c->f.now) < 0)
		return -1;
	/* Issue 13: the authorization grants the default delegated admin relationship (Admin
	 * agent, two years), which is what lets the provider's admin agents act here. */
	if (rel > 0 && da_grant_default(s, c->provider.tenant_id, c->org.id, DAK_RESELLER, by_user, c->f.now) < 0)
		return -1;
	return rel;
}

int
rel_recipients(struct store *s, struct arena *a, int64_t tenant, enum partner_type side, struct user_list *out)
{
	enum perm p = side == PT_INDIRECT_PROVIDER ? PERM_RESELLERS_INVITE : PERM_PROVIDERS_AUTHORIZE;
	return access_recipients(s, a, tenant, p, out);
}

/* ---- accounts ---- */

int64_t
rel_account_by_id(struct store *s, struct arena *a, int64_t id, enum partner_type t)
{
	struct partner p;
	int rc = st_partner_get(s, a, id, &p);
	return rc < 0 ? -1 : rc == 1 && p.type == t ? id : 0;
}

int64_t
rel_account_by_domain(struct store *s, const char *domain, enum partner_type t)
{
	int64_t tenant = st_tenant_by_domain(s, domain), id;
	enum pa_status status;
	if (tenant <= 0)
		return tenant;
	int rc = st_partner_account_of_type(s, tenant, t, &id, &status);
	return rc < 0 ? -1 : rc == 1 ? id : 0;
}

/* ---- invitations ---- */

int64_t
rel_invite(struct store *s, int64_t provider, const char *email, const char *message, int64_t by_user, int64_t now,
    int64_t *expires)
{
	if (st_invitations_expire(s, provider, now) < 0)
		return -1;
	int64_t pending = st_invitation_pending_to(s, provider, email, now);
	if (pending != 0)
		return pending < 0 ? -1 : 0;
	*expires = now + REL_INVITE_TTL;
	return st_invitation_insert(s, provider, email, message, by_user, now, *expires);
}

int
rel_invitations_expire(struct store *s, int64_t provider, int64_t now)
{
	return st_invitations_expire(s, provider, now) < 0 ? -1 : 0;
}

int
rel_invitation_of(struct store *s, struct arena *a, int64_t id, int64_t provider, struct reseller_invitation *out,
    const char **why)
{
	int rc = st_invitation_get(s, a, id, out);
	if (rc < 0)
		return -1;
	*why = rc == 0 ? "no such invitation" : out->provider_id != provider ? "another organization's invitation" : NULL;
	return *why == NULL;
}

enum inv_status
rel_invitation_state(const struct reseller_invitation *inv, int64_t now)
{
	return inv->status == INV_PENDING && inv->expires_at <= now ? INV_EXPIRED : inv->status;
}

int
rel_invitation_resend(struct store *s, struct reseller_invitation *inv, int64_t now)
{
	int64_t expires = rel_next_expiry(now, inv->expires_at);
	int n = st_invitation_resend(s, inv->id, inv->provider_id, now, expires);
	if (n == 1) {
		inv->sent_at = now;
		inv->expires_at = expires;
		inv->status = INV_PENDING;
	}
	return n < 0 ? -1 : n == 1;
}

int
rel_invitation_revoke(struct store *s, const struct reseller_invitation *inv, int64_t by_user, int64_t now)
{
	int n = st_invitation_revoke(s, inv->id, inv->provider_id, by_user, now);
	return n < 0 ? -1 : n == 1;
}

/* ---- relationships ---- */

int
rel_of_reseller(struct store *s, struct arena *a, int64_t id, int64_t reseller, struct provider_rel *out,
    const char **why)
{
	int rc = st_rel_get(s, a, id, out);
	if (rc < 0)
		return -1;
	*why = rc == 0 ? "no such relationship" : out->reseller_id != reseller ? "another organization's relationship"
	    : out->status != RS_ACTIVE ? "relationship ended" : NULL;
	return *why == NULL;
}

int
rel_remove_access(struct store *s, const struct provider_rel *rel, int64_t by_user, int64_t now)
{
	int n = st_rel_remove_access(s, rel->id, rel->reseller_id, by_user, now);
	return n < 0 ? -1 : n == 1;
}

/* Queues webhook event ev about relationship rel between partner accounts provider and
 * reseller for both organizations (to_provider_only: the provider's only), in the caller's
 * transaction. 0 or -1. */
static int
rel_webhook(struct store *s, enum webhook_event ev, int64_t rel, int64_t provider, int64_t reseller,
    const char *reason, bool to_provider_only, int64_t now)
{
	struct arena a;
	struct partner pp, rp;
	arena_init(&a, 0);
	int rc = st_partner_get(s, &a, provider, &pp) == 1 && st_partner_get(s, &a, reseller, &rp) == 1 ? 0 : -1;
	for (int side = 0; rc == 0 && side < (to_provider_only ? 1 : 2); side++) {
		json_t *d = json_pack("{s:I, s:o, s:o}", "relationship_id", (json_int_t)rel, "provider", webhook_partner(&pp),
		    "reseller", webhook_partner(&rp));
		if (d != NULL && reason != NULL)
			json_object_set_new(d, "reason", json_string(reason));
		rc = webhook_enqueue(s, side == 0 ? pp.tenant_id : rp.tenant_id, ev, now, d);
	}
	arena_free(&a);
	return rc;
}

int64_t
rel_create(struct store *db, int64_t provider_id, int64_t reseller_id, int64_t invitation_id, int64_t by_user, int64_t now)
{
	int64_t active = st_rel_active_id(db, provider_id, reseller_id);
	if (active != 0)
		return active < 0 ? -1 : 0;
	int64_t id = st_rel_insert(db, provider_id, reseller_id, invitation_id, by_user, now);
	if (id <= 0 || rel_webhook(db, WH_RELATIONSHIP_CREATED, id, provider_id, reseller_id, NULL, false, now) < 0)
		return -1;
	return id;
}

int
rel_end(struct store *db, int64_t id, const char *reason, int64_t now)
{
	int n = st_rel_end(db, id, reason, now);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	struct arena a;
	struct provider_rel r;
	arena_init(&a, 0);
	int found = st_rel_get(db, &a, id, &r);
	arena_free(&a);
	if (found != 1 || rel_webhook(db, WH_RELATIONSHIP_ENDED, id, r.provider_id, r.reseller_id, reason, false, now) < 0)
		return -1;
	return 1;
}

int64_t
rel_end_between(struct store *s, int64_t provider, int64_t reseller, const char *reason, int64_t now)
{
	int64_t id = st_rel_active_id(s, provider, reseller);
	if (id <= 0)
		return id;
	int n = rel_end(s, id, reason, now);
	return n < 0 ? -1 : n ? id : 0;
}

int
rel_all(struct store *s, struct arena *a, int64_t provider, int64_t reseller, struct rel_overview_list *out)
{
	return st_relationships(s, a, provider, reseller, out);
}

char *
rel_invite_token(struct arena *a, int64_t id, int64_t expires)
{
	return token_make(a, TP_RESELLER_INVITE, id, expires);
}

int64_t
rel_next_expiry(int64_t now, int64_t previous)
{
	int64_t e = now + REL_INVITE_TTL;
	return e > previous ? e : previous + 1;
}
