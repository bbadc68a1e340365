/* delegated.c — see delegated.h. */
#include "domain/delegated.h"

#include <stdio.h>

#include "domain/audit.h"
#include "domain/timeline.h"
#include "domain/webhooks.h"

#include "base/i18n.h"
#include "base/token.h"
#include "domain/access.h"
#include "base/util.h"
#include "domain/link.h"

static const struct {
	const char *code, *text;
} refusals[DA__REFUSALS] = {
	[DA_OK] = { "ok", "" },
	[DA_NOT_RELATED] = { "not related",
		N_("Choose one of your customers or indirect resellers: you can ask only an organization you have an active relationship with.") },
	[DA_NAME_TAKEN] = { "name taken",
		N_("You already have a pending or active delegated admin relationship with this organization under this name. Choose another name.") },
	[DA_NO_ROLES] = { "no roles", N_("Choose at least one role.") },
	[DA_BAD_DURATION] = { "bad duration", N_("Enter a number of days from 1 to 730 (two years).") },
	[DA_GLOBAL_NO_REASON] = { "global admin without reason",
		N_("Global admin gives full control of the organization: say in the message why you need it.") },
	[DA_GLOBAL_AUTO_EXTEND] = { "global admin auto-extend",
		N_("A relationship that includes Global admin is never extended automatically. Untick one of the two.") },
	[DA_NOT_PENDING] = { "not pending", N_("This request has already been answered or withdrawn.") },
	[DA_REQUEST_EXPIRED] = { "request expired",
		N_("This request was not answered within 90 days and has expired. The partner can send it again.") },
	[DA_WRONG_SIDE] = { "wrong side", N_("Only the other organization of this relationship can do this.") },
	[DA_NOT_GLOBAL_ADMIN] = { "not global admin",
		N_("Only a Global admin of the organization asked can approve or decline this request.") },
	[DA_NOT_ACTIVE] = { "not active",
		N_("This delegated admin relationship is not active: it has not been approved yet, or it has ended.") },
	[DA_NOT_ADMIN_AGENT] = { "not admin agent", N_("Only your organization's Admin agents (and Global admins), and members of a user group assigned to this relationship, can act as partner.") },
};

const char *
da_refusal_text(enum da_refusal why)
{
	return why > DA_OK && why < DA__REFUSALS ? _(refusals[why].text) : "";
}

const char *
da_refusal_code(enum da_refusal why)
{
	return why >= 0 && why < DA__REFUSALS ? refusals[why].code : "?";
}

enum da_refusal
da_request_check(const struct da_request *q, const struct da_request_facts *f)
{
	if (f->kind == DAK_NONE || q->other_tenant == q->partner_tenant)
		return DA_NOT_RELATED;
	if (f->name_taken)
		return DA_NAME_TAKEN;
	if (q->days < DA_DAYS_MIN || q->days > DA_DAYS_MAX)
		return DA_BAD_DURATION;
	/* The Global admin bit comes only with its own tick-box. */
	if ((q->roles & ~(unsigned)ROLE_ALL) != 0 || ((q->roles & ROLE_MASK(GLOBAL_ADMIN)) != 0) != q->global_admin)
		return DA_NO_ROLES;
	if (q->roles == 0)
		return DA_NO_ROLES;
	if (q->global_admin && q->auto_extend)
		return DA_GLOBAL_AUTO_EXTEND;
	if (q->global_admin && (q->message == NULL || *q->message == '\0'))
		return DA_GLOBAL_NO_REASON;
	return DA_OK;
}

enum da_state
da_state_at(const struct da_row *d, int64_t now)
{
	if (d->state == DA_PENDING && d->request_expires_at <= now)
		return DA_EXPIRED;
	if (d->state == DA_ACTIVE && d->expires_at <= now)
		return DA_EXPIRED;
	return d->state;
}

bool
da_expiring(const struct da_row *d, int64_t now)
{
	return da_state_at(d, now) == DA_ACTIVE && d->expires_at - now <= (int64_t)DA_EXPIRING_DAYS * 86400;
}

enum da_refusal
da_can(enum da_action act, const struct da_row *d, int64_t tenant, bool global_admin, int64_t now)
{
	bool partner = tenant == d->partner_tenant_id, customer = tenant == d->customer_tenant_id;
	switch (act) {
	case DA_APPROVE:
	case DA_DECLINE:
		if (!customer)
			return DA_WRONG_SIDE;
		if (!global_admin)
			return DA_NOT_GLOBAL_ADMIN;
		if (d->state != DA_PENDING)
			return DA_NOT_PENDING;
		return d->request_expires_at <= now ? DA_REQUEST_EXPIRED : DA_OK;
	case DA_RESEND:
	case DA_WITHDRAW:
		if (!partner)
			return DA_WRONG_SIDE;
		/* an expired request may be sent again (a new 90 days) or withdrawn */
		return d->state != DA_PENDING ? DA_NOT_PENDING : DA_OK;
	case DA_TERMINATE:
		/* either side at any time: the partner's users who may ask, the other's Global admin */
		if (!partner && !customer)
			return DA_WRONG_SIDE;
		if (customer && !global_admin)
			return DA_NOT_GLOBAL_ADMIN;
		return da_state_at(d, now) == DA_ACTIVE ? DA_OK : DA_NOT_ACTIVE;
	}
	return DA_WRONG_SIDE;
}

enum da_refusal
da_can_act(const struct da_row *d, const struct session *s, int64_t now)
{
	return da_may_act(d, s, false, now);
}

enum da_refusal
da_may_act(const struct da_row *d, const struct session *s, bool in_group, int64_t now)
{
	if (s == NULL || s->tenant_id != d->partner_tenant_id)
		return DA_WRONG_SIDE;
	if (!in_group && !perm_allows(PERM_DELEGATED_ADMIN_ACT, s->roles))
		return DA_NOT_ADMIN_AGENT;
	return da_state_at(d, now) == DA_ACTIVE ? DA_OK : DA_NOT_ACTIVE;
}

enum da_refusal
da_acting_decision(struct store *st, const struct da_row *d, const struct session *s, int64_t now, bool *failed)
{
	*failed = false;
	enum da_refusal why = da_may_act(d, s, false, now);
	if (why != DA_NOT_ADMIN_AGENT)
		return why;
	/* not an Admin agent: a member of a group assigned to it? (read only then) */
	int member = st_da_group_member(st, d->id, s->user_id);
	if (member < 0) {
		*failed = true;
		return why;
	}
	return da_may_act(d, s, member == 1, now);
}

int
da_acting_of(struct store *st, struct arena *a, const struct session *s, int64_t now, struct da_acting *out)
{
	int64_t id = s->acting_da_id;	/* read with the session (st_session_load) */
	if (id <= 0)
		return 0;
	struct da_row d;
	int found = st_da_get(st, a, id, &d);
	if (found <= 0)
		return found;
	bool failed;
	enum da_refusal why = da_acting_decision(st, &d, s, now, &failed);
	if (failed)
		return -1;
	*out = (struct da_acting){ .id = d.id, .tenant = d.customer_tenant_id, .tenant_name = d.customer_name,
		.name = d.name, .roles = d.roles, .valid = why == DA_OK,
		.label = arena_printf(a, "%s (%s, delegated admin '%s')", s->name, s->tenant_name, d.name) };
	return out->label != NULL ? 1 : -1;
}

int
da_grants_between(struct store *st, struct arena *a, int64_t partner_tenant, int64_t customer_tenant, int64_t now,
    struct da_list *out)
{
	return st_da_active_between(st, a, partner_tenant, customer_tenant, now, out);
}

int
da_act(struct store *st, int64_t session_id, int64_t da_id)
{
	return st_da_session_set_acting(st, session_id, da_id) < 0 ? -1 : 0;
}

const char *
da_state_label(const struct da_row *d, int64_t now)
{
	static const char *const labels[DA__COUNT] = {
		[DA_PENDING] = N_("Pending"), [DA_ACTIVE] = N_("Active"), [DA_EXPIRED] = N_("Expired"),
		[DA_DECLINED] = N_("Declined"), [DA_WITHDRAWN] = N_("Withdrawn"), [DA_TERMINATED] = N_("Terminated"),
	};
	if (da_expiring(d, now))
		return _("Expiring");
	enum da_state st = da_state_at(d, now);
	return st >= 0 && st < DA__COUNT ? _(labels[st]) : _("Pending");
}

const char *
da_state_tag(const struct da_row *d, int64_t now)
{
	if (da_expiring(d, now))
		return "warn";
	switch (da_state_at(d, now)) {
	case DA_ACTIVE: return "ok";
	case DA_PENDING: return "warn";
	case DA_EXPIRED: return "err";
	default: return "muted";
	}
}

const char *
da_kind_label(enum da_kind k)
{
	return k == DAK_RESELLER ? _("Indirect reseller") : _("Customer");
}

int
da_of(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct da_row *out, const char **why)
{
	int found = st_da_get(s, a, id, out);
	if (found <= 0) {
		*why = "no such delegated admin relationship";
		return found;
	}
	if (out->partner_tenant_id != tenant && out->customer_tenant_id != tenant) {
		*why = "another organization's delegated admin relationship";
		return 0;
	}
	return 1;
}

int
da_get(struct store *s, struct arena *a, int64_t id, struct da_row *out)
{
	return st_da_get(s, a, id, out);
}

int
da_targets(struct store *s, struct arena *a, int64_t partner_tenant, struct da_target_list *out)
{
	return st_da_targets(s, a, partner_tenant, out);
}

int
da_page(struct store *s, struct arena *a, int64_t tenant, int64_t page, struct paging *pg, struct da_list *out)
{
	int64_t total = st_da_count_of(s, tenant);
	if (total < 0)
		return -1;
	*pg = paging_at(total, page, DA_PER_PAGE);
	return st_da_page_of(s, a, tenant, pg->per_page, pg->offset, out);
}

/* Queues webhook event ev about delegated admin relationship id (between the partner's and
 * the customer's organizations; name may be NULL) for both organizations, with extra
 * (stolen; may be NULL) merged into the data. 0 or -1. */
static int
da_webhook(struct store *s, enum webhook_event ev, int64_t id, int64_t partner, int64_t customer, const char *name,
    json_t *extra, int64_t now)
{
	int rc = 0;
	for (int k = 0; k < 2 && rc == 0; k++) {
		json_t *d = json_pack("{s:I, s:I, s:I}", "delegated_admin_id", (json_int_t)id, "partner_organization_id",
		    (json_int_t)partner, "customer_organization_id", (json_int_t)customer);
		if (d != NULL && name != NULL)
			json_object_set_new(d, "name", json_string(name));
		if (d != NULL && extra != NULL)
			json_object_update(d, extra);
		rc = webhook_enqueue(s, k == 0 ? partner : customer, ev, now, d);
	}
	json_decref(extra);
	return rc;
}

int64_t
da_request(struct store *s, const struct da_request *q, int64_t by, int64_t now, int64_t *expires,
    enum da_refusal *why)
{
	struct da_request_facts f = { 0 };
	int kind = st_da_kind(s, q->partner_tenant, q->other_tenant);
	if (kind < 0)
		return -1;
	f.kind = (enum da_kind)kind;
	if (f.kind != DAK_NONE && q->name != NULL) {
		int taken = st_da_name_taken(s, q->partner_tenant, q->other_tenant, q->name);
		if (taken < 0)
			return -1;
		f.name_taken = taken == 1;
	}
	if ((*why = da_request_check(q, &f)) != DA_OK)
		return 0;
	*expires = now + DA_REQUEST_TTL;
	struct da_row r = { .partner_tenant_id = q->partner_tenant, .customer_tenant_id = q->other_tenant,
		.kind = f.kind, .name = q->name, .message = q->message, .roles = q->roles, .global_admin = q->global_admin,
		.auto_extend = q->auto_extend, .duration_days = q->days, .created_at = now, .created_by = by,
		.sent_at = now, .request_expires_at = *expires };
	int64_t id = st_da_insert(s, &r);
	if (id > 0 && da_webhook(s, WH_DA_REQUESTED, id, q->partner_tenant, q->other_tenant, q->name,
	    json_pack("{s:I, s:b, s:i}", "roles", (json_int_t)q->roles, "global_admin", q->global_admin, "days", q->days),
	    now) < 0)
		return -1;
	return id;
}

char *
da_link_token(struct store *s, struct arena *a, int64_t id)
{
	return link_issue(s, a, TP_DELEGATED_ADMIN, id, DA_REQUEST_TTL);
}

int
da_resend(struct store *s, const struct da_row *d, int64_t now, int64_t *expires)
{
	*expires = now + DA_REQUEST_TTL;
	int n = st_da_resend(s, d->id, d->partner_tenant_id, now, *expires);
	return n < 0 ? -1 : n == 1;
}

int
da_withdraw(struct store *s, const struct da_row *d, int64_t by, int64_t now)
{
	int n = st_da_withdraw(s, d->id, d->partner_tenant_id, by, now);
	if (n < 0 || (n == 1 && link_revoke(s, TP_DELEGATED_ADMIN, d->id) < 0))
		return -1;
	return n == 1;
}

int
da_answer(struct store *s, const struct da_row *d, bool approve, int64_t by, int64_t now)
{
	int n = approve ? st_da_approve(s, d->id, d->customer_tenant_id, d->request_expires_at, by, now)
	    : st_da_decline(s, d->id, d->customer_tenant_id, d->request_expires_at, by, now);
	if (n == 1 && approve && da_webhook(s, WH_DA_APPROVED, d->id, d->partner_tenant_id, d->customer_tenant_id, d->name,
	    NULL, now) < 0)
		return -1;
	return n < 0 ? -1 : n == 1;
}

int
da_terminate(struct store *s, const struct da_row *d, int64_t by, int64_t now, const char *reason)
{
	int n = st_da_terminate(s, d->id, by, now, reason);
	if (n == 1 && da_webhook(s, WH_DA_TERMINATED, d->id, d->partner_tenant_id, d->customer_tenant_id, d->name,
	    json_pack("{s:s}", "reason", reason ? reason : ""), now) < 0)
		return -1;
	return n < 0 ? -1 : n == 1;
}

int
da_terminate_pair(struct store *s, int64_t partner_tenant, int64_t customer_tenant, int64_t by, int64_t now,
    const char *reason)
{
	int n = st_da_terminate_pair(s, partner_tenant, customer_tenant, by, now, reason);
	if (n > 0 && da_webhook(s, WH_DA_TERMINATED, 0, partner_tenant, customer_tenant, NULL,
	    json_pack("{s:s, s:i}", "reason", reason ? reason : "", "ended", n), now) < 0)
		return -1;
	return n;
}

static const int stage_days[4] = { 0, 30, 7, 1 };

int
da_stage_days(int stage)
{
	return stage >= 1 && stage <= 3 ? stage_days[stage] : 0;
}

enum da_step
da_next_step(const struct da_row *d, int64_t now, int *stage)
{
	*stage = 0;
	if (d->state == DA_PENDING)
		return d->request_expires_at <= now ? DA_STEP_REQUEST_EXPIRE : DA_STEP_NONE;
	if (d->state != DA_ACTIVE)
		return DA_STEP_NONE;
	if (d->expires_at <= now)
		return d->auto_extend && !d->global_admin ? DA_STEP_EXTEND : DA_STEP_EXPIRE;
	int due = 0;
	for (int s = 1; s <= 3; s++) {
		int64_t t = (int64_t)stage_days[s] * 86400;
		if (d->expires_at - now <= t && d->expires_at - d->approved_at > t)
			due = s;
	}
	if (due > d->reminder_stage) {
		*stage = due;
		return DA_STEP_REMIND;
	}
	return DA_STEP_NONE;
}

int
da_due(struct store *s, struct arena *a, int64_t now, struct da_list *out)
{
	return st_da_due(s, a, now, DA_DUE_BATCH, out);
}

/* issue 13: a step the portal took by itself, in both organizations' logs and on the
 * relationship's timeline (actor "portal"). 0 or -1. */
static int
audit_step(struct store *s, const struct da_row *d, enum da_step step, int stage, int64_t now)
{
	static const char *const actions[] = { [DA_STEP_REQUEST_EXPIRE] = "delegated-admin.request-expire",
		[DA_STEP_REMIND] = "delegated-admin.remind", [DA_STEP_EXPIRE] = "delegated-admin.expire",
		[DA_STEP_EXTEND] = "delegated-admin.extend" };
	char detail[64] = "";
	if (step == DA_STEP_REMIND)
		snprintf(detail, sizeof detail, "%d day%s left", da_stage_days(stage), da_stage_days(stage) == 1 ? "" : "s");
	else if (step == DA_STEP_EXTEND)
		snprintf(detail, sizeof detail, "by %d days", DA_EXTEND_DAYS);
	for (int k = 0; k < 2; k++) {
		char target[256];
		snprintf(target, sizeof target, "%s (delegated admin '%s')", k ? d->partner_name : d->customer_name, d->name);
		struct audit_row row = { .at = now, .tenant_id = k ? d->customer_tenant_id : d->partner_tenant_id,
			.actor = "portal", .action = actions[step], .target = target, .outcome = "ok", .detail = detail,
			.rel_kind = TL_DELEGATED, .rel_id = d->id };
		if (audit_write(s, &row) < 0)
			return -1;
	}
	return 0;
}

int
da_step_claim(struct store *s, const struct da_row *d, enum da_step step, int stage, int64_t now)
{
	int n = 0;
	switch (step) {
	case DA_STEP_NONE: return 0;
	case DA_STEP_REQUEST_EXPIRE: n = st_da_expire_request(s, d->id, now); break;
	case DA_STEP_REMIND: n = st_da_claim_reminder(s, d->id, d->expires_at, stage); break;
	case DA_STEP_EXPIRE: n = st_da_expire(s, d->id, d->expires_at, now); break;
	case DA_STEP_EXTEND:
		n = st_da_extend(s, d->id, d->expires_at, d->expires_at + (int64_t)DA_EXTEND_DAYS * 86400);
		break;
	}
	if (n == 1 && step == DA_STEP_REQUEST_EXPIRE && link_revoke(s, TP_DELEGATED_ADMIN, d->id) < 0)
		return -1;
	if (n == 1 && step == DA_STEP_REMIND && da_webhook(s, WH_DA_EXPIRING, d->id, d->partner_tenant_id,
	    d->customer_tenant_id, d->name, json_pack("{s:I, s:i}", "expires_at", (json_int_t)d->expires_at, "days_left",
	    da_stage_days(stage)), now) < 0)
		return -1;
	if (n == 1 && step == DA_STEP_EXPIRE && da_webhook(s, WH_DA_TERMINATED, d->id, d->partner_tenant_id,
	    d->customer_tenant_id, d->name, json_pack("{s:s}", "reason", "expired"), now) < 0)
		return -1;
	if (n == 1 && audit_step(s, d, step, stage, now) < 0)
		return -1;
	return n < 0 ? -1 : n == 1;
}

_Static_assert(DA_DEFAULT_ROLES == ROLE_MASK(ADMIN_AGENT), "the default relationship is Admin agent's");

const char *
da_default_words(struct arena *a, int64_t now)
{
	return arena_printf(a, _("Admin agent, for 2 years (until %s)"), fmt_date(a, now + DA_DEFAULT_DAYS * 86400LL));
}

int
da_grant_default(struct store *s, int64_t partner_tenant, int64_t customer_tenant, enum da_kind kind, int64_t by,
    int64_t now)
{
	int taken = st_da_name_taken(s, partner_tenant, customer_tenant, DA_DEFAULT_NAME);
	if (taken != 0)
		return taken < 0 ? -1 : 0;
	struct da_row r = { .partner_tenant_id = partner_tenant, .customer_tenant_id = customer_tenant, .kind = kind,
		.name = DA_DEFAULT_NAME, .roles = DA_DEFAULT_ROLES, .duration_days = DA_DEFAULT_DAYS, .created_at = now,
		.created_by = by, .expires_at = now + DA_DEFAULT_DAYS * 86400LL };
	return st_da_insert_active(s, &r) < 0 ? -1 : 1;
}
