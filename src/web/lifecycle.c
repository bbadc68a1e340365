/* lifecycle.c — see lifecycle.h. */
#include "web/lifecycle.h"
#include "domain/language.h"
#include "base/i18n.h"

#include "base/arena.h"
#include "base/log.h"
#include "base/tmpl.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/customers.h"
#include "domain/delegated.h"
#include "domain/invitations.h"
#include "domain/relationships.h"
#include "domain/zones.h"
#include "mail/mail.h"

/* The template of each step's message. */
static const char *
step_template(enum da_step step)
{
	return step == DA_STEP_REMIND ? "delegated-admin-reminder" : step == DA_STEP_EXTEND ? "delegated-admin-extended"
	    : step == DA_STEP_EXPIRE ? "delegated-admin-expired" : "delegated-admin-request-expired";
}

/* Queues step's message to both organizations (the partner's users who may ask, the other's
 * Global admins); their outbox ids into ids (room for max). How many, or -1. */
static int
notify(const struct portal *p, struct store *s, struct arena *a, const struct da_row *d, enum da_step step, int stage,
    int64_t now, int64_t *ids, int max)
{
	const int64_t side[2] = { d->partner_tenant_id, d->customer_tenant_id };
	const enum perm who[2] = { PERM_DELEGATED_ADMIN_REQUEST, PERM_DELEGATED_ADMIN_APPROVE };
	int n = 0;
	for (int k = 0; k < 2; k++) {
		struct user_list to;
		if (access_recipients(s, a, side[k], who[k], &to) < 0)
			return -1;
		for (size_t i = 0; i < to.n; i++) {
			struct tv *m = tv_new_obj(a);
			tv_set(m, "name", d->name);
			tv_set(m, "partner", d->partner_name);
			tv_set(m, "customer", d->customer_name);
			tv_set(m, "roles", roles_text(a, d->roles));
			tv_seti(m, "days", da_stage_days(stage));
			tv_set(m, "expires", zone_time_for_address(s, a, to.v[i].email,
			    step == DA_STEP_EXTEND ? d->expires_at + (int64_t)DA_EXTEND_DAYS * 86400 : d->expires_at));
			tv_set(m, "when", zone_time_for_address(s, a, to.v[i].email, now));
			tv_setf(m, "rel_link", "%s/delegated-admin/%lld", p->cfg.base_url, (long long)d->id);
			int64_t id = mail_enqueue(s, a, p, to.v[i].email, step_template(step), m);
			if (id < 0)
				return -1;
			if (n < max)
				ids[n++] = id;
		}
	}
	return n;
}

/* Ends a claimed step's write transaction: rolled back when the claim (won < 0), the emails
 * (n < 0) or any statement failed; else committed, then its n queued emails delivered. won
 * (1 this process did the step, 0 another had), or -1. */
static int
step_end(const struct portal *p, struct store *s, int won, int n, const int64_t *ids)
{
	if (won < 0 || n < 0 || store_failed(s)) {
		store_rollback(s);
		store_clear_failure(s);
		return -1;
	}
	if (store_commit(s) < 0) {
		store_clear_failure(s);
		return -1;
	}
	mail_deliver_many(&p->cfg, s, ids, n, NULL);
	return won;
}

/* One relationship's step in its own transaction. 1 done here, 0 nothing (or another
 * process did it), -1. Queued messages are delivered after the commit. */
static int
run_one(const struct portal *p, struct store *s, struct arena *a, const struct da_row *d, int64_t now)
{
	int stage;
	enum da_step step = da_next_step(d, now, &stage);
	if (step == DA_STEP_NONE)
		return 0;
	if (store_begin_write(s) < 0)
		return -1;
	int64_t ids[64];
	int n = 0;
	int won = da_step_claim(s, d, step, stage, now);
	if (won == 1)
		n = notify(p, s, a, d, step, stage, now, ids, (int)NELEM(ids));
	return step_end(p, s, won, n, ids);
}

int
da_lifecycle_run(const struct portal *p, struct store *s, int64_t now)
{
	struct arena a;
	arena_init(&a, 0);
	struct da_list due;
	int done = 0;
	if (da_due(s, &a, now, &due) < 0) {
		store_clear_failure(s);
		arena_free(&a);
		return -1;
	}
	for (size_t i = 0; i < due.n; i++) {
		int r = run_one(p, s, &a, &due.v[i], now);
		if (r < 0)
			log_msg("delegated admin %lld: lifecycle step failed", (long long)due.v[i].id);
		else
			done += r;
	}
	arena_free(&a);
	int reminded = inv_reminders_run(p, s, now);
	return reminded < 0 ? -1 : done + reminded;
}

/* ---- issue 13: one reminder 7 days before an open invitation expires ---- */

/* Queues the reminder of d: to the invited address (a reseller or customer invitation, with
 * its link again: the same token, stateless) or to the asked organization's Global admins (a
 * delegated admin request: its page; the emailed link is single-use). Outbox ids into ids
 * (room for max). How many, or -1. */
static int
remind(const struct portal *p, struct store *s, struct arena *a, const struct inv_due *d, int64_t *ids, int max)
{
	struct tv *m = tv_new_obj(a);
	tv_setb(m, "reseller_kind", d->kind == INV_RESELLER);
	tv_setb(m, "customer_kind", d->kind == INV_CUSTOMER);
	tv_setb(m, "delegated_kind", d->kind == INV_DELEGATED);
	tv_set(m, "from", d->from_name);
	tv_set(m, "also", d->also_name);
	tv_set(m, "name", d->also_name);
	struct user_list to = { 0 };
	struct user_row one = { .email = d->email };
	if (d->kind == INV_DELEGATED) {
		tv_setf(m, "link", "%s/delegated-admin/%lld", p->cfg.base_url, (long long)d->id);
		if (access_recipients(s, a, d->other_tenant, PERM_DELEGATED_ADMIN_APPROVE, &to) < 0)
			return -1;
	} else {
		char *token = d->kind == INV_RESELLER ? rel_invite_token(a, d->id, d->expires_at)
		    : cust_invite_token(a, d->id, d->expires_at);
		if (token == NULL)
			return -1;
		tv_setf(m, "link", "%s/%s?t=%s", p->cfg.base_url, d->kind == INV_RESELLER ? "authorize" : "customer-invite", token);
		to.v = &one;
		to.n = 1;
		/* issue 18: in the language the inviter chose for the invitation (schema 26) */
		tv_set(m, "lang", inv_lang(s, a, d->kind, d->id));
	}
	const char *lang = tv_str(m, "lang");
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	int n = 0;
	for (size_t i = 0; i < to.n; i++) {
		/* Each recipient reads the expiry in their own zone (issue 15). */
		tv_set(m, "expires", zone_time_for_address(s, a, to.v[i].email, d->expires_at));
		int64_t id = mail_enqueue(s, a, p, to.v[i].email, "invitation-reminder", m);
		if (id < 0) {
			i18n_use(was);
			return -1;
		}
		if (n < max)
			ids[n++] = id;
	}
	i18n_use(was);
	return n;
}

/* One reminder in its own transaction: claimed (one conditional UPDATE) and queued together,
 * so with several nodes it is sent once. 1 sent here, 0 another process did, -1. */
static int
remind_one(const struct portal *p, struct store *s, struct arena *a, const struct inv_due *d, int64_t now)
{
	if (store_begin_write(s) < 0)
		return -1;
	int64_t ids[64];
	int n = 0;
	int won = inv_claim_reminder(s, d, now);
	if (won == 1)
		n = remind(p, s, a, d, ids, (int)NELEM(ids));
	return step_end(p, s, won, n, ids);
}

int
inv_reminders_run(const struct portal *p, struct store *s, int64_t now)
{
	struct arena a;
	arena_init(&a, 0);
	int done = 0, rc = 0;
	for (int k = 0; k < INV__KINDS; k++) {
		struct inv_due_list due;
		if (inv_due(s, &a, (enum inv_kind)k, now, &due) < 0) {
			store_clear_failure(s);
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < due.n; i++) {
			int r = remind_one(p, s, &a, &due.v[i], now);
			if (r < 0)
				log_msg("invitation %lld: reminder failed", (long long)due.v[i].id);
			else
				done += r;
		}
	}
	arena_free(&a);
	return rc < 0 ? -1 : done;
}
