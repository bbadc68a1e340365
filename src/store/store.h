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
 * process's write lock; PostgreSQL: the same process lock, then one transaction-scoped
 * advisory lock that every write transaction of every node takes first, see pg.c). Decisions of the form "read, decide, write" — the last Global
 * admin, accepting an invitation, placing an order, using a single-use link — read their
 * facts after store_begin_write() and rely on this promise by name. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct store;
struct paging;			/* base/paging.h: which page of a list */

/* ---- opening and closing ---- */

/* Opens the database at path for one thread: a SQLite file, or PostgreSQL when path is a
 * libpq connection string (key=value ...) or a postgres:// or postgresql:// URI. migrate:
 * apply pending schema sections first (portalctl init, start-up); otherwise a schema of
 * another version is refused. The process's first open prepares every statement and checks
 * the columns each returns, so a broken one fails at start-up (the portal's parent, before
 * it forks the worker), never in front of a user; later opens prepare each statement at its
 * first use. 0 with *out set, or -1 with err. */
int store_open(struct store **out, const char *path, bool migrate, char *err, size_t errlen);
/* Whether the first open checks every statement (on by default). portalctl turns it off: the
 * check is the portal's start-up's (and doctor's), and on PostgreSQL it cost each run about
 * 0.4 s of the server's time. */
void store_check_statements(bool on);
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
/* Commits bookkeeping without waiting for it to reach the disk (SQLite: the group sync of
 * store_commit is skipped, the next synced commit carries it; PostgreSQL: synchronous_commit
 * off for this transaction). Only for writes whose loss on a power cut merely repeats work
 * (a message's sent mark: it is delivered again). Like store_commit otherwise. */
int store_commit_nosync(struct store *s);
/* This process's commits so far, and the WAL syncs that made them durable (SQLite; several
 * commits waiting together share one sync). For tests and measurements. */
void store_io_counts(uint64_t *commits, uint64_t *syncs);
bool store_in_write(const struct store *s);
/* A request's reads in one read transaction (one snapshot, one lock cycle) instead of one
 * per statement: the dispatcher opens it before the handler and ends it after the request's
 * transaction is settled. store_begin_write ends it first (the write reads its facts from
 * its own, newer snapshot); reads after the write's commit run one by one as before. Inside
 * a write transaction, or when one is open already, store_read_begin does nothing. 0 or -1
 * (then the reads simply run one by one). */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);
/* Whether a statement failed since the last store_clear_failure. */
bool store_failed(const struct store *s);
void store_clear_failure(struct store *s);

/* ---- maintenance (housekeeping thread, portalctl) ---- */

/* 1 when the database answers a trivial query, else 0. */
int store_ping(struct store *s);
/* A passive WAL checkpoint. */
void store_checkpoint(struct store *s);
/* Copies the database into a new file dest (one read snapshot, consistent under load).
 * *pages gets the number of pages copied. 0, or -1 with err; -2 with err on PostgreSQL,
 * which is backed up with its own tools (pg_dump). */
int store_backup(struct store *s, const char *dest, int *pages, char *err, size_t errlen);
/* Checks the database file path (a backup): PRAGMA integrity_check when full, else
 * quick_check (the same page and record checks without comparing every index with its
 * table: seconds instead of minutes on a database of gigabytes). 0, or -1 with err. */
int store_check_file(const char *path, bool full, char *err, size_t errlen);
/* PRAGMA integrity_check and foreign_key_check: 0 when both are clean; else -1 with the
 * first problem in err. */
int store_check(struct store *s, char *err, size_t errlen);
/* The schema version the database has. */
int store_version(struct store *s);
/* Whether this store's open (with migrate) created the schema in an empty database. */
bool store_created(const struct store *s);
/* Whether the store is on PostgreSQL (PORTAL_DB) rather than a SQLite file. */
bool store_is_postgres(const struct store *s);

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

/* A subscription's state (the schema's subscriptions.status). */
enum sub_status { SUB_ACTIVE = 0, SUB_SUSPENDED, SUB_CANCELLED, SUB__COUNT };

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
int sub_status_parse(const char *key);	/* only read: subscriptions start active by default */

/* ======================================================================== */
/* Areas. Each has its own file, src/store/<area>.c, holding its SQL next to the code that
 * reads the columns. */

/* ---- sessions (sessions.c) ---- */

/* A live sign-in: the user, the organization, and its partner accounts' statuses, in
 * one read (the dispatcher and every page header need them). */
struct session {
	int64_t id, user_id, tenant_id, created_at, seen_at;
	int64_t auth_at;		/* the user's last proof of identity (re-authentication) */
	bool mfa;			/* signed in with a second factor */
	bool mfa_enabled;		/* the user has a confirmed second factor */
	bool mfa_required;		/* the organization or the program requires one */
	unsigned roles;			/* role bits (domain/access.h) */
	const char *email, *name, *tenant_name, *country;
	enum tenant_kind tenant_kind;
	int pa[PT__COUNT];		/* each partner account's enum pa_status; PA_NONE: no account */
	unsigned char token_hash[32];
	const char *op_role;		/* operators.role of the user, NULL for a partner's user */
	int64_t acting_da_id;		/* the delegated admin relationship it acts under, 0: none */
	const char *lang;		/* issue 18: the user's language ("pl"), "" when not chosen */
	const char *time_zone;		/* the user's chosen zone, NULL: the default (issue 15) */
	const char *zone;		/* the zone times are shown in, worked out on first use (web/page.c) */
};

/* The session stored under token_hash, with s->token_hash set by the caller. */
int st_session_load(struct store *s, struct arena *a, const unsigned char hash[32], struct session *out);
/* user_agent: stored as given (the domain shortens it); auth_at: the last proof. */
int64_t st_session_insert(struct store *s, const unsigned char hash[32], int64_t user_id, int64_t now, const char *ip,
    const char *user_agent, int64_t auth_at, bool mfa);
int st_session_touch(struct store *s, int64_t id, int64_t now);
int st_session_delete(struct store *s, int64_t id);
int st_session_delete_hash(struct store *s, const unsigned char hash[32]);
int st_sessions_delete_user(struct store *s, int64_t user_id);
/* Sessions idle since before idle_before or created before created_before. */
int st_sessions_purge(struct store *s, int64_t idle_before, int64_t created_before);
/* How many sessions user_id has; -1 on error. */
int64_t st_sessions_count_user(struct store *s, int64_t user_id);

/* The sessions list on the account page: one sign-in of a user as it is shown. */
struct session_row {
	int64_t id, created_at, seen_at;
	const char *ip, *user_agent;	/* "" when unknown */
	bool mfa;			/* created with a second factor */
};
struct session_list {
	struct session_row *v;
	size_t n;
};
/* user_id's sessions seen since seen_since and created since created_since (the live
 * ones), last seen first. 0 or -1. */
int st_sessions_of_user(struct store *s, struct arena *a, int64_t user_id, int64_t seen_since, int64_t created_since,
    struct session_list *out);
/* Deletes session id only if it is user_id's: rows changed (0: not theirs), or -1. */
int st_session_delete_of_user(struct store *s, int64_t id, int64_t user_id);
/* Deletes every session of user_id but keep: rows changed, or -1. */
int st_sessions_delete_user_except(struct store *s, int64_t user_id, int64_t keep);
/* Why sessions ended (issue 15): keeps the hash of each of user_id's sessions with reason
 * (rows-changed or -1; before they are deleted); the reason a cookie's session ended
 * (1 and *reason in the arena, 0 none, -1); deletes the reasons older than before. */
int st_session_ends_keep(struct store *s, int64_t user_id, const char *reason, int64_t now);
int st_session_ends_reason(struct store *s, struct arena *a, const unsigned char hash[32], char **reason);
int st_session_ends_purge(struct store *s, int64_t before);

/* ---- multi-factor sign-in (mfa.c) ---- */

/* A user's second factor: the sealed TOTP secret (NULL: none), when a code confirmed it
 * (0: not yet, the secret is pending), and the last time step accepted (replay guard). */
struct mfa_row {
	const unsigned char *secret;
	size_t secret_len;
	int64_t enabled_at, last_step;
};
struct mfa_code {
	int64_t id;
	unsigned char hash[32];
};
struct mfa_code_list {
	struct mfa_code *v;
	size_t n;
};
struct id_list {
	int64_t *v;
	size_t n;
};
int st_mfa_get(struct store *s, struct arena *a, int64_t user_id, struct mfa_row *out);
/* A new secret, not enabled yet (and the replay guard reset). Rows changed or -1. */
int st_mfa_set_pending(struct store *s, int64_t user_id, const unsigned char *sealed, size_t len);
/* Enables a pending secret: 1, or 0 when there is none pending. */
int st_mfa_enable(struct store *s, int64_t user_id, int64_t now);
/* Takes time step `step` when it is after the last one taken: 1, 0 (a replay), -1. */
int st_mfa_take_step(struct store *s, int64_t user_id, int64_t step);
int st_mfa_reseal(struct store *s, int64_t user_id, const unsigned char *sealed, size_t len);
int st_mfa_disable(struct store *s, int64_t user_id);
/* Every user id that has a secret (pending or enabled), for re-sealing after a key rotation. */
int st_mfa_users_with_secret(struct store *s, struct arena *a, struct id_list *out);
/* Records a sign-in (for the compliance view): when, and whether with a second factor. */
int st_user_signed_in(struct store *s, int64_t user_id, int64_t now, bool mfa);
int st_mfa_codes_delete(struct store *s, int64_t user_id);
int64_t st_mfa_code_insert(struct store *s, int64_t user_id, const unsigned char hash[32], int64_t now);
int st_mfa_codes_unused(struct store *s, struct arena *a, int64_t user_id, struct mfa_code_list *out);
/* Uses recovery code code_id: 1, 0 when it was used already (concurrently), -1. */
int st_mfa_code_use(struct store *s, int64_t code_id, int64_t now);
int64_t st_mfa_codes_count(struct store *s, int64_t user_id);
/* program_settings: 1 with *value, 0 not set (*value NULL), -1. */
int st_setting_get(struct store *s, struct arena *a, const char *name, const char **value);
int st_setting_set(struct store *s, const char *name, const char *value);
/* tenants.require_mfa: 1, 0, or -1. */
int st_tenant_require_mfa(struct store *s, int64_t tenant);
int st_tenant_set_require_mfa(struct store *s, int64_t tenant, bool on);
/* For portalctl security status. 0 or -1. */
struct mfa_counts {
	int64_t orgs_requiring, users, users_with_mfa;
};
int st_mfa_counts(struct store *s, struct arena *a, struct mfa_counts *out);
/* The session's user proved who they are at now (mfa: with a second factor, which stays). */
int st_session_proof(struct store *s, int64_t session_id, int64_t now, bool mfa);

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

/* A Create one waiting for its address to be confirmed (schema: signup_requests). kind:
 * TENANT_PARTNER (/signup) or TENANT_CUSTOMER (a customer invitation's, with the invitation
 * and its link's expiry). */
struct signup_request {
	int64_t id;
	enum tenant_kind kind;
	const char *org, *domain, *country, *name, *email, *pw_hash, *next;
	int64_t invitation_id, invitation_expires;
	int64_t created_at, expires_at;
	bool without_da;		/* a customer's: accept without delegated administration (issue 13) */
};
/* Records r (removing every expired request first): its id, or -1. */
int64_t st_signup_insert(struct store *s, const struct signup_request *r);
/* 1 found, 0 none, -1 error. */
int st_signup_get(struct store *s, struct arena *a, int64_t id, struct signup_request *out);
/* Rows deleted, or -1. */
int st_signup_delete(struct store *s, int64_t id);
/* Deletes every request expired at now (its password hash with it): rows deleted, or -1. */
int st_signup_purge(struct store *s, int64_t now);

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
/* The stored password hash of user id: 1 with *pw_hash ("" when none is set), 0 no such
 * user, -1 error. */
int st_user_password_hash(struct store *s, struct arena *a, int64_t id, const char **pw_hash);

/* Settings → User management: an organization's users a page at a time, and the changes
 * an administrator makes. Every call names the organization too, so that an id from a URL
 * never reaches another organization's user. */
enum user_order { USER_ORDER_NAME = 0, USER_ORDER_EMAIL };
/* How many users tenant has; -1 on error. */
int64_t st_users_count(struct store *s, int64_t tenant);
/* The page p (per_page rows from offset) of tenant's users in order (case-insensitive,
 * then by id): id, name, email, roles, has_password, had_password. 0 or -1. */
int st_users_page(struct store *s, struct arena *a, int64_t tenant, enum user_order order, bool desc,
    const struct paging *p, struct user_list *out);
/* User id of tenant, every field: 1 found, 0 none (or another organization's), -1 error. */
int st_user_in_tenant(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_row *out);
/* Changes of user id of tenant: rows changed (0: not there), or -1. Clearing the password
 * keeps pw_changed_at = now, so the list can say "Password reset". */
int st_user_set_roles(struct store *s, int64_t id, int64_t tenant, unsigned roles);
int st_user_clear_password(struct store *s, int64_t id, int64_t tenant, int64_t now);
int st_user_delete(struct store *s, int64_t id, int64_t tenant);

/* issue 15: the zone user id reads times in (NULL: back to the default). Rows changed or -1. */
int st_user_set_zone(struct store *s, int64_t id, const char *zone);
/* The chosen zone (NULL: none) and the organization's country of the user with email (any
 * case): 1, 0 no such user, -1 error. */
struct user_zone {
	const char *time_zone, *country;
};
int st_user_zone_by_email(struct store *s, struct arena *a, const char *email, struct user_zone *out);

/* ---- the multi-factor compliance view (compliance.c) ---- */

/* Which users the view lists. */
enum mfa_filter { MFA_ALL = 0, MFA_WITH, MFA_WITHOUT };
/* A user with their multi-factor state and last sign-in. */
struct mfa_status_row {
	int64_t id;
	const char *name, *email;
	unsigned roles;			/* role bits (domain/access.h) */
	int64_t mfa_since;		/* when MFA was set up; 0: not set up */
	int64_t last_signin_at;		/* 0: never signed in (since this was recorded) */
	bool last_signin_mfa;		/* that sign-in used a second factor */
};
struct mfa_status_list {
	struct mfa_status_row *v;
	size_t n;
};
/* How many users tenant has (*users) and how many of them have MFA set up. 0 or -1. */
int st_mfa_totals(struct store *s, int64_t tenant, int64_t *users, int64_t *with_mfa);
/* How many of tenant's users are in filter f; -1 on error. */
int64_t st_mfa_count(struct store *s, int64_t tenant, enum mfa_filter f);
/* Page p of them by name (then email, id). 0 or -1. */
int st_mfa_page(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, const struct paging *p,
    struct mfa_status_list *out);

/* ---- provider-reseller relationships (relationships.c) ---- */

/* The active relationship between provider and reseller accounts: its id, 0 none, -1 error. */
int64_t st_rel_active_id(struct store *s, int64_t provider, int64_t reseller);
/* The newest relationship, active or ended, between provider and reseller accounts: its id,
 * 0 none (they never worked together), -1 error. */
int64_t st_rel_any_id(struct store *s, int64_t provider, int64_t reseller);

/* ---- enrollment: partner accounts, legal profiles, drafts (enroll.c) ---- */

/* How customers reach a partner's support. */
struct support_details {
	const char *email, *phone, *website;
};

/* A new partner account of tenant: status PA_DRAFT (an enrollment) or PA_APPROVED (created
 * by the operator: submitted, verified and decided at now). The id, or -1. */
int64_t st_pa_insert(struct store *s, int64_t tenant, enum partner_type t, enum pa_status status,
    const struct support_details *sup, int64_t enrolled_by, int64_t now);
/* Sets partner account id's support details and who enrolled it: rows changed, or -1. */
int st_pa_set_support(struct store *s, int64_t id, const struct support_details *sup, int64_t enrolled_by);
/* Sets the support details of every partner account of tenant: rows changed, or -1. */
int st_pa_set_support_all(struct store *s, int64_t tenant, const struct support_details *sup);
/* Records that a verification link went to the primary contact at now. */
int st_pa_verify_sent(struct store *s, int64_t id, int64_t now);

/* A partner account with what a status change decides on and tells the primary contact. */
struct pa_facts {
	int64_t id, tenant_id, enrolled_by, submitted_at;	/* enrolled_by 0: unknown or deleted */
	enum partner_type type;
	enum pa_status status;
	const char *org;		/* the organization's name */
	const char *legal_name;		/* the legal profile's, else the organization's name */
	bool contact_verified;
	const char *contact_email, *contact_first, *contact_last;	/* "" without a legal profile */
	const char *reject_reason;
};
/* 1 found, 0 none, -1 error. */
int st_pa_facts(struct store *s, struct arena *a, int64_t id, struct pa_facts *out);
/* Moves partner account id from status `from` to `to` at now (with the timestamps and the
 * rejection reason that go with it), only if it still has status `from`: 1 moved, 0 it
 * has another status by now, -1 error. */
int st_pa_move(struct store *s, int64_t id, enum pa_status from, enum pa_status to, int64_t now, const char *reason);

struct enrollment_row {
	int64_t id, submitted_at;	/* submitted_at 0: never */
	const char *org, *country, *domain;	/* country: its code */
	enum partner_type type;
	enum pa_status status;
};
struct enrollment_list {
	struct enrollment_row *v;
	size_t n;
};
/* Every partner account (status: an enum pa_status, or PA_NONE for any), oldest submission
 * (else creation) first. 0 or -1. */
int st_enrollments(struct store *s, struct arena *a, int status, struct enrollment_list *out);

/* An organization's legal business profile and primary contact. */
struct legal_profile {
	const char *legal_name, *address1, *address2, *city, *state, *postal_code;
	const char *contact_first, *contact_last, *contact_email, *contact_phone;
	int64_t contact_verified_at;	/* 0: the contact has not verified their address */
	int64_t updated_at;
};
/* 1 found, 0 none, -1 error. */
int st_legal_get(struct store *s, struct arena *a, int64_t tenant, struct legal_profile *out);
/* Writes tenant's profile (p->updated_at is ignored: now). A new profile's contact is
 * verified at p->contact_verified_at (0: not verified); an existing one keeps its
 * verification while the contact's address stays the same (any case), else takes that
 * of p. Rows changed (1), or -1. */
int st_legal_upsert(struct store *s, int64_t tenant, const struct legal_profile *p, int64_t now);
/* The contact verified at `at` (0: not verified): rows changed, or -1. */
int st_legal_set_verified(struct store *s, int64_t tenant, int64_t at);

/* An enrollment in progress: the form fields as entered (urlencoded text) and the PMC
 * sign-in of "Link your MPN ID" (pmc_id 0: none). */
struct draft_row {
	const char *fields;
	int64_t pmc_id, pmc_user_id, pmc_at;
};
/* 1 found, 0 none, -1 error. */
int st_draft_get(struct store *s, struct arena *a, int64_t tenant, struct draft_row *out);
/* Writes the draft's fields (creating the draft): rows changed (1), or -1. */
int st_draft_save(struct store *s, int64_t tenant, const char *fields, int64_t now);
/* Records the PMC sign-in of user at `at` (pmc_id 0: forgets it), creating the draft: rows
 * changed (1), or -1. */
int st_draft_set_pmc(struct store *s, int64_t tenant, int64_t pmc_id, int64_t user, int64_t at, int64_t now);
/* Deletes the draft: rows changed (0 when there was none), or -1. */
int st_draft_delete(struct store *s, int64_t tenant);

struct text_list {
	const char **v;
	size_t n;
};
/* The web-mail list's patterns ("gmail.com", "yahoo.*"), in order. 0 or -1. */
int st_webmail_patterns(struct store *s, struct arena *a, struct text_list *out);

/* The first user (by id) of tenant holding any role bit of mask: the id, 0 none, -1 error. */
int64_t st_enroll_first_user_with_roles(struct store *s, int64_t tenant, unsigned mask);
/* Adds the role bits of mask to user: rows changed, or -1. */
int st_enroll_add_roles(struct store *s, int64_t user, unsigned mask);

/* ---- the Partner Membership Center copy and MPN links (mpn.c) ---- */

/* PMC account username (any case): 1 with *id and *pw_hash, 0 none, -1 error. */
int st_pmc_account(struct store *s, struct arena *a, const char *username, int64_t *id, const char **pw_hash);
/* Failed PMC sign-ins since `since` for a PMC user name, and from a client address: the
 * count, or -1. */
int64_t st_pmc_failures_of(struct store *s, const char *username, int64_t since);
int64_t st_pmc_failures_from(struct store *s, const char *ip, int64_t since);

/* An MPN company profile. */
struct mpn_profile {
	const char *mpn_id, *company_name;
	const char *country, *country_name;	/* "DE", "Germany" */
	bool active;
	int64_t linked_to;		/* the organization it is linked to, 0 none */
};
struct mpn_profile_list {
	struct mpn_profile *v;
	size_t n;
};
/* The profiles PMC account pmc_id may link, by company name. 0 or -1. */
int st_pmc_profiles(struct store *s, struct arena *a, int64_t pmc_id, struct mpn_profile_list *out);
/* Profile mpn_id if PMC account pmc_id may link it: 1 found, 0 none, -1 error. */
int st_pmc_profile(struct store *s, struct arena *a, int64_t pmc_id, const char *mpn_id, struct mpn_profile *out);
/* Profile mpn_id: 1 found, 0 none, -1 error. */
int st_mpn_profile(struct store *s, struct arena *a, const char *mpn_id, struct mpn_profile *out);
/* Links mpn_id to tenant (by user, 0: the operator): rows changed (1), or -1 (also when it
 * is linked already). */
int st_mpn_link(struct store *s, const char *mpn_id, int64_t tenant, int64_t user, int64_t now);

/* portalctl mpn import: adds and updates (rows changed, or -1), never deletes. */
int st_mpn_profile_upsert(struct store *s, const char *mpn_id, const char *company, const char *country, bool active);
int st_pmc_upsert(struct store *s, const char *username, const char *pw_hash);
/* The id of PMC account username, 0 none, -1 error. */
int64_t st_pmc_id(struct store *s, const char *username);
/* Lets PMC account pmc_id link profile mpn_id: rows changed (0: it could already), or -1. */
int st_pmc_link(struct store *s, int64_t pmc_id, const char *mpn_id);

/* ---- customers, customer invitations and subscriptions (customers.c) ---- */

/* A reseller's customer invitation under one of its providers. */
struct customer_invitation {
	int64_t id, reseller_id, provider_id;	/* partner accounts */
	const char *email, *message;
	bool delegated_admin;			/* delegated administration asked for */
	int64_t created_at, created_by, expires_at;
	enum inv_status status;			/* as stored */
	enum inv_status state;			/* status, INV_EXPIRED when pending and expired at now */
	const char *inviter_name, *inviter_email;	/* "" when the user is gone */
	int64_t accepted_at, customer_tenant_id, revoked_at;	/* 0: not (yet) */
	const char *customer_name;		/* the organization that accepted, "" none */
};
/* Invitation id with its state at now: 1 found, 0 none, -1 error. */
int st_cinv_get(struct store *s, struct arena *a, int64_t id, int64_t now, struct customer_invitation *out);
/* A new invitation (reseller_id, provider_id, email, message, delegated_admin, created_at,
 * created_by (0: none), expires_at of inv): its id, or -1. */
int64_t st_cinv_insert(struct store *s, const struct customer_invitation *inv);
/* The reseller's pending, unexpired (at now) invitation to email under provider: its id,
 * 0 none, -1 error. */
int64_t st_cinv_pending_to(struct store *s, int64_t reseller, int64_t provider, const char *email, int64_t now);
/* Marks invitation id accepted by user for organization customer at now — only when it is
 * pending, expires exactly at expires, and later than now. 1 accepted, 0 not, -1 error. */
int st_cinv_accept(struct store *s, int64_t id, int64_t expires, int64_t user, int64_t customer, int64_t now);
/* Revokes reseller's pending invitation id. 1 revoked, 0 not, -1 error. */
int st_cinv_revoke(struct store *s, int64_t id, int64_t reseller, int64_t user, int64_t now);

/* One line of a reseller's invitations under a provider. */
struct cinv_row {
	int64_t id, created_at, expires_at;
	const char *email;
	enum inv_status state;		/* INV_EXPIRED for a pending one past its expiry */
	const char *customer;		/* the organization that accepted, "" none */
};
struct cinv_list {
	struct cinv_row *v;
	size_t n;
};
/* How many invitations reseller sent under provider; -1 on error. */
int64_t st_cinv_count(struct store *s, int64_t reseller, int64_t provider);
/* Page p (base/paging.h) of them, newest first, their state at now. 0 or -1. */
int st_cinv_page(struct store *s, struct arena *a, int64_t reseller, int64_t provider, int64_t now,
    const struct paging *p, struct cinv_list *out);

/* The active customer relationship of partner account partner with organization customer:
 * its id, 0 none, -1 error. */
int64_t st_cust_rel_active(struct store *s, int64_t partner, int64_t customer);
/* Makes the relationship (new, or an ended one active again) since now; invitation,
 * invited_by and accepted_by 0: none. 1 made, 0 it was active already, -1 error. */
int st_cust_relate(struct store *s, int64_t partner, int64_t customer, int64_t invitation, int64_t invited_by,
    int64_t accepted_by, bool delegated_admin, int64_t now);
/* How many indirect reseller accounts of tenant have an active relationship with provider
 * account provider; -1 on error. */
int64_t st_cust_resells_for(struct store *s, int64_t tenant, int64_t provider);

/* A provider-reseller relationship as the reseller's customer pages read it. */
struct cust_provider_rel {
	int64_t id, provider_id, reseller_id;
	enum rel_status status;
	const char *provider_name;
};
/* 1 found, 0 none, -1 error. */
int st_cust_provider_rel(struct store *s, struct arena *a, int64_t id, struct cust_provider_rel *out);

/* A customer in a partner's lists. */
struct customer_row {
	int64_t id, since, subscriptions;	/* subscriptions the partner took part in */
	const char *name, *country;
	bool delegated_admin;
	bool as_reseller, as_provider;		/* st_customers_page: through which accounts */
};
struct customer_list {
	struct customer_row *v;
	size_t n;
};
/* How many customers the partner organization tenant has (any of its accounts); -1 error. */
int64_t st_customers_count(struct store *s, int64_t tenant);
/* Page p of them, by name or by since (the earliest relationship), ascending or not. 0/-1. */
int st_customers_page(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc,
    const struct paging *p, struct customer_list *out);
/* How many customers reseller account reseller shares with provider account provider
 * (both have an active relationship with them); -1 on error. */
int64_t st_shared_customers_count(struct store *s, int64_t reseller, int64_t provider);
/* Page p of them by name (since and delegated_admin: the reseller's relationship;
 * subscriptions: those the provider placed on the reseller's behalf). 0 or -1. */
int st_shared_customers_page(struct store *s, struct arena *a, int64_t reseller, int64_t provider,
    const struct paging *p, struct customer_list *out);

/* Keyset pages of the same two lists (issue 17: no OFFSET, no count, whatever their length).
 * Where a page starts: the first or the last page of the order, or the rows after / before
 * customer id (the last / first row of the page the link was on; a customer no longer on the
 * list: the first page). */
enum cust_seek { CUST_FIRST, CUST_LAST, CUST_AFTER, CUST_BEFORE };
/* At most limit customers of tenant in the order (name or since, desc) from where seek says,
 * in the order's direction; *more: there are more beyond the page in the direction it was
 * read (after it for FIRST / AFTER, before it for LAST / BEFORE). 0 or -1. */
int st_customers_seek(struct store *s, struct arena *a, int64_t tenant, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct customer_list *out, bool *more);
/* The same for the customers reseller shares with provider, by name. 0 or -1. */
int st_shared_customers_seek(struct store *s, struct arena *a, int64_t reseller, int64_t provider, enum cust_seek seek,
    int64_t id, int64_t limit, struct customer_list *out, bool *more);

/* A partner organization's own relationship with a customer. */
struct customer_rel_row {
	int64_t id, partner_id, since, invitation_id;	/* invitation_id 0: made by the operator */
	enum partner_type type;
	bool delegated_admin;
	const char *invited_by, *accepted_by;	/* user names, "" unknown */
};
struct customer_rel_list {
	struct customer_rel_row *v;
	size_t n;
};
/* The active relationships of customer with the accounts of partner organization tenant,
 * by type. 0 or -1. */
int st_customer_rels_of(struct store *s, struct arena *a, int64_t customer, int64_t tenant,
    struct customer_rel_list *out);

/* A partner a customer is shared with. */
struct shared_partner {
	int64_t account_id, tenant_id;
	const char *name;
	const char *mpn;		/* st_shared_resellers: "1234567, 7654321" ("" none) */
	int64_t rel_id;			/* st_shared_providers: the provider-reseller relationship */
};
struct shared_partner_list {
	struct shared_partner *v;
	size_t n;
};
/* Provider account provider's actively related resellers that customer works with. 0/-1. */
int st_shared_resellers(struct store *s, struct arena *a, int64_t provider, int64_t customer,
    struct shared_partner_list *out);
/* Reseller account reseller's actively related providers that customer works with. 0/-1. */
int st_shared_providers(struct store *s, struct arena *a, int64_t reseller, int64_t customer,
    struct shared_partner_list *out);

/* One of a customer organization's partners, as the customer sees it. */
struct customer_partner {
	int64_t rel_id, since;
	enum partner_type type;
	bool delegated_admin;
	const char *name, *country, *mpn, *support_email, *support_website;
	int64_t tenant_id;		/* the partner's organization (issue 13: its live grant here) */
};
struct customer_partner_list {
	struct customer_partner *v;
	size_t n;
};
/* Every active partner of customer, by name then type. 0 or -1. */
int st_customer_partners(struct store *s, struct arena *a, int64_t customer, struct customer_partner_list *out);

struct subscription_row {
	int64_t id, quantity, created_at;
	enum sub_status status;
	const char *offer_id, *offer, *unit, *mpn_id;
	const char *reseller, *provider;	/* organization names */
	const char *ordered_by;			/* the provider's user, "" the operator */
};
struct subscription_list {
	struct subscription_row *v;
	size_t n;
};
/* customer's subscriptions, newest first: those partner organization tenant took part in
 * (as the provider or the reseller), or all of them when tenant is 0. 0 or -1. */
int st_subscriptions(struct store *s, struct arena *a, int64_t customer, int64_t tenant,
    struct subscription_list *out);

/* A new subscription: an order. */
struct subscription_new {
	int64_t customer, provider, reseller;	/* tenant; partner accounts */
	const char *mpn_id, *offer_id;
	int64_t quantity, created_at;
	int64_t created_by;			/* 0: the operator */
	int64_t created_by_credential;		/* the API credential that placed it; 0: none */
	const char *order_key;			/* the order form's one-time key */
};
/* Its id; 0 when order_key was used already (nothing written); -1 on error. */
int64_t st_sub_insert(struct store *s, const struct subscription_new *n);
/* The subscription made with order_key: 1 with *id, *provider and *customer, 0 none, -1. */
int st_sub_by_key(struct store *s, const char *order_key, int64_t *id, int64_t *provider, int64_t *customer);

/* ---- the offer catalog (offers.c) ---- */

struct offer {
	const char *id, *name, *description, *unit, *currency;
	int64_t price_cents;		/* the list price of one unit */
	bool active;			/* may be ordered */
	int64_t subscriptions;		/* st_offers, whole catalog: how many subscriptions point at it */
};
struct offer_list {
	struct offer *v;
	size_t n;
};
/* 1 found, 0 none, -1 error. */
int st_offer_get(struct store *s, struct arena *a, const char *id, struct offer *out);
/* 1 when an offer has this id, 0 not, -1 error. */
int st_offer_exists(struct store *s, const char *id);
/* The catalog: active_only, by name (what can be ordered); else every offer by id, with
 * its subscriptions counted. 0 or -1. */
int st_offers(struct store *s, struct arena *a, bool active_only, struct offer_list *out);
/* Adds offer o, or updates the one with its id (updated_at = now): 1 added or changed,
 * 0 it was the same already, -1 error. */
int st_offer_upsert(struct store *s, const struct offer *o, int64_t now);
/* Prices per currency (issue 15): sets offer_id's price in currency (1 added or changed,
 * 0 the same already, -1); the price of offer_id for a customer in country (its currency's
 * when the offer has one, else the list price): 1 with *cents and *currency, 0 no such
 * offer, -1; the currency of country: 1, 0 no such country, -1. */
int st_offer_price_set(struct store *s, const char *offer_id, const char *currency, int64_t cents);
int st_offer_price_for(struct store *s, struct arena *a, const char *offer_id, const char *country, int64_t *cents,
    const char **currency);
int st_country_currency(struct store *s, struct arena *a, const char *country, const char **currency);

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
/* Provider account provider's active resellers, or reseller account reseller's active
 * providers: one page of them by skipping (p->per_page from p->offset; an old ?page=N link).
 * 0 or -1. */
int st_resellers_page(struct store *s, struct arena *a, int64_t provider, enum rel_order order,
    const struct paging *p, struct rel_partner_list *out);
int st_providers_page(struct store *s, struct arena *a, int64_t reseller, enum rel_order order,
    const struct paging *p, struct rel_partner_list *out);
/* Keyset pages of both lists (as st_customers_seek: the cursor is a relationship id). 0/-1. */
int st_resellers_seek(struct store *s, struct arena *a, int64_t provider, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct rel_partner_list *out, bool *more);
int st_providers_seek(struct store *s, struct arena *a, int64_t reseller, bool by_since, bool desc, enum cust_seek seek,
    int64_t id, int64_t limit, struct rel_partner_list *out, bool *more);

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
/* The same for the invitations in one state at now (issue 15: the list's filter): state is
 * a stored word ("pending", "accepted", "revoked") or "expired" (a pending one past its
 * expiry too). */
int64_t st_invitations_count_in(struct store *s, int64_t provider, int64_t now, const char *state);
int st_invitations_page_in(struct store *s, struct arena *a, int64_t provider, int64_t now, const char *state,
    const struct paging *p, struct invitation_list *out);

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
/* How many match (-1 error), and one page of them by name (p->total: that count, in the same
 * read; a page past the middle is read from the far end, none when the count is 0). 0 or -1. */
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
/* How many Create one emails (signup-confirm, signup-exists) went to address `to` after since; -1 on error. */
int64_t st_outbox_signup_mails(struct store *s, const char *to, int64_t since);
int st_outbox_message(struct store *s, int64_t id, char **message, size_t *len);
/* Claims unsent message id for process `by` until `until`, when it is unclaimed or its claim
 * lapsed before now: 1 when this call claimed it, 0 when it is sent or another process holds
 * it, -1 on error. Only the claimant delivers (schema.sql: the outbox claims, several nodes). */
int st_outbox_claim(struct store *s, int64_t id, const char *by, int64_t now, int64_t until);
/* The claimant's result: sent (the body dropped), or failed (kept, error noted); either
 * clears the claim. Rows changed (0: the claim was no longer `by`'s), or -1. */
int st_outbox_sent(struct store *s, int64_t id, const char *by, int64_t now);
int st_outbox_failed(struct store *s, int64_t id, const char *by, const char *error);
/* Up to max ids of unsent messages that nobody holds a live claim on at now, oldest first:
 * how many, or -1. */
int st_outbox_unsent(struct store *s, int64_t now, int64_t *ids, int max);
/* Issue 17: a message inserted already claimed by process `by` until `until` (the action's
 * transaction takes the claim, so its delivery needs no claim transaction of its own), and
 * the message of such a claim: 1 with *message (malloc'd) while `by` holds a live claim at
 * now on the unsent message, 0 otherwise, -1 on error. */
int64_t st_outbox_insert_claimed(struct store *s, int64_t now, const char *to, const char *subject, const char *tmpl,
    const char *message, const char *by, int64_t until);
int st_outbox_own_message(struct store *s, int64_t id, const char *by, int64_t now, char **message, size_t *len);

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
	int64_t id;			/* read back only (the pager's cursor) */
	int64_t at;
	int64_t tenant_id, actor_id;	/* 0: none */
	const char *actor, *action, *target, *outcome, *ip, *detail;
	const char *actor_name;		/* read back only: the actor's user's name now ("" if none) */
	const char *rel_kind;		/* issue 13: the relationship it is about ("reseller", "customer", */
	int64_t rel_id;			/* "delegated" and its row id; NULL / 0: none; schema 22) */
};
int64_t st_audit_insert(struct store *s, const struct audit_row *e);

/* Reading an organization's log (Settings → Audit log and its CSV), newest first. */
struct audit_filter {
	const char *actor, *action;	/* exact values; "" or NULL: any */
	int64_t from, until;		/* issue 15: from <= at < until; until 0: no end */
	bool hide_refused;		/* issue 15: leave out the entries with outcome "refused" */
};
struct audit_list {
	struct audit_row *v;
	size_t n;
};
struct audit_values {
	const char **v;
	size_t n;
};
/* How many of tenant's entries match f, counting at most cap of them (a count of a long log
 * costs as much as reading it: the page says "cap or more"); -1 on error. */
int64_t st_audit_count(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t cap);
/* Where a page of the log starts: entries older than before (0: the newest), newer than
 * after (after_set; 0: from the oldest), or skipping offset (old ?page= links). */
enum audit_seek { AUDIT_OLDER_THAN, AUDIT_NEWER_THAN, AUDIT_OFFSET };
/* At most limit entries matching f from where seek says (x: the id, or the offset), newest
 * first, except AUDIT_NEWER_THAN: oldest first (the nearest newer ones). Each filter
 * combination has its own statement, so the matching index gives filter and order
 * (tenant_id, actor / action / both, id). 0 or -1. */
int st_audit_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, enum audit_seek seek,
    int64_t x, int64_t limit, struct audit_list *out);
/* The same rows handed to fn one at a time, without keeping them (a long CSV download):
 * the row's strings last only during the call; fn returns 0 to go on. Read in batches of
 * 1,000 rows, one statement each (keyset on the id), so memory does not grow with the
 * count. 0, or -1 on error or when fn stopped. */
int st_audit_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t limit,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx);
/* The distinct actors / actions of tenant's entries, in order. 0 or -1. */
int st_audit_actors(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out);
int st_audit_actions(struct store *s, struct arena *a, int64_t tenant, struct audit_values *out);
/* Failed sign-ins ("signin" entries with outcome "failed") after since, by the account
 * name tried / by the client address; -1 on error. */
int64_t st_signin_failures_by_actor(struct store *s, const char *actor, int64_t since);
int64_t st_signin_failures_by_ip(struct store *s, const char *ip, int64_t since);
/* The throttles of domain/throttle.h count in the log too. A credential failure is a
 * failed sign-in ("signin", "failed", throttled ones included) or a wrong current password
 * on the password change form ("password.change", "refused", "wrong current password").
 * From client address ip after since, and of account name actor from ip: the count, or -1. */
int64_t st_credential_failures_from(struct store *s, const char *ip, int64_t since);
int64_t st_credential_failures_of_at(struct store *s, const char *actor, const char *ip, int64_t since);
/* Real guesses at actor's password after since (credential failures, without the attempts
 * refused by a throttle unchecked): *count and the time of the last one (*last, 0 none).
 * 0 or -1. */
int st_credential_guesses_of(struct store *s, const char *actor, int64_t since, int64_t *count, int64_t *last);
/* 1 when actor signed in successfully from ip after since, 0 not, -1 error. */
int st_signin_ok_from(struct store *s, const char *actor, const char *ip, int64_t since);
/* "Forgot password" requests answered (not throttled) after since, for the address actor /
 * from client address ip: the count, or -1. */
int64_t st_reset_requests_of(struct store *s, const char *actor, int64_t since);
int64_t st_reset_requests_from(struct store *s, const char *ip, int64_t since);

/* ---- delegated administration (issue 13; store/delegated.c) ----
 * A partner organization's request for roles in another organization it is related to
 * (its customer, or a provider's reseller), approved by that organization's Global admin,
 * for a number of days (schema section 13). */
enum da_state { DA_PENDING = 0, DA_ACTIVE, DA_EXPIRED, DA_DECLINED, DA_WITHDRAWN, DA_TERMINATED, DA__COUNT };
/* What relates the two organizations: the partner's customer, or the provider's reseller. */
enum da_kind { DAK_NONE = 0, DAK_CUSTOMER, DAK_RESELLER };
const char *da_state_key(enum da_state s);
const char *da_kind_key(enum da_kind k);

struct da_row {
	int64_t id, partner_tenant_id, customer_tenant_id;
	enum da_kind kind;
	enum da_state state;		/* as stored (domain/delegated.h: da_state_at for the shown one) */
	const char *name, *message, *end_reason;
	unsigned roles;			/* role bits (domain/access.h) */
	bool global_admin, auto_extend, migrated;
	int duration_days;
	int reminder_stage;		/* reminders sent: 0 none, 1 (30 days), 2 (7), 3 (1) */
	int64_t created_at, created_by, sent_at, request_expires_at, answered_at, approved_at, expires_at, ended_at;
	const char *partner_name, *customer_name;
	const char *creator_name, *creator_email;	/* "" when the user is gone or none */
};
struct da_list {
	struct da_row *v;
	size_t n;
};
/* An organization a partner may ask: its active customers and (a provider) its resellers. */
struct da_target {
	int64_t tenant_id;
	const char *name;
	enum da_kind kind;
};
struct da_target_list {
	struct da_target *v;
	size_t n;
};
/* Relationship id, 1 found, 0 none, -1 error. */
int st_da_get(struct store *s, struct arena *a, int64_t id, struct da_row *out);
/* How many relationships tenant is part of (either side); -1 on error. */
int64_t st_da_count_of(struct store *s, int64_t tenant);
/* A page of them, newest first. 0 or -1. */
int st_da_page_of(struct store *s, struct arena *a, int64_t tenant, int64_t limit, int64_t offset, struct da_list *out);
/* The organizations partner_tenant may ask, by name. 0 or -1. */
int st_da_targets(struct store *s, struct arena *a, int64_t partner_tenant, struct da_target_list *out);
/* What relates partner_tenant (asking) to other: DAK_*, or -1 on error. */
int st_da_kind(struct store *s, int64_t partner_tenant, int64_t other);
/* 1 when the pair has a pending or active relationship called name (any case), 0 not, -1. */
int st_da_name_taken(struct store *s, int64_t partner_tenant, int64_t customer_tenant, const char *name);
/* A new pending request (r: every field but id, state and the answer's). The id or -1. */
int64_t st_da_insert(struct store *s, const struct da_row *r);
/* Pending id of partner_tenant: sent again at now, valid until request_expires. Rows changed or -1. */
int st_da_resend(struct store *s, int64_t id, int64_t partner_tenant, int64_t now, int64_t request_expires);
/* Pending id of partner_tenant withdrawn by user by at now. Rows changed or -1. */
int st_da_withdraw(struct store *s, int64_t id, int64_t partner_tenant, int64_t by, int64_t now);
/* Pending id of customer_tenant, its request still valid at now (request_expires as read),
 * approved (active until now + its duration) or declined by user by. Rows changed or -1. */
int st_da_approve(struct store *s, int64_t id, int64_t customer_tenant, int64_t request_expires, int64_t by, int64_t now);
int st_da_decline(struct store *s, int64_t id, int64_t customer_tenant, int64_t request_expires, int64_t by, int64_t now);
/* Setting the relationship session id acts under (0: stop; it is read with the session,
 * struct session's acting_da_id). Rows changed or -1. */
int st_da_session_set_acting(struct store *s, int64_t session_id, int64_t da_id);
/* Active relationship id terminated at now by user by with reason, while before its end.
 * Rows changed or -1. */
int st_da_terminate(struct store *s, int64_t id, int64_t by, int64_t now, const char *reason);
/* The pair's active relationships still before their end at now, oldest first. 0 or -1. */
int st_da_active_between(struct store *s, struct arena *a, int64_t partner_tenant, int64_t customer_tenant, int64_t now,
    struct da_list *out);
/* The background worker's rows at now: pending ones past their 90 days, active ones within
 * 30 days of their end or past it (at most limit). 0 or -1. */
int st_da_due(struct store *s, struct arena *a, int64_t now, int64_t limit, struct da_list *out);
/* Each a conditional UPDATE (rows changed: 1 this process did it, 0 another did first, -1):
 * pending id expired; reminder stage of active id (still ending at expires) raised to stage;
 * active id (ending at expires, not after now) expired; or extended to new_expires. */
int st_da_expire_request(struct store *s, int64_t id, int64_t now);
int st_da_claim_reminder(struct store *s, int64_t id, int64_t expires, int stage);
int st_da_expire(struct store *s, int64_t id, int64_t expires, int64_t now);
int st_da_extend(struct store *s, int64_t id, int64_t expires, int64_t new_expires);
/* Every active relationship of the pair terminated at now by user by (0: none), with reason.
 * Rows changed or -1. */
int st_da_terminate_pair(struct store *s, int64_t partner_tenant, int64_t customer_tenant, int64_t by, int64_t now,
    const char *reason);
/* ---- issue 13, invitations and grants from acceptances (rel-invites) ---- */
/* An active relationship made by an acceptance (r: the pair, kind, name, roles,
 * duration_days; created_by: who accepted; created_at: when, which is also its approval;
 * expires_at: its end). The id or -1. */
int64_t st_da_insert_active(struct store *s, const struct da_row *r);
/* The three kinds of invitation (schema section 19: opened_at, reminder_for on each). */
enum inv_kind { INV_RESELLER, INV_CUSTOMER, INV_DELEGATED, INV__KINDS };
/* An invitation's dates (0: not happened): sent (the latest send), opened (the first landing
 * visit by a valid link), accepted (a delegated admin request: approved), declined, revoked
 * (withdrawn), expires (its link's end); ended_expired: stored as expired. */
struct inv_dates {
	int64_t sent_at, opened_at, accepted_at, declined_at, revoked_at, expires_at;
	bool ended_expired;
};
/* Invitation id of kind: 1 (out filled), 0 none, -1. */
int st_inv_dates(struct store *s, enum inv_kind kind, int64_t id, struct inv_dates *out);
/* Records the first opening of pending invitation id of kind at now (before its expiry): rows
 * changed (0: opened already, or no longer open) or -1. */
int st_inv_opened(struct store *s, enum inv_kind kind, int64_t id, int64_t now);
/* A pending invitation whose reminder is due: expires within `within` seconds after now,
 * and no reminder was sent for this expiry. Names for the message; email: the invited
 * address (INV_DELEGATED: ""; its Global admins are told); other_tenant: the invited
 * organization (INV_DELEGATED only). */
struct inv_due {
	enum inv_kind kind;
	int64_t id, expires_at, other_tenant;
	const char *email, *from_name, *also_name;	/* also_name: the provider of a customer invitation */
	int64_t from_tenant;		/* the inviting organization (issue 13: the reminder's audit entry) */
};
struct inv_due_list {
	struct inv_due *v;
	size_t n;
};
/* The invitations of kind due for a reminder at now (at most limit). 0 or -1. */
int st_inv_due(struct store *s, struct arena *a, enum inv_kind kind, int64_t now, int64_t within, int64_t limit,
    struct inv_due_list *out);
/* Claims the reminder of invitation id of kind for expiry expires (still pending, still
 * expiring then, none sent for it): rows changed (1: this process sends it) or -1. */
int st_inv_claim_reminder(struct store *s, enum inv_kind kind, int64_t id, int64_t expires);
/* ---- the program team's operators (operators.c, issue 19) ---- */

/* An operator as the console and portalctl operator list show them. */
struct operator_row {
	int64_t user_id, created_at, last_signin_at;	/* last_signin_at 0: never */
	const char *name, *email, *role;		/* role: "reviewer" or "admin" */
	bool has_password, mfa;
};
struct operator_list {
	struct operator_row *v;
	size_t n;
};
/* user_id's operator role ("reviewer", "admin"): 1 with *role, 0 not an operator, -1. */
int st_operator_role(struct store *s, struct arena *a, int64_t user_id, const char **role);
/* Makes user_id an operator with role. 0 or -1. */
int st_operator_insert(struct store *s, int64_t user_id, const char *role, int64_t now);
/* Every operator, by email. 0 or -1. */
int st_operators_list(struct store *s, struct arena *a, struct operator_list *out);
/* The program team's work account (a tenant named name, domain domain): its id, or -1. */
int64_t st_operator_team_insert(struct store *s, const char *name, const char *domain, int64_t now);

/* ---- the operator console's reads (console.c, issue 19) ---- */

/* The enrollment queue: partner accounts with status status and organization country
 * country ("" either: any), oldest submission first, at most max. 0 or -1. */
int st_console_queue(struct store *s, struct arena *a, const char *status, const char *country, int64_t max,
    struct enrollment_list *out);
/* One enrollment (a partner account) as the console's page shows it. */
struct console_enrollment {
	int64_t id, tenant_id, submitted_at, decided_at, verify_sent_at;	/* times 0: never */
	enum partner_type type;
	enum pa_status status;
	const char *org, *domain, *country, *reject_reason;
	const char *support_email, *support_phone, *support_website;
};
/* 1 found, 0 none, -1 error. */
int st_console_enrollment(struct store *s, struct arena *a, int64_t id, struct console_enrollment *out);
/* An MPN profile linked to an organization, with its directory country (a code) and status. */
struct console_mpn {
	const char *mpn_id, *company_name, *country;
	bool active;
	int64_t linked_at;
};
struct console_mpn_list {
	struct console_mpn *v;
	size_t n;
};
int st_console_mpns(struct store *s, struct arena *a, int64_t tenant, struct console_mpn_list *out);
/* Entries of tenant's audit log whose action starts with action_prefix (a LIKE pattern such
 * as "enrollment.%"), newest first, at most max. 0 or -1. */
struct console_event {
	int64_t at;
	const char *actor, *action, *outcome, *target, *detail;
};
struct console_event_list {
	struct console_event *v;
	size_t n;
};
int st_console_history(struct store *s, struct arena *a, int64_t tenant, const char *action_prefix, int64_t max,
    struct console_event_list *out);
/* user_id has enrollment account_id open at now. 0 or -1. */
int st_console_seen(struct store *s, int64_t account_id, int64_t user_id, int64_t now);
/* The others (not user_id) who had it open since since, the most recent first. 0 or -1. */
struct console_viewer {
	const char *name, *email;
	int64_t seen_at;
};
struct console_viewer_list {
	struct console_viewer *v;
	size_t n;
};
int st_console_others(struct store *s, struct arena *a, int64_t account_id, int64_t user_id, int64_t since,
    struct console_viewer_list *out);

/* Partner search (the console): one row per partner account of an organization whose name or
 * domain contains q, or with MPN ID q ("" any), in country ("" any), by name; at most max. */
struct console_partner {
	int64_t tenant_id, account_id;
	const char *name, *domain, *country;
	enum partner_type type;
	enum pa_status status;
};
struct console_partner_list {
	struct console_partner *v;
	size_t n;
};
int st_console_partners(struct store *s, struct arena *a, const char *q, const char *country, int64_t max,
    struct console_partner_list *out);
/* The two partner accounts of active relationship id: 1, 0 (none active), -1. */
int st_console_rel_sides(struct store *s, int64_t id, int64_t *provider, int64_t *reseller);
/* How many customers tenant serves (active relationships of any of its accounts); -1. */
int64_t st_console_customers(struct store *s, int64_t tenant);

/* An operator's upload kept between preview and commit (console_uploads). */
struct console_upload {
	const char *label, *name, *body;
	int64_t created_at;
};
/* Stores it (purging uploads created before purge_before first): its id, or -1. */
int64_t st_console_upload_insert(struct store *s, int64_t user_id, const char *kind, const char *label, const char *name,
    const char *body, int64_t now, int64_t purge_before);
/* Upload id of user_id of that kind: 1, 0 none, -1. */
int st_console_upload_get(struct store *s, struct arena *a, int64_t id, int64_t user_id, const char *kind,
    struct console_upload *out);
int st_console_upload_delete(struct store *s, int64_t id);
/* The newest upload of user_id of kind with label, stored at or after since: its id, 0 none, -1. */
int64_t st_console_upload_find(struct store *s, int64_t user_id, const char *kind, const char *label, int64_t since);
/* An agreement version's title (the console's): 0 or -1; 1 with *title, 0 none, -1. */
int st_agreement_title_insert(struct store *s, int64_t version_id, const char *title);
int st_agreement_title_of(struct store *s, struct arena *a, int64_t version_id, const char **title);
/* Version id (id, version, published_at): 1, 0, -1. */
int st_agreement_version_get(struct store *s, struct arena *a, int64_t id, struct agreement_version *out);
/* Who accepted a version: the organization and the signer as entered, first first. */
struct acceptance_row {
	int64_t tenant_id, accepted_at;
	const char *org, *domain, *first, *last, *email, *title, *phone;
};
struct acceptance_list {
	struct acceptance_row *v;
	size_t n;
};
int st_agreement_acceptances(struct store *s, struct arena *a, int64_t version_id, struct acceptance_list *out);

/* The program-wide audit log: entries of every organization matching the filter ("" / 0:
 * any), at in [from, to), older than entry before (0: from the newest), newest first, at
 * most max. 0 or -1. */
struct console_audit_filter {
	const char *actor, *action;
	int64_t tenant_id, from, to;
};
struct console_audit_row {
	struct audit_row row;
	const char *org;		/* the organization's name ("" none) */
};
struct console_audit_list {
	struct console_audit_row *v;
	size_t n;
};
int st_console_audit(struct store *s, struct arena *a, const struct console_audit_filter *f, int64_t before, int64_t max,
    struct console_audit_list *out);

/* The messages not delivered yet, oldest first (at most max; *total: how many in all). 0 or -1. */
int st_console_outbox(struct store *s, struct arena *a, int64_t max, struct outbox_list *out, int64_t *total);

/* The program dashboard's counts: metric 0 reseller enrollments by status (key: the status),
 * 1 open ones by age (key 0 under 7 days, 1 under 30, 2 older; t: now), 2 approvals by week
 * since t (key: weeks after t), 3 approved resellers by whether they accepted the current
 * agreement (key 1/0), 4 pending invitations by age (key 0 under 7 days, 1 under 14, 2
 * older; t: now), 5 relationships made by week since t. 0 or -1. */
struct console_count {
	const char *key;
	int64_t ikey, n;
};
struct console_count_list {
	struct console_count *v;
	size_t n;
};
int st_console_metric(struct store *s, struct arena *a, int metric, int64_t t, struct console_count_list *out);
/* ---- the JSON API (issue 14): credentials per organization, idempotent writes ---- */

/* An API credential as the dispatcher and Settings -> API read it. */
struct api_credential {
	int64_t id, tenant_id, created_at, expires_at, revoked_at, last_used_at;	/* 0: never */
	int64_t win_start, win_count;		/* the throttle's minute and its calls */
	const char *name, *allowed_ips, *last_used_ip, *created_by;	/* "" when none */
	unsigned roles;
};
struct api_credential_list {
	struct api_credential *v;
	size_t n;
};
/* The credential stored under hash, with its organization into *sess: tenant_id, roles,
 * tenant_name, tenant_kind, country, pa[] (user_id 0, email and name left to the caller).
 * 1 found, 0 none, -1 error. */
int st_api_credential_by_hash(struct store *s, struct arena *a, const unsigned char hash[32],
    struct api_credential *out, struct session *sess);
/* A new credential: its id, or -1. */
int64_t st_api_credential_insert(struct store *s, int64_t tenant, const char *name, unsigned roles,
    const unsigned char hash[32], const char *allowed_ips, int64_t created_by, int64_t now, int64_t expires_at);
/* tenant's credentials, newest first (at most max). 0 or -1. */
int st_api_credentials_of(struct store *s, struct arena *a, int64_t tenant, int64_t max,
    struct api_credential_list *out);
/* Credential id of tenant: 1, 0 none (or another organization's), -1. */
int st_api_credential_in_tenant(struct store *s, struct arena *a, int64_t id, int64_t tenant,
    struct api_credential *out);
/* Revokes credential id of tenant at now (once): rows changed, or -1. */
int st_api_credential_revoke(struct store *s, int64_t id, int64_t tenant, int64_t now);
/* Counts a call at now from ip in the credential's throttle window of window seconds (a new
 * window when the last one ended) and records it as the last use, unless the window already
 * holds rate calls. Atomic across connections and nodes. 1 counted, 0 over the rate, -1. */
int st_api_credential_call(struct store *s, int64_t id, int64_t now, const char *ip, int64_t window, int64_t rate);
/* The first answer stored for (credential, key): 1 with *route, *status, *body; 0 none; -1. */
int st_api_idem_get(struct store *s, struct arena *a, int64_t credential, const char *key, const char **route,
    int *status, const char **body);
/* Stores the first answer for (credential, key). 0 or -1. */
int st_api_idem_put(struct store *s, int64_t credential, const char *key, const char *route, int status,
    const char *body, int64_t now);
/* Users of tenant after (or, desc, before) id `after`, by id, at most limit. 0 or -1. */
/* Reseller invitations of provider with an id below `before`, newest first, at most limit. 0 or -1. */
int st_invitation_ids_before(struct store *s, struct arena *a, int64_t provider, int64_t before, int64_t limit,
    struct id_list *out);
/* The organization whose MPN ID is mpn when it is an active reseller of provider account
 * provider: its id, 0 none (or not this provider's), -1. */
int64_t st_reseller_tenant_by_mpn(struct store *s, int64_t provider, const char *mpn);
int st_users_after(struct store *s, struct arena *a, int64_t tenant, int64_t after, bool desc, int64_t limit,
    struct user_list *out);

/* ---- the relationship center (issue 13; store/relcenter.c) ----
 * Every relationship an organization is part of: kind 1 provider of a reseller, 2 reseller
 * of a provider (provider_relationships), 3 partner of a customer, 4 customer of a partner
 * (customer_relationships), 5 delegated admin asked by it, 6 asked of it (delegated_admins),
 * 7 an open reseller invitation, 8 an open customer invitation (reseller_invitations,
 * customer_invitations), sent by it (other_tenant 0: the other is only an address, in
 * other_name) or to an address at its domain (other_tenant the sender). */
struct rc_row {
	const char *key;		/* the sort value as text (the name key, or since) */
	int kind;			/* 1..8 */
	int64_t id;			/* the row's id in its table */
	int64_t other_tenant;
	const char *other_name;
	const char *state;		/* active, ended; pending, active, expiring, expired, declined, withdrawn, terminated;
					 * invitations: sent, opened */
	int64_t since, expires;		/* expires: delegated admin and invitations only (0 otherwise) */
	unsigned roles;			/* delegated admin only */
	const char *name;		/* delegated admin only ("" otherwise) */
	const char *stored;		/* the state as stored (delegated admin: da_state_key; invitations: sent, opened) */
	int64_t request_expires;	/* delegated admin: when its request expires (0 otherwise) */
};
struct rc_list {
	struct rc_row *v;
	size_t n;
};
struct rc_filter {
	unsigned kinds;			/* bits: 1 provider-reseller, 2 partner-customer, 4 delegated admin, 8 invitations */
	const char *state;		/* "" any; "active" includes "expiring" */
	const char *pattern;		/* LIKE pattern (escape \) on the other's lower-cased name, "" any */
	const char *q;			/* the search pattern is made of, as typed (NULL or "" none): the
					 * store reads a few matches through the trigram index (issue 17) */
	int64_t expires_by;		/* active grants and open invitations ending by then; 0 any */
	bool by_since, desc;
};
/* The page's edge: (name or since, kind, id); kind 0: from the start. */
struct rc_cursor {
	int kind;
	int64_t id, since;
	const char *name;
};
/* At most limit rows of tenant's relationships matching f at now, after c (NULL or kind 0:
 * the first), in f's order. 0 or -1. */
int st_rc_page(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_filter *f,
    const struct rc_cursor *c, int64_t limit, struct rc_list *out);
/* The Relationships page's bulk Extend: active delegated admin relationship id, still ending
 * at expires and after now, without Global admin, ends at new_expires instead (its reminders
 * start again). Rows changed (1, or 0: it changed or ended meanwhile) or -1. */
int st_rc_da_extend(struct store *s, int64_t id, int64_t expires, int64_t new_expires, int64_t now);
/* ---- webhooks (issue 14): endpoints, the delivery outbox, attempts (schema 18) ---- */

struct webhook_endpoint {
	int64_t id, tenant_id, created_at, disabled_at;	/* 0: enabled */
	int64_t queued, failed;			/* deliveries in those states */
	const char *url;
	unsigned events;			/* bits of WEBHOOK_EVENTS (domain/webhooks.h) */
};
struct webhook_endpoint_list {
	struct webhook_endpoint *v;
	size_t n;
};
struct webhook_delivery {
	int64_t id, endpoint_id, created_at, attempts, next_at, last_at, last_code;	/* 0: none */
	const char *event_id, *event_type, *state, *last_error;	/* state: queued, sent, failed */
};
struct webhook_delivery_list {
	struct webhook_delivery *v;
	size_t n;
};
struct webhook_attempt {
	int64_t delivery_id, at, code;		/* code 0: no response */
	const char *error, *event_type;
};
struct webhook_attempt_list {
	struct webhook_attempt *v;
	size_t n;
};
/* What the sender needs of a claimed delivery: the sealed secret as stored. */
struct webhook_send {
	const char *event_id, *body, *url;
	const unsigned char *secret;
	size_t secret_len;
	int64_t attempts, retry_from;
};
/* A new endpoint (secret: the sealed key): its id, or -1. */
int64_t st_webhook_endpoint_insert(struct store *s, int64_t tenant, const char *url, unsigned events,
    const unsigned char *secret, size_t secret_len, int64_t created_by, int64_t now);
/* tenant's endpoints, newest first (at most max). 0 or -1. */
int st_webhook_endpoints_of(struct store *s, struct arena *a, int64_t tenant, int64_t max,
    struct webhook_endpoint_list *out);
/* Endpoint id of tenant: 1, 0 none (or another organization's), -1. */
int st_webhook_endpoint_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct webhook_endpoint *out);
/* Enables (on) or disables endpoint id of tenant: rows changed, or -1. */
int st_webhook_endpoint_enable(struct store *s, int64_t id, int64_t tenant, bool on, int64_t now);
/* Deletes endpoint id of tenant with its deliveries: rows changed, or -1. */
int st_webhook_endpoint_delete(struct store *s, int64_t id, int64_t tenant);
/* The enabled endpoints of tenant that take event bit into ids (at most max): how many, or -1. */
int st_webhook_endpoints_for(struct store *s, int64_t tenant, unsigned bit, int64_t *ids, int max);
/* A queued delivery, due now: its id, or -1. */
int64_t st_webhook_delivery_insert(struct store *s, int64_t endpoint, const char *event_id, const char *type,
    const char *body, int64_t now);
/* Endpoint's deliveries, newest first (at most max). 0 or -1. */
int st_webhook_deliveries_of(struct store *s, struct arena *a, int64_t endpoint, int64_t max,
    struct webhook_delivery_list *out);
/* Delivery id of an endpoint of tenant: 1, 0 none, -1. */
int st_webhook_delivery_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct webhook_delivery *out);
/* "Send again": delivery id of tenant queued, due at now, retried for 24 hours from now. Rows changed, or -1. */
int st_webhook_delivery_again(struct store *s, int64_t id, int64_t tenant, int64_t now);
/* The attempts at endpoint's deliveries, newest first (at most max). 0 or -1. */
int st_webhook_attempts_of(struct store *s, struct arena *a, int64_t endpoint, int64_t max,
    struct webhook_attempt_list *out);
/* Ids of deliveries due at now that no live claim holds (at most max): how many, or -1. */
int st_webhook_due(struct store *s, int64_t now, int64_t *ids, int max);
/* Claims delivery id for `by` until `until` if it is still queued, due and unclaimed: rows changed (1: ours), or -1. */
int st_webhook_claim(struct store *s, int64_t id, const char *by, int64_t now, int64_t until);
/* Delivery id claimed by `by`, with its endpoint's URL and sealed secret: 1, 0 (not ours), -1. */
int st_webhook_load(struct store *s, struct arena *a, int64_t id, const char *by, struct webhook_send *out);
/* Records an attempt of delivery id (claimed by `by`) at now: its new state, when the next
 * attempt is due, the response code and error; the claim is released. 1, 0 (not ours), -1. */
int st_webhook_done(struct store *s, int64_t id, const char *by, const char *state, int64_t next_at, int64_t now,
    int code, const char *error);
/* The endpoint after id `after` (by id) with its sealed secret (at most max bytes; *len 0 when
 * longer): 1, 0 none left, -1. */
int st_webhook_secret_after(struct store *s, int64_t after, int64_t *id, unsigned char *out, size_t max, size_t *len);
/* Replaces endpoint id's sealed secret: rows changed, or -1. */
int st_webhook_reseal(struct store *s, int64_t id, const unsigned char *sealed, size_t len);
/* ---- the JSON API's further lists (issue 14, store/apimore.c) ---- */
/* At most limit customers of partner organization tenant whose stored lower-case name
 * matches LIKE pattern like (escape '!'; "%": all), by name or since, after customer id
 * `after` (0: from the start; a customer whose relationship ended keeps its place). 0; 1
 * when `after` was never tenant's customer (nothing read); -1 error. search: the search like
 * is made of, as typed (NULL: none), which the store may read through the trigram index. */
int st_api_customers(struct store *s, struct arena *a, int64_t tenant, const char *search, const char *like, bool by_since,
    bool desc, int64_t after, int64_t limit, struct customer_list *out);
/* The ids of reseller account reseller's customer invitations under provider account
 * provider, newest first, below id before, at most limit. 0 or -1. */
int st_api_cinv_ids(struct store *s, struct arena *a, int64_t reseller, int64_t provider, int64_t before, int64_t limit,
    struct id_list *out);
/* The ids of the delegated admin relationships organization tenant is either side of,
 * newest first, below id before, at most limit. 0 or -1. */
int st_api_da_ids(struct store *s, struct arena *a, int64_t tenant, int64_t before, int64_t limit, struct id_list *out);
/* ---- drill-down (nav.c, issue 15 item 11) ---- */

/* A provider-reseller relationship from the reseller's side, as its detail page reads it. */
struct reseller_one {
	struct rel_partner_row row;	/* the relationship and the reseller's organization */
	int64_t provider_id, reseller_id;	/* partner accounts */
	enum rel_status status;
	const char *domain;		/* the reseller's primary domain */
};
/* Relationship id: 1 found, 0 none, -1 error. */
int st_reseller_one(struct store *s, struct arena *a, int64_t id, struct reseller_one *out);
/* Provider account provider's invitations accepted by reseller account reseller or sent to an
 * address at domain, their state at now, newest first, at most max. 0 or -1. */
int st_reseller_invitations(struct store *s, struct arena *a, int64_t provider, int64_t reseller, const char *domain,
    int64_t now, int64_t max, struct invitation_list *out);
/* Search (item 11): the lists' rows whose words contain search (any case of ASCII letters; %,
 * _ and \ are plain characters), in the same orders and pages as without it — users by name
 * or email (a count and a page of it), a provider's resellers by name, primary domain or MPN
 * ID and a partner's customers by name or primary domain (keyset pages as st_resellers_seek
 * and st_customers_seek). */
int64_t st_users_search_count(struct store *s, struct arena *a, int64_t tenant, const char *search);
int st_users_search_page(struct store *s, struct arena *a, int64_t tenant, const char *search, enum user_order order,
    bool desc, const struct paging *p, struct user_list *out);
int st_resellers_search_seek(struct store *s, struct arena *a, int64_t provider, const char *search, bool by_since,
    bool desc, enum cust_seek seek, int64_t id, int64_t limit, struct rel_partner_list *out, bool *more);
int st_customers_search_seek(struct store *s, struct arena *a, int64_t tenant, const char *search, bool by_since,
    bool desc, enum cust_seek seek, int64_t id, int64_t limit, struct customer_list *out, bool *more);
/* The signed-in Overview's counts (item 11), -1 when not asked: the organization's customers
 * (customers) and users (users); with provider (its provider account, 0: not asked) its active
 * resellers, its pending unexpired invitations to resellers and its resellers that have not
 * accepted the current agreement (0 while none is published); with reseller (its reseller
 * account, 0: not asked) its pending unexpired customer invitations. Customers, resellers and
 * those without the agreement are exact (counts the writes keep); users and invitations are
 * counted up to cap rows (cap itself: that many or more). One statement. 0 or -1. */
struct overview_counts {
	int64_t customers, resellers, users;
	int64_t reseller_invitations, customer_invitations, unsigned_resellers;
};
int st_overview_counts(struct store *s, int64_t tenant, int64_t provider, int64_t reseller, bool customers, bool users,
    int64_t now, int64_t cap, struct overview_counts *out);
/* issue 17: the counts the writes keep (schema sections 29 and 30) against the rows they count:
 * how many of Find a provider's (country, region) counts (*directory) and of the organizations'
 * kept counts (*partners) differ from a count of the rows (missing, extra, or other numbers).
 * Reads every relationship: seconds on millions of rows. 0 or -1. */
int st_kept_counts_drift(struct store *s, int64_t *directory, int64_t *partners);
/* Makes them all again from the rows, inside the caller's write transaction. 0 or -1. */
int st_kept_counts_rebuild(struct store *s);
/* tenant's log entries whose target is target, refusals left out, newest first, at most max. 0 or -1. */
int st_audit_about(struct store *s, struct arena *a, int64_t tenant, const char *target, int64_t max,
    struct audit_list *out);

/* issue 18: a user's language, "" for none (the browser's). Rows changed, or -1. */
int st_user_set_lang(struct store *s, int64_t user_id, const char *lang);
/* The language of the user with this email ("" none chosen): 1, 0 no such user, -1. */
int st_user_lang_by_email(struct store *s, struct arena *a, const char *email, const char **lang);
/* The language an invitation's emails are written in (a reseller or a customer invitation;
 * schema 26): set it (rows changed, or -1); read it ("" none: 1, 0 no such invitation, -1). */
int st_inv_set_lang(struct store *s, enum inv_kind kind, int64_t id, const char *lang);
int st_inv_lang(struct store *s, struct arena *a, enum inv_kind kind, int64_t id, const char **lang);

/* ---- issue 17: the signed-in Overview in one statement ---- */
/* An organization as the Overview reads it: the organization (with its country), its
 * partner accounts (oldest first), its legal profile (legal: 1 found, 0 none) and the current
 * agreement version with its latest acceptance of any version (agreement: 1 a version is
 * published, 0 none; as st_agreement_standing). One statement, where st_tenant_get,
 * st_partner_accounts, st_legal_get and st_agreement_standing took four. 1 found, 0 no such
 * organization, -1 error. */
struct org_standing {
	struct tenant_row tenant;
	struct partner_account_list accounts;
	int legal;
	struct legal_profile legal_profile;
	int agreement;
	struct agreement_version current;
	struct agreement_acceptance latest;
};
int st_org_standing(struct store *s, struct arena *a, int64_t tenant, struct org_standing *out);

/* ---- one timeline per relationship (issue 13; store/timeline.c, schema 22) ----
 * A relationship of kind "reseller" (provider_relationships), "customer"
 * (customer_relationships) or "delegated" (delegated_admins) and the entries of both its
 * organizations' audit logs that name it (audit.rel_kind, rel_id). */
struct rel_sides {
	int64_t a_tenant, b_tenant;	/* the provider / partner, and the reseller / customer */
	const char *a_name, *b_name;
	const char *name;		/* delegated admin: its name ("" otherwise) */
	int64_t since;			/* when the relationship (or the request) was made */
};
/* Relationship id of kind: 1 (out filled), 0 none, -1. */
int st_rel_sides(struct store *s, struct arena *a, const char *kind, int64_t id, struct rel_sides *out);
/* At most limit entries about relationship (kind, id) in the logs of tenants t1 and t2, older
 * than entry before (0: the newest), newest first. 0 or -1. */
int st_rel_events(struct store *s, struct arena *a, const char *kind, int64_t id, int64_t t1, int64_t t2,
    int64_t before, int64_t limit, struct audit_list *out);
/* The same handed to fn one at a time (the row's strings last only during the call; fn
 * returns 0 to go on): 0, or -1 on error or when fn stopped. */
int st_rel_events_each(struct store *s, const char *kind, int64_t id, int64_t t1, int64_t t2, int64_t limit,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx);
/* Since when audit entries name their relationship (the time schema 22 ran; 0 unknown). */
int64_t st_rel_links_since(struct store *s);
/* The entries naming (from_kind, from_id) — an invitation's — name (to_kind, to_id) instead,
 * the relationship it made: rows changed or -1. */
int st_rel_relink(struct store *s, const char *from_kind, int64_t from_id, const char *to_kind, int64_t to_id);

/* ---- partner user groups (issue 13; store/groups.c, schema 22) ----
 * Named groups of an organization's users, assigned to its delegated admin relationships as
 * the partner: their members may act as partner under them. */
struct user_group {
	int64_t id, tenant_id, members;
	const char *name;
};
struct user_group_list {
	struct user_group *v;
	size_t n;
};
/* tenant's groups by name (members counted). 0 or -1. */
int st_groups_of(struct store *s, struct arena *a, int64_t tenant, struct user_group_list *out);
/* Group id of tenant: 1, 0 none (or another organization's), -1. */
int st_group_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_group *out);
/* 1 when tenant has a group named name (any case) other than except, 0 not, -1. */
int st_group_name_taken(struct store *s, int64_t tenant, const char *name, int64_t except);
/* A new group: its id, or -1. Renames / deletes group id of tenant: rows changed, or -1. */
int64_t st_group_create(struct store *s, int64_t tenant, const char *name, int64_t now);
int st_group_rename(struct store *s, int64_t id, int64_t tenant, const char *name);
int st_group_delete(struct store *s, int64_t id, int64_t tenant);
/* The members of group id, by name. 0 or -1. */
int st_group_members(struct store *s, struct arena *a, int64_t id, struct user_list *out);
/* Adds user to group id when the user is of the group's organization and not a member yet;
 * removes a member: rows changed (1 or 0), or -1. */
int st_group_member_add(struct store *s, int64_t id, int64_t user);
int st_group_member_remove(struct store *s, int64_t id, int64_t user);
/* The groups assigned to delegated admin relationship da, by name. 0 or -1. */
int st_da_groups(struct store *s, struct arena *a, int64_t da, struct user_group_list *out);
/* Assigns group to da (not assigned yet) / takes it away: rows changed, or -1. */
int st_da_group_assign(struct store *s, int64_t da, int64_t group);
int st_da_group_unassign(struct store *s, int64_t da, int64_t group);
/* 1 when user is a member of a group assigned to da, 0 not, -1. */
int st_da_group_member(struct store *s, int64_t da, int64_t user);

#endif
