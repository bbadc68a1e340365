/* language.h — a user's language (issue 18): the setting on the account page, read with the
 * session (store.h struct session's lang) and for the emails sent to an address. */
#ifndef DOMAIN_LANGUAGE_H
#define DOMAIN_LANGUAGE_H

#include <stdint.h>

#include "store/store.h"

/* Sets user_id's language: a code of an available language ("pl"), or "" for none (pages
 * follow the browser). 1 set, 0 refused (not a language this portal has), -1 error. */
int user_lang_set(struct store *s, int64_t user_id, const char *code);

/* The language code ("pl") for emails about organization tenant_id to an address that has no
 * language of its own: its country's (i18n_of_country), or NULL. */
const char *tenant_mail_lang(struct store *s, struct arena *a, int64_t tenant_id);

#endif
