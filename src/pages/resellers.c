/* resellers.c — Indirect resellers, the provider's side of SPEC §2.5: its resellers
 * and its invitations, Invite reseller, one invitation with its link, Resend and Revoke.
 * Every route here is F_PROVIDER: the dispatcher lets only users of an approved indirect
 * provider in. Invitations of another organization answer 404 (and are audited). */
#include <string.h>

#include "domain/invitations.h"
#include "pages/invite_lang.h"
#include "pages/invitation_parts.h"
#include "domain/agreement.h"
#include "base/i18n.h"
#include "base/portal.h"
#include "domain/partners.h"
#include "domain/words.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page.h"
#include "web/pager.h"
#include "domain/relationships.h"
#include "domain/timeline.h"
#include "pages/relationship_parts.h"
#include "pages/resellers.h"
#include "base/util.h"

/* The signed-in organization's provider account id (the route guarantees one). */
static int64_t
my_provider(struct req *r)
{
	int64_t id;
	partner_status_of(r->store, r->sess->tenant_id, PT_INDIRECT_PROVIDER, &id);
	return id;
}

/* The tag class of an invitation's state. */
static const char *
state_tag(enum inv_status state)
{
	return state == INV_PENDING ? "warn" : state == INV_ACCEPTED ? "ok" : state == INV_EXPIRED ? "err" : "muted";
}

char *
invite_link(struct req *r, int64_t id, int64_t expires)
{
	char *token = rel_invite_token(r->a, id, expires);
	return token ? arena_printf(r->a, "%s/authorize?t=%s", r->portal->cfg.base_url, token) : NULL;
}

/* Queues the invitation email: who invites, their message, the link, when it expires. */
int
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
	/* issue 18: in the language the inviter chose (stored with the invitation), its time too */
	const char *lang = inv_lang(r->store, r->a, INV_RESELLER, id);
	enum lang was = i18n_use(lang != NULL ? (enum lang)i18n_parse(lang) : i18n_current());
	tv_set(m, "lang", lang);
	tv_set(m, "expires", page_mail_time(r, to, expires));
	i18n_use(was);
	tv_lines(tv_list(m, "message_lines"), message);
	page_mail_reply_to(r, m);
	return page_mail(r, to, "reseller-invitation", m);
}

/* ---- the list ---- */

/* ctx.resellers: one page of the provider's resellers with their agreement standing. */
static int
resellers_tv(struct req *r, struct tv *ctx, const struct rel_partner_list *list)
{
	struct tv *rows = tv_list(ctx, "resellers");
	for (size_t i = 0; i < list->n; i++) {
		const struct rel_partner_row *x = &list->v[i];
		struct agreement_view v;
		if (agreement_reseller_view(r->store, r->a, x->tenant_id, &v) < 0)
			return -1;
		struct tv *row = relationship_row_tv(r, rows, x);
		if (access_state_tv(r, row, r->sess->tenant_id, x->tenant_id) < 0)
			return -1;
		if (!x->admin_access)
			tv_setf(row, "removed_text", _("Removed %s"), fmt_date(r->a, x->removed_at));
		tv_set(row, "agreement", _(v.words));
		tv_set(row, "agreement_detail", v.detail);
		tv_set(row, "agreement_tag", v.tag);
	}
	return 0;
}

/* ctx.invitations: one page of the provider's invitations. */
static void
invitations_tv(struct req *r, struct tv *ctx, const struct invitation_list *list)
{
	struct tv *rows = tv_list(ctx, "invitations");
	for (size_t i = 0; i < list->n; i++) {
		const struct invitation_row *x = &list->v[i];
		struct tv *row = tv_push(rows);
		tv_seti(row, "id", x->id);
		tv_set(row, "email", x->email);
		tv_set(row, "reseller", x->reseller);
		tv_set(row, "sent_text", fmt_date(r->a, x->sent_at));
		tv_set(row, "expires_text", fmt_date(r->a, x->expires_at));
		tv_set(row, "state_text", inv_status_label(x->state));
		tv_set(row, "tag", state_tag(x->state));
		tv_setb(row, "open", x->state == INV_PENDING || x->state == INV_EXPIRED);
		tv_setb(row, "pending", x->state == INV_PENDING);
	}
}

/* The invitations' filter (issue 15): ?istate= one of these keys; "" or absent: all. */
static const struct {
	const char *key, *label;
	int state;		/* enum inv_status, -1: all */
} inv_filters[] = {
	{ "", N_("All"), -1 }, { "open", N_("Open"), INV_PENDING }, { "accepted", N_("Accepted"), INV_ACCEPTED },
	{ "revoked", N_("Revoked"), INV_REVOKED }, { "expired", N_("Expired"), INV_EXPIRED },
};

/* ?istate= as an enum inv_status, -1 for all, -2 when it is none of the filter's keys. */
static int
inv_filter_parse(const char *v)
{
	for (size_t i = 0; i < NELEM(inv_filters); i++)
		if (str_eq(v == NULL ? "" : v, inv_filters[i].key))
			return inv_filters[i].state;
	return -2;
}

/* ctx.ifilter: the filter's choices (the current one selected) and the list's sort to keep. */
static void
inv_filter_tv(struct req *r, struct tv *ctx, int istate, const struct rel_list *l)
{
	struct tv *o = tv_obj(ctx, "ifilter");
	struct tv *list = tv_list(o, "choices");
	for (size_t i = 0; i < NELEM(inv_filters); i++) {
		struct tv *c = tv_push(list);
		tv_set(c, "key", inv_filters[i].key);
		tv_set(c, "label", _(inv_filters[i].label));
		tv_setb(c, "selected", inv_filters[i].state == istate);
	}
	tv_setb(o, "filtered", istate >= 0);
	tv_set(o, "word", inv_filters[istate + 1].key);
	tv_set(o, "sort", l->sort == REL_SORT_SINCE ? "since" : "name");
	tv_set(o, "dir", l->desc ? "desc" : "asc");
	(void)r;
}

/* GET /resellers — ?sort=name|since&dir=asc|desc&after=ID|before=ID|last=1 (a cursor pager:
 * no page numbers, which cannot be fast at 20,000 resellers; old ?page=N links still work)
 * for the resellers, ?ipage=N for the
 * invitations, ?istate=open|accepted|revoked|expired to show the invitations in one state. The provider's active resellers (name, MPN ID, country, since, agreement
 * status, delegated admin access) and its invitations with Resend and Revoke.
 * Who: RESELLERS_VIEW; the invitation controls need RESELLERS_INVITE. */
int
page_resellers(struct req *r)
{
	struct rel_list l;
	int64_t ipage;
	int istate;
	if (rel_list_parse(req_query(r, "sort"), req_query(r, "dir"), req_query(r, "page"), &l) < 0 ||
	    paging_parse(req_query(r, "ipage"), &ipage) < 0 || (istate = inv_filter_parse(req_query(r, "istate"))) < -1)
		return page_error(r, 400, NULL);
	enum cust_seek seek;
	int64_t cursor;
	bool bad;
	const char *q = search_param(r->a, req_query(r, "q"), &bad);
	if (rel_cursor_parse(r, &seek, &cursor) < 0 || bad)
		return page_error(r, 400, NULL);
	int64_t provider = my_provider(r);
	struct rel_page rp;
	struct paging ipg;
	struct invitation_list invitations;
	if (rel_resellers_find(r->store, r->a, provider, q, &l, seek, cursor, &rp) < 0 ||
	    rel_invitations(r->store, r->a, provider, istate, ipage, now_sec(), &ipg, &invitations) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Indirect resellers"));
	tv_setb(ctx, "can_invite", route_allows(r->sess, &routes[R_RESELLER_INVITE]));
	if (resellers_tv(r, ctx, &rp.rows) < 0)
		return page_error(r, 500, NULL);
	const char *sort = l.sort == REL_SORT_SINCE ? "since" : "name", *dir = l.desc ? "desc" : "asc";
	const char *ip = arena_printf(r->a, "%lld", (long long)ipage);
	const char *istate_q = istate >= 0 ? inv_filters[istate + 1].key : NULL;
	const char *keep_q[] = { "q", q, "ipage", ipage > 1 ? ip : NULL, "istate", istate_q, NULL };
	sort_headers_kv_tv(ctx, "/resellers", rel_sort_cols, REL_SORT__COUNT, (int)l.sort, l.desc, keep_q);
	const char *keep_r[] = { "sort", sort, "dir", dir, "q", q, "ipage", ipage > 1 ? ip : NULL, "istate", istate_q, NULL };
	rel_pager_tv(ctx, "rpager", "/resellers", keep_r, &rp, _("Pages of resellers"));
	search_tv(ctx, "/resellers", q, _("Search resellers"), _("Part of a reseller's name, primary domain or MPN ID."), keep_r);

	invitations_tv(r, ctx, &invitations);
	inv_filter_tv(r, ctx, istate, &l);
	/* the invitations' pager keeps the resellers' page as it was asked for, and the filter */
	/* (at most one of after, before and last is asked: one pair, so that the pager's few
	 * pairs hold the filter too) */
	const char *ck = req_query(r, "after") ? "after" : req_query(r, "before") ? "before" : "last";
	const char *keep_i[] = { "sort", sort, "dir", dir, ck, req_query(r, ck), "page", l.page > 1 ? req_query(r, "page") : NULL,
		"istate", istate_q, "q", q, NULL };
	pager_tv(ctx, "ipager", &ipg, "/resellers", keep_i, "ipage", _("Pages of invitations"));
	return page_render(r, 200, "resellers/list", ctx);
}

/* ---- Invite reseller ---- */

static const struct field invite_fields[] = {
	{ "email", N_("Reseller's email"), "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  N_("Whom to send the link to: someone at the reseller who is a Global admin or Account admin, or a company address they read."), "off" },
	{ "message", N_("Message"), "textarea", REL_MESSAGE_MAX, FF_MULTILINE, NULL,
	  N_("Shown in the email above the link. At most 1000 characters."), NULL },
	INVITE_LANG_FIELD,	/* issue 18 (pages/invite_lang.h) */
	/* Issue 13: shown with a warning of the checks before sending. */
	{ "send_anyway", N_("Send it anyway: I know what the warning above says"), "checkbox", 3, 0, NULL, NULL, NULL },
};

/* The form; pc (NULL: none): what the check before sending (issue 13) found — its sentence is
 * beside the email field already, here the link to what to do and, for a warning, Send anyway. */
static int
invite_form_checked(struct req *r, int status, struct form *f, const struct inv_precheck *invite_check)
{
	struct tv *ctx = page_ctx(r, _("Invite reseller"));
	page_crumbs(ctx, "/resellers", _("Indirect resellers"), NULL);
	form_to_tv(f, ctx);
	if (invite_check != NULL) {
		tv_set(ctx, "precheck_link", invite_check->link);
		tv_set(ctx, "precheck_link_text", invite_check->link_text);
		tv_setb(ctx, "precheck_warn", invite_check->level == INVC_WARN);
	}
	tv_seti(ctx, "ttl_days", REL_INVITE_TTL / 86400);
	invite_lang_tv(r, ctx, f);	/* issue 18 */
	return page_render(r, status, "resellers/invite", ctx);
}

static int
invite_form(struct req *r, int status, struct form *f)
{
	return invite_form_checked(r, status, f, NULL);
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
	int64_t provider = my_provider(r), expires;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	/* Issue 13: checked before sending, by acceptance's own decision. */
	/* issue 18: the email's language, the form's choice or its default */
	const char *lang = invite_lang_choice(r, &f, email);
	if (lang == NULL)
		return store_failed(r->store) ? page_error(r, 500, NULL) : invite_form(r, 422, &f);
	struct inv_precheck pc;
	if (inv_precheck_reseller(r->store, r->a, provider, email, now_sec(), &pc) < 0)
		return page_error(r, 500, NULL);
	if (pc.level == INVC_REFUSE || (pc.level == INVC_WARN && str_empty(form_get(&f, "send_anyway")))) {
		if (pc.level == INVC_REFUSE)
			audit(r, "invitation.send", email, "refused", "checked before sending");
		form_fail(&f, "email", pc.text);
		return invite_form_checked(r, 422, &f, &pc);
	}
	int64_t id = rel_invite(r->store, provider, email, message, r->sess->user_id, now_sec(), &expires);
	if (id < 0)
		return page_error(r, 500, NULL);
	if (id == 0) {
		form_fail(&f, "email", _("You have already invited this address and the invitation is still pending. Use Resend in the list of invitations to send it again."));
		return invite_form(r, 422, &f);
	}
	if (inv_lang_set(r->store, INV_RESELLER, id, lang) < 0 || send_invitation(r, id, email, message, expires) < 0)
		return page_error(r, 500, NULL);
	audit_rel(audit(r, "invitation.send", email, "ok", arena_printf(r->a, "invitation %lld", (long long)id)), TL_RESELLER_INV, id);
	return resp_redirect(r, arena_printf(r->a, "/resellers/invitations/%lld?m=invitation-sent", (long long)id));
}

/* ---- one invitation ---- */

/* Loads invitation id for this provider. 0, or 404 (written to the audit log) when there is
 * no such invitation or it belongs to another organization (500 on a database error). */
static int
load_invitation(struct req *r, int64_t id, int64_t provider, struct reseller_invitation *inv)
{
	const char *why = NULL;
	int found = rel_invitation_of(r->store, r->a, id, provider, inv, &why);
	return page_lookup(r, found, "invitation", id, why);
}

static int
invitation_page(struct req *r, int status, const struct reseller_invitation *inv, const char *problem)
{
	enum inv_status state = rel_invitation_state(inv, now_sec());
	struct tv *ctx = page_ctx(r, arena_printf(r->a, _("Invitation to %s"), inv->email));
	page_crumbs(ctx, "/resellers", _("Indirect resellers"), NULL);
	struct tv *o = tv_obj(ctx, "inv");
	tv_seti(o, "id", inv->id);
	tv_set(o, "email", inv->email);
	tv_set(o, "state_text", inv_status_label(state));
	tv_set(o, "tag", state_tag(state));
	tv_set(o, "sent", page_time(r, inv->sent_at));
	tv_set(o, "created", page_time(r, inv->created_at));
	tv_set(o, "expires", page_time(r, inv->expires_at));
	tv_set(o, "inviter", *inv->inviter_name ? arena_printf(r->a, "%s (%s)", inv->inviter_name, inv->inviter_email) : NULL);
	tv_lines(tv_list(o, "message_lines"), inv->message);
	tv_setb(o, "pending", state == INV_PENDING);
	tv_setb(o, "open", state == INV_PENDING || state == INV_EXPIRED);
	if (state == INV_PENDING)
		tv_set(o, "link", invite_link(r, inv->id, inv->expires_at));
	if (inv->accepted_at)
		tv_set(o, "accepted", page_time(r, inv->accepted_at));
	tv_set(ctx, "problem", problem);
	if (invitation_state_tv(r, ctx, INV_RESELLER, inv->id) < 0)
		return page_error(r, 500, NULL);
	return page_render(r, status, "resellers/invitation", ctx);
}

/* GET /resellers/invitations/ID — one invitation: address, status, sent, expiry, message;
 * while pending, the link with a Copy link button (for providers who mail it themselves);
 * Resend and Revoke. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation(struct req *r)
{
	struct reseller_invitation inv;
	int st = load_invitation(r, r->id, my_provider(r), &inv);
	return st ? st : invitation_page(r, 200, &inv, NULL);
}

/* What can be done to an invitation that is still open: its audit action, and why it is
 * refused once the invitation is not. */
enum inv_action { RESEND, REVOKE };
static const struct {
	const char *action, *refused;
} inv_actions[] = {
	[RESEND] = { "invitation.resend",
		N_("This invitation can no longer be sent: it was accepted or revoked. Invite the reseller again if you need a new link.") },
	[REVOKE] = { "invitation.revoke", N_("This invitation cannot be revoked: it was already accepted or revoked.") },
};

/* Resends or revokes invitation r->id in the write transaction, with the provider's overdue
 * invitations marked expired first. 0 with *inv when done; else the status to return (409,
 * audited, when the invitation is no longer open for it). */
static int
invitation_action(struct req *r, enum inv_action act, struct reseller_invitation *inv)
{
	int64_t provider = my_provider(r), now = now_sec();
	if (tx_begin(r) < 0 || rel_invitations_expire(r->store, provider, now) < 0)
		return page_error(r, 500, NULL);
	int st = load_invitation(r, r->id, provider, inv);
	if (st)
		return st;
	int n = act == RESEND ? rel_invitation_resend(r->store, inv, now)
	    : rel_invitation_revoke(r->store, inv, r->sess->user_id, now);
	if (n < 0)
		return page_error(r, 500, NULL);
	if (n == 0) {
		audit(r, inv_actions[act].action, inv->email, "refused", inv_status_key(inv->status));
		return invitation_page(r, 409, inv, _(inv_actions[act].refused));
	}
	return 0;
}

/* POST /resellers/invitations/resend/ID — emails the invitation again with a new expiry
 * (30 days from now): every earlier link for it stops working. Pending or expired
 * invitations only. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation_resend_post(struct req *r)
{
	struct reseller_invitation inv;
	int st = invitation_action(r, RESEND, &inv);
	if (st)
		return st;
	if (send_invitation(r, inv.id, inv.email, inv.message, inv.expires_at) < 0)
		return page_error(r, 500, NULL);
	audit_rel(audit(r, "invitation.resend", inv.email, "ok", arena_printf(r->a, "invitation %lld", (long long)inv.id)),
	    TL_RESELLER_INV, inv.id);
	return resp_redirect(r, arena_printf(r->a, "/resellers/invitations/%lld?m=invitation-resent", (long long)inv.id));
}

/* POST /resellers/invitations/revoke/ID — the invitation's link stops working at once.
 * Pending or expired invitations only. Who: RESELLERS_INVITE of the inviting provider. */
int
page_invitation_revoke_post(struct req *r)
{
	struct reseller_invitation inv;
	int st = invitation_action(r, REVOKE, &inv);
	if (st)
		return st;
	audit_rel(audit(r, "invitation.revoke", inv.email, "ok", arena_printf(r->a, "invitation %lld", (long long)inv.id)),
	    TL_RESELLER_INV, inv.id);
	return resp_redirect(r, "/resellers?m=invitation-revoked");
}

/* GET /resellers/invitations/resend/ID and /resellers/invitations/revoke/ID — the
 * confirmation before Resend or Revoke (issue 15, item 10), as Delete user asks: what the
 * invitation is and what the action does, with the button that POSTs it. An invitation that
 * is no longer open gets its page with the reason (409). Who: RESELLERS_INVITE of the
 * inviting provider. */
static int
invitation_confirm(struct req *r, enum inv_action act)
{
	struct reseller_invitation inv;
	int st = load_invitation(r, r->id, my_provider(r), &inv);
	if (st)
		return st;
	enum inv_status state = rel_invitation_state(&inv, now_sec());
	if (state != INV_PENDING && state != INV_EXPIRED)
		return invitation_page(r, 409, &inv, _(inv_actions[act].refused));
	struct tv *ctx = page_ctx(r, act == RESEND ? _("Resend the invitation?") : _("Revoke the invitation?"));
	page_crumbs(ctx, "/resellers", _("Indirect resellers"), arena_printf(r->a, "/resellers/invitations/%lld", (long long)inv.id),
	    arena_printf(r->a, _("Invitation to %s"), inv.email), NULL);
	struct tv *o = tv_obj(ctx, "inv");
	tv_seti(o, "id", inv.id);
	tv_set(o, "email", inv.email);
	tv_set(o, "state_text", inv_status_label(state));
	tv_set(o, "tag", state_tag(state));
	tv_set(o, "sent", page_time(r, inv.sent_at));
	tv_set(o, "expires", page_time(r, inv.expires_at));
	tv_setb(ctx, "resend", act == RESEND);
	return page_render(r, 200, "resellers/invitation-confirm", ctx);
}

int
page_invitation_resend(struct req *r)
{
	return invitation_confirm(r, RESEND);
}

int
page_invitation_revoke(struct req *r)
{
	return invitation_confirm(r, REVOKE);
}
