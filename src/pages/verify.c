/* verify.c — the primary contact's email verification (SPEC §2.2 step 5): the landing
 * page of the emailed link (purpose verify-contact, valid 7 days, single use; a newer link
 * replaces older ones). The contact confirms that (1) they signed up for this account and
 * (2) the address belongs to the company, then `Verify`: the enrollment goes to in_review. */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/enroll.h"
#include "domain/link.h"
#include "domain/partners.h"
#include "domain/words.h"
#include "pages/enroll.h"
#include "web/form.h"
#include "web/http.h"
#include "web/landing.h"
#include "web/page.h"

static const struct field verify_fields[] = {
	{ "confirm_signup", N_("I signed up for this account"), "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "confirm_company", N_("This email address belongs to the company"), "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
};

static int
refused(struct req *r, const char *why)
{
	struct tv *ctx = page_ctx(r, _("Verify your email address"));
	tv_set(ctx, "problem", why);
	link_forget(r);
	return page_render(r, 400, "enroll/verify-refused", ctx);
}

static int
verify_form(struct req *r, int status, struct form *f, int64_t account)
{
	struct tv *ctx = page_ctx(r, _("Verify your email address"));
	form_to_tv(f, ctx);
	struct tv *org = tv_obj(ctx, "org");
	struct pa_change c;
	struct tenant_row t;
	struct legal_profile l;
	int found = enroll_facts(r->store, r->a, account, &c, NULL);
	int has_tenant = found == 1 ? tenant_get(r->store, r->a, c.tenant_id, &t) : 0;
	int has_legal = found == 1 ? enroll_legal_get(r->store, r->a, c.tenant_id, &l) : 0;
	if (found < 0 || has_tenant < 0 || has_legal < 0)
		return page_error(r, 500, NULL);
	if (found == 1) {
		tv_set(org, "name", c.org);
		tv_set(org, "legal_name", c.legal_name);
		tv_set(org, "contact_email", c.contact_email);
		tv_set(org, "contact_name", c.contact_name);
		tv_set(org, "partner_as", partner_type_noun(c.type));
	}
	if (has_tenant == 1) {
		tv_set(org, "domain", t.domain);
		tv_set(org, "country", t.country.name);
	}
	if (has_legal == 1) {
		tv_set(org, "address1", l.address1);
		tv_set(org, "address2", l.address2);
		tv_setf(org, "city", "%s %s", l.postal_code, l.city);
	}
	return page_render(r, status, "enroll/verify", ctx);
}

/* The audit entry of the contact's action: by them (not signed in), in their organization. */
static void
audit_contact(struct req *r, const struct pa_change *c, const char *outcome, const char *detail)
{
	audit_as(r, c->tenant_id, 0, c->contact_email, "enrollment.verify",
	    arena_printf(r->a, "partner account %lld", (long long)c->account_id), outcome, detail);
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
	struct pa_change facts, c;
	int found;
	if (tx_begin(r) < 0 || (found = enroll_facts(r->store, r->a, account, &facts, NULL)) < 0)
		return page_error(r, 500, NULL);
	if (found == 0)
		return refused(r, _("This link is not valid. Use the link in the most recent email."));
	if (!link_use(r->store, &t)) {
		audit_contact(r, &facts, "refused", "link already used");
		return refused(r, _("This link has already been used. Each link works once."));
	}
	int rc = enroll_contact_verified(r->store, r->a, &facts, &c, &why);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc > 0)
		return page_error(r, 409, why);
	const char *detail = "contact verified";
	if (c.to != c.from) {
		if (page_mail(r, c.contact_email, enroll_mail_template(c.to), enroll_mail_tv(r->a, &c, NULL)) < 0)
			return page_error(r, 500, NULL);
		detail = enroll_change_detail(r->a, &c);
	}
	audit_contact(r, &facts, "ok", detail);
	link_forget(r);
	/* The thanks are for this browser, which used the link (issue 15, item 12): anyone else
	 * opening /verify/done is not told that an address was verified. */
	resp_cookie(r, "vdone", "1", "/verify/done", 600);
	return resp_redirect(r, "/verify/done");
}

/* GET /verify/done — public. Thanks, and what happens next, for the browser that has just
 * verified (its short-lived cookie); anyone else is told how verifying works. */
int
page_verify_done(struct req *r)
{
	bool done = str_eq(params_get(&r->cookies, "vdone"), "1");
	struct tv *ctx = page_ctx(r, done ? _("Email address verified") : _("Verify your email address"));
	tv_setb(ctx, "done", done);
	if (done)
		resp_cookie(r, "vdone", "", "/verify/done", 0);
	return page_render(r, 200, "enroll/verify-done", ctx);
}
