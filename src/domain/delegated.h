/* delegated.h — delegated administration (issue 13): a partner organization asks another
 * organization it is related to (its customer; a provider: its reseller) for a named set of
 * roles for a number of days; that organization's Global admin approves or declines from the
 * emailed link (purpose delegated-admin); the partner may resend or withdraw a pending
 * request. The rules are pure functions (da_request_check, da_can) with a refusal and its
 * sentence, unit-tested without HTTP; the calls below them gather the facts and write. */
#ifndef DELEGATED_H
#define DELEGATED_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "store/store.h"

#define DA_NAME_MAX 50
#define DA_MESSAGE_MAX 1000
#define DA_DAYS_MIN 1
#define DA_DAYS_MAX 730			/* two years */
#define DA_REQUEST_TTL (90 * 86400)	/* a request not answered within 90 days expires */
#define DA_EXPIRING_DAYS 30		/* "expiring": active with this many days or fewer left */
#define DA_PER_PAGE 25

/* Why something about a delegated admin relationship is refused. */
enum da_refusal {
	DA_OK = 0,
	DA_NOT_RELATED,		/* the other organization is not the partner's customer or reseller */
	DA_NAME_TAKEN,		/* a pending or active relationship of the pair has this name */
	DA_NO_ROLES,		/* no role asked for */
	DA_BAD_DURATION,	/* not 1 to 730 days */
	DA_GLOBAL_NO_REASON,	/* Global admin asked for without saying why (the message) */
	DA_GLOBAL_AUTO_EXTEND,	/* a relationship with Global admin is never extended automatically */
	DA_NOT_PENDING,		/* answered, withdrawn or expired already */
	DA_REQUEST_EXPIRED,	/* pending, but not answered within 90 days */
	DA_WRONG_SIDE,		/* only the other organization may do this */
	DA_NOT_GLOBAL_ADMIN,	/* only a Global admin of the organization asked may answer */
	DA_NOT_ACTIVE,		/* acting needs an active relationship, before its end */
	DA_NOT_ADMIN_AGENT,	/* acting is for the partner's Admin agents */
	DA__REFUSALS
};
/* The sentence for a person. */
const char *da_refusal_text(enum da_refusal why);
/* A short code for the audit log ("not related", ...). */
const char *da_refusal_code(enum da_refusal why);

/* What the partner asks for (the request form, checked). */
struct da_request {
	int64_t partner_tenant, other_tenant;
	const char *name, *message;
	unsigned roles;			/* role bits, Global admin's included when global_admin */
	bool global_admin, auto_extend;
	int days;
};
/* Facts read from the store for a request. */
struct da_request_facts {
	enum da_kind kind;		/* DAK_NONE: not related */
	bool name_taken;
};
/* The first refusal of request q given facts f (DA_OK: it may be sent). Fields are checked
 * in the form's order. */
enum da_refusal da_request_check(const struct da_request *q, const struct da_request_facts *f);

/* The things done to a relationship once it exists. */
enum da_action { DA_APPROVE, DA_DECLINE, DA_RESEND, DA_WITHDRAW, DA_TERMINATE };
/* Whether a user of organization tenant (global_admin: holding Global admin there) may do act
 * to relationship d at now: DA_OK or the refusal. */
enum da_refusal da_can(enum da_action act, const struct da_row *d, int64_t tenant, bool global_admin, int64_t now);

/* The state as people see it at now: a pending request past its 90 days, and an active
 * relationship past its end, read as expired. */
enum da_state da_state_at(const struct da_row *d, int64_t now);
/* Active with DA_EXPIRING_DAYS or fewer days left at now. */
bool da_expiring(const struct da_row *d, int64_t now);
/* "Pending", "Active", "Expired", "Declined", "Withdrawn", "Terminated" (and "Expiring" for
 * an active one that is: da_expiring). */
const char *da_state_label(const struct da_row *d, int64_t now);
/* The tag class of the state ("ok", "warn", "err", "muted"). */
const char *da_state_tag(const struct da_row *d, int64_t now);
/* "Its customer" / "Its indirect reseller" — what the customer organization is to the partner. */
const char *da_kind_label(enum da_kind k);

/* ---- acting as partner ----
 * An Admin agent of the partner opens the other organization "as partner": the session
 * records the relationship (sessions.acting_da_id), and the dispatcher, on every request to
 * a route marked F_DELEGATED, runs it in that organization with the granted roles — while the
 * relationship is active and before its end, checked each time (da_acting_of). */
struct da_acting {
	int64_t id;			/* the relationship */
	int64_t tenant;			/* the organization acted in */
	const char *tenant_name;
	const char *name;		/* the relationship's name */
	unsigned roles;			/* the granted roles */
	bool valid;			/* still active, before its end, the user still an Admin agent */
	const char *label;		/* "Nora North (Northwind Distribution, delegated admin 'Helpdesk 2026')" */
};
/* Whether the user of session s may act under d at now: DA_OK or the refusal. */
enum da_refusal da_can_act(const struct da_row *d, const struct session *s, int64_t now);
/* issue 13: the same for a user who is (in_group) or is not a member of a partner user group
 * assigned to d: a member acts without Admin agent (with the grant's roles, as anyone acting). */
enum da_refusal da_may_act(const struct da_row *d, const struct session *s, bool in_group, int64_t now);
/* Whether the session's user may act under d at now, their groups read from the store:
 * DA_OK or the refusal; *failed on a database error. */
enum da_refusal da_acting_decision(struct store *st, const struct da_row *d, const struct session *s, int64_t now,
    bool *failed);
/* What session s acts under at now: 1 (out filled, out->valid saying whether it still may),
 * 0 not acting, -1. */
int da_acting_of(struct store *st, struct arena *a, const struct session *s, int64_t now, struct da_acting *out);
/* The grants partner_tenant may act under in customer_tenant at now (the switcher on the
 * customer's page). 0 or -1. */
int da_grants_between(struct store *st, struct arena *a, int64_t partner_tenant, int64_t customer_tenant, int64_t now,
    struct da_list *out);
/* Starts acting under relationship da_id (0: stops). 0 or -1. */
int da_act(struct store *st, int64_t session_id, int64_t da_id);

/* ---- the lifecycle (the background worker of every node: web/lifecycle.c) ---- */

#define DA_EXTEND_DAYS 182		/* auto-extend: six months */
#define DA_DUE_BATCH 200		/* rows per pass */
/* The next step for d at now. */
enum da_step {
	DA_STEP_NONE = 0,
	DA_STEP_REQUEST_EXPIRE,		/* pending, not answered within 90 days */
	DA_STEP_REMIND,			/* *stage: 1 (30 days left), 2 (7), 3 (1) */
	DA_STEP_EXPIRE,			/* past its end, not extended */
	DA_STEP_EXTEND,			/* past its end, auto-extend (never with Global admin) */
};
/* Pure: a reminder is due for the smallest threshold (30, 7, 1 days) the time left has
 * reached, once (reminder_stage), and only for a threshold shorter than the grant was at its
 * approval (a 30-day grant gets no "30 days left"). */
enum da_step da_next_step(const struct da_row *d, int64_t now, int *stage);
/* The days of reminder stage 1..3 (30, 7, 1). */
int da_stage_days(int stage);
/* The rows the worker looks at now. 0 or -1. */
int da_due(struct store *s, struct arena *a, int64_t now, struct da_list *out);
/* Carries out step for d at now (caller holds the write transaction): 1 this process did it
 * (then it sends the messages), 0 another process did first, -1. */
int da_step_claim(struct store *s, const struct da_row *d, enum da_step step, int stage, int64_t now);

/* ---- reading ---- */

/* Relationship id when organization tenant is one of its two sides: 1 (out filled), 0 (none
 * or someone else's: *why says which, for the audit log), -1. */
int da_of(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct da_row *out, const char **why);
/* Relationship id whoever's (the emailed link names it): 1, 0 none, -1. */
int da_get(struct store *s, struct arena *a, int64_t id, struct da_row *out);
/* The organizations partner_tenant may ask (its active customers and resellers). 0 or -1. */
int da_targets(struct store *s, struct arena *a, int64_t partner_tenant, struct da_target_list *out);
/* One page (1-based) of every relationship tenant is part of, newest first. 0 or -1. */
int da_page(struct store *s, struct arena *a, int64_t tenant, int64_t page, struct paging *pg, struct da_list *out);

/* ---- writing (caller holds the write transaction) ---- */

/* Gathers the facts and checks q (*why); when DA_OK, records the pending request by user by
 * at now and returns its id (*expires: when the request expires). 0 when refused, -1. */
int64_t da_request(struct store *s, const struct da_request *q, int64_t by, int64_t now, int64_t *expires,
    enum da_refusal *why);
/* The link of request id for the email (a new link_tokens row; earlier links end): the token, or NULL. */
char *da_link_token(struct store *s, struct arena *a, int64_t id);
/* Resends pending request d (new expiry: *expires) or withdraws it, for its partner. 1 done,
 * 0 no longer pending (nothing changed), -1. */
int da_resend(struct store *s, const struct da_row *d, int64_t now, int64_t *expires);
int da_withdraw(struct store *s, const struct da_row *d, int64_t by, int64_t now);
/* Approves or declines d for its customer organization by user by. 1 this call did, 0 someone
 * else answered first or the request expired (nothing changed), -1. */
int da_answer(struct store *s, const struct da_row *d, bool approve, int64_t by, int64_t now);
#define DA_REASON_MAX 500
/* Terminates active relationship d (either side, by user by, with reason): 1 done, 0 it was
 * not active any more (nothing changed), -1. */
int da_terminate(struct store *s, const struct da_row *d, int64_t by, int64_t now, const char *reason);
/* Terminates the pair's active relationships (by user by, reason); how many, or -1. */
int da_terminate_pair(struct store *s, int64_t partner_tenant, int64_t customer_tenant, int64_t by, int64_t now,
    const char *reason);

/* ---- grants from acceptances (issue 13) ----
 * A reseller's authorization of a provider, and a customer's acceptance of a customer
 * invitation (when it keeps delegated administration), make this relationship instead of the
 * old standing "administrator access": the same as the migration of section 13 made of it. */
#define DA_DEFAULT_NAME "Administrator access"
#define DA_DEFAULT_ROLES (1u << 3)	/* Admin agent's (roles.def bit 3) */
#define DA_DEFAULT_DAYS 730		/* two years */
/* "Admin agent, for 2 years (until <date>)" — what an acceptance at now creates, for the
 * pages that ask for it. In a. */
const char *da_default_words(struct arena *a, int64_t now);
/* Makes the default relationship of partner_tenant in customer_tenant (kind), accepted by
 * user by at now (caller holds the write transaction): 1 made, 0 the pair already has a
 * pending or active one of that name (kept as it is), -1. */
int da_grant_default(struct store *s, int64_t partner_tenant, int64_t customer_tenant, enum da_kind kind, int64_t by,
    int64_t now);

#endif
