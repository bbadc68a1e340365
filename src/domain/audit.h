/* audit.h — the audit log: every change and every refusal, with who, what, from where and
 * why. The dispatcher writes a request's entries with its transaction (refusals in one of
 * their own); portalctl writes the operator's. Settings → Audit log reads an
 * organization's entries (and only its own). */
#ifndef AUDIT_H
#define AUDIT_H

#include "base/paging.h"
#include "store/store.h"

/* Writes one entry (struct audit_row: store.h) in the caller's transaction. 0 or -1. */
int audit_write(struct store *s, const struct audit_row *e);

/* ---- reading the log (struct audit_filter, audit_list, audit_values: store.h) ---- */

/* Where a page of the log starts (from the pager's links): the newest entries (OLDER_THAN
 * 0), entries older than an id (?before=), newer than an id (?after=; 0: the oldest page), or
 * after an offset (?page=N, the links of before the cursor pager: they still work, at the
 * price of skipping). */
struct audit_cursor {
	enum audit_seek seek;
	int64_t x;
};
/* Entries counted for the page's "N entries" at most: counting costs as much as reading, so
 * a longer log says "1000 or more" (measured: 0.1 ms for 1,000 index entries, 4 ms for 50,000). */
#define AUDIT_COUNT_CAP 1000
/* A page of the log, newest first, and the pager around it: newer / older say whether there
 * are entries on either side (the links are ?after=<first id> and ?before=<last id>); count is
 * how many entries match, at most AUDIT_COUNT_CAP (capped: there are that many or more). */
struct audit_page {
	struct audit_list rows;
	bool newer, older;
	int64_t count;
	bool capped;
};
/* A page of at most per_page of tenant's entries matching f from where c says. A cursor past
 * either end gives the page at that end (a Newer link that reaches the top shows the newest
 * page in full). Stable under new entries: ?before= pages never shift. 0 or -1. */
int audit_log_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f,
    const struct audit_cursor *c, int64_t per_page, struct audit_page *out);
/* The actors and the actions that tenant's log has, in order (the filter's choices). 0 or -1. */
int audit_log_choices(struct store *s, struct arena *a, int64_t tenant, struct audit_values *actors,
    struct audit_values *actions);
/* The newest max entries matching f, handed to fn one at a time (the CSV download; the
 * row's strings last only during the call; fn returns 0 to go on). 0, or -1 on error or
 * when fn stopped. */
int audit_log_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t max,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx);

/* ---- the log's words (audit_words.c, issue 15) ---- */

/* The entry as a sentence a person reads ("Nora North added the user bo@x (roles: Sales
 * agent).", "Nora North was refused Indirect providers: their roles do not allow it."), in
 * a. page: for an "access" entry, the name of the page that was refused (the web layer knows
 * its routes); NULL: the entry's target. */
const char *audit_sentence(struct arena *a, const struct audit_row *e, const char *page);
/* The Action filter's words for an action ("Add a user"); an unknown action: itself. */
const char *audit_action_label(const char *action);

#endif
