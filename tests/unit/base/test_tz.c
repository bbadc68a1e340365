/* test_tz.c — time zones (tz.c): ids ICU knows, an organization's default zone, and a time
 * in a person's zone with its abbreviation, across daylight saving time and in threads. */
#include "unit.h"

#include <pthread.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>

#include "base/tz.h"

#define MAR_5 1772719380	/* 2026-03-05 14:03 UTC */

/* The test's own thread frees its formatters as portalctl's main does (no leak under asan). */
static void
tz_teardown(void)
{
	tz_thread_end();
	unit_teardown();
}

START_TEST(known_zones)
{
	static const char *const good[] = { "Europe/Warsaw", "UTC", "America/New_York", "Asia/Kolkata", "Poland" };
	static const char *const bad[] = { NULL, "", "Nowhere/Foo", "europe/warsaw", "Europe/Warsaw ", "GMT+1",
		"Europe/../etc", "Europe/Warsaw\n", "A/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	for (size_t i = 0; i < NELEM(good); i++)
		ck_assert_msg(tz_known(good[i]), "%s refused", good[i]);
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(!tz_known(bad[i]), "bad[%zu] accepted", i);
}
END_TEST

START_TEST(country_default)
{
	char z[TZ_ID_MAX];
	tz_country_default("PL", z);
	ck_assert_str_eq(z, "Europe/Warsaw");
	tz_country_default("SE", z);
	ck_assert_str_eq(z, "Europe/Stockholm");
	tz_country_default("GB", z);
	ck_assert_str_eq(z, "Europe/London");	/* a place, never an alias (Europe/Belfast) */
	tz_country_default("ZZ", z);
	ck_assert_str_eq(z, "UTC");
	tz_country_default(NULL, z);
	ck_assert_str_eq(z, "UTC");
	tz_country_default("P'", z);
	ck_assert_str_eq(z, "UTC");
	/* The table made once from ICU's data says what ICU's own (slow) enumeration says, for
	 * every country ICU knows. */
	size_t with_zone = 0;
	for (const char *const *cc = uloc_getISOCountries(); *cc != NULL; cc++) {
		UErrorCode e = U_ZERO_ERROR;
		UEnumeration *en = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, *cc, NULL, &e);
		int32_t len;
		const char *first = U_SUCCESS(e) ? uenum_next(en, &len, &e) : NULL;
		tz_country_default(*cc, z);
		ck_assert_msg(strcmp(z, first != NULL ? first : "UTC") == 0, "%s: %s, ICU lists %s", *cc, z, first);
		with_zone += first != NULL;
		uenum_close(en);
	}
	ck_assert_uint_gt(with_zone, 200);
}
END_TEST

START_TEST(zone_list)
{
	struct tz_names l;
	ck_assert_int_eq(tz_list(&A, &l), 0);
	ck_assert_uint_gt(l.n, 300);
	ck_assert_str_eq(l.v[0], "UTC");
	bool warsaw = false;
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_msg(tz_known(l.v[i]), "%s listed but not known", l.v[i]);
		warsaw = warsaw || strcmp(l.v[i], "Europe/Warsaw") == 0;
	}
	ck_assert(warsaw);
}
END_TEST

START_TEST(in_a_zone)
{
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Europe/Warsaw", "en"), "05 Mar 2026, 15:03 CET");
	ck_assert_str_eq(fmt_datetime_in(&A, 1783087380, "Europe/Warsaw", "en"), "03 Jul 2026, 16:03 CEST");
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "UTC", "en"), "05 Mar 2026, 14:03 UTC");
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "America/New_York", "en"), "05 Mar 2026, 09:03 EST");
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Australia/Sydney", "en"), "06 Mar 2026, 01:03 AEDT");
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Asia/Kolkata", "en"), "05 Mar 2026, 19:33 IST");
	ck_assert_str_eq(fmt_datetime_in(&A, 1783087380, "Europe/London", "en"), "03 Jul 2026, 15:03 BST");
	/* No common name in English: the offset. */
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Asia/Tokyo", "en"), "05 Mar 2026, 23:03 GMT+9");
	/* The one format of fmt_datetime when no zone is given. */
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, NULL, "en"), fmt_datetime(&A, MAR_5));
}
END_TEST

START_TEST(daylight_saving_boundaries)
{
	/* Warsaw moves from CET to CEST at 01:00 UTC on 29 March 2026, and back on 25 October. */
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745940, "Europe/Warsaw", "en"), "29 Mar 2026, 01:59 CET");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774746000, "Europe/Warsaw", "en"), "29 Mar 2026, 03:00 CEST");
	ck_assert_str_eq(fmt_datetime_in(&A, 1792889940, "Europe/Warsaw", "en"), "25 Oct 2026, 02:59 CEST");
	ck_assert_str_eq(fmt_datetime_in(&A, 1792890000, "Europe/Warsaw", "en"), "25 Oct 2026, 02:00 CET");
}
END_TEST

START_TEST(unknown_zone_is_utc)
{
	char buf[64];
	ck_assert_int_eq(tz_format(buf, sizeof(buf), MAR_5, "Nowhere/Foo", "en"), -1);
	ck_assert_str_eq(buf, "05 Mar 2026, 14:03 UTC");
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Mars/Olympus", "en"), "05 Mar 2026, 14:03 UTC");
	/* A buffer too small is refused, never overrun. */
	char small[8];
	ck_assert_int_eq(tz_format(small, sizeof(small), MAR_5, "Europe/Warsaw", "en"), -1);
	ck_assert_uint_lt(strlen(small), sizeof(small));
	/* More zones than a thread keeps formatters for: the oldest go, the answers stay. */
	static const char *const many[] = { "Europe/Berlin", "Europe/Paris", "Europe/Rome", "Europe/Madrid",
		"Europe/Vienna", "Europe/Prague", "Europe/Oslo", "Europe/Helsinki", "Europe/Warsaw", "Europe/Berlin" };
	for (size_t i = 0; i < NELEM(many); i++)
		ck_assert_ptr_nonnull(strstr(fmt_datetime_in(&A, MAR_5, many[i], "en"), " 2026, 1"));
	tz_thread_end();
	ck_assert_str_eq(fmt_datetime_in(&A, MAR_5, "Europe/Warsaw", "en"), "05 Mar 2026, 15:03 CET");
	tz_thread_end();
}
END_TEST

/* Threads format in their own zones at once; each frees its formatters when it ends. */
static void *
format_many(void *arg)
{
	const char *zone = arg;
	const char *want = strcmp(zone, "Europe/Warsaw") == 0 ? "05 Mar 2026, 15:03 CET" : "05 Mar 2026, 09:03 EST";
	for (int i = 0; i < 200; i++) {
		char buf[64];
		if (tz_format(buf, sizeof(buf), MAR_5, zone, "en") != 0 || strcmp(buf, want) != 0)
			return (void *)1;
	}
	return NULL;
}

START_TEST(threads)
{
	pthread_t t[4];
	const char *zones[4] = { "Europe/Warsaw", "America/New_York", "Europe/Warsaw", "America/New_York" };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, format_many, (void *)zones[i]), 0);
	for (int i = 0; i < 4; i++) {
		void *res;
		ck_assert_int_eq(pthread_join(t[i], &res), 0);
		ck_assert_ptr_null(res);
	}
}
END_TEST

/* Each format keeps its last answer for that UTC minute (tz.c): the seconds of one minute get
 * that answer, the next second of another minute its own, also across a change of offset, in
 * another language, and for the date alone; a buffer too small is still refused. */
START_TEST(one_answer_per_minute)
{
	char buf[64];
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745940, "Europe/Warsaw", "en"), "29 Mar 2026, 01:59 CET");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745999, "Europe/Warsaw", "en"), "29 Mar 2026, 01:59 CET");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774746000, "Europe/Warsaw", "en"), "29 Mar 2026, 03:00 CEST");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774746059, "Europe/Warsaw", "en"), "29 Mar 2026, 03:00 CEST");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745999, "Europe/Warsaw", "en"), "29 Mar 2026, 01:59 CET");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745999, "America/New_York", "en"), "28 Mar 2026, 20:59 EDT");
	ck_assert_str_eq(fmt_datetime_in(&A, 1774745999, "Europe/Warsaw", "en"), "29 Mar 2026, 01:59 CET");
	char small[8];
	ck_assert_int_eq(tz_format(small, sizeof(small), 1774745999, "Europe/Warsaw", "en"), -1);
	ck_assert_uint_lt(strlen(small), sizeof(small));
	/* the date alone: Warsaw's midnight is 23:00 UTC in winter */
	ck_assert_int_eq(tz_format_date(buf, sizeof(buf), 1772405999, "Europe/Warsaw", "en"), 0);
	ck_assert_str_eq(buf, "01 Mar 2026");
	ck_assert_int_eq(tz_format_date(buf, sizeof(buf), 1772405940, "Europe/Warsaw", "en"), 0);
	ck_assert_str_eq(buf, "01 Mar 2026");
	ck_assert_int_eq(tz_format_date(buf, sizeof(buf), 1772406000, "Europe/Warsaw", "en"), 0);
	ck_assert_str_eq(buf, "02 Mar 2026");
	ck_assert_int_eq(tz_format_date(small, 4, 1772406000, "Europe/Warsaw", "en"), -1);
	ck_assert_int_eq(tz_format_date(buf, sizeof(buf), 1772406000, "Europe/Warsaw", "en"), 0);
	ck_assert_str_eq(buf, "02 Mar 2026");
}
END_TEST

UNIT_MAIN("tz",
	unit_case("tz", unit_setup, tz_teardown, UNIT_TESTS(known_zones, country_default, zone_list, in_a_zone,
	    daylight_saving_boundaries, unknown_zone_is_utc, threads, one_answer_per_minute)))
