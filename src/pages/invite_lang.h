/* invite_lang.h — "Language of the email" on the invitation forms (issue 18): the inviter
 * chooses the language the invitation and its reminder are written in, for an address that
 * has no user of its own (a user's own setting still wins, mail/outbox.c). The reseller
 * invitation (pages/resellers.c) and the customer invitation (pages/customer_invite.c) use it
 * with their field "lang" (INVITE_LANG_FIELD). */
#ifndef PAGES_INVITE_LANG_H
#define PAGES_INVITE_LANG_H

#include "base/tmpl.h"
#include "domain/language.h"
#include "web/form.h"
#include "web/http.h"

#define INVITE_LANG_FIELD \
	{ "lang", N_("Language of the email"), "select", 8, 0, NULL, \
	  N_("The invitation and its reminder are written in it, unless the address belongs to a user who chose a language."), NULL }

/* ctx.email_langs: "" (the recipient organization's country's language when it is known,
 * else yours) and every available language, f's choice selected. */
void invite_lang_tv(struct req *r, struct tv *ctx, const struct form *f);
/* The language to store for an invitation to email: the one chosen, else the default. NULL
 * after form_fail beside the field when the form sent something that is not a language. */
const char *invite_lang_choice(struct req *r, struct form *f, const char *email);

#endif
