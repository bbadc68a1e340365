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

/* issue 18, the inviter's choice ("Language of the email"): the language an invitation to
 * email is offered in by default — that of the country of the organization whose primary
 * domain the address is at, when there is one; else fallback (the inviter's). A code. */
const char *inv_lang_default(struct store *s, struct arena *a, const char *email, const char *fallback);
/* Stores code (an available language, else refused: 0) as invitation id's language: 1, 0, -1. */
int inv_lang_set(struct store *s, enum inv_kind kind, int64_t id, const char *code);
/* Invitation id's language, or NULL (none stored: the sending request's). */
const char *inv_lang(struct store *s, struct arena *a, enum inv_kind kind, int64_t id);

#endif
