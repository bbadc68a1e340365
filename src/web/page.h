/* page.h — rendering pages: the shared context, the layout, error pages, notices. */
#ifndef PAGE_H
#define PAGE_H

#include "web/http.h"
#include "base/tmpl.h"

/* A template context with what the layout needs: product names, the CSRF token, the
 * signed-in user and organization with their roles, the navigation for the partner's
 * type (only links the user may open), the page title, and a notice from ?m=. */
struct tv *page_ctx(struct req *r, const char *title);
/* Where a signed-out visitor returns after signing in from this page (a safe relative
 * path, the query less ?m= and ?t=), or NULL: page_ctx gives it to the layout's "Sign in". */
const char *page_return_to(struct req *r);
/* Renders templates/<tmpl>.html inside templates/layout.html into r->body. Returns status
 * (500 if the template is missing). */
int page_render(struct req *r, int status, const char *tmpl, struct tv *ctx);
/* The one error page renderer: generic words per status, an optional sentence for the
 * user, the request id. Returns status. */
int page_error(struct req *r, int status, const char *message);
/* An id of an object (what: "customer", "relationship", "invitation", ...) that is none of
 * the signed-in organization's: an audit entry ("access", "<what> <id>", refused, why) and
 * 404. Returns 404. */
int page_not_ours(struct req *r, const char *what, int64_t id, const char *why);
/* The answer to looking up such an object by id, the domain's found: > 0 it is the
 * organization's, 0 (go on); 0 it is not (page_not_ours: 404, audited); < 0 500. */
int page_lookup(struct req *r, int found, const char *what, int64_t id, const char *why);
/* Queues an email for the request's transaction (open it first with tx_begin); the
 * dispatcher delivers it once the transaction commits (and drops it if it rolls back).
 * 0, or -1 (bad address, template, database). */
int page_mail(struct req *r, const char *to, const char *tmpl, struct tv *ctx);
/* issue 15: an invitation's answer goes to the person who sent it: sets ctx's "reply_to"
 * (the message's Reply-To, mail.h) to the signed-in user's address. Not for an API
 * credential, whose session has no address ("api:<name>"). */
void page_mail_reply_to(struct req *r, struct tv *ctx);
/* issue 15, item 13: the one breadcrumb trail (partials/crumbs) above a detail page: pairs
 * of (href, label), ending with NULL; the page's own title ends the trail (not a link), so
 * no trail ends in a separator. */
void page_crumbs(struct tv *ctx, ...) __attribute__((sentinel));
/* issue 19: delivers outbox message id (queued already) after the answer, as the request's
 * own mail is (the console's Retry). 0 or -1. */
int page_mail_later(struct req *r, int64_t id);
/* issue 15: how the audit log names a page a user was refused, from its route id's name
 * ("PROVIDERS"): its navigation label ("Indirect providers"), else "the page <path>"; NULL
 * when no route has that name. */
const char *page_route_words(struct arena *a, const char *route_name);
/* issue 15: a time as its reader sees it, "05 Mar 2026, 15:03 CET": on a page in the
 * signed-in user's zone (their choice, else their organization's country's; UTC signed
 * out), in an email in the zone of the user with address `to` (UTC for an address without
 * a user). page_lang is the language dates are written in: the page's (issue 18). */
const char *page_lang(struct req *r);
/* The signed-in reader's zone (NULL signed out: UTC), worked out on the first time shown. */
const char *page_zone(struct req *r);
char *page_time(struct req *r, int64_t t);
char *page_mail_time(struct req *r, const char *to, int64_t t);
/* The sentence for a notice code passed as ?m= after a redirect (fixed texts only), or NULL. */
const char *notice_text(const char *code);

#endif
