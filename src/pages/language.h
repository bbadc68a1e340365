/* language.h — the language choices (issue 18): the footer menu for visitors (POST
 * /language, a cookie) and the user's setting on the account page. */
#ifndef PAGES_LANGUAGE_H
#define PAGES_LANGUAGE_H

#include "web/http.h"
#include "base/tmpl.h"

/* ctx.language = { options: [{ code, name, selected }] } for the account page's form: "" (the
 * browser's) and each available language, the user's setting selected. */
void account_lang_tv(struct req *r, struct tv *ctx);

/* POST handlers' common part: the signed-in person's language from field lang ("": the
 * browser's), audited, then a redirect to done; 400 for an unknown language. */
int language_set_post(struct req *r, const char *done);

#endif
