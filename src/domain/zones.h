/* zones.h — the time zone a person reads times in (issue 15): the user's choice, else the
 * first zone of the organization's country, else UTC; the same for an email's recipient. */
#ifndef ZONES_H
#define ZONES_H

#include "base/tz.h"
#include "store/store.h"

/* The zone to show times in for a user who chose `chosen` (NULL: none) in an organization
 * of country: the choice while ICU knows it, else the country's default. */
const char *zone_effective(struct arena *a, const char *chosen, const char *country);
/* The organization's default zone (tz_country_default) in the arena. */
const char *zone_default(struct arena *a, const char *country);
/* The default zone of a signed-in user: their organization's; for an operator UTC (the
 * program team's work account has a country only because the column requires one). */
const char *zone_session_default(struct arena *a, const struct session *s);
/* The zone session s reads times in: the user's choice, else zone_session_default. */
const char *zone_of_session(struct arena *a, const struct session *s);
/* Sets user_id's zone (NULL: back to the default; a zone must be tz_known, checked by the
 * caller's form). 1 changed, 0 no such user, -1 error. */
int zone_set(struct store *s, int64_t user_id, const char *zone);
/* t as an email to `to` shows it: in the zone of the user with that address (their choice or
 * their organization's default), in UTC ("... 14:03 UTC") for an address without a user. */
char *zone_time_for_address(struct store *s, struct arena *a, const char *to, int64_t t);

#endif
