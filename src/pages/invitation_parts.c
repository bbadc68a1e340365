/* invitation_parts.c — see invitation_parts.h. */
#include "pages/invitation_parts.h"

#include "base/util.h"
#include "domain/timeline.h"
#include "web/page.h"

static const char *const state_keys[INVS__COUNT] = {
	[INVS_SENT] = "sent", [INVS_OPENED] = "opened", [INVS_ACCEPTED] = "accepted",
	[INVS_DECLINED] = "declined", [INVS_EXPIRED] = "expired", [INVS_REVOKED] = "revoked",
};

int
invitation_state_tv(struct req *r, struct tv *ctx, enum inv_kind kind, int64_t id)
{
	struct inv_dates d;
	int found = inv_dates_of(r->store, kind, id, &d);
	if (found <= 0)
		return found;
	int64_t now = now_sec();
	enum inv_state s = inv_state_at(&d, now);
	struct tv *o = tv_obj(ctx, "inv_state");
	tv_set(o, "state", inv_state_label(s));
	tv_set(o, "key", state_keys[s]);
	tv_set(o, "dates", inv_state_line(r->a, &d, now, page_zone(r)));
	return 0;
}

int
invitation_opened(struct req *r, enum inv_kind kind, int64_t id)
{
	if (tx_begin(r) < 0)
		return -1;
	int n = inv_opened(r->store, kind, id, now_sec());
	return n < 0 ? -1 : n > 0;
}

int
invitation_opened_audited(struct req *r, enum inv_kind kind, int64_t id, int64_t tenant, const char *email)
{
	int n = invitation_opened(r, kind, id);
	if (n == 1 && tenant > 0) {
		bool reseller = kind == INV_RESELLER;
		audit_rel(audit_as(r, tenant, 0, "", reseller ? "invitation.open" : "customer-invitation.open", email, "ok",
		    arena_printf(r->a, reseller ? "invitation %lld" : "customer invitation %lld", (long long)id)),
		    reseller ? TL_RESELLER_INV : TL_CUSTOMER_INV, id);
	}
	return n;
}
