/* relcenter_bulk.h — the Relationships page's bulk actions (issue 13): Extend, Terminate and
 * Resend on many ticked rows at once. Every row is decided by the rules its single action
 * uses — da_can for Terminate and a delegated admin request's Resend, the invitation's own
 * state for a reseller invitation's Resend — and Extend by rcb_extend_refusal; the page
 * shows what will change and what is refused before anything is written, then does each row
 * in its own transaction. Pure decisions here; the page reads and writes. */
#ifndef RELCENTER_BULK_H
#define RELCENTER_BULK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define RCB_MAX 100			/* rows per bulk action */

enum rcb_action { RCB_EXTEND, RCB_TERMINATE, RCB_RESEND, RCB__COUNT };
/* What a ticked row is: a delegated admin relationship ("da-ID") or a reseller invitation
 * this organization sent ("ri-ID"). */
enum rcb_kind { RCB_DA = 1, RCB_RI };
struct rcb_ref {
	enum rcb_kind kind;
	int64_t id;
	int64_t version;		/* with_version: the row as the confirmation showed it */
};
/* "da-12" / "ri-7", and ".<version>" after it when with_version. 0, or -1 for anything else. */
int rcb_ref_parse(const char *text, bool with_version, struct rcb_ref *out);

/* The version of a row: its stored state and the end that an action moves (a delegated admin
 * relationship's end or its request's expiry; an invitation's expiry). A row whose version
 * differs from the confirmed one changed meanwhile and is refused. */
int64_t rcb_da_version(const struct da_row *d);
int64_t rcb_ri_version(const struct reseller_invitation *inv);

/* Extend is by six months (DA_EXTEND_DAYS, the step auto-extend takes): the same step for
 * every ticked row whatever its original duration, and never to an end more than
 * RCB_EXTEND_LIMIT_DAYS (two years, the longest any request may ask) from now. Only the
 * organization that granted it extends it, by a Global admin (the one who may approve), an
 * active relationship that does not include Global admin (never extended without a new
 * request, as auto-extend). NULL and *new_end when d may be extended by a user of tenant
 * (global_admin: holding Global admin there) at now, else the sentence why not. */
#define RCB_EXTEND_LIMIT_DAYS 730
const char *rcb_extend_refusal(const struct da_row *d, int64_t tenant, bool global_admin, int64_t now,
    int64_t *new_end);

/* Extends d to new_end (rcb_extend_refusal's) at now, if it still ends when it did as read and
 * is active without Global admin (caller holds the write transaction): 1 done, 0 it changed
 * meanwhile (nothing written), -1. */
int rcb_extend(struct store *s, const struct da_row *d, int64_t new_end, int64_t now);

/* "extend", "terminate", "resend"; and the words of the page: "Extend", ... */
const char *rcb_action_key(enum rcb_action act);
const char *rcb_action_label(enum rcb_action act);

#endif
