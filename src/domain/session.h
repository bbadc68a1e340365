/* session.h — sign-in sessions: a random cookie, of which only a hash is stored; 30
 * minutes idle or 12 hours in all end one. struct session (what a session knows about its
 * user and organization) is the store's: store/store.h. */
#ifndef SESSION_H
#define SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define SESSION_IDLE (30 * 60)
#define SESSION_ABSOLUTE (12 * 60 * 60)
#define SESSION_TOUCH_EVERY 60		/* seen_at is written at most once a minute */
#define SESSION_COOKIE_LEN 43		/* 32 bytes in base64url */

#define SESSION_UA_MAX 200		/* bytes of the User-Agent kept for the sessions list */
#define SESSION_REAUTH_AFTER (10 * 60)	/* sensitive actions ask again when the proof is older */

/* Creates a session for user_id and writes the cookie value (43 chars + NUL) into cookie:
 * the one place a session is made. user_agent (may be NULL) is kept shortened to
 * SESSION_UA_MAX bytes (whole UTF-8 characters, control characters as spaces); auth_at is
 * when the user last proved who they are (now, at sign-in); mfa: with a second factor.
 * Caller holds a write transaction. 0 or -1. */
int session_create(struct store *s, int64_t user_id, const char *ip, const char *user_agent, int64_t auth_at,
    bool mfa, char cookie[SESSION_COOKIE_LEN + 1]);
/* The User-Agent as stored (see session_create) into out. */
void session_user_agent(char out[SESSION_UA_MAX + 1], const char *user_agent);
/* The session's user proved who they are again at now (the re-authentication page, the
 * end of MFA setup: mfa). 0 or -1. */
int session_proof(struct store *s, struct session *sess, int64_t now, bool mfa);
/* Whether the session's last proof is too old for a sensitive action at now. */
bool session_needs_reauth(const struct session *sess, int64_t now);
/* Whether the session may do nothing but set up a second factor: the organization or the
 * program requires one and the user has none yet. */
bool session_must_setup_mfa(const struct session *sess);
/* Looks up the session behind a cookie value. Returns 1 and fills out (strings in the
 * arena) when it is live; 0 when there is none or it expired (an expired one is deleted);
 * -1 on database error. Touches seen_at when older than SESSION_TOUCH_EVERY. */
int session_load(struct store *s, struct arena *a, const char *cookie, struct session *out);
/* The hash under which a cookie value is stored; -1 when the value is malformed. */
int session_hash(const char *cookie, unsigned char out[32]);
/* Ends one session, the session of a cookie value, or every session of a user (caller
 * holds the write transaction). 0 or -1. */
int session_end(struct store *s, int64_t id);
int session_end_cookie(struct store *s, const char *cookie);
int sessions_end_user(struct store *s, int64_t user_id);
/* Why a user's sessions were ended by someone else (issue 15, item 2): the browser that
 * still holds such a session's cookie is told on the sign-in page. */
enum session_end_why { SESSION_END_ROLES, SESSION_END_APPROVED, SESSION_END_BY_ADMIN };
/* Ends every session of user_id as sessions_end_user does, keeping why (caller holds the
 * write transaction). 0 or -1. */
int sessions_end_user_why(struct store *s, int64_t user_id, enum session_end_why why);
/* Why the session of a cookie that is no longer live was ended: "roles", "approved",
 * "by-admin" (in the arena), or NULL (never recorded, expired, malformed, or a database
 * error: the visitor then simply signs in). */
const char *session_ended_why(struct store *s, struct arena *a, const char *cookie);
/* How many sessions the user has (-1 on error). */
int64_t sessions_count(struct store *s, int64_t user_id);
/* Deletes every expired session (housekeeping), in a transaction of its own. */
void sessions_purge(struct store *s, int64_t now);

/* ---- the sessions list (Your account) ----
 * A user sees their own live sessions and ends any of them; a Global admin ends all of a
 * user's sessions (sessions_end_user) for a user of their own organization only — the
 * page looks the user up within the organization first. */

/* user_id's live sessions at now, last seen first. 0 or -1. */
int sessions_list(struct store *s, struct arena *a, int64_t user_id, int64_t now, struct session_list *out);
/* Ends session id if it is user_id's: 1 ended, 0 not one of theirs (nothing changed), -1. */
int session_end_own(struct store *s, int64_t user_id, int64_t id);
/* Ends every session of user_id but keep ("Sign out everywhere else"): how many, or -1. */
int64_t sessions_end_others(struct store *s, int64_t user_id, int64_t keep);
/* A User-Agent as a person reads it: "Chrome on Linux", "Firefox on Windows", "Safari on
 * iOS", "Edge" (no known system), the product's name for other clients ("curl"), and
 * "Unknown browser" when there is nothing to go by. In the arena. */
const char *session_browser(struct arena *a, const char *user_agent);

/* The status of the organization's partner account of type t (PA_NONE: it has none). */
static inline int
session_pa(const struct session *s, enum partner_type t)
{
	return s != NULL ? s->pa[t] : PA_NONE;
}
/* The organization has a partner account of any type, any status (it is in the program). */
bool session_in_program(const struct session *s);

#endif
