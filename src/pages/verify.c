/* page_verify.c — the primary contact's email verification (SPEC §2.2 step 5): the landing
 * page of the emailed link (purpose verify-contact, valid 7 days, single use; a newer link
 * replaces older ones). The contact confirms that (1) they signed up for this account and
 * (2) the address belongs to the company, then `Verify`: the enrollment goes to in_review. */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "domain/link.h"
#include "web/landing.h"
#include "mail/mail.h"
#include "web/page.h"
#include "base/util.h"
#include "domain/words.h"

static const struct field verify_fields[] = {
	{ "confirm_signup", "I signed up for this account", "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "confirm_company", "This email address belongs to the company", "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "t", "Link", "hidden", 128, 0, NULL, NULL, NULL },
};

static int
refused(struct req *r, const char *why)
{
	struct tv *ctx = page_ctx(r, "Verify your email address");
	tv_set(ctx, "problem", why);
	link_forget(r);
	return page_render(r, 400, "enroll/verify-refused", ctx);
}

static int
verify_form(struct req *r, int status, struct form *f, int64_t account)
{
	struct tv *ctx = page_ctx(r, "Verify your email address");
	form_to_tv(f, ctx);
	struct tv *org = tv_obj(ctx, "org");
	sqlite3_stmt *st = db_q(r->store, Q_PA_FACTS, QI(account));
	int64_t tenant = 0;
	if (db_step(st) == SQLITE_ROW) {
		tenant = db_i64(st, 0);
		tv_set(org, "name", db_text(st, 3));
		tv_set(org, "legal_name", db_text(st, 9));
		tv_set(org, "contact_email", db_text(st, 6));
		tv_setf(org, "contact_name", "%s %s", db_text(st, 7), db_text(st, 8));
		tv_set(org, "partner_as", partner_type_noun(partner_type_parse(db_text(st, 1))));
	}
	sqlite3_reset(st);
	st = db_q(r->store, Q_TENANT_GET, QI(tenant));
	if (db_step(st) == SQLITE_ROW) {
		tv_set(org, "domain", db_text(st, 1));
		tv_set(org, "country", db_text(st, 5));
	}
	sqlite3_reset(st);
	st = db_q(r->store, Q_LEGAL_GET, QI(tenant));
	if (db_step(st) == SQLITE_ROW) {
		tv_set(org, "address1", db_text(st, 1));
		tv_set(org, "address2", db_text(st, 2));
		tv_setf(org, "city", "%s %s", db_text(st, 5), db_text(st, 3));
	}
	sqlite3_reset(st);
	return page_render(r, status, "enroll/verify", ctx);
}

/* GET /verify?t=TOKEN — public. Keeps the token, drops it from the address, and shows the
 * organization and the two statements with check boxes and `Verify`. */
int
page_verify(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	int64_t account;
	struct token t;
	const char *text = link_current(r);
	const char *why = link_check(r->store, text, TP_VERIFY_CONTACT, &account, &t);
	if (why != NULL)
		return refused(r, why);
	struct form f;
	form_init(&f, verify_fields, NELEM(verify_fields));
	form_set(&f, "t", text);
	return verify_form(r, 200, &f, account);
}

/* POST /verify — public: t, confirm_signup, confirm_company. Uses up the link (exactly
 * once), marks the contact verified and moves a pending enrollment to in_review, emailing
 * the contact — one transaction. */
int
page_verify_post(struct req *r)
{
	struct form f;
	form_read(r, &f, verify_fields, NELEM(verify_fields));
	int64_t account;
	struct token t;
	const char *why = link_check(r->store, form_get(&f, "t"), TP_VERIFY_CONTACT, &account, &t);
	if (why != NULL)
		return refused(r, why);
	if (f.nerrors > 0)
		return verify_form(r, 422, &f, account);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	sqlite3_stmt *st = db_q(r->store, Q_PA_FACTS, QI(account));
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return refused(r, "This link is not valid. Use the link in the most recent email.");
	}
	int64_t tenant = db_i64(st, 0);
	const char *email = arena_strdup(r->a, db_text(st, 6));
	int status = pa_status_parse(db_text(st, 2));
	sqlite3_reset(st);
	const char *target = arena_printf(r->a, "partner account %lld", (long long)account);
	if (!link_use(r->store, &t)) {
		struct audit_entry *e = audit(r, "enrollment.verify", target, "refused", "link already used");
		if (e != NULL) {
			e->tenant_id = tenant;
			e->actor = email;
			e->actor_id = 0;
		}
		return refused(r, "This link has already been used. Each link works once.");
	}
	if (db_run(r->store, Q_LEGAL_SET_VERIFIED, QI(now_sec()), QI(tenant)) != 1)
		return page_error(r, 500, NULL);
	const char *detail = "contact verified";
	if (status == PA_PENDING_VERIFICATION) {
		struct pa_change c;
		why = enroll_apply(r->store, r->a, account, PA_IN_REVIEW, NULL, &c);
		if (why != NULL)
			return page_error(r, 409, why);
		const char *tmpl;
		struct tv *m = enroll_mail(r->a, &c, NULL, &tmpl);
		if (page_mail(r, c.contact_email, tmpl, m) < 0)
			return page_error(r, 500, NULL);
		detail = enroll_change_detail(r->a, &c);
	}
	struct audit_entry *e = audit(r, "enrollment.verify", target, "ok", detail);
	if (e != NULL) {
		e->tenant_id = tenant;
		e->actor = email;
		e->actor_id = 0;
	}
	link_forget(r);
	return resp_redirect(r, "/verify/done");
}

/* GET /verify/done — public. Thanks, and what happens next. */
int
page_verify_done(struct req *r)
{
	struct tv *ctx = page_ctx(r, "Email address verified");
	return page_render(r, 200, "enroll/verify-done", ctx);
}
