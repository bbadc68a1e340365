/* language.c — /language (the visitors' footer menu) and /account/language (the user's
 * setting). Issue 18; base/i18n.h says how the dispatcher chooses a request's language. */
#include "pages/language.h"

#include "base/i18n.h"
#include "base/util.h"
#include "domain/language.h"
#include "web/form.h"
#include "web/page.h"

/* POST /language — lang (a language's code; "" or none: the browser's again), back (the page
 * the menu was on). The choice is a cookie "lang" for a year: not a secret (SameSite=Lax like
 * every cookie here); an unknown language is the browser's choice. Back to the page, or the
 * overview when back is not a safe path on this site. */
int
page_language_post(struct req *r)
{
	int lang = i18n_parse(req_form(r, "lang"));
	if (lang < 0)
		resp_cookie(r, "lang", "", "/", 0);
	else
		resp_cookie(r, "lang", i18n_code((enum lang)lang), "/", 365L * 24 * 3600);
	const char *back = req_form(r, "back");
	return resp_redirect(r, req_safe_next(back) ? back : "/");
}

void
account_lang_tv(struct req *r, struct tv *ctx, const char *action)
{
	struct tv *lang = tv_obj(ctx, "language");
	tv_set(lang, "action", action);
	struct tv *list = tv_list(lang, "options");
	const char *mine = r->sess != NULL && r->sess->lang != NULL ? r->sess->lang : "";
	form_option_tv(list, "", _("The browser's language"), *mine == '\0');
	for (int l = 0; l < LANG__COUNT; l++)
		if (i18n_available((enum lang)l))
			form_option_tv(list, i18n_code((enum lang)l), i18n_name((enum lang)l), str_eq(mine, i18n_code((enum lang)l)));
}

/* The signed-in person's language ("": the browser's), stored in users.lang, audited, then
 * back to `done`; an unknown language is refused with 400 and changes nothing. Partner users
 * (POST /account/language) and operators (POST /operator/language) both choose here. */
int
language_set_post(struct req *r, const char *done)
{
	const char *code = req_form(r, "lang");
	if (code == NULL)
		code = "";
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int rc = user_lang_set(r->store, r->sess->user_id, code);
	if (rc < 0)
		return page_error(r, 500, NULL);
	if (rc == 0)
		return page_error(r, 400, _("That is not a language of this portal."));
	audit(r, "account.language", r->sess->email, "ok", *code ? code : "browser");
	return resp_redirect(r, done);
}

/* POST /account/language — lang: the signed-in user's language for pages and emails. */
int
page_account_language_post(struct req *r)
{
	return language_set_post(r, "/account?m=language-saved");
}
