/* store.h — THE door to the data. Nothing above src/store/ sees a database engine: the
 * domain layer (and portalctl) call the typed functions below, which return plain structs
 * whose strings live in the caller's arena.
 *
 * Conventions, for every area:
 *   - lookups return 1 found, 0 none, -1 error;
 *   - inserts return the new row's id, or -1;
 *   - changes return the number of rows changed, or -1;
 *   - lists fill a struct with a count and an array in the arena, and return 0 or -1.
 * Any failed statement also marks the store failed (sticky until store_clear_failure):
 * the dispatcher and portalctl check store_failed() before they commit, roll back and
 * answer with an error, so nobody is ever told that a change succeeded when a write of it
 * failed — even where a caller forgot to look at a result.
 *
 * The write promise: store_begin_write() opens the action's write transaction; facts read
 * inside it stay true until store_commit() or store_rollback(), because no other writer
 * (thread or process) can change anything in between (SQLite: BEGIN IMMEDIATE under this
 * process's write lock). Decisions of the form "read, decide, write" — the last Global
 * admin, accepting an invitation, placing an order, using a single-use link — read their
 * facts after store_begin_write() and rely on this promise by name. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct store;

/* ---- opening and closing ---- */

/* Opens the database at path for one thread. migrate: apply pending schema sections first
 * (portalctl init, start-up); otherwise a schema of another version is refused. Every
 * statement is prepared here, so a broken one fails at start-up, never in front of a user.
 * 0 with *out set, or -1 with err. */
int store_open(struct store **out, const char *path, bool migrate, char *err, size_t errlen);
void store_close(struct store *s);

/* The highest schema section compiled into this program, and the schema's text. */
int store_schema_version(void);
const char *store_schema_text(void);

/* ---- the unit of work ---- */

/* Opens the write transaction (see "the write promise" above). 0, or -1 (failed). */
int store_begin_write(struct store *s);
/* Commits. 0, or -1 (then rolled back, and failed). A failed store is never committed:
 * store_commit rolls it back and returns -1. */
int store_commit(struct store *s);
void store_rollback(struct store *s);
bool store_in_write(const struct store *s);
/* Whether a statement failed since the last store_clear_failure. */
bool store_failed(const struct store *s);
void store_clear_failure(struct store *s);

/* ---- maintenance (housekeeping thread, portalctl) ---- */

/* 1 when the database answers a trivial query, else 0. */
int store_ping(struct store *s);
/* A passive WAL checkpoint. */
void store_checkpoint(struct store *s);
/* Copies the database into a new file dest (one read snapshot, consistent under load).
 * *pages gets the number of pages copied. 0, or -1 with err. */
int store_backup(struct store *s, const char *dest, int *pages, char *err, size_t errlen);
/* PRAGMA integrity_check and foreign_key_check: 0 when both are clean; else -1 with the
 * first problem in err. */
int store_check(struct store *s, char *err, size_t errlen);
/* The schema version the database file has. */
int store_version(struct store *s);

/* ---- the data model's states ----
 * Stored as words in the database (the schema's CHECK constraints list them); everything
 * above the store sees these enums. Their words for people are in domain/words.h. */

enum tenant_kind { TENANT_PARTNER = 0, TENANT_CUSTOMER, TENANT__COUNT };

enum partner_type {
	PT_INDIRECT_RESELLER = 0,
	PT_INDIRECT_PROVIDER,
	PT_DIRECT_BILL,
	PT__COUNT
};

/* A partner account's enrollment status. */
enum pa_status {
	PA_DRAFT = 0,
	PA_PENDING_VERIFICATION,
	PA_IN_REVIEW,
	PA_APPROVED,
	PA_REJECTED,
	PA__COUNT
};
#define PA_NONE (-1)		/* "no account of that type", where an int holds a status */

/* A reseller or customer invitation's state; INV_EXPIRED is derived (pending and past its
 * expiry) as well as stored. */
enum inv_status { INV_PENDING = 0, INV_ACCEPTED, INV_REVOKED, INV_EXPIRED, INV__COUNT };

/* A provider-reseller or customer relationship. */
enum rel_status { RS_ACTIVE = 0, RS_ENDED, RS__COUNT };

/* The stored word for each state ("indirect_reseller", "pending_verification", ...), and
 * back: -1 for a word that is not one (portalctl's arguments, imported files). */
const char *tenant_kind_key(enum tenant_kind k);
int tenant_kind_parse(const char *key);
const char *partner_type_key(enum partner_type t);
int partner_type_parse(const char *key);
const char *pa_status_key(enum pa_status s);
int pa_status_parse(const char *key);
const char *inv_status_key(enum inv_status s);
int inv_status_parse(const char *key);
const char *rel_status_key(enum rel_status s);
int rel_status_parse(const char *key);

/* ======================================================================== */
/* Areas. Each has its own file, src/store/<area>.c, holding its SQL next to the code that
 * reads the columns. */

/* ---- sessions (sessions.c) ---- */

/* A live sign-in: the user, the organization, and its partner accounts' statuses, in
 * one read (the dispatcher and every page header need them). */
struct session {
	int64_t id, user_id, tenant_id, created_at, seen_at;
	unsigned roles;			/* role bits (domain/access.h) */
	const char *email, *name, *tenant_name, *country;
	enum tenant_kind tenant_kind;
	int pa[PT__COUNT];		/* each partner account's enum pa_status; PA_NONE: no account */
	unsigned char token_hash[32];
};

/* The session stored under token_hash, with s->token_hash set by the caller. */
int st_session_load(struct store *s, struct arena *a, const unsigned char hash[32], struct session *out);
int64_t st_session_insert(struct store *s, const unsigned char hash[32], int64_t user_id, int64_t now, const char *ip);
int st_session_touch(struct store *s, int64_t id, int64_t now);
int st_session_delete(struct store *s, int64_t id);
int st_session_delete_hash(struct store *s, const unsigned char hash[32]);
int st_sessions_delete_user(struct store *s, int64_t user_id);
/* Sessions idle since before idle_before or created before created_before. */
int st_sessions_purge(struct store *s, int64_t idle_before, int64_t created_before);
/* How many sessions user_id has; -1 on error. */
int64_t st_sessions_count_user(struct store *s, int64_t user_id);

/* ---- countries and regions (countries.c) ---- */

struct country {
	const char *code, *name, *region, *region_name;	/* "DE", "Germany", "EU", "Europe" */
};
struct country_list {
	struct country *v;
	size_t n;
};
/* 1 found, 0 not a country, -1 error. */
int st_country_get(struct store *s, struct arena *a, const char *code, struct country *out);
/* Every country, by name. 0 or -1. */
int st_countries(struct store *s, struct arena *a, struct country_list *out);

/* ---- organizations and their partner accounts (tenants.c) ---- */

struct tenant_row {
	int64_t id, created_at;
	const char *name, *domain;
	enum tenant_kind kind;
	struct country country;		/* code, name, region, region_name */
};
/* 1 found, 0 none, -1 error. */
int st_tenant_get(struct store *s, struct arena *a, int64_t id, struct tenant_row *out);
/* The id of the organization whose primary domain is domain (any case); 0 none, -1 error. */
int64_t st_tenant_by_domain(struct store *s, const char *domain);
int64_t st_tenant_insert(struct store *s, const char *name, const char *domain, const char *country,
    enum tenant_kind kind, int64_t now);

struct partner_account {
	int64_t id, tenant_id;
	enum partner_type type;
	enum pa_status status;
	const char *support_email, *support_phone, *support_website;
	int64_t submitted_at, verified_at, decided_at, verify_sent_at;
	const char *reject_reason;
};
struct partner_account_list {
	struct partner_account *v;
	size_t n;
};
/* The organization's partner accounts, oldest first. 0 or -1. */
int st_partner_accounts(struct store *s, struct arena *a, int64_t tenant, struct partner_account_list *out);
/* The organization's account of type t: 1 with *id and *status, 0 none, -1 error. */
int st_partner_account_of_type(struct store *s, int64_t tenant, enum partner_type t, int64_t *id,
    enum pa_status *status);

/* A partner account with its organization, for pages and emails. */
struct partner {
	int64_t id, tenant_id;
	enum partner_type type;
	enum pa_status status;
	const char *name, *domain;
	const char *mpn;		/* the organization's MPN IDs, "1234567, 7654321" ("" none) */
	const char *country, *region, *region_name;	/* country name, region code and name */
	const char *support_email, *support_website;
};
/* 1 found, 0 none, -1 error. */
int st_partner_get(struct store *s, struct arena *a, int64_t account_id, struct partner *out);

struct tenant_mpn {
	const char *mpn_id, *company_name, *country;	/* country name */
	bool active;
	int64_t linked_at;
};
struct tenant_mpn_list {
	struct tenant_mpn *v;
	size_t n;
};
/* The MPN IDs linked to the organization, in the order they were linked. 0 or -1. */
int st_tenant_mpns(struct store *s, struct arena *a, int64_t tenant, struct tenant_mpn_list *out);

/* ---- users (users.c) ---- */

struct user_row {
	int64_t id, tenant_id, created_at;
	const char *name, *email;
	unsigned roles;			/* role bits (domain/access.h) */
	bool has_password;		/* a password is set */
	bool had_password;		/* one was set once (cleared by an administrator's reset) */
};
struct user_list {
	struct user_row *v;
	size_t n;
};

/* 1 found (id, tenant_id, email, name, roles), 0 none, -1 error. */
int st_user_get(struct store *s, struct arena *a, int64_t id, struct user_row *out);
/* The user signing in with email (any case): 1 with id, tenant_id and *pw_hash ("" when none
 * is set), 0 none, -1 error. */
int st_user_by_email(struct store *s, struct arena *a, const char *email, struct user_row *out, const char **pw_hash);
/* A new user (pw_hash NULL: none set yet): the id, or -1. */
int64_t st_user_insert(struct store *s, int64_t tenant, const char *email, const char *name, const char *pw_hash,
    unsigned roles, int64_t now);
int st_user_set_password(struct store *s, int64_t id, const char *pw_hash, int64_t now);
/* How many users of tenant hold any of the role bits in mask; -1 on error. */
int64_t st_users_count_with_roles(struct store *s, int64_t tenant, unsigned mask);
/* The users of tenant holding any of the role bits in mask, by name then email (no cap):
 * id, name, email, roles. 0 or -1. */
int st_users_with_roles(struct store *s, struct arena *a, int64_t tenant, unsigned mask, struct user_list *out);

/* ---- provider-reseller relationships (relationships.c) ---- */

struct paging;				/* base/paging.h: which page of a list */

/* The active relationship between provider and reseller accounts: its id, 0 none, -1 error. */
int64_t st_rel_active_id(struct store *s, int64_t provider, int64_t reseller);

/* A relationship with the provider's organization name (Remove administrator access). */
struct provider_rel {
	int64_t id, provider_id, reseller_id;	/* partner account ids */
	enum rel_status status;
	bool admin_access;
	int64_t removed_at;			/* 0: access not removed */
	const char *provider_name;
};
/* 1 found, 0 none, -1 error. */
int st_rel_get(struct store *s, struct arena *a, int64_t id, struct provider_rel *out);
/* A new active relationship with delegated administrator access (invitation and by_user
 * 0: none, the operator's demo world): its id, or -1. */
int64_t st_rel_insert(struct store *s, int64_t provider, int64_t reseller, int64_t invitation, int64_t by_user,
    int64_t now);
/* Removes the provider's administrator access of active relationship id of reseller
 * account reseller, if it has it: 1, 0 (not active, not the reseller's, already removed), -1. */
int st_rel_remove_access(struct store *s, int64_t id, int64_t reseller, int64_t by_user, int64_t now);
/* Ends active relationship id with reason: 1, 0 (not active or unknown), -1. */
int st_rel_end(struct store *s, int64_t id, const char *reason, int64_t now);

/* One active relationship as one side lists it: the other side's organization. */
struct rel_partner_row {
	int64_t id;			/* the relationship */
	int64_t tenant_id;		/* the other side's organization */
	const char *name, *mpn, *country;	/* its name, MPN IDs ("" none), country name */
	int64_t since;
	bool admin_access;
	int64_t removed_at;		/* 0: not removed */
	const char *removed_by;		/* who removed it ("" unknown; providers' list only) */
};
struct rel_partner_list {
	struct rel_partner_row *v;
	size_t n;
};
/* The sort orders of those lists: by name or by since, each either way (the id breaks ties). */
enum rel_order { REL_ORDER_NAME_ASC = 0, REL_ORDER_NAME_DESC, REL_ORDER_SINCE_ASC, REL_ORDER_SINCE_DESC };
/* Provider account provider's active resellers: how many (-1 error), and one page of
 * them (p->per_page from p->offset). 0 or -1. */
int64_t st_resellers_count(struct store *s, int64_t provider);
int st_resellers_page(struct store *s, struct arena *a, int64_t provider, enum rel_order order,
    const struct paging *p, struct rel_partner_list *out);
/* Reseller account reseller's active providers, the same way. */
int64_t st_providers_count(struct store *s, int64_t reseller);
int st_providers_page(struct store *s, struct arena *a, int64_t reseller, enum rel_order order,
    const struct paging *p, struct rel_partner_list *out);

/* Every relationship, active and ended, of one provider and/or reseller account (0: any),
 * by id (the operator's list). */
struct rel_overview {
	int64_t id, since, ended_at;	/* ended_at 0: active */
	int64_t provider_id, reseller_id;
	const char *provider_name, *provider_domain, *reseller_name, *reseller_domain;
	bool admin_access;
	enum rel_status status;
	const char *end_reason;		/* "" when active */
};
struct rel_overview_list {
	struct rel_overview *v;
	size_t n;
};
int st_relationships(struct store *s, struct arena *a, int64_t provider, int64_t reseller, struct rel_overview_list *out);

/* A provider's invitation to a reseller. */
struct reseller_invitation {
	int64_t id, provider_id;	/* provider_id: the inviting partner account */
	const char *email, *message;
	int64_t created_at, sent_at, expires_at;
	enum inv_status status;		/* as stored (a pending one may be past its expiry) */
	const char *inviter_name, *inviter_email;	/* "" when that user is gone */
	int64_t accepted_at;		/* 0: not accepted */
};
/* 1 found, 0 none, -1 error. */
int st_invitation_get(struct store *s, struct arena *a, int64_t id, struct reseller_invitation *out);
/* Stores "expired" on provider's pending invitations past their expiry at now: how many, or -1. */
int st_invitations_expire(struct store *s, int64_t provider, int64_t now);
/* provider's pending, unexpired invitation to email: its id, 0 none, -1 error. */
int64_t st_invitation_pending_to(struct store *s, int64_t provider, const char *email, int64_t now);
/* A new pending invitation, sent now: its id, or -1. */
int64_t st_invitation_insert(struct store *s, int64_t provider, const char *email, const char *message,
    int64_t by_user, int64_t now, int64_t expires);
/* Sends provider's pending or expired invitation id again with a new expiry: 1, 0 (accepted,
 * revoked, another provider's), -1. */
int st_invitation_resend(struct store *s, int64_t id, int64_t provider, int64_t now, int64_t expires);
/* Revokes provider's pending or expired invitation id: 1, 0 (as for resend), -1. */
int st_invitation_revoke(struct store *s, int64_t id, int64_t provider, int64_t by_user, int64_t now);
/* Accepts invitation id for reseller account reseller — once, only while pending, only for
 * the link's own expiry and only before it: 1, 0 (not so), -1. */
int st_invitation_accept(struct store *s, int64_t id, int64_t expires, int64_t reseller, int64_t by_user, int64_t now);

struct invitation_row {
	int64_t id, sent_at, expires_at;
	const char *email;
	enum inv_status state;		/* INV_EXPIRED also for a pending one past its expiry */
	const char *reseller;		/* the organization that accepted it ("" none) */
};
struct invitation_list {
	struct invitation_row *v;
	size_t n;
};
/* provider's invitations, newest first: how many (-1 error), and one page of them at now. */
int64_t st_invitations_count(struct store *s, int64_t provider);
int st_invitations_page(struct store *s, struct arena *a, int64_t provider, int64_t now, const struct paging *p,
    struct invitation_list *out);

/* Find a provider: approved indirect providers whose name contains q (any case of ASCII
 * letters), in country and region (codes; "" any of each). */
struct directory_filter {
	const char *q, *country, *region;
};
struct directory_row {
	const char *name, *mpn, *country, *region;	/* country and region names */
	const char *email, *phone, *website;		/* support contacts */
};
struct directory_list {
	struct directory_row *v;
	size_t n;
};
/* How many match (-1 error), and one page of them by name. 0 or -1. */
int64_t st_directory_count(struct store *s, const struct directory_filter *f);
int st_directory_page(struct store *s, struct arena *a, const struct directory_filter *f, const struct paging *p,
    struct directory_list *out);
/* The regions the directory filters by, by name. 0 or -1. */
struct region {
	const char *code, *name;
};
struct region_list {
	struct region *v;
	size_t n;
};
int st_directory_regions(struct store *s, struct arena *a, struct region_list *out);

/* ---- the partner agreement (agreement.c) ---- */

/* A published version of the agreement. */
struct agreement_version {
	int64_t id, published_at;
	const char *version;		/* its label */
	const char *body;		/* the text (st_agreement_current only) */
	int64_t bytes, accepted;	/* its size, how many organizations accepted it (st_agreement_versions) */
};
struct agreement_version_list {
	struct agreement_version *v;
	size_t n;
};
/* The current version (the one published last): 1, 0 nothing published, -1 error. */
int st_agreement_current(struct store *s, struct arena *a, struct agreement_version *out);
/* Every version, newest first. 0 or -1. */
int st_agreement_versions(struct store *s, struct arena *a, struct agreement_version_list *out);
/* 1 when a version is labelled version (any case), 0 not, -1 error. */
int st_agreement_version_taken(struct store *s, const char *version);
/* A new version, now current: its id, or -1. */
int64_t st_agreement_publish(struct store *s, const char *version, const char *body, int64_t now);

/* An organization's acceptance of a version, with its signer. */
struct agreement_acceptance {
	int64_t version_id;
	const char *version;		/* the version's label (read only) */
	const char *first, *last, *email, *phone, *title;	/* the signer (phone: written only) */
	int64_t user_id;		/* who accepted (written only) */
	const char *ip;			/* from where (written only) */
	int64_t accepted_at;
};
/* The current version with tenant's latest acceptance of any version (latest->version_id
 * 0: none): 1, 0 nothing published, -1 error. */
int st_agreement_standing(struct store *s, struct arena *a, int64_t tenant, struct agreement_version *current,
    struct agreement_acceptance *latest);
/* Records tenant's acceptance acc (once per version: again changes nothing): 1, 0 already, -1. */
int st_agreement_accept(struct store *s, int64_t tenant, const struct agreement_acceptance *acc);
/* How many organizations in the program (any partner account, any status) have not
 * accepted version_id; -1 on error. */
int64_t st_agreement_pending_orgs(struct store *s, int64_t version_id);

/* ---- single-use links (links.c) ---- */

struct link_row {
	int64_t subject_id, expires_at;
	bool used, revoked;
};
/* Revokes subject's unused links of purpose, then inserts a new one: its id, or -1. */
int64_t st_link_insert(struct store *s, const char *purpose, int64_t subject, int64_t now, int64_t expires);
int st_link_get(struct store *s, int64_t id, const char *purpose, struct link_row *out);
/* Marks link id used if it is unused, unrevoked, unexpired at now and of that expiry:
 * 1 when this call used it, 0 when it was not usable, -1 on error. */
int st_link_use(struct store *s, int64_t id, const char *purpose, int64_t expires, int64_t now);
/* Revokes every unused link of purpose for subject: how many, or -1. */
int st_links_revoke(struct store *s, const char *purpose, int64_t subject, int64_t now);

/* ---- mail outbox (outbox.c) ---- */

int64_t st_outbox_insert(struct store *s, int64_t now, const char *to, const char *subject, const char *tmpl,
    const char *message);
/* An unsent message: 1 with *message (malloc'd, the caller frees it), 0 when it is sent or
 * gone, -1 on error. */
int st_outbox_message(struct store *s, int64_t id, char **message, size_t *len);
int st_outbox_sent(struct store *s, int64_t id, int64_t now);
int st_outbox_failed(struct store *s, int64_t id, const char *error);
/* Up to max ids of unsent messages, oldest first: how many, or -1. */
int st_outbox_unsent(struct store *s, int64_t *ids, int max);

struct outbox_row {
	int64_t id, created_at, sent_at, attempts;	/* sent_at 0: queued */
	const char *to, *subject, *last_error;
};
struct outbox_list {
	struct outbox_row *v;
	size_t n;
};
/* The newest `limit` messages, newest first. 0 or -1. */
int st_outbox_list(struct store *s, struct arena *a, int64_t limit, struct outbox_list *out);

/* ---- audit log (audit.c) ---- */

struct audit_row {
	int64_t at;
	int64_t tenant_id, actor_id;	/* 0: none */
	const char *actor, *action, *target, *outcome, *ip, *detail;
};
int64_t st_audit_insert(struct store *s, const struct audit_row *e);

#endif
