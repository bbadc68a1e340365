/* webhook.c — the webhook sender: see webhook.h. */
#include "mail/webhook.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/seal.h"
#include "base/util.h"
#include "base/webhook.h"
#include "mail/mail.h"

int
webhook_sender_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

struct conn_check {
	bool private_ok, refused;
};

/* Every address curl is about to connect to: a private one is refused (no socket) unless
 * the setting allows it. */
static curl_socket_t
open_checked(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct conn_check *c = arg;
	(void)purpose;
	const unsigned char *ip = NULL;
	if (addr->family == AF_INET)
		ip = (const unsigned char *)&((const struct sockaddr_in *)&addr->addr)->sin_addr;
	else if (addr->family == AF_INET6)
		ip = (const unsigned char *)&((const struct sockaddr_in6 *)&addr->addr)->sin6_addr;
	if (ip == NULL || (!c->private_ok && webhook_ip_private(addr->family, ip))) {
		c->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POSTs one signed delivery. The response code (0: none) and, when it is not 2xx, why. */
static long
post(const struct config *cfg, const struct webhook_send *d, const char *sig, int64_t ts, char *err, size_t errlen)
{
	if (!cfg->webhook_private_ok && !str_has_prefix(d->url, "https://")) {
		snprintf(err, errlen, "refused: http:// is allowed only where PORTAL_WEBHOOK_ALLOW_PRIVATE=1");
		return 0;
	}
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return 0;
	}
	char hid[160], hts[64], hsig[WEBHOOK_SIG_SIZE + 32];
	snprintf(hid, sizeof(hid), "webhook-id: %s", d->event_id);
	snprintf(hts, sizeof(hts), "webhook-timestamp: %lld", (long long)ts);
	snprintf(hsig, sizeof(hsig), "webhook-signature: %s", sig);
	struct curl_slist *hdr = NULL, *t;
	const char *lines[] = { "Content-Type: application/json", "Expect:", hid, hts, hsig };
	for (size_t i = 0; i < NELEM(lines); i++)
		if ((t = curl_slist_append(hdr, lines[i])) != NULL)
			hdr = t;
	struct conn_check cc = { .private_ok = cfg->webhook_private_ok };
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, d->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)WEBHOOK_CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)WEBHOOK_TOTAL_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "csp-portal-webhooks/1");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(d->body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_checked);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &cc);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	if (cc.refused)
		snprintf(err, errlen, "refused: the address is on a private network (PORTAL_WEBHOOK_ALLOW_PRIVATE)");
	else if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", *cerr ? cerr : curl_easy_strerror(rc));
	else if (code < 200 || code > 299)
		snprintf(err, errlen, "answered %ld", code);
	return code;
}

/* Claims, sends and records delivery id: 1 sent, 0 not ours, -1 failed (again later or for good). */
static int
deliver_one(const struct config *cfg, struct store *s, struct arena *a, int64_t id)
{
	char by[160];
	mail_claimant(by, sizeof(by));
	int64_t now = now_sec();
	int claimed = -1;
	if (store_begin_write(s) == 0) {
		claimed = st_webhook_claim(s, id, by, now, now + WEBHOOK_CLAIM_SECONDS);
		if (store_commit(s) < 0)
			claimed = -1;
	}
	store_clear_failure(s);
	if (claimed <= 0)
		return claimed;
	struct webhook_send d;
	int found = st_webhook_load(s, a, id, by, &d);
	store_clear_failure(s);
	if (found <= 0)
		return found;
	unsigned char key[WEBHOOK_KEY_BYTES];
	char sig[WEBHOOK_SIG_SIZE], err[300] = "";
	long code = 0;
	int64_t ts = now_sec();
	if (d.secret_len != WEBHOOK_KEY_BYTES + SEAL_OVERHEAD || seal_open(d.secret, d.secret_len, key) < 0)
		snprintf(err, sizeof(err), "the endpoint's secret cannot be opened with the key file");
	else if (webhook_sign(key, sizeof(key), d.event_id, ts, d.body, strlen(d.body), sig) < 0)
		snprintf(err, sizeof(err), "cannot sign");
	else
		code = post(cfg, &d, sig, ts, err, sizeof(err));
	sodium_memzero(key, sizeof(key));
	bool ok = code >= 200 && code <= 299;
	int64_t done_at = now_sec();
	int64_t next = ok ? done_at : webhook_next_attempt((int)d.attempts + 1, cfg->webhook_backoff_s, d.retry_from, done_at);
	const char *state = ok ? "sent" : next ? "queued" : "failed";
	if (store_begin_write(s) == 0) {
		st_webhook_done(s, id, by, state, next ? next : done_at, done_at, (int)code, ok ? NULL : err);
		store_commit(s);
	}
	store_clear_failure(s);
	if (!ok)
		log_msg("webhooks: delivery %lld %s: %s", (long long)id, next ? "to be tried again" : "failed", err);
	return ok ? 1 : -1;
}

int
webhook_deliver_pending(const struct config *cfg, struct store *s, int *sent)
{
	int64_t ids[64];
	int failed = 0;
	*sent = 0;
	int n = st_webhook_due(s, now_sec(), ids, (int)NELEM(ids));
	store_clear_failure(s);
	struct arena a;
	arena_init(&a, 4u << 20);
	for (int i = 0; i < n; i++) {
		int rc = deliver_one(cfg, s, &a, ids[i]);
		if (rc > 0)
			(*sent)++;
		else if (rc < 0)
			failed++;
		arena_reset(&a);
	}
	arena_free(&a);
	return failed;
}
