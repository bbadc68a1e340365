// api-audit.test.mjs — the audit log through the JSON API (issue 14), through real nginx:
// newest first a page at a time by a cursor that does not shift while entries are written,
// the filters of Settings → Audit log (actor, action, a date range, refused attempts only
// when asked), Global admins only, and only the organization's own entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client } from '../lib/http.mjs';
import { apiClient } from '../lib/api.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

async function cred(tenant, roles = ['global_admin']) {
  const c = await F.apiCredential(stack, { tenant, roles });
  return Object.assign(apiClient(stack.base, c.secret), { id: c.id, name: c.name });
}

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
