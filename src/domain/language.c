/* language.c — see language.h. */
#include "domain/language.h"

#include "base/i18n.h"

int
user_lang_set(struct store *s, int64_t user_id, const char *code)
{
	int lang = -1;
	if (code == NULL || (*code && (lang = i18n_parse(code)) < 0))
		return 0;
	/* stored as the plain code, whatever case or region the form sent */
	return st_user_set_lang(s, user_id, lang < 0 ? "" : i18n_code((enum lang)lang)) < 0 ? -1 : 1;
}
