/* invite_lang.c — see invite_lang.h. */
#include "pages/invite_lang.h"

#include "base/i18n.h"
#include "base/util.h"
#include "web/page.h"

void
invite_lang_tv(struct req *r, struct tv *ctx, const struct form *f)
{
	(void)r;
	const char *chosen = form_get(f, "lang");
	int mine = i18n_parse(chosen);
	struct tv *list = tv_list(ctx, "email_langs");
	form_option_tv(list, "", _("The language of the recipient organization's country, else mine"), mine < 0);
	for (int l = 0; l < LANG__COUNT; l++)
		if (i18n_available((enum lang)l))
			form_option_tv(list, i18n_code((enum lang)l), i18n_name((enum lang)l), l == mine);
}

const char *
invite_lang_choice(struct req *r, struct form *f, const char *email)
{
	const char *chosen = form_get(f, "lang");
	if (str_empty(chosen))
		return inv_lang_default(r->store, r->a, email, i18n_code((enum lang)r->lang));
	int lang = i18n_parse(chosen);
	if (lang < 0) {
		form_fail(f, "lang", N_("Choose one of the languages in the list."));
		return NULL;
	}
	return i18n_code((enum lang)lang);
}
