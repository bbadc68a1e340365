/* apikeys.h — API credentials (issue 14): a Global admin makes one for a program of their
 * organization under Settings -> API; the program sends its secret as `Authorization:
 * Bearer <secret>`. The secret (API_SECRET_PREFIX + 43 base64url characters: 32 random
 * bytes) is shown once; only its BLAKE2b hash is stored, so a stolen database holds no
 * usable credential, and a lookup is one indexed read (a secret of 256 random bits needs
 * no slow hash). A credential carries roles (never more than its creator's), expires
 * within API_MAX_DAYS, may be limited to client addresses, and can be revoked. Every call
 * counts in the credential's row: more than the setting PORTAL_API_RATE in a minute are
 * refused (429) until the minute ends — the count lives in the database, so several nodes
 * share it. */
#ifndef APIKEYS_H
#define APIKEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define API_SECRET_PREFIX "cspk_"
#define API_SECRET_LEN (5 + 43)
#define API_MAX_DAYS 365
#define API_NAME_MAX 80
#define API_MAX_ADDRESSES 16
#define API_RATE_WINDOW 60		/* seconds of one throttle window */
#define API_LIST_MAX 200		/* credentials shown on Settings -> API */

enum api_auth {
	API_AUTH_OK = 0,
	API_AUTH_UNKNOWN,		/* no credential has this secret (or it is malformed) */
	API_AUTH_REVOKED,
	API_AUTH_EXPIRED,
	API_AUTH_ADDRESS,		/* not from one of its allowed client addresses */
	API_AUTH_THROTTLED,		/* over the rate: *retry_after seconds */
	API_AUTH_ERROR,			/* the database failed */
};

/* What api_authenticate decides on, and the decision itself (unit-tested without a store):
 * revoked, expired, address, then the rate (win_start/win_count after this call go to
 * *win_start and *win_count). */
enum api_auth api_decide(const struct api_credential *c, const char *ip, int64_t now, int rate, int64_t *win_start,
    int64_t *win_count, int64_t *retry_after);

/* Checks the secret from an Authorization header, and on success counts the call and
 * records it as the last use (its own write transaction: refused calls and the handler's
 * rollback do not undo the count). Fills *cred and *sess (the organization, the
 * credential's roles; user_id 0; email and name = the credential's name, the audit log's
 * actor). */
enum api_auth api_authenticate(struct store *s, struct arena *a, const char *secret, const char *ip, int64_t now,
    int rate, struct api_credential *cred, struct session *sess, int64_t *retry_after);

/* Whether text is a valid list of client addresses for a credential: IPv4 or IPv6
 * addresses separated by spaces or commas, at most API_MAX_ADDRESSES ("" = any). The
 * normalized list (single spaces) into *out. */
bool api_addresses_parse(struct arena *a, const char *text, const char **out);
/* Whether ip is allowed by list ("" allows any). */
bool api_address_allowed(const char *list, const char *ip);

/* Makes a credential for tenant by user creator (whose roles are creator_roles): the
 * roles must be within creator_roles and non-empty, days 1..API_MAX_DAYS. The secret (in
 * the arena) into *secret, shown once. Caller holds the write transaction. The new id,
 * 0 when the roles exceed the creator's (nothing written), or -1. */
int64_t api_credential_create(struct store *s, struct arena *a, int64_t tenant, int64_t creator, unsigned creator_roles,
    const char *name, unsigned roles, const char *addresses, int days, int64_t now, const char **secret);
/* Revokes credential id of tenant: 1 revoked, 0 none such (or already revoked), -1. */
int api_credential_revoke(struct store *s, int64_t id, int64_t tenant, int64_t now);
/* Credential id of tenant: 1, 0 none (or another organization's), -1. */
int api_credential_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct api_credential *out);
/* tenant's credentials, newest first. 0 or -1. */
int api_credentials_list(struct store *s, struct arena *a, int64_t tenant, struct api_credential_list *out);

/* Idempotency-Key: the first answer to (credential, key) — 1 with *route (the route's
 * name), *status and *body, 0 none, -1 — and storing it (in the write's transaction). */
int api_idem_find(struct store *s, struct arena *a, int64_t credential, const char *key, const char **route,
    int *status, const char **body);
int api_idem_save(struct store *s, int64_t credential, const char *key, const char *route, int status,
    const char *body, int64_t now);
/* Whether key is a usable Idempotency-Key: 1 to 128 printable ASCII characters. */
bool api_idem_key_ok(const char *key);

/* ---- the API's lists: keyset pages by id (a cursor is the last id seen) ---- */

/* tenant's users after id `after` (desc: before it), by id, at most limit. 0 or -1. */
int api_users_page(struct store *s, struct arena *a, int64_t tenant, int64_t after, bool desc, int64_t limit,
    struct user_list *out);
/* Provider account provider's active resellers in the order (by_since, desc) after
 * relationship id `after` (0: from the start), at most limit. 0 or -1. */
int api_resellers_page(struct store *s, struct arena *a, int64_t provider, bool by_since, bool desc, int64_t after,
    int64_t limit, struct rel_partner_list *out);
/* Provider account provider's reseller invitations, newest first, below id `before`
 * (0: from the newest), at most limit, each as rel_invitation_of reads it. 0 or -1. */
int api_invitations_page(struct store *s, struct arena *a, int64_t provider, int64_t before, int64_t limit,
    struct reseller_invitation **out, size_t *n);
/* Reseller account reseller's active providers in the order after relationship id `after`, at most limit. */
int api_providers_page(struct store *s, struct arena *a, int64_t reseller, bool by_since, bool desc, int64_t after,
    int64_t limit, struct rel_partner_list *out);
/* The organization with MPN ID mpn if it is an active reseller of provider account
 * provider: its id, 0 when not (another provider's reseller, or no such MPN ID), -1. */
int64_t api_reseller_by_mpn(struct store *s, int64_t provider, const char *mpn);

#endif
