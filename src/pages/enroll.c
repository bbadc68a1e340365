/* page_enroll.c — enrollment as an indirect reseller (SPEC §2.2): the Welcome page, the
 * work-account step, and the legal business profile with `Enroll now`. The "Link your MPN
 * ID" step is in page_mpn.c; the primary contact's verification in page_verify.c; the
 * status machine and the draft in enroll.c. */
#include <string.h>

#include "base/portal.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "base/util.h"

/* Adds ctx.status: where the organization's reseller enrollment stands, for the status view. */
static void
add_status(struct req *r, struct tv *ctx, const struct enroll_state *s)
{
	struct tv *o = tv_obj(ctx, "status");
	tv_set(o, "name", pa_status_key((enum pa_status)s->reseller_status));
	tv_set(o, "label", pa_status_label((enum pa_status)s->reseller_status));
	tv_setb(o, s->reseller_status == PA_PENDING_VERIFICATION ? "pending" : s->reseller_status == PA_IN_REVIEW
	    ? "review" : s->reseller_status == PA_APPROVED ? "approved" : "rejected", true);
	sqlite3_stmt *st = db_q(r->store, Q_PA_FOR_TENANT, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW)
		if (db_i64(st, 0) == s->reseller_id) {
			if (!db_is_null(st, 6))
				tv_set(o, "submitted", fmt_date(r->a, db_i64(st, 6)));
			if (!db_is_null(st, 10))
				tv_set(o, "sent", fmt_datetime(r->a, db_i64(st, 10)));
			if (!db_is_null(st, 8))
				tv_set(o, "decided", fmt_date(r->a, db_i64(st, 8)));
			tv_set(o, "reason", db_text(st, 9));
		}
	sqlite3_reset(st);
	st = db_q(r->store, Q_LEGAL_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		tv_setf(o, "contact", "%s %s", db_text(st, 6), db_text(st, 7));
		tv_set(o, "contact_email", db_text(st, 8));
	}
	sqlite3_reset(st);
}

/* GET /enroll — public. The Welcome page: what to have at hand, button `Next`. An
 * organization that has submitted its enrollment sees where it stands instead. */
int
page_enroll(struct req *r)
{
	struct enroll_state s = { .reseller_status = -1 };
	if (r->sess != NULL && enroll_state_get(r->store, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.reseller_status >= 0 && s.reseller_status != PA_DRAFT) {
		struct tv *ctx = page_ctx(r, "Your enrollment");
		add_status(r, ctx, &s);
		tv_setb(ctx, "may_enroll", perm_allows(PERM_ENROLL, r->sess->roles));
		return page_render(r, 200, "enroll/status", ctx);
	}
	struct tv *ctx = page_ctx(r, "Enroll as an indirect reseller");
	enroll_steps(ctx, 0, s.shortcut);
	tv_setb(ctx, "shortcut", s.shortcut);
	return page_render(r, 200, "enroll/welcome", ctx);
}

/* GET /enroll/account — public. Step 2: sign in with the work account as Global admin, or
 * `Create one` (both come back here). A signed-in Global admin goes on to the next step;
 * anyone else is told who can enroll. */
int
page_enroll_account(struct req *r)
{
	struct enroll_state s = { .reseller_status = -1 };
	if (r->sess == NULL) {
		struct tv *ctx = page_ctx(r, "Sign in to enroll");
		enroll_steps(ctx, 1, false);
		tv_set(ctx, "next", url_encode(r->a, "/enroll/account"));
		return page_render(r, 200, "enroll/account", ctx);
	}
	if (enroll_state_get(r->store, r->sess->tenant_id, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.customer || !perm_allows(PERM_ENROLL, r->sess->roles)) {
		struct tv *ctx = page_ctx(r, "A Global admin must enroll");
		enroll_steps(ctx, 1, s.shortcut);
		tv_setb(ctx, "customer", s.customer);
		audit(r, "enrollment.start", r->sess->email, "refused", s.customer ? "customer organization" : "not a Global admin");
		return page_render(r, 403, "enroll/need-admin", ctx);
	}
	if (s.submitted)
		return resp_redirect(r, "/enroll");
	return resp_redirect(r, s.shortcut ? "/enroll/profile" : "/enroll/mpn");
}

/* The checks every later step shares: a partner organization (not a customer) that has
 * not submitted yet. Returns 0 to go on, else the answer already prepared. */
static int
gate(struct req *r, struct enroll_state *s)
{
	if (enroll_state_get(r->store, r->sess->tenant_id, s) < 0)
		return page_error(r, 500, NULL);
	if (s->customer)
		return page_error(r, 403, "This is a customer organization's work account: customers do not enroll. "
		    "Use Create one to make a work account for your company, then enroll with it.");
	if (s->submitted)
		return resp_redirect(r, "/enroll");
	return 0;
}

/* POST /enroll/mpn/skip — Global admin. Skips "Link your MPN ID" for now (it can be done
 * later under Settings -> Organization profile -> Identifiers). */
int
page_enroll_skip_post(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct draft d;
	if (tx_begin(r) < 0 || draft_load(r->store, r->a, r->sess->tenant_id, &d) < 0)
		return page_error(r, 500, NULL);
	draft_set(r->a, &d, "mpn_skipped", "yes");
	if (draft_save(r->store, r->a, r->sess->tenant_id, &d, now_sec()) < 0)
		return page_error(r, 500, NULL);
	return resp_redirect(r, "/enroll/profile");
}

/* ---- Legal business profile ---- */

/* The form's values when the page opens: the saved profile and support details, then the
 * draft on top (the latest input), else sensible starting values from the signed-in user. */
static void
prefill(struct req *r, struct form *f, const struct draft *d)
{
	sqlite3_stmt *st = db_q(r->store, Q_LEGAL_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		static const char *const cols[] = { "legal_name", "address1", "address2", "city", "state", "postal_code",
		    "contact_first", "contact_last", "contact_email", "contact_phone" };
		for (int i = 0; i < (int)NELEM(cols); i++)
			form_set(f, cols[i], arena_strdup(r->a, db_text(st, i)));
	} else {
		const char *name = r->sess->name, *sp = strrchr(name, ' ');
		form_set(f, "legal_name", r->sess->tenant_name);
		form_set(f, "contact_first", sp ? arena_strndup(r->a, name, (size_t)(sp - name)) : name);
		form_set(f, "contact_last", sp ? sp + 1 : "");
		form_set(f, "contact_email", r->sess->email);
	}
	sqlite3_reset(st);
	st = db_q(r->store, Q_PA_FOR_TENANT, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW)
		if (*db_text(st, 3)) {
			form_set(f, "support_email", arena_strdup(r->a, db_text(st, 3)));
			form_set(f, "support_phone", arena_strdup(r->a, db_text(st, 4)));
			form_set(f, "support_website", arena_strdup(r->a, db_text(st, 5)));
		}
	sqlite3_reset(st);
	for (size_t i = 0; i < f->n; i++) {
		const char *v = draft_get(d, f->fields[i].name);
		if (v != NULL)
			f->value[i] = v;
	}
}

/* Adds ctx.org (name, country) and ctx.legal (the saved profile, read-only for the shortcut)
 * and ctx.mpn (linked MPN IDs). */
static void
add_org(struct req *r, struct tv *ctx)
{
	struct tv *org = tv_obj(ctx, "org");
	sqlite3_stmt *st = db_q(r->store, Q_TENANT_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		tv_set(org, "name", db_text(st, 0));
		tv_set(org, "country", db_text(st, 5));
		tv_set(org, "region", db_text(st, 6));
	}
	sqlite3_reset(st);
	st = db_q(r->store, Q_LEGAL_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW)
		tv_row(tv_obj(ctx, "legal"), st);
	sqlite3_reset(st);
	struct tv *list = tv_list(ctx, "mpn");
	st = db_q(r->store, Q_TENANT_MPNS, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(list);
		tv_set(it, "mpn_id", db_text(st, 0));
		tv_set(it, "company", db_text(st, 1));
	}
	sqlite3_reset(st);
}

static int
profile_form(struct req *r, int status, struct form *f, const struct enroll_state *s, const struct draft *d)
{
	struct tv *ctx = page_ctx(r, s->shortcut ? "Customer support details" : "Legal business profile");
	enroll_steps(ctx, s->shortcut ? 2 : 3, s->shortcut);
	form_to_tv(f, ctx);
	add_org(r, ctx);
	tv_setb(ctx, "shortcut", s->shortcut);
	tv_setb(ctx, "again", s->reseller_status == PA_REJECTED);
	tv_setb(ctx, "mpn_skipped", d != NULL && str_eq(draft_get(d, "mpn_skipped"), "yes"));
	return page_render(r, status, "enroll/profile", ctx);
}

/* GET /enroll/profile — Global admin. Legal business profile: legal name, address (the
 * country is the work account's), primary contact, customer support; `Enroll now`. An
 * organization with an approved partner account is asked only for customer support. */
int
page_enroll_profile(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct draft d;
	if (draft_load(r->store, r->a, r->sess->tenant_id, &d) < 0)
		return page_error(r, 500, NULL);
	struct form f;
	if (s.shortcut)
		form_init(&f, enroll_support_fields, ENROLL_SUPPORT_N);
	else
		form_init(&f, enroll_profile_fields, enroll_profile_nfields);
	prefill(r, &f, &d);
	return profile_form(r, 200, &f, &s, &d);
}

/* POST /enroll/profile — Global admin. The profile fields and action: "back" keeps what was
 * entered in the draft (unchecked) and returns to the previous step; anything else checks
 * every field and submits: the legal profile is saved, the reseller account moves to
 * pending_verification (or, for the shortcut, straight to in_review), and the primary
 * contact is emailed — one transaction. */
int
page_enroll_profile_post(struct req *r)
{
	struct enroll_state s;
	int st = gate(r, &s);
	if (st)
		return st;
	struct form f;
	if (s.shortcut)
		form_read(r, &f, enroll_support_fields, ENROLL_SUPPORT_N);
	else
		form_read(r, &f, enroll_profile_fields, enroll_profile_nfields);
	int64_t tenant = r->sess->tenant_id, now = now_sec();

	if (str_eq(req_form(r, "action"), "back")) {
		struct draft d;
		if (tx_begin(r) < 0 || draft_load(r->store, r->a, tenant, &d) < 0)
			return page_error(r, 500, NULL);
		for (size_t i = 0; i < f.n; i++)
			draft_set(r->a, &d, f.fields[i].name, f.value[i]);
		if (draft_save(r->store, r->a, tenant, &d, now) < 0)
			return page_error(r, 500, NULL);
		return resp_redirect(r, s.shortcut ? "/enroll" : "/enroll/mpn");
	}
	if (f.nerrors > 0) {
		struct draft d;
		draft_load(r->store, r->a, tenant, &d);
		return profile_form(r, 422, &f, &s, &d);
	}

	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	if (enroll_state_get(r->store, tenant, &s) < 0)
		return page_error(r, 500, NULL);
	if (s.submitted)
		return page_error(r, 409, "Your organization's enrollment has already been submitted.");
	if (!s.shortcut) {
		if (db_run(r->store, Q_LEGAL_UPSERT, QI(tenant), QT(form_get(&f, "legal_name")), QT(form_get(&f, "address1")),
		    QT(form_get(&f, "address2")), QT(form_get(&f, "city")), QT(form_get(&f, "state")),
		    QT(form_get(&f, "postal_code")), QT(form_get(&f, "contact_first")), QT(form_get(&f, "contact_last")),
		    QT(form_get(&f, "contact_email")), QT(form_get(&f, "contact_phone")), QNULL, QI(now)) != 1 ||
		    db_run(r->store, Q_LEGAL_SET_VERIFIED, QNULL, QI(tenant)) != 1)
			return page_error(r, 500, NULL);
	}
	int64_t account = s.reseller_id;
	if (account == 0) {
		if (db_run(r->store, Q_PA_INSERT, QI(tenant), QT("indirect_reseller"), QT(form_get(&f, "support_email")),
		    QT(form_get(&f, "support_phone")), QT(form_get(&f, "support_website")), QI(r->sess->user_id), QI(now)) != 1)
			return page_error(r, 500, NULL);
		account = db_last_id(r->store);
	} else if (db_run(r->store, Q_PA_SET_SUPPORT, QT(form_get(&f, "support_email")), QT(form_get(&f, "support_phone")),
	    QT(form_get(&f, "support_website")), QI(r->sess->user_id), QI(account)) != 1) {
		return page_error(r, 500, NULL);
	}
	struct pa_change c;
	const char *why = enroll_apply(r->store, r->a, account, s.shortcut ? PA_IN_REVIEW : PA_PENDING_VERIFICATION, NULL, &c);
	if (why != NULL) {
		audit(r, "enrollment.submit", arena_printf(r->a, "partner account %lld", (long long)account), "refused", why);
		return page_error(r, 409, why);
	}
	const char *link = NULL;
	if (c.to == PA_PENDING_VERIFICATION && (link = enroll_verify_link(r->store, r->a, r->portal->cfg.base_url, account)) == NULL)
		return page_error(r, 500, NULL);
	const char *tmpl;
	struct tv *m = enroll_mail(r->a, &c, link, &tmpl);
	tv_setf(m, "by", "%s (%s)", r->sess->name, r->sess->email);
	if (page_mail(r, c.contact_email, tmpl, m) < 0 || db_run(r->store, Q_DRAFT_DELETE, QI(tenant)) < 0)
		return page_error(r, 500, NULL);
	audit(r, "enrollment.submit", arena_printf(r->a, "partner account %lld", (long long)account), "ok",
	    enroll_change_detail(r->a, &c));
	return resp_redirect(r, "/enroll?m=enroll-submitted");
}
