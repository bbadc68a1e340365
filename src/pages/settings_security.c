/* settings_security.c — Settings → Security: a Global admin requires multi-factor sign-in
 * for everyone in the organization (tenants.require_mfa). Users without a second factor
 * are then sent to set one up after their password and can do nothing else until they
 * have (the dispatcher: routes.def F_MFA_SETUP). The operator's program-wide requirement
 * (portalctl security require-mfa) is shown beside it. */
#include "base/i18n.h"
#include "base/util.h"
#include "domain/mfa.h"
#include "web/form.h"
#include "web/page.h"

static const struct field security_fields[] = {
	{ "require_mfa", N_("Require multi-factor sign-in for everyone in the organization"), "checkbox", 3, 0, NULL, NULL, NULL },
};

/* GET /settings/security — the organization's security settings. Global admins
 * (SECURITY_MANAGE). */
int
page_security(struct req *r)
{
	int org = mfa_tenant_required(r->store, r->sess->tenant_id);
	int program = mfa_program_required(r->store, r->a);
	if (org < 0 || program < 0)
		return page_error(r, 500, NULL);
	struct form f;
	form_init(&f, security_fields, NELEM(security_fields));
	form_set(&f, "require_mfa", org ? "yes" : NULL);
	struct tv *ctx = page_ctx(r, _("Security"));
	form_to_tv(&f, ctx);
	tv_setb(ctx, "program_required", program);
	tv_setb(ctx, "can_report", route_allows(r->sess, &routes[R_MFA_COMPLIANCE]));
	return page_render(r, 200, "security/settings", ctx);
}

/* POST /settings/security — require_mfa (a check box). Saved and audited; users who must
 * now set up a second factor are sent to it on their next request. */
int
page_security_post(struct req *r)
{
	struct form f;
	form_read(r, &f, security_fields, NELEM(security_fields));
	bool on = !str_empty(form_get(&f, "require_mfa"));
	int was = mfa_tenant_required(r->store, r->sess->tenant_id);
	if (was < 0 || tx_begin(r) < 0 || mfa_set_tenant_required(r->store, r->sess->tenant_id, on) < 0)
		return page_error(r, 500, NULL);
	if ((was != 0) != on)
		audit(r, "security.require_mfa", r->sess->tenant_name, "ok", on ? "on" : "off");
	return resp_redirect(r, "/settings/security?m=security-saved");
}
