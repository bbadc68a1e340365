/* signup.c — /signup: "Create one", a new organization (tenant) with its first Global
 * admin. SPEC §2.1. */
#include "base/util.h"
#include "domain/accounts.h"
#include "pages/signin.h"
#include "web/form.h"
#include "web/page.h"

static const struct field signup_fields[] = {
	{ "org", "Organization name", "text", 200, FF_REQUIRED, NULL, "Your company's name as your users should see it.", "organization" },
	{ "domain", "Primary domain", "text", 253, FF_REQUIRED | FF_LOWER, check_domain, "The domain your organization uses, like contoso.com. One work account per domain.", NULL },
	{ "country", "Country or region", "select", 2, FF_REQUIRED, check_country, "Where your company is legally located. It decides your CSP region and cannot be changed later.", NULL },
	{ "name", "Your name", "text", 100, FF_REQUIRED, NULL, NULL, "name" },
	{ "email", "Your email", "email", 254, FF_REQUIRED | FF_LOWER, check_email, "You will sign in with it, as this organization's Global admin.", "email" },
	{ "password", "Password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, "At least 12 characters. Any characters, including spaces, are fine.", "new-password" },
	{ "password2", "Confirm password", "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "next", "Next", "hidden", 1024, 0, NULL, NULL, NULL },
};

static int
signup_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, "Create a work account");
	form_to_tv(f, ctx);
	if (form_countries_tv(r, ctx, NULL, form_get(f, "country")) < 0)
		return page_error(r, 500, NULL);
	tv_set(ctx, "next", form_get(f, "next"));
	return page_render(r, status, "account/signup", ctx);
}

/* GET /signup — Create one: a new organization (tenant) and its first Global admin. Coming
 * from a customer invitation (next=/customer-invite), the customer organization's own form
 * takes over, so that a customer never becomes a partner-type tenant by accident. */
int
page_signup(struct req *r)
{
	const char *next = req_query(r, "next");
	if (next != NULL && (str_eq(next, "/customer-invite") || str_has_prefix(next, "/customer-invite?") ||
	    str_has_prefix(next, "/customer-invite/")))
		return resp_redirect(r, "/customer-invite/new");
	struct form f;
	form_init(&f, signup_fields, NELEM(signup_fields));
	form_set(&f, "next", req_query(r, "next"));
	return signup_form(r, 200, &f);
}

/* POST /signup — org, domain, country, name, email, password, password2, next. */
int
page_signup_post(struct req *r)
{
	struct form f;
	form_read(r, &f, signup_fields, NELEM(signup_fields));
	const char *email = form_get(&f, "email"), *pw = req_form(r, "password");
	form_check_new_password(r, &f, email);
	if (f.nerrors > 0)
		return signup_form(r, 422, &f);

	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0 || tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct new_account n = { form_get(&f, "org"), form_get(&f, "domain"), form_get(&f, "country"), TENANT_PARTNER,
		form_get(&f, "name"), email, hash, FIRST_USER_ROLES };
	int64_t tenant_id = 0, user_id = 0;
	int taken = account_create(r->store, &n, &tenant_id, &user_id);
	if (taken < 0)
		return page_error(r, 500, NULL);
	if (taken & ACCOUNT_DOMAIN_TAKEN)
		form_fail(&f, "domain", "This domain already has a work account. Sign in to it, or ask its Global admin to add you.");
	if (taken & ACCOUNT_EMAIL_TAKEN)
		form_fail(&f, "email", "An account with this email already exists. Sign in instead, or reset its password.");
	if (f.nerrors > 0)
		return signup_form(r, 422, &f);
	audit_as_user(r, tenant_id, user_id, email, "tenant.create", form_get(&f, "domain"), form_get(&f, "org"));
	/* "/" is where the sign-in page's "Create one" link says to go back to: the overview,
	 * with its welcome notice. */
	const char *next = form_get(&f, "next");
	return account_sign_in(r, user_id, tenant_id, email, req_safe_next(next) && !str_eq(next, "/") ? next : "/?m=welcome", "signin");
}
