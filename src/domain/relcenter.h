/* relcenter.h — the relationship center (issue 13): every relationship an organization is
 * part of — provider and reseller, partner and customer, delegated admin — on either side, in
 * one list with filters (kind, state, expiring within N days, the other organization's
 * name), two sortable columns (the other organization, since) and keyset pages; the same rows
 * as CSV. Pure parsing and words here; the rows come from st_rc_page (store/relcenter.c). */
#ifndef RELCENTER_H
#define RELCENTER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define RC_PAGE_SIZE 25
#define RC_CSV_BATCH 500		/* rows read per statement while streaming the CSV */
#define RC_DAYS_MAX 730
#define RC_Q_MAX 100

/* The list as asked (the query string, checked). */
struct rc_query {
	const char *kind;		/* "" all, "reseller", "customer", "delegated", "invitation" */
	const char *state;		/* "" all, or one of rc_states */
	int days;			/* expiring within: 0 any, 1..730 */
	const char *q;			/* the other organization's name contains ("" any) */
	bool by_since, desc;
	struct rc_cursor after;		/* kind 0: the first page */
};
/* Field errors of a query (NULL: fine). */
struct rc_query_errors {
	const char *days, *q;
};

/* The filter values offered, in order ("" first: all). */
extern const char *const rc_kinds[5];
extern const char *const rc_states[11];

/* Reads the query string's values (each may be NULL): 0 fine, 1 a field is wrong (errs says
 * which, with the sentence; the list is not read), -1 a value no form sends (400). */
int rc_query_parse(struct arena *a, const char *kind, const char *state, const char *days, const char *q,
    const char *sort, const char *dir, const char *after, struct rc_query *out, struct rc_query_errors *errs);
/* The store's filter for query at now. */
void rc_filter_of(struct arena *a, const struct rc_query *query, int64_t now, struct rc_filter *out);
/* The cursor of row (as ?after=) for the order of query. */
char *rc_cursor_text(struct arena *a, const struct rc_query *query, const struct rc_row *row);
/* A LIKE pattern (escape \) matching names that contain text, lower-cased. */
char *rc_like_contains(struct arena *a, const char *text);

/* One page of tenant's relationships for query at now; *more: rows follow. 0 or -1. */
int rc_page(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_query *query,
    struct rc_list *out, bool *more);
/* The same with size rows to a page (the JSON API's limit, issue 14). */
int rc_page_of(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_query *query, int64_t size,
    struct rc_list *out, bool *more);
/* Every row for query (query->after ignored), RC_CSV_BATCH at a time, each given to fn; fn
 * returns 0 or -1 (stop). 0 or -1. */
int rc_each(struct store *s, struct arena *a, int64_t tenant, int64_t now, const struct rc_query *query,
    int (*fn)(void *ctx, const struct rc_row *row), void *ctx);

/* The state of a relationship as people see it at now, from what is stored — the one
 * function for the Relationships page and the Indirect resellers, Indirect providers and
 * Customers lists: kind 1..4 (provider-reseller, partner-customer) the relationship's status
 * ("active", "ended"); 5, 6 (delegated admin, stored a da_state_key) da_state_at's state, a
 * pending request past request_expires and an active grant past expires read as "expired",
 * and "expiring" for an active one with DA_EXPIRING_DAYS or fewer days left; 7, 8 (an open
 * invitation) "sent" or "opened" as stored. store/relcenter.c's state filter mirrors it. */
const char *rc_state_at(int kind, const char *stored, int64_t request_expires, int64_t expires, int64_t now);

/* The administrator access a provider-reseller or partner-customer relationship gives today:
 * the pair's (partner_tenant asking, customer_tenant granting) active delegated admin
 * relationship that ends last, and its state by rc_state_at. */
struct rc_access {
	const char *state;		/* "active", "expiring"; "" none */
	int64_t id, expires;		/* the relationship (0 none) and its end */
	const char *name;
};
/* 0 or -1. */
int rc_pair_access(struct store *s, struct arena *a, int64_t partner_tenant, int64_t customer_tenant, int64_t now,
    struct rc_access *out);

/* "Provider and reseller", "Partner and customer", "Delegated admin", "Reseller invitation",
 * "Customer invitation". */
const char *rc_kind_label(int kind);
/* The prefix naming a row of kind in one word with its id ("pr-12", "cr-", "da-", "ri-", "ci-"),
 * as the Relationships page and the API name rows. */
const char *rc_ref_prefix(int kind);
/* What the other organization is to this one: "Your indirect reseller", "Your indirect
 * provider", "Your customer", "Your partner", "Asked by you", "Asked of you"; for an
 * invitation (kind 7, 8) "Sent by you" or "Sent to you". */
const char *rc_side_label(int kind);
const char *rc_row_side(const struct rc_row *row);
/* Whether row is an invitation this organization sent (its other side is only an address). */
bool rc_sent_by_me(const struct rc_row *row);
/* "Active", "Ended", "Pending", "Expiring", ... */
const char *rc_state_label(const char *state);

#endif
