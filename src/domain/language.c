/* language.c — see language.h. */
#include "domain/language.h"

#include <string.h>

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

const char *
inv_lang_default(struct store *s, struct arena *a, const char *email, const char *fallback)
{
	const char *at = email != NULL ? strrchr(email, '@') : NULL;
	int64_t tenant = at != NULL && at[1] != '\0' ? st_tenant_by_domain(s, at + 1) : 0;
	const char *code = tenant > 0 ? tenant_mail_lang(s, a, tenant) : NULL;
	return code != NULL ? code : fallback;
}

int
inv_lang_set(struct store *s, enum inv_kind kind, int64_t id, const char *code)
{
	int lang = i18n_parse(code);
	if (lang < 0)
		return 0;
	return st_inv_set_lang(s, kind, id, i18n_code((enum lang)lang)) < 0 ? -1 : 1;
}

const char *
inv_lang(struct store *s, struct arena *a, enum inv_kind kind, int64_t id)
{
	const char *code = NULL;
	if (st_inv_lang(s, a, kind, id, &code) != 1 || i18n_parse(code) < 0)
		return NULL;
	return code;
}
