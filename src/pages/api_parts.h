/* api_parts.h — what the JSON API's resource files share (pages/api_*.c). */
#ifndef PAGES_API_PARTS_H
#define PAGES_API_PARTS_H

#include <jansson.h>

struct subscription_row;
struct req;

/* A subscription as the API lists it (api_customers.c; the order's answer, api_orders.c). */
json_t *api_subscription_json(const struct subscription_row *s);

/* Issue 13's checks before sending, on the API's invitation calls (api_resellers.c,
 * api_customers.c): a refusal is 422 with its sentence; a warning is 409 with "warnings":
 * [{message, see?}] unless the body says "confirm": true (the page's "Send it anyway").
 * see: the portal page that says what to do (NULL: none). Returns the status. */
int api_precheck_refused(struct req *r, const char *text, const char *see);
int api_precheck_warned(struct req *r, const char *text, const char *see);
/* The body's "confirm": 1 true, 0 absent or false, -1 another type (answered 422). */
int api_confirmed(struct req *r);

#endif
