/* webhook.h — the webhook sender (issue 14): signs and sends the queued deliveries with
 * libcurl. Every node runs it in a background thread of its own (web/main.c), never in a
 * request; portalctl webhooks deliver runs one pass. A delivery is claimed in its own
 * transaction before it is sent (as the mail outbox's messages are), so two nodes never
 * send one delivery twice. Each request: the Standard Webhooks headers webhook-id,
 * webhook-timestamp and webhook-signature, a connect and a total timeout, redirects not
 * followed, no proxy, and every address curl connects to checked (CURLOPT_OPENSOCKETFUNCTION:
 * what the name resolved to, so a name cannot lead to a private network later) unless
 * PORTAL_WEBHOOK_ALLOW_PRIVATE allows private ranges. A 2xx answer is sent; anything else
 * is tried again after PORTAL_WEBHOOK_BACKOFF seconds, doubling, for 24 hours, then failed. */
#ifndef MAIL_WEBHOOK_H
#define MAIL_WEBHOOK_H

#include "base/config.h"
#include "store/store.h"

#define WEBHOOK_CONNECT_TIMEOUT 5	/* seconds */
#define WEBHOOK_TOTAL_TIMEOUT 10	/* seconds, the whole request */
#define WEBHOOK_CLAIM_SECONDS 120	/* longer than one delivery can take */

/* Once per process, before any thread starts (curl_global_init). 0 or -1. */
int webhook_sender_init(void);
/* Sends every due delivery this process wins the claim of. Returns how many failed (tried
 * again later, or failed for good); *sent: how many were answered 2xx. */
int webhook_deliver_pending(const struct config *cfg, struct store *s, int *sent);

#endif
