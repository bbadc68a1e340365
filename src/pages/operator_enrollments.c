/* operator_enrollments.c — /operator/enrollments: the console's enrollment queue (issue 19,
 * item 2). The queue (filters: status, country; oldest first), one enrollment with what a
 * reviewer checks, and its decisions: Approve, Reject (a reason, emailed to the partner),
 * Resend verification email. The decisions are enroll_apply's (as portalctl approve and
 * reject), behind console_decide, which refuses a form opened before someone else decided.
 * Every decision is in the program team's log (the operator by name) and in the partner's
 * (as "the program team"). */
#include <string.h>

#include "base/util.h"
#include "domain/access.h"
#include "domain/console.h"
#include "domain/operators.h"
#include "domain/words.h"
#include "pages/console_parts.h"
#include "pages/enroll.h"
#include "web/form.h"
#include "web/page.h"
#include "domain/language.h"
#include "base/i18n.h"

#define PROGRAM_TEAM "the program team"

/* GET /operator/enrollments — ?status= (a status key; "any"; default in_review), ?country=
 * (a code; default any). OP_CONSOLE. */
int
page_op_enrollments(struct req *r)
{
	const char *status = req_query(r, "status"), *country = req_query(r, "country");
	if (str_empty(status))
		status = "in_review";
	int want = strcmp(status, "any") == 0 ? PA_NONE : pa_status_parse(status);
	if (want < 0 && strcmp(status, "any") != 0)
		return page_error(r, 400, _("Choose a status from the list."));
	if (!str_empty(country) && (strlen(country) != 2 || check_country(r, country) != NULL))
		return page_error(r, 400, _("Choose a country from the list."));
	struct enrollment_list list;
	if (console_queue(r->store, r->a, want, country, &list) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Enrollments"));
	struct tv *opts = tv_list(ctx, "statuses");
	form_option_tv(opts, "any", _("Any status"), want == PA_NONE);
	for (int s = 0; s < PA__COUNT; s++)
		form_option_tv(opts, pa_status_key((enum pa_status)s), pa_status_label((enum pa_status)s), s == want);
	if (form_countries_tv(r, ctx, NULL, country) < 0)
		return page_error(r, 500, NULL);
	struct tv *rows = tv_list(ctx, "enrollments");
	for (size_t i = 0; i < list.n; i++) {
		const struct enrollment_row *e = &list.v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", e->id);
		tv_set(row, "org", e->org);
		tv_set(row, "domain", e->domain);
		tv_set(row, "country", e->country);
		tv_set(row, "type", partner_type_label(e->type));
		tv_set(row, "status", pa_status_label(e->status));
		tv_set(row, "submitted", e->submitted_at ? page_time(r, e->submitted_at) : "Not submitted");
		tv_set(row, "age", e->submitted_at ? arena_printf(r->a, "%lld days", (long long)((now_sec() - e->submitted_at) / 86400)) : "");
	}
	tv_setb(ctx, "full", list.n >= CONSOLE_QUEUE_MAX);
	return page_render(r, 200, "operator/enrollments", ctx);
}

static const struct field reject_fields[] = {
	{ "reason", N_("Reason (the partner reads it in the email)"), "textarea", 1000, FF_REQUIRED | FF_MULTILINE, NULL,
	  N_("Say what the partner must correct before enrolling again."), NULL },
	{ "seen", "Status shown", "hidden", 40, 0, NULL, NULL, NULL },
};
static const struct field decide_fields[] = {
	{ "seen", "Status shown", "hidden", 40, 0, NULL, NULL, NULL },
};

/* The enrollment's page (status: 200, or a refusal's 409 / the reject form's 422, with
 * refusal shown). rf: the reject form as sent (NULL: empty). */
static int
enrollment_page(struct req *r, int status, struct form *rf, const char *refusal)
{
	struct enrollment_view v;
	int found = console_enrollment(r->store, r->a, r->id, &v);
	if (found <= 0)
		return found < 0 ? page_error(r, 500, NULL) : page_error(r, 404, NULL);
	struct console_viewer_list others = { 0 };
	/* Presence is bookkeeping (like a session's last-seen time): written only by a plain view. */
	if (status == 200 && (tx_begin(r) < 0 ||
	    console_presence(r->store, r->a, r->id, r->sess->user_id, now_sec(), &others) < 0))
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, v.e.org);
	page_crumbs(ctx, "/operator/enrollments", _("Enrollments"), NULL);
	struct tv *e = tv_obj(ctx, "e");
	tv_seti(e, "id", v.e.id);
	tv_set(e, "org", v.e.org);
	tv_set(e, "domain", v.e.domain);
	tv_set(e, "country", v.e.country);
	tv_set(e, "type", partner_type_label(v.e.type));
	tv_set(e, "status", pa_status_label(v.e.status));
	tv_set(e, "status_key", pa_status_key(v.e.status));
	tv_set(e, "submitted", v.e.submitted_at ? page_time(r, v.e.submitted_at) : "Not submitted");
	tv_set(e, "decided", v.e.decided_at ? page_time(r, v.e.decided_at) : NULL);
	tv_set(e, "reject_reason", v.e.reject_reason);
	tv_set(e, "verify_sent", v.e.verify_sent_at ? page_time(r, v.e.verify_sent_at) : NULL);
	tv_set(e, "support_email", v.e.support_email);
	tv_set(e, "support_phone", v.e.support_phone);
	tv_set(e, "support_website", v.e.support_website);
	if (v.has_legal) {
		struct tv *l = tv_obj(ctx, "legal");
		tv_set(l, "legal_name", v.legal.legal_name);
		tv_set(l, "address1", v.legal.address1);
		tv_set(l, "address2", v.legal.address2);
		tv_set(l, "city", v.legal.city);
		tv_set(l, "state", v.legal.state);
		tv_set(l, "postal_code", v.legal.postal_code);
		tv_set(l, "contact", arena_printf(r->a, "%s %s", v.legal.contact_first, v.legal.contact_last));
		tv_set(l, "contact_email", v.legal.contact_email);
		tv_set(l, "contact_phone", v.legal.contact_phone);
		tv_set(l, "verified", v.legal.contact_verified_at ? page_time(r, v.legal.contact_verified_at) : NULL);
	}
	struct tv *mpns = tv_list(ctx, "mpns");
	for (size_t i = 0; i < v.mpns.n; i++) {
		struct tv *m = tv_push(mpns);
		tv_set(m, "mpn_id", v.mpns.v[i].mpn_id);
		tv_set(m, "company", v.mpns.v[i].company_name);
		tv_set(m, "country", v.mpns.v[i].country);
		tv_set(m, "status", v.mpns.v[i].active ? "active" : "inactive");
		tv_setb(m, "country_ok", strcmp(v.mpns.v[i].country, v.e.country) == 0);
		tv_setb(m, "active", v.mpns.v[i].active);
		tv_setb(m, "matches", console_mpn_matches(&v.mpns.v[i], v.e.country));
	}
	console_users_tv(r, ctx, "users", &v.users);
	console_events_tv(r, ctx, "history", &v.history);
	struct tv *viewers = tv_list(ctx, "others");
	for (size_t i = 0; i < others.n; i++) {
		struct tv *o = tv_push(viewers);
		tv_set(o, "name", others.v[i].name);
		tv_set(o, "email", others.v[i].email);
		tv_set(o, "seen", page_time(r, others.v[i].seen_at));
	}
	bool review = route_allows(r->sess, &routes[R_OP_ENROLLMENT_APPROVE_POST]);
	tv_setb(ctx, "may_decide", review && v.e.status == PA_IN_REVIEW);
	tv_setb(ctx, "may_resend", review && v.has_legal && !v.legal.contact_verified_at &&
	    (v.e.status == PA_PENDING_VERIFICATION || v.e.status == PA_IN_REVIEW));
	tv_set(ctx, "refusal", refusal);
	struct form empty;
	if (rf == NULL) {
		form_init(&empty, reject_fields, NELEM(reject_fields));
		rf = &empty;
	}
	form_to_tv(rf, ctx);
	return page_render(r, status, "operator/enrollment", ctx);
}

/* GET /operator/enrollments/# — one enrollment. OP_CONSOLE. */
int
page_op_enrollment(struct req *r)
{
	return enrollment_page(r, 200, NULL, NULL);
}

/* A decision recorded: the operator's entry in the program team's log, and the same as "the
 * program team" in the partner's. */
static void
audit_both(struct req *r, int64_t partner_tenant, const char *action, const char *target, const char *outcome,
    const char *detail)
{
	audit(r, action, target, outcome, detail);
	audit_as(r, partner_tenant, 0, PROGRAM_TEAM, action, target, outcome, detail);
}

/* Approve or reject, for the form (f) that showed the status `seen`. */
static int
decide(struct req *r, enum pa_status to, struct form *f)
{
	const char *action = to == PA_APPROVED ? "enrollment.approve" : "enrollment.reject";
	const char *target = arena_printf(r->a, "partner account %lld", (long long)r->id);
	int seen = pa_status_parse(form_get(f, "seen"));
	int64_t team = r->sess->tenant_id;
	struct pa_change c = { 0 };
	const char *why = NULL;
	if (seen < 0)
		return page_error(r, 400, _("Open the enrollment again and repeat your decision."));
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int rc = console_decide(r->store, r->a, team, r->id, to, str_trim(r->a, form_get(f, "reason")),
	    (enum pa_status)seen, &c, &why, page_zone(r));
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc > 0) {
		if (c.tenant_id == 0)
			return page_not_ours(r, "enrollment", r->id, "no such enrollment");
		audit(r, action, target, "refused", why);
		store_rollback(r->store);
		return enrollment_page(r, 409, to == PA_REJECTED ? f : NULL, why);
	}
	/* issue 18: the contact's email follows the organization's country, its words too */
	const char *lang = tenant_mail_lang(r->store, r->a, c.tenant_id);
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	struct tv *m = enroll_mail_tv(r->a, &c, NULL);
	i18n_use(was);
	tv_set(m, "lang", lang);
	if (page_mail(r, c.contact_email, enroll_mail_template(to), m) < 0)
		return page_error(r, 500, NULL);
	audit_both(r, c.tenant_id, action, target, "ok", enroll_change_detail(r->a, &c));
	return resp_redirect(r, arena_printf(r->a, "/operator/enrollments/%lld?m=%s", (long long)r->id,
	    to == PA_APPROVED ? "enrollment-approved" : "enrollment-rejected"));
}

/* POST /operator/enrollments/#/approve — seen. OP_REVIEW. */
int
page_op_approve_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, decide_fields, NELEM(decide_fields)) > 0)
		return page_error(r, 400, NULL);
	return decide(r, PA_APPROVED, &f);
}

/* POST /operator/enrollments/#/reject — reason, seen. OP_REVIEW. No reason: the page again
 * with the message beside the field (422), nothing written. */
int
page_op_reject_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, reject_fields, NELEM(reject_fields)) > 0)
		return enrollment_page(r, 422, &f, NULL);
	return decide(r, PA_REJECTED, &f);
}

/* POST /operator/enrollments/#/resend — a new verification link to the primary contact
 * (earlier links stop working). OP_REVIEW. */
int
page_op_resend_post(struct req *r)
{
	struct pa_change c;
	bool verified = false;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int found = enroll_facts(r->store, r->a, r->id, &c, &verified);
	if (found <= 0)
		return found < 0 ? page_error(r, 500, NULL) : page_not_ours(r, "enrollment", r->id, "no such enrollment");
	if (verified || str_empty(c.contact_email) || (c.from != PA_PENDING_VERIFICATION && c.from != PA_IN_REVIEW))
		return page_error(r, 409, _("There is nothing to verify: the primary contact has verified their address, or the enrollment is not waiting for it."));
	const char *link = enroll_verify_link(r->store, r->a, r->portal->cfg.base_url, r->id);
	if (link == NULL)
		return page_error(r, 500, NULL);
	c.to = PA_PENDING_VERIFICATION;
	const char *lang = tenant_mail_lang(r->store, r->a, c.tenant_id);	/* issue 18 */
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	struct tv *m = enroll_mail_tv(r->a, &c, link);
	i18n_use(was);
	tv_setb(m, "resend", true);
	tv_set(m, "lang", lang);
	if (page_mail(r, c.contact_email, enroll_mail_template(c.to), m) < 0)
		return page_error(r, 500, NULL);
	audit_both(r, c.tenant_id, "enrollment.verify-resend", arena_printf(r->a, "partner account %lld", (long long)r->id),
	    "ok", c.contact_email);
	return resp_redirect(r, arena_printf(r->a, "/operator/enrollments/%lld?m=verification-resent", (long long)r->id));
}
