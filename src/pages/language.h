/* language.h — the language choices (issue 18): the footer menu for visitors (POST
 * /language, a cookie) and the user's setting on the account page. */
#ifndef PAGES_LANGUAGE_H
#define PAGES_LANGUAGE_H

#include "web/http.h"
#include "base/tmpl.h"

/* ctx.language = { action, options: [{ code, name, selected }] } for the form of
 * partials/language-choice.html (Your account, the console's own page): "" (the browser's)
 * and each available language, the user's setting selected; action: where it posts. */
void account_lang_tv(struct req *r, struct tv *ctx, const char *action);

/* POST handlers' common part: the signed-in person's language from field lang ("": the
 * browser's), audited, then a redirect to done; 400 for an unknown language. */
int language_set_post(struct req *r, const char *done);

#endif
