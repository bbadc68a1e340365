/* settings_webhooks.c — Settings → Webhooks: a Global admin registers the endpoints that
 * receive the organization's events (domain/webhooks.h), reads each one's delivery log and
 * sends a delivery again. Registering asks for fresh proof (F_REAUTH); the signing secret
 * is shown once, on the answer to the form. */
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "domain/webhooks.h"
#include "web/form.h"
#include "web/page.h"

static const char *check_url(struct req *r, const char *v);

static const struct field hook_fields[] = {
	{ "url", N_("Endpoint URL"), "url", WEBHOOK_URL_MAX, FF_REQUIRED, check_url,
	  N_("An https:// address of your system that accepts POST requests."), "off" },
	{ "events", N_("Events"), "checkbox", 0, 0, NULL, NULL, NULL },
};

static const char *
check_url(struct req *r, const char *v)
{
	return webhook_url_problem(v, r->portal->cfg.webhook_private_ok);
}

/* ctx.events: a box per event. */
static void
add_event_boxes(struct tv *ctx, unsigned checked)
{
	struct tv *list = tv_list(ctx, "events");
	for (int i = 0; i < WH__COUNT; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "key", webhook_events[i].type);
		tv_set(it, "name", _(webhook_events[i].name));
		tv_setb(it, "checked", (checked & (1u << i)) != 0);
	}
}

/* GET /settings/webhooks — the organization's endpoints, newest first. WEBHOOKS_MANAGE. */
int
page_webhooks(struct req *r)
{
	struct webhook_endpoint_list l;
	if (webhook_endpoints(r->store, r->a, r->sess->tenant_id, &l) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Webhooks"));
	struct tv *list = tv_list(ctx, "hooks");
	for (size_t i = 0; i < l.n; i++) {
		const struct webhook_endpoint *e = &l.v[i];
		struct tv *it = tv_push(list);
		tv_seti(it, "id", e->id);
		tv_set(it, "url", e->url);
		tv_set(it, "events", webhook_events_words(r->a, e->events));
		tv_set(it, "created", page_time(r, e->created_at));
		tv_set(it, "state", e->disabled_at ? _("Disabled") : _("Enabled"));
		tv_seti(it, "queued", e->queued);
		tv_seti(it, "failed", e->failed);
	}
	return page_render(r, 200, "webhooks/list", ctx);
}

static int
new_form(struct req *r, int status, struct form *f, unsigned checked)
{
	struct tv *ctx = page_ctx(r, _("New webhook endpoint"));
	page_crumbs(ctx, "/settings/webhooks", _("Webhooks"), NULL);
	form_to_tv(f, ctx);
	add_event_boxes(ctx, checked);
	return page_render(r, status, "webhooks/new", ctx);
}

/* GET /settings/webhooks/new — the form. WEBHOOKS_MANAGE, fresh proof. */
int
page_webhook_new(struct req *r)
{
	struct form f;
	form_init(&f, hook_fields, NELEM(hook_fields));
	return new_form(r, 200, &f, 0);
}

/* POST /settings/webhooks/new — url, events[]. WEBHOOKS_MANAGE, fresh proof. The secret is
 * shown once on the answer. */
int
page_webhook_new_post(struct req *r)
{
	struct form f;
	form_read(r, &f, hook_fields, NELEM(hook_fields));
	const char *keys[WH__COUNT * 2];
	size_t n = params_all(&r->form, "events[]", keys, NELEM(keys));
	unsigned want = 0;
	bool known = n < NELEM(keys);
	for (size_t i = 0; i < n && known; i++) {
		int k = 0;
		while (k < WH__COUNT && strcmp(keys[i], webhook_events[k].type) != 0)
			k++;
		if (k == WH__COUNT)
			known = false;
		else
			want |= 1u << k;
	}
	if (!known) {
		want = 0;
		form_fail(&f, "events", _("Choose events from the list."));
	} else if (want == 0) {
		form_fail(&f, "events", _("Choose at least one event."));
	}
	if (f.nerrors > 0)
		return new_form(r, 422, &f, want);
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	const char *secret = NULL;
	int64_t id = webhook_endpoint_create(r->store, r->a, r->sess->tenant_id, r->sess->user_id, form_get(&f, "url"),
	    want, now_sec(), &secret);
	if (id <= 0)
		return page_error(r, 500, NULL);
	audit(r, "webhook.create", form_get(&f, "url"), "ok", webhook_events_text(r->a, want));
	struct tv *ctx = page_ctx(r, _("Webhook endpoint created"));
	page_crumbs(ctx, "/settings/webhooks", _("Webhooks"), NULL);
	tv_seti(ctx, "id", id);
	tv_set(ctx, "url", form_get(&f, "url"));
	tv_set(ctx, "secret", secret);
	return page_render(r, 201, "webhooks/created", ctx);
}

static const char *
code_text(struct arena *a, int64_t code)
{
	return code ? arena_printf(a, "%lld", (long long)code) : _("None");
}

/* GET /settings/webhooks/ID — the endpoint and its delivery log: each delivery's state,
 * time, attempts and last response code, with "Send again"; then every attempt.
 * WEBHOOKS_MANAGE; another organization's id is 404. */
int
page_webhook(struct req *r)
{
	struct webhook_endpoint e;
	int st = page_lookup(r, webhook_endpoint(r->store, r->a, r->sess->tenant_id, r->id, &e), "webhook endpoint", r->id,
	    "not in this organization");
	if (st)
		return st;
	struct webhook_delivery_list dl;
	struct webhook_attempt_list al;
	if (webhook_log(r->store, r->a, e.id, &dl, &al) < 0)
		return page_error(r, 500, NULL);
	struct tv *ctx = page_ctx(r, _("Webhook endpoint"));
	page_crumbs(ctx, "/settings/webhooks", _("Webhooks"), NULL);
	tv_seti(ctx, "id", e.id);
	tv_set(ctx, "url", e.url);
	tv_set(ctx, "events", webhook_events_words(r->a, e.events));
	tv_setb(ctx, "enabled", e.disabled_at == 0);
	struct tv *list = tv_list(ctx, "deliveries");
	for (size_t i = 0; i < dl.n; i++) {
		const struct webhook_delivery *d = &dl.v[i];
		struct tv *it = tv_push(list);
		tv_seti(it, "id", d->id);
		tv_set(it, "event", d->event_type);
		tv_set(it, "event_id", d->event_id);
		tv_set(it, "created", page_time(r, d->created_at));
		tv_set(it, "state", strcmp(d->state, "sent") == 0 ? _("Sent") : strcmp(d->state, "failed") == 0 ? _("Failed")
		    : d->attempts ? _("Waiting to retry") : _("Queued"));
		tv_seti(it, "attempts", d->attempts);
		tv_set(it, "last", d->last_at ? page_time(r, d->last_at) : _("Not yet"));
		tv_set(it, "code", code_text(r->a, d->last_code));
		tv_set(it, "next", strcmp(d->state, "queued") == 0 ? page_time(r, d->next_at) : NULL);
		tv_set(it, "error", *d->last_error ? d->last_error : NULL);
	}
	struct tv *att = tv_list(ctx, "attempts");
	for (size_t i = 0; i < al.n; i++) {
		struct tv *it = tv_push(att);
		tv_seti(it, "delivery", al.v[i].delivery_id);
		tv_set(it, "event", al.v[i].event_type);
		tv_set(it, "at", page_time(r, al.v[i].at));
		tv_set(it, "code", code_text(r->a, al.v[i].code));
		tv_set(it, "error", *al.v[i].error ? al.v[i].error : "—");
	}
	return page_render(r, 200, "webhooks/endpoint", ctx);
}

/* POST /settings/webhooks/ID/disable and /enable: WEBHOOKS_MANAGE; another organization's
 * id is 404. */
static int
set_enabled(struct req *r, bool on)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct webhook_endpoint e;
	int st = page_lookup(r, webhook_endpoint(r->store, r->a, r->sess->tenant_id, r->id, &e), "webhook endpoint", r->id,
	    "not in this organization");
	if (st)
		return st;
	int done = webhook_endpoint_enable(r->store, r->sess->tenant_id, r->id, on, now_sec());
	if (done < 0)
		return page_error(r, 500, NULL);
	if (done)
		audit(r, on ? "webhook.enable" : "webhook.disable", e.url, "ok", NULL);
	return resp_redirect(r, arena_printf(r->a, "/settings/webhooks/%lld?m=%s", (long long)e.id,
	    on ? "webhook-enabled" : "webhook-disabled"));
}

int
page_webhook_disable_post(struct req *r)
{
	return set_enabled(r, false);
}

int
page_webhook_enable_post(struct req *r)
{
	return set_enabled(r, true);
}

/* POST /settings/webhooks/ID/delete — the endpoint with its deliveries. WEBHOOKS_MANAGE. */
int
page_webhook_delete_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct webhook_endpoint e;
	int st = page_lookup(r, webhook_endpoint(r->store, r->a, r->sess->tenant_id, r->id, &e), "webhook endpoint", r->id,
	    "not in this organization");
	if (st)
		return st;
	if (webhook_endpoint_delete(r->store, r->sess->tenant_id, r->id) != 1)
		return page_error(r, 500, NULL);
	audit(r, "webhook.delete", e.url, "ok", NULL);
	return resp_redirect(r, "/settings/webhooks?m=webhook-deleted");
}

/* POST /settings/webhooks/deliveries/ID/resend — "Send again": queued and due now.
 * WEBHOOKS_MANAGE; another organization's delivery is 404. */
int
page_webhook_resend_post(struct req *r)
{
	if (tx_begin(r) < 0)
		return page_error(r, 500, NULL);
	struct webhook_delivery d;
	int st = page_lookup(r, webhook_delivery(r->store, r->a, r->sess->tenant_id, r->id, &d), "webhook delivery", r->id,
	    "not in this organization");
	if (st)
		return st;
	if (webhook_send_again(r->store, r->sess->tenant_id, r->id, now_sec()) != 1)
		return page_error(r, 500, NULL);
	audit(r, "webhook.resend", d.event_id, "ok", d.event_type);
	return resp_redirect(r, arena_printf(r->a, "/settings/webhooks/%lld?m=webhook-resend", (long long)d.endpoint_id));
}
