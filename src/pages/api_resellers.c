/* api_resellers.c — the JSON API's indirect resellers and reseller invitations (routes.def,
 * F_API and F_PROVIDER: an approved indirect provider's credentials). The same domain calls
 * and emails as the Indirect resellers pages (pages/resellers.c). */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/syntax.h"
#include "base/util.h"
#include "domain/agreement.h"
#include "domain/apikeys.h"
#include "domain/invitations.h"
#include "domain/partners.h"
#include "domain/relationships.h"
#include "domain/timeline.h"
#include "pages/api_parts.h"
#include "pages/resellers.h"
#include "web/api.h"

/* An organization's standing with the current agreement: {current_version, signed,
 * accepted_version, accepted_at} (null where there is none). */
static json_t *
agreement_json(const struct agreement_state *a)
{
	return json_pack("{s:o, s:b, s:o, s:o}", "current_version", a->published ? json_string(a->version) : json_null(),
	    "signed", a->accepted, "accepted_version", a->accepted_version_id ? json_string(a->accepted_version) : json_null(),
	    "accepted_at", a->accepted_version_id ? json_integer(a->accepted_at) : json_null());
}

/* The organization's provider account (F_PROVIDER: it has an approved one). */
static int64_t
my_provider(struct req *r)
{
	int64_t id = 0;
	partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_PROVIDER, &id);
	return id;
}

/* One page of the provider's resellers (providers false) or the reseller's providers. */
static int
partners(struct req *r, bool providers)
{
	static const char *const sorts[] = { "name", "-name", "since", "-since" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct rel_partner_list l;
	bool by_since = strstr(p.sort, "since") != NULL;
	int64_t reseller = 0;
	if (providers)
		partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_RESELLER, &reseller);
	if ((providers ? api_providers_page(r->store, r->a, reseller, by_since, p.desc, p.after, p.limit, &l)
	    : api_resellers_page(r->store, r->a, my_provider(r), by_since, p.desc, p.after, p.limit, &l)) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const struct rel_partner_row *x = &l.v[i];
		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:b}", "relationship_id", (json_int_t)x->id,
		    "organization_id", (json_int_t)x->tenant_id, "name", x->name, "mpn_ids", x->mpn, "country", x->country,
		    "since", (json_int_t)x->since, "admin_access", x->admin_access));
	}
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, l.n, l.n ? l.v[l.n - 1].id : 0);
	return api_send(r, 200, out);
}

/* GET /api/v1/resellers?limit=&cursor=&sort=name|-name|since|-since — the provider's active
 * resellers (RESELLERS_VIEW, F_PROVIDER). */
int
api_resellers(struct req *r)
{
	return partners(r, false);
}

/* GET /api/v1/providers?limit=&cursor=&sort=... — the reseller's active indirect providers
 * (PROVIDERS_VIEW, F_RESELLER); organization_id is the provider's. */
int
api_providers(struct req *r)
{
	return partners(r, true);
}

/* GET /api/v1/agreement — the partner agreement's current version and this organization's
 * acceptance (any credential, as /agreement for any user). */
int
api_agreement(struct req *r)
{
	struct agreement_state a;
	if (agreement_state(r->store, r->a, r->sess->tenant_id, &a) < 0)
		return api_problem(r, 500, NULL);
	return api_send(r, 200, agreement_json(&a));
}

/* GET /api/v1/resellers/MPN_ID/agreement-status — whether one of the provider's resellers,
 * named by an MPN ID of its organization, has accepted the current agreement: signed,
 * version, date (RESELLERS_VIEW, F_PROVIDER). Not one of this provider's active
 * resellers: 404, as for an unknown MPN ID. */
int
api_reseller_agreement(struct req *r)
{
	const char *mpn = arena_printf(r->a, "%lld", (long long)r->id);
	int64_t tenant = api_reseller_by_mpn(r->store, my_provider(r), mpn);
	if (tenant < 0)
		return api_problem(r, 500, NULL);
	if (tenant == 0)
		return api_not_found(r, "reseller mpn", r->id);
	struct agreement_state a;
	if (agreement_state(r->store, r->a, tenant, &a) < 0)
		return api_problem(r, 500, NULL);
	json_t *o = agreement_json(&a);
	json_object_set_new(o, "mpn_id", json_string(mpn));
	return api_send(r, 200, o);
}

static json_t *
invitation_json(struct req *r, const struct reseller_invitation *inv)
{
	enum inv_status state = rel_invitation_state(inv, now_sec());
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)inv->id, "email", inv->email,
	    "message", inv->message, "status", inv_status_key(state), "created_at", (json_int_t)inv->created_at,
	    "sent_at", (json_int_t)inv->sent_at, "expires_at", (json_int_t)inv->expires_at);
	if (state == INV_PENDING)
		json_object_set_new(o, "link", json_string(invite_link(r, inv->id, inv->expires_at)));
	if (inv->accepted_at)
		json_object_set_new(o, "accepted_at", json_integer(inv->accepted_at));
	return o;
}

/* GET /api/v1/reseller-invitations?limit=&cursor= — the provider's invitations, newest
 * first (RESELLERS_INVITE, as the invitation pages). */
int
api_invitations(struct req *r)
{
	static const char *const sorts[] = { "-id" };
	struct api_page p;
	int st = api_page_read(r, sorts, NELEM(sorts), &p);
	if (st)
		return st;
	struct reseller_invitation *v;
	size_t n = 0;
	if (api_invitations_page(r->store, r->a, my_provider(r), p.after, p.limit, &v, &n) < 0)
		return api_problem(r, 500, NULL);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, invitation_json(r, &v[i]));
	json_t *out = json_pack("{s:o}", "items", items);
	api_page_next(r, out, &p, n, n ? v[n - 1].id : 0);
	return api_send(r, 200, out);
}

static json_t *
see_json(struct req *r, const char *text, const char *see)
{
	json_t *o = json_pack("{s:s}", "message", text);
	if (see != NULL)
		json_object_set_new(o, "see", json_string(arena_printf(r->a, "%s%s", r->portal->cfg.base_url, see)));
	return o;
}

int
api_precheck_refused(struct req *r, const char *text, const char *see)
{
	json_t *errors = json_array();
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "email", "message", text));
	if (see != NULL)
		json_object_set_new(json_array_get(errors, 0), "see", json_string(arena_printf(r->a, "%s%s", r->portal->cfg.base_url, see)));
	return api_problem_with(r, 422, text, "errors", errors);
}

int
api_precheck_warned(struct req *r, const char *text, const char *see)
{
	json_t *warnings = json_array();
	json_array_append_new(warnings, see_json(r, text, see));
	return api_problem_with(r, 409, "Checked before sending: see warnings. Send the same request with \"confirm\": true to send it anyway.",
	    "warnings", warnings);
}

int
api_confirmed(struct req *r)
{
	bool bad = false;
	bool yes = api_in_bool(r, "confirm", false, &bad);
	if (!bad)
		return yes;
	json_t *errors = json_array();
	api_field_error(errors, "confirm", "Give confirm as true or false.");
	api_invalid(r, errors);
	return -1;
}

/* POST /api/v1/reseller-invitations — {"email", "message"?, "confirm"?}: invites a reseller
 * (30 days) and emails the link. Checked before sending as the form (issue 13): refused
 * (the address's organization is this one, a customer work account, in another region, or
 * already related) 422 with the sentence; warned (not approved as a reseller yet, agreement
 * not accepted) 409 with the warnings unless "confirm": true. 201 with the invitation (its
 * link included); 409 while a pending invitation to that address exists (resend it
 * instead). RESELLERS_INVITE. */
int
api_invitation_add_post(struct req *r)
{
	bool bad = false;
	const char *email = api_in_str(r, "email", &bad), *message = api_in_str(r, "message", &bad);
	email = email ? str_lower_trim(r->a, email) : NULL;
	json_t *errors = json_array();
	if (email == NULL || strlen(email) > 254 || !email_valid(email))
		api_field_error(errors, "email", "Give an email address like name@example.com.");
	if (bad || (message && (strlen(message) > REL_MESSAGE_MAX * 4 || text_has_control(message, true))))
		api_field_error(errors, "message", "Give the message as text of at most 1000 characters.");
	if (json_array_size(errors) > 0)
		return api_invalid(r, errors);
	json_decref(errors);
	int confirmed = api_confirmed(r);
	if (confirmed < 0)
		return 422;
	int64_t provider = my_provider(r), expires = 0;
	if (tx_begin(r) < 0)
		return api_problem(r, 500, NULL);
	struct inv_precheck pc;
	if (inv_precheck_reseller(r->store, r->a, provider, email, now_sec(), &pc) < 0)
		return api_problem(r, 500, NULL);
	if (pc.level == INVC_REFUSE) {
		audit(r, "invitation.send", email, "refused", "checked before sending");
		return api_precheck_refused(r, pc.text, pc.link);
	}
	if (pc.level == INVC_WARN && !confirmed)
		return api_precheck_warned(r, pc.text, pc.link);
	int64_t id = rel_invite(r->store, provider, email, message ? message : "", 0, now_sec(), &expires);
	if (id < 0)
		return api_problem(r, 500, NULL);
	if (id == 0)
		return api_problem(r, 409, "A pending invitation to this address exists already; resend it instead.");
	if (send_invitation(r, id, email, message ? message : "", expires) < 0)
		return api_problem(r, 500, NULL);
	audit_rel(audit(r, "invitation.send", email, "ok", arena_printf(r->a, "invitation %lld", (long long)id)), TL_RESELLER_INV, id);
	struct reseller_invitation inv;
	const char *why = NULL;
	if (rel_invitation_of(r->store, r->a, id, provider, &inv, &why) != 1)
		return api_problem(r, 500, NULL);
	resp_header(r, "Location", arena_printf(r->a, "/api/v1/reseller-invitations/%lld", (long long)id));
	return api_send(r, 201, invitation_json(r, &inv));
}

/* Resend (act 0) or revoke (act 1) invitation r->id of this provider: 200 with it, 404
 * for another organization's, 409 when it is accepted or revoked. RESELLERS_INVITE. */
static int
invitation_change(struct req *r, int act)
{
	static const char *const actions[] = { "invitation.resend", "invitation.revoke" };
	int64_t provider = my_provider(r), now = now_sec();
	if (tx_begin(r) < 0 || rel_invitations_expire(r->store, provider, now) < 0)
		return api_problem(r, 500, NULL);
	struct reseller_invitation inv;
	const char *why = NULL;
	int found = rel_invitation_of(r->store, r->a, r->id, provider, &inv, &why);
	if (found < 0)
		return api_problem(r, 500, NULL);
	if (found == 0)
		return api_not_found(r, "invitation", r->id);
	int n = act == 0 ? rel_invitation_resend(r->store, &inv, now) : rel_invitation_revoke(r->store, &inv, 0, now);
	if (n < 0)
		return api_problem(r, 500, NULL);
	if (n == 0) {
		audit(r, actions[act], inv.email, "refused", inv_status_key(inv.status));
		return api_problem(r, 409, "The invitation was accepted or revoked already.");
	}
	if (act == 0 && send_invitation(r, inv.id, inv.email, inv.message, inv.expires_at) < 0)
		return api_problem(r, 500, NULL);
	audit_rel(audit(r, actions[act], inv.email, "ok", arena_printf(r->a, "invitation %lld", (long long)inv.id)), TL_RESELLER_INV,
	    inv.id);
	if (rel_invitation_of(r->store, r->a, r->id, provider, &inv, &why) != 1)
		return api_problem(r, 500, NULL);
	return api_send(r, 200, invitation_json(r, &inv));
}

/* POST /api/v1/reseller-invitations/ID/resend — a new expiry and the email again. */
int
api_invitation_resend_post(struct req *r)
{
	return invitation_change(r, 0);
}

/* POST /api/v1/reseller-invitations/ID/revoke — its link stops working. */
int
api_invitation_revoke_post(struct req *r)
{
	return invitation_change(r, 1);
}
