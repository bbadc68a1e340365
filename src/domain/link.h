/* link.h — emailed single-use links: issuing, checking and consuming (the landing page
 * half, which keeps the token out of the address bar, is web/landing.h).
 *
 * Issue: link_issue() writes a link_tokens row (revoking the subject's earlier unused
 * links of the same purpose) and returns the signed token for "<base>/<path>?t=<token>".
 * Use: link_check() before showing the form; link_use() inside the action's write
 * transaction — a conditional UPDATE, so two concurrent uses succeed exactly once. */
#ifndef LINK_H
#define LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/token.h"
#include "store/store.h"

/* Caller holds a write transaction. Returns the token text, or NULL. */
char *link_issue(struct store *s, struct arena *a, enum token_purpose p, int64_t subject, int64_t ttl_seconds);
/* NULL when text is a usable link for purpose p (then *subject and *t are set), else
 * the sentence to show. Reads the row; changes nothing. */
const char *link_check(struct store *s, const char *text, enum token_purpose p, int64_t *subject, struct token *t);
/* Consumes the row inside the caller's transaction: true when this call used it. */
bool link_use(struct store *s, const struct token *t);
/* Ends every unused link of purpose p for subject (caller holds the transaction). 0 or -1. */
int link_revoke(struct store *s, enum token_purpose p, int64_t subject);

#endif
