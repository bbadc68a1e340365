/* i18n.h — the portal's languages (issue 18): GNU gettext catalogs, one locale object per
 * language made once at start-up, and the language of the calling thread.
 *
 * A request's thread switches with i18n_use (uselocale: never setlocale in the threaded
 * server); gettext then answers from that language's catalog, build/locale/<code>/
 * LC_MESSAGES/csp-portal.mo (installed: /usr/share/locale; the setting PORTAL_LOCALEDIR).
 * A language whose locale glibc does not have (Debian: the locales-all package) is
 * unavailable: i18n_parse and i18n_negotiate never choose it, so the page is English and
 * says so (<html lang>, Content-Language).
 *
 * Marking a string: _("Sign in") translates it where it stands; N_("Sign in") only marks a
 * literal in a table that is translated where it is shown; ngettext(one, many, n) chooses
 * the plural form of the language (Polish and Russian have three). `make update-po`
 * extracts the marked strings and the templates' {{_ "..."}} (tmpl.h) into po/. */
#ifndef I18N_H
#define I18N_H

#include <libintl.h>
#include <stdbool.h>

#define I18N_DOMAIN "csp-portal"

/* _() and ngettext() go through the portal's own two functions (issue 17): English, the
 * language of every msgid, has no catalog, yet glibc's gettext looked for one ("C.UTF-8")
 * on every call, about 1,300 instructions per string (a quarter of the English Overview). */
#define _(s) i18n_gettext(s)
#define N_(s) (s)
#undef ngettext
#define ngettext(one, many, n) i18n_ngettext((one), (many), (n))

/* msgid in the calling thread's language: msgid itself in English, else gettext's. */
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
/* The plural form for n: in English one (n == 1) or many, else ngettext's. */
const char *i18n_ngettext(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
/* A message with a context, for the same English words in two roles (the Overview's count
 * "indirect reseller"/"indirect resellers" and the word inside a sentence): NC_ marks it in a
 * static table (xgettext --keyword=NC_:1c,2) as gettext's "context\004words" key, and C_
 * translates such a key, giving the words after the context when the catalog has no entry. */
#define NC_(ctx, s) ctx "\004" s
const char *C_(const char *key);

enum lang { LANG_EN, LANG_PL, LANG_RU, LANG_SV, LANG__COUNT };

/* Binds the catalogs in localedir and makes each language's locale object. Call once,
 * before any thread starts. Returns how many languages besides English are available. */
int i18n_init(const char *localedir);
/* Switches the calling thread to lang (an unavailable one: English). Returns the previous. */
enum lang i18n_use(enum lang lang);
/* The calling thread's language. */
enum lang i18n_current(void);
bool i18n_available(enum lang lang);
/* "en", "pl", "ru", "sv". */
const char *i18n_code(enum lang lang);
/* The language's own name ("Polski"), for the language menus. */
const char *i18n_name(enum lang lang);
/* "pl", "pl-PL", "PL_pl" → LANG_PL; -1 for anything else or an unavailable language. */
int i18n_parse(const char *code);
/* The best available language of an Accept-Language header ("pl-PL,pl;q=0.9,en;q=0.8"):
 * the highest q-value (q=0: never), the earlier entry on a tie, "*" and unknown languages
 * ignored; English when nothing fits or the header is missing or malformed. */
enum lang i18n_negotiate(const char *accept_language);
/* The portal's language of a country (ISO 3166 code: "PL" → pl, "SE" → sv, "RU", "BY", "KZ",
 * "KG" → ru), -1 for any other or an unavailable language: an email to an address that has
 * no language of its own, about an organization of that country. */
int i18n_of_country(const char *country);

#endif
