/* link.h — emailed single-use links: issuing, landing, checking and consuming.
 *
 * Issue: link_issue() writes a link_tokens row (revoking the subject's earlier unused
 * links of the same purpose) and returns the signed token for "<base>/<path>?t=<token>".
 * Land: link_landing() moves ?t= into a cookie scoped to the landing path and redirects
 * to the path without it, so the token never stays in the address bar, the history or a
 * Referer. Use: link_check() before showing the form; link_use() inside the action's
 * transaction — a conditional UPDATE, so two concurrent uses succeed exactly once. */
#ifndef LINK_H
#define LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "web/http.h"
#include "base/token.h"

/* Caller holds a write transaction. Returns the token text, or NULL. */
char *link_issue(struct req *r, enum token_purpose p, int64_t subject, int64_t ttl_seconds);
char *link_issue_db(struct db *db, struct arena *a, enum token_purpose p, int64_t subject, int64_t ttl_seconds);
/* On a GET carrying ?t=: stores it and redirects; returns 303. Otherwise returns 0. */
int link_landing(struct req *r);
/* The token of this visit: the form's "t" field, or the landing cookie. */
const char *link_current(struct req *r);
/* Forgets the landing cookie (after use). */
void link_forget(struct req *r);
/* NULL when text is a usable link for purpose p (then *subject and *t are set), else
 * the sentence to show. Reads the row; changes nothing. */
const char *link_check(struct db *db, const char *text, enum token_purpose p, int64_t *subject, struct token *t);
/* Consumes the row inside the caller's transaction: true when this call used it. */
bool link_use(struct db *db, const struct token *t);

#endif
