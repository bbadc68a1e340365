/* http.h — the request a handler receives, the route table, and response helpers.
 *
 * A handler is `int page_x(struct req *r)`: it reads r, writes its page into r->body
 * (through page_render), and returns the HTTP status. The dispatcher has already checked
 * method, sign-in, permission and CSRF; it finishes the transaction (commit when the
 * status is below 400, roll back otherwise), writes the audit entries and sends the mail
 * the handler queued. */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "web/req.h"

struct store;

enum method { M_GET = 1, M_POST = 2 };
enum route_flag { F_NOSESSION = 1, F_PROVIDER = 2, F_RESELLER = 4, F_RESELLER_APPROVED = 8, F_MFA_SETUP = 16, F_REAUTH = 32,
	F_DELEGATED = 64,
	F_UPLOAD = 128, /* issue 19: the form may come as multipart/form-data (a text file) */
	F_API = 256 /* the JSON API: web/api.h */ };

struct req;
typedef int (*handler_fn)(struct req *r);

enum route_id {
#define ROUTE(id, method, path, handler, perm, flags) R_##id,
#include "web/routes.def"
#undef ROUTE
	R__COUNT
};

struct route {
	enum route_id id;
	const char *name;
	enum method method;
	const char *path;
	handler_fn handler;
	enum perm perm;
	unsigned flags;
};
extern const struct route routes[R__COUNT];

#define ROUTE(id, method, path, handler, perm, flags) int handler(struct req *r);
#include "web/routes.def"
#undef ROUTE

struct audit_entry {
	const char *action, *target, *outcome, *detail;
	int64_t tenant_id, actor_id;	/* 0 = none */
	const char *actor;
	const char *rel_kind;		/* issue 13: the relationship it is about (audit_rel), NULL none */
	int64_t rel_id;
	struct audit_entry *next;
};

struct header {
	const char *name, *value;
};

#define REQ_MAX_HEADERS 16

struct da_acting;		/* domain/delegated.h */

struct req {
	struct arena *a;
	const struct portal *portal;	/* settings and templates */
	struct store *store;
	const struct route *route;
	char rid[17];			/* request id: in the log line and on error pages */

	/* what arrived */
	const char *method;
	bool head;			/* HEAD: answer as GET without a body */
	const char *path;
	const char *ip;
	const char *user_agent;
	struct params query, form, cookies;
	int64_t id;			/* the numeric path segment of "/x/#" routes */

	/* who is asking */
	struct session *sess;		/* NULL when signed out */
	const char *sess_cookie;	/* the session cookie's value, when live */
	const char *ended_why;		/* signed out: why the cookie's session was ended, or NULL */
	char *csrf;			/* this visitor's CSRF token (csrf_token() makes it) */
	/* issue 18: the page's language (enum lang, base/i18n.h), chosen by the dispatcher: the
	 * user's setting, else the "lang" cookie of the footer menu, else Accept-Language */
	int lang;
	const char *accept_lang;

	/* the answer */
	int status;
	const char *content_type;
	struct buf body;
	struct header headers[REQ_MAX_HEADERS];
	int nheaders;
	/* issue 17: a long download written while it is made (resp_stream_flush) */
	struct FCGX_Stream *out;	/* the FastCGI output (NULL in unit tests: nothing is streamed) */
	bool streamed;			/* the head and part of the body have left */

	/* the JSON API (web/api.h): an /api/ request, its caller and its parsed body */
	bool api;
	struct api_credential *cred;	/* the Bearer credential (r->sess is made from it) */
	struct json_t *json;		/* a POST's body (a JSON object), released by the dispatcher */
	const char *idem_key;		/* its Idempotency-Key header, when usable */
	const char *if_match;		/* its If-Match header */

	/* work finished by the dispatcher */
	struct audit_entry *audit, **audit_tail;
	/* issue 13: the relationship the session acts under as partner (NULL: none); on an
	 * F_DELEGATED route the dispatcher has switched sess to that organization and the roles
	 * it granted (home_* keep the user's own). */
	struct da_acting *acting;
	int64_t home_tenant;
	const char *home_tenant_name;
	int64_t *mail;			/* outbox ids to deliver after the commit (arena) */
	int nmail;
	size_t mail_cap;
};

/* May the user of session s (NULL: signed out) open route rt? Its permission and its
 * partner-type flags, exactly as the dispatcher checks them: pages ask this before they
 * show a link or a button, so they never offer what the dispatcher would refuse. */
bool route_allows(const struct session *s, const struct route *rt);
/* The partner-type flags alone (F_PROVIDER, F_RESELLER, F_RESELLER_APPROVED). */
bool route_partner_ok(const struct session *s, const struct route *rt);
/* issue 19: the operator console and the partner pages never mix. A partner's session may
 * not open a route with an operator permission; an operator's session opens only those,
 * public routes and the second-factor setup (F_MFA_SETUP: setting it up, signing out).
 * Signed out: true (the sign-in check decides). */
bool route_console_ok(const struct session *s, const struct route *rt);

/* ---- reading ---- */
const char *req_query(const struct req *r, const char *name);
const char *req_form(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);

/* ---- the answer ---- */
void resp_header(struct req *r, const char *name, const char *value);
/* Sets a cookie with HttpOnly; SameSite=Lax; Path; plus Secure (and the __Host- prefix
 * when path is "/") behind HTTPS. max_age < 0: a session cookie; 0: delete it. */
void resp_cookie(struct req *r, const char *name, const char *value, const char *path, long max_age);
/* The cookie name as sent to the browser (with "__Host-" behind HTTPS when path is "/"). */
const char *cookie_name(const struct req *r, const char *name);
/* 303 See Other to a path on this site. Returns 303. */
int resp_redirect(struct req *r, const char *location);
/* issue 17: a long download sent while it is made, so that the request's memory does not
 * grow with the file. The first call sends the answer's head (status 200, r->content_type,
 * the headers set so far, no Content-Length: nginx passes it on chunked) and the body so far;
 * every call then sends r->body and empties it (its room is reused). Does nothing for HEAD or
 * without a FastCGI stream, and while the body is shorter than min bytes: a download that
 * ends before its first flush is answered whole, with its length, as any page. Once streamed,
 * a failure can no longer become an error page: the dispatcher breaks the connection off
 * instead, so the client sees an incomplete download, never a short one that looks whole.
 * 0, or -1 when the client went away (stop making the rest). */
int resp_stream_flush(struct req *r, size_t min);
/* The part size the downloads stream in (their min): one shorter is answered whole. */
#define RESP_STREAM_PART (32 * 1024)
/* Plain text answer (healthz, CSV with its own type). Returns status. */
int resp_text(struct req *r, int status, const char *content_type, const char *text, size_t len);

/* This visitor's CSRF token, creating the anonymous pre-session cookie if needed. */
const char *csrf_token(struct req *r);

/* Queues an audit entry; the dispatcher writes it with the action's transaction
 * (entries with outcome "ok" are dropped when that transaction rolls back; refusals
 * and failures are always written). The actor is the signed-in user unless set. */
struct audit_entry *audit(struct req *r, const char *action, const char *target, const char *outcome,
    const char *detail);
/* The same, on behalf of someone the request has no session for (a sign-in attempt, the
 * holder of an emailed link): actor `email`, their organization and user (0: none). */
struct audit_entry *audit_as(struct req *r, int64_t tenant_id, int64_t user_id, const char *email,
    const char *action, const char *target, const char *outcome, const char *detail);

/* issue 13: ties entry e (NULL: nothing) to relationship id of kind ("reseller", "customer",
 * "delegated": domain/timeline.h), so the relationship's timeline shows it. Returns e. */
struct audit_entry *audit_rel(struct audit_entry *e, const char *kind, int64_t id);

/* Opens the action's write transaction (BEGIN IMMEDIATE). Handlers call it once they
 * have done the slow work that needs no lock (password hashing). 0, or -1 → return 500. */
int tx_begin(struct req *r);
/* Ends one item's own transaction in a request that acts on many (the Relationships page's
 * bulk actions, one transaction per row; dispatch.c): when done and no statement failed,
 * the item's audit entries are written and it commits (its mail goes out with the answer);
 * otherwise it rolls back, the mail it queued (after the first mail_mark) is dropped, and
 * its refusal entries are written in a transaction of their own. 1 committed, 0 rolled back,
 * -1 the commit (or the refusal's entries) failed. */
int tx_step_end(struct req *r, bool done, int mail_mark);

#endif
