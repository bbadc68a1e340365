/* dispatch.c — routing, the central checks, transactions, and writing the response.
 *
 * Order for every request: parse the cookies and the query (400), find the route
 * (404/405), look up the session, read and parse the body of a POST (400/413/415), check
 * sign-in (redirect to /signin?next=...), CSRF on POST (403), permission (403), a pending
 * MFA setup (redirect to /account/mfa), partner type (403), fresh proof for sensitive
 * actions (redirect to /account/reauth); run the handler; commit or roll back; write the audit entries; answer (flushed);
 * deliver queued mail; log one line. */
#include "web/dispatch.h"

#include <sodium.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/portal.h"
#include "base/csrf.h"
#include "base/i18n.h"
#include "domain/audit.h"
#include "domain/delegated.h"
#include "domain/timeline.h"
#include "web/http.h"
#include "base/log.h"
#include "mail/mail.h"
#include "web/page.h"
#include "base/util.h"
#include "domain/apikeys.h"
#include "web/api.h"

static int
check_csrf(struct req *r)
{
	const char *bound = r->sess_cookie ? r->sess_cookie : req_cookie(r, "pre");
	if (!csrf_token_check(bound, req_form(r, "csrf")))
		return 403;
	return 0;
}

/* Whether ct is multipart/form-data, which only F_UPLOAD routes take (issue 19). */
static bool
is_multipart(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0 && (ct[19] == '\0' || ct[19] == ';');
}

static int
read_body(FCGX_Request *fr, struct req *r, char **body, size_t *len)
{
	int st = body_length_check(FCGX_GetParam("CONTENT_LENGTH", fr->envp), r->portal->cfg.max_body_bytes, len);
	if (st)
		return st;
	const char *ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	bool upload = (r->route->flags & F_UPLOAD) && is_multipart(ct);
	if (*len > 0 && !upload && (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
	    (ct[33] != '\0' && ct[33] != ';')))
		return 415;
	*body = arena_alloc(r->a, *len + 1);
	if (*body == NULL)
		return 500;
	size_t got = 0;
	while (got < *len) {
		int n = FCGX_GetStr(*body + got, (int)(*len - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != *len)
		return 400;		/* shorter than announced */
	return 0;
}

static int
parse_status(enum req_parse p)
{
	return p == PARSE_OK ? 0 : p == PARSE_NOMEM ? 413 : 400;
}

/* The visitor's session, when the cookie names a live one; an expired or unknown cookie
 * is forgotten. 0, or 500. */
static int
load_session(struct req *r)
{
	const char *cookie = req_cookie(r, "sid");
	if (cookie == NULL)
		return 0;
	struct session *s = arena_alloc(r->a, sizeof(*s));
	int live = s ? session_load(r->store, r->a, cookie, s) : -1;
	if (live < 0)
		return 500;
	if (live) {
		r->sess = s;
		r->sess_cookie = cookie;
	} else {
		/* Ended by someone else (a role change, an approval): the next page shown says why
		 * (page_ctx), and forgets the cookie then; a redirect to the sign-in page keeps it
		 * for one more request, so that the sign-in page can say it. */
		r->ended_why = session_ended_why(r->store, r->a, cookie);
		if (r->ended_why == NULL)
			resp_cookie(r, "sid", "", "/", 0);
	}
	return 0;
}

/* issue 18: the request's language, and the thread's from here on: the signed-in user's
 * setting, else the footer menu's "lang" cookie, else the best of Accept-Language, else
 * English (an /api/ request: English). Called again as the cookies and the session become
 * known. */
static void
choose_lang(struct req *r)
{
	int lang = -1;
	if (!r->api) {
		if (r->sess != NULL)
			lang = i18n_parse(r->sess->lang);
		if (lang < 0)
			lang = i18n_parse(req_cookie(r, "lang"));
		if (lang < 0)
			lang = (int)i18n_negotiate(r->accept_lang);
	}
	r->lang = lang < 0 ? LANG_EN : lang;
	i18n_use((enum lang)r->lang);
}

/* Reads what arrived: cookies, path, query, the route, the session and a POST's body.
 * 0, or the status of the answer already prepared (an error page). */
static int api_read_request(FCGX_Request *fr, struct req *r);
static int api_checks(struct req *r);
static int api_run(struct req *r);

static int
read_request(FCGX_Request *fr, struct req *r)
{
	if (r->api)
		return api_read_request(fr, r);
	/* Cookies first: the error page of a bad query must keep the visitor's CSRF binding
	 * ("pre"), or every form open in their other tabs would fail. */
	if (req_parse_cookies(r->a, FCGX_GetParam("HTTP_COOKIE", fr->envp), &r->cookies) != PARSE_OK)
		return 400;
	choose_lang(r);
	const char *qs = FCGX_GetParam("QUERY_STRING", fr->envp);
	if (r->path == NULL || r->path[0] != '/' || !utf8_valid(r->path, strlen(r->path)))
		return 400;
	int st = parse_status(req_parse_urlencoded(r->a, qs ? qs : "", qs ? strlen(qs) : 0, &r->query));
	if (st)
		return st;
	const char *allow = NULL;
	long long id = 0;
	r->route = route_find(r->method, r->path, &st, &allow, &id);
	r->id = id;
	/* The session is looked up for unknown paths too, so their error page has the header. */
	if ((r->route == NULL || !(r->route->flags & F_NOSESSION)) && load_session(r) != 0)
		return page_error(r, 500, NULL);
	choose_lang(r);
	if (r->route == NULL) {
		if (st == 405)
			resp_header(r, "Allow", allow);
		return page_error(r, st, NULL);
	}
	if (r->route->method == M_POST) {
		char *body = NULL;
		size_t len = 0;
		if ((st = read_body(fr, r, &body, &len)) != 0)
			return page_error(r, st, NULL);
		const char *ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
		if ((r->route->flags & F_UPLOAD) && len > 0 && is_multipart(ct))
			st = parse_status(req_parse_multipart(r->a, ct, body, len, &r->form));
		else
			st = parse_status(req_parse_urlencoded(r->a, body ? body : "", len, &r->form));
		if (st != 0)
			return page_error(r, st, NULL);
	}
	return 0;
}

static int partner_check(struct req *r);
static int reauth_check(FCGX_Request *fr, struct req *r);

/* ---- acting as partner (issue 13, domain/delegated.h) ----
 * A session that acts under a delegated admin relationship keeps its own organization on
 * every route but those marked F_DELEGATED (User management, Roles, Organization profile,
 * Audit log). On those, once the grant is checked again (active, before its end, the user
 * still an Admin agent of the partner), the session is switched to the other organization
 * with exactly the granted roles, BEFORE the permission check: so the same check, the same
 * handlers and the same rules (nobody grants a role they do not hold) apply, with the
 * grant's roles. A grant that ended refuses the route (403). Every audit entry of such a
 * request goes to both organizations' logs, the actor written as "Name (Partner,
 * delegated admin 'Name')" (acting_audit_row). */
static int
acting_check(struct req *r)
{
	struct da_acting *act = arena_alloc(r->a, sizeof(*act));
	int n = act ? da_acting_of(r->store, r->a, r->sess, now_sec(), act) : -1;
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0)
		return 0;
	r->acting = act;
	if (!(r->route->flags & F_DELEGATED))
		return 0;
	r->home_tenant = r->sess->tenant_id;
	r->home_tenant_name = r->sess->tenant_name;
	if (!act->valid) {
		struct audit_entry *e = audit(r, "access", r->route->name, "refused", "delegated admin ended");
		if (e != NULL)
			e->tenant_id = act->tenant;
		return page_error(r, 403, "Your delegated admin access to this organization has ended. Use Stop acting as partner to return to your own organization.");
	}
	r->sess->tenant_id = act->tenant;
	r->sess->tenant_name = act->tenant_name;
	r->sess->roles = act->roles;
	r->sess->tenant_kind = TENANT_CUSTOMER;
	for (int t = 0; t < PT__COUNT; t++)
		r->sess->pa[t] = PA_NONE;
	return 0;
}

/* The audit rows of an entry of a request acting as partner: the actor named with the
 * partner and the relationship, in the acted-in organization's log and in the partner's. */
static int
acting_audit_row(struct req *r, struct audit_row *row)
{
	if (r->acting == NULL || r->home_tenant == 0)
		return audit_write(r->store, row);
	row->actor = r->acting->label;
	/* issue 13: done under the grant: an event of the relationship's timeline */
	row->rel_kind = TL_DELEGATED;
	row->rel_id = r->acting->id;
	struct audit_row home = *row;
	home.tenant_id = r->home_tenant;
	row->tenant_id = r->acting->tenant;
	return audit_write(r->store, row) < 0 || audit_write(r->store, &home) < 0 ? -1 : 0;
}
/* ---- end of acting as partner ---- */
/* ---- issue 19: the operator console (/operator/) beside the partner pages ----
 * Signed out, an operator page sends the browser to the console's own sign-in. Signed in,
 * a partner's session never opens an operator page and an operator's session never opens a
 * partner page (route_console_ok): 403, audited in the asker's organization's log (the
 * program team's, for an operator). */
static int
console_signin(FCGX_Request *fr, struct req *r)
{
	if (r->sess != NULL || r->route->method != M_GET || !perm_is_operator(r->route->perm))
		return 0;
	const char *q = FCGX_GetParam("QUERY_STRING", fr->envp);
	const char *next = (q && *q) ? arena_printf(r->a, "%s?%s", r->path, q) : r->path;
	return resp_redirect(r, arena_printf(r->a, "/operator/signin?next=%s", url_encode(r->a, next)));
}

static int
console_check(struct req *r)
{
	if (route_console_ok(r->sess, r->route))
		return 0;
	bool op = session_is_operator(r->sess);
	audit(r, "access", r->route->name, "refused", op ? "operator session on a partner page" : "partner session on an operator page");
	return page_error(r, 403, op ? _("This is a partner page. Program team accounts use the console at /operator.")
	    : _("This page is for the program team."));
}
/* ---- end of issue 19's block ---- */

/* Sign-in, CSRF, a pending MFA setup, permission, partner type and fresh proof, in that
 * order, for the route found. 0 when
 * the handler may run, else the status of the answer already prepared. */
static int
central_checks(FCGX_Request *fr, struct req *r)
{
	if (r->api)
		return api_checks(r);
	int st = console_signin(fr, r);
	if (st != 0)
		return st;
	if (r->route->perm != PERM_PUBLIC && r->sess == NULL) {
		if (r->route->method == M_POST)
			return page_error(r, 403, "Your session has ended. Sign in again, then repeat what you were doing.");
		const char *q = FCGX_GetParam("QUERY_STRING", fr->envp);
		const char *next = (q && *q) ? arena_printf(r->a, "%s?%s", r->path, q) : r->path;
		return resp_redirect(r, arena_printf(r->a, "/signin?next=%s", url_encode(r->a, next)));
	}
	/* A forged or stale form is refused before anything else looks at it, so that a
	 * cross-site request cannot even leave "refused" entries in the victim's audit log. */
	if (r->route->method == M_POST && check_csrf(r)) {
		log_msg("rid=%s csrf refused on %s", r->rid, r->route->name);
		return page_error(r, 403, "This form has expired or did not come from this site. Go back, reload the page and try again.");
	}
	/* Multi-factor sign-in: a user who must set up a second factor can do nothing else
	 * (only the setup routes and sign-out are open); a sensitive action asks for fresh
	 * proof (reauth_check). Both are decided here, for every route, never by a page. */
	if (session_must_setup_mfa(r->sess) && !(r->route->flags & F_MFA_SETUP))
		return resp_redirect(r, "/account/mfa");
	if ((st = console_check(r)) != 0)
		return st;
	st = r->sess != NULL ? acting_check(r) : 0;
	if (st != 0)
		return st;
	if (r->sess != NULL && !perm_allows_in(r->sess, r->route->perm, r->sess->tenant_id)) {
		audit(r, "access", r->route->name, "refused", "role");
		return page_error(r, 403, N_("Your roles do not allow this page. Ask a Global admin if you need it."));
	}
	st = partner_check(r);
	return st != 0 ? st : reauth_check(fr, r);
}

/* The partner-type flags of the route. 0, or the status of the refusal. */
static int
partner_check(struct req *r)
{
	if (!route_partner_ok(r->sess, r->route)) {
		audit(r, "access", r->route->name, "refused", "partner type");
		/* A customer organization is told what it is, not to enroll (issue 15). */
		return page_error(r, 403, r->sess != NULL && r->sess->tenant_kind == TENANT_CUSTOMER
		    ? N_("This page is for partner organizations. Yours is a customer organization: your partners are under Your partners.")
		    : (r->route->flags & F_PROVIDER)
		    ? N_("This page is for approved indirect providers.")
		    : (r->route->flags & F_RESELLER_APPROVED) && session_pa(r->sess, PT_INDIRECT_RESELLER) != PA_NONE
		    ? N_("This page is for approved indirect resellers. It opens once your enrollment is approved.")
		    : N_("This page is for indirect resellers. Enroll first."));
	}
	return 0;
}

/* F_REAUTH: when the session's last proof of identity is older than ten minutes, a GET
 * goes to the re-authentication page and comes back; a POST is not carried out, and the
 * user is sent there too (with the page the form came from to return to), then submits
 * again. 0 when fresh, else 303. */
/* A POST refused for stale proof comes back to the page its form names in field reauth_back
 * (issue 13: the bulk Terminate confirmation with its ticked rows, which are not in the
 * POST's path), but only the POST's own path with a query: that GET writes nothing and
 * decides everything again, so the query chooses no more than a link could. Anything else
 * (absent, another path, unsafe): the POST's path, as before. */
static const char *
reauth_back(struct req *r)
{
	const char *b = req_form(r, "reauth_back");
	size_t n = strlen(r->path);
	return b != NULL && req_safe_next(b) && strncmp(b, r->path, n) == 0 && b[n] == '?' && b[n + 1] != '\0' ? b : r->path;
}

static int
reauth_check(FCGX_Request *fr, struct req *r)
{
	if (!(r->route->flags & F_REAUTH) || r->sess == NULL || !session_needs_reauth(r->sess, now_sec()))
		return 0;
	const char *q = FCGX_GetParam("QUERY_STRING", fr->envp);
	const char *next = r->route->method == M_GET && q && *q ? arena_printf(r->a, "%s?%s", r->path, q)
	    : r->route->method == M_POST ? reauth_back(r) : r->path;
	if (r->route->method == M_POST)
		audit(r, "reauth", r->route->name, "refused", "proof older than 10 minutes");
	return resp_redirect(r, arena_printf(r->a, "/account/reauth?next=%s%s", url_encode(r->a, next),
	    r->route->method == M_POST ? "&again=1" : ""));
}

/* ---- the JSON API (web/api.h): its own reading, checks and idempotent writes ----
 * An /api/ request reads no cookie: no session, so no CSRF token either. The caller is
 * the Bearer credential (401 without a valid one, 403 from a client address it does not
 * allow, 429 over its rate), made into r->sess with the credential's roles, so that the
 * permission and partner-type checks below are the pages' own. */

static int
api_auth_refused(struct req *r, enum api_auth v, int64_t retry_after)
{
	static const char *const why[] = { [API_AUTH_UNKNOWN] = "unknown credential", [API_AUTH_REVOKED] = "revoked",
	    [API_AUTH_EXPIRED] = "expired", [API_AUTH_ADDRESS] = "client address not allowed", [API_AUTH_THROTTLED] = "throttled" };
	if (v == API_AUTH_ERROR)
		return 500;
	log_msg("rid=%s api credential refused: %s", r->rid, why[v]);
	if (v == API_AUTH_REVOKED || v == API_AUTH_EXPIRED || v == API_AUTH_ADDRESS)
		audit(r, "api.auth", r->cred->name, "refused", why[v]);
	if (v == API_AUTH_THROTTLED) {
		resp_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)retry_after));
		return api_problem(r, 429, NULL);
	}
	if (v == API_AUTH_ADDRESS)
		return api_problem(r, 403, "The credential may not be used from this client address.");
	resp_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
	return api_problem(r, 401, v == API_AUTH_REVOKED ? "The credential has been revoked."
	    : v == API_AUTH_EXPIRED ? "The credential has expired." : NULL);
}

static int
api_read_body(FCGX_Request *fr, struct req *r)
{
	size_t len = 0;
	int st = body_length_check(FCGX_GetParam("CONTENT_LENGTH", fr->envp), r->portal->cfg.max_body_bytes, &len);
	if (st)
		return api_problem(r, st, NULL);
	if (len == 0)
		return 0;		/* a POST without a body (resend, revoke) */
	const char *ct = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] != '\0' && ct[16] != ';'))
		return api_problem(r, 415, NULL);
	char *body = arena_alloc(r->a, len + 1);
	if (body == NULL)
		return api_problem(r, 413, NULL);
	size_t got = 0;
	while (got < len) {
		int n = FCGX_GetStr(body + got, (int)(len - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != len)
		return api_problem(r, 400, "The request body is shorter than its Content-Length.");
	char err[160];
	if ((st = api_json_parse(body, len, &r->json, err, sizeof(err))) != 0)
		return api_problem(r, st, err);
	return 0;
}

static int
api_read_request(FCGX_Request *fr, struct req *r)
{
	const char *qs = FCGX_GetParam("QUERY_STRING", fr->envp);
	if (!utf8_valid(r->path, strlen(r->path)))
		return api_problem(r, 400, NULL);
	int st = parse_status(req_parse_urlencoded(r->a, qs ? qs : "", qs ? strlen(qs) : 0, &r->query));
	if (st)
		return api_problem(r, st, "The query string could not be read.");
	const char *allow = NULL;
	long long id = 0;
	r->route = route_find(r->method, r->path, &st, &allow, &id);
	r->id = id;
	if (r->route != NULL && !(r->route->flags & F_API)) {
		r->route = NULL;
		st = 404;
	}
	if (r->route == NULL) {
		if (st == 405)
			resp_header(r, "Allow", allow);
		return api_problem(r, st, NULL);
	}
	if (!(r->route->flags & F_NOSESSION)) {
		r->cred = arena_alloc(r->a, sizeof(*r->cred));
		struct session *s = arena_alloc(r->a, sizeof(*s));
		if (r->cred == NULL || s == NULL)
			return 500;
		int64_t retry = 0;
		enum api_auth v = api_authenticate(r->store, r->a, api_bearer(FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp)),
		    r->ip, now_sec(), r->portal->cfg.api_calls_per_min, r->cred, s, &retry);
		if (v == API_AUTH_REVOKED || v == API_AUTH_EXPIRED || v == API_AUTH_ADDRESS || v == API_AUTH_THROTTLED)
			r->sess = s;	/* the refusal's audit entry names the credential */
		if (v != API_AUTH_OK)
			return api_auth_refused(r, v, retry);
		r->sess = s;
		store_read_begin(r->store);
	}
	if (r->route->method == M_POST) {
		if ((st = api_read_body(fr, r)) != 0)
			return st;
		const char *key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", fr->envp);
		if (key != NULL && !api_idem_key_ok(key))
			return api_problem(r, 400, "Idempotency-Key must be 1 to 128 printable ASCII characters.");
		r->idem_key = key;
		r->if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp);
	}
	return 0;
}

static int
api_checks(struct req *r)
{
	if (r->route->perm == PERM_PUBLIC)
		return 0;
	if (!perm_allows_in(r->sess, r->route->perm, r->sess->tenant_id)) {
		audit(r, "access", r->route->name, "refused", "role");
		return api_problem(r, 403, NULL);
	}
	return partner_check(r);
}

/* Runs the handler. A write with an Idempotency-Key runs in a transaction opened before
 * the key is looked up (the write promise: two calls with the same key one after the
 * other, on any node): the same key again gets the first answer back, not a second
 * write; the first answer is stored in the write's own transaction. */
static int
api_run(struct req *r)
{
	if (r->idem_key == NULL)
		return r->route->handler(r);
	if (tx_begin(r) < 0)
		return 500;
	const char *route = NULL, *body = NULL;
	int status = 0;
	int found = api_idem_find(r->store, r->a, r->cred->id, r->idem_key, &route, &status, &body);
	if (found < 0)
		return 500;
	if (found) {
		if (strcmp(route, r->route->name) != 0)
			return api_problem(r, 422, "This Idempotency-Key was used for another kind of request.");
		resp_header(r, "Idempotent-Replayed", "true");
		r->content_type = "application/json; charset=utf-8";
		r->body.len = 0;
		buf_puts(&r->body, body);
		return status;
	}
	status = r->route->handler(r);
	if (status < 400 && store_in_write(r->store) && !store_failed(r->store)) {
		buf_add(&r->body, "", 1);	/* the body as text; the NUL is not sent */
		r->body.len--;
		if (api_idem_save(r->store, r->cred->id, r->idem_key, r->route->name, status, r->body.p, now_sec()) < 0)
			return 500;
	}
	return status;
}

static int
run(FCGX_Request *fr, struct req *r)
{
	int st = read_request(fr, r);
	if (st == 0)
		st = central_checks(fr, r);
	return st != 0 ? st : r->api ? api_run(r) : r->route->handler(r);
}

/* ---- finishing: transaction, audit, mail ---- */

static void
write_audit(struct req *r, bool include_ok)
{
	int64_t now = now_sec();
	for (struct audit_entry *e = r->audit; e != NULL; e = e->next) {
		bool ok = strcmp(e->outcome, "ok") == 0;
		if (ok && !include_ok)
			continue;
		struct audit_row row = { .at = now, .tenant_id = e->tenant_id, .actor_id = e->actor_id, .actor = e->actor,
		    .action = e->action, .target = e->target, .outcome = e->outcome, .ip = r->ip, .detail = e->detail,
		    .rel_kind = e->rel_kind, .rel_id = e->rel_id };
		/* A failed entry fails the store: the commit that follows is refused (500). */
		if (acting_audit_row(r, &row) < 0)
			log_msg("rid=%s audit entry %s/%s not written", r->rid, e->action, e->outcome);
	}
}

/* Forgets what a failed action set in the answer: its redirect, and every cookie but the
 * visitor's CSRF binding ("pre"), which the error page's own forms need. A session cookie
 * for a session that was rolled back would sign the visitor out; a landing cookie it
 * deleted belongs to a link that is still unused. */
static void
drop_action_headers(struct req *r)
{
	const char *pre = cookie_name(r, "pre");
	size_t pl = strlen(pre);
	int n = 0;
	for (int i = 0; i < r->nheaders; i++) {
		const struct header *h = &r->headers[i];
		bool cookie = strcasecmp(h->name, "Set-Cookie") == 0;
		if (strcasecmp(h->name, "Location") == 0 || (cookie && !(strncmp(h->value, pre, pl) == 0 && h->value[pl] == '=')))
			continue;
		r->headers[n++] = *h;
	}
	r->nheaders = n;
}

/* Commits the write transaction with the request's audit entries in it; true when it is done
 * (the entries are then written). */
static bool
commit_with_audit(struct req *r)
{
	write_audit(r, true);
	if (store_commit(r->store) < 0)
		return false;
	r->audit = NULL;
	r->audit_tail = &r->audit;
	return true;
}

/* The audit entries left (refusals, failures: nothing of theirs was committed) in a
 * transaction of their own. 0, or -1 when they could not be written. */
static int
audit_on_their_own(struct req *r)
{
	if (r->audit == NULL)
		return 0;
	int rc = -1;
	if (store_begin_write(r->store) == 0) {
		write_audit(r, false);
		rc = store_commit(r->store) == 0 ? 0 : -1;
	}
	store_clear_failure(r->store);
	r->audit = NULL;
	r->audit_tail = &r->audit;
	return rc;
}

/* The handler's transaction is committed only when its status says success and no
 * statement of the request failed (the store's sticky failure: a write whose result a
 * handler did not look at still cannot be reported as done). Otherwise it is rolled back,
 * its mail is dropped, and a failure becomes the 500 page with the request id. Refusals
 * and failures are audited in a transaction of their own either way. */
static int
finish(struct req *r, int status)
{
	bool failed = store_failed(r->store);
	if (failed)
		log_msg("rid=%s a database statement failed: rolled back, answering 500", r->rid);
	if (store_in_write(r->store)) {
		if (status < 400 && !failed) {
			if (commit_with_audit(r))
				return status;
			log_msg("rid=%s commit failed", r->rid);
			failed = true;
		} else {
			store_rollback(r->store);
		}
		r->nmail = 0;		/* nothing was committed: nothing to send */
	}
	store_clear_failure(r->store);
	if (failed) {
		drop_action_headers(r);
		status = page_error(r, 500, NULL);
		/* the error page itself may have read something that failed: nothing to save */
		store_clear_failure(r->store);
	}
	if (audit_on_their_own(r) < 0)
		log_msg("rid=%s could not write the audit entries of a refusal", r->rid);
	return status;
}

int
tx_step_end(struct req *r, bool done, int mail_mark)
{
	bool failed = store_failed(r->store);
	if (done && !failed && store_in_write(r->store)) {
		if (commit_with_audit(r))
			return 1;
		log_msg("rid=%s commit of one item failed", r->rid);
		failed = true;
	}
	if (store_in_write(r->store))
		store_rollback(r->store);
	if (mail_mark >= 0 && mail_mark < r->nmail)
		r->nmail = mail_mark;
	store_clear_failure(r->store);
	return audit_on_their_own(r) < 0 || failed ? -1 : 0;
}

/* ---- writing ---- */

static int
put(FCGX_Request *fr, const char *s, size_t n)
{
	while (n > 0) {
		int chunk = n > 1 << 30 ? 1 << 30 : (int)n;
		if (FCGX_PutStr(s, chunk, fr->out) != chunk)
			return -1;
		s += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
	"base-uri 'none'; object-src 'none'";

/* The answer's head: status, type, length (unless streamed), the fixed headers, the page's. */
static void
head_lines(struct buf *hb, struct req *r, bool length)
{
	struct buf h = *hb;
	buf_printf(&h, "Status: %d %s\r\n", r->status, http_reason(r->status));
	buf_printf(&h, "Content-Type: %s\r\n", r->content_type);
	if (length)
		buf_printf(&h, "Content-Length: %zu\r\n", r->body.len);
	/* The fixed lines without printf (issue 17: a few thousand instructions per request). */
	buf_puts(&h, "Cache-Control: no-store\r\nContent-Security-Policy: ");
	buf_puts(&h, csp);
	buf_puts(&h, "\r\nX-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n"
	    "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n");
	if (r->portal->cfg.https)
		buf_puts(&h, "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n");
	if (!r->api)
		buf_printf(&h, "Content-Language: %s\r\n", i18n_code((enum lang)r->lang));	/* issue 18 */
	buf_puts(&h, "X-Request-Id: ");
	buf_puts(&h, r->rid);
	for (int i = 0; i < r->nheaders; i++) {
		buf_puts(&h, "\r\n");
		buf_puts(&h, r->headers[i].name);
		buf_puts(&h, ": ");
		buf_puts(&h, r->headers[i].value);
	}
	buf_puts(&h, "\r\n\r\n");
	*hb = h;
}

static void
respond(FCGX_Request *fr, struct req *r)
{
	struct buf h;
	buf_init(&h, r->a);
	head_lines(&h, r, true);
	/* A client gone mid-response shows up as a failed write: stop, never crash. */
	if (h.failed || put(fr, h.p, h.len) < 0 || (!r->head && r->body.len && put(fr, r->body.p, r->body.len) < 0))
		log_msg("rid=%s client went away while writing the response", r->rid);
}

/* The request id (X-Request-Id, the log line, error pages): 16 hex digits, a key to find a
 * request by, not a secret. Issue 17: it was 8 bytes from randombytes_buf, one getrandom(2)
 * system call per request; now each thread draws a random SipHash key once and the id is the
 * keyed hash of the thread's request counter: as unpredictable and as unlikely to repeat
 * across threads, processes and nodes as random bytes, never repeated within a thread. */
static void
request_id(char out[17])
{
	static _Thread_local unsigned char key[crypto_shorthash_KEYBYTES];
	static _Thread_local uint64_t n;
	unsigned char in[8], id[crypto_shorthash_BYTES];
	if (n++ == 0)
		randombytes_buf(key, sizeof(key));
	memcpy(in, &n, sizeof(in));
	crypto_shorthash(id, in, sizeof(in), key);
	sodium_bin2hex(out, 17, id, sizeof(id));
}

int
resp_stream_flush(struct req *r, size_t min)
{
	if (r->out == NULL || r->head || (!r->streamed && r->body.len < min))
		return 0;
	if (r->body.failed)
		return -1;
	if (!r->streamed) {
		struct buf h;
		buf_init(&h, r->a);
		r->status = 200;
		head_lines(&h, r, false);
		r->streamed = true;
		if (h.failed || FCGX_PutStr(h.p, (int)h.len, r->out) != (int)h.len)
			return -1;
	}
	if (r->body.len > 0 && FCGX_PutStr(r->body.p, (int)r->body.len, r->out) != (int)r->body.len)
		return -1;
	r->body.len = 0;
	if (r->body.p != NULL)
		r->body.p[0] = '\0';
	return 0;
}

void
dispatch(FCGX_Request *fr, struct worker *w)
{
	int64_t t0 = mono_usec();
	struct req req, *r = &req;
	memset(r, 0, sizeof(*r));
	r->a = &w->arena;
	r->portal = w->portal;
	r->store = w->store;
	r->audit_tail = &r->audit;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->body, r->a);
	request_id(r->rid);

	const char *m = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	r->method = m ? m : "";
	r->head = strcmp(r->method, "HEAD") == 0;
	r->path = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	r->ip = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r->user_agent = FCGX_GetParam("HTTP_USER_AGENT", fr->envp);
	r->api = api_path(r->path);
	r->accept_lang = FCGX_GetParam("HTTP_ACCEPT_LANGUAGE", fr->envp);
	choose_lang(r);

	store_clear_failure(r->store);
	/* Every read of the request in one snapshot (a write ends it: store.h). */
	store_read_begin(r->store);
	r->out = fr->out;
	int status = run(fr, r);
	if (status >= 400 && r->body.len == 0 && !r->streamed)
		status = page_error(r, status, NULL);
	status = finish(r, status);
	store_read_end(r->store);
	if (!r->streamed) {
		r->status = status;
		respond(fr, r);
	} else if (status != 200 || r->body.failed || resp_stream_flush(r, 0) < 0 || FCGX_FFlush(fr->out) < 0) {
		/* issue 17: a streamed download that failed after its head left: break the connection
		 * off (no end of the FastCGI request), so nginx cuts the client's transfer short
		 * instead of ending it as if the file were whole. */
		log_msg("rid=%s the streamed answer failed after %s: connection broken off", r->rid,
		    status != 200 ? "an error" : "a failed write");
		r->status = status != 200 ? status : 500;
		shutdown(fr->ipcFd, SHUT_RDWR);
	}
	/* Mail goes out after the answer has left: delivery (a synced spool file, or sendmail)
	 * would otherwise tell a "forgot password" visitor whether the account exists, by the
	 * time it takes. The message is committed in the outbox either way. The mail sender
	 * thread delivers it (issue 17: this thread goes on to the next request); when its queue
	 * is full, this thread does. */
	if (r->nmail > 0 && mail_sender_queue(r->mail, r->nmail) < 0) {
		FCGX_FFlush(fr->out);
		mail_deliver_many(&r->portal->cfg, r->store, r->mail, r->nmail, NULL);
	}
	log_request(r->rid, r->method, r->route ? r->route->name : "-", r->status, mono_usec() - t0,
	    r->sess ? arena_printf(r->a, "user=%lld", (long long)r->sess->user_id) : NULL);
	w->requests++;
	json_decref(r->json);
	arena_reset(r->a);
}
