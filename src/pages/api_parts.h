/* api_parts.h — what the JSON API's resource files share (pages/api_*.c). */
#ifndef PAGES_API_PARTS_H
#define PAGES_API_PARTS_H

#include <jansson.h>

struct subscription_row;

/* A subscription as the API lists it (api_customers.c; the order's answer, api_orders.c). */
json_t *api_subscription_json(const struct subscription_row *s);

#endif
