/* timeline.h — one timeline per relationship (issue 13): every event of a provider-reseller,
 * partner-customer or delegated admin relationship from BOTH organizations' audit logs,
 * newest first, in cursor pages, and as CSV / JSON. An entry belongs to a relationship when
 * it names it (schema 22: the pages, the dispatcher's acting-as-partner path and the
 * lifecycle worker write the link); entries from before that carry none and are not shown
 * (tl_predates says when a relationship is older than the links). Either organization of the
 * relationship may read it (the route's permission decides who in it); anyone else's id
 * reads as none. */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define TL_PER_PAGE 50
#define TL_EXPORT_MAX 10000		/* entries in one CSV / JSON download, newest first */

/* The relationship kinds, as the audit log's rel_kind stores them. */
#define TL_RESELLER "reseller"
#define TL_CUSTOMER "customer"
#define TL_DELEGATED "delegated"
/* An invitation's entries (sent, opened, sent again, reminded, revoked) name the invitation
 * until it makes its relationship; then tl_adopt makes them the relationship's, so its
 * timeline starts at "invited". Never a timeline of their own (tl_kind refuses them). */
#define TL_RESELLER_INV "reseller-invitation"
#define TL_CUSTOMER_INV "customer-invitation"

/* A relationship whose timeline is read. */
struct tl_rel {
	const char *kind;		/* TL_RESELLER, TL_CUSTOMER, TL_DELEGATED */
	int64_t id;
	struct rel_sides sides;
	bool predates;			/* made before audit entries named their relationship */
};

/* "reseller" / "customer" / "delegated" as the kind (the same static string), or NULL. */
const char *tl_kind(const char *word);
/* "Provider and reseller", "Partner and customer", "Delegated admin". */
const char *tl_kind_label(const char *kind);

/* Relationship id of kind as organization tenant may read it: 1 (out filled: tenant is one of
 * its two organizations), 0 none or another's (*why for the audit log), -1. */
int tl_open(struct store *s, struct arena *a, const char *kind, int64_t id, int64_t tenant, struct tl_rel *out,
    const char **why);
/* The name of the organization whose log entry e is in ("" another's). */
const char *tl_log_of(const struct tl_rel *rel, const struct audit_row *e);

/* The active partner-customer relationship of partner account partner with organization
 * customer (an acceptance's audit entries name it): its id, 0 none, -1. */
int64_t tl_customer_rel(struct store *s, int64_t partner, int64_t customer);

/* The entries of invitation inv_id (TL_RESELLER_INV / TL_CUSTOMER_INV) become relationship
 * (kind, rel)'s: in the transaction that makes it from the invitation. 0 or -1. */
int tl_adopt(struct store *s, const char *inv_kind, int64_t inv_id, const char *kind, int64_t rel);

/* A page of at most per_page events of rel older than entry before (0: the newest), newest
 * first; *older: there are older ones (the next page is before=<the last id>). 0 or -1. */
int tl_page(struct store *s, struct arena *a, const struct tl_rel *rel, int64_t before, int64_t per_page,
    struct audit_list *out, bool *older);
/* Its newest TL_EXPORT_MAX events handed to fn one at a time (the download). 0 or -1. */
int tl_each(struct store *s, const struct tl_rel *rel, int (*fn)(void *ctx, const struct audit_row *row), void *ctx);

#endif
