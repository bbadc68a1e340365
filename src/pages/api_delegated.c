/* api_delegated.c — the JSON API's delegated admin relationships (routes.def, F_API):
 * every relationship the organization is either side of (the partner that asked, the
 * customer or reseller that granted), newest first by a cursor; one of them with its state
 * now, roles and expiry (DELEGATED_ADMIN_VIEW as /delegated-admin). Writes as the pages
 * (pages/delegated_admin.c): request (Idempotency-Key: the same key again is the first
 * answer), resend and withdraw by the partner that asked (DELEGATED_ADMIN_REQUEST),
 * terminate by either side with a reason (DELEGATED_ADMIN_VIEW; the granting side's Global
 * admin) — the same domain rules, refusals, emails, webhooks and entries in both logs.
 * Approving stays in the browser: it needs a person's fresh proof (F_REAUTH). Another
 * organization's id answers 404, audited. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/syntax.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/apilists.h"
#include "domain/delegated.h"
#include "pages/delegated_admin.h"
#include "web/api.h"

static json_t *
da_json(const struct da_row *d, int64_t tenant, int64_t now)
{
	json_t *rl = json_array();
	for (int i = 0; i < ROLE__COUNT; i++)
		if (d->roles & roles[i].mask)
			json_array_append_new(rl, json_string(roles[i].key));
	bool partner = d->partner_tenant_id == tenant;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:o, s:I, s:b, s:I}",
	    "id", (json_int_t)d->id, "name", d->name, "state", da_state_key(da_state_at(d, now)),
	    "side", partner ? "partner" : "granting",
	    "partner", "id", (json_int_t)d->partner_tenant_id, "name", d->partner_name,
	    "organization", "id", (json_int_t)d->customer_tenant_id, "name", d->customer_name, "kind", da_kind_key(d->kind),
	    "roles", rl, "duration_days", (json_int_t)d->duration_days, "auto_extend", d->auto_extend,
	    "created_at", (json_int_t)d->created_at);
	json_object_set_new(o, "expires_at", d->expires_at ? json_integer(d->expires_at) : json_null());
	json_object_set_new(o, "approved_at", d->approved_at ? json_integer(d->approved_at) : json_null());
	json_object_set_new(o, "ended_at", d->ended_at ? json_integer(d->ended_at) : json_null());
	return o;
}

/* GET /api/v1/delegated-admin?limit=&cursor= — the organization's delegated admin
 * relationships, on either side, newest first. */
int
api_delegated_admins(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct da_row *v;
	size_t n = 0;
	if (api_da_page(r->store, r->a, r->sess->tenant_id, p.after, p.limit, &v, &n) < 0)
		return api_problem(r, 500, NULL);
	int64_t now = now_sec();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, da_json(&v[i], r->sess->tenant_id, now));
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, n, n ? v[n - 1].id : 0);
	return api_send(r, 200, out);
}

/* GET /api/v1/delegated-admin/ID — one relationship the organization is a side of. */
int
api_delegated_admin(struct req *r)
{
	struct da_row d;
	const char *why = NULL;
	int found = da_of(r->store, r->a, r->id, r->sess->tenant_id, &d, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 0)
		return api_not_found(r, "delegated admin relationship", r->id);
	return api_send(r, 200, da_json(&d, r->sess->tenant_id, now_sec()));
}

/* ---- writes ---- */

/* The request body field a refusal of da_request belongs to. */
static const char *
refusal_field(enum da_refusal why)
{
	switch (why) {
	case DA_NOT_RELATED: return "organization_id";
	case DA_NAME_TAKEN: return "name";
	case DA_BAD_DURATION: return "duration_days";
	case DA_NO_ROLES: return "roles";
	case DA_GLOBAL_AUTO_EXTEND: return "auto_extend";
	default: return "message";
	}
}

/* The relationship d as the organization now sees it: status with its JSON. */
static int
answer(struct req *r, int status, int64_t id)
{
	struct da_row d;
	const char *why = NULL;
	if (da_of(r->store, r->a, id, r->sess->tenant_id, &d, &why) != 1)
		return api_problem(r, 500, NULL);
	return api_send(r, status, da_json(&d, r->sess->tenant_id, now_sec()));
}

/* The request's fields read and checked as the form checks them (q filled): NULL, or the
 * errors (a new reference) when one is wrong. */
static json_t *
request_read(struct req *r, struct da_request *q)
{
	json_t *errors = json_array();
	bool bad = false;
	json_t *org = json_object_get(r->json, "organization_id"), *days = json_object_get(r->json, "duration_days"),
	    *rl = json_object_get(r->json, "roles");
	*q = (struct da_request){ .partner_tenant = r->sess->tenant_id };
	if (!json_is_integer(org) || json_integer_value(org) < 1)
		api_field_error(errors, "organization_id", "Give the id of one of your customers or indirect resellers.");
	else
		q->other_tenant = json_integer_value(org);
	q->name = api_in_str(r, "name", &bad);
	if (bad || q->name == NULL || *q->name == '\0' || strlen(q->name) > DA_NAME_MAX * 4 || utf8_chars(q->name) > DA_NAME_MAX ||
	    text_has_control(q->name, false))
		api_field_error(errors, "name", "Give the relationship a name: 1 to 50 characters on one line.");
	if (!json_is_integer(days) || json_integer_value(days) < DA_DAYS_MIN || json_integer_value(days) > DA_DAYS_MAX)
		api_field_error(errors, "duration_days", da_refusal_text(DA_BAD_DURATION));
	else
		q->days = (int)json_integer_value(days);
	const char *keys[ROLE__COUNT];
	size_t n = json_is_array(rl) ? json_array_size(rl) : 0;
	unsigned asked = 0;
	bool roles_ok = json_is_array(rl) && n <= ROLE__COUNT;
	for (size_t i = 0; roles_ok && i < n; i++)
		roles_ok = (keys[i] = json_string_value(json_array_get(rl, i))) != NULL;
	if (!roles_ok || roles_from_keys(keys, n, &asked) < 0)
		api_field_error(errors, "roles", "Give roles as an array of role keys (GET /api/v1/me shows the keys).");
	else if (asked & ROLE_MASK(GLOBAL_ADMIN))
		api_field_error(errors, "roles", "Global admin is asked for with \"global_admin\": true and a message saying why.");
	bad = false;
	q->global_admin = api_in_bool(r, "global_admin", false, &bad);
	if (bad)
		api_field_error(errors, "global_admin", "Give global_admin as true or false.");
	bad = false;
	q->auto_extend = api_in_bool(r, "auto_extend", false, &bad);
	if (bad)
		api_field_error(errors, "auto_extend", "Give auto_extend as true or false.");
	bad = false;
	q->message = api_in_str(r, "message", &bad);
	if (bad || (q->message != NULL && (strlen(q->message) > DA_MESSAGE_MAX * 4 || utf8_chars(q->message) > DA_MESSAGE_MAX ||
	    text_has_control(q->message, true))))
		api_field_error(errors, "message", "Give the message as text of at most 1000 characters.");
	if (q->message == NULL)
		q->message = "";
	q->roles = asked | (q->global_admin ? ROLE_MASK(GLOBAL_ADMIN) : 0);
	if (json_array_size(errors) == 0 && q->roles == 0)
		api_field_error(errors, "roles", da_refusal_text(DA_NO_ROLES));
	if (json_array_size(errors) == 0) {
		json_decref(errors);
		return NULL;
	}
	return errors;
}

/* POST /api/v1/delegated-admin — {"organization_id", "name", "duration_days", "roles": [keys],
 * "global_admin"?, "message"? (required with global_admin: why), "auto_extend"?}: asks one
 * of the organization's customers (a provider: or indirect resellers) for delegated admin,
 * as Request delegated admin: pending for 90 days, emailed to its Global admins as a signed
 * link. 201 with the relationship; 422 with the field for bad input or a rule's refusal
 * (not related, name taken, Global admin without a reason or with auto-extend). With an
 * Idempotency-Key the same key again answers the first result. DELEGATED_ADMIN_REQUEST. */
int
api_delegated_admin_request_post(struct req *r)
{
	struct da_request q;
	json_t *errors = request_read(r, &q);
	if (errors != NULL)
		return api_invalid(r, errors);
	int64_t now = now_sec(), expires = 0;
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	enum da_refusal why = DA_OK;
	int64_t id = da_request(r->store, &q, r->sess->user_id, now, &expires, &why);
	if (id < 0)
		return api_problem(r, 500, NULL);
	if (id == 0) {
		errors = json_array();
		api_field_error(errors, refusal_field(why), da_refusal_text(why));
		return api_invalid(r, errors);
	}
	struct da_row d;
	const char *unused;
	if (da_of(r->store, r->a, id, r->sess->tenant_id, &d, &unused) != 1 || da_page_send_request(r, &d) < 0)
		return api_problem(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.request", "ok", arena_printf(r->a, "roles %s, %d days",
	    roles_text(r->a, d.roles), d.duration_days));
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/delegated-admin/%lld", (long long)id));
	return api_send(r, 201, da_json(&d, r->sess->tenant_id, now));
}

/* The status of a refusal of an action on an existing relationship (as the pages'). */
static int
refusal_status(enum da_refusal why)
{
	return why == DA_WRONG_SIDE || why == DA_NOT_GLOBAL_ADMIN ? 403 : 409;
}

/* Relationship r->id of this organization inside the write transaction: 0, or the answer. */
static int
load_for_write(struct req *r, struct da_row *d)
{
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	const char *why = NULL;
	int found = da_of(r->store, r->a, r->id, r->sess->tenant_id, d, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	return found ? 0 : api_not_found(r, "delegated admin relationship", r->id);
}

/* Resend or withdraw pending request r->id, for the partner that asked: 200 with it; 403 for
 * the granting side, 409 when it is no longer pending (audited). */
static int
partner_action(struct req *r, enum da_action act)
{
	struct da_row d;
	int st = load_for_write(r, &d);
	if (st)
		return st;
	int64_t now = now_sec(), expires = 0;
	const char *action = act == DA_RESEND ? "delegated-admin.resend" : "delegated-admin.withdraw";
	enum da_refusal why = da_can(act, &d, r->sess->tenant_id, false, now);
	int n = why != DA_OK ? 0 : act == DA_RESEND ? da_resend(r->store, &d, now, &expires)
	    : da_withdraw(r->store, &d, r->sess->user_id, now);
	if (n < 0)
		return api_problem(r, 500, NULL);
	if (n == 0) {
		if (why == DA_OK)
			why = DA_NOT_PENDING;
		audit(r, action, d.customer_name, "refused", da_refusal_code(why));
		return api_problem(r, refusal_status(why), da_refusal_text(why));
	}
	if (act == DA_RESEND) {
		d.request_expires_at = expires;
		d.sent_at = now;
		if (da_page_send_request(r, &d) < 0)
			return api_problem(r, 500, NULL);
	}
	da_page_audit_both(r, &d, action, "ok", NULL);
	return answer(r, 200, d.id);
}

/* POST /api/v1/delegated-admin/ID/resend — the pending request emailed again with 90 more
 * days; earlier links stop working. DELEGATED_ADMIN_REQUEST of the partner that asked. */
int
api_delegated_admin_resend_post(struct req *r)
{
	return partner_action(r, DA_RESEND);
}

/* POST /api/v1/delegated-admin/ID/withdraw — the pending request ends; its link stops
 * working. DELEGATED_ADMIN_REQUEST of the partner that asked. */
int
api_delegated_admin_withdraw_post(struct req *r)
{
	return partner_action(r, DA_WITHDRAW);
}

/* POST /api/v1/delegated-admin/ID/terminate — {"reason"} (required, at most 500
 * characters): ends the active relationship at once, emails both organizations, writes both
 * logs. The partner's credentials that may view it, or the granting organization's Global
 * admin credential (as the page). 200 with it; 403 for the granting side without Global
 * admin, 409 when it is not active (audited); 422 without a reason. */
int
api_delegated_admin_terminate_post(struct req *r)
{
	bool bad = false;
	const char *reason = api_in_str(r, "reason", &bad);
	if (bad || reason == NULL || *reason == '\0' || strlen(reason) > DA_REASON_MAX * 4 || utf8_chars(reason) > DA_REASON_MAX ||
	    text_has_control(reason, true)) {
		json_t *errors = json_array();
		api_field_error(errors, "reason", "Give the reason both organizations will see: 1 to 500 characters.");
		return api_invalid(r, errors);
	}
	struct da_row d;
	int st = load_for_write(r, &d);
	if (st)
		return st;
	enum da_refusal why = da_can(DA_TERMINATE, &d, r->sess->tenant_id,
	    perm_allows_in(r->sess, PERM_DELEGATED_ADMIN_APPROVE, d.customer_tenant_id), now_sec());
	int n = why == DA_OK ? da_terminate(r->store, &d, r->sess->user_id, now_sec(), reason) : 0;
	if (n < 0)
		return api_problem(r, 500, NULL);
	if (n == 0) {
		if (why == DA_OK)
			why = DA_NOT_ACTIVE;
		audit(r, "delegated-admin.terminate", d.partner_tenant_id == r->sess->tenant_id ? d.customer_name : d.partner_name,
		    "refused", da_refusal_code(why));
		return api_problem(r, refusal_status(why), da_refusal_text(why));
	}
	const char *unused;
	if (da_of(r->store, r->a, d.id, r->sess->tenant_id, &d, &unused) != 1 || da_page_notify_terminated(r, &d) < 0)
		return api_problem(r, 500, NULL);
	da_page_audit_both(r, &d, "delegated-admin.terminate", "ok", d.end_reason);
	return api_send(r, 200, da_json(&d, r->sess->tenant_id, now_sec()));
}
