/* compliance.h — the multi-factor compliance view of an organization (Settings → Security →
 * MFA compliance, and its CSV): who has multi-factor sign-in set up and who has not, when
 * each user last signed in and whether that sign-in used a second factor. Only the
 * organization's own users, read through the store's compliance area. */
#ifndef COMPLIANCE_H
#define COMPLIANCE_H

#include <stdint.h>

#include "base/arena.h"
#include "base/paging.h"
#include "store/store.h"

/* ?mfa= of the view: "with", "without", anything else all users. */
enum mfa_filter mfa_filter_parse(const char *key);
/* The key of a filter ("all", "with", "without"). */
const char *mfa_filter_key(enum mfa_filter f);
/* How many users tenant has, and how many of them have MFA set up. 0 or -1. */
int mfa_totals(struct store *s, int64_t tenant, int64_t *users, int64_t *with_mfa);
/* The page `page` of tenant's users in filter f, by name (clamped into range: *pg says
 * which), per_page a page. 0 or -1. */
int mfa_users_page(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, int64_t page, int64_t per_page,
    struct paging *pg, struct mfa_status_list *out);
/* Every user of tenant in filter f, by name (the CSV). 0 or -1. */
int mfa_users_all(struct store *s, struct arena *a, int64_t tenant, enum mfa_filter f, struct mfa_status_list *out);

#endif
