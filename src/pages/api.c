/* api.c — the JSON API's handlers for the caller and the organization's users (routes.def,
 * F_API; web/api.h). The dispatcher has authenticated the Bearer credential and checked
 * the route's permission; r->sess is the credential's organization and roles. Values come
 * from the domain layer and are written with jansson, never through templates. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/apikeys.h"
#include "base/syntax.h"
#include "pages/settings_users.h"
#include "web/api.h"

/* ["global_admin", ...]: the keys of the role bits in have. */
static json_t *
roles_json(unsigned have)
{
	json_t *a = json_array();
	for (int i = 0; i < ROLE__COUNT; i++)
		if (have & roles[i].mask)
			json_array_append_new(a, json_string(roles[i].key));
	return a;
}

static json_t *
user_json(const struct user_row *u)
{
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u->id, "name", u->name, "email", u->email,
	    "roles", roles_json(u->roles));
}

/* GET /api/v1/me — the credential, its roles and its organization. Any credential. */
int
api_me(struct req *r)
{
	const struct session *s = r->sess;
	json_t *pa = json_object();
	for (int t = 0; t < PT__COUNT; t++)
		if (s->pa[t] != PA_NONE)
			json_object_set_new(pa, partner_type_key(t), json_string(pa_status_key(s->pa[t])));
	return api_send(r, 200, json_pack("{s:{s:I, s:s, s:I}, s:{s:I, s:s, s:s, s:o}, s:o}",
	    "credential", "id", (json_int_t)r->cred->id, "name", r->cred->name, "expires_at", (json_int_t)r->cred->expires_at,
	    "organization", "id", (json_int_t)s->tenant_id, "name", s->tenant_name, "country", s->country,
	    "partner_accounts", pa, "roles", roles_json(s->roles)));
}

/* GET /api/v1/users?limit=&cursor=&sort=id|-id — the organization's users, a page at a
 * time (USERS_VIEW). */
int
api_users(struct req *r)
{
	static const char *const sorts[] = { "id", "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct user_list l;
	if (api_users_page(r->store, r->a, r->sess->tenant_id, p.after || !p.desc ? p.after : INT64_MAX, p.desc, p.limit, &l) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, user_json(&l.v[i]));
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, l.n, l.n ? l.v[l.n - 1].id : 0);
	return api_send(r, 200, out);
}

/* GET /api/v1/users/ID — one user of the organization (USERS_VIEW); another organization's
 * id is 404, as an unknown one. The ETag is the user's roles (If-Match on a change). */
int
api_user(struct req *r)
{
	struct user_row u;
	int found = user_in_tenant(r->store, r->a, r->sess->tenant_id, r->id, &u);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 0)
		return api_not_found(r, "user", r->id);
	resp_header(r, "ETag", arena_printf(r->a, "\"r%u\"", u.roles));
	return api_send(r, 200, user_json(&u));
}

/* ---- changes to users (the rules of Settings → User management, domain/accounts.h) ---- */

/* The body's "roles": an array of role keys. -1 when it is not one. */
static int
body_roles(struct req *r, unsigned *out)
{
	json_t *v = json_object_get(r->json, "roles");
	*out = 0;
	if (!json_is_array(v) || json_array_size(v) > ROLE__COUNT * 2)
		return -1;
	const char *keys[ROLE__COUNT * 2];
	size_t n = json_array_size(v);
	for (size_t i = 0; i < n; i++) {
		keys[i] = json_string_value(json_array_get(v, i));
		if (keys[i] == NULL)
			return -1;
	}
	return roles_from_keys(keys, n, out);
}

/* The rule's refusal as problem details: 403 with its sentence, audited. */
static int
refused(struct req *r, const char *action, const char *target, enum user_action ua, enum user_verdict v, const char *name)
{
	audit(r, action, target, "refused", user_verdict_code(v));
	return api_problem(r, 403, user_verdict_text(r->a, ua, v, name));
}

/* POST /api/v1/users — {"name", "email", "roles": [keys]} (USERS_MANAGE; nobody grants a
 * role they do not hold). 202 with {"email", "status": "invited"} both for a new address
 * and for one that has an account in another organization (whose owner is emailed
 * instead, nothing added), exactly as the Add user page answers both alike; 409 for a
 * user of this organization. */
int
api_user_add_post(struct req *r)
{
	json_t *errors = json_array();
	bool bad = false;
	const char *name = api_in_str(r, "name", &bad), *email = api_in_str(r, "email", &bad);
	unsigned want = 0;
	if (name == NULL || *name == '\0' || strlen(name) > 400 || utf8_chars(name) > 100 || text_has_control(name, false))
		api_field_error(errors, "name", "Give the user's name: 1 to 100 characters on one line.");
	email = email ? str_lower_trim(r->a, email) : NULL;
	if (email == NULL || strlen(email) > 254 || !email_valid(email))
		api_field_error(errors, "email", "Give an email address like name@example.com.");
	if (body_roles(r, &want) < 0)
		api_field_error(errors, "roles", "Give roles as an array of role keys (GET /api/v1/me shows the keys).");
	if (json_array_size(errors) > 0)
		return api_invalid(r, errors);
	json_decref(errors);
	struct user_row u = { .tenant_id = r->sess->tenant_id, .email = email, .name = name, .roles = want };
	struct user_facts uf;
	if (tx_begin(r) < 0 || user_facts_read(r->store, r->a, r->sess, false, &uf) < 0)
		return api_problem(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, UA_ADD, NULL, want);
	if (v == UV_NO_ROLE) {
		errors = json_array();
		api_field_error(errors, "roles", user_verdict_text(r->a, UA_ADD, v, name));
		return api_invalid(r, errors);
	}
	if (v != UV_OK)
		return refused(r, "user.add", email, UA_ADD, v, name);
	int added = user_add(r->store, r->a, u.tenant_id, name, email, want, &u.id);
	if (added == USER_EMAIL_TAKEN) {
		audit(r, "user.add", email, "refused", "already a user of this organization");
		return api_problem(r, 409, "This address is already a user of the organization.");
	}
	if (added == USER_EMAIL_ELSEWHERE ? send_account_exists(r, &u) < 0 : added < 0 || send_set_password(r, &u, "user-added") < 0)
		return api_problem(r, 500, NULL);
	if (added == 0)
		audit(r, "user.add", email, "ok", arena_printf(r->a, "roles: %s", roles_text(r->a, want)));
	return api_send(r, 202, json_pack("{s:s, s:s}", "email", email, "status", "invited"));
}

/* The target user of a change (r->id) inside the write transaction: 0, or the status. */
static int
target(struct req *r, struct user_row *t)
{
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	int found = user_in_tenant(r->store, r->a, r->sess->tenant_id, r->id, t);
	if (found < 0)
		return api_problem(r, 500, NULL);
	return found ? 0 : api_not_found(r, "user", r->id);
}

/* POST /api/v1/users/ID/roles — {"roles": [keys]} with If-Match: the ETag of GET
 * /api/v1/users/ID (428 without it, 412 when the roles changed since: no lost update).
 * USERS_MANAGE and the rules of the page; the user's sessions end. */
int
api_user_roles_post(struct req *r)
{
	unsigned want = 0;
	if (r->json == NULL || body_roles(r, &want) < 0) {
		json_t *errors = json_array();
		api_field_error(errors, "roles", "Give roles as an array of role keys.");
		return api_invalid(r, errors);
	}
	const char *match = r->if_match;
	if (match == NULL)
		return api_problem(r, 428, "Send If-Match with the ETag of GET /api/v1/users/{id}.");
	struct user_row t;
	int st = target(r, &t);
	if (st)
		return st;
	if (strcmp(match, arena_printf(r->a, "\"r%u\"", t.roles)) != 0)
		return api_problem(r, 412, "The user's roles changed since that ETag. Read the user again.");
	struct user_facts uf;
	if (user_facts_read(r->store, r->a, r->sess, false, &uf) < 0)
		return api_problem(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, UA_ROLES, &t, want);
	if (v != UV_OK)
		return refused(r, "user.roles", t.email, UA_ROLES, v, t.name);
	if (want != t.roles) {
		if (user_set_roles(r->store, t.tenant_id, t.id, want) < 0)
			return api_problem(r, 500, NULL);
		audit(r, "user.roles", t.email, "ok", arena_printf(r->a, "%s → %s", roles_text(r->a, t.roles), roles_text(r->a, want)));
	}
	t.roles = want;
	resp_header(r, "ETag", arena_printf(r->a, "\"r%u\"", t.roles));
	return api_send(r, 200, user_json(&t));
}

/* POST /api/v1/users/ID/delete — deletes the user (USERS_MANAGE, the rules of the page:
 * never the last Global admin). 204. */
int
api_user_delete_post(struct req *r)
{
	struct user_row t;
	int st = target(r, &t);
	if (st)
		return st;
	struct user_facts uf;
	if (user_facts_read(r->store, r->a, r->sess, false, &uf) < 0)
		return api_problem(r, 500, NULL);
	enum user_verdict v = user_decide(&uf, UA_DELETE, &t, 0);
	if (v != UV_OK)
		return refused(r, "user.delete", t.email, UA_DELETE, v, t.name);
	if (user_delete(r->store, t.tenant_id, t.id) < 0)
		return api_problem(r, 500, NULL);
	audit(r, "user.delete", t.email, "ok", arena_printf(r->a, "%s; roles: %s", t.name, roles_text(r->a, t.roles)));
	r->body.len = 0;
	return 204;
}

/* GET /api/v1/openapi.json — the OpenAPI 3.1 document of this API (PUBLIC, no credential):
 * templates/api/openapi.json, with this portal's base URL as its server. Every F_API route
 * of routes.def is in it and nothing else (tests/integration/api-openapi.test.mjs). */
int
api_openapi(struct req *r)
{
	json_error_t je;
	je.text[0] = '\0';
	const char *path = arena_printf(r->a, "%s/api/openapi.json", r->portal->cfg.templates);
	json_t *doc = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (doc == NULL) {
		log_msg("rid=%s cannot read the OpenAPI document: %s", r->rid, je.text);
		return api_problem(r, 500, NULL);
	}
	json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", r->portal->cfg.base_url));
	return api_send(r, 200, doc);
}
