/* http.c — what a handler reads and writes (http.h): query, form and cookie values,
 * headers, cookies, redirects and plain answers, the visitor's CSRF token, audit entries
 * and the action's write transaction; the reason phrases and the body length check. */
#include "web/http.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/csrf.h"
#include "base/util.h"
#include "web/dispatch.h"
#include "web/req.h"

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

int
body_length_check(const char *content_length, size_t max, size_t *len)
{
	*len = 0;
	if (content_length == NULL || *content_length == '\0')
		return 0;
	size_t n = 0;
	for (const char *p = content_length; *p; p++) {
		if (*p < '0' || *p > '9')
			return 400;
		if (n > max)		/* keep going: a later non-digit is still a 400 */
			continue;
		n = n * 10 + (size_t)(*p - '0');
	}
	if (n > max)
		return 413;
	*len = n;
	return 0;
}

const char *
req_query(const struct req *r, const char *name)
{
	return params_get(&r->query, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return params_get(&r->form, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return params_get(&r->cookies, cookie_name(r, name));
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders < REQ_MAX_HEADERS && strpbrk(value, "\r\n") == NULL) {
		r->headers[r->nheaders].name = name;
		r->headers[r->nheaders].value = value;
		r->nheaders++;
	}
}

const char *
cookie_name(const struct req *r, const char *name)
{
	/* Fixed names only; behind HTTPS the "/"-scoped ones get the __Host- prefix. */
	if (!r->portal->cfg.https)
		return name;
	if (strcmp(name, "sid") == 0)
		return "__Host-sid";
	if (strcmp(name, "pre") == 0)
		return "__Host-pre";
	return name;
}

void
resp_cookie(struct req *r, const char *name, const char *value, const char *path, long max_age)
{
	char age[48] = "";
	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	resp_header(r, "Set-Cookie", arena_printf(r->a, "%s=%s; Path=%s%s; HttpOnly; SameSite=Lax%s",
	    strcmp(path, "/") == 0 ? cookie_name(r, name) : name, value, path, age,
	    r->portal->cfg.https ? "; Secure" : ""));
}

int
resp_redirect(struct req *r, const char *location)
{
	/* Only paths on this site: nothing here ever redirects elsewhere. */
	if (!req_safe_next(location))
		location = "/";
	resp_header(r, "Location", location);
	r->body.len = 0;
	return 303;
}

int
resp_text(struct req *r, int status, const char *content_type, const char *text, size_t len)
{
	r->content_type = content_type;
	r->body.len = 0;
	buf_add(&r->body, text, len);
	return status;
}

const char *
csrf_token(struct req *r)
{
	if (r->csrf != NULL)
		return r->csrf;
	const char *bound = r->sess_cookie;
	if (bound == NULL) {
		bound = req_cookie(r, "pre");
		if (bound == NULL || strlen(bound) != SESSION_COOKIE_LEN) {
			unsigned char raw[32];
			randombytes_buf(raw, sizeof(raw));
			bound = b64url_encode(r->a, raw, sizeof(raw));
			resp_cookie(r, "pre", bound, "/", 12 * 3600);
		}
	}
	r->csrf = csrf_token_make(r->a, bound);
	return r->csrf ? r->csrf : "";
}

struct audit_entry *
audit(struct req *r, const char *action, const char *target, const char *outcome, const char *detail)
{
	struct audit_entry *e = arena_alloc(r->a, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->action = action;
	e->target = target ? target : "";
	e->outcome = outcome;
	e->detail = detail ? detail : "";
	if (r->sess != NULL) {
		e->tenant_id = r->sess->tenant_id;
		e->actor_id = r->sess->user_id;
		e->actor = r->sess->email;
	} else {
		e->actor = "";
	}
	*r->audit_tail = e;
	r->audit_tail = &e->next;
	return e;
}

struct audit_entry *
audit_as(struct req *r, int64_t tenant_id, int64_t user_id, const char *email, const char *action,
    const char *target, const char *outcome, const char *detail)
{
	struct audit_entry *e = audit(r, action, target, outcome, detail);
	if (e != NULL) {
		e->tenant_id = tenant_id;
		e->actor_id = user_id;
		e->actor = email;
	}
	return e;
}

struct audit_entry *
audit_rel(struct audit_entry *e, const char *kind, int64_t id)
{
	if (e != NULL) {
		e->rel_kind = kind;
		e->rel_id = id;
	}
	return e;
}

int
tx_begin(struct req *r)
{
	return store_begin_write(r->store);
}

