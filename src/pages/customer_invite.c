/* customer_invite.c — the landing page of a reseller's customer invitation (SPEC §2.6):
 * who invites (the reseller and its indirect provider), what each relationship grants, and
 * `Accept`; and `Create one` for a new customer organization.
 *
 * The link is /customer-invite?t=TOKEN (purpose customer-invite, naming the invitation row
 * and its expiry). link_landing keeps the token in a cookie scoped to /customer-invite (so
 * /customer-invite/new sees it too) and redirects to the address without it. A visitor who
 * is signed out signs in and comes back here, or creates a NEW customer organization (a
 * tenant of kind "customer") with /customer-invite/new, which works only while the link is
 * usable and accepts in the same transaction (one link, one organization). Every rule is
 * cust_decide's; the POSTs gather the facts and accept inside one transaction: the
 * invitation is used once, and the customer relationships with the reseller and the
 * provider are made together. A refusal writes nothing but an audit entry. */
#include <string.h>

#include "pages/invitation_parts.h"
#include "base/i18n.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/countries.h"
#include "domain/customers.h"
#include "domain/delegated.h"
#include "domain/link.h"
#include "domain/accounts.h"
#include "pages/customers.h"
#include "pages/signin.h"
#include "domain/timeline.h"
#include "web/form.h"
#include "web/http.h"
#include "web/landing.h"
#include "web/page.h"
#include "web/pager.h"

static int
gather(struct req *r, const char *text, struct cust_accept *v)
{
	return cust_accept_gather(r->store, r->a, text, r->sess ? r->sess->tenant_id : 0, r->sess ? r->sess->roles : 0,
	    now_sec(), v);
}

/* The landing cookie lives at /customer-invite; forget it from any page of the flow. */
static void
forget_link(struct req *r)
{
	resp_cookie(r, "tok", "", "/customer-invite", 0);
}

static void
audit_refusal(struct req *r, const struct cust_accept *v, const char *when)
{
	const char *target = v->reseller.name ? v->reseller.name : v->inv.id ? arena_printf(r->a, "customer invitation %lld", (long long)v->inv.id) : "";
	const char *detail = arena_printf(r->a, "%s%s%s", cust_refusal_code(v->why),
	    v->inv.id ? arena_printf(r->a, ", customer invitation %lld", (long long)v->inv.id) : "", when);
	audit(r, "customer.accept", target, "refused", detail);
}

/* What each relationship grants, for the page and the check box. */
static void
add_partners(struct req *r, struct tv *ctx, const struct cust_accept *v)
{
	struct tv *s = tv_obj(ctx, "reseller"), *p = tv_obj(ctx, "provider");
	tv_set(s, "name", v->reseller.name);
	tv_set(s, "mpn", *v->reseller.mpn ? v->reseller.mpn : _("Not linked"));
	tv_setf(s, "country", "%s (%s)", v->reseller.country, v->reseller.region_name);
	tv_set(s, "email", v->reseller.support_email);
	tv_set(s, "website", v->reseller.support_website);
	tv_set(p, "name", v->provider.name);
	tv_set(p, "mpn", *v->provider.mpn ? v->provider.mpn : _("Not linked"));
	tv_setf(p, "country", "%s (%s)", v->provider.country, v->provider.region_name);
	tv_set(p, "email", v->provider.support_email);
	tv_set(p, "website", v->provider.support_website);
	struct tv *inv = tv_obj(ctx, "inv");
	tv_set(inv, "email", v->inv.email);
	tv_set(inv, "expires", page_time(r, v->inv.expires_at));
	tv_set(inv, "inviter", *v->inv.inviter_name ? arena_printf(r->a, "%s (%s)", v->inv.inviter_name, v->inv.inviter_email) : NULL);
	tv_setb(inv, "delegated_admin", v->inv.delegated_admin);
	/* Issue 13: which delegated admin relationship accepting creates, in plain words. */
	tv_set(inv, "da_name", DA_DEFAULT_NAME);
	tv_set(inv, "da_words", da_default_words(r->a, now_sec()));
	tv_set(inv, "region", v->provider.region_name);
	tv_lines(tv_list(inv, "message_lines"), v->inv.message);
}

static const struct field accept_fields[] = {
	{ "confirm", N_("I accept"), "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	{ "t", N_("Link"), "hidden", 128, 0, NULL, NULL, NULL },
	/* Issue 13: "with" (the default) or "without" delegated administration (radio buttons). */
	{ "da", N_("Delegated administration"), "radio", 7, 0, NULL, NULL, NULL },
};

/* The customer's choice on the form: false for "without" delegated administration; an
 * unknown value fails the field. */
static bool
read_da_choice(struct form *f)
{
	const char *da = form_get(f, "da");
	if (!str_empty(da) && !str_eq(da, "with") && !str_eq(da, "without"))
		form_fail(f, "da", _("Choose with or without delegated administration."));
	return !str_eq(da, "without");
}

static int
invite_page(struct req *r, int status, const struct cust_accept *v, struct form *form)
{
	bool link_ok = v->why == CR_OK || v->why == CR_SIGNED_OUT || cust_refusal_keeps_link(v->why);
	/* Issue 15, item 12: a refused link's page says so in its title, and never that the
	 * reseller "invites your organization" under the refusal. */
	const char *title = v->why == CR_OK || v->why == CR_SIGNED_OUT ? _("Accept a customer invitation")
	    : _("This invitation cannot be accepted");
	struct tv *ctx = page_ctx(r, title);
	tv_set(ctx, "heading", title);
	tv_setb(ctx, "link_ok", link_ok);
	if (v->f.found && v->reseller.name != NULL && v->provider.name != NULL) {
		add_partners(r, ctx, v);
		tv_setb(ctx, "show_partners", true);
		tv_setb(ctx, "show_grant", link_ok);
	}
	tv_set(ctx, "problem", cust_refusal_text(r->a, &v->f, v->why, &v->names));
	if (v->f.found && v->f.token == TOKEN_OK && invitation_state_tv(r, ctx, INV_CUSTOMER, v->inv.id) < 0)
		return page_error(r, 500, NULL);
	tv_set(ctx, "problem_class", v->why == CR_NOT_GLOBAL_ADMIN ? "warn" : "error");
	tv_setb(ctx, "signed_out", v->why == CR_SIGNED_OUT);
	tv_setb(ctx, "to_customers", v->why == CR_ALREADY_CUSTOMER || (v->why == CR_USED && r->sess != NULL));
	/* Problems of the signed-in organization: a customer organization of its own is the way out. */
	tv_setb(ctx, "create_other", v->why == CR_OWN_TENANT || v->why == CR_RESELLER_OF_PROVIDER ||
	    v->why == CR_PARTNER_TENANT || v->why == CR_OTHER_REGION);
	tv_set(ctx, "next", url_encode(r->a, "/customer-invite"));
	if (v->why == CR_OK) {
		struct form empty;
		if (form == NULL) {
			form_init(&empty, accept_fields, NELEM(accept_fields));
			form_set(&empty, "t", v->text);
			form = &empty;
		}
		form_to_tv(form, ctx);
		struct tv *c = tv_obj(tv_obj(ctx, "f"), "confirm");
		tv_setf(c, "label", _("On behalf of %s, I accept reseller relationships with %s and with its indirect provider %s."),
		    v->customer.name, v->reseller.name, v->provider.name);
		tv_set(ctx, "org", v->customer.name);
		tv_setb(ctx, "da_without", str_eq(form_get(form, "da"), "without"));
	}
	return page_render(r, status, "customer-invite/page", ctx);
}

/* GET /customer-invite (?t=TOKEN on arrival) — works signed out. Shows who invites: the
 * reseller and its indirect provider (name, MPN ID, country), the message, and what each
 * relationship grants. Signed out: Sign in (coming back here) and Create one (a new customer
 * organization); signed in as the Global admin of a customer organization the rules allow:
 * the check box and `Accept`; otherwise the rule that stops it. Who: anyone. */
int
page_customer_invite(struct req *r)
{
	int st = link_landing(r);
	if (st)
		return st;
	struct cust_accept v;
	if (gather(r, link_current(r), &v) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: the first visit by a valid link is "opened" (once: a conditional UPDATE). */
	if ((v.why == CR_OK || v.why == CR_SIGNED_OUT || cust_refusal_keeps_link(v.why)) && v.f.found &&
	    invitation_opened_audited(r, INV_CUSTOMER, v.inv.id, v.reseller.tenant_id, v.inv.email) < 0)
		return page_error(r, 500, NULL);
	if (v.why == CR_OK || v.why == CR_SIGNED_OUT)
		return invite_page(r, 200, &v, NULL);
	audit_refusal(r, &v, " (page)");
	if (!cust_refusal_keeps_link(v.why))
		forget_link(r);
	return invite_page(r, cust_refusal_status(v.why), &v, NULL);
}

/* The addresses to tell about the acceptance in partner organization side: extra (the
 * inviting user, when given) and the users cust_accepted_recipients chooses, without
 * repeats. Returns how many (into *to, in the arena), or -1. */
static int
recipients(struct req *r, const struct partner *side, const char *extra, const char ***to)
{
	struct user_list users;
	if (cust_accepted_recipients(r->store, r->a, side, &users) < 0)
		return -1;
	*to = arena_alloc(r->a, sizeof(**to) * (users.n + 1));
	if (*to == NULL)
		return -1;
	int n = 0;
	if (extra != NULL && *extra)
		(*to)[n++] = extra;
	for (size_t k = 0; k < users.n; k++) {
		bool dup = false;
		for (int i = 0; i < n && !dup; i++)
			dup = str_ieq((*to)[i], users.v[k].email);
		if (!dup)
			(*to)[n++] = users.v[k].email;
	}
	return n;
}

/* Tells both partners that the customer accepted (by: "name (email)" of the customer's
 * Global admin who did): the reseller (the inviting user, and its users who decide its
 * partner relationships) and the provider (its users who do, and who place the orders):
 * cust_accepted_recipients. */
static int
notify_partners(struct req *r, const struct cust_accept *v, int64_t now, const char *by)
{
	const struct partner *side[2] = { &v->reseller, &v->provider };
	for (int k = 0; k < 2; k++) {
		const char **to;
		int n = recipients(r, side[k], k ? NULL : v->inv.inviter_email, &to);
		if (n < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			struct tv *m = tv_new_obj(r->a);
			tv_set(m, "customer", v->customer.name);
			tv_set(m, "domain", v->customer.domain);
			tv_setf(m, "country", "%s (%s)", v->customer.country.name, v->customer.country.region_name);
			tv_set(m, "reseller", v->reseller.name);
			tv_set(m, "provider", v->provider.name);
			tv_set(m, "partner", side[k]->name);
			tv_setb(m, "as_provider", k == 1);
			tv_set(m, "invited", v->inv.email);
			tv_set(m, "by", by);
			tv_set(m, "when", page_mail_time(r, to[i], now));
			tv_setb(m, "delegated_admin", cust_accept_delegated(v));
			tv_setf(m, "customer_link", "%s/customers/%lld", r->portal->cfg.base_url, (long long)v->customer.id);
			if (page_mail(r, to[i], "customer-accepted", m) < 0)
				return -1;
		}
	}
	return 0;
}

/* The audit entries of an acceptance by user (email) of the customer organization: its own
 * log, and both partners' (their customer accepted). */
static void
audit_accepted(struct req *r, const struct cust_accept *v, const bool made[2], int64_t user, const char *email)
{
	const char *detail = arena_printf(r->a, "customer invitation %lld; relationship with %s %s, with %s %s; delegated administration %s",
	    (long long)v->inv.id, v->reseller.name, made[0] ? "made" : "kept", v->provider.name, made[1] ? "made" : "kept",
	    cust_accept_delegated(v) ? "yes" : "no");
	const struct partner *side[2] = { &v->reseller, &v->provider };
	/* issue 13: each partner's entry on its relationship's timeline (the customer's on the
	 * reseller's, whose invitation it was) */
	int64_t rel[2];
	for (int k = 0; k < 2; k++)
		rel[k] = tl_customer_rel(r->store, side[k]->id, v->customer.id);
	audit_rel(audit_as(r, v->customer.id, user, email, "customer.accept", v->reseller.name, "ok", detail), TL_CUSTOMER,
	    rel[0]);
	for (int k = 0; k < 2; k++)
		audit_rel(audit_as(r, side[k]->tenant_id, user, email, "customer.relationship", v->customer.name, "ok", detail),
		    TL_CUSTOMER, rel[k]);
}

/* POST /customer-invite — confirm (check box), t (the token; else the landing cookie). In one
 * transaction: the link is valid for this purpose and unused (pending → accepted, once), the
 * reseller and the provider are approved and related, the signed-in organization may be their
 * customer (a customer organization — no partner's own tenant, no reseller of this provider,
 * no partner-type tenant — in their region) and the user is its Global admin (the route's
 * CUSTOMER_ACCEPT). Then customer relationships with the reseller and the provider exist
 * (with delegated administration when the invitation asked for it), both partners are told,
 * and the user lands on Your partners. A refusal: a page saying why, an audit entry, nothing
 * else. */
int
page_customer_invite_post(struct req *r)
{
	struct form f;
	form_read(r, &f, accept_fields, NELEM(accept_fields));
	const char *text = form_get(&f, "t");
	if (str_empty(text))
		text = link_current(r);
	/* Accepting reads, decides and writes: the facts are gathered after tx_begin, and the
	 * store's write promise (store.h) keeps them true until the relationships commit. */
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct cust_accept v;
	if (gather(r, text, &v) < 0)
		return page_error(r, 500, NULL);
	if (v.why != CR_OK) {
		audit_refusal(r, &v, "");
		if (!cust_refusal_keeps_link(v.why))
			forget_link(r);
		return invite_page(r, cust_refusal_status(v.why), &v, NULL);
	}
	v.without_da = !read_da_choice(&f);
	if (f.nerrors > 0) {
		form_set(&f, "t", text);
		return invite_page(r, 422, &v, &f);
	}
	int64_t now = v.f.now;
	bool made[2] = { false, false };
	int accepted = cust_accept(r->store, &v, r->sess->user_id, r->sess->tenant_id, now, made);
	if (accepted < 0)
		return page_error(r, 500, NULL);
	if (accepted == 0) {
		v.why = CR_USED;
		audit_refusal(r, &v, "");
		forget_link(r);
		return invite_page(r, cust_refusal_status(v.why), &v, NULL);
	}
	if (notify_partners(r, &v, now, arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->email)) < 0)
		return page_error(r, 500, NULL);
	audit_accepted(r, &v, made, r->sess->user_id, r->sess->email);
	forget_link(r);
	return resp_redirect(r, "/customers?m=customer-accepted");
}

/* ---- Create one: a new customer organization from the link ---- */

static const struct field org_fields[] = {
	{ "org", N_("Organization name"), "text", 200, FF_REQUIRED, NULL, N_("The company that buys: the customer, as its users should see it."), "organization" },
	{ "domain", N_("Primary domain"), "text", 253, FF_REQUIRED | FF_LOWER, check_domain, N_("The domain the customer uses, like contoso.com. One work account per domain."), NULL },
	{ "country", N_("Country or region"), "select", 2, FF_REQUIRED, check_country, NULL, NULL },
	{ "name", N_("Your name"), "text", 100, FF_REQUIRED, NULL, NULL, "name" },
	{ "email", N_("Your email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email, N_("You will sign in with it, as this organization's Global admin."), "email" },
	{ "password", N_("Password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, check_password, N_("At least 12 characters. Any characters, including spaces, are fine."), "new-password" },
	{ "password2", N_("Confirm password"), "password", PW_MAX, FF_REQUIRED | FF_SECRET | FF_NOTRIM, NULL, NULL, "new-password" },
	{ "confirm", N_("I accept"), "checkbox", 3, FF_REQUIRED, NULL, NULL, NULL },
	/* Issue 13: with (the default) or without delegated administration, as on Accept. */
	{ "da", N_("Delegated administration"), "radio", 7, 0, NULL, NULL, NULL },
};

static int
org_form(struct req *r, int status, const struct cust_accept *v, struct form *f)
{
	struct tv *ctx = page_ctx(r, _("Create a customer organization"));
	form_to_tv(f, ctx);
	struct tv *c = tv_obj(tv_obj(ctx, "f"), "country");
	tv_setf(c, "help", _("%s and %s work in %s: a customer must be in the same region. It decides your region and cannot be changed later."),
	    v->reseller.name, v->provider.name, v->provider.region_name);
	/* Countries of the partners' region only: a customer elsewhere could not accept. */
	if (form_countries_tv(r, ctx, v->provider.region, form_get(f, "country")) < 0)
		return page_error(r, 500, NULL);
	tv_set(ctx, "reseller", v->reseller.name);
	tv_set(ctx, "provider", v->provider.name);
	tv_set(ctx, "region", v->provider.region_name);
	/* Creating the organization accepts the invitation, in the same step (issue 12, item 6). */
	tv_setf(tv_obj(tv_obj(ctx, "f"), "confirm"), "label", v->inv.delegated_admin
	    ? _("On behalf of the new organization, I accept reseller relationships with %s and with its indirect provider %s, with or without delegated administration as chosen above.")
	    : _("On behalf of the new organization, I accept reseller relationships with %s and with its indirect provider %s."),
	    v->reseller.name, v->provider.name);
	if (r->sess != NULL)
		tv_set(ctx, "signed_in_org", r->sess->tenant_name);
	/* Issue 13: the same choice as Accept's, when the invitation asks for delegated administration. */
	struct tv *inv = tv_obj(ctx, "inv");
	tv_setb(inv, "delegated_admin", v->inv.delegated_admin);
	tv_set(inv, "da_name", DA_DEFAULT_NAME);
	tv_set(inv, "da_words", da_default_words(r->a, now_sec()));
	tv_setb(ctx, "da_without", str_eq(form_get(f, "da"), "without"));
	return page_render(r, status, "customer-invite/new", ctx);
}

/* Gathers the facts of the invitation link (the landing cookie) for Create one. 0 when the
 * link allows creating an organization: a usable link of approved, related partners (the
 * organization itself is checked when it accepts). Else the answer: the reason (audited,
 * the link forgotten), or 500. */
static int
org_link(struct req *r, struct cust_accept *v)
{
	if (gather(r, link_current(r), v) < 0)
		return page_error(r, 500, NULL);
	if (v->why == CR_OK || v->why == CR_SIGNED_OUT || cust_refusal_keeps_link(v->why))
		return 0;
	audit_refusal(r, v, " (create organization)");
	forget_link(r);
	return invite_page(r, cust_refusal_status(v->why), v, NULL);
}

/* GET /customer-invite/new — Create one, from a customer invitation: the new organization
 * (name, domain, country of the partners' region) and its first user, the Global admin who
 * will accept. Needs the invitation link (the landing cookie); without a usable one, the
 * reason. Who: anyone (signed in: the new organization's session replaces theirs). */
int
page_customer_org_new(struct req *r)
{
	struct cust_accept v;
	int st = org_link(r, &v);
	if (st)
		return st;
	struct form f;
	form_init(&f, org_fields, NELEM(org_fields));
	return org_form(r, 200, &v, &f);
}

int
customer_org_accept(struct req *r, const struct signup_request *sr, int64_t tenant, int64_t user)
{
	/* The link's token as the invitation email had it (its row and expiry). */
	const char *text = cust_invite_token(r->a, sr->invitation_id, sr->invitation_expires);
	struct cust_accept w;
	if (text == NULL || cust_accept_gather(r->store, r->a, text, tenant, ROLE_MASK(GLOBAL_ADMIN), now_sec(), &w) < 0)
		return page_error(r, 500, NULL);
	bool made[2] = { false, false };
	w.without_da = sr->without_da;		/* the choice made on Create one's form */
	int accepted = w.why == CR_OK ? cust_accept(r->store, &w, user, tenant, w.f.now, made) : 0;
	if (accepted < 0)
		return page_error(r, 500, NULL);
	if (accepted == 0) {
		if (w.why == CR_OK)
			w.why = CR_USED;
		audit_refusal(r, &w, " (create organization)");
		return invite_page(r, cust_refusal_status(w.why), &w, NULL);
	}
	if (notify_partners(r, &w, w.f.now, arena_printf(r->a, "%s (%s)", sr->name, sr->email)) < 0)
		return page_error(r, 500, NULL);
	audit_accepted(r, &w, made, user, sr->email);
	return 0;
}

/* POST /customer-invite/new — org, domain, country, name, email, password, password2, confirm.
 * Checks the form (the form again, 422, nothing written), then Create one's confirmation by
 * email (signin.h, signup_start): the "check your email" page. The emailed link
 * (/signup/confirm) creates, in one transaction, a tenant of kind "customer" in the
 * partners' region with its first user as Global admin, and accepts the invitation for it
 * (customer_org_accept): the invitation is used once, so of any number of Create one sent
 * with one link exactly one organization is made. Who: anyone holding a usable invitation
 * link. */
int
page_customer_org_new_post(struct req *r)
{
	struct cust_accept v;
	int st = org_link(r, &v);
	if (st)
		return st;
	struct form f;
	form_read(r, &f, org_fields, NELEM(org_fields));
	bool with_da = read_da_choice(&f);
	const char *email = form_get(&f, "email"), *pw = req_form(r, "password");
	form_check_new_password(r, &f, email);
	const char *country = form_get(&f, "country");
	if (!str_empty(country)) {
		struct country c;
		int found = country_get(r->store, r->a, country, &c);
		if (found < 0)
			return page_error(r, 500, NULL);
		if (found == 0 || !str_eq(c.region, v.provider.region))
			form_fail(&f, "country", arena_printf(r->a, _("Rule: partners sell only to customers in their own region. %s and %s work in %s: choose a country there."),
			    v.reseller.name, v.provider.name, v.provider.region_name));
	}
	if (f.nerrors > 0)
		return org_form(r, 422, &v, &f);

	/* Hashed for every address, known or not: the answer takes as long either way. */
	char hash[PW_HASH_MAX];
	if (password_hash(pw, hash) < 0)
		return page_error(r, 500, NULL);
	struct signup_request sr = { .kind = TENANT_CUSTOMER, .org = form_get(&f, "org"), .domain = form_get(&f, "domain"),
		.country = country, .name = form_get(&f, "name"), .email = email, .pw_hash = hash, .next = "",
		.invitation_id = v.inv.id, .invitation_expires = v.t.expires, .without_da = !with_da };
	st = signup_start(r, &sr, &f, _("This domain already has a work account. Sign in to it instead (as its Global admin), or use the customer's own domain."));
	return st ? st : org_form(r, 422, &v, &f);
}
