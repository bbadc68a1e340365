/* api.c — JSON in and out, problem details, list pages: see api.h. */
#include "web/api.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/util.h"
#include "web/dispatch.h"

bool
api_path(const char *path)
{
	return path != NULL && str_has_prefix(path, API_PREFIX);
}

int
api_json_parse(const char *body, size_t len, json_t **out, char *err, size_t errlen)
{
	*out = NULL;
	if (len == 0) {
		snprintf(err, errlen, "The request body is empty; send a JSON object.");
		return 400;
	}
	/* jansson checks the UTF-8 and refuses NUL bytes in strings and duplicate keys. */
	json_error_t je;
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		snprintf(err, errlen, "The request body is not valid JSON (line %d, column %d).", je.line, je.column);
		return 400;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(err, errlen, "The request body must be a JSON object.");
		return 400;
	}
	*out = v;
	return 0;
}

const char *
api_bearer(const char *authorization)
{
	if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
		return NULL;
	const char *s = authorization + 7;
	while (*s == ' ')
		s++;
	return *s ? s : NULL;
}

int
api_send(struct req *r, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(v);
	if (text == NULL) {
		log_msg("rid=%s cannot write the JSON answer", r->rid);
		return api_problem(r, 500, NULL);
	}
	r->content_type = "application/json; charset=utf-8";
	r->body.len = 0;
	buf_puts(&r->body, text);
	free(text);
	return status;
}

int
api_problem(struct req *r, int status, const char *detail)
{
	static const struct { int status; const char *text; } words[] = {
		{ 400, "The request could not be understood." },
		{ 401, "Send a valid API credential: Authorization: Bearer <secret>." },
		{ 403, "The credential's roles do not allow this." },
		{ 404, "There is nothing at this address, or the credential has no access to it." },
		{ 405, "This address does not take that method." },
		{ 413, "The request body is larger than the portal accepts." },
		{ 415, "Send the request body as application/json." },
		{ 429, "Too many calls with this credential. Wait as long as Retry-After says." },
		{ 500, "The portal could not finish the request. Nothing was changed." },
	};
	if (detail == NULL)
		for (size_t i = 0; i < NELEM(words); i++)
			if (words[i].status == status)
				detail = words[i].text;
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", http_reason(status),
	    "status", status, "detail", detail ? detail : http_reason(status), "request_id", r->rid);
	char *text = p ? json_dumps(p, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(p);
	r->content_type = "application/problem+json";
	r->body.len = 0;
	if (text != NULL) {
		buf_puts(&r->body, text);
		free(text);
	} else {
		buf_printf(&r->body, "{\"status\":%d,\"request_id\":\"%s\"}", status, r->rid);
	}
	return status;
}

int
api_not_found(struct req *r, const char *what, int64_t id)
{
	audit(r, "access", arena_printf(r->a, "%s %lld", what, (long long)id), "refused", "not in this organization");
	return api_problem(r, 404, NULL);
}

int
api_problem_with(struct req *r, int status, const char *detail, const char *key, json_t *extra)
{
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", http_reason(status),
	    "status", status, "detail", detail, "request_id", r->rid);
	if (p == NULL) {
		json_decref(extra);
		return api_problem(r, status, detail);
	}
	json_object_set_new(p, key, extra);
	int st = api_send(r, status, p);
	r->content_type = "application/problem+json";
	return st;
}

int
api_invalid(struct req *r, json_t *errors)
{
	return api_problem_with(r, 422, "Some fields are not valid; see errors.", "errors", errors);
}

void
api_field_error(json_t *errors, const char *field, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

const char *
api_in_str(const struct req *r, const char *key, bool *bad)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

bool
api_in_bool(const struct req *r, const char *key, bool dflt, bool *bad)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (v == NULL || json_is_null(v))
		return dflt;
	if (!json_is_boolean(v)) {
		*bad = true;
		return dflt;
	}
	return json_is_true(v);
}

int
api_page_read(struct req *r, const char *const *sorts, size_t nsorts, struct api_page *out)
{
	*out = (struct api_page){ .limit = API_LIMIT_DEFAULT, .sort = sorts[0] };
	const char *limit = req_query(r, "limit"), *cursor = req_query(r, "cursor"), *sort = req_query(r, "sort");
	if (limit != NULL && parse_i64(limit, 1, API_LIMIT_MAX, &out->limit) < 0)
		return api_problem(r, 400, arena_printf(r->a, "limit must be a number from 1 to %d.", API_LIMIT_MAX));
	if (sort != NULL) {
		size_t i = 0;
		while (i < nsorts && strcmp(sorts[i], sort) != 0)
			i++;
		if (i == nsorts)
			return api_problem(r, 400, "sort is not one of the list's sort keys (see the OpenAPI document).");
		out->sort = sorts[i];
	}
	if (cursor != NULL) {
		unsigned char raw[64];
		long n = strlen(cursor) < 80 ? b64url_decode(cursor, raw, sizeof(raw) - 1) : -1;
		const char *text = n > 0 ? arena_strndup(r->a, (const char *)raw, (size_t)n) : NULL;
		const char *colon = text ? strrchr(text, ':') : NULL;
		if (colon == NULL || (size_t)(colon - text) != strlen(out->sort) || strncmp(text, out->sort, strlen(out->sort)) != 0 ||
		    parse_i64(colon + 1, 1, INT64_MAX, &out->after) < 0)
			return api_problem(r, 400, "cursor is not one this list gave (or it was for another sort).");
	}
	out->desc = out->sort[0] == '-';
	return 0;
}

void
api_page_next(struct req *r, json_t *obj, const struct api_page *p, size_t got, int64_t last_id)
{
	if ((int64_t)got < p->limit) {
		json_object_set_new(obj, "next_cursor", json_null());
		return;
	}
	const char *text = arena_printf(r->a, "%s:%lld", p->sort, (long long)last_id);
	json_object_set_new(obj, "next_cursor", json_string(b64url_encode(r->a, (const unsigned char *)text, strlen(text))));
}
