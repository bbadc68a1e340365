/* lifecycle.c — see lifecycle.h. */
#include "web/lifecycle.h"

#include "base/arena.h"
#include "base/log.h"
#include "base/tmpl.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/delegated.h"
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
			tv_set(m, "expires", fmt_datetime(a, step == DA_STEP_EXTEND ? d->expires_at + (int64_t)DA_EXTEND_DAYS * 86400
			    : d->expires_at));
			tv_set(m, "when", fmt_datetime(a, now));
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
	if (won < 0 || n < 0 || store_failed(s)) {
		store_rollback(s);
		store_clear_failure(s);
		return -1;
	}
	if (store_commit(s) < 0) {
		store_clear_failure(s);
		return -1;
	}
	for (int i = 0; i < n; i++)
		mail_deliver(&p->cfg, s, ids[i]);
	return won;
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
	return done;
}
