/* mail.h — messages from templates/email/, through the outbox, to the spool or sendmail.
 *
 * An email template is plain text: its first line is "Subject: ...", then a blank line,
 * then the body. Every template sees base_url, product, vendor and program. A message is
 * queued in the outbox inside the action's transaction and delivered after the commit;
 * a failed delivery stays queued (portalctl mail retry, and the portal retries every
 * minute), so no message is lost. Building (build.c), the outbox (outbox.c), transports
 * (transport.c). A request queues its mail through page_mail (web/page.h).
 * A context string "reply_to" (the inviting user's address, for invitations) becomes the
 * message's Reply-To header; the message is refused if it is not one valid address. */
#ifndef MAIL_H
#define MAIL_H

#include <stdint.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/portal.h"
#include "base/tmpl.h"
#include "store/store.h"

/* Renders email template tmpl with ctx and writes the message to the outbox in the
 * caller's transaction. Returns the outbox id, or -1 (bad address, template, database). */
int64_t mail_enqueue(struct store *s, struct arena *a, const struct portal *p, const char *to, const char *tmpl,
    struct tv *ctx);
/* The same, inserted already claimed by this process (mail_claimant) for MAIL_CLAIM_SECONDS:
 * for a message the caller delivers itself right after the commit (page_mail), which then
 * needs no claim transaction; other processes leave it alone unless the claim lapses. */
int64_t mail_enqueue_claimed(struct store *s, struct arena *a, const struct portal *p, const char *to,
    const char *tmpl, struct tv *ctx);
/* How long a claim holds: longer than any delivery takes (a synced file, or sendmail handing
 * the message on), so a claim lapses only when its process died mid-delivery. */
#define MAIL_CLAIM_SECONDS 300
/* This process in outbox.claimed_by: host:pid (the worker's pid, taken at each call, since
 * the supervisor forks it). */
void mail_claimant(char *out, size_t outlen);
/* Body lines are wrapped at this many characters: at spaces, never inside a word, so a link
 * or an address longer than this stays whole on a line of its own. */
#define MAIL_WRAP 72
/* Builds an RFC 5322 message (CRLF line ends, UTF-8, encoded Subject, body lines wrapped at
 * MAIL_WRAP). NULL if to or subject could inject headers. */
char *mail_build(struct arena *a, const struct config *cfg, const char *to, const char *subject,
    const char *body, int64_t now);
/* The same with a Reply-To header when reply_to is not NULL: it must be one plain address
 * (email_valid), else NULL, so that it cannot inject headers. */
char *mail_build_reply(struct arena *a, const struct config *cfg, const char *to, const char *reply_to,
    const char *subject, const char *body, int64_t now);
/* issue 18: the same with a Content-Language header (lang: "pl"; NULL: none). */
char *mail_build_lang(struct arena *a, const struct config *cfg, const char *to, const char *reply_to,
    const char *subject, const char *body, int64_t now, const char *lang);
/* Delivers outbox message id by the configured transport and marks it sent, when this process
 * wins its claim (several nodes, or a request and housekeeping, may try the same message at
 * once: exactly one sends it). 0 (delivered, or not this process's to deliver), or -1 (kept). */
int mail_deliver(const struct config *cfg, struct store *s, int64_t id);
/* The same for n messages: the spool writes those this process takes together (one journal
 * commit and one directory sync for many files: transport.c) and records them in one
 * transaction. Returns how many failed (kept queued); *sent (unless NULL): delivered here. */
int mail_deliver_many(const struct config *cfg, struct store *s, const int64_t *ids, int n, int *sent);
/* Delivers every queued message nobody else is delivering (unclaimed, or claimed by a process
 * that died: the claim lapsed). Returns the number still failing; *sent: delivered here. */
int mail_deliver_pending(const struct config *cfg, struct store *s, int *sent);
/* The mail sender thread (sender.c, issue 17): the portal's worker process starts one, which
 * opens a connection of its own to db_path (kept by the caller); mail_sender_queue hands it
 * the outbox ids of n messages a request committed (0), or -1 when it does not run (yet), or
 * its queue is full: the caller delivers them itself. mail_sender_stop delivers what is
 * queued, then ends the thread. */
int mail_sender_start(const struct config *cfg, const char *db_path);
int mail_sender_queue(const int64_t *ids, int n);
void mail_sender_stop(void);

#endif
