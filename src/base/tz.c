/* tz.c — see tz.h. */
#include "base/tz.h"
#include "base/i18n.h"
#include "base/numfmt.h"
#include "base/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uenum.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

#define LANG_MAX 16
#define CACHE_SLOTS 8	/* zones (with a language) one thread keeps formatters for */

/* Only letters, digits and "/_+-" (what IANA ids are made of), at most TZ_ID_MAX-1 bytes:
 * nothing else reaches ICU. */
static bool
id_shape(const char *s, size_t max)
{
	if (s == NULL || *s == '\0' || strlen(s) >= max)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '/' || *p == '_' || *p == '+' || *p == '-'))
			return false;
	return true;
}

bool
tz_known(const char *zone)
{
	if (!id_shape(zone, TZ_ID_MAX))
		return false;
	UChar id[TZ_ID_MAX], canon[TZ_ID_MAX];
	u_uastrcpy(id, zone);
	UBool system = 0;
	UErrorCode e = U_ZERO_ERROR;
	ucal_getCanonicalTimeZoneID(id, -1, canon, TZ_ID_MAX, &system, &e);
	return U_SUCCESS(e) && system;
}

/* ---- each country's first zone: one table, made once per process from ICU's data ---- */

/* ICU's country enumerations walk every zone (about 5 ms a call): the table of each region's
 * first zone of a place is made once, from zoneinfo64 (the zone names, sorted, and their
 * regions: what those enumerations read), and only read afterwards. */
#define REGIONS_MAX 300

static struct {
	char region[3];
	char zone[TZ_ID_MAX];
} first_zone[REGIONS_MAX];
static size_t nfirst;
static pthread_once_t first_once = PTHREAD_ONCE_INIT;

/* Whether the ICU id name (len UChars) is a canonical id of its own ("Europe/Berlin", not the
 * alias "Europe/Belfast"), into out as UTF-8. */
static bool
canonical_name(const UChar *name, int32_t len, char out[TZ_ID_MAX])
{
	UChar canon[TZ_ID_MAX];
	UBool system = 0;
	UErrorCode e = U_ZERO_ERROR;
	if (len >= TZ_ID_MAX)
		return false;
	int32_t clen = ucal_getCanonicalTimeZoneID(name, len, canon, TZ_ID_MAX, &system, &e);
	if (U_FAILURE(e) || !system || clen != len || u_strncmp(canon, name, len) != 0)
		return false;
	u_UCharsToChars(name, out, len);
	out[len] = '\0';
	return true;
}

static void
first_zones_init(void)
{
	UErrorCode e = U_ZERO_ERROR;
	UResourceBundle *top = ures_openDirect(NULL, "zoneinfo64", &e);
	UResourceBundle *names = ures_getByKey(top, "Names", NULL, &e);
	UResourceBundle *regions = ures_getByKey(top, "Regions", NULL, &e);
	int32_t n = U_SUCCESS(e) ? ures_getSize(names) : 0;
	for (int32_t i = 0; i < n && U_SUCCESS(e) && nfirst < REGIONS_MAX; i++) {
		int32_t rlen, nlen;
		const UChar *r = ures_getStringByIndex(regions, i, &rlen, &e);
		const UChar *name = ures_getStringByIndex(names, i, &nlen, &e);
		char region[3], zone[TZ_ID_MAX];
		if (U_FAILURE(e) || rlen != 2)
			continue;
		u_UCharsToChars(r, region, 2);
		region[2] = '\0';
		bool seen = false;
		for (size_t k = 0; k < nfirst && !seen; k++)
			seen = strcmp(first_zone[k].region, region) == 0;
		if (seen || !canonical_name(name, nlen, zone))
			continue;
		memcpy(first_zone[nfirst].region, region, 3);
		memcpy(first_zone[nfirst].zone, zone, TZ_ID_MAX);
		nfirst++;
	}
	ures_close(regions);
	ures_close(names);
	ures_close(top);
}

void
tz_country_default(const char *country, char out[TZ_ID_MAX])
{
	strcpy(out, "UTC");
	if (country == NULL || strlen(country) != 2)
		return;
	pthread_once(&first_once, first_zones_init);
	for (size_t k = 0; k < nfirst; k++)
		if (strcmp(first_zone[k].region, country) == 0) {
			memcpy(out, first_zone[k].zone, TZ_ID_MAX);
			return;
		}
}

int
tz_list(struct arena *a, struct tz_names *out)
{
	out->v = NULL;
	out->n = 0;
	UErrorCode e = U_ZERO_ERROR;
	UEnumeration *en = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, NULL, NULL, &e);
	int32_t count = U_SUCCESS(e) ? uenum_count(en, &e) : -1;
	if (U_FAILURE(e) || count < 0) {
		uenum_close(en);
		return -1;
	}
	out->v = arena_alloc(a, ((size_t)count + 1) * sizeof(*out->v));
	if (out->v == NULL) {
		uenum_close(en);
		return -1;
	}
	out->v[out->n++] = "UTC";
	int32_t len;
	for (const char *id; (id = uenum_next(en, &len, &e)) != NULL && U_SUCCESS(e) && out->n < (size_t)count + 1;)
		if ((out->v[out->n] = arena_strdup(a, id)) != NULL)
			out->n++;
	uenum_close(en);
	return U_SUCCESS(e) ? 0 : -1;
}

/* ---- formatting: each thread's formatters ---- */

/* NULL: the calling thread's language (i18n_use: the request's, or an email's recipient's);
 * anything that is not a language tag: English. */
static const char *
lang_or_thread(const char *lang)
{
	if (lang == NULL)
		return i18n_code(i18n_current());
	return id_shape(lang, LANG_MAX) ? lang : "en";
}

struct tz_fmt {
	char zone[TZ_ID_MAX], lang[LANG_MAX];
	UDateFormat *when;	/* "05 Mar 2026, 15:03" in the zone, lang's month names */
	UDateFormat *abbr;	/* the zone's abbreviation ("CET", "CEST") */
	UDateFormat *day;	/* the date alone ("05 Mar 2026", "5 mar 2026") */
	/* The last answer of each format and the UTC minute it was for (issue 17: ICU's
	 * udat_format was 4 % of the order POST's CPU, formatting the same minute for every
	 * confirmation). Neither format shows seconds, and a zone's offset and name change only
	 * at a whole minute, so one minute has one answer. */
	bool when_ok, day_ok;
	int64_t when_min, day_min;
	char when_out[96], day_out[48];
};

struct tz_cache {
	struct tz_fmt slot[CACHE_SLOTS];
	unsigned next;		/* the slot the next new zone takes (oldest first) */
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_keyed;

static void
cache_free(void *p)
{
	struct tz_cache *c = p;
	if (c == NULL)
		return;
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (c->slot[i].when != NULL)
			udat_close(c->slot[i].when);
		if (c->slot[i].abbr != NULL)
			udat_close(c->slot[i].abbr);
		if (c->slot[i].day != NULL)
			udat_close(c->slot[i].day);
	}
	free(c);
}

static void
cache_init(void)
{
	cache_keyed = pthread_key_create(&cache_key, cache_free) == 0;
}

void
tz_thread_end(void)
{
	pthread_once(&cache_once, cache_init);
	if (!cache_keyed)
		return;
	cache_free(pthread_getspecific(cache_key));
	pthread_setspecific(cache_key, NULL);
	numfmt_thread_end();
}

static UDateFormat *
open_ufmt(const char *locale, const char *zone, const UChar *pat)
{
	UChar z[TZ_ID_MAX];
	u_uastrcpy(z, zone);
	UErrorCode e = U_ZERO_ERROR;
	UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, z, -1, pat, -1, &e);
	if (U_FAILURE(e)) {
		if (f != NULL)
			udat_close(f);
		return NULL;
	}
	return f;
}

static UDateFormat *
open_fmt(const char *locale, const char *zone, const char *pattern)
{
	UChar pat[32];
	u_uastrcpy(pat, pattern);
	return open_ufmt(locale, zone, pat);
}

/* issue 18: the date as the language writes it. English keeps the portal's one format
 * ("05 Mar 2026", issue 15); the others ICU's medium date of the language ("5 mar 2026",
 * "5 мар. 2026 г.", "5 mars 2026"); with_time adds ", HH:mm" (24 hours in all four). */
static UDateFormat *
open_date(const char *lang, const char *zone, bool with_time)
{
	if (strcmp(lang, "en") == 0)
		return open_fmt(lang, zone, with_time ? "dd MMM yyyy, HH:mm" : "dd MMM yyyy");
	UChar z[TZ_ID_MAX], pat[64];
	u_uastrcpy(z, zone);
	UErrorCode e = U_ZERO_ERROR;
	UDateFormat *medium = udat_open(UDAT_NONE, UDAT_MEDIUM, lang, z, -1, NULL, 0, &e);
	int32_t len = U_SUCCESS(e) ? udat_toPattern(medium, false, pat, 48, &e) : 0;
	if (medium != NULL)
		udat_close(medium);
	if (U_FAILURE(e) || len <= 0 || len >= 48)
		return NULL;
	if (with_time) {
		UChar tail[8];
		u_uastrcpy(tail, ", HH:mm");
		u_strcat(pat, tail);
	}
	return open_ufmt(lang, zone, pat);
}

/* f's output for ms, in UTF-8; false when it does not fit. */
static bool
format_utf8(UDateFormat *f, double ms, char *out, size_t n)
{
	UChar u[64];
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = udat_format(f, ms, u, 64, NULL, &e);
	if (U_FAILURE(e) || len >= 64)
		return false;
	u_strToUTF8(out, (int32_t)n, NULL, u, len, &e);
	return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING;
}

/* The region (ISO 3166) a zone belongs to, into out (3 bytes); false for none ("UTC": 001).
 * ICU's own table (zoneinfo64: Names and the parallel Regions, what TimeZone::getRegion
 * reads), asked once per zone and thread, when its formatters are made. */
static bool
zone_region(const char *zone, char out[3])
{
	UChar id[TZ_ID_MAX], canon[TZ_ID_MAX];
	u_uastrcpy(id, zone);
	UBool system = 0;
	UErrorCode e = U_ZERO_ERROR;
	int32_t clen = ucal_getCanonicalTimeZoneID(id, -1, canon, TZ_ID_MAX, &system, &e);
	if (U_FAILURE(e) || clen >= TZ_ID_MAX)
		return false;
	UResourceBundle *top = ures_openDirect(NULL, "zoneinfo64", &e);
	UResourceBundle *names = ures_getByKey(top, "Names", NULL, &e);
	UResourceBundle *regions = ures_getByKey(top, "Regions", NULL, &e);
	bool found = false;
	int32_t n = U_SUCCESS(e) ? ures_getSize(names) : 0;
	for (int32_t i = 0; i < n && !found && U_SUCCESS(e); i++) {
		int32_t len;
		const UChar *name = ures_getStringByIndex(names, i, &len, &e);
		if (U_FAILURE(e) || len != clen || u_strncmp(name, canon, len) != 0)
			continue;
		const UChar *r = ures_getStringByIndex(regions, i, &len, &e);
		if (U_SUCCESS(e) && len == 2) {
			u_UCharsToChars(r, out, 2);
			out[2] = '\0';
			found = out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'A' && out[1] <= 'Z';
		}
		break;
	}
	ures_close(regions);
	ures_close(names);
	ures_close(top);
	return found;
}

/* Whether abbr names the zone in winter and in summer by a name, not an offset ("GMT+1"). */
static bool
names_zone(UDateFormat *abbr)
{
	static const double probe[] = { 1767225600000.0, 1782864000000.0 };	/* 1 Jan, 1 Jul 2026 */
	for (size_t i = 0; i < NELEM(probe); i++) {
		char s[32];
		if (!format_utf8(abbr, probe[i], s, sizeof(s)) || strncmp(s, "GMT+", 4) == 0 || strncmp(s, "GMT-", 4) == 0)
			return false;
	}
	return true;
}

/* The abbreviation's formatter: CLDR names a zone where its names are common, so the
 * language of the zone's own region is asked first ("en_AU": AEDT, "en_IN": IST), then the
 * language in Europe ("en_150": CET, EET), then the language itself ("en": EST; else the
 * offset, "GMT+9"). */
static UDateFormat *
open_abbr(const char *zone, const char *lang)
{
	char region[3], loc[LANG_MAX + 8];
	const char *tail[2] = { zone_region(zone, region) ? region : NULL, "150" };
	for (size_t i = 0; i < NELEM(tail); i++) {
		if (tail[i] == NULL)
			continue;
		snprintf(loc, sizeof(loc), "%s_%s", lang, tail[i]);
		UDateFormat *f = open_fmt(loc, zone, "z");
		if (f != NULL && names_zone(f))
			return f;
		if (f != NULL)
			udat_close(f);
	}
	return open_fmt(lang, zone, "z");
}

static struct tz_cache *
this_cache(void)
{
	pthread_once(&cache_once, cache_init);
	if (!cache_keyed)
		return NULL;
	struct tz_cache *c = pthread_getspecific(cache_key);
	if (c == NULL && (c = calloc(1, sizeof(*c))) != NULL && pthread_setspecific(cache_key, c) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

/* This thread's formatters for zone and lang, made on first use (the oldest slot goes). */
static struct tz_fmt *
formatters(const char *zone, const char *lang)
{
	struct tz_cache *c = this_cache();
	if (c == NULL)
		return NULL;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (c->slot[i].when != NULL && strcmp(c->slot[i].zone, zone) == 0 && strcmp(c->slot[i].lang, lang) == 0)
			return &c->slot[i];
	if (!tz_known(zone))
		return NULL;	/* a slot holds only a zone found known (ICU's canonical ids) */
	UDateFormat *when = open_date(lang, zone, true);
	UDateFormat *day = when != NULL ? open_date(lang, zone, false) : NULL;
	UDateFormat *abbr = day != NULL ? open_abbr(zone, lang) : NULL;
	if (abbr == NULL) {
		if (when != NULL)
			udat_close(when);
		if (day != NULL)
			udat_close(day);
		return NULL;
	}
	struct tz_fmt *s = &c->slot[c->next];
	c->next = (c->next + 1) % CACHE_SLOTS;
	s->when_ok = s->day_ok = false;
	if (s->when != NULL)
		udat_close(s->when);
	if (s->abbr != NULL)
		udat_close(s->abbr);
	if (s->day != NULL)
		udat_close(s->day);
	snprintf(s->zone, sizeof(s->zone), "%s", zone);
	snprintf(s->lang, sizeof(s->lang), "%s", lang);
	s->when = when;
	s->abbr = abbr;
	s->day = day;
	return s;
}

/* The UTC minute of t (floored, also before 1970): the key of a formatter's memo. */
static int64_t
utc_minute(int64_t t)
{
	return t >= 0 ? t / 60 : -1 - (-1 - t) / 60;
}

int
tz_format(char *buf, size_t n, int64_t t, const char *zone, const char *lang)
{
	if (n == 0)
		return -1;
	buf[0] = '\0';
	lang = lang_or_thread(lang);
	if (zone == NULL && strcmp(lang, "en") != 0)
		zone = "UTC";	/* issue 18: UTC in the language's words (English: below, as ever) */
	struct tz_fmt *f = zone != NULL ? formatters(zone, lang) : NULL;
	char when[48], abbr[24];
	double ms = (double)t * 1000.0;
	int64_t min = utc_minute(t);
	if (f != NULL && f->when_ok && f->when_min == min) {
		int w = snprintf(buf, n, "%s", f->when_out);
		return w >= 0 && (size_t)w < n ? 0 : -1;
	}
	if (f != NULL && format_utf8(f->when, ms, when, sizeof(when)) && format_utf8(f->abbr, ms, abbr, sizeof(abbr))) {
		int m = snprintf(f->when_out, sizeof(f->when_out), "%s %s", when, abbr);
		f->when_ok = m >= 0 && (size_t)m < sizeof(f->when_out);
		f->when_min = min;
		int w = f->when_ok ? snprintf(buf, n, "%s", f->when_out) : snprintf(buf, n, "%s %s", when, abbr);
		return w >= 0 && (size_t)w < n ? 0 : -1;
	}
	/* No zone, an unknown one (never stored: the account page checks it) or ICU failing:
	 * UTC, as fmt_datetime writes it. */
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, n, "%d %b %Y, %H:%M UTC", &tm) == 0) {
		buf[0] = '\0';
		return -1;
	}
	return zone == NULL ? 0 : -1;
}

char *
fmt_datetime_in(struct arena *a, int64_t t, const char *zone, const char *lang)
{
	char buf[96];
	tz_format(buf, sizeof(buf), t, zone, lang);
	return arena_strdup(a, buf[0] ? buf : "?");
}

int
tz_format_date(char *buf, size_t n, int64_t t, const char *zone, const char *lang)
{
	if (n == 0)
		return -1;
	buf[0] = '\0';
	lang = lang_or_thread(lang);
	if (zone == NULL)
		zone = "UTC";
	struct tz_fmt *f = formatters(zone, lang);
	int64_t min = utc_minute(t);
	if (f != NULL && f->day_ok && f->day_min == min) {
		int w = snprintf(buf, n, "%s", f->day_out);
		if (w >= 0 && (size_t)w < n)
			return 0;
	} else if (f != NULL && format_utf8(f->day, (double)t * 1000.0, buf, n)) {
		int m = snprintf(f->day_out, sizeof(f->day_out), "%s", buf);
		f->day_ok = m >= 0 && (size_t)m < sizeof(f->day_out);
		f->day_min = min;
		return 0;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, n, "%d %b %Y", &tm) == 0)
		buf[0] = '\0';
	return -1;
}
