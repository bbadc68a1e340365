/* page_profile.c — Settings -> Organization profile (SPEC §2.2, §2.4): Legal info (the
 * legal business profile, enrollment status per program, `Resend verification email` while
 * the primary contact is unverified), Identifiers (linked MPN IDs; linking another goes
 * through page_mpn.c), and Program info (program, enrollment status, the partner agreement). */
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "base/util.h"
#include "domain/words.h"

/* The partner account whose verification link the primary contact gets: the indirect
 * reseller account when there is one, else the organization's first account; 0 for none. */
static int64_t
verify_account(struct req *r)
{
	int64_t id = 0;
	sqlite3_stmt *st = db_q(r->store, Q_PA_FOR_TENANT, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW)
		if (id == 0 || str_eq(db_text(st, 1), "indirect_reseller"))
			id = db_i64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Issues a new verification link for account (earlier ones stop working) and queues the
 * email to the primary contact. Caller holds the transaction. 0 or -1. */
static int
send_verification(struct req *r, int64_t account)
{
	struct pa_change c;
	if (enroll_facts(r->store, r->a, account, &c, NULL) < 0)
		return -1;
	const char *link = enroll_verify_link(r->store, r->a, r->portal->cfg.base_url, account);
	if (link == NULL)
		return -1;
	c.to = PA_PENDING_VERIFICATION;		/* the verification email, whatever the status */
	const char *tmpl;
	struct tv *m = enroll_mail(r->a, &c, link, &tmpl);
	tv_setb(m, "resend", true);
	return page_mail(r, c.contact_email, tmpl, m);
}

/* GET /settings/profile — Global admin, Account admin, User admin, Admin agent, Billing
 * admin. The three sections; edit and link controls for those who may edit. */
int
page_profile(struct req *r)
{
	int64_t tenant = r->sess->tenant_id;
	struct tv *ctx = page_ctx(r, "Organization profile");
	bool may_edit = route_allows(r->sess, &routes[R_PROFILE_LEGAL]);
	tv_setb(ctx, "may_edit", may_edit);
	struct tv *org = tv_obj(ctx, "org");
	sqlite3_stmt *st = db_q(r->store, Q_TENANT_GET, QI(tenant));
	if (db_step(st) == SQLITE_ROW) {
		tv_set(org, "name", db_text(st, 0));
		tv_set(org, "domain", db_text(st, 1));
		tv_set(org, "country", db_text(st, 5));
		tv_set(org, "region", db_text(st, 6));
		tv_setb(org, "customer", str_eq(db_text(st, 3), "customer"));
	}
	sqlite3_reset(st);

	bool verified = false;
	st = db_q(r->store, Q_LEGAL_GET, QI(tenant));
	if (db_step(st) == SQLITE_ROW) {
		struct tv *legal = tv_obj(ctx, "legal");
		tv_row(legal, st);
		verified = !db_is_null(st, 10);
		if (verified)
			tv_set(legal, "verified_on", fmt_date(r->a, db_i64(st, 10)));
	}
	sqlite3_reset(st);

	struct tv *programs = tv_list(ctx, "programs");
	bool any = false;
	st = db_q(r->store, Q_PA_FOR_TENANT, QI(tenant));
	while (db_step(st) == SQLITE_ROW) {
		any = true;
		struct tv *p = tv_push(programs);
		int s = pa_status_parse(db_text(st, 2));
		tv_set(p, "type", partner_type_label(partner_type_parse(db_text(st, 1))));
		tv_set(p, "status", pa_status_label((enum pa_status)s));
		tv_set(p, "short", pa_status_short((enum pa_status)s));
		tv_set(p, "tag", s == PA_APPROVED ? "ok" : s == PA_REJECTED ? "err" : "warn");
		tv_set(p, "reason", db_text(st, 9));
		tv_set(p, "support_email", db_text(st, 3));
		tv_set(p, "support_phone", db_text(st, 4));
		tv_set(p, "support_website", db_text(st, 5));
		if (!db_is_null(st, 6))
			tv_set(p, "submitted", fmt_date(r->a, db_i64(st, 6)));
		if (!db_is_null(st, 8))
			tv_set(p, "decided", fmt_date(r->a, db_i64(st, 8)));
		if (!db_is_null(st, 10))
			tv_set(p, "sent", fmt_datetime(r->a, db_i64(st, 10)));
		if (*db_text(st, 3))
			tv_row(tv_obj(ctx, "support"), st);
	}
	sqlite3_reset(st);
	tv_setb(ctx, "may_resend", may_edit && any && tv_get(ctx, "legal") != NULL && !verified);

	struct tv *ids = tv_list(ctx, "mpn");
	st = db_q(r->store, Q_TENANT_MPNS, QI(tenant));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(ids);
		tv_set(it, "mpn_id", db_text(st, 0));
		tv_set(it, "company", db_text(st, 1));
		tv_set(it, "country", db_text(st, 2));
		tv_setb(it, "active", str_eq(db_text(st, 3), "active"));
		tv_set(it, "linked", fmt_date(r->a, db_i64(st, 4)));
	}
	sqlite3_reset(st);

	struct agreement_state ag;
	if (agreement_state(r->store, r->a, tenant, &ag) < 0)
		return page_error(r, 500, NULL);
	struct tv *a = tv_obj(ctx, "agreement");
	tv_setb(a, "available", ag.published);
	tv_setb(a, "signed", ag.accepted);
	tv_set(a, "version", ag.version);
	if (ag.accepted) {
		tv_set(a, "signer", ag.signer_name);
		tv_set(a, "signed_on", fmt_date(r->a, ag.accepted_at));
	}
	tv_setb(a, "can_accept", ag.published && !ag.accepted && route_allows(r->sess, &routes[R_AGREEMENT_POST]));
	return page_render(r, 200, "profile/index", ctx);
}

/* ---- Legal info: edit ---- */

static int
legal_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, "Edit legal info");
	form_to_tv(f, ctx);
	sqlite3_stmt *st = db_q(r->store, Q_TENANT_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW)
		tv_set(ctx, "country", db_text(st, 5));
	sqlite3_reset(st);
	tv_setb(ctx, "has_accounts", verify_account(r) != 0);
	return page_render(r, status, "profile/legal", ctx);
}

/* GET /settings/profile/legal — Global admin, Account admin. The legal business profile,
 * primary contact and customer support details as a form. */
int
page_profile_legal(struct req *r)
{
	struct form f;
	form_init(&f, enroll_profile_fields, enroll_profile_nfields);
	sqlite3_stmt *st = db_q(r->store, Q_LEGAL_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW)
		for (int i = 0; i < 10; i++)
			f.value[i] = arena_strdup(r->a, db_text(st, i));
	sqlite3_reset(st);
	st = db_q(r->store, Q_PA_FOR_TENANT, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW)
		if (*db_text(st, 3)) {
			form_set(&f, "support_email", arena_strdup(r->a, db_text(st, 3)));
			form_set(&f, "support_phone", arena_strdup(r->a, db_text(st, 4)));
			form_set(&f, "support_website", arena_strdup(r->a, db_text(st, 5)));
		}
	sqlite3_reset(st);
	return legal_form(r, 200, &f);
}

/* POST /settings/profile/legal — Global admin, Account admin: the profile fields. Saves the
 * profile and the support details of every program. A new primary contact address must be
 * verified again: it gets a new link (earlier links stop working). */
int
page_profile_legal_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, enroll_profile_fields, enroll_profile_nfields) > 0)
		return legal_form(r, 422, &f);
	int64_t tenant = r->sess->tenant_id, now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	const char *old_email = NULL;
	sqlite3_stmt *st = db_q(r->store, Q_LEGAL_GET, QI(tenant));
	if (db_step(st) == SQLITE_ROW)
		old_email = arena_strdup(r->a, db_text(st, 8));
	sqlite3_reset(st);
	const char *email = form_get(&f, "contact_email");
	bool changed = !str_ieq(old_email, email);
	if (db_run(r->store, Q_LEGAL_UPSERT, QI(tenant), QT(form_get(&f, "legal_name")), QT(form_get(&f, "address1")),
	    QT(form_get(&f, "address2")), QT(form_get(&f, "city")), QT(form_get(&f, "state")),
	    QT(form_get(&f, "postal_code")), QT(form_get(&f, "contact_first")), QT(form_get(&f, "contact_last")),
	    QT(email), QT(form_get(&f, "contact_phone")), QNULL, QI(now)) != 1 ||
	    db_run(r->store, Q_PA_SET_SUPPORT_ALL, QT(form_get(&f, "support_email")), QT(form_get(&f, "support_phone")),
	    QT(form_get(&f, "support_website")), QI(tenant)) < 0)
		return page_error(r, 500, NULL);
	int64_t account = verify_account(r);
	bool sent = changed && account != 0;
	if (sent && send_verification(r, account) < 0)
		return page_error(r, 500, NULL);
	audit(r, "profile.update", "legal info", "ok", changed ? "primary contact changed" : NULL);
	return resp_redirect(r, sent ? "/settings/profile?m=profile-saved-verify" : "/settings/profile?m=profile-saved");
}

/* POST /settings/profile/resend — Global admin, Account admin. A new verification email
 * to the primary contact while they are unverified; earlier links stop working. */
int
page_profile_resend_post(struct req *r)
{
	int64_t account = verify_account(r);
	if (account == 0)
		return page_error(r, 409, "Your organization has not enrolled yet: there is nothing to verify.");
	struct pa_change c;
	bool verified = false;
	if (tx_begin(r) < 0 || enroll_facts(r->store, r->a, account, &c, &verified) < 0)
		return page_error(r, 500, NULL);
	if (verified)
		return page_error(r, 409, "The primary contact has already verified their email address.");
	if (str_empty(c.contact_email))
		return page_error(r, 409, "Fill in the legal info with a primary contact first.");
	if (send_verification(r, account) < 0)
		return page_error(r, 500, NULL);
	audit(r, "enrollment.verify-resend", arena_printf(r->a, "partner account %lld", (long long)account), "ok",
	    c.contact_email);
	return resp_redirect(r, "/settings/profile?m=verification-sent");
}
