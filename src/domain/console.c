/* console.c — see console.h. */
#include "domain/console.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/tz.h"
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
decided_by(struct store *s, struct arena *a, int64_t team, int64_t id, const struct pa_change *c, const char *zone)
{
	struct console_event_list log;
	const char *target = arena_printf(a, "partner account %lld", (long long)id);
	const char *what = pa_status_key(c->from);
	if (team > 0 && st_console_history(s, a, team, "enrollment.%", CONSOLE_HISTORY_MAX, &log) == 0)
		for (size_t i = 0; i < log.n; i++)
			if (strcmp(log.v[i].target, target) == 0 && strcmp(log.v[i].outcome, "ok") == 0 &&
			    (strcmp(log.v[i].action, "enrollment.approve") == 0 || strcmp(log.v[i].action, "enrollment.reject") == 0))
				return arena_printf(a, _("This enrollment was %s by %s at %s while your form was open. Nothing was changed by your form."),
				    what, log.v[i].actor, fmt_datetime_in(a, log.v[i].at, zone, NULL));
	return arena_printf(a, _("This enrollment is now %s: it changed while your form was open. Nothing was changed by your form."),
	    pa_status_label(c->from));
}

int
console_decide(struct store *s, struct arena *a, int64_t team, int64_t id, enum pa_status to, const char *reason,
    enum pa_status seen, struct pa_change *c, const char **why, const char *zone)
{
	int found = enroll_facts(s, a, id, c, NULL);
	if (found < 0)
		return -1;
	if (found == 0) {
		*why = _("There is no enrollment with this number.");
		return 1;
	}
	if (c->from != seen) {
		*why = decided_by(s, a, team, id, c, zone);
		return 1;
	}
	int rc = enroll_apply(s, a, id, to, reason, c, why);
	/* Two reviewers at once (PostgreSQL lets both read before either writes): the loser's
	 * conditional UPDATE moved nothing; say who won, as for a form that was stale already. */
	struct pa_change now;
	if (rc == 1 && enroll_facts(s, a, id, &now, NULL) == 1 && now.from != seen)
		*why = decided_by(s, a, team, id, &now, zone);
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

/* ---- uploads; agreement versions ---- */

int64_t
console_upload_store(struct store *s, int64_t user_id, const char *kind, const char *label, const char *name,
    const char *body, int64_t now)
{
	return st_console_upload_insert(s, user_id, kind, label ? label : "", name ? name : "", body, now,
	    now - CONSOLE_UPLOAD_TTL);
}

int
console_upload_get(struct store *s, struct arena *a, int64_t id, int64_t user_id, const char *kind, int64_t now,
    struct console_upload *out)
{
	int found = st_console_upload_get(s, a, id, user_id, kind, out);
	if (found == 1 && now - out->created_at >= CONSOLE_UPLOAD_TTL)
		return 0;
	return found;
}

int
console_versions(struct store *s, struct arena *a, struct console_version_list *out)
{
	struct agreement_version_list l;
	if (agreement_versions(s, a, &l) < 0)
		return -1;
	out->n = 0;
	out->v = arena_alloc(a, (l.n ? l.n : 1) * sizeof(*out->v));
	if (out->v == NULL)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		out->v[i].v = l.v[i];
		if (st_agreement_title_of(s, a, l.v[i].id, &out->v[i].title) < 0)
			return -1;
		if (out->v[i].title == NULL)
			out->v[i].title = "";
		out->n++;
	}
	return 0;
}

const char *
console_title_problem(const char *title)
{
	if (str_empty(title))
		return _("Enter the title partners see above the text.");
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++)
		chars += (*p & 0xC0) != 0x80;		/* characters, not bytes */
	if (strpbrk(title, "\r\n") != NULL || chars > 200)
		return _("Write the title on one line of at most 200 characters.");
	return NULL;
}

int64_t
console_publish(struct store *s, struct arena *a, int64_t upload_id, const struct console_upload *u, int64_t now,
    const char **why)
{
	char err[256];
	int64_t id = agreement_publish(s, u->label, u->body, now, err, sizeof(err));
	if (id <= 0) {
		*why = arena_strdup(a, err);
		return id;
	}
	if (st_agreement_title_insert(s, id, u->name) < 0 || st_console_upload_delete(s, upload_id) < 0)
		return -1;
	return id;
}

int
console_acceptances(struct store *s, struct arena *a, int64_t id, struct console_version *v, struct acceptance_list *out)
{
	int found = st_agreement_version_get(s, a, id, &v->v);
	if (found <= 0)
		return found;
	if (st_agreement_title_of(s, a, id, &v->title) < 0 || st_agreement_acceptances(s, a, id, out) < 0)
		return -1;
	if (v->title == NULL)
		v->title = "";
	v->v.accepted = (int64_t)out->n;
	return 1;
}

/* ---- the program-wide audit log ---- */

int
console_audit(struct store *s, struct arena *a, const struct console_audit_filter *f, int64_t before,
    struct console_audit_list *out, bool *more)
{
	if (st_console_audit(s, a, f, before, CONSOLE_AUDIT_PAGE + 1, out) < 0)
		return -1;
	*more = out->n > CONSOLE_AUDIT_PAGE;
	if (*more)
		out->n = CONSOLE_AUDIT_PAGE;
	return 0;
}

int
console_date(const char *s, int64_t *out)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int64_t y, m, d;
	char buf[5];
	memcpy(buf, s, 4);
	buf[4] = '\0';
	if (parse_i64(buf, 1970, 9999, &y) < 0)
		return -1;
	memcpy(buf, s + 5, 2);
	buf[2] = '\0';
	if (parse_i64(buf, 1, 12, &m) < 0)
		return -1;
	memcpy(buf, s + 8, 2);
	if (parse_i64(buf, 1, 31, &d) < 0)
		return -1;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	struct tm tm = { .tm_year = (int)y - 1900, .tm_mon = (int)m - 1, .tm_mday = (int)d };
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* ---- the mail outbox ---- */

int
console_outbox(struct store *s, struct arena *a, struct outbox_list *out, int64_t *total)
{
	return st_console_outbox(s, a, CONSOLE_OUTBOX_MAX, out, total);
}

int
console_outbox_pending(struct store *s, int64_t now, int64_t *ids, int max)
{
	return st_outbox_unsent(s, now, ids, max);
}

/* ---- directories import ---- */

const char *
console_file_digest(struct arena *a, const char *text, size_t len)
{
	unsigned char h[32];
	char *hex = arena_alloc(a, 65);
	if (hex == NULL)
		return NULL;
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, len, NULL, 0);
	return sodium_bin2hex(hex, 65, h, sizeof(h));
}

int
console_preview_record(struct store *s, int64_t user_id, const char *kind, const char *digest, int64_t now)
{
	return console_upload_store(s, user_id, kind, digest, "", "", now) > 0 ? 0 : -1;
}

int64_t
console_preview_find(struct store *s, int64_t user_id, const char *kind, const char *digest, int64_t now)
{
	return st_console_upload_find(s, user_id, kind, digest, now - CONSOLE_UPLOAD_TTL + 1);
}

int
console_preview_done(struct store *s, int64_t id)
{
	return st_console_upload_delete(s, id) < 0 ? -1 : 0;
}

/* ---- the program dashboard ---- */

static const struct { const char *key, *title, *unit; } metrics[M__COUNT] = {
	[M_STATUS] = { "status", N_("Reseller enrollments by status"), N_("enrollments") },
	[M_AGE] = { "age", N_("Enrollments waiting (pending verification or in review) by age"), N_("enrollments") },
	[M_APPROVALS] = { "approvals", N_("Approvals per week"), N_("approvals") },
	[M_AGREEMENT] = { "agreement", N_("Approved resellers with and without the current agreement accepted"), N_("resellers") },
	[M_INVITES] = { "invitations", N_("Pending reseller invitations by age"), N_("invitations") },
	[M_RELATIONSHIPS] = { "relationships", N_("Provider-reseller relationships made per week"), N_("relationships") },
};

int
console_metric_parse(const char *key)
{
	for (int m = 0; key != NULL && m < M__COUNT; m++)
		if (strcmp(metrics[m].key, key) == 0)
			return m;
	return -1;
}

/* The count of key k in l (0 when absent). */
static int64_t
count_of(const struct console_count_list *l, int64_t k, const char *sk)
{
	for (size_t i = 0; i < l->n; i++)
		if (sk != NULL ? strcmp(l->v[i].key, sk) == 0 : l->v[i].ikey == k)
			return l->v[i].n;
	return 0;
}

int
console_metric(struct store *s, struct arena *a, enum metric m, int64_t now, struct metric_table *out)
{
	/* Weeks start on a Monday, 00:00 UTC (1970-01-05 was one). */
	int64_t week0 = now - ((now - 4 * 86400) % (7 * 86400) + 7 * 86400) % (7 * 86400) - (DASHBOARD_WEEKS - 1) * 7 * 86400;
	week0 -= week0 % 86400;
	bool weekly = m == M_APPROVALS || m == M_RELATIONSHIPS;
	struct console_count_list l;
	if (st_console_metric(s, a, (int)m, weekly ? week0 : now, &l) < 0)
		return -1;
	/* issue 18: the words in the thread's language (the console's reader's; the CSV's too) */
	*out = (struct metric_table){ .key = metrics[m].key, .title = _(metrics[m].title), .unit = _(metrics[m].unit) };
	static const char *const ages[] = { N_("under 7 days"), N_("7 to 29 days"), N_("30 days or more") };
	static const char *const inv_ages[] = { N_("under 7 days"), N_("7 to 13 days"), N_("14 days or more") };
	size_t n = m == M_STATUS ? PA__COUNT : weekly ? DASHBOARD_WEEKS : m == M_AGREEMENT ? 2 : 3;
	out->v = arena_alloc(a, n * sizeof(*out->v));
	if (out->v == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct metric_row *r = &out->v[i];
		switch (m) {
		case M_STATUS:
			r->label = pa_status_label((enum pa_status)i);
			r->n = count_of(&l, 0, pa_status_key((enum pa_status)i));
			break;
		case M_AGE:
		case M_INVITES:
			r->label = _((m == M_AGE ? ages : inv_ages)[i]);
			r->n = count_of(&l, (int64_t)i, NULL);
			break;
		case M_AGREEMENT:
			r->label = i == 0 ? _("accepted") : _("not accepted");
			r->n = count_of(&l, i == 0 ? 1 : 0, NULL);
			break;
		default:
			r->label = arena_printf(a, _("week of %s"), fmt_date(a, week0 + (int64_t)i * 7 * 86400));
			r->n = count_of(&l, (int64_t)i, NULL);
			break;
		}
		out->total += r->n;
	}
	out->n = n;
	return 0;
}

int64_t
console_org_by_domain(struct store *s, const char *domain)
{
	return st_tenant_by_domain(s, domain);
}
