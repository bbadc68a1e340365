/* relationships_bulk.c — the Relationships page's bulk actions (issue 13): tick rows of
 * /relationships (delegated admin relationships, reseller invitations this organization sent)
 * and choose Extend, Terminate or Resend. GET /relationships/bulk/<action>?sel[]=da-12&... is
 * the confirmation: every ticked row with what will change or why it is refused, before
 * anything is written; its form carries the rows it showed (item[]=da-12.<version>). The
 * POST does each row in its own transaction — decided again by the same domain rules as the
 * single action (da_can, the invitation's state, rcb_extend_refusal), refused when the row
 * changed since the confirmation — emails and audits it as the single action does, and
 * answers with the outcome of every row. At most RCB_MAX rows. The dispatcher checked the
 * page's permission (DELEGATED_ADMIN_VIEW), CSRF, and fresh proof for Terminate (F_REAUTH). */
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/delegated.h"
#include "domain/partners.h"
#include "domain/relationships.h"
#include "domain/relcenter.h"
#include "domain/relcenter_bulk.h"
#include "domain/words.h"
#include "domain/timeline.h"
#include "pages/delegated_admin.h"
#include "pages/resellers.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"

static const struct field reason_fields[] = {
	{ "reason", N_("Reason"), "textarea", DA_REASON_MAX, FF_REQUIRED | FF_MULTILINE, NULL,
	  N_("Both organizations see it, in the email and on each relationship. At most 500 characters."), NULL },
};

/* One ticked row: what it is, and what the action does to it or why not. */
struct bulk_row {
	struct rcb_ref ref;
	int64_t version;		/* as read now */
	const char *other, *what;
	const char *change;		/* what the action does (NULL when refused) */
	const char *refused;		/* why not (NULL: allowed) */
	int64_t new_end;		/* Extend */
	struct da_row d;
	struct reseller_invitation inv;
};

static const char *
da_state_words(const struct da_row *d, int64_t now)
{
	return da_state_label(d, now);
}

/* Delegated admin relationship row->ref.id for act at now. 0, or -1 (database). */
static int
decide_da(struct req *r, enum rcb_action act, int64_t now, struct bulk_row *row)
{
	const char *why;
	int found = da_of(r->store, r->a, row->ref.id, r->sess->tenant_id, &row->d, &why);
	if (found <= 0) {
		row->what = arena_printf(r->a, _("Delegated admin relationship %lld"), (long long)row->ref.id);
		row->refused = _("It is not one of your organization's relationships.");
		return found;
	}
	const struct da_row *d = &row->d;
	int64_t tenant = r->sess->tenant_id;
	bool grantor_ga = perm_allows_in(r->sess, PERM_DELEGATED_ADMIN_APPROVE, d->customer_tenant_id);
	row->other = d->partner_tenant_id == tenant ? d->customer_name : d->partner_name;
	row->what = arena_printf(r->a, _("Delegated admin '%s' (%s)"), d->name, da_state_words(d, now));
	row->version = rcb_da_version(d);
	enum da_refusal w = DA_OK;
	switch (act) {
	case RCB_EXTEND:
		row->refused = rcb_extend_refusal(d, tenant, grantor_ga, now, &row->new_end);
		row->change = arena_printf(r->a, _("Ends %s instead of %s."), fmt_date(r->a, row->new_end),
		    fmt_date(r->a, d->expires_at));
		break;
	case RCB_TERMINATE:
		w = da_can(DA_TERMINATE, d, tenant, grantor_ga, now);
		row->change = arena_printf(r->a, _("Ends now: %s can no longer act in %s. Both organizations are emailed."),
		    d->partner_name, d->customer_name);
		break;
	case RCB_RESEND:
		if (!route_allows(r->sess, &routes[R_DA_RESEND_POST]))
			row->refused = _("You may not send delegated admin requests.");
		else
			w = da_can(DA_RESEND, d, tenant, false, now);
		row->change = arena_printf(r->a, _("Sent again to the Global admins of %s, valid for 90 more days."),
		    d->customer_name);
		break;
	default:
		break;
	}
	if (row->refused == NULL && w != DA_OK)
		row->refused = da_refusal_text(w);
	return 0;
}

/* Reseller invitation row->ref.id (this organization's) for act at now. 0 or -1. */
static int
decide_ri(struct req *r, enum rcb_action act, int64_t now, struct bulk_row *row)
{
	row->what = arena_printf(r->a, _("Reseller invitation %lld"), (long long)row->ref.id);
	int64_t provider = 0;
	partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_PROVIDER, &provider);
	const char *why = NULL;
	int found = provider > 0 ? rel_invitation_of(r->store, r->a, row->ref.id, provider, &row->inv, &why) : 0;
	if (found <= 0) {
		row->refused = _("It is not one of your organization's invitations.");
		return found;
	}
	const struct reseller_invitation *inv = &row->inv;
	enum inv_status state = rel_invitation_state(inv, now);
	row->other = inv->email;
	row->what = arena_printf(r->a, _("Reseller invitation to %s (%s)"), inv->email, inv_status_label(state));
	row->version = rcb_ri_version(inv);
	if (act != RCB_RESEND)
		row->refused = act == RCB_EXTEND ? _("Only delegated admin relationships are extended; an invitation is sent again.")
		    : _("Only delegated admin relationships are terminated; revoke an invitation from its own page.");
	else if (!route_allows(r->sess, &routes[R_INVITATION_RESEND_POST]))
		row->refused = _("You may not send reseller invitations.");
	else if (state != INV_PENDING && state != INV_EXPIRED)
		row->refused = _("It was accepted or revoked: it can no longer be sent.");
	row->change = _("Sent again with a new link, valid for 30 days; earlier links stop working.");
	return 0;
}

static int
decide(struct req *r, enum rcb_action act, int64_t now, struct bulk_row *row)
{
	return row->ref.kind == RCB_DA ? decide_da(r, act, now, row) : decide_ri(r, act, now, row);
}

/* refs[*k++] = ref unless refs already names that row (a row ticked twice is done once). */
static void
ref_add(struct rcb_ref *refs, int *k, struct rcb_ref ref)
{
	for (int j = 0; j < *k; j++)
		if (refs[j].kind == ref.kind && refs[j].id == ref.id)
			return;
	refs[(*k)++] = ref;
}

/* The rows named by refs (values of name, with their versions when with_version): n, or -1
 * for a value no form sends (400), or -2 over the cap. */
static int
read_refs(const struct params *p, const char *name, bool with_version, struct rcb_ref *refs)
{
	const char *v[RCB_MAX + 1];
	size_t n = params_all(p, name, v, NELEM(v));
	if (n > RCB_MAX)
		return -2;
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		struct rcb_ref ref;
		if (rcb_ref_parse(v[i], with_version, &ref) < 0)
			return -1;
		ref_add(refs, &k, ref);
	}
	return k;
}

/* The same from one comma-separated list (?rows=da-12,ri-3: where a stale re-authentication
 * comes back to, short enough for its return path): n, -1 or -2 as read_refs. */
static int
read_ref_list(struct req *r, const char *list, struct rcb_ref *refs)
{
	int k = 0;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (k == RCB_MAX)
			return -2;
		struct rcb_ref ref;
		if (rcb_ref_parse(arena_strndup(r->a, p, len), false, &ref) < 0)
			return -1;
		ref_add(refs, &k, ref);
		p += len + (comma != NULL);
		if (comma != NULL && *p == '\0')
			return -1;
	}
	return k;
}

static enum rcb_action
action_of(struct req *r)
{
	const char *p = strrchr(r->path, '/');
	return p && strcmp(p, "/terminate") == 0 ? RCB_TERMINATE : p && strcmp(p, "/resend") == 0 ? RCB_RESEND : RCB_EXTEND;
}

static void
row_tv(struct req *r, struct tv *list, const struct bulk_row *row, const char *outcome, bool ok)
{
	struct tv *o = tv_push(list);
	static const char *const refs[] = { "", "da", "ri" };
	tv_set(o, "ref", arena_printf(r->a, "%s-%lld", refs[row->ref.kind], (long long)row->ref.id));
	tv_set(o, "other", row->other ? row->other : "–");
	tv_set(o, "what", row->what);
	tv_set(o, "outcome", outcome);
	tv_setb(o, "ok", ok);
}

/* The page's frame: title, trail, the action's words. */
static struct tv *
bulk_ctx(struct req *r, enum rcb_action act, const char *title)
{
	struct tv *ctx = page_ctx(r, title);
	page_crumbs(ctx, "/relationships", _("Relationships"), NULL);
	tv_set(ctx, "action", rcb_action_key(act));
	tv_set(ctx, "label", rcb_action_label(act));
	tv_setb(ctx, "terminate", act == RCB_TERMINATE);
	tv_seti(ctx, "max", RCB_MAX);
	return ctx;
}

/* A problem with the ticked rows themselves (none, too many): the page with the sentence. */
static int
bulk_problem(struct req *r, enum rcb_action act, int status, const char *problem)
{
	struct tv *ctx = bulk_ctx(r, act, arena_printf(r->a, _("%s relationships"), rcb_action_label(act)));
	tv_set(ctx, "problem", problem);
	return page_render(r, status, "relationships/bulk", ctx);
}

static const char *
too_many(struct req *r)
{
	return arena_printf(r->a, _("A bulk action takes at most %d rows. Filter the list or tick fewer rows, then try again."),
	    RCB_MAX);
}

/* The confirmation of act for refs (n of them): what will change, what is refused and why. */
static int
confirm_page(struct req *r, enum rcb_action act, int status, const struct rcb_ref *refs, int n, struct form *f)
{
	int64_t now = now_sec();
	struct tv *ctx = bulk_ctx(r, act, arena_printf(r->a, _("%s relationships?"), rcb_action_label(act)));
	struct tv *rows = tv_list(ctx, "rows");
	struct tv *items = tv_list(ctx, "items");
	/* where a stale re-authentication of the POST comes back to: this confirmation of the
	 * rows it would change (the dispatcher takes only this path with a query) */
	struct buf back;
	buf_init(&back, r->a);
	buf_printf(&back, "%s", r->path);
	int will = 0;
	for (int i = 0; i < n; i++) {
		struct bulk_row row = { .ref = refs[i] };
		if (decide(r, act, now, &row) < 0)
			return page_error(r, 500, NULL);
		row_tv(r, rows, &row, row.refused ? row.refused : row.change, row.refused == NULL);
		if (row.refused == NULL) {
			struct tv *it = tv_push(items);
			tv_set(it, "value", arena_printf(r->a, "%s-%lld.%lld", row.ref.kind == RCB_DA ? "da" : "ri",
			    (long long)row.ref.id, (long long)row.version));
			buf_printf(&back, "%s%s-%lld", will ? "," : "?rows=", row.ref.kind == RCB_DA ? "da" : "ri",
			    (long long)row.ref.id);
			will++;
		}
	}
	tv_seti(ctx, "will", will);
	tv_seti(ctx, "refused", n - will);
	tv_set(ctx, "button", arena_printf(r->a, "%s %d %s", rcb_action_label(act), will, will == 1 ? "row" : "rows"));
	tv_set(ctx, "reauth_back", back.failed ? r->path : back.p);
	form_to_tv(f, ctx);
	return page_render(r, status, "relationships/bulk", ctx);
}

/* The answer when read_refs found no rows to act on (n: its -1, -2 or 0). */
static int
refs_refused(struct req *r, enum rcb_action act, int n)
{
	if (n == -1)
		return page_error(r, 400, NULL);
	if (n == -2)
		return bulk_problem(r, act, 400, too_many(r));
	return bulk_problem(r, act, 400, _("Tick the rows to act on first: none was ticked."));
}

/* GET /relationships/bulk/extend|terminate|resend?sel[]=da-ID|ri-ID... — the confirmation.
 * Writes nothing. */
int
page_rc_bulk(struct req *r)
{
	enum rcb_action act = action_of(r);
	struct rcb_ref refs[RCB_MAX];
	const char *list = req_query(r, "rows");
	int n = list != NULL && *list ? read_ref_list(r, list, refs) : read_refs(&r->query, "sel[]", false, refs);
	if (n <= 0)
		return refs_refused(r, act, n);
	struct form f;
	form_init(&f, reason_fields, NELEM(reason_fields));
	return confirm_page(r, act, 200, refs, n, &f);
}

/* Tells both organizations of d that the signed-in user extended it from was to its new end:
 * the partner's users who may ask for delegated admin and the customer's Global admins, as
 * the lifecycle's own extension does, each in their language and time zone. 0 or -1. */
static int
notify_extended(struct req *r, const struct da_row *d, int64_t was)
{
	return da_page_notify_both(r, d, "delegated-admin-extended-by", was);
}

/* Does act to row (decided in this transaction at now, still as confirmed): 1 done, 0
 * refused (row->refused), -1. */
static int
apply(struct req *r, enum rcb_action act, int64_t now, const char *reason, struct bulk_row *row)
{
	int64_t expires = 0;
	int n = 0;
	struct da_row *d = &row->d;
	switch (act) {
	case RCB_EXTEND:
		n = rcb_extend(r->store, d, row->new_end, now);
		if (n == 1) {
			int64_t was = d->expires_at;
			da_page_audit_both(r, d, "delegated-admin.extend", "ok", arena_printf(r->a, "until %s (was %s)",
			    fmt_date(r->a, row->new_end), fmt_date(r->a, was)));
			d->expires_at = row->new_end;
			if (notify_extended(r, d, was) < 0)
				return -1;
		}
		break;
	case RCB_TERMINATE: {
		const char *unused;
		n = da_terminate(r->store, d, r->sess->user_id, now, reason);
		if (n == 1 && (da_of(r->store, r->a, d->id, r->sess->tenant_id, d, &unused) != 1 ||
		    da_page_notify_terminated(r, d) < 0))
			return -1;
		if (n == 1)
			da_page_audit_both(r, d, "delegated-admin.terminate", "ok", d->end_reason);
		break;
	}
	case RCB_RESEND:
		if (row->ref.kind == RCB_DA) {
			n = da_resend(r->store, d, now, &expires);
			if (n == 1) {
				d->request_expires_at = expires;
				d->sent_at = now;
				if (da_page_send_request(r, d) < 0)
					return -1;
				da_page_audit_both(r, d, "delegated-admin.resend", "ok", NULL);
			}
		} else {
			n = rel_invitation_resend(r->store, &row->inv, now);
			if (n == 1) {
				if (send_invitation(r, row->inv.id, row->inv.email, row->inv.message, row->inv.expires_at) < 0)
					return -1;
				audit_rel(audit(r, "invitation.resend", row->inv.email, "ok",
				    arena_printf(r->a, "invitation %lld", (long long)row->inv.id)), TL_RESELLER_INV, row->inv.id);
			}
		}
		break;
	default:
		break;
	}
	if (n == 0)
		row->refused = _("It changed meanwhile: nothing was done.");
	return n < 0 ? -1 : n;
}

/* What the outcome of a row that was done says. */
static const char *
done_words(struct req *r, enum rcb_action act, const struct bulk_row *row)
{
	switch (act) {
	case RCB_EXTEND: return arena_printf(r->a, _("Extended: it ends %s."), fmt_date(r->a, row->new_end));
	case RCB_TERMINATE: return _("Terminated. Both organizations were emailed.");
	default: return row->ref.kind == RCB_DA ? _("Sent again.") : arena_printf(r->a, _("Sent again: the link is valid until %s."),
	    fmt_date(r->a, row->inv.expires_at));
	}
}

/* One row in its own transaction: decided again, compared with what the confirmation
 * showed, done (or refused, audited). Sets *outcome and *ok. 0, or -1 (database). */
static int
one_row(struct req *r, enum rcb_action act, const char *reason, struct bulk_row *row, const char **outcome, bool *ok)
{
	int64_t now = now_sec(), confirmed = row->ref.version;
	int mark = r->nmail;
	*ok = false;
	if (tx_begin(r) < 0 || decide(r, act, now, row) < 0) {
		tx_step_end(r, false, mark);
		return -1;
	}
	/* a row found and changed since the confirmation: that is the reason, whatever else now applies */
	if (row->version != 0 && row->version != confirmed)
		row->refused = _("It changed since you confirmed: nothing was done. Look at it again.");
	int done = row->refused == NULL ? apply(r, act, now, reason, row) : 0;
	if (done < 0) {
		tx_step_end(r, false, mark);
		return -1;
	}
	if (done == 0)
		audit(r, arena_printf(r->a, "relationships.bulk-%s", rcb_action_key(act)), row->what, "refused", row->refused);
	if (tx_step_end(r, done == 1, mark) < 0)
		return -1;
	*ok = done == 1;
	*outcome = *ok ? done_words(r, act, row) : row->refused;
	return 0;
}

/* POST /relationships/bulk/extend|terminate|resend — item[]=da-ID.VERSION|ri-ID.VERSION (the
 * rows the confirmation showed), reason (Terminate). Each row in its own transaction; the
 * answer lists every row's outcome. */
int
page_rc_bulk_post(struct req *r)
{
	enum rcb_action act = action_of(r);
	struct rcb_ref refs[RCB_MAX];
	int n = read_refs(&r->form, "item[]", true, refs);
	if (n <= 0)
		return refs_refused(r, act, n);
	struct form f;
	int errors = form_read(r, &f, reason_fields, NELEM(reason_fields));
	if (act == RCB_TERMINATE && errors > 0)
		return confirm_page(r, act, 422, refs, n, &f);
	const char *reason = act == RCB_TERMINATE ? form_get(&f, "reason") : NULL;
	struct tv *ctx = bulk_ctx(r, act, arena_printf(r->a, _("%s relationships: the outcome"), rcb_action_label(act)));
	tv_setb(ctx, "result", true);
	struct tv *rows = tv_list(ctx, "rows");
	int done = 0;
	for (int i = 0; i < n; i++) {
		struct bulk_row row = { .ref = refs[i] };
		const char *outcome = NULL;
		bool ok;
		if (one_row(r, act, reason, &row, &outcome, &ok) < 0) {
			/* rows before it are done (each committed); this one and the rest are not */
			log_msg("rid=%s bulk %s stopped at %s-%lld", r->rid, rcb_action_key(act),
			    row.ref.kind == RCB_DA ? "da" : "ri", (long long)row.ref.id);
			return page_error(r, 500, NULL);
		}
		row_tv(r, rows, &row, outcome, ok);
		done += ok;
	}
	tv_seti(ctx, "done", done);
	tv_seti(ctx, "refused", n - done);
	return page_render(r, 200, "relationships/bulk", ctx);
}
