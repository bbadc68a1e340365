/* invitations.c — see invitations.h. */
#include "domain/invitations.h"

#include "base/util.h"

static const char *const labels[INVS__COUNT] = {
	[INVS_SENT] = "Sent", [INVS_OPENED] = "Opened", [INVS_ACCEPTED] = "Accepted",
	[INVS_DECLINED] = "Declined", [INVS_EXPIRED] = "Expired", [INVS_REVOKED] = "Revoked",
};

enum inv_state
inv_state_at(const struct inv_dates *d, int64_t now)
{
	if (d->accepted_at)
		return INVS_ACCEPTED;
	if (d->declined_at)
		return INVS_DECLINED;
	if (d->revoked_at)
		return INVS_REVOKED;
	if (d->ended_expired || d->expires_at <= now)
		return INVS_EXPIRED;
	return d->opened_at ? INVS_OPENED : INVS_SENT;
}

const char *
inv_state_label(enum inv_state s)
{
	return s >= 0 && s < INVS__COUNT ? labels[s] : "";
}

const char *
inv_state_line(struct arena *a, const struct inv_dates *d, int64_t now)
{
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, "Sent %s", fmt_datetime(a, d->sent_at));
	if (d->opened_at)
		buf_printf(&b, " · Opened %s", fmt_datetime(a, d->opened_at));
	enum inv_state s = inv_state_at(d, now);
	int64_t at = s == INVS_ACCEPTED ? d->accepted_at : s == INVS_DECLINED ? d->declined_at
	    : s == INVS_REVOKED ? d->revoked_at : s == INVS_EXPIRED ? d->expires_at : 0;
	if (at)
		buf_printf(&b, " · %s %s", labels[s], fmt_datetime(a, at));
	else
		buf_printf(&b, " · link valid until %s", fmt_datetime(a, d->expires_at));
	return b.failed ? "" : b.p;
}

int
inv_dates_of(struct store *s, enum inv_kind kind, int64_t id, struct inv_dates *out)
{
	return st_inv_dates(s, kind, id, out);
}

int
inv_opened(struct store *s, enum inv_kind kind, int64_t id, int64_t now)
{
	if (!store_in_write(s))
		return -1;
	int n = st_inv_opened(s, kind, id, now);
	return n < 0 ? -1 : n == 1;
}

int
inv_due(struct store *s, struct arena *a, enum inv_kind kind, int64_t now, struct inv_due_list *out)
{
	return st_inv_due(s, a, kind, now, INV_REMIND_BEFORE, INV_DUE_BATCH, out);
}

int
inv_claim_reminder(struct store *s, const struct inv_due *d)
{
	int n = st_inv_claim_reminder(s, d->kind, d->id, d->expires_at);
	return n < 0 ? -1 : n == 1;
}
