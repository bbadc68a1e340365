/* invitation_parts.c — see invitation_parts.h. */
#include "pages/invitation_parts.h"

#include "base/util.h"
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
