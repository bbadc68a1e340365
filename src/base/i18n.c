/* i18n.c — see i18n.h. */
#include "base/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *code, *name, *locale;
} langs[LANG__COUNT] = {
	[LANG_EN] = { "en", "English", "C.UTF-8" },
	[LANG_PL] = { "pl", "Polski", "pl_PL.UTF-8" },
	[LANG_RU] = { "ru", "Русский", "ru_RU.UTF-8" },
	[LANG_SV] = { "sv", "Svenska", "sv_SE.UTF-8" },
};

static locale_t loc[LANG__COUNT];	/* made once before the threads start, then read only */
static _Thread_local enum lang current = LANG_EN;

int
i18n_init(const char *localedir)
{
	/* LANGUAGE would override every thread's locale in gettext: the portal chooses. */
	unsetenv("LANGUAGE");
	bindtextdomain(I18N_DOMAIN, localedir);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
	int n = 0;
	for (int i = 0; i < LANG__COUNT; i++) {
		if (loc[i] == (locale_t)0)
			loc[i] = newlocale(LC_MESSAGES_MASK, langs[i].locale, (locale_t)0);
		if (i == LANG_EN && loc[i] == (locale_t)0)
			loc[i] = newlocale(LC_MESSAGES_MASK, "C", (locale_t)0);
		n += i != LANG_EN && loc[i] != (locale_t)0;
	}
	return n;
}

bool
i18n_available(enum lang lang)
{
	return lang >= 0 && lang < LANG__COUNT && (lang == LANG_EN || loc[lang] != (locale_t)0);
}

enum lang
i18n_use(enum lang lang)
{
	enum lang old = current;
	if (!i18n_available(lang))
		lang = LANG_EN;
	current = lang;
	uselocale(loc[lang] != (locale_t)0 ? loc[lang] : LC_GLOBAL_LOCALE);
	return old;
}

/* The thread's locale is English (C.UTF-8, or the global "C" of a thread that never chose:
 * the process never calls setlocale) exactly when current is LANG_EN, and no catalog exists
 * for English: gettext would answer msgid after its search, so the search is skipped. */
const char *
i18n_gettext(const char *msgid)
{
	return current == LANG_EN ? msgid : gettext(msgid);
}

#undef ngettext
const char *
i18n_ngettext(const char *one, const char *many, unsigned long n)
{
	return current == LANG_EN ? (n == 1 ? one : many) : ngettext(one, many, n);
}

enum lang
i18n_current(void)
{
	return current;
}

const char *
C_(const char *key)
{
	const char *t = i18n_gettext(key);
	if (t != key)
		return t;
	const char *words = strchr(key, '\004');
	return words ? words + 1 : key;
}

const char *
i18n_code(enum lang lang)
{
	return lang >= 0 && lang < LANG__COUNT ? langs[lang].code : "en";
}

const char *
i18n_name(enum lang lang)
{
	return lang >= 0 && lang < LANG__COUNT ? langs[lang].name : "English";
}

/* The language of a tag's primary subtag s[0..n) ("pl" of "pl-PL"), or -1. */
static int
primary(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && s[k] != '-' && s[k] != '_')
		k++;
	for (int i = 0; i < LANG__COUNT; i++)
		if (k == strlen(langs[i].code) && strncasecmp(s, langs[i].code, k) == 0)
			return i18n_available(i) ? i : -1;
	return -1;
}

int
i18n_parse(const char *code)
{
	return code != NULL && *code ? primary(code, strlen(code)) : -1;
}

/* q=0.8 → 800; -1 when malformed. */
static int
qvalue(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n < 2 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
		return -1;
	s += 2;
	n -= 2;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000, scale = 100;
	if (n > 1 && s[1] != '.')
		return -1;
	if (n > 5)
		return -1;
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
		scale /= 10;
	}
	return q > 1000 ? -1 : q;
}

enum lang
i18n_negotiate(const char *h)
{
	int best = LANG_EN, best_q = 0;
	for (const char *p = h; p != NULL && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *semi = memchr(p, ';', len);
		size_t tl = semi ? (size_t)(semi - p) : len;
		const char *tag = p;
		while (tl > 0 && (*tag == ' ' || *tag == '\t')) {
			tag++;
			tl--;
		}
		while (tl > 0 && (tag[tl - 1] == ' ' || tag[tl - 1] == '\t'))
			tl--;
		int q = semi ? qvalue(semi + 1, (size_t)(p + len - semi - 1)) : 1000;
		int lang = primary(tag, tl);
		if (lang >= 0 && q > best_q) {
			best = lang;
			best_q = q;
		}
		p = end ? end + 1 : NULL;
	}
	return (enum lang)best;
}

int
i18n_of_country(const char *cc)
{
	static const struct { const char *country; enum lang lang; } map[] = {
		{ "PL", LANG_PL }, { "SE", LANG_SV }, { "AX", LANG_SV },
		{ "RU", LANG_RU }, { "BY", LANG_RU }, { "KZ", LANG_RU }, { "KG", LANG_RU },
	};
	for (size_t i = 0; cc != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(cc, map[i].country) == 0)
			return i18n_available(map[i].lang) ? (int)map[i].lang : -1;
	return -1;
}
