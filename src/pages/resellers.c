/* page_resellers.c — Indirect resellers, the provider's side of SPEC §2.5: its resellers
 * and its invitations, Invite reseller, one invitation with its link, Resend and Revoke.
 * Every route here is F_PROVIDER: the dispatcher lets only users of an approved indirect
 * provider in. Invitations of another organization answer 404 (and are audited). */
#include <string.h>

#include "domain/agreement.h"
#include "base/portal.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "mail/mail.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "base/util.h"

/* The signed-in organization's provider account id (the route guarantees one). */
static int64_t
my_provider(struct req *r)
{
	int64_t id;
	rel_account(r->store, r->a, r->sess->tenant_id, "indirect_provider", &id);
	return id;
}

static const char *
state_text(const char *state)
{
	return str_eq(state, "pending") ? "Pending" : str_eq(state, "accepted") ? "Accepted"
	    : str_eq(state, "revoked") ? "Revoked" : str_eq(state, "expired") ? "Expired" : state;
}

static const char *
state_tag(const char *state)
{
	return str_eq(state, "pending") ? "warn" : str_eq(state, "accepted") ? "ok"
	    : str_eq(state, "expired") ? "err" : "muted";
}

static char *
invite_link(struct req *r, int64_t id, int64_t expires)
{
	char *token = rel_invite_token(r->a, id, expires);
	return token ? arena_printf(r->a, "%s/authorize?t=%s", r->portal->cfg.base_url, token) : NULL;
}

/* Queues the invitation email: who invites, their message, the link, when it expires. */
static int
send_invitation(struct req *r, int64_t id, const char *to, const char *message, int64_t expires)
{
	char *link = invite_link(r, id, expires);
	if (link == NULL)
		return -1;
	struct tv *m = tv_new_obj(r->a);
	tv_set(m, "provider", r->sess->tenant_name);
	tv_set(m, "inviter_name", r->sess->name);
	tv_set(m, "inviter_email", r->sess->email);
	tv_set(m, "link", link);
	tv_set(m, "expires", fmt_datetime(r->a, expires));
	tv_lines(tv_list(m, "message_lines"), message);
	return page_mail(r, to, "reseller-invitation", m);
}

/* ---- the list ---- */

static const enum q reseller_queries[4] = {
	Q_RESELLERS_NAME_ASC, Q_RESELLERS_NAME_DESC, Q_RESELLERS_SINCE_ASC, Q_RESELLERS_SINCE_DESC,
};

/* GET /resellers — ?sort=name|since&dir=asc|desc&page=N for the resellers, ?ipage=N for the
 * invitations. The provider's active resellers (name, MPN ID, country, since, agreement
 * status, delegated admin access) and its invitations with Resend and Revoke.
 * Who: RESELLERS_VIEW; the invitation controls need RESELLERS_INVITE. */
int
page_resellers(struct req *r)
{
	struct rel_list l;
	int64_t ipage;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0 ||
	    paging_parse(req_query(r, "ipage"), &ipage) < 0)
		return page_error(r, 400, NULL);
	int64_t provider = my_provider(r), now = now_sec();
	struct tv *ctx = page_ctx(r, "Indirect resellers");
	tv_setb(ctx, "can_invite", route_allows(r->sess, &routes[R_RESELLER_INVITE]));

	struct paging rp = paging_at(db_int(r->store, Q_RESELLERS_COUNT, 0, QI(provider)), l.page, REL_PAGE_SIZE);
	struct tv *rows = tv_list(ctx, "resellers");
	sqlite3_stmt *st = db_q(r->store, reseller_queries[rel_list_variant(&l)], QI(provider), QI(REL_PAGE_SIZE), QI(rp.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(rows);
		tv_row(row, st);
		tv_set(row, "since_text", fmt_date(r->a, db_i64(st, 5)));
		if (!db_i64(st, 6))
			tv_setf(row, "removed_text", "Removed %s", fmt_date(r->a, db_i64(st, 7)));
	}
	sqlite3_reset(st);
	/* The agreement status per reseller (at most one page of them). */
	for (size_t i = 0; i < rows->n; i++) {
		struct agreement_view v;
		if (agreement_reseller_view(r->store, r->a, tv_get(rows->items[i], "tenant_id")->i, &v) < 0)
			return page_error(r, 500, NULL);
		tv_set(rows->items[i], "agreement", v.words);
		tv_set(rows->items[i], "agreement_detail", v.detail);
		tv_set(rows->items[i], "agreement_tag", v.tag);
	}
	const char *sort = l.sort == REL_SORT_SINCE ? "since" : "name", *dir = l.desc ? "desc" : "asc";
	const char *ip = arena_printf(r->a, "%lld", (long long)ipage);
	sort_headers_tv(ctx, "/resellers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc);
	const char *keep_r[] = { "sort", sort, "dir", dir, "ipage", ipage > 1 ? ip : NULL, NULL };
	pager_tv(ctx, "rpager", &rp, "/resellers", keep_r, "page", "Pages of resellers");

	struct paging ipg = paging_at(db_int(r->store, Q_INV_COUNT, 0, QI(provider)), ipage, REL_PAGE_SIZE);
	struct tv *invs = tv_list(ctx, "invitations");
	st = db_q(r->store, Q_INV_LIST, QI(provider), QI(now), QI(REL_PAGE_SIZE), QI(ipg.offset));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *row = tv_push(invs);
		tv_row(row, st);
		const char *state = db_text(st, 4);
		tv_set(row, "sent_text", fmt_date(r->a, db_i64(st, 2)));
		tv_set(row, "expires_text", fmt_date(r->a, db_i64(st, 3)));
		tv_set(row, "state_text", state_text(state));
		tv_set(row, "tag", state_tag(state));
		tv_setb(row, "open", str_eq(state, "pending") || str_eq(state, "expired"));
		tv_setb(row, "pending", str_eq(state, "pending"));
	}
	sqlite3_reset(st);
	const char *pg = arena_printf(r->a, "%lld", (long long)rp.page);
	const char *keep_i[] = { "sort", sort, "dir", dir, "page", rp.page > 1 ? pg : NULL, NULL };
	pager_tv(ctx, "ipager", &ipg, "/resellers", keep_i, "ipage", "Pages of invitations");
	return page_render(r, 200, "resellers/list", ctx);
}

/* ---- Invite reseller ---- */

static const struct field invite_fields[] = {
	{ "email", "Reseller's email", "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  "Whom to send the link to: someone at the reseller who is a Global admin or Account admin, or a company address they read.", "off" },
	{ "message", "Message", "textarea", REL_MESSAGE_MAX, FF_MULTILINE, NULL,
	  "Shown in the email above the link. At most 1000 characters.", NULL },
};

static int
invite_form(struct req *r, int status, struct form *f)
{
	struct tv *ctx = page_ctx(r, "Invite reseller");
	form_to_tv(f, ctx);
	tv_seti(ctx, "ttl_days", REL_INVITE_TTL / 86400);
	return page_render(r, status, "resellers/invite", ctx);
}

/* GET /resellers/invite — the form: the reseller's email and an optional message.
 * Who: RESELLERS_INVITE (Global admin, Account admin, Admin agent). */
int
page_reseller_invite(struct req *r)
{
	struct form f;
	form_init(&f, invite_fields, NELEM(invite_fields));
	return invite_form(r, 200, &f);
}

/* POST /resellers/invite — email, message. Records the invitation (valid 30 days), emails
 * the link, then shows the invitation with its link and a copy button. One pending
 * invitation per address: a second one is refused beside the field (use Resend). */
int
page_reseller_invite_post(struct req *r)
{
	struct form f;
	if (form_read(r, &f, invite_fields, NELEM(invite_fields)) > 0)
		return invite_form(r, 422, &f);
	const char *email = form_get(&f, "email"), *message = form_get(&f, "message");
	int64_t provider = my_provider(r), now = now_sec(), expires = now + REL_INVITE_TTL;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	db_run(r->store, Q_INV_MARK_EXPIRED, QI(provider), QI(now));
	if (db_int(r->store, Q_INV_PENDING_TO, 0, QI(provider), QT(email), QI(now)) != 0) {
		form_fail(&f, "email", "You have already invited this address and the invitation is still pending. Use Resend in the list of invitations to send it again.");
		return invite_form(r, 422, &f);
	}
	if (db_run(r->store, Q_INV_INSERT, QI(provider), QT(email), QT(message), QI(now), QI(r->sess->user_id),
	    QI(now), QI(expires)) != 1)
		return page_error(r, 500, NULL);
	int64_t id = db_last_id(r->store);
	if (send_invitation(r, id, email, message, expires) < 0)
		return page_error(r, 500, NULL);
	audit(r, "invitation.send", email, "ok", arena_printf(r->a, "invitation %lld", (long long)id));
	return resp_redirect(r, arena_printf(r->a, "/resellers/invitations/%lld?m=invitation-sent", (long long)id));
}

/* ---- one invitation ---- */

struct invitation {
	int64_t id, provider_id, created_at, sent_at, expires_at, accepted_at;
	const char *email, *message, *status, *state, *inviter_name, *inviter_email;
};

/* Loads invitation id for this provider. 0, or 404 (written to the audit log) when there is
 * no such invitation or it belongs to another organization. */
static int
load_invitation(struct req *r, int64_t id, int64_t provider, struct invitation *inv)
{
	memset(inv, 0, sizeof(*inv));
	sqlite3_stmt *st = db_q(r->store, Q_INV_GET, QI(id));
	bool found = db_step(st) == SQLITE_ROW;
	if (found) {
		inv->id = db_i64(st, 0);
		inv->provider_id = db_i64(st, 1);
		inv->email = arena_strdup(r->a, db_text(st, 2));
		inv->message = arena_strdup(r->a, db_text(st, 3));
		inv->created_at = db_i64(st, 4);
		inv->sent_at = db_i64(st, 5);
		inv->expires_at = db_i64(st, 6);
		inv->status = arena_strdup(r->a, db_text(st, 7));
		inv->inviter_name = arena_strdup(r->a, db_text(st, 8));
		inv->inviter_email = arena_strdup(r->a, db_text(st, 9));
		inv->accepted_at = db_i64(st, 10);
	}
	sqlite3_reset(st);
	if (!found || inv->provider_id != provider) {
		audit(r, "access", arena_printf(r->a, "invitation %lld", (long long)id), "refused",
		    found ? "another organization's invitation" : "no such invitation");
		return page_error(r, 404, NULL);
	}
	inv->state = str_eq(inv->status, "pending") && inv->expires_at <= now_sec() ? "expired" : inv->status;
	return 0;
}

static int
invitation_page(struct req *r, int status, const struct invitation *inv, const char *problem)
{
	struct tv *ctx = page_ctx(r, "Invitation");
	struct tv *o = tv_obj(ctx, "inv");
	tv_seti(o, "id", inv->id);
	tv_set(o, "email", inv->email);
	tv_set(o, "state_text", state_text(inv->state));
	tv_set(o, "tag", state_tag(inv->state));
	tv_set(o, "sent", fmt_datetime(r->a, inv->sent_at));
	tv_set(o, "created", fmt_datetime(r->a, inv->created_at));
	tv_set(o, "expires", fmt_datetime(r->a, inv->expires_at));
	tv_set(o, "inviter", *inv->inviter_name ? arena_printf(r->a, "%s (%s)", inv->inviter_name, inv->inviter_email) : NULL);
	tv_lines(tv_list(o, "message_lines"), inv->message);
	bool pending = str_eq(inv->state, "pending");
	tv_setb(o, "pending", pending);
	tv_setb(o, "open", pending || str_eq(inv->state, "expired"));
	if (pending)
		tv_set(o, "link", invite_link(r, inv->id, inv->expires_at));
	if (inv->accepted_at)
		tv_set(o, "accepted", fmt_datetime(r->a, inv->accepted_at));
	tv_set(ctx, "problem", problem);
	return page_render(r, status, "resellers/invitation", ctx);
}

/* GET /resellers/invitations/ID — one invitation: address, status, sent, expiry, message;
 * while pending, the link with a Copy link button (for providers who mail it themselves);
 * Resend and Revoke. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation(struct req *r)
{
	struct invitation inv;
	int st = load_invitation(r, r->id, my_provider(r), &inv);
	return st ? st : invitation_page(r, 200, &inv, NULL);
}

/* POST /resellers/invitations/resend/ID — emails the invitation again with a new expiry
 * (30 days from now): every earlier link for it stops working. Pending or expired
 * invitations only. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation_resend_post(struct req *r)
{
	int64_t provider = my_provider(r), now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	db_run(r->store, Q_INV_MARK_EXPIRED, QI(provider), QI(now));
	struct invitation inv;
	int st = load_invitation(r, r->id, provider, &inv);
	if (st)
		return st;
	int64_t expires = rel_next_expiry(now, inv.expires_at);
	if (db_run(r->store, Q_INV_RESEND, QI(now), QI(expires), QI(inv.id), QI(provider)) != 1) {
		audit(r, "invitation.resend", inv.email, "refused", inv.status);
		return invitation_page(r, 409, &inv, "This invitation can no longer be sent: it was accepted or revoked. Invite the reseller again if you need a new link.");
	}
	if (send_invitation(r, inv.id, inv.email, inv.message, expires) < 0)
		return page_error(r, 500, NULL);
	audit(r, "invitation.resend", inv.email, "ok", arena_printf(r->a, "invitation %lld", (long long)inv.id));
	return resp_redirect(r, arena_printf(r->a, "/resellers/invitations/%lld?m=invitation-resent", (long long)inv.id));
}

/* POST /resellers/invitations/revoke/ID — the invitation's link stops working at once.
 * Pending or expired invitations only. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation_revoke_post(struct req *r)
{
	int64_t provider = my_provider(r), now = now_sec();
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	db_run(r->store, Q_INV_MARK_EXPIRED, QI(provider), QI(now));
	struct invitation inv;
	int st = load_invitation(r, r->id, provider, &inv);
	if (st)
		return st;
	if (db_run(r->store, Q_INV_REVOKE, QI(r->sess->user_id), QI(now), QI(inv.id), QI(provider)) != 1) {
		audit(r, "invitation.revoke", inv.email, "refused", inv.status);
		return invitation_page(r, 409, &inv, "This invitation cannot be revoked: it was already accepted or revoked.");
	}
	audit(r, "invitation.revoke", inv.email, "ok", arena_printf(r->a, "invitation %lld", (long long)inv.id));
	return resp_redirect(r, "/resellers?m=invitation-revoked");
}
