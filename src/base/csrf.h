/* csrf.h — CSRF tokens: a MAC under the current CSRF key of a secret value the visitor's
 * browser holds (the session cookie, or the signed-out visitor's pre-session cookie). */
#ifndef CSRF_H
#define CSRF_H

#include <stdbool.h>

#include "base/arena.h"

/* The token for bound_to (base64url), in the arena; NULL without a key or bound_to. */
char *csrf_token_make(struct arena *a, const char *bound_to);
/* Constant-time check of a submitted token against bound_to. */
bool csrf_token_check(const char *bound_to, const char *token);

#endif
