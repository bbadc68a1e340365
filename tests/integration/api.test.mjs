// api.test.mjs — the JSON API (issue 14) through real nginx: Settings -> API credentials
// (secret shown once, hash stored, never more roles than the creator, revoke), Bearer
// authentication without cookies, revoked / expired / address-limited credentials, problem
// details, the users resource (list with a cursor under concurrent inserts, get, add,
// roles with If-Match, delete, another organization's ids), idempotent retries, the
// per-credential throttle, and malformed, wrongly typed and oversized bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf } from '../lib/http.mjs';
import { call, apiClient, createCredential } from '../lib/api.mjs';
import { waitForMail } from '../lib/mail.mjs';

const RATE = 40;	// PORTAL_API_RATE of this stack: calls per credential per minute
let stack;
before(async () => { stack = await startStack({ env: { PORTAL_API_RATE: String(RATE), PORTAL_MAX_BODY: '4096' } }); });
after(() => stopChecked(stack));

let orgSerial = 0;
/** A new organization with its Global admin signed in: { ga, tenant, domain }. */
async function org() {
  const domain = `api${++orgSerial}.example`;
  const ga = new Client(stack.base);
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: `Api Org ${orgSerial}` });
  return { ga, tenant: F.tenantId(stack, domain), domain };
}

/** A credential of tenant with roles (written as Settings -> API would): an API client. */
async function cred(tenant, roles = ['global_admin'], more = {}) {
  const c = await F.apiCredential(stack, { tenant, roles, ...more });
  return Object.assign(apiClient(stack.base, c.secret), { id: c.id, name: c.name });
}

function problem(res, status) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal(res.json.status, status);
  assert.equal(res.json.type, 'about:blank');
  assert.match(res.json.request_id, /^[0-9a-f]{16}$/);
  assert.equal(res.json.request_id, res.headers['x-request-id'], 'the request id of the log line');
}

test('Settings → API: the secret is shown once, only its hash is stored, roles never exceed the creator\'s, revoke', async () => {
  const a = await org();
  const list = await a.ga.get('/settings/api');
  assert.equal(list.status, 200);
  assert.match(list.text, /No API credentials yet/);

  // Roles the creator does not hold, no roles, a bad expiry and bad addresses: the form again, nothing written.
  let r = await createCredential(a.ga, { name: 'Too much', roles: ['sales_agent'] });
  assert.equal(r.res.status, 422);
  assert.deepEqual(errorsOf(r.res.text), ['A credential cannot carry a role you do not hold.']);
  r = await createCredential(a.ga, { name: 'Bad', days: '366', addresses: '10.0.0.1 not-an-ip', roles: [] });
  assert.equal(r.res.status, 422);
  assert.deepEqual(errorsOf(r.res.text), ['Enter a number of days from 1 to 365.',
    'Enter IPv4 or IPv6 addresses separated by spaces (at most 16).', 'Choose at least one role.']);
  assert.equal(F.count(stack, 'api_credentials', { tenant_id: a.tenant }), 0);

  const made = await createCredential(a.ga, { name: 'Billing sync', days: '30', addresses: '127.0.0.1, ::1' });
  assert.equal(made.res.status, 201);
  assert.ok(made.secret, 'the secret is on the page');
  const row = db.one(stack, `SELECT id, name, roles, allowed_ips, expires_at - created_at AS ttl, ${db.hex('secret_hash')} AS h
    FROM api_credentials WHERE tenant_id = ?`, a.tenant);
  assert.deepEqual({ ...row, id: 0, h: row.h.length }, { id: 0, name: 'Billing sync', roles: 1, allowed_ips: '127.0.0.1 ::1', ttl: 30 * 86400, h: 64 });
  assert.ok(!JSON.stringify(db.rows(stack, 'SELECT * FROM api_credentials')).includes(made.secret.slice(5)), 'the secret is not stored');
  // Never shown again: the list has the name, not the secret.
  const again = await a.ga.get('/settings/api');
  assert.match(again.text, /Billing sync/);
  assert.ok(!again.text.includes(made.secret));
  assert.deepEqual(F.audit(stack, { tenant_id: a.tenant, action: 'api.credential.create' }, 'actor, target, outcome, detail'),
    [{ actor: `ana@${a.domain}`, target: 'Billing sync', outcome: 'ok', detail: 'roles: Global admin; 30 days' }]);

  // It works; the list shows its last use with the address.
  const api = apiClient(stack.base, made.secret);
  assert.equal((await api.get('/api/v1/me')).status, 200);
  assert.match((await a.ga.get('/settings/api')).text, /CES?T from 127\.0\.0\.1/);	// (issue 15, item 13: in the reader's zone, Germany's; was UTC)

  // Revoked: 401 from then on, audited with the credential's name.
  const rev = await a.ga.submit(`/settings/api/${row.id}/revoke`, {}, '/settings/api');
  assert.equal(rev.status, 303);
  assert.equal(rev.location, '/settings/api?m=key-revoked');
  const res = await api.get('/api/v1/me');
  problem(res, 401);
  assert.equal(res.json.detail, 'The credential has been revoked.');
  assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
  assert.deepEqual(F.audit(stack, { tenant_id: a.tenant, action: 'api.auth' }, 'actor, target, outcome, detail'),
    [{ actor: 'api:Billing sync', target: 'Billing sync', outcome: 'refused', detail: 'revoked' }]);

  // Another organization's credential id: 404, nothing revoked.
  const b = await org();
  const other = await cred(b.tenant);
  const res2 = await a.ga.submit(`/settings/api/${other.id}/revoke`, {}, '/settings/api');
  assert.equal(res2.status, 404);
  assert.equal(db.value(stack, 'SELECT revoked_at FROM api_credentials WHERE id = ?', other.id), null);
});

test('Bearer only: no cookie is read on /api/; an unknown, expired or malformed credential is 401', async () => {
  const a = await org();
  // A signed-in browser's cookies do not open the API.
  const cookies = a.ga.cookieHeader('/');
  assert.ok(cookies.includes('sid='));
  problem(await call(stack.base, null, 'GET', '/api/v1/me', { headers: { cookie: cookies } }), 401);
  problem(await call(stack.base, 'cspk_' + 'A'.repeat(43), 'GET', '/api/v1/me'), 401);
  problem(await call(stack.base, 'not-even-shaped-right', 'GET', '/api/v1/me'), 401);
  const expired = await cred(a.tenant, ['global_admin'], { expiresAt: F.now() - 1 });
  const res = await expired.get('/api/v1/me');
  problem(res, 401);
  assert.equal(res.json.detail, 'The credential has expired.');
  // And the API sets no cookie.
  const me = await (await cred(a.tenant)).get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.headers['set-cookie'], undefined);
  assert.equal(me.headers['content-type'], 'application/json; charset=utf-8');
});

test('GET /api/v1/me: the credential, its roles and its organization', async () => {
  const a = await org();
  F.partnerAccount(stack, { domain: a.domain, type: 'indirect_provider', status: 'approved' });
  const api = await cred(a.tenant, ['admin_agent', 'sales_agent']);
  const res = await api.get('/api/v1/me');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, {
    credential: { id: api.id, name: api.name, expires_at: res.json.credential.expires_at },
    organization: { id: a.tenant, name: `Api Org ${orgSerial}`, country: 'DE', partner_accounts: { indirect_provider: 'approved' } },
    roles: ['admin_agent', 'sales_agent'],
  });
});

test('allowed client addresses: a call from elsewhere is refused (403, audited)', async () => {
  const a = await org();
  const api = await cred(a.tenant, ['global_admin'], { allowedIps: '127.0.0.2' });
  problem(await api.get('/api/v1/me'), 403);
  assert.equal((await api.get('/api/v1/me', { from: '127.0.0.2' })).status, 200);
  assert.equal(F.auditCount(stack, { tenant_id: a.tenant, action: 'api.auth', detail: 'client address not allowed' }), 1);
});

test('users: a page at a time by an opaque cursor, stable while users are added; limit capped, sort whitelisted', async () => {
  const a = await org();
  for (let i = 0; i < 9; i++) F.addUser(stack, { tenant: a.tenant, email: `u${i}@${a.domain}`, name: `User ${i}`, roles: ['helpdesk_agent'] });
  const api = await cred(a.tenant, ['user_admin']);
  const seen = [];
  let cursor = null, pages = 0, added = 0;
  do {
    const res = await api.get(`/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.items.map((u) => u.email));
    cursor = res.json.next_cursor;
    pages++;
    // Meanwhile, someone adds users (concurrently with the next page's request).
    if (added < 3) {
      await Promise.all([
        api.get('/api/v1/users?limit=1'),
        Promise.resolve(F.addUser(stack, { tenant: a.tenant, email: `late${added}@${a.domain}`, name: `Late ${added}`, roles: [] })),
      ]);
      added++;
    }
  } while (cursor && pages < 20);
  // Every user exactly once, in id order, the late ones at the end.
  const all = db.rows(stack, 'SELECT email FROM users WHERE tenant_id = ? ORDER BY id', a.tenant).map((u) => u.email);
  assert.deepEqual(seen, all);
  assert.equal(new Set(seen).size, seen.length, 'no user twice');
  // Newest first with sort=-id.
  const desc = await api.get('/api/v1/users?sort=-id&limit=2');
  assert.deepEqual(desc.json.items.map((u) => u.email), all.slice(-2).reverse());
  const desc2 = await api.get(`/api/v1/users?sort=-id&limit=2&cursor=${desc.json.next_cursor}`);
  assert.deepEqual(desc2.json.items.map((u) => u.email), all.slice(-4, -2).reverse());
  // Limits and whitelists.
  problem(await api.get('/api/v1/users?limit=201'), 400);
  problem(await api.get('/api/v1/users?limit=0'), 400);
  problem(await api.get('/api/v1/users?sort=email'), 400);
  problem(await api.get('/api/v1/users?cursor=bm9wZQ'), 400);
  problem(await api.get(`/api/v1/users?sort=id&cursor=${desc.json.next_cursor}`), 400);
  assert.equal((await api.get('/api/v1/users?limit=200')).json.items.length, all.length);
});

test("users: get, add, change roles with If-Match, delete; refusals by role and another organization's ids", async () => {
  const a = await org();
  const b = await org();
  const admin = await cred(a.tenant, ['global_admin']);
  const helpdesk = await cred(a.tenant, ['helpdesk_agent']);
  const userAdmin = await cred(a.tenant, ['user_admin']);

  // Add: 202, the set-password mail, audited with the credential's name as actor.
  let res = await admin.post('/api/v1/users', { name: 'Bo Berg', email: 'Bo@' + a.domain, roles: ['admin_agent'] });
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json, { email: `bo@${a.domain}`, status: 'invited' });
  const bo = F.user(stack, `bo@${a.domain}`);
  assert.equal(bo.roles, 8);
  assert.deepEqual(F.audit(stack, { tenant_id: a.tenant, action: 'user.add' }, 'actor, target, outcome'),
    [{ actor: `api:${admin.name}`, target: `bo@${a.domain}`, outcome: 'ok' }]);
  // The same address again: 409. Bad fields: 422 with each field.
  problem(await admin.post('/api/v1/users', { name: 'Bo', email: `bo@${a.domain}`, roles: ['admin_agent'] }), 409);
  res = await admin.post('/api/v1/users', { name: '', email: 'nope', roles: ['superuser'] });
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['name', 'email', 'roles']);
  // A Helpdesk agent's credential may not add users (the dispatcher: 403, audited as access refused).
  const before = F.auditCount(stack, { tenant_id: a.tenant, action: 'access', outcome: 'refused' });
  problem(await helpdesk.post('/api/v1/users', { name: 'X', email: `x@${a.domain}`, roles: [] }), 403);
  assert.equal(F.auditCount(stack, { tenant_id: a.tenant, action: 'access', outcome: 'refused' }), before + 1);
  // A User admin's credential may not grant Global admin (the rule of the page).
  res = await userAdmin.post('/api/v1/users', { name: 'Y', email: `y@${a.domain}`, roles: ['global_admin'] });
  problem(res, 403);

  // Get, with the ETag of its roles.
  res = await admin.get(`/api/v1/users/${bo.id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { id: bo.id, name: 'Bo Berg', email: `bo@${a.domain}`, roles: ['admin_agent'] });
  const etag = res.headers.etag;
  assert.ok(etag);
  problem(await helpdesk.get(`/api/v1/users/${bo.id}`), 403);

  // Roles: If-Match required (428), a stale one refused (412), the right one changes them.
  problem(await admin.post(`/api/v1/users/${bo.id}/roles`, { roles: ['sales_agent'] }), 428);
  problem(await admin.post(`/api/v1/users/${bo.id}/roles`, { roles: ['sales_agent'] }, { headers: { 'if-match': '"r999"' } }), 412);
  res = await admin.post(`/api/v1/users/${bo.id}/roles`, { roles: ['sales_agent'] }, { headers: { 'if-match': etag } });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.roles, ['sales_agent']);
  assert.notEqual(res.headers.etag, etag);
  // The old ETag is now stale: a lost update is refused.
  problem(await admin.post(`/api/v1/users/${bo.id}/roles`, { roles: ['billing_admin'] }, { headers: { 'if-match': etag } }), 412);
  assert.equal(F.user(stack, `bo@${a.domain}`).roles, 16);

  // Another organization's credential: every id of A's is 404 (audited in B's log), nothing changes.
  const bAdmin = await cred(b.tenant, ['global_admin']);
  problem(await bAdmin.get(`/api/v1/users/${bo.id}`), 404);
  problem(await bAdmin.post(`/api/v1/users/${bo.id}/roles`, { roles: [] }, { headers: { 'if-match': '"r16"' } }), 404);
  problem(await bAdmin.post(`/api/v1/users/${bo.id}/delete`), 404);
  problem(await admin.get('/api/v1/users/999999999'), 404);
  assert.equal(F.auditCount(stack, { tenant_id: b.tenant, action: 'access', target: `user ${bo.id}`, outcome: 'refused' }), 3);
  assert.equal(F.user(stack, `bo@${a.domain}`).roles, 16);

  // Delete: 204; the last Global admin cannot be deleted (the page's rule).
  res = await admin.post(`/api/v1/users/${bo.id}/delete`);
  assert.equal(res.status, 204);
  assert.equal(F.count(stack, 'users', { id: bo.id }), 0);
  const ana = F.user(stack, `ana@${a.domain}`);
  problem(await admin.post(`/api/v1/users/${ana.id}/delete`), 403);
  assert.equal(F.count(stack, 'users', { id: ana.id }), 1);
});

test('Idempotency-Key: the same key again returns the first answer and writes nothing', async () => {
  const a = await org();
  const api = await cred(a.tenant);
  const key = { headers: { 'idempotency-key': 'add-cy-1' } };
  const body = { name: 'Cy Chen', email: `cy@${a.domain}`, roles: ['billing_admin'] };
  const first = await api.post('/api/v1/users', body, key);
  assert.equal(first.status, 202);
  // A retry (the answer was lost, say): the same answer, no second user, no second mail, no 409.
  const again = await api.post('/api/v1/users', body, key);
  assert.equal(again.status, 202);
  assert.equal(again.text, first.text);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(F.count(stack, 'users', { tenant_id: a.tenant, email: `cy@${a.domain}` }), 1);
  assert.equal(F.auditCount(stack, { tenant_id: a.tenant, action: 'user.add', outcome: 'ok' }), 1);
  // Concurrent retries of a new key: one write.
  const key2 = { headers: { 'idempotency-key': 'add-dee-1' } };
  const body2 = { name: 'Dee', email: `dee@${a.domain}`, roles: ['billing_admin'] };
  const both = await Promise.all([api.post('/api/v1/users', body2, key2), api.post('/api/v1/users', body2, key2), api.post('/api/v1/users', body2, key2)]);
  assert.deepEqual(both.map((r) => r.status), [202, 202, 202]);
  assert.equal(F.count(stack, 'users', { tenant_id: a.tenant, email: `dee@${a.domain}` }), 1);
  // Keys are per credential: another credential's same key is a new request (here: 409, the user exists).
  const other = await cred(a.tenant);
  problem(await other.post('/api/v1/users', body, key), 409);
  // The key used for another kind of request: 422.
  problem(await api.post(`/api/v1/users/${F.user(stack, `cy@${a.domain}`).id}/delete`, undefined, key), 422);
  problem(await api.post('/api/v1/users', body, { headers: { 'idempotency-key': 'x'.repeat(129) } }), 400);
});

test('bodies: malformed JSON 400, another content type 415, oversized 413; unknown paths and methods as problems', async () => {
  const a = await org();
  const api = await cred(a.tenant);
  let res = await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: '{"name": "x",', contentType: 'application/json' });
  problem(res, 400);
  assert.match(res.json.detail, /not valid JSON/);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: '[1, 2]', contentType: 'application/json' }), 400);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: '{"a": 1, "a": 2}', contentType: 'application/json' }), 400);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json' }), 400);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: 'name=x', contentType: 'application/x-www-form-urlencoded' }), 415);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: '{}', contentType: 'text/plain' }), 415);
  problem(await call(stack.base, api.secret, 'POST', '/api/v1/users', { body: '{}', contentType: 'application/jsonp' }), 415);
  // Larger than PORTAL_MAX_BODY: nginx refuses it before the portal (its client_max_body_size is the same number).
  res = await call(stack.base, api.secret, 'POST', '/api/v1/users', { json: { name: 'x'.repeat(5000) } });
  assert.equal(res.status, 413);
  assert.equal(F.count(stack, 'users', { tenant_id: a.tenant }), 1, 'nothing written');
  problem(await api.get('/api/v1/nothing-here'), 404);
  res = await call(stack.base, api.secret, 'POST', '/api/v1/me', { json: {} });
  problem(res, 405);
  assert.equal(res.headers.allow, 'GET, HEAD');
  // A page's path is not the API's: Bearer does not open it.
  const page = await call(stack.base, api.secret, 'GET', '/settings/users');
  assert.equal(page.status, 303);
  assert.match(page.headers.location, /^\/signin/);
});

test('throttled per credential: 429 with Retry-After; another credential is not affected', async () => {
  const a = await org();
  const api = await cred(a.tenant);
  const other = await cred(a.tenant);
  const answers = [];
  for (let i = 0; i < RATE + 3; i++) answers.push((await api.get('/api/v1/me')).status);
  assert.deepEqual(answers, [...Array(RATE).fill(200), 429, 429, 429]);
  const res = await api.get('/api/v1/me');
  problem(res, 429);
  const wait = Number(res.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${res.headers['retry-after']}`);
  assert.equal((await other.get('/api/v1/me')).status, 200);
  // The count is the database's: once its minute has passed (moved back here), calls go through again.
  db.exec(stack, 'UPDATE api_credentials SET win_start = win_start - 60 WHERE id = ?', api.id);
  assert.equal((await api.get('/api/v1/me')).status, 200);
});

test('resellers and reseller invitations: list by cursor, invite, resend, revoke; roles, partner type and other organizations refused', async () => {
  const a = await org();
  F.partnerAccount(stack, { domain: a.domain, type: 'indirect_provider', status: 'approved' });
  const provider = F.partnerAccountId(stack, a.tenant, 'indirect_provider');
  const resellers = F.bulkPartners(stack, { prefix: `api-res-${a.tenant}-`, names: ['Delta', 'alpha', 'Charlie', 'bravo', 'Echo'], mpn: true });
  resellers.forEach((id, i) => F.relate(stack, provider, id, { since: F.now() - 1000 * (i + 1) }));
  const admin = await cred(a.tenant, ['admin_agent']);
  const sales = await cred(a.tenant, ['sales_agent']);

  // By name, two at a time; a reseller added meanwhile (after the cursor's place) is on a later page.
  let res = await sales.get('/api/v1/resellers?limit=2');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((x) => x.name), ['alpha', 'bravo']);
  assert.match(res.json.items[0].mpn_ids, /^\d+$/);
  const [late] = F.bulkPartners(stack, { prefix: `api-late-${a.tenant}-`, names: ['Aardvark Late', 'Zulu'] });
  F.relate(stack, provider, late);
  res = await sales.get(`/api/v1/resellers?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((x) => x.name), ['Charlie', 'Delta']);
  res = await sales.get(`/api/v1/resellers?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((x) => x.name), ['Echo']);
  assert.equal(res.json.next_cursor, null);
  res = await sales.get('/api/v1/resellers?sort=-since&limit=1');
  assert.deepEqual(res.json.items.map((x) => x.name), ['Aardvark Late']);
  problem(await sales.get('/api/v1/resellers?sort=mpn'), 400);

  // Invite: 201 with the link, the email sent; the same address again is 409.
  res = await admin.post('/api/v1/reseller-invitations', { email: 'Boss@Reseller.example', message: 'Welcome aboard' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.email, 'boss@reseller.example');
  assert.equal(res.json.status, 'pending');
  assert.match(res.json.link, /\/authorize\?t=/);
  const inv = res.json.id;
  assert.equal(res.headers.location, `/api/v1/reseller-invitations/${inv}`);
  const mail = await waitForMail(stack.mailDir, { to: 'boss@reseller.example' });
  assert.match(mail.body, /Welcome aboard/);
  assert.ok(mail.body.includes(res.json.link), 'the link of the answer is the emailed one');
  problem(await admin.post('/api/v1/reseller-invitations', { email: 'boss@reseller.example' }), 409);
  res = await admin.post('/api/v1/reseller-invitations', { email: 'nope', message: 5 });
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['email', 'message']);
  // A Sales agent may see resellers but not invite (RESELLERS_INVITE).
  problem(await sales.post('/api/v1/reseller-invitations', { email: 'x@reseller.example' }), 403);
  problem(await sales.get('/api/v1/reseller-invitations'), 403);

  // List, newest first; resend moves the expiry; revoke ends it; a revoked one cannot be resent (409).
  await admin.post('/api/v1/reseller-invitations', { email: 'second@reseller.example' });
  res = await admin.get('/api/v1/reseller-invitations?limit=1');
  assert.deepEqual(res.json.items.map((x) => x.email), ['second@reseller.example']);
  res = await admin.get(`/api/v1/reseller-invitations?limit=1&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((x) => x.email), ['boss@reseller.example']);
  F.setResellerInvitationExpiry(stack, inv, F.now() + 60);
  res = await admin.post(`/api/v1/reseller-invitations/${inv}/resend`);
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json.expires_at > F.now() + 29 * 86400);
  res = await admin.post(`/api/v1/reseller-invitations/${inv}/revoke`);
  assert.equal(res.status, 200);
  assert.equal(res.json.status, 'revoked');
  assert.equal(res.json.link, undefined);
  problem(await admin.post(`/api/v1/reseller-invitations/${inv}/resend`), 409);

  // Another provider's credential: 404 for A's invitation (audited in its own log), nothing changes.
  const b = await org();
  F.partnerAccount(stack, { domain: b.domain, type: 'indirect_provider', status: 'approved' });
  const bAdmin = await cred(b.tenant);
  const second = Number(db.value(stack, 'SELECT id FROM reseller_invitations WHERE email = ?', 'second@reseller.example'));
  problem(await bAdmin.post(`/api/v1/reseller-invitations/${second}/revoke`), 404);
  assert.equal(db.value(stack, 'SELECT status FROM reseller_invitations WHERE id = ?', second), 'pending');
  assert.equal(F.auditCount(stack, { tenant_id: b.tenant, target: `invitation ${second}`, outcome: 'refused' }), 1);
  assert.deepEqual((await bAdmin.get('/api/v1/resellers')).json.items, []);
  // An organization that is not an approved provider: 403 (partner type).
  const c = await org();
  problem(await (await cred(c.tenant)).get('/api/v1/resellers'), 403);
  // Audited with the credential's name.
  assert.deepEqual(F.audit(stack, { tenant_id: a.tenant, action: 'invitation.revoke' }, 'actor, outcome'),
    [{ actor: `api:${admin.name}`, outcome: 'ok' }]);
});

test("providers, the agreement, and a reseller's agreement status by MPN ID (signed, version, date)", async () => {
  const p = await org();
  F.partnerAccount(stack, { domain: p.domain, type: 'indirect_provider', status: 'approved' });
  const provider = F.partnerAccountId(stack, p.tenant, 'indirect_provider');
  const [res1, res2] = F.bulkPartners(stack, { prefix: `api-agr-${p.tenant}-`, names: ['Signed Reseller', 'Unsigned Reseller'], mpn: true });
  const [stranger] = F.bulkPartners(stack, { prefix: `api-agr-x-${p.tenant}-`, names: ['Not Ours'], mpn: true });
  F.relate(stack, provider, res1);
  F.relate(stack, provider, res2);
  const mpnOf = (acc) => db.value(stack, 'SELECT m.mpn_id FROM tenant_mpn_ids m JOIN partner_accounts a ON a.tenant_id = m.tenant_id WHERE a.id = ?', acc);
  const tenantOf = (acc) => Number(db.value(stack, 'SELECT tenant_id FROM partner_accounts WHERE id = ?', acc));
  const api = await cred(p.tenant, ['sales_agent']);

  // Nothing published yet.
  let res = await api.get('/api/v1/agreement');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { current_version: null, signed: false, accepted_version: null, accepted_at: null });
  const version = `api-${p.tenant}`;
  F.publishAgreement(stack, version);
  F.acceptAgreement(stack, tenantOf(res1), { email: 'signer@reseller.example' });
  res = await api.get(`/api/v1/resellers/${mpnOf(res1)}/agreement-status`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.mpn_id, mpnOf(res1));
  assert.equal(res.json.signed, true);
  assert.equal(res.json.current_version, version);
  assert.equal(res.json.accepted_version, version);
  assert.equal(typeof res.json.accepted_at, 'number');
  res = await api.get(`/api/v1/resellers/${mpnOf(res2)}/agreement-status`);
  assert.deepEqual(res.json, { mpn_id: mpnOf(res2), current_version: version, signed: false, accepted_version: null, accepted_at: null });
  // Another provider's reseller, or an unknown MPN ID: 404 (audited), the same answer.
  problem(await api.get(`/api/v1/resellers/${mpnOf(stranger)}/agreement-status`), 404);
  problem(await api.get('/api/v1/resellers/999999999/agreement-status'), 404);
  assert.equal(F.auditCount(stack, { tenant_id: p.tenant, action: 'access', target: `reseller mpn ${mpnOf(stranger)}` }), 1);
  // A Billing admin may not see resellers; a reseller is not a provider.
  problem(await (await cred(p.tenant, ['billing_admin'])).get(`/api/v1/resellers/${mpnOf(res1)}/agreement-status`), 403);
  const resellerApi = await cred(tenantOf(res1));
  problem(await resellerApi.get(`/api/v1/resellers/${mpnOf(res2)}/agreement-status`), 403);
  // The reseller's side: its providers, and its own agreement standing.
  res = await resellerApi.get('/api/v1/providers');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((x) => x.organization_id), [p.tenant]);
  res = await resellerApi.get('/api/v1/agreement');
  assert.equal(res.json.signed, true);
  problem(await api.get('/api/v1/providers'), 403);
});
