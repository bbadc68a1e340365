/* webhooks.c — webhook endpoints, the delivery outbox and its attempts (store.h,
 * "webhooks"). Deliveries are written in the transaction of the change; a process claims one
 * in its own UPDATE before sending it (as the mail outbox does). */
#include "store/db.h"

#include <string.h>

#define SQL_EP "SELECT id, tenant_id, url, events, created_at, coalesce(disabled_at, 0)," \
	" (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'queued')," \
	" (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'failed')" \
	" FROM webhook_endpoints e"
#define SQL_DL "SELECT id, endpoint_id, event_id, event_type, created_at, state, attempts, next_at," \
	" coalesce(last_at, 0), coalesce(last_code, 0), coalesce(last_error, '') FROM webhook_deliveries"

#define QUERIES(Q) \
	Q(Q_EP_INSERT, 0, "INSERT INTO webhook_endpoints(tenant_id, url, events, secret, created_by, created_at)" \
	  " VALUES (?, ?, ?, ?, ?, ?)") \
	Q(Q_EP_LIST, 8, SQL_EP " WHERE e.tenant_id = ? ORDER BY e.id DESC LIMIT ?") \
	Q(Q_EP_GET, 8, SQL_EP " WHERE e.id = ? AND e.tenant_id = ?") \
	Q(Q_EP_DISABLE, 0, "UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND tenant_id = ?" \
	  " AND disabled_at IS NULL") \
	Q(Q_EP_ENABLE, 0, "UPDATE webhook_endpoints SET disabled_at = NULL WHERE id = ? AND tenant_id = ?" \
	  " AND disabled_at IS NOT NULL") \
	Q(Q_EP_DELETE, 0, "DELETE FROM webhook_endpoints WHERE id = ? AND tenant_id = ?") \
	/* the enabled endpoints of an organization that take an event (its bit) */ \
	Q(Q_EP_FOR, 1, "SELECT id FROM webhook_endpoints WHERE tenant_id = ? AND disabled_at IS NULL" \
	  " AND (events & ?) <> 0 ORDER BY id") \
	Q(Q_DL_INSERT, 0, "INSERT INTO webhook_deliveries(endpoint_id, event_id, event_type, body, created_at," \
	  " retry_from, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)") \
	Q(Q_DL_LIST, 11, SQL_DL " WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?") \
	Q(Q_DL_GET, 11, SQL_DL " WHERE id = ? AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE tenant_id = ?)") \
	/* Send again: queued and due now, with 24 hours of retries from now */ \
	Q(Q_DL_AGAIN, 0, "UPDATE webhook_deliveries SET state = 'queued', next_at = ?, retry_from = ?" \
	  " WHERE id = ? AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE tenant_id = ?)") \
	Q(Q_ATT_LIST, 5, "SELECT a.delivery_id, a.at, a.code, a.error, d.event_type FROM webhook_attempts a" \
	  " JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ? ORDER BY a.id DESC LIMIT ?") \
	/* due deliveries of enabled endpoints that nobody holds (or whose claim lapsed) */ \
	Q(Q_DUE, 1, "SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id" \
	  " WHERE d.state = 'queued' AND d.next_at <= ? AND e.disabled_at IS NULL" \
	  " AND (d.claimed_until IS NULL OR d.claimed_until < ?) ORDER BY d.next_at, d.id LIMIT ?") \
	Q(Q_CLAIM, 0, "UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ? AND state = 'queued'" \
	  " AND next_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)") \
	Q(Q_LOAD, 6, "SELECT d.event_id, d.body, d.attempts, d.retry_from, e.url, e.secret FROM webhook_deliveries d" \
	  " JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ? AND d.claimed_by = ?") \
	Q(Q_DONE, 0, "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_at = ?, last_at = ?," \
	  " last_code = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?") \
	Q(Q_ATT_INSERT, 0, "INSERT INTO webhook_attempts(delivery_id, at, code, error) VALUES (?, ?, ?, ?)") \
	/* portalctl rotate-key: every endpoint's sealed secret, sealed again */ \
	Q(Q_SECRETS, 2, "SELECT id, secret FROM webhook_endpoints WHERE id > ? ORDER BY id LIMIT 1") \
	Q(Q_RESEAL, 0, "UPDATE webhook_endpoints SET secret = ? WHERE id = ?")
SQL_AREA(webhooks, QUERIES);

int64_t
st_webhook_endpoint_insert(struct store *s, int64_t tenant, const char *url, unsigned events,
    const unsigned char *secret, size_t secret_len, int64_t created_by, int64_t now)
{
	return db_insert(s, Q_EP_INSERT, QI(tenant), QT(url), QI(events), QB(secret, secret_len), QID(created_by), QI(now));
}

static void
read_ep(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct webhook_endpoint *)out = (struct webhook_endpoint){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .url = db_dup(a, st, 2), .events = (unsigned)db_i64(st, 3), .created_at = db_i64(st, 4),
	    .disabled_at = db_i64(st, 5), .queued = db_i64(st, 6), .failed = db_i64(st, 7) };
}

int
st_webhook_endpoints_of(struct store *s, struct arena *a, int64_t tenant, int64_t max, struct webhook_endpoint_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_EP_LIST, QI(tenant), QI(max)), max, out, read_ep);
}

int
st_webhook_endpoint_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct webhook_endpoint *out)
{
	return db_one(a, db_q(s, Q_EP_GET, QI(id), QI(tenant)), read_ep, out);
}

int
st_webhook_endpoint_enable(struct store *s, int64_t id, int64_t tenant, bool on, int64_t now)
{
	return on ? db_run(s, Q_EP_ENABLE, QI(id), QI(tenant)) : db_run(s, Q_EP_DISABLE, QI(now), QI(id), QI(tenant));
}

int
st_webhook_endpoint_delete(struct store *s, int64_t id, int64_t tenant)
{
	return db_run(s, Q_EP_DELETE, QI(id), QI(tenant));
}

int
st_webhook_endpoints_for(struct store *s, int64_t tenant, unsigned bit, int64_t *ids, int max)
{
	struct db_stmt *st = db_q(s, Q_EP_FOR, QI(tenant), QI(bit));
	int n = 0;
	while (n < max && db_step(st) == DB_ROW)
		ids[n++] = db_i64(st, 0);
	db_done(st);
	return store_failed(s) ? -1 : n;
}

int64_t
st_webhook_delivery_insert(struct store *s, int64_t endpoint, const char *event_id, const char *type, const char *body,
    int64_t now)
{
	return db_insert(s, Q_DL_INSERT, QI(endpoint), QT(event_id), QT(type), QT(body), QI(now), QI(now), QI(now));
}

static void
read_dl(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct webhook_delivery *)out = (struct webhook_delivery){ .id = db_i64(st, 0), .endpoint_id = db_i64(st, 1),
	    .event_id = db_dup(a, st, 2), .event_type = db_dup(a, st, 3), .created_at = db_i64(st, 4),
	    .state = db_dup(a, st, 5), .attempts = db_i64(st, 6), .next_at = db_i64(st, 7), .last_at = db_i64(st, 8),
	    .last_code = db_i64(st, 9), .last_error = db_dup(a, st, 10) };
}

int
st_webhook_deliveries_of(struct store *s, struct arena *a, int64_t endpoint, int64_t max,
    struct webhook_delivery_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_DL_LIST, QI(endpoint), QI(max)), max, out, read_dl);
}

int
st_webhook_delivery_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct webhook_delivery *out)
{
	return db_one(a, db_q(s, Q_DL_GET, QI(id), QI(tenant)), read_dl, out);
}

int
st_webhook_delivery_again(struct store *s, int64_t id, int64_t tenant, int64_t now)
{
	return db_run(s, Q_DL_AGAIN, QI(now), QI(now), QI(id), QI(tenant));
}

static void
read_att(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct webhook_attempt *)out = (struct webhook_attempt){ .delivery_id = db_i64(st, 0), .at = db_i64(st, 1),
	    .code = db_i64(st, 2), .error = db_dup(a, st, 3), .event_type = db_dup(a, st, 4) };
}

int
st_webhook_attempts_of(struct store *s, struct arena *a, int64_t endpoint, int64_t max,
    struct webhook_attempt_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_ATT_LIST, QI(endpoint), QI(max)), max, out, read_att);
}

int
st_webhook_due(struct store *s, int64_t now, int64_t *ids, int max)
{
	struct db_stmt *st = db_q(s, Q_DUE, QI(now), QI(now), QI(max));
	int n = 0;
	while (n < max && db_step(st) == DB_ROW)
		ids[n++] = db_i64(st, 0);
	db_done(st);
	return store_failed(s) ? -1 : n;
}

int
st_webhook_claim(struct store *s, int64_t id, const char *by, int64_t now, int64_t until)
{
	return db_run(s, Q_CLAIM, QT(by), QI(until), QI(id), QI(now), QI(now));
}

int
st_webhook_load(struct store *s, struct arena *a, int64_t id, const char *by, struct webhook_send *out)
{
	struct db_stmt *st = db_q(s, Q_LOAD, QI(id), QT(by));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		size_t n = 0;
		const void *b = db_bytes(st, 5, &n);
		unsigned char *copy = arena_alloc(a, n ? n : 1);
		if (copy != NULL && n)
			memcpy(copy, b, n);
		*out = (struct webhook_send){ .event_id = db_dup(a, st, 0), .body = db_dup(a, st, 1),
		    .attempts = db_i64(st, 2), .retry_from = db_i64(st, 3), .url = db_dup(a, st, 4), .secret = copy,
		    .secret_len = n };
	}
	db_done(st);
	return db_found(rc);
}

int
st_webhook_done(struct store *s, int64_t id, const char *by, const char *state, int64_t next_at, int64_t now,
    int code, const char *error)
{
	if (db_run(s, Q_DONE, QT(state), QI(next_at), QI(now), QI(code), QTE(error), QI(id), QT(by)) != 1)
		return store_failed(s) ? -1 : 0;
	return db_run(s, Q_ATT_INSERT, QI(id), QI(now), QI(code), QTE(error)) == 1 ? 1 : -1;
}

int
st_webhook_secret_after(struct store *s, int64_t after, int64_t *id, unsigned char *out, size_t max, size_t *len)
{
	struct db_stmt *st = db_q(s, Q_SECRETS, QI(after));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		size_t n = 0;
		const void *b = db_bytes(st, 1, &n);
		*id = db_i64(st, 0);
		*len = n <= max ? n : 0;
		if (n <= max && n)
			memcpy(out, b, n);
	}
	db_done(st);
	return db_found(rc);
}

int
st_webhook_reseal(struct store *s, int64_t id, const unsigned char *sealed, size_t len)
{
	return db_run(s, Q_RESEAL, QB(sealed, len), QI(id));
}
