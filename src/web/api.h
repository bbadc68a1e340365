/* api.h — the JSON API's side of the web layer (issue 14): every route under /api/ (flag
 * F_API in routes.def) is read, checked and answered here instead of as a page. No cookie
 * is read on /api/ (so there is no session and no CSRF token there): the caller is an API
 * credential from `Authorization: Bearer <secret>` (domain/apikeys.h). A POST's body must
 * be application/json (415), at most PORTAL_MAX_BODY bytes (413), one JSON object (400).
 * Answers are JSON built with jansson (application/json; charset=utf-8); every refusal and
 * failure is an RFC 9457 problem details object (application/problem+json) with the request
 * id, made by api_problem — page_error sends API requests there, so the dispatcher's one
 * error path serves both. */
#ifndef WEB_API_H
#define WEB_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "web/http.h"

#define API_PREFIX "/api/"
#define API_LIMIT_DEFAULT 50
#define API_LIMIT_MAX 200

/* Whether path is the API's (under API_PREFIX). */
bool api_path(const char *path);

/* Parses a request body: one JSON object, valid UTF-8, no duplicate keys (jansson's
 * checks, and its nesting limit). 0 with *out (the caller's reference), or 400 with the
 * parser's reason in err (a sentence with the position, never the input). */
int api_json_parse(const char *body, size_t len, json_t **out, char *err, size_t errlen);

/* The secret of an Authorization header "Bearer <secret>" (scheme in any case), or NULL. */
const char *api_bearer(const char *authorization);

/* The answer: v (its reference is taken, NULL answers 500) as the body. Returns status. */
int api_send(struct req *r, int status, json_t *v);
/* RFC 9457 problem details: type about:blank, title (the status's reason), status,
 * detail (NULL: a generic sentence), request_id. Returns status. */
int api_problem(struct req *r, int status, const char *detail);
/* A 404 for an id of another organization (or none): audited as a refusal, answered
 * exactly like an unknown id. */
int api_not_found(struct req *r, const char *what, int64_t id);

/* Problem details with one more member key (extra's reference is taken). Returns status. */
int api_problem_with(struct req *r, int status, const char *detail, const char *key, json_t *extra);
/* 422: problem details with "errors": [{field, message}] (errors' reference is taken). */
int api_invalid(struct req *r, json_t *errors);
/* Appends {field, message} to errors. */
void api_field_error(json_t *errors, const char *field, const char *message);

/* The request body's member key as text: the value, NULL when absent or null; *bad is set
 * when it is there but not a string. */
const char *api_in_str(const struct req *r, const char *key, bool *bad);
/* The request body's member key as a boolean: dflt when absent or null; *bad is set (and dflt
 * returned) when it is there but not true or false. */
bool api_in_bool(const struct req *r, const char *key, bool dflt, bool *bad);

/* ---- lists: ?limit=N (1..API_LIMIT_MAX, default API_LIMIT_DEFAULT), ?cursor=C, ?sort=S ----
 * A cursor is opaque to the client: the base64url of "<sort>:<last id>", so a page
 * continues after the last row seen whatever was inserted meanwhile; sort is one of the
 * list's whitelisted keys. 0, or 400 (answered) for a bad limit, cursor or sort. */
struct api_page {
	int64_t limit, after;		/* after: the cursor's id; 0 = from the start */
	bool desc;
	const char *sort;
};
int api_page_read(struct req *r, const char *const *sorts, size_t nsorts, struct api_page *out);
/* Adds "next_cursor" to obj (null when the page was not full). */
void api_page_next(struct req *r, json_t *obj, const struct api_page *p, size_t got, int64_t last_id);

#endif
