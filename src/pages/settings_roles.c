/* settings_roles.c — /settings/roles: Settings → Roles: who may do what, in plain words. SPEC §2.3.
 * Rendered from perms.def and roles.def (through perms[] and roles[]), the same tables the
 * dispatcher checks, so the page cannot disagree with what the portal does. */
#include <string.h>

#include "base/i18n.h"
#include "web/http.h"
#include "web/page.h"
#include "base/util.h"

/* GET /settings/roles — the seven roles, what each is for, and the permission matrix
 * (a row per permission, a column per role). Every signed-in user. */
int
page_roles(struct req *r)
{
	struct tv *ctx = page_ctx(r, _("Roles"));
	struct tv *cols = tv_list(ctx, "roles");
	for (int i = 0; i < ROLE__COUNT; i++) {
		struct tv *c = tv_push(cols);
		tv_set(c, "role", _(roles[i].name));
		tv_set(c, "about", _(roles[i].about));
		tv_setb(c, "mine", (r->sess->roles & roles[i].mask) != 0);
	}
	struct tv *rows = tv_list(ctx, "perms");
	for (int p = 0; p < PERM__COUNT; p++) {
		if (p == PERM_PUBLIC || p == PERM_SIGNED_IN || perm_is_operator((enum perm)p))
			continue;
		struct tv *row = tv_push(rows);
		tv_set(row, "about", _(perms[p].about));
		struct tv *cells = tv_list(row, "cells");
		for (int i = 0; i < ROLE__COUNT; i++) {
			struct tv *cell = tv_push(cells);
			tv_setb(cell, "yes", perm_allows((enum perm)p, roles[i].mask));
			tv_set(cell, "role", _(roles[i].name));
			tv_setb(cell, "mine", (r->sess->roles & roles[i].mask) != 0);
		}
	}
	tv_set(ctx, "everyone", _(perms[PERM_SIGNED_IN].about));
	tv_set(ctx, "my_roles", roles_local(r->a, r->sess->roles));
	return page_render(r, 200, "roles/matrix", ctx);
}
