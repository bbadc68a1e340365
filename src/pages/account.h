/* account.h — the time zone form (issue 15), on Your account and in the console
 * (/operator/time-zone, pages/operator_zone.c): one form, one check, one audited write. */
#ifndef PAGES_ACCOUNT_H
#define PAGES_ACCOUNT_H

#include "web/form.h"
#include "web/http.h"

#define ZONE_FIELDS 1
extern const struct field zone_fields[ZONE_FIELDS];

/* The form with the signed-in user's stored zone (empty: the default). */
void zone_form_init(struct req *r, struct form *zf);
/* ctx.zone = { f (the form), errors, default, chosen, zones: [{ code, name, selected }] }:
 * ICU's zones, the user's default named in the first option; the form posts to action. 0 or -1. */
int zone_form_tv(struct req *r, struct tv *ctx, const struct form *zf, const char *action);
/* Reads the POSTed form into zf and, when it is right, stores the zone (empty: the default)
 * in a transaction it opens, audited: 0 saved, 1 wrong (messages in zf, nothing written), -1 error. */
int zone_form_save(struct req *r, struct form *zf);

#endif
