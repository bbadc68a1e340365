/* console.c — see console.h. */
#include "domain/console.h"

#include <string.h>

#include "base/util.h"
#include "domain/access.h"
#include "domain/operators.h"
#include "domain/partners.h"
#include "domain/relationships.h"
#include "domain/words.h"

int
console_queue(struct store *s, struct arena *a, int status, const char *country, struct enrollment_list *out)
{
	const char *st = status == PA_NONE ? "" : pa_status_key((enum pa_status)status);
	return st_console_queue(s, a, st ? st : "", country ? country : "", CONSOLE_QUEUE_MAX, out);
}

int
console_enrollment(struct store *s, struct arena *a, int64_t id, struct enrollment_view *out)
{
	memset(out, 0, sizeof(*out));
	int found = st_console_enrollment(s, a, id, &out->e);
	if (found <= 0)
		return found;
	int legal = st_legal_get(s, a, out->e.tenant_id, &out->legal);
	if (legal < 0)
		return -1;
	out->has_legal = legal == 1;
	if (st_console_mpns(s, a, out->e.tenant_id, &out->mpns) < 0 ||
	    access_recipients(s, a, out->e.tenant_id, PERM_SIGNED_IN, &out->users) < 0 ||
	    st_console_history(s, a, out->e.tenant_id, "enrollment.%", CONSOLE_HISTORY_MAX, &out->history) < 0)
		return -1;
	return 1;
}

bool
console_mpn_matches(const struct console_mpn *m, const char *country)
{
	return m->active && country != NULL && strcmp(m->country, country) == 0;
}

int
console_presence(struct store *s, struct arena *a, int64_t id, int64_t user_id, int64_t now,
    struct console_viewer_list *others)
{
	if (st_console_seen(s, id, user_id, now) < 0)
		return -1;
	return st_console_others(s, a, id, user_id, now - CONSOLE_PRESENCE_WINDOW, others);
}

/* "approved by ada@example.com on 1 Dec 2026, 03:40 UTC", from the program team's log. */
static const char *
decided_by(struct store *s, struct arena *a, int64_t team, int64_t id, const struct pa_change *c)
{
	struct console_event_list log;
	const char *target = arena_printf(a, "partner account %lld", (long long)id);
	const char *what = pa_status_key(c->from);
	if (team > 0 && st_console_history(s, a, team, "enrollment.%", CONSOLE_HISTORY_MAX, &log) == 0)
		for (size_t i = 0; i < log.n; i++)
			if (strcmp(log.v[i].target, target) == 0 && strcmp(log.v[i].outcome, "ok") == 0 &&
			    (strcmp(log.v[i].action, "enrollment.approve") == 0 || strcmp(log.v[i].action, "enrollment.reject") == 0))
				return arena_printf(a, "This enrollment was %s by %s at %s while your form was open. Nothing was changed by your form.",
				    what, log.v[i].actor, fmt_datetime(a, log.v[i].at));
	return arena_printf(a, "This enrollment is now %s: it changed while your form was open. Nothing was changed by your form.",
	    pa_status_label(c->from));
}

int
console_decide(struct store *s, struct arena *a, int64_t team, int64_t id, enum pa_status to, const char *reason,
    enum pa_status seen, struct pa_change *c, const char **why)
{
	int found = enroll_facts(s, a, id, c, NULL);
	if (found < 0)
		return -1;
	if (found == 0) {
		*why = "There is no enrollment with this number.";
		return 1;
	}
	if (c->from != seen) {
		*why = decided_by(s, a, team, id, c);
		return 1;
	}
	int rc = enroll_apply(s, a, id, to, reason, c, why);
	/* Two reviewers at once (PostgreSQL lets both read before either writes): the loser's
	 * conditional UPDATE moved nothing; say who won, as for a form that was stale already. */
	struct pa_change now;
	if (rc == 1 && enroll_facts(s, a, id, &now, NULL) == 1 && now.from != seen)
		*why = decided_by(s, a, team, id, &now);
	return rc;
}

/* ---- partners ---- */

int
console_partners(struct store *s, struct arena *a, const char *q, const char *country, struct console_partner_list *out)
{
	return st_console_partners(s, a, q ? q : "", country ? country : "", CONSOLE_PARTNERS_MAX, out);
}

/* The first partner account of type t in l (0: none). */
static int64_t
account_of(const struct partner_account_list *l, enum partner_type t)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == t)
			return l->v[i].id;
	return 0;
}

int
console_partner(struct store *s, struct arena *a, int64_t tenant, struct partner_view *out)
{
	memset(out, 0, sizeof(*out));
	int64_t team = 0;
	if (operator_team(s, a, &team) < 0)
		return -1;
	if (tenant == team)
		return 0;		/* the program team is no partner */
	int found = tenant_get(s, a, tenant, &out->t);
	if (found <= 0)
		return found;
	if (partner_accounts(s, a, tenant, &out->accounts) < 0 || agreement_state(s, a, tenant, &out->agreement) < 0)
		return -1;
	int64_t provider = account_of(&out->accounts, PT_INDIRECT_PROVIDER);
	int64_t reseller = account_of(&out->accounts, PT_INDIRECT_RESELLER);
	if ((provider && rel_all(s, a, provider, 0, &out->as_provider) < 0) ||
	    (reseller && rel_all(s, a, 0, reseller, &out->as_reseller) < 0))
		return -1;
	out->customers = st_console_customers(s, tenant);
	if (out->customers < 0 || access_recipients(s, a, tenant, PERM_SIGNED_IN, &out->users) < 0 ||
	    st_console_history(s, a, tenant, "%", CONSOLE_AUDIT_RECENT, &out->audit) < 0)
		return -1;
	return 1;
}

int
console_end_relationship(struct store *s, struct arena *a, int64_t id, const char *why, int64_t now,
    struct partner *provider, struct partner *reseller)
{
	int64_t p = 0, r = 0;
	int found = st_console_rel_sides(s, id, &p, &r);
	if (found <= 0)
		return found < 0 ? -1 : 1;
	if (partner_get(s, a, p, provider) != 1 || partner_get(s, a, r, reseller) != 1)
		return -1;
	int ended = rel_end(s, id, why, now);
	return ended < 0 ? -1 : ended ? 0 : 1;
}
