/* signup.c — /signup: "Create one", a new organization (tenant) with its first Global
 * admin. SPEC §2.1. Create one is confirmed by email (issue 12, item 9): the form creates
 * nothing; an address without an account gets a link to /signup/confirm that creates the
 * organization and signs its Global admin in, an address with an account gets an email
 * saying so, and the visitor sees the same "check your email" page either way, so that
 * Create one tells nobody which addresses have accounts. A customer's Create one
 * (customer_invite.c) goes the same way and accepts its invitation on confirmation. */
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/accounts.h"
#include "domain/throttle.h"
#include "pages/customers.h"
#include "pages/signin.h"
#include "web/form.h"
#include "web/landing.h"
#include "web/page.h"

static const struct field signup_fields[] = {
	{ "org", N_("Organization name"), "text", 200, FF_REQUIRED, NULL, N_("Your company's name as your users should see it."), "organization" },
	{ "domain", N_("Primary domain"), "text", 253, FF_REQUIRED | FF_LOWER, check_domain, N_("The domain your organization uses, like contoso.com. One work account per domain."), NULL },
	{ "country", N_("Country or region"), "select", 2, FF_REQUIRED, check_country, N_("Where your company is legally located. It decides your CSP region and cannot be changed later."), NULL },
	{ "name", N_("Your name"), "text", 100, FF_REQUIRED, NULL, NULL, "name" },
	{ "email", N_("Your email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email, N_("You will sign in with it, as this organization's Global admin. We send a link to it to finish."), "email" },
	{ "password", N_("Password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, N_("At least 12 characters. Any characters, including spaces, are fine."), "new-password" },
	{ "password2", N_("Confirm password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "next", N_("Next"), "hidden", 1024, 0, NULL, NULL, NULL },
};

static int
signup_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, _("Create a work account"));
	form_to_tv(f, ctx);
	if (form_countries_tv(r, ctx, NULL, form_get(f, "country")) < 0)
		return page_error(r, 500, NULL);
	tv_set(ctx, "next", form_get(f, "next"));
	return page_render(r, status, "account/signup", ctx);
}

/* GET /signup — Create one: a new organization (tenant) and its first Global admin (a
 * signed-in user goes to next, or the overview). Coming
 * from a customer invitation (next=/customer-invite), the customer organization's own form
 * takes over, so that a customer never becomes a partner-type tenant by accident. */
int
page_signup(struct req *r)
{
	const char *next = req_query(r, "next");
	if (next != NULL && (str_eq(next, "/customer-invite") || str_has_prefix(next, "/customer-invite?") ||
	    str_has_prefix(next, "/customer-invite/")))
		return resp_redirect(r, "/customer-invite/new");
	/* Issue 15: a signed-in user has a work account: where they were going, or the overview. */
	if (r->sess != NULL)
		return resp_redirect(r, req_safe_next(next) ? next : "/");
	struct form f;
	form_init(&f, signup_fields, NELEM(signup_fields));
	form_set(&f, "next", req_query(r, "next"));
	return signup_form(r, 200, &f);
}

/* The email of a Create one: the confirmation link, or (exists) word to the owner of an
 * address that has an account already. 0 or -1. */
static int
signup_mail(struct req *r, const struct signup_request *sr, bool exists, const char *token)
{
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "org", sr->org);
	tv_set(m, "domain", sr->domain);
	tv_set(m, "name", sr->name);
	tv_set(m, "email", sr->email);
	tv_setb(m, "customer", sr->kind == TENANT_CUSTOMER);
	if (!exists) {
		tv_setf(m, "link", "%s/signup/confirm?t=%s", r->portal->cfg.base_url, token);
		tv_set(m, "expires", page_mail_time(r, sr->email, sr->expires_at));
	}
	return page_mail(r, sr->email, exists ? "signup-exists" : "signup-confirm", m);
}

int
signup_start(struct req *r, struct signup_request *sr, struct form *f, const char *domain_taken)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	/* Every Create one mails its address: throttled like forgotten passwords
	 * (domain/throttle.h), with the same page and nothing written or sent beyond. */
	int throttled = signup_mail_throttled(r->store, sr->email, now_sec());
	if (throttled < 0)
		return page_error(r, 500, NULL);
	char *token = NULL;
	int rc = throttled ? SIGNUP_THROTTLED : signup_request(r->store, r->a, sr, &token);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc == SIGNUP_DOMAIN_TAKEN) {
		form_fail(f, "domain", domain_taken);
		return 0;
	}
	if (throttled) {
		struct audit_entry *e = audit(r, "signup.request", sr->email, "refused", "throttled");
		if (e != NULL)
			e->actor = sr->email;
	}
	/* An address with an account: its owner hears of it, nobody else. Nothing else is
	 * written, and the answer is the one a new address gets. */
	if (rc != SIGNUP_THROTTLED && signup_mail(r, sr, rc == SIGNUP_EMAIL_TAKEN, token) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Check your email"));
	tv_set(ctx, "email", sr->email);
	tv_seti(ctx, "hours", SIGNUP_TTL / 3600);
	return page_render(r, 200, "account/check-email", ctx);
}

/* POST /signup — org, domain, country, name, email, password, password2, next. Checks the
 * form (the form again, 422, nothing written), then signup_start: the "check your email"
 * page. */
int
page_signup_post(struct req *r)
{
	struct form f;
	form_read(r, &f, signup_fields, NELEM(signup_fields));
	const char *email = form_get(&f, "email"), *pw = req_form(r, "password");
	form_check_new_password(r, &f, email);
	if (f.nerrors > 0)
		return signup_form(r, 422, &f);

	/* Hashed for every address, known or not: the answer takes as long either way. */
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0)
		return page_error(r, 500, NULL);
	const char *next = form_get(&f, "next");
	struct signup_request sr = { .kind = TENANT_PARTNER, .org = form_get(&f, "org"), .domain = form_get(&f, "domain"),
		.country = form_get(&f, "country"), .name = form_get(&f, "name"), .email = email, .pw_hash = hash,
		.next = req_safe_next(next) ? next : "" };
	int st = signup_start(r, &sr, &f, _("This domain already has a work account. Sign in to it, or ask its Global admin to add you."));
	return st ? st : signup_form(r, 422, &f);
}

/* ---- the emailed link ---- */

static const struct field confirm_fields[] = {
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
};

/* A link that cannot be used: why, and the way back to Create one. */
static int
link_refused(struct req *r, int status, const char *why)
{
	link_forget(r);
	struct tv *ctx = page_ctx(r, _("Create a work account"));
	tv_set(ctx, "problem", why);
	return page_render(r, status, "account/signup-confirm", ctx);
}

/* GET /signup/confirm (?t=TOKEN on arrival) — what the link creates (the organization, its
 * domain and country, the Global admin's name and address; for a customer, the invitation
 * it accepts) and `Create work account`. Who: anyone holding the link. */
int
page_signup_confirm(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct signup_request sr;
	struct token t;
	const char *text = link_current(r);
	const char *why = signup_check(r->store, r->a, text, &sr, &t);
	if (why != NULL)	/* a database error: the store is failed, and the answer a 500 */
		return link_refused(r, text == NULL ? 400 : 410, why);
	struct tv *ctx = page_ctx(r, _("Create a work account"));
	struct form f;
	form_init(&f, confirm_fields, NELEM(confirm_fields));
	form_set(&f, "t", text);
	form_to_tv(&f, ctx);
	struct tv *o = tv_obj(ctx, "req");
	tv_set(o, "org", sr.org);
	tv_set(o, "domain", sr.domain);
	tv_set(o, "name", sr.name);
	tv_set(o, "email", sr.email);
	tv_setb(o, "customer", sr.kind == TENANT_CUSTOMER);
	return page_render(r, 200, "account/signup-confirm", ctx);
}

/* POST /signup/confirm — t (else the landing cookie). In one transaction: the link is used
 * (once), the organization and its Global admin are created, and for a customer the
 * invitation is accepted (customer_org_accept: one link, one organization); the Global
 * admin is signed in and goes on (Create one's next, the overview, or a customer's
 * partners). Refusals write nothing. */
int
page_signup_confirm_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct signup_request sr;
	struct token t;
	const char *text = link_current(r);
	const char *why = signup_check(r->store, r->a, text, &sr, &t);
	if (why != NULL)	/* a database error: the store is failed, and the answer a 500 */
		return link_refused(r, text == NULL ? 400 : 410, why);
	int64_t tenant = 0, user = 0;
	int rc = signup_confirm(r->store, &t, &sr, &tenant, &user);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc == SIGNUP_LINK_USED)
		return link_refused(r, 410, _("This link has already been used. Each link works once."));
	if (rc & ACCOUNT_DOMAIN_TAKEN)
		return link_refused(r, 409, _("This domain got a work account since you filled in Create one. Sign in to it, or ask its Global admin to add you."));
	if (rc & ACCOUNT_EMAIL_TAKEN)
		return link_refused(r, 409, _("Your address got an account since you filled in Create one. Sign in with it instead."));
	const char *detail = sr.kind == TENANT_CUSTOMER
	    ? arena_printf(r->a, "%s, a customer organization, from customer invitation %lld", sr.org, (long long)sr.invitation_id)
	    : sr.org;
	audit_as(r, tenant, user, sr.email, "tenant.create", sr.domain, "ok", detail);
	const char *next = "/?m=welcome";
	if (sr.kind == TENANT_CUSTOMER) {
		int st = customer_org_accept(r, &sr, tenant, user);
		if (st)
			return st;
		next = "/customers?m=customer-accepted";
	} else if (req_safe_next(sr.next) && !str_eq(sr.next, "/")) {
		/* "/" is where the sign-in page's "Create one" link says to go back to: the
		 * overview, with its welcome notice. */
		next = sr.next;
	}
	link_forget(r);
	return account_sign_in(r, user, tenant, sr.email, next, "signin");
}
