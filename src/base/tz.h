/* tz.h — time zones (issue 15): which zone ids exist, an organization's default zone, and a
 * time shown in a person's zone with its abbreviation ("05 Mar 2026, 15:03 CET").
 *
 * ICU does the work: glibc's localtime_r follows one process-wide TZ, so converting for
 * many users at once would mean setenv/tzset under a lock around every time shown. Each
 * thread keeps its own ICU formatters, one per zone and language it has shown (a few),
 * freed when the thread ends (no lock on the way). Zone ids are IANA's ("Europe/Warsaw",
 * "UTC"), checked against ICU's own list. */
#ifndef TZ_H
#define TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define TZ_ID_MAX 64

/* Whether zone is a time zone id ICU knows ("Europe/Warsaw", "UTC", also the old aliases
 * such as "Poland"); NULL, empty, too long or unknown: false. */
bool tz_known(const char *zone);

/* The zone of an organization in country (ISO 3166 alpha-2) that has not chosen one: the
 * country's first zone in ICU's list (Europe/Warsaw for PL), else "UTC". */
void tz_country_default(const char *country, char out[TZ_ID_MAX]);

/* The zones a person may choose: "UTC", then every zone of a place, sorted by id. */
struct tz_names {
	const char **v;
	size_t n;
};
int tz_list(struct arena *a, struct tz_names *out);

/* t (Unix seconds) as "05 Mar 2026, 15:03 CET" in zone (NULL or unknown: UTC), month
 * names in lang ("en" today; issue 18 passes the reader's language). Into buf (n bytes);
 * 0, or -1 when it does not fit or ICU fails (buf then holds the UTC form if it fits). */
int tz_format(char *buf, size_t n, int64_t t, const char *zone, const char *lang);
/* The same into the arena; never NULL for a valid arena. */
char *fmt_datetime_in(struct arena *a, int64_t t, const char *zone, const char *lang);
/* issue 18: lang NULL in either is the calling thread's language (i18n_current). English is
 * "05 Mar 2026, 15:03 CET"; pl, ru, sv ICU's medium date of the language and the 24-hour
 * time: "30 lis 2026, 15:03 CET", "30 нояб. 2026 г., 15:03 CET", "30 nov. 2026, 15:03 CET".
 * The date alone ("30 lis 2026") in zone (NULL: UTC), 0 or -1 as tz_format. */
int tz_format_date(char *buf, size_t n, int64_t t, const char *zone, const char *lang);

/* Frees the calling thread's formatters now (dates and numbers, numfmt.h) (threads that end free theirs themselves; the
 * main thread of portal and portalctl calls this before exit). */
void tz_thread_end(void);

#endif
