// webhooks.mjs — a test webhook receiver (issue 14): a small HTTP server on 127.0.0.1 on a
// free port, started and stopped by the test, that records every request and checks its
// Standard Webhooks signature with the endpoint's secret (Node's own HMAC, independent of
// the portal's libsodium).
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { csrfOf } from './http.mjs';

/** Starts a receiver. answer(req, n) gives the status for the n-th request (default 200).
 * Returns { url(path), requests: [{ path, headers, body }], close() }. */
export async function startReceiver(answer = () => 200) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      res.writeHead(answer(r, requests.length));
      res.end('ok');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const port = server.address().port;
  return {
    port,
    requests,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** Whether request r carries a valid signature for secret ("whsec_" + base64 key). */
export function signatureValid(r, secret) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const id = r.headers['webhook-id'], ts = r.headers['webhook-timestamp'];
  const want = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  return (r.headers['webhook-signature'] || '').split(' ').some((s) => {
    if (!s.startsWith('v1,')) return false;
    const got = Buffer.from(s.slice(3), 'base64');
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

/** Registers an endpoint through Settings -> Webhooks as the signed-in Global admin `admin`
 * (a Client): { res, secret, id } (secret null when the form was refused). */
export async function createEndpoint(admin, { url, events = ['user.added', 'user.removed'] }) {
  const page = await admin.get('/settings/webhooks/new');
  const res = await admin.post('/settings/webhooks/new', { csrf: csrfOf(page.text), url, 'events[]': events });
  const m = /id="webhook-secret"[^>]*value="(whsec_[A-Za-z0-9+/=]{44})"/.exec(res.text);
  const id = /href="\/settings\/webhooks\/(\d+)"/.exec(res.text);
  return { res, secret: m ? m[1] : null, id: id ? Number(id[1]) : null };
}

/** Waits until test() is true (polling every 100 ms), at most ms. */
export async function until(what, test, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await test()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** An endpoint of tenant written as the settings page would (a placeholder sealed secret, which
 * only the sender opens), with a delivery sent after a 500 and its two attempts, for pages
 * that only show them: its id. */
export async function endpointFixture(stack, tenant, { url = 'https://hooks.invalid/a/rather/long/path/for/the/portal/events' } = {}) {
  const db = await import('./db.mjs');
  const now = Math.floor(Date.now() / 1000);
  const id = Number(db.exec(stack, 'INSERT INTO webhook_endpoints(tenant_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    tenant, url, 1 << 10, Buffer.alloc(76, 1), now)[0].id);
  const d = Number(db.exec(stack, `INSERT INTO webhook_deliveries(endpoint_id, event_id, event_type, body, created_at, retry_from, next_at,
    state, attempts, last_at, last_code) VALUES (?, 'msg_fixture', 'user.added', '{}', ?, ?, ?, 'sent', 2, ?, 200) RETURNING id`,
  id, now - 60, now - 60, now, now)[0].id);
  db.exec(stack, 'INSERT INTO webhook_attempts(delivery_id, at, code, error) VALUES (?, ?, 500, ?)', d, now - 60, 'answered 500');
  db.exec(stack, 'INSERT INTO webhook_attempts(delivery_id, at, code, error) VALUES (?, ?, 200, \'\')', d, now);
  return id;
}
