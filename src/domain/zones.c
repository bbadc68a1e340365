/* zones.c — see zones.h. */
#include "domain/zones.h"

#include "base/i18n.h"

const char *
zone_default(struct arena *a, const char *country)
{
	char z[TZ_ID_MAX];
	tz_country_default(country, z);
	return arena_strdup(a, z);
}

const char *
zone_effective(struct arena *a, const char *chosen, const char *country)
{
	return tz_known(chosen) ? chosen : zone_default(a, country);
}

const char *
zone_session_default(struct arena *a, const struct session *s)
{
	return zone_default(a, s->op_role != NULL ? NULL : s->country);
}

const char *
zone_of_session(struct arena *a, const struct session *s)
{
	return tz_known(s->time_zone) ? s->time_zone : zone_session_default(a, s);
}

int
zone_set(struct store *s, int64_t user_id, const char *zone)
{
	if (zone != NULL && !tz_known(zone))
		return 0;
	return st_user_set_zone(s, user_id, zone);
}

char *
zone_time_for_address(struct store *s, struct arena *a, const char *to, int64_t t)
{
	struct user_zone z;
	int found = to != NULL ? st_user_zone_by_email(s, a, to, &z) : 0;
	/* issue 18: in the language the email is written in (mail/outbox.c chooses it the same
	 * way): the user's own, else the thread's (the request's, or the hint the sender
	 * switched to). A failed lookup leaves the store failed: the action is rolled back. */
	const char *code = NULL;
	const char *lang = NULL;
	if (to != NULL && st_user_lang_by_email(s, a, to, &code) == 1 && i18n_parse(code) >= 0)
		lang = i18n_code((enum lang)i18n_parse(code));
	if (found <= 0)
		return fmt_datetime_in(a, t, NULL, lang);
	return fmt_datetime_in(a, t, zone_effective(a, z.time_zone, z.country), lang);
}
