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

const char *
tenant_mail_lang(struct store *s, struct arena *a, int64_t tenant_id)
{
	struct tenant_row t;
	if (st_tenant_get(s, a, tenant_id, &t) != 1)
		return NULL;
	int lang = i18n_of_country(t.country.code);
	return lang < 0 ? NULL : i18n_code((enum lang)lang);
}
