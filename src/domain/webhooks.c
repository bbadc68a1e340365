/* webhooks.c — an organization's webhook endpoints and its events: see webhooks.h. */
#include "base/i18n.h"
#include "domain/webhooks.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/seal.h"
#include "base/util.h"

const struct webhook_event_info webhook_events[WH__COUNT] = {
#define E_(id, bit, type, name) [bit] = { type, name },
	WEBHOOK_EVENTS(E_)
#undef E_
};

/* The host of an http(s) URL after its scheme (rest), into host (brackets of an IPv6
 * literal removed). false when there is none or it is malformed. */
static bool
url_host(const char *rest, char *host, size_t hostlen)
{
	size_t auth = strcspn(rest, "/?#");
	if (auth == 0 || memchr(rest, '@', auth) != NULL)
		return false;
	const char *end;
	if (rest[0] == '[') {
		end = memchr(rest, ']', auth);
		if (end == NULL)
			return false;
		rest++;
	} else {
		end = memchr(rest, ':', auth);
		if (end == NULL)
			end = rest + auth;
	}
	size_t n = (size_t)(end - rest);
	if (n == 0 || n >= hostlen)
		return false;
	memcpy(host, rest, n);
	host[n] = '\0';
	const char *after = rest[-1] == '[' ? end + 1 : end;
	const char *stop = (rest[-1] == '[' ? rest - 1 : rest) + auth;
	if (after < stop) {	/* a port: ":" and 1-5 digits */
		if (*after != ':' || stop - after < 2 || stop - after > 6)
			return false;
		for (const char *p = after + 1; p < stop; p++)
			if (*p < '0' || *p > '9')
				return false;
	}
	return true;
}

/* 1 when host is a literal address on a private range, 0 public, -1 a name. *loop: loopback. */
static int
host_private(const char *host, bool *loop)
{
	unsigned char b[16];
	*loop = strcmp(host, "localhost") == 0;
	if (inet_pton(AF_INET, host, b) == 1) {
		*loop = b[0] == 127;
		return webhook_ip_private(AF_INET, b);
	}
	if (inet_pton(AF_INET6, host, b) == 1) {
		static const unsigned char one[16] = { [15] = 1 };
		*loop = memcmp(b, one, 16) == 0;
		return webhook_ip_private(AF_INET6, b);
	}
	return -1;
}

const char *
webhook_url_problem(const char *url, bool private_ok)
{
	const char *bad = _("Enter an https:// address, e.g. https://example.com/hooks/portal.");
	if (url == NULL || strlen(url) > WEBHOOK_URL_MAX)
		return bad;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return bad;
	bool https = str_has_prefix(url, "https://");
	if (!https && !str_has_prefix(url, "http://"))
		return bad;
	char host[256];
	if (!url_host(url + (https ? 8 : 7), host, sizeof(host)))
		return bad;
	bool loop = false;
	int priv = host_private(host, &loop);
	if (!https && !(private_ok && loop))
		return _("Use https://. Plain http:// is only for a loopback address, where the portal's settings allow it.");
	if (priv == 1 && !private_ok)
		return _("This address is on a private or loopback network, which webhooks may not reach.");
	return NULL;
}

int64_t
webhook_endpoint_create(struct store *s, struct arena *a, int64_t tenant, int64_t by, const char *url, unsigned events,
    int64_t now, const char **secret)
{
	unsigned char key[WEBHOOK_KEY_BYTES], sealed[WEBHOOK_KEY_BYTES + SEAL_OVERHEAD];
	randombytes_buf(key, sizeof(key));
	char text[WEBHOOK_SECRET_LEN + 1];
	webhook_secret_text(key, text);
	int rc = seal(key, sizeof(key), sealed);
	sodium_memzero(key, sizeof(key));
	if (rc < 0 || events == 0 || events >= (1u << WH__COUNT))
		return -1;
	int64_t id = st_webhook_endpoint_insert(s, tenant, url, events, sealed, sizeof(sealed), by, now);
	if (id > 0)
		*secret = arena_strdup(a, text);
	sodium_memzero(text, sizeof(text));
	return id > 0 && *secret != NULL ? id : -1;
}

int
webhook_enqueue(struct store *s, int64_t tenant, enum webhook_event ev, int64_t now, json_t *data)
{
	if (data == NULL)
		return -1;
	int64_t ids[WEBHOOK_FANOUT_MAX];
	int n = st_webhook_endpoints_for(s, tenant, 1u << ev, ids, WEBHOOK_FANOUT_MAX);
	if (n <= 0) {
		json_decref(data);
		return n < 0 ? -1 : 0;
	}
	char stamp[32];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *body = json_pack("{s:s, s:s, s:o}", "type", webhook_events[ev].type, "timestamp", stamp, "data", data);
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(body);
	if (text == NULL)
		return -1;
	unsigned char raw[16];
	char id[4 + 24];
	randombytes_buf(raw, sizeof(raw));
	memcpy(id, "msg_", 4);
	sodium_bin2base64(id + 4, sizeof(id) - 4, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (st_webhook_delivery_insert(s, ids[i], id, webhook_events[ev].type, text, now) <= 0)
			rc = -1;
	free(text);
	return rc;
}

const char *
webhook_events_text(struct arena *a, unsigned mask)
{
	struct buf b;
	buf_init(&b, a);
	for (int i = 0; i < WH__COUNT; i++)
		if (mask & (1u << i))
			buf_printf(&b, "%s%s", b.len ? ", " : "", webhook_events[i].name);
	buf_add(&b, "", 1);
	return b.failed ? "" : b.p;
}

/* The same names in the thread's language, for pages (issue 18). */
const char *
webhook_events_words(struct arena *a, unsigned mask)
{
	struct buf b;
	buf_init(&b, a);
	for (int i = 0; i < WH__COUNT; i++)
		if (mask & (1u << i))
			buf_printf(&b, "%s%s", b.len ? ", " : "", _(webhook_events[i].name));
	buf_add(&b, "", 1);
	return b.failed ? "" : b.p;
}

int
webhook_endpoints(struct store *s, struct arena *a, int64_t tenant, struct webhook_endpoint_list *out)
{
	return st_webhook_endpoints_of(s, a, tenant, WEBHOOK_LIST_MAX, out);
}

int
webhook_endpoint(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct webhook_endpoint *out)
{
	return st_webhook_endpoint_get(s, a, id, tenant, out);
}

int
webhook_endpoint_enable(struct store *s, int64_t tenant, int64_t id, bool on, int64_t now)
{
	return st_webhook_endpoint_enable(s, id, tenant, on, now);
}

int
webhook_endpoint_delete(struct store *s, int64_t tenant, int64_t id)
{
	return st_webhook_endpoint_delete(s, id, tenant);
}

int
webhook_log(struct store *s, struct arena *a, int64_t endpoint, struct webhook_delivery_list *deliveries,
    struct webhook_attempt_list *attempts)
{
	if (st_webhook_deliveries_of(s, a, endpoint, WEBHOOK_LOG_MAX, deliveries) < 0)
		return -1;
	return st_webhook_attempts_of(s, a, endpoint, WEBHOOK_LOG_MAX, attempts);
}

int
webhook_delivery(struct store *s, struct arena *a, int64_t tenant, int64_t id, struct webhook_delivery *out)
{
	return st_webhook_delivery_get(s, a, id, tenant, out);
}

int
webhook_send_again(struct store *s, int64_t tenant, int64_t id, int64_t now)
{
	return st_webhook_delivery_again(s, id, tenant, now);
}

json_t *
webhook_partner(const struct partner *p)
{
	return json_pack("{s:I, s:I, s:s}", "partner_account_id", (json_int_t)p->id, "organization_id",
	    (json_int_t)p->tenant_id, "name", p->name ? p->name : "");
}

int
webhook_reseal_all(struct store *s, int *lost)
{
	enum { SEALED = WEBHOOK_KEY_BYTES + SEAL_OVERHEAD };
	unsigned char blob[SEALED], key[WEBHOOK_KEY_BYTES], again[SEALED];
	int64_t id = 0;
	size_t len = 0;
	int n = 0, rc;
	*lost = 0;
	while ((rc = st_webhook_secret_after(s, id, &id, blob, sizeof(blob), &len)) == 1) {
		if (len == SEALED && seal_is_current(blob, len))
			continue;
		if (len != SEALED || seal_open(blob, len, key) < 0) {
			(*lost)++;
			continue;
		}
		int sealed = seal(key, sizeof(key), again);
		sodium_memzero(key, sizeof(key));
		if (sealed < 0 || st_webhook_reseal(s, id, again, sizeof(again)) != 1)
			return -1;
		n++;
	}
	return rc < 0 ? -1 : n;
}
