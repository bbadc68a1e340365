/* home.c — the overview page and the health check. */
#include <string.h>

#include "pages/agreement.h"
#include "base/i18n.h"
#include "base/numfmt.h"
#include "base/portal.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/agreement.h"
#include "domain/enroll.h"
#include "domain/overview.h"
#include "domain/words.h"
#include "web/http.h"
#include "web/page.h"

/* One row of the overview's checklist. */
static struct tv *
step(struct tv *list, const char *title, const char *tag, const char *state)
{
	struct tv *it = tv_push(list);
	tv_set(it, "title", title);
	tv_set(it, "tag", tag);
	tv_set(it, "state", state);
	return it;
}

/* The date an account was decided, "?" when it has none. */
static const char *
decided_on(struct req *r, const struct partner_account *p)
{
	return p != NULL && p->decided_at != 0 ? fmt_date(r->a, p->decided_at) : "?";
}

/* The organization is not (yet) an indirect reseller: enrolled as a provider or direct-bill
 * partner by the operator, or not (fully) enrolled at all. */
static void
step_not_reseller(struct req *r, struct tv *list, const struct enroll_state *s, bool admin)
{
	struct tv *it;
	if (s->other != NULL && s->reseller == NULL) {
		/* A provider or direct-bill partner: enrolled by the operator. */
		it = step(list, arena_printf(r->a, _("Enrolled as %s"), partner_type_words(s->other->type)), "ok", _("Done"));
		tv_setf(it, "text", _("Approved on %s. To resell through an indirect provider as well, enroll as an indirect "
		    "reseller: we only need your customer support details."), decided_on(r, s->other));
		if (admin) {
			tv_set(it, "href", "/enroll");
			tv_set(it, "action", _("Enroll as indirect reseller"));
		}
		return;
	}
	it = step(list, _("Enrolled as indirect reseller"), "muted", s->reseller_status == PA_DRAFT ? _("In progress") : _("Not started"));
	tv_set(it, "text", _("Enroll to resell the program's offers through an indirect provider."));
	if (admin) {
		tv_set(it, "href", "/enroll");
		tv_set(it, "action", _("Enroll now"));
	} else {
		tv_set(it, "next", _("Only a Global admin can enroll: ask one in your organization."));
	}
}

/* The checklist's second step: enrolled as indirect reseller, with its state and next step. */
static void
step_enrollment(struct req *r, struct tv *list, const struct enroll_state *s)
{
	const char *title = _("Enrolled as indirect reseller");
	bool admin = perm_allows_in(r->sess, PERM_ENROLL, r->sess->tenant_id);
	const char *contact = s->has_legal ? arena_printf(r->a, "%s %s", s->legal.contact_first, s->legal.contact_last)
	    : NULL;
	struct tv *it;
	switch (s->reseller_status) {
	case PA_PENDING_VERIFICATION:
		it = step(list, title, "warn", _("Waiting for verification"));
		tv_setf(it, "text", _("We emailed %s (%s) a link to verify the enrollment. Once they verify, we review it."),
		    contact ? contact : _("your primary contact"), s->has_legal ? s->legal.contact_email : "");
		if (perm_allows_in(r->sess, PERM_PROFILE_EDIT, r->sess->tenant_id)) {
			tv_set(it, "href", "/settings/profile");
			tv_set(it, "action", _("Resend the verification email from the organization profile"));
		}
		break;
	case PA_IN_REVIEW:
		it = step(list, title, "warn", _("In review"));
		tv_setf(it, "text", _("Your primary contact has verified the enrollment. We are reviewing it; this can take "
		    "several days. We will email %s when we have decided."), contact ? contact : _("your primary contact"));
		break;
	case PA_APPROVED:
		it = step(list, title, "ok", _("Done"));
		tv_setf(it, "text", _("Approved on %s. Your organization is an indirect reseller in the %s."),
		    decided_on(r, s->reseller), r->portal->cfg.program);
		break;
	case PA_REJECTED:
		it = step(list, title, "err", _("Rejected"));
		tv_setf(it, "text", _("Your enrollment was not approved. Reason: %s"), s->reseller->reject_reason);
		if (admin) {
			tv_set(it, "href", "/enroll");
			tv_set(it, "action", _("Enroll again"));
		} else {
			tv_set(it, "next", _("Ask a Global admin of your organization to enroll again."));
		}
		break;
	default:
		step_not_reseller(r, list, s, admin);
		break;
	}
}

/* The checklist's third step: the partner agreement accepted. */
static void
step_agreement(struct req *r, struct tv *list, const struct agreement_state *ag)
{
	const char *name = r->portal->cfg.agreement;
	struct tv *it;
	if (ag->accepted) {
		it = step(list, _("Partner agreement accepted"), "ok", _("Done"));
		tv_setf(it, "text", _("%s %s accepted by %s on %s."), name, ag->version, ag->signer_name,
		    fmt_date(r->a, ag->accepted_at));
	} else if (!ag->published) {
		it = step(list, _("Partner agreement accepted"), "muted", _("Not accepted"));
		tv_setf(it, "text", _("The %s is not yet available to sign. This step opens once it is published."), name);
	} else if (!agreement_applies(r)) {
		/* Issue 15: no "Review and accept" that leads to "nothing to accept". */
		it = step(list, _("Partner agreement accepted"), "muted", _("Not accepted"));
		tv_setf(it, "text", _("Your organization accepts the %s %s once it has enrolled: enroll first."), name, ag->version);
	} else {
		it = step(list, _("Partner agreement accepted"), "warn", _("Not accepted"));
		tv_setf(it, "text", _("Accept the %s %s before you transact."), name, ag->version);
		if (route_allows(r->sess, &routes[R_AGREEMENT_POST])) {
			tv_set(it, "href", "/agreement");
			tv_set(it, "action", _("Review and accept the agreement"));
		} else {
			tv_set(it, "next", _("Only a Global admin can accept it: ask one in your organization."));
		}
	}
}

/* The three things a reseller needs before it can transact (SPEC §2.2 step 7): account
 * created, enrolled as indirect reseller, partner agreement accepted — each with its state
 * and next step. */
static void
add_checklist(struct req *r, struct tv *ctx, const struct enroll_state *s, const struct agreement_state *ag)
{
	struct tv *list = tv_list(ctx, "checklist");
	struct tv *it = step(list, _("Account created"), "ok", _("Done"));
	tv_setf(it, "text", _("Your work account %s was created on %s."), s->tenant.domain, fmt_date(r->a, s->tenant.created_at));
	step_enrollment(r, list, s);
	step_agreement(r, list, ag);
	/* An organization that is an approved provider or direct-bill partner sees that too. */
	tv_setb(ctx, "other_approved", s->other_approved);
}

/* ---- counts and pending items (issue 15, item 11) ---- */

/* n as the Overview shows a count, grouped as the reader's language groups digits: "7",
 * "20,000" ("20 000"); a capped count (capped: counted up to OVERVIEW_CAP + 1) past the cap
 * "1,000+". */
static const char *
count_text(struct req *r, int64_t n, bool capped)
{
	if (capped && n > OVERVIEW_CAP)
		return arena_printf(r->a, "%s+", fmt_count(r->a, OVERVIEW_CAP));
	return n >= 1000 ? fmt_count(r->a, n) : arena_printf(r->a, "%lld", (long long)n);
}

/* Pushes {n, label, href} onto list when n was counted (n >= 0; capped: see count_text). */
static void
count_item(struct req *r, struct tv *list, int64_t n, bool capped, const char *label, const char *href)
{
	if (n < 0)
		return;
	struct tv *it = tv_push(list);
	tv_set(it, "n", count_text(r, n, capped));
	tv_set(it, "label", label);
	tv_set(it, "href", href);
}

/* Pushes {text (the count's sentence, its plural chosen by the caller), href, action} onto list when n (counted) is more than none. */
static void
pending_item(struct tv *list, int64_t n, const char *text, const char *href,
    const char *action)
{
	if (n <= 0)
		return;
	struct tv *it = tv_push(list);
	tv_set(it, "text", text);
	tv_set(it, "href", href);
	tv_set(it, "action", action);
}

/* The partner's approved account of type t in s, 0 none. */
static int64_t
approved_account(const struct enroll_state *s, enum partner_type t)
{
	for (size_t i = 0; i < s->accounts.n; i++)
		if (s->accounts.v[i].type == t && s->accounts.v[i].status == PA_APPROVED)
			return s->accounts.v[i].id;
	return 0;
}

/* ctx.counts and ctx.pending: what the user's roles may see of the organization's lists (its
 * customers, resellers and users) and what waits for an answer (invitations sent and not
 * answered, resellers without the current agreement, the enrollment's verification), each a
 * link to its page. One statement at most (overview_counts). 0 or -1. */
static int
add_counts(struct req *r, struct tv *ctx, const struct enroll_state *s)
{
	bool resellers = route_allows(r->sess, &routes[R_RESELLERS]);
	struct overview_ask ask = {
		.provider = resellers ? approved_account(s, PT_INDIRECT_PROVIDER) : 0,
		.reseller = route_allows(r->sess, &routes[R_CUSTOMER_INVITE_FORM]) ? approved_account(s, PT_INDIRECT_RESELLER) : 0,
		/* customers come only through an approved partner account: none, nothing to count */
		.customers = (s->other_approved || s->reseller_status == PA_APPROVED) && route_allows(r->sess, &routes[R_CUSTOMERS]),
		.users = route_allows(r->sess, &routes[R_USERS]),
	};
	struct overview_counts c;
	if (overview_counts(r->store, r->sess->tenant_id, &ask, now_sec(), &c) < 0)
		return -1;
	struct tv *counts = tv_list(ctx, "counts");
	count_item(r, counts, c.customers, false, ngettext("customer", "customers", (unsigned long)c.customers), "/customers");
	count_item(r, counts, c.resellers, false, ngettext("indirect reseller", "indirect resellers", (unsigned long)c.resellers), "/resellers");
	count_item(r, counts, c.users, true, ngettext("user", "users", (unsigned long)c.users), "/settings/users");
	struct tv *pending = tv_list(ctx, "pending");
	pending_item(pending, c.reseller_invitations, arena_printf(r->a, ngettext("%s invitation to a reseller is not answered yet.",
	    "%s invitations to resellers are not answered yet.", (unsigned long)c.reseller_invitations), count_text(r, c.reseller_invitations, true)), "/resellers?istate=open#invitations-head",
	    _("See open invitations"));
	pending_item(pending, c.customer_invitations, arena_printf(r->a, ngettext("%s customer invitation is not answered yet.",
	    "%s customer invitations are not answered yet.", (unsigned long)c.customer_invitations), count_text(r, c.customer_invitations, true)), "/providers", _("See your indirect providers' customers"));
	pending_item(pending, c.unsigned_resellers, arena_printf(r->a, ngettext("%s of your resellers has not accepted the current partner agreement.",
	    "%s of your resellers have not accepted the current partner agreement.", (unsigned long)c.unsigned_resellers), count_text(r, c.unsigned_resellers, false)), "/resellers", _("See your resellers"));
	if (s->reseller_status == PA_PENDING_VERIFICATION) {
		struct tv *it = tv_push(pending);
		tv_set(it, "text", _("Your enrollment is waiting for the primary contact to verify their email address."));
		if (perm_allows_in(r->sess, PERM_PROFILE_EDIT, r->sess->tenant_id)) {
			tv_set(it, "href", "/settings/profile");
			tv_set(it, "action", _("Resend the verification email"));
		}
	}
	tv_setb(ctx, "glance", counts->n > 0 || pending->n > 0 || ask.provider != 0 || ask.reseller != 0);
	return 0;
}

/* GET / — the overview for a signed-in user; the sign-in page otherwise. */
int
page_home(struct req *r)
{
	if (r->sess == NULL)
		return page_signin(r);
	if (session_is_operator(r->sess))	/* issue 19: the program team's home is the console */
		return resp_redirect(r, "/operator");
	/* the organization, its accounts, legal details and agreement state: one statement */
	struct enroll_state s;
	struct agreement_state ag;
	if (overview_state(r->store, r->a, r->sess->tenant_id, &s, &ag) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Overview"));
	struct tv *org = tv_obj(ctx, "org");
	tv_set(org, "name", r->sess->tenant_name);
	tv_set(org, "country", s.tenant.country.name);
	tv_set(org, "region", s.tenant.country.region_name);
	if (s.customer) {
		tv_setb(org, "customer", true);
		tv_setb(org, "can_view_partners", perm_allows_in(r->sess, PERM_CUSTOMERS_VIEW, r->sess->tenant_id));
	} else {
		/* Read once: the banner and the checklist's third step show the same state. */
		agreement_banner_fill(r, ctx, &ag);
		if (add_counts(r, ctx, &s) < 0)
			return page_error(r, 500, NULL);
		add_checklist(r, ctx, &s, &ag);
	}
	return page_render(r, 200, "home/overview", ctx);
}

/* GET /healthz — 200 "ok" when the process and the database answer, 503 otherwise. */
int
page_healthz(struct req *r)
{
	if (!store_ping(r->store))
		return resp_text(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
	return resp_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}
