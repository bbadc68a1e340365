/* webhooks.h — an organization's webhooks (issue 14): a Global admin registers endpoints
 * under Settings -> Webhooks, each with the events it receives and a signing secret shown
 * once (stored sealed with the key file's key, base/seal.h: the server signs with it, so it
 * cannot be a hash). The domain functions that make a change call webhook_enqueue in the
 * change's transaction: a delivery per endpoint is queued with it, or nothing when the
 * action fails. The sender (mail/webhook.c, in every node's background thread) signs and
 * sends them. */
#ifndef DOMAIN_WEBHOOKS_H
#define DOMAIN_WEBHOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/webhook.h"
#include "store/store.h"

/* WEBHOOK_EVENT(id, bit, type as sent, what the settings page calls it). Never renumber:
 * webhook_endpoints.events stores the bits. */
#define WEBHOOK_EVENTS(E) \
	E(INVITATION_ACCEPTED, 0, "reseller_invitation.accepted", N_("A reseller accepted your invitation")) \
	E(RELATIONSHIP_CREATED, 1, "relationship.created", N_("A provider-reseller relationship began")) \
	E(RELATIONSHIP_ENDED, 2, "relationship.ended", N_("A provider-reseller relationship ended")) \
	E(CUSTOMER_ACCEPTED, 3, "customer.accepted", N_("A customer accepted your invitation")) \
	E(ORDER_PLACED, 4, "order.placed", N_("An order was placed")) \
	E(AGREEMENT_ACCEPTED, 5, "agreement.accepted", N_("Your organization accepted the partner agreement")) \
	E(DA_REQUESTED, 6, "delegated_admin.requested", N_("Delegated admin requested")) \
	E(DA_APPROVED, 7, "delegated_admin.approved", N_("Delegated admin approved")) \
	E(DA_EXPIRING, 8, "delegated_admin.expiring", N_("Delegated admin expiring soon")) \
	E(DA_TERMINATED, 9, "delegated_admin.terminated", N_("Delegated admin ended")) \
	E(USER_ADDED, 10, "user.added", N_("A user was added")) \
	E(USER_REMOVED, 11, "user.removed", N_("A user was removed"))

enum webhook_event {
#define E_(id, bit, type, name) WH_##id = (bit),
	WEBHOOK_EVENTS(E_)
#undef E_
	WH__COUNT
};
struct webhook_event_info {
	const char *type, *name;
};
extern const struct webhook_event_info webhook_events[WH__COUNT];

#define WEBHOOK_URL_MAX 500
#define WEBHOOK_LIST_MAX 50		/* endpoints shown on Settings -> Webhooks */
#define WEBHOOK_LOG_MAX 100		/* deliveries and attempts shown per endpoint */
#define WEBHOOK_FANOUT_MAX 32		/* endpoints of one organization that receive one event */

/* Why url cannot be an endpoint (a sentence for the form), or NULL: https:// with a host
 * (no user:password@, no spaces or control characters, at most WEBHOOK_URL_MAX bytes);
 * http:// only to a loopback host and only when private_ok (PORTAL_WEBHOOK_ALLOW_PRIVATE);
 * a literal private or loopback address only when private_ok. Names are checked again on
 * every connection (mail/webhook.c), since a name may resolve anywhere. */
const char *webhook_url_problem(const char *url, bool private_ok);

/* Registers an endpoint of tenant (caller holds the write transaction): a new random key,
 * sealed; its text ("whsec_...", in the arena, shown once) into *secret. The id, or -1. */
int64_t webhook_endpoint_create(struct store *s, struct arena *a, int64_t tenant, int64_t by, const char *url,
    unsigned events, int64_t now, const char **secret);

/* Queues event ev of tenant for each enabled endpoint that takes it, in the caller's write
 * transaction: body {"type", "timestamp" (RFC 3339 UTC), "data"}. Takes data (a JSON
 * object of ids and names, never secrets; NULL: out of memory) and frees it. 0, or -1 (the
 * store has failed, or data was NULL: the caller's action must fail). */
int webhook_enqueue(struct store *s, int64_t tenant, enum webhook_event ev, int64_t now, json_t *data);

/* Settings -> Webhooks, each for tenant only (another organization's id: 0 / none):
 * endpoints newest first (0 or -1); one endpoint (1, 0, -1); disable or enable, delete
 * (1 done, 0 none such or nothing to change, -1); an endpoint's deliveries and attempts,
 * newest first, at most WEBHOOK_LOG_MAX (0 or -1); one delivery (1, 0, -1) and "Send
 * again" (queued, due now, 24 hours of retries from now: 1, 0, -1). */
int webhook_endpoints(struct store *s, struct arena *a, int64_t tenant, struct webhook_endpoint_list *out);
int webhook_endpoint(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct webhook_endpoint *out);
int webhook_endpoint_enable(struct store *s, int64_t tenant, int64_t id, bool on, int64_t now);
int webhook_endpoint_delete(struct store *s, int64_t tenant, int64_t id);
int webhook_log(struct store *s, struct arena *a, int64_t endpoint, struct webhook_delivery_list *deliveries,
    struct webhook_attempt_list *attempts);
int webhook_delivery(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct webhook_delivery *out);
int webhook_send_again(struct store *s, int64_t tenant, int64_t id, int64_t now);

/* A partner account and its organization as an event's data names them (NULL: out of memory). */
json_t *webhook_partner(const struct partner *p);

/* portalctl rotate-key: every endpoint's secret sealed again under the current key (caller
 * holds the write transaction). How many, or -1; *lost: secrets whose key was retired (those
 * endpoints must be made again). */
int webhook_reseal_all(struct store *s, int *lost);

/* The events of a mask, by name, separated by ", " (in the arena). */
const char *webhook_events_text(struct arena *a, unsigned mask);
/* The same in the thread's language, for pages (issue 18); webhook_events_text stays English (data). */
const char *webhook_events_words(struct arena *a, unsigned mask);

#endif
