/* words.h — THE words for every state and type of the data model (store.h), for people:
 * pages, emails, refusal sentences and portalctl's listings all take them from here, so a
 * partner type or a status reads the same everywhere. (The catalogs of the languages issue
 * translate this table.) */
#ifndef WORDS_H
#define WORDS_H

#include "base/config.h"
#include "store/store.h"

/* "Indirect reseller", "Indirect provider", "Direct-bill partner" (a heading, a column). */
const char *partner_type_label(enum partner_type t);
/* "indirect reseller", ... (inside a sentence). */
const char *partner_type_words(enum partner_type t);
/* "an indirect reseller", "a direct-bill partner". */
const char *partner_type_noun(enum partner_type t);

/* "Draft", "Pending verification", "In review", "Approved", "Rejected". */
const char *pa_status_label(enum pa_status s);
/* Per program, as Settings shows it: "Pending", "Accepted" or "Rejected". */
const char *pa_status_short(enum pa_status s);

/* "Pending", "Accepted", "Revoked", "Expired". */
const char *inv_status_label(enum inv_status s);

/* The program's and the agreement's names as configured (PORTAL_PROGRAM_NAME,
 * PORTAL_AGREEMENT_NAME); set once at start-up by words_configure, before threads run.
 * Without it (unit tests) the defaults of config.def. */
void words_configure(const struct config *cfg);
const char *words_program(void);
const char *words_agreement(void);

#endif
