/* settings_api.c — Settings → API: a Global admin makes API credentials for the
 * organization's programs and revokes them (domain/apikeys.h). Making one asks for fresh
 * proof (F_REAUTH); its secret is shown once, on the answer to the form, and never again. */
#include "base/i18n.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/apikeys.h"
#include "web/form.h"
#include "web/page.h"

static const char *check_days(struct req *r, const char *v);
static const char *check_addresses(struct req *r, const char *v);

static const struct field key_fields[] = {
	{ "name", N_("Name"), "text", API_NAME_MAX, FF_REQUIRED, NULL, N_("Which program uses it, e.g. Billing sync."), "off" },
	{ "days", N_("Expires after (days)"), "number", 3, FF_REQUIRED, check_days, N_("1 to 365 days."), "off" },
	{ "addresses", N_("Allowed client addresses"), "text", 800, 0, check_addresses,
	  N_("IPv4 or IPv6 addresses separated by spaces; empty allows any address."), "off" },
	{ "roles", N_("Roles"), "checkbox", 0, 0, NULL, NULL, NULL },
};

static const char *
check_days(struct req *r, const char *v)
{
	(void)r;
	int64_t n;
	return parse_i64(v, 1, API_MAX_DAYS, &n) < 0 ? N_("Enter a number of days from 1 to 365.") : NULL;
}

static const char *
check_addresses(struct req *r, const char *v)
{
	const char *norm;
	return api_addresses_parse(r->a, v, &norm) ? NULL
	    : N_("Enter IPv4 or IPv6 addresses separated by spaces (at most 16).");
}

/* ctx.roles: a box per role; the roles the creator does not hold are disabled. */
static void
add_role_boxes(struct req *r, struct tv *ctx, unsigned checked)
{
	struct tv *list = tv_list(ctx, "roles");
	for (int i = 0; i < ROLE__COUNT; i++) {
		struct tv *it = tv_push(list);
		bool held = (r->sess->roles & roles[i].mask) != 0;
		tv_set(it, "key", roles[i].key);
		tv_set(it, "role", _(roles[i].name));
		tv_set(it, "about", _(roles[i].about));
		tv_setb(it, "checked", (checked & roles[i].mask) != 0);
		tv_setb(it, "disabled", !held);
		tv_set(it, "note", held ? NULL : _("You do not hold this role, so a credential you make cannot carry it."));
	}
}

/* GET /settings/api — the organization's credentials, newest first, with their last use.
 * API_MANAGE. */
int
page_api_keys(struct req *r)
{
	struct api_credential_list l;
	if (api_credentials_list(r->store, r->a, r->sess->tenant_id, &l) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("API"));
	struct tv *list = tv_list(ctx, "keys");
	int64_t now = now_sec();
	for (size_t i = 0; i < l.n; i++) {
		const struct api_credential *c = &l.v[i];
		struct tv *it = tv_push(list);
		tv_seti(it, "id", c->id);
		tv_set(it, "name", c->name);
		tv_set(it, "roles", roles_local(r->a, c->roles));
		tv_set(it, "addresses", *c->allowed_ips ? c->allowed_ips : _("Any"));
		tv_set(it, "created", page_time(r, c->created_at));
		tv_set(it, "created_by", *c->created_by ? c->created_by : NULL);
		tv_set(it, "expires", page_time(r, c->expires_at));
		tv_set(it, "last_used", c->last_used_at ? arena_printf(r->a, _("%s from %s"), page_time(r, c->last_used_at),
		    c->last_used_ip) : _("Never"));
		tv_set(it, "state", c->revoked_at ? _("Revoked") : now >= c->expires_at ? _("Expired") : _("Active"));
		tv_setb(it, "active", !c->revoked_at && now < c->expires_at);
	}
	return page_render(r, 200, "apikeys/list", ctx);
}

static int
new_form(struct req *r, int status, struct form *f, unsigned checked)
{
	struct tv *ctx = page_ctx(r, _("New API credential"));
	page_crumbs(ctx, "/settings/api", _("API"), NULL);
	form_to_tv(f, ctx);
	add_role_boxes(r, ctx, checked);
	return page_render(r, status, "apikeys/new", ctx);
}

/* GET /settings/api/new — the form. API_MANAGE, fresh proof. */
int
page_api_key_new(struct req *r)
{
	struct form f;
	form_init(&f, key_fields, NELEM(key_fields));
	form_set(&f, "days", "90");
	return new_form(r, 200, &f, 0);
}

/* POST /settings/api/new — name, days, addresses, roles[]. API_MANAGE, fresh proof. The
 * roles must be the creator's own (never more); the secret is shown once on the answer. */
int
page_api_key_new_post(struct req *r)
{
	struct form f;
	form_read(r, &f, key_fields, NELEM(key_fields));
	const char *keys[ROLE__COUNT * 2];
	size_t n = params_all(&r->form, "roles[]", keys, NELEM(keys));
	unsigned want = 0;
	if (n == NELEM(keys) || roles_from_keys(keys, n, &want) < 0) {
		want = 0;
		form_fail(&f, "roles", N_("Choose roles from the list."));
	} else if (want == 0) {
		form_fail(&f, "roles", N_("Choose at least one role."));
	} else if ((want & ~r->sess->roles) != 0) {
		form_fail(&f, "roles", N_("A credential cannot carry a role you do not hold."));
	}
	if (f.nerrors > 0)
		return new_form(r, 422, &f, want);
	const char *addresses = "";
	int64_t days = 0;
	api_addresses_parse(r->a, form_get(&f, "addresses"), &addresses);
	parse_i64(form_get(&f, "days"), 1, API_MAX_DAYS, &days);
	const char *secret = NULL;
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	int64_t id = api_credential_create(r->store, r->a, r->sess->tenant_id, r->sess->user_id, r->sess->roles,
	    form_get(&f, "name"), want, addresses, (int)days, now_sec(), &secret);
	if (id <= 0)
		return page_error(r, 500, NULL);
	audit(r, "api.credential.create", form_get(&f, "name"), "ok",
	    arena_printf(r->a, "roles: %s; %lld days", roles_text(r->a, want), (long long)days));
	struct tv *ctx = page_ctx(r, _("API credential created"));
	page_crumbs(ctx, "/settings/api", _("API"), NULL);
	tv_set(ctx, "name", form_get(&f, "name"));
	tv_set(ctx, "secret", secret);
	return page_render(r, 201, "apikeys/created", ctx);
}

/* POST /settings/api/ID/revoke — revokes a credential of the organization (API_MANAGE);
 * another organization's id is 404. */
int
page_api_key_revoke_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct api_credential c;
	int st = page_lookup(r, api_credential_get(r->store, r->a, r->id, r->sess->tenant_id, &c), "api credential", r->id,
	    "not in this organization");
	if (st)
		return st;
	int done = api_credential_revoke(r->store, r->id, r->sess->tenant_id, now_sec());
	if (done < 0)
		return page_error(r, 500, NULL);
	if (done)
		audit(r, "api.credential.revoke", c.name, "ok", NULL);
	return resp_redirect(r, "/settings/api?m=key-revoked");
}
