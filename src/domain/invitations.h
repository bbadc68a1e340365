/* invitations.h — what the three kinds of invitation share (issue 13): a provider's reseller
 * invitation, a reseller's customer invitation and a delegated admin request show both sides
 * the same states with their dates — sent, opened, accepted, declined, expired, revoked —
 * decided by one pure function (inv_state_at) from the dates the store keeps; the landing
 * page's first visit by a valid link records "opened"; one reminder goes out 7 days before an
 * open invitation expires (the housekeeping thread, web/lifecycle.c). */
#ifndef INVITATIONS_H
#define INVITATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define INV_REMIND_BEFORE (7 * 86400)	/* the reminder: 7 days before the link's end */
#define INV_DUE_BATCH 200		/* reminders per kind and pass */

enum inv_state { INVS_SENT, INVS_OPENED, INVS_ACCEPTED, INVS_DECLINED, INVS_EXPIRED, INVS_REVOKED, INVS__COUNT };

/* The state of an invitation with dates d at now: accepted, declined or revoked when that
 * happened; expired when stored so or past its end while still open; opened when its link
 * was visited; sent otherwise. */
enum inv_state inv_state_at(const struct inv_dates *d, int64_t now);
/* "Sent", "Opened", "Accepted", "Declined", "Expired", "Revoked". */
const char *inv_state_label(enum inv_state s);
/* Every date that happened, in order, for a person: "Sent 01 Dec 2026 09:00 UTC · Opened
 * 02 Dec 2026 10:15 UTC · Accepted …" (expired: the link's end; still open: "link valid until
 * …"). In a. */
const char *inv_state_line(struct arena *a, const struct inv_dates *d, int64_t now, const char *zone);

/* The dates of invitation id of kind: 1, 0 none, -1. */
int inv_dates_of(struct store *s, enum inv_kind kind, int64_t id, struct inv_dates *out);
/* Records the first visit of the landing page of invitation id (its link checked valid by the
 * caller) at now: one conditional UPDATE, so repeating the GET changes nothing. 1 recorded
 * now, 0 opened before (or no longer open), -1. Needs a write transaction. */
int inv_opened(struct store *s, enum inv_kind kind, int64_t id, int64_t now);

/* The open invitations of kind whose reminder is due at now. 0 or -1. */
int inv_due(struct store *s, struct arena *a, enum inv_kind kind, int64_t now, struct inv_due_list *out);
/* Claims the reminder of d (caller holds the write transaction): 1 this process sends it, 0
 * another did (or the invitation changed), -1. A reseller or customer invitation's claim
 * writes its entry (actor "portal", at now) in the inviting organization's log, on the
 * invitation's timeline (issue 13). */
int inv_claim_reminder(struct store *s, const struct inv_due *d, int64_t now);

/* ---- checked before sending (issue 13) ----
 * The invite forms run acceptance's own decision (rel_decide) on the organization the
 * invited address belongs to (its domain's work account), before any email goes out. A
 * refusal: acceptance would be refused and nothing the invited side does changes that (the
 * provider's own organization, a customer work account, another region, already related); the
 * form comes back and nothing is sent. A warning: acceptance needs the invited side to act
 * first (enroll as an indirect reseller, accept the partner agreement); the form comes back
 * once with the warning, and "Send anyway" sends it. An address of no known organization is
 * not checked (the invitation may create one). */
enum inv_check { INVC_OK, INVC_WARN, INVC_REFUSE };
struct inv_precheck {
	enum inv_check level;
	const char *text;		/* the sentence beside the field */
	const char *link, *link_text;	/* what to do about it (NULL: nothing) */
};
/* What sending provider_account's reseller invitation to email at now would meet. 0 or -1. */
int inv_precheck_reseller(struct store *s, struct arena *a, int64_t provider_account, const char *email, int64_t now,
    struct inv_precheck *out);

#endif
