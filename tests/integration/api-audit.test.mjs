// api-audit.test.mjs — the audit log through the JSON API (issue 14), through real nginx:
// newest first a page at a time by a cursor that does not shift while entries are written,
// the filters of Settings → Audit log (actor, action, a date range, refused attempts only
// when asked), Global admins only, and only the organization's own entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client } from '../lib/http.mjs';
import { credClient } from '../lib/api.mjs';
import * as db from '../lib/db.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const cred = (tenant, roles) => credClient(stack, tenant, roles);

function problem(res, status) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/problem+json');
}

let serial = 0;
async function org() {
  const domain = `apiaudit${++serial}.example`;
  const ga = new Client(stack.base);
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: `Audit Org ${serial}` });
  return { ga, tenant: F.tenantId(stack, domain), domain };
}

const DAY = 86400, JAN1 = 1704067200;	// 2024-01-01T00:00:00Z

test('audit log: newest first by cursor while entries are written; actor, action, dates, refusals only when asked', async () => {
  const a = await org();
  const b = await org();
  // Ten entries over five days of January 2024 (two a day), one of them refused.
  F.auditEntries(stack, a.tenant, Array.from({ length: 10 }, (_, i) => ({
    at: JAN1 + Math.floor(i / 2) * DAY + i, actor: i % 2 ? 'bo@x.example' : 'cy@x.example',
    action: i % 3 ? 'user.add' : 'user.delete', target: `t${i}`, outcome: i === 4 ? 'refused' : 'ok' })));
  F.auditEntries(stack, b.tenant, [{ at: JAN1 + 1, actor: 'b@b.example', action: 'user.add', target: 'b-only' }]);
  const api = await cred(a.tenant);
  const jan = 'from=2024-01-01&to=2024-01-31';

  // Refused attempts are left out unless asked for, as on the page.
  let res = await api.get(`/api/v1/audit?${jan}&limit=200`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((e) => e.target), ['t9', 't8', 't7', 't6', 't5', 't3', 't2', 't1', 't0']);
  assert.deepEqual(Object.keys(res.json.items[0]).sort(), ['action', 'actor', 'at', 'detail', 'id', 'ip', 'outcome', 'sentence', 'target']);
  assert.equal(res.json.items[0].at, JAN1 + 4 * DAY + 9);
  res = await api.get(`/api/v1/audit?${jan}&refused=show&limit=200`);
  assert.equal(res.json.items.length, 10);
  assert.equal(res.json.items.find((e) => e.target === 't4').outcome, 'refused');

  // Three at a time; entries written meanwhile (newer) never shift the older pages.
  const seen = [];
  let cursor = null;
  do {
    res = await api.get(`/api/v1/audit?${jan}&refused=show&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.items.map((e) => e.target));
    cursor = res.json.next_cursor;
    F.auditEntries(stack, a.tenant, [{ at: JAN1 + 10 * DAY, actor: 'late@x.example', action: 'user.add', target: `late${seen.length}` }]);
  } while (cursor);
  assert.deepEqual(seen, ['t9', 't8', 't7', 't6', 't5', 't4', 't3', 't2', 't1', 't0']);

  // Actor, action, and the days from..to (both included).
  res = await api.get(`/api/v1/audit?${jan}&actor=bo@x.example&action=user.add`);
  assert.deepEqual(res.json.items.map((e) => e.target), ['t7', 't5', 't1']);
  res = await api.get('/api/v1/audit?from=2024-01-02&to=2024-01-03');
  assert.deepEqual(res.json.items.map((e) => e.target), ['t5', 't3', 't2']);
  problem(await api.get('/api/v1/audit?from=yesterday'), 400);
  problem(await api.get('/api/v1/audit?from=2024-01-03&to=2024-01-02'), 400);
  problem(await api.get('/api/v1/audit?refused=maybe'), 400);
  problem(await api.get('/api/v1/audit?sort=id'), 400);
  // Only this organization's entries; only Global admins (AUDIT_VIEW).
  assert.ok(!JSON.stringify((await api.get('/api/v1/audit?limit=200&refused=show')).json).includes('b-only'));
  problem(await (await cred(a.tenant, ['account_admin'])).get('/api/v1/audit'), 403);
  assert.deepEqual((await (await cred(b.tenant)).get(`/api/v1/audit?${jan}`)).json.items.map((e) => e.target), ['b-only']);
});

/** A delegated admin relationship of partner with organization (as the request and answer pages write them). */
function da(partner, customer, { name, state = 'pending', expiresAt = null, roles = 4 }) {
  const at = F.now();
  return Number(db.exec(stack, `INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles, duration_days,
    state, created_at, sent_at, request_expires_at, approved_at, expires_at) VALUES (?, ?, 'customer', ?, ?, 30, ?, ?, ?, ?, ?, ?) RETURNING id`,
  partner, customer, name, roles, state, at, at, at + 90 * DAY, state === 'pending' ? null : at, expiresAt)[0].id);
}

test('delegated admin relationships, read-only: both sides, newest first by cursor, state now, roles, expiry; roles and other organizations refused', async () => {
  const p = await org();
  const c = await org();
  const x = await org();
  const pending = da(p.tenant, c.tenant, { name: 'Asked' });
  const active = da(p.tenant, c.tenant, { name: 'Granted', state: 'active', expiresAt: F.now() + 30 * DAY, roles: 4 | 8 });
  const lapsed = da(p.tenant, c.tenant, { name: 'Lapsed', state: 'active', expiresAt: F.now() - 10 });
  const foreign = da(x.tenant, c.tenant, { name: 'Not yours' });
  const api = await cred(p.tenant, ['admin_agent']);

  let res = await api.get('/api/v1/delegated-admin?limit=2');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((d) => [d.name, d.state]), [['Lapsed', 'expired'], ['Granted', 'active']]);
  const granted = res.json.items[1];
  assert.equal(granted.id, active);
  assert.deepEqual(granted.roles, ['user_admin', 'admin_agent']);
  assert.equal(granted.side, 'partner');
  assert.deepEqual(granted.organization, { id: c.tenant, name: F.tenant(stack, c.domain).name, kind: 'customer' });
  assert.equal(typeof granted.expires_at, 'number');
  // A request made meanwhile (newer) does not shift the next page.
  da(p.tenant, c.tenant, { name: 'Later' });
  res = await api.get(`/api/v1/delegated-admin?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((d) => [d.name, d.state, d.expires_at]), [['Asked', 'pending', null]]);
  assert.equal(res.json.next_cursor, null);

  // One of them; the granting side sees the same relationship (and the other partner's too).
  res = await api.get(`/api/v1/delegated-admin/${pending}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.state, 'pending');
  const cApi = await cred(c.tenant);
  res = await cApi.get(`/api/v1/delegated-admin/${lapsed}`);
  assert.equal(res.json.side, 'granting');
  assert.equal(res.json.partner.id, p.tenant);
  assert.deepEqual((await cApi.get('/api/v1/delegated-admin')).json.items.map((d) => d.name), ['Later', 'Not yours', 'Lapsed', 'Granted', 'Asked']);
  // Another organization's relationship: 404, audited. A Sales agent does not see them (DELEGATED_ADMIN_VIEW).
  problem(await api.get(`/api/v1/delegated-admin/${foreign}`), 404);
  assert.equal(F.auditCount(stack, { tenant_id: p.tenant, action: 'access', target: `delegated admin relationship ${foreign}`, outcome: 'refused' }), 1);
  problem(await (await cred(p.tenant, ['sales_agent'])).get('/api/v1/delegated-admin'), 403);
  assert.deepEqual((await (await cred(x.tenant)).get('/api/v1/delegated-admin')).json.items.map((d) => d.name), ['Not yours']);
});
