/* countries.h — the countries an organization can be in, and their regions (a partner
 * relates only to partners and customers of its own region). struct country: store.h. */
#ifndef COUNTRIES_H
#define COUNTRIES_H

#include "store/store.h"

/* 1 found, 0 not a country, -1 error. */
int country_get(struct store *s, struct arena *a, const char *code, struct country *out);
/* Every country, by name. 0 or -1. */
int countries_all(struct store *s, struct arena *a, struct country_list *out);

#endif
