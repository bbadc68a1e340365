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

/* The page `page` (clamped into range: *pg says which and how many entries match) of
 * tenant's entries matching f, newest first, per_page a page. 0 or -1. */
int audit_log_page(struct store *s, struct arena *a, int64_t tenant, const struct audit_filter *f, int64_t page,
    int64_t per_page, struct paging *pg, struct audit_list *out);
/* The actors and the actions that tenant's log has, in order (the filter's choices). 0 or -1. */
int audit_log_choices(struct store *s, struct arena *a, int64_t tenant, struct audit_values *actors,
    struct audit_values *actions);
/* The newest max entries matching f, handed to fn one at a time (the CSV download; the
 * row's strings last only during the call; fn returns 0 to go on). 0, or -1 on error or
 * when fn stopped. */
int audit_log_each(struct store *s, int64_t tenant, const struct audit_filter *f, int64_t max,
    int (*fn)(void *ctx, const struct audit_row *row), void *ctx);

#endif
