/* page.c — see page.h. */
#include "web/page.h"

#include "domain/delegated.h"
#include "domain/zones.h"

#include <stdarg.h>
#include <string.h>

#include "base/portal.h"
#include "base/i18n.h"
#include "web/api.h"
#include "web/dispatch.h"
#include "base/log.h"
#include "mail/mail.h"
#include "base/syntax.h"
#include "base/util.h"

/* Notices shown once after a redirect: the code travels in ?m=, the words stay here. Issue 18:
 * every one is marked N_() and translated where shown (notice_text asks gettext). */
static const struct { const char *code, *text; } notices[] = {
	{ "signed-out", N_("You have signed out.") },
	{ "language-saved", N_("Your language is saved.") },	/* issue 18 */
	{ "welcome", N_("Your organization's work account is ready. You are its Global admin.") },
	{ "password-changed", N_("Your password has been changed. Sign in with the new one.") },
	{ "password-set", N_("Your password is set. Sign in to continue.") },
	{ "password-updated", N_("Your password has been changed.") },
	{ "time-zone-saved", N_("Your time zone has been saved. Times are shown in it.") },
	{ "reset-sent", N_("If an account uses that address, we have sent it a link to reset the password. The link works for one hour.") },
	{ "enroll-submitted", N_("Your enrollment is submitted. We have emailed your primary contact.") },
	{ "mpn-linked", N_("Your MPN ID is linked to your organization's account.") },
	{ "verification-sent", N_("We have sent a new verification email to your primary contact. Links in earlier emails no longer work.") },
	{ "profile-saved", N_("Your legal info is saved.") },
	{ "profile-saved-verify", N_("Your legal info is saved. We have emailed the new primary contact a link to verify their address.") },
	/* Settings → User management */
	{ "user-added", N_("We have emailed the address. A new user is in the list below, with a link to set their password (it works once, for 7 days). An address that already has a work account in another organization is not added: its owner is told instead.") },
	{ "roles-updated", N_("Roles updated. The user was signed out, so the new roles apply from their next sign-in.") },
	{ "roles-unchanged", N_("Nothing changed: the user already had exactly these roles.") },
	{ "user-deleted", N_("User deleted. They were signed out and can no longer sign in.") },
	{ "password-reset", N_("Password reset. The old password no longer works and the user was signed out. We have emailed them a link to set a new one; it works once, for 7 days.") },
	{ "invite-resent", N_("This user has not set a password yet. We have emailed them a new link to set one (7 days, once); the earlier link no longer works.") },
	{ "invitation-sent", N_("The invitation has been sent. You can also copy the link below and send it yourself.") },
	{ "invitation-resent", N_("The invitation has been sent again with a new expiry date. Earlier links for it no longer work.") },
	{ "invitation-revoked", N_("The invitation has been revoked. Its link no longer works.") },
	{ "provider-authorized", N_("You have authorized the indirect provider. It now appears below, and your organization appears on its Indirect resellers page.") },
	{ "admin-access-removed", N_("Administrator access has been removed. The provider remains your indirect provider.") },
	/* customers and orders */
	{ "customer-invitation-sent", N_("The customer invitation has been sent. You can also copy the link below and send it yourself.") },
	{ "customer-invitation-revoked", N_("The customer invitation has been revoked. Its link no longer works.") },
	{ "customer-accepted", N_("Done: your organization is now a customer of both partners. They appear below.") },
	{ "order-placed", N_("The order has been placed. The subscription is listed below; you, the reseller and the customer have been emailed a confirmation.") },
	{ "order-already-placed", N_("This order had already been placed: the form was sent twice, and only one subscription was made.") },
	/* why a session ended (issue 15, item 2): shown on the next page (the sign-in page) to
	 * the browser whose session someone else's action ended; never in ?m= */
	{ "ended-roles", N_("You were signed out because an administrator of your organization changed your roles. Sign in again to go on with your new roles.") },
	{ "ended-approved", N_("You were signed out because your organization's enrollment was approved and you joined the Admin agent group. Sign in again to go on with your new role.") },
	{ "ended-by-admin", N_("You were signed out because an administrator of your organization signed you out everywhere. Sign in again to go on.") },
	/* multi-factor sign-in, re-authentication, Settings → Security */
	{ "mfa-disabled", N_("Multi-factor sign-in is off. Your recovery codes no longer work.") },
	{ "mfa-required", N_("Your organization requires multi-factor sign-in. Set it up to continue.") },
	{ "reauth-done", N_("Thank you. You can go on for the next 10 minutes without being asked again.") },
	{ "security-saved", N_("Security settings saved.") },
	/* the sessions list */
	{ "session-ended", N_("That browser has been signed out.") },
	{ "sessions-ended", N_("You have been signed out everywhere else. Only this browser is still signed in.") },
	{ "user-signed-out", N_("The user has been signed out everywhere. Their password stays; they can sign in again.") },
	/* an administrator's reset of a user's multi-factor sign-in */
	/* issue 19: the operator console */
	{ "enrollment-approved", N_("The enrollment is approved. We have emailed the primary contact.") },
	{ "enrollment-rejected", N_("The enrollment is rejected. We have emailed the primary contact with your reason.") },
	{ "agreement-published", N_("The new version is published and current. Every partner organization is asked to accept it.") },
	{ "directory-imported", N_("The file is imported. The audit log says what it added and updated.") },
	{ "mail-retried", N_("Delivery of the undelivered messages has started. Reload this page to see what is still queued.") },
	{ "relationship-ended", N_("The relationship has ended. We have emailed both partners.") },
	{ "verification-resent", N_("We have sent a new verification email to the primary contact. Links in earlier emails no longer work.") },
	{ "mfa-reset", N_("Multi-factor sign-in has been reset and the user signed out everywhere. We emailed them; they sign in with their password and set it up again where it is required.") },
	/* delegated administration (issue 13) */
	{ "da-requested", N_("The request has been sent to the organization's Global admins. It waits for their answer for 90 days.") },
	{ "da-resent", N_("The request has been sent again; it is valid for 90 more days. Earlier links for it no longer work.") },
	{ "da-withdrawn", N_("The request has been withdrawn. Its link no longer works.") },
	{ "da-approved", N_("Approved. The partner can now act in your organization with the roles listed, until the date shown.") },
	{ "da-declined", N_("Declined. The partner has been told; nothing was granted.") },
	{ "da-terminated", N_("Terminated. The partner can no longer act in the organization under it; both organizations have been told.") },
	/* Settings -> API (issue 14) */
	{ "webhook-disabled", N_("The endpoint is disabled. Its events are not sent until you enable it again.") },
	{ "webhook-enabled", N_("The endpoint is enabled. Deliveries that were waiting are sent now.") },
	{ "webhook-deleted", N_("The endpoint and its delivery log have been deleted.") },
	{ "webhook-resend", N_("The delivery is queued and will be sent again in a few seconds.") },
	{ "key-revoked", N_("The credential has been revoked. Calls with it are refused from now on.") },
};

const char *
notice_text(const char *code)
{
	for (size_t i = 0; code != NULL && i < NELEM(notices); i++)
		if (strcmp(notices[i].code, code) == 0)
			return _(notices[i].text);
	return NULL;
}

/* The left navigation: each item is a route (its href the route's path), shown when the
 * route allows the session. Named by id, so a page pays no route lookup per item. */
static const struct { enum route_id route; const char *label, *section; } nav[] = {
	{ R_HOME, N_("Overview"), "main" },
	{ R_PROVIDERS, N_("Indirect providers"), "main" },
	{ R_RESELLERS, N_("Indirect resellers"), "main" },
	{ R_CUSTOMERS, N_("Customers"), "main" },
	{ R_RELATIONSHIPS, N_("Relationships"), "main" },
	{ R_DA_LIST, N_("Delegated admin"), "main" },
	{ R_FIND_PROVIDER, N_("Find a provider"), "main" },
	{ R_USERS, N_("User management"), "settings" },
	{ R_ROLES, N_("Roles"), "settings" },
	{ R_PROFILE, N_("Organization profile"), "settings" },
	{ R_AUDIT, N_("Audit log"), "settings" },
	{ R_SECURITY, N_("Security"), "settings" },
	{ R_API_KEYS, N_("API"), "settings" },
	{ R_WEBHOOKS, N_("Webhooks"), "settings" },
	{ R_GROUPS, N_("User groups"), "settings" },	/* issue 13 */
	/* issue 19: the operator console (shown to operator sessions only: route_allows) */
	{ R_OP_HOME, N_("Program console"), "main" },
	{ R_OP_DASHBOARD, N_("Dashboard"), "main" },
	{ R_OP_ENROLLMENTS, N_("Enrollments"), "main" },
	{ R_OP_PARTNERS, N_("Partners"), "main" },
	{ R_OP_AGREEMENT, N_("Agreement versions"), "main" },
	{ R_OP_AUDIT, N_("Audit log"), "main" },
	{ R_OP_DIRECTORIES, N_("Directories"), "main" },
	{ R_OP_MAIL, N_("Mail outbox"), "main" },
};

const char *
page_route_words(struct arena *a, const char *route_name)
{
	for (size_t i = 0; i < R__COUNT; i++) {
		if (strcmp(routes[i].name, route_name) != 0)
			continue;
		for (size_t j = 0; j < NELEM(nav); j++)
			if (strcmp(routes[nav[j].route].path, routes[i].path) == 0)
				return _(nav[j].label);	/* issue 18: the audit sentence's language */
		return arena_printf(a, _("the page %s"), routes[i].path);
	}
	return NULL;
}

static void
add_nav(struct req *r, struct tv *ctx)
{
	struct tv *main_nav = tv_list(ctx, "nav"), *settings = tv_list(ctx, "nav_settings");
	for (size_t i = 0; i < NELEM(nav); i++) {
		const struct route *rt = &routes[nav[i].route];
		const char *path = rt->path;
		if (r->sess == NULL && nav[i].route != R_FIND_PROVIDER)
			continue;
		if (session_is_operator(r->sess) && rt->perm == PERM_PUBLIC)
			continue;	/* the partners' Overview and directory are not the console's */
		if (!route_allows(r->sess, rt))
			continue;
		struct tv *it = tv_push(strcmp(nav[i].section, "main") == 0 ? main_nav : settings);
		tv_set(it, "href", path);
		/* A customer organization's "Customers" page lists its partners. */
		tv_set(it, "label", nav[i].route == R_CUSTOMERS && r->sess != NULL &&
		    r->sess->tenant_kind == TENANT_CUSTOMER ? _("Your partners") : _(nav[i].label));
		bool current = r->path != NULL && (strcmp(r->path, path) == 0 ||
		    (strcmp(path, "/") != 0 && str_has_prefix(r->path, path) &&
		    r->path[strlen(path)] == '/'));
		tv_setb(it, "current", current);
	}
}

/* Issue 15, item 1: where a signed-out visitor returns after signing in from this page
 * (the header's "Sign in", Create one's "I already have a work account"). The sign-in pages
 * pass on the "next" they came with; /signout and the password pages (their links are
 * single-use) go nowhere; any other page returns to itself: a GET with its query (less the
 * one-time notice ?m= and an emailed link's ?t=), a POST to the form's page when that path
 * has a GET. NULL when there is nowhere to return to. */
const char *
page_return_to(struct req *r)
{
	const char *p = r->path;
	if (p == NULL)
		return NULL;
	if (str_eq(p, "/customer-invite/new"))
		return "/customer-invite";	/* its invitation's page, from the landing cookie */
	if (str_eq(p, "/signin") || str_has_prefix(p, "/signin/") || str_eq(p, "/signup")) {
		const char *next = req_form(r, "next");
		if (next == NULL || *next == '\0')
			next = req_query(r, "next");
		if (!req_safe_next(next) || str_has_prefix(next, "/signin") || str_has_prefix(next, "/signout") ||
		    str_eq(next, "/"))
			return NULL;
		return next;
	}
	if (str_has_prefix(p, "/signout") || str_has_prefix(p, "/password/") || str_has_prefix(p, "/signup/") ||
	    str_eq(p, "/"))
		return NULL;
	if (!str_eq(r->method, "GET") && !str_eq(r->method, "HEAD")) {
		int st = 0;
		const char *allow = NULL;
		long long id = 0;
		return route_find("GET", p, &st, &allow, &id) != NULL && req_safe_next(p) ? p : NULL;
	}
	struct buf b;
	buf_init(&b, r->a);
	buf_printf(&b, "%s", p);
	char sep = '?';
	for (size_t i = 0; i < r->query.n; i++) {
		const char *k = r->query.v[i].name;
		if (str_eq(k, "m") || str_eq(k, "t"))
			continue;
		buf_printf(&b, "%c%s=%s", sep, url_encode(r->a, k), url_encode(r->a, r->query.v[i].value));
		sep = '&';
	}
	return !b.failed && b.p != NULL && req_safe_next(b.p) ? b.p : NULL;
}

/* issue 18: <html lang>, and for visitors the footer's language menu: the languages this
 * portal has (a missing locale leaves one out), the current one selected, and the page to
 * come back to after choosing (this GET with its query; a form's page for a POST). */
static void
page_lang_tv(struct req *r, struct tv *ctx)
{
	tv_set(ctx, "lang", i18n_code((enum lang)r->lang));
	if (r->sess != NULL)
		return;
	struct tv *list = tv_list(ctx, "langs");
	for (int l = 0; l < LANG__COUNT; l++) {
		if (!i18n_available((enum lang)l))
			continue;
		struct tv *it = tv_push(list);
		tv_set(it, "code", i18n_code((enum lang)l));
		tv_set(it, "name", i18n_name((enum lang)l));
		tv_setb(it, "selected", l == r->lang);
	}
	const char *back = "/";
	if (r->path != NULL && (str_eq(r->method, "GET") || str_eq(r->method, "HEAD"))) {
		struct buf b;
		buf_init(&b, r->a);
		buf_puts(&b, r->path);
		char sep = '?';
		for (size_t i = 0; i < r->query.n; i++) {
			if (str_eq(r->query.v[i].name, "m"))
				continue;
			buf_printf(&b, "%c%s=%s", sep, url_encode(r->a, r->query.v[i].name), url_encode(r->a, r->query.v[i].value));
			sep = '&';
		}
		if (!b.failed && b.p != NULL && req_safe_next(b.p))
			back = b.p;
	} else if (r->path != NULL) {
		int st = 0;
		const char *allow = NULL;
		long long id = 0;
		if (route_find("GET", r->path, &st, &allow, &id) != NULL && req_safe_next(r->path))
			back = r->path;
	}
	tv_set(ctx, "lang_back", back);
}

struct tv *
page_ctx(struct req *r, const char *title)
{
	struct tv *ctx = tv_new_obj(r->a);
	tv_set(ctx, "title", title);
	tv_set(ctx, "product", r->portal->cfg.product);
	tv_set(ctx, "vendor", r->portal->cfg.vendor);
	tv_set(ctx, "program", r->portal->cfg.program);
	tv_set(ctx, "agreement_name", r->portal->cfg.agreement);
	/* issue 15: where "contact support" leads (settings; empty: not shown) */
	if (*r->portal->cfg.support_email || *r->portal->cfg.support_url) {
		struct tv *sup = tv_obj(ctx, "support");
		tv_set(sup, "email", *r->portal->cfg.support_email ? r->portal->cfg.support_email : NULL);
		tv_set(sup, "url", *r->portal->cfg.support_url ? r->portal->cfg.support_url : NULL);
	}
	tv_set(ctx, "csrf", csrf_token(r));
	/* (the reasons a session ended are this page's own to say: never from ?m=) */
	const char *m = req_query(r, "m");
	const char *notice = str_has_prefix(m, "ended-") ? NULL : notice_text(m);
	if (r->ended_why != NULL) {
		if (notice == NULL)
			notice = notice_text(arena_printf(r->a, "ended-%s", r->ended_why));
		resp_cookie(r, "sid", "", "/", 0);	/* said once: the cookie goes now */
	}
	tv_set(ctx, "notice", notice);
	if (r->sess != NULL) {
		struct tv *me = tv_obj(ctx, "me");
		tv_set(me, "name", r->sess->name);
		tv_set(me, "email", r->sess->email);
		tv_set(me, "org", r->sess->tenant_name);
		tv_set(me, "roles", roles_local(r->a, r->sess->roles));
	} else {
		const char *back = page_return_to(r);
		tv_set(ctx, "signin_next", back != NULL ? url_encode(r->a, back) : NULL);
	}
	/* issue 13: the header's switcher while acting as partner (web/dispatch.c acting_check) */
	if (r->acting != NULL) {
		struct tv *act = tv_obj(ctx, "acting");
		tv_set(act, "org", r->acting->tenant_name);
		tv_set(act, "name", r->acting->name);
		tv_set(act, "roles", roles_local(r->a, r->acting->roles));
		tv_setb(act, "ended", !r->acting->valid);
		tv_setb(act, "here", r->home_tenant != 0);
	}
	add_nav(r, ctx);
	page_lang_tv(r, ctx);
	return ctx;
}

int
page_render(struct req *r, int status, const char *tmpl, struct tv *ctx)
{
	r->body.len = 0;
	r->content_type = "text/html; charset=utf-8";
	if (tmpl_render(&r->portal->tmpl, "layout", tmpl, ctx, &r->body) < 0 || r->body.failed) {
		log_msg("rid=%s cannot render template %s", r->rid, tmpl);
		r->body.len = 0;
		buf_printf(&r->body, "<!doctype html><title>%s</title><p>%s %s</p>", _("Error"),
		    _("Something went wrong. Request ID:"), r->rid);
		return 500;
	}
	return status;
}

int
page_error(struct req *r, int status, const char *message)
{
	if (r->api)
		return api_problem(r, status, message);	/* the API's answers are problem details */
	static const struct { int status; const char *title, *text; } words[] = {
		{ 400, N_("Bad request"), N_("The request could not be understood. Check the address or go back and try again.") },
		{ 403, N_("Not allowed"), N_("You do not have access to this page.") },
		{ 404, N_("Page not found"), N_("There is no page at this address, or you do not have access to it.") },
		{ 405, N_("Method not allowed"), N_("This page cannot be used that way.") },
		{ 413, N_("Too much data"), N_("The form sent more data than the portal accepts.") },
		{ 415, N_("Unsupported form"), N_("The form was sent in a format the portal does not accept.") },
		{ 500, N_("Something went wrong"), N_("The portal could not finish your request. Nothing was changed. Try again in a moment.") },
	};
	const char *title = _("Error"), *text = "";
	for (size_t i = 0; i < NELEM(words); i++)
		if (words[i].status == status) {
			title = _(words[i].title);
			text = _(words[i].text);
		}
	struct tv *ctx = page_ctx(r, title);
	tv_seti(ctx, "status", status);
	tv_set(ctx, "text", text);
	/* a message marked N_() by its caller (the dispatcher's refusals) is translated here; one
	 * already translated is not in the catalog and stays as it is; the API above keeps English */
	tv_set(ctx, "message", message != NULL && *message != '\0' ? _(message) : message);
	tv_set(ctx, "rid", r->rid);
	return page_render(r, status, "errors/error", ctx);
}

int
page_not_ours(struct req *r, const char *what, int64_t id, const char *why)
{
	audit(r, "access", arena_printf(r->a, "%s %lld", what, (long long)id), "refused", why);
	return page_error(r, 404, NULL);
}

int
page_lookup(struct req *r, int found, const char *what, int64_t id, const char *why)
{
	if (found < 0)
		return page_error(r, 500, NULL);
	return found == 0 ? page_not_ours(r, what, id, why) : 0;
}

int
page_mail(struct req *r, const char *to, const char *tmpl, struct tv *ctx)
{
	if (!store_in_write(r->store))
		return -1;
	/* As many messages as the action has recipients: the list grows, never cut. */
	int64_t *more = arena_grow(r->a, r->mail, r->nmail, &r->mail_cap, sizeof(*r->mail), 8);
	if (more == NULL)
		return -1;
	r->mail = more;
	/* Claimed by this process with the action: delivered after the answer (dispatch.c) with
	 * no claim transaction of its own. */
	int64_t id = mail_enqueue_claimed(r->store, r->a, r->portal, to, tmpl, ctx);
	if (id < 0)
		return -1;
	r->mail[r->nmail++] = id;
	return 0;
}

const char *
page_lang(struct req *r)
{
	return i18n_code((enum lang)r->lang);
}

const char *
page_zone(struct req *r)
{
	if (r->sess == NULL)
		return NULL;
	if (r->sess->zone == NULL)
		r->sess->zone = zone_of_session(r->a, r->sess);
	return r->sess->zone;
}

char *
page_time(struct req *r, int64_t t)
{
	return fmt_datetime_in(r->a, t, page_zone(r), page_lang(r));
}

char *
page_mail_time(struct req *r, const char *to, int64_t t)
{
	return zone_time_for_address(r->store, r->a, to, t);
}

void
page_crumbs(struct tv *ctx, ...)
{
	struct tv *list = tv_list(ctx, "crumbs");
	va_list ap;
	va_start(ap, ctx);
	for (const char *href; (href = va_arg(ap, const char *)) != NULL;) {
		const char *label = va_arg(ap, const char *);
		struct tv *c = tv_push(list);
		tv_set(c, "href", href);
		tv_set(c, "label", label);
	}
	va_end(ap);
}

void
page_mail_reply_to(struct req *r, struct tv *ctx)
{
	if (r->sess != NULL && email_valid(r->sess->email))
		tv_set(ctx, "reply_to", r->sess->email);
}

int
page_mail_later(struct req *r, int64_t id)
{
	int64_t *more = arena_grow(r->a, r->mail, r->nmail, &r->mail_cap, sizeof(*r->mail), 8);
	if (more == NULL)
		return -1;
	r->mail = more;
	r->mail[r->nmail++] = id;
	return 0;
}
