/* numfmt.c — see numfmt.h. */
#include "base/numfmt.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "base/i18n.h"
#include "base/util.h"

enum style { S_COUNT, S_MONEY, S_PERCENT, S__COUNT };

struct num_cache {
	UNumberFormat *f[LANG__COUNT][S__COUNT];
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool keyed;

static void
cache_free(void *p)
{
	struct num_cache *c = p;
	if (c == NULL)
		return;
	for (int l = 0; l < LANG__COUNT; l++)
		for (int s = 0; s < S__COUNT; s++)
			if (c->f[l][s] != NULL)
				unum_close(c->f[l][s]);
	free(c);
}

static void
key_init(void)
{
	keyed = pthread_key_create(&key, cache_free) == 0;
}

void
numfmt_thread_end(void)
{
	pthread_once(&once, key_init);
	if (!keyed)
		return;
	cache_free(pthread_getspecific(key));
	pthread_setspecific(key, NULL);
}

/* This thread's formatter of the current language in style, made on first use. */
static UNumberFormat *
formatter(enum style s)
{
	pthread_once(&once, key_init);
	if (!keyed)
		return NULL;
	struct num_cache *c = pthread_getspecific(key);
	if (c == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return NULL;
		if (pthread_setspecific(key, c) != 0) {
			free(c);
			return NULL;
		}
	}
	enum lang l = i18n_current();
	if (c->f[l][s] == NULL) {
		static const UNumberFormatStyle styles[S__COUNT] = { UNUM_DECIMAL, UNUM_CURRENCY, UNUM_PERCENT };
		UErrorCode e = U_ZERO_ERROR;
		UNumberFormat *f = unum_open(styles[s], NULL, 0, i18n_code(l), NULL, &e);
		if (U_FAILURE(e)) {
			if (f != NULL)
				unum_close(f);
			return NULL;
		}
		if (s == S_COUNT || s == S_PERCENT)
			unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, 0);
		c->f[l][s] = f;
	}
	return c->f[l][s];
}

/* u (len UChars) into the arena as UTF-8, or NULL. */
static char *
utf8(struct arena *a, const UChar *u, int32_t len)
{
	char out[128];
	UErrorCode e = U_ZERO_ERROR;
	u_strToUTF8(out, (int32_t)sizeof(out), NULL, u, len, &e);
	if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING)
		return NULL;
	return arena_strdup(a, out);
}

char *
fmt_count(struct arena *a, long long n)
{
	UNumberFormat *f = formatter(S_COUNT);
	UChar u[64];
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = f != NULL ? unum_formatInt64(f, n, u, 64, NULL, &e) : -1;
	char *s = len > 0 && len < 64 && U_SUCCESS(e) ? utf8(a, u, len) : NULL;
	return s != NULL ? s : arena_printf(a, "%lld", n);
}

static bool
currency_code(const char *c)
{
	return c != NULL && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
	    c[2] >= 'A' && c[2] <= 'Z';
}

char *
fmt_money(struct arena *a, int64_t cents, const char *currency)
{
	const char *sign = cents < 0 ? "-" : "";
	unsigned long long abs = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
	char *plain = arena_printf(a, "%s%llu.%02llu %s", sign, abs / 100, abs % 100, currency ? currency : "");
	if (i18n_current() == LANG_EN || !currency_code(currency))
		return plain;
	UNumberFormat *f = formatter(S_MONEY);
	UChar cur[4], u[64];
	u_uastrcpy(cur, currency);
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = f != NULL ? unum_formatDoubleCurrency(f, (double)cents / 100.0, cur, u, 64, NULL, &e) : -1;
	char *s = len > 0 && len < 64 && U_SUCCESS(e) ? utf8(a, u, len) : NULL;
	return s != NULL ? s : plain;
}

char *
fmt_percent(struct arena *a, long long n, long long total)
{
	if (total <= 0)
		return arena_strdup(a, "–");
	long long pct = (n * 100 + total / 2) / total;
	UNumberFormat *f = formatter(S_PERCENT);
	UChar u[64];
	UErrorCode e = U_ZERO_ERROR;
	int32_t len = f != NULL ? unum_formatDouble(f, (double)pct / 100.0, u, 64, NULL, &e) : -1;
	char *s = len > 0 && len < 64 && U_SUCCESS(e) ? utf8(a, u, len) : NULL;
	return s != NULL ? s : arena_printf(a, "%lld%%", pct);
}
