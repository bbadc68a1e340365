/* landing.h — the landing half of emailed links (domain/link.h issues and checks them):
 * link_landing() moves ?t= into a cookie scoped to the landing path and redirects to the
 * path without it, so the token never stays in the address bar, the history or a Referer. */
#ifndef LANDING_H
#define LANDING_H

#include "web/http.h"

/* On a GET carrying ?t=: stores it and redirects; returns 303. Otherwise returns 0. */
int link_landing(struct req *r);
/* The token of this visit: the form's "t" field, or the landing cookie. */
const char *link_current(struct req *r);
/* Forgets the landing cookie (after use). */
void link_forget(struct req *r);

#endif
