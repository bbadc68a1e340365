/* test_l10n.c — dates and numbers in the reader's language (issue 18): a date, a date-time in
 * a zone, a count and an amount of money in English, Polish, Russian and Swedish, each
 * through the calling thread's language (i18n_use) as pages and emails use them. */
#include "unit.h"

#include "base/i18n.h"
#include "base/numfmt.h"
#include "base/tz.h"

#include <pthread.h>

#define NOV_30 1796047380	/* 2026-11-30 14:03 UTC */
#define JUL_3 1783087380	/* 2026-07-03 14:03 UTC */

static void
setup(void)
{
	unit_setup();
	const char *dir = getenv("PORTAL_LOCALEDIR");
	ck_assert_int_eq(i18n_init(dir && *dir ? dir : "build/locale"), 3);
	i18n_use(LANG_EN);
}

static void
teardown(void)
{
	i18n_use(LANG_EN);
	tz_thread_end();
	unit_teardown();
}

struct want {
	enum lang lang;
	const char *date, *datetime, *summer, *count, *pln, *usd, *pct;
};

/* ICU's medium date of each language. CLDR names Warsaw's zone CET/CEST in Europe in en, pl
 * and sv; Russian has no such short names, so the offset. The spaces ICU puts into numbers
 * and dates are no-break ones (U+00A0; U+202F before Russian "г."), so a page never wraps
 * inside an amount or a date. */
static const struct want W[] = {
	{ LANG_EN, "30 Nov 2026", "30 Nov 2026, 15:03 CET", "03 Jul 2026, 16:03 CEST", "1,234,567",
	  "1234.50 PLN", "12.50 USD", "42%" },
	{ LANG_PL, "30 lis 2026", "30 lis 2026, 15:03 CET", "3 lip 2026, 16:03 CEST", "1\u00a0234\u00a0567",
	  "1\u00a0234,50\u00a0zł", "12,50\u00a0USD", "42%" },
	{ LANG_RU, "30 нояб. 2026\u202fг.", "30 нояб. 2026\u202fг., 15:03 GMT+1", "3 июл. 2026\u202fг., 16:03 GMT+2",
	  "1\u00a0234\u00a0567", "1\u00a0234,50\u00a0PLN", "12,50\u00a0$", "42\u00a0%" },
	{ LANG_SV, "30 nov. 2026", "30 nov. 2026, 15:03 CET", "3 juli 2026, 16:03 CEST", "1\u00a0234\u00a0567",
	  "1\u00a0234,50\u00a0PLN", "12,50\u00a0US$", "42\u00a0%" },
};

START_TEST(dates_per_language)
{
	for (size_t i = 0; i < NELEM(W); i++) {
		i18n_use(W[i].lang);
		ck_assert_str_eq(fmt_date(&A, NOV_30), W[i].date);
		ck_assert_str_eq(fmt_datetime_in(&A, NOV_30, "Europe/Warsaw", NULL), W[i].datetime);
		ck_assert_str_eq(fmt_datetime_in(&A, JUL_3, "Europe/Warsaw", NULL), W[i].summer);
		/* no zone (an address without a user): UTC, in the language's words */
		ck_assert_ptr_nonnull(strstr(fmt_datetime_in(&A, NOV_30, NULL, NULL), W[i].date));
		ck_assert_ptr_nonnull(strstr(fmt_datetime_in(&A, NOV_30, NULL, NULL), "14:03 UTC"));
		/* a language named outright wins over the thread's (an email's recipient) */
		ck_assert_str_eq(fmt_datetime_in(&A, NOV_30, "Europe/Warsaw", i18n_code(W[i].lang)), W[i].datetime);
	}
}
END_TEST

START_TEST(numbers_per_language)
{
	for (size_t i = 0; i < NELEM(W); i++) {
		i18n_use(W[i].lang);
		ck_assert_str_eq(fmt_count(&A, 1234567), W[i].count);
		ck_assert_str_eq(fmt_money(&A, 123450, "PLN"), W[i].pln);
		ck_assert_str_eq(fmt_money(&A, 1250, "USD"), W[i].usd);
		ck_assert_str_eq(fmt_percent(&A, 21, 50), W[i].pct);
	}
	i18n_use(LANG_PL);
	ck_assert_str_eq(fmt_percent(&A, 3, 0), "–");
	ck_assert_str_eq(fmt_money(&A, 500, "??"), "5.00 ??");	/* not a currency code: as it was */
}
END_TEST

/* Two threads in two languages at once: each its own formatters. */
static void *
polish_or_swedish(void *arg)
{
	enum lang l = *(enum lang *)arg;
	i18n_use(l);
	struct arena a;
	arena_init(&a, 0);
	void *bad = NULL;
	for (int i = 0; i < 100 && bad == NULL; i++) {
		const char *d = fmt_date(&a, NOV_30), *m = fmt_money(&a, 123450, "PLN");
		if (strcmp(d, l == LANG_PL ? "30 lis 2026" : "30 nov. 2026") != 0 ||
		    strcmp(m, l == LANG_PL ? "1\u00a0234,50\u00a0zł" : "1\u00a0234,50\u00a0PLN") != 0)
			bad = (void *)1;
	}
	arena_free(&a);
	return bad;
}

START_TEST(threads_in_two_languages)
{
	pthread_t t[4];
	enum lang l[4] = { LANG_PL, LANG_SV, LANG_PL, LANG_SV };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, polish_or_swedish, &l[i]), 0);
	for (int i = 0; i < 4; i++) {
		void *res;
		ck_assert_int_eq(pthread_join(t[i], &res), 0);
		ck_assert_ptr_null(res);
	}
}
END_TEST

UNIT_MAIN("l10n",
	unit_case("l10n", setup, teardown, UNIT_TESTS(dates_per_language, numbers_per_language, threads_in_two_languages)))
