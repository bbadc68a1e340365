/* page_home.c — the overview page and the health check. */
#include <string.h>

#include "pages/agreement.h"
#include "base/portal.h"
#include "store/db.h"
#include "domain/enroll.h"
#include "web/http.h"
#include "web/page.h"
#include "base/util.h"

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

/* The three things a reseller needs before it can transact (SPEC §2.2 step 7): account
 * created, enrolled as indirect reseller, partner agreement signed — each with its state
 * and next step. */
static void
add_checklist(struct req *r, struct tv *ctx, const char *domain, int64_t created, const struct agreement_state *ag)
{
	struct tv *list = tv_list(ctx, "checklist");
	struct tv *it = step(list, "Account created", "ok", "Done");
	tv_setf(it, "text", "Your work account %s was created on %s.", domain, fmt_date(r->a, created));

	struct enroll_state s;
	enroll_state_get(r->store, r->sess->tenant_id, &s);
	bool admin = perm_allows(PERM_ENROLL, r->sess->roles);
	const char *contact = NULL, *contact_email = NULL, *reason = "", *decided = NULL;
	sqlite3_stmt *st = db_q(r->store, Q_LEGAL_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		contact = arena_printf(r->a, "%s %s", db_text(st, 6), db_text(st, 7));
		contact_email = arena_strdup(r->a, db_text(st, 8));
	}
	sqlite3_reset(st);
	const char *other = NULL;		/* an approved account of another type */
	st = db_q(r->store, Q_PA_FOR_TENANT, QI(r->sess->tenant_id));
	while (db_step(st) == SQLITE_ROW)
		if (db_i64(st, 0) == s.reseller_id) {
			reason = arena_strdup(r->a, db_text(st, 9));
			if (!db_is_null(st, 8))
				decided = fmt_date(r->a, db_i64(st, 8));
		} else if (str_eq(db_text(st, 2), "approved") && other == NULL) {
			other = str_eq(db_text(st, 1), "direct_bill") ? "Enrolled as direct bill partner" : "Enrolled as indirect provider";
			if (!db_is_null(st, 8))
				decided = fmt_date(r->a, db_i64(st, 8));
		}
	sqlite3_reset(st);

	const char *title = "Enrolled as indirect reseller";
	switch (s.reseller_status) {
	case PA_PENDING_VERIFICATION:
		it = step(list, title, "warn", "Waiting for verification");
		tv_setf(it, "text", "We emailed %s (%s) a link to verify the enrollment. Once they verify, we review it.",
		    contact ? contact : "your primary contact", contact_email ? contact_email : "");
		if (perm_allows(PERM_PROFILE_EDIT, r->sess->roles)) {
			tv_set(it, "href", "/settings/profile");
			tv_set(it, "action", "Resend the verification email from the organization profile");
		}
		break;
	case PA_IN_REVIEW:
		it = step(list, title, "warn", "In review");
		tv_setf(it, "text", "Your primary contact has verified the enrollment. We are reviewing it; this can take "
		    "several days. We will email %s when we have decided.", contact ? contact : "your primary contact");
		break;
	case PA_APPROVED:
		it = step(list, title, "ok", "Done");
		tv_setf(it, "text", "Approved on %s. Your organization is an indirect reseller in the %s.",
		    decided ? decided : "?", r->portal->cfg.program);
		break;
	case PA_REJECTED:
		it = step(list, title, "err", "Rejected");
		tv_setf(it, "text", "Your enrollment was not approved. Reason: %s", reason);
		if (admin) {
			tv_set(it, "href", "/enroll");
			tv_set(it, "action", "Enroll again");
		} else {
			tv_set(it, "next", "Ask a Global admin of your organization to enroll again.");
		}
		break;
	default:
		if (other != NULL && s.reseller_status < 0) {
			/* A provider or direct-bill partner: enrolled by the operator. */
			it = step(list, other, "ok", "Done");
			tv_setf(it, "text", "Approved on %s. To resell through an indirect provider as well, enroll as an indirect "
			    "reseller: we only need your customer support details.", decided ? decided : "?");
			if (admin) {
				tv_set(it, "href", "/enroll");
				tv_set(it, "action", "Enroll as indirect reseller");
			}
			break;
		}
		it = step(list, title, "muted", s.reseller_status == PA_DRAFT ? "In progress" : "Not started");
		tv_set(it, "text", "Enroll to resell the program's offers through an indirect provider.");
		if (admin) {
			tv_set(it, "href", "/enroll");
			tv_set(it, "action", "Enroll now");
		} else {
			tv_set(it, "next", "Only a Global admin can enroll: ask one in your organization.");
		}
		break;
	}

	if (ag->accepted) {
		it = step(list, "Partner agreement signed", "ok", "Done");
		tv_setf(it, "text", "%s %s accepted by %s on %s.", r->portal->cfg.agreement, ag->version, ag->signer_name,
		    fmt_date(r->a, ag->accepted_at));
	} else if (!ag->published) {
		it = step(list, "Partner agreement signed", "muted", "Not signed");
		tv_setf(it, "text", "The %s is not yet available to sign. This step opens once it is published.",
		    r->portal->cfg.agreement);
	} else {
		it = step(list, "Partner agreement signed", "warn", "Not signed");
		tv_setf(it, "text", "Accept the %s %s before you transact.", r->portal->cfg.agreement, ag->version);
		if (route_allows(r->sess, &routes[R_AGREEMENT_POST])) {
			tv_set(it, "href", "/agreement");
			tv_set(it, "action", "Review and accept the agreement");
		} else {
			tv_set(it, "next", "Only a Global admin can accept it: ask one in your organization.");
		}
	}
	/* An organization that is an approved provider or direct-bill partner sees that too. */
	tv_setb(ctx, "other_approved", s.other_approved);
}

/* GET / — the overview for a signed-in user; the sign-in page otherwise. */
int
page_home(struct req *r)
{
	if (r->sess == NULL)
		return page_signin(r);
	struct tv *ctx = page_ctx(r, "Overview");
	struct tv *org = tv_obj(ctx, "org");
	tv_set(org, "name", r->sess->tenant_name);
	const char *domain = "", *kind = "partner";
	int64_t created = 0;
	sqlite3_stmt *st = db_q(r->store, Q_TENANT_GET, QI(r->sess->tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		domain = arena_strdup(r->a, db_text(st, 1));
		kind = arena_strdup(r->a, db_text(st, 3));
		created = db_i64(st, 4);
		tv_set(org, "country", db_text(st, 5));
		tv_set(org, "region", db_text(st, 6));
	}
	sqlite3_reset(st);
	if (str_eq(kind, "customer")) {
		tv_setb(org, "customer", true);
		tv_setb(org, "can_view_partners", perm_allows(PERM_CUSTOMERS_VIEW, r->sess->roles));
	} else {
		/* Read once: the banner and the checklist's third step show the same state. */
		struct agreement_state ag;
		if (agreement_state(r->store, r->a, r->sess->tenant_id, &ag) < 0)
			return page_error(r, 500, NULL);
		agreement_banner_fill(r, ctx, &ag);
		add_checklist(r, ctx, domain, created, &ag);
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
