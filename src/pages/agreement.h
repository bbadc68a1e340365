/* agreement.h — what pages show of the partner agreement (domain/agreement.h has the
 * rules): the overview's banner, the Program info row and the list of whom to ask, for
 * /agreement (agreement.c), the overview (home.c) and any page with a Program info list. */
#ifndef PAGES_AGREEMENT_H
#define PAGES_AGREEMENT_H

#include <stdbool.h>

#include "domain/agreement.h"
#include "web/http.h"
#include "base/tmpl.h"

/* The signed-in organization's Global admins (those who may accept the agreement) as ctx
 * list `key` of { name, email }, and as one line "Ana Admin (ana@contoso.com), ..." under
 * `key`_text. Returns the number found (-1 on a database error, with nothing set). */
int agreement_global_admins(struct req *r, struct tv *ctx, const char *key);

/* True when the signed-in user's organization is in the program (any partner account, any
 * status). Banners and the Program info row are shown only then. */
bool agreement_applies(const struct req *r);

/* Overview hook: fills ctx.agreement_banner for templates/partials/agreement-banner.html
 * (nothing for organizations outside the program or when no version is published). */
void agreement_banner_ctx(struct req *r, struct tv *ctx);
/* The same from a state the caller already has (the overview reads it once for the banner
 * and its checklist). */
void agreement_banner_fill(struct req *r, struct tv *ctx, const struct agreement_state *s);

/* Program info hook: fills ctx.agreement_info for templates/partials/agreement-program-info.html
 * (a <dt>/<dd> pair for a dl.facts list): the agreement's name, signed or not, version,
 * signer and date, and a link to /agreement for a Global admin who has something to accept. */
void agreement_program_info_ctx(struct req *r, struct tv *ctx);
void agreement_program_info_fill(struct req *r, struct tv *ctx, const struct agreement_state *s);

#endif
