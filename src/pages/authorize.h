/* authorize.h — /authorize (authorize.c): the HTTP status of each refusal of a provider's
 * invitation link (the refusals and their order are domain/relationships.h's rel_decide). */
#ifndef PAGES_AUTHORIZE_H
#define PAGES_AUTHORIZE_H

#include "domain/relationships.h"

/* The status of a page or POST refused for why: 400 a link that is not one, 410 one that
 * no longer works, 409 one already used (or a relationship that exists), 403 a visitor who
 * may not use it; 200 for RR_OK. */
int authorize_refusal_status(enum rel_refusal why);

#endif
