/* console.h — the rules behind the operator console's enrollment queue (issue 19). The
 * decisions themselves are enroll_apply's (domain/enroll.h), as for portalctl approve and
 * reject; this adds what a browser needs around them: the queue's filters, one enrollment
 * with everything a reviewer checks, who else has it open, and the refusal of a stale form
 * (a decision made while the form was open) with the name of who decided. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/agreement.h"
#include "domain/enroll.h"
#include "store/store.h"

#define CONSOLE_QUEUE_MAX 200			/* enrollments on the queue's page */
#define CONSOLE_PRESENCE_WINDOW (10 * 60)	/* "also looking at it": seen this recently */
#define CONSOLE_HISTORY_MAX 50

/* The queue: enrollments with status (PA_NONE: any) in country ("" or NULL: any), oldest
 * first. 0 or -1. */
int console_queue(struct store *s, struct arena *a, int status, const char *country, struct enrollment_list *out);

/* One enrollment with what a reviewer checks. */
struct enrollment_view {
	struct console_enrollment e;
	bool has_legal;
	struct legal_profile legal;		/* the legal profile and its primary contact */
	struct console_mpn_list mpns;		/* the linked MPN profiles */
	struct user_list users;			/* the organization's users */
	struct console_event_list history;	/* its enrollment entries, newest first */
};
/* 1 found, 0 none, -1 error. */
int console_enrollment(struct store *s, struct arena *a, int64_t id, struct enrollment_view *out);
/* Whether a linked MPN profile fits the organization: active, and of its country. */
bool console_mpn_matches(const struct console_mpn *m, const char *country);

/* user_id has enrollment id open at now (in the caller's write transaction), and the other
 * operators who had it open within CONSOLE_PRESENCE_WINDOW. 0 or -1. */
int console_presence(struct store *s, struct arena *a, int64_t id, int64_t user_id, int64_t now,
    struct console_viewer_list *others);

/* Decides enrollment id (to: PA_APPROVED or PA_REJECTED with reason) for a form that showed
 * it with status seen, in the caller's write transaction: refused (1, *why) when the status
 * moved since (a decision by someone else: *why names them, from the program team's log
 * team), else enroll_apply's answer. 0 moved (c filled), 1 refused, -1 error. */
int console_decide(struct store *s, struct arena *a, int64_t team, int64_t id, enum pa_status to, const char *reason,
    enum pa_status seen, struct pa_change *c, const char **why);

/* ---- partners (item 3) ---- */

#define CONSOLE_PARTNERS_MAX 100
#define CONSOLE_AUDIT_RECENT 20

/* Partner accounts of organizations whose name or domain contains q, or with MPN ID q, in
 * country ("" or NULL: any). 0 or -1. */
int console_partners(struct store *s, struct arena *a, const char *q, const char *country, struct console_partner_list *out);

/* A partner organization as the console shows it. */
struct partner_view {
	struct tenant_row t;
	struct partner_account_list accounts;
	struct agreement_state agreement;
	struct rel_overview_list as_provider, as_reseller;	/* relationships, both directions */
	int64_t customers;
	struct user_list users;
	struct console_event_list audit;			/* the newest entries of its log */
};
/* Organization tenant (never the program team's own): 1 found, 0 none, -1 error. */
int console_partner(struct store *s, struct arena *a, int64_t tenant, struct partner_view *out);

/* Ends active relationship id (the operator's End relationship, as portalctl
 * end-relationship) in the caller's write transaction, with reason why: 0 ended (*provider and
 * *reseller filled: the two sides to tell), 1 not an active relationship, -1 error. */
int console_end_relationship(struct store *s, struct arena *a, int64_t id, const char *why, int64_t now,
    struct partner *provider, struct partner *reseller);

#endif
