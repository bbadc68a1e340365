// api-relationships.test.mjs — the relationship center over the JSON API (issue 14), through
// nginx: GET /api/v1/relationships lists what /relationships lists (every kind, both sides)
// with the page's filters (kind, state, days, q), sort keys both ways, opaque keyset cursors
// that stay stable while relationships are added, a capped limit, 400 problem details for a
// wrong filter value, and the page's permission (DELEGATED_ADMIN_VIEW).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import * as F from '../lib/fixtures.mjs';
import { credClient, assertProblem } from '../lib/api.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const DAY = 86400;

const cred = (tenant, roles) => credClient(stack, tenant, roles);

const problem = assertProblem;

/** A delegated admin row written directly (the request/approve flows are tested elsewhere). */
function da({ partner, customer, kind = 'customer', name, roles = 4, state = 'active', approvedAt = F.now() - DAY,
  expiresAt = F.now() + 100 * DAY, createdAt = F.now() - 2 * DAY }) {
  const active = state === 'active' || state === 'terminated';
  const ended = ['withdrawn', 'terminated', 'expired'].includes(state);
  return Number(db.exec(stack, `INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles,
      global_admin, duration_days, state, created_at, sent_at, request_expires_at, answered_at, approved_at, expires_at, ended_at)
      VALUES (?, ?, ?, ?, ?, 0, 100, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    partner, customer, kind, name, roles, state, createdAt, createdAt, createdAt + 90 * DAY,
    state === 'pending' ? null : approvedAt, active ? approvedAt : null, active ? expiresAt : null,
    ended ? F.now() - 60 : null)[0].id);
}

/** M with one relationship of every kind and side (as relationship-center.test.mjs's world). */
async function world(prefix) {
  const m = await R.relPartner(stack, { domain: `${prefix}-m.example`, org: `${prefix.toUpperCase()} Main GmbH` });
  const prov = F.partnerAccount(stack, { tenant: m.tenantId, type: 'indirect_provider' });
  const [r1, r2] = F.bulkPartners(stack, { prefix: `${prefix}-res`, names: [`${prefix} Alpha Resell`, `${prefix} Bravo 100% Resell`] });
  const [q] = F.bulkPartners(stack, { prefix: `${prefix}-prov`, names: [`${prefix} Charlie Distri`], type: 'indirect_provider' });
  const rel1 = F.relate(stack, prov, r1, { since: F.now() - 50 * DAY });
  const rel2 = F.relate(stack, prov, r2, { since: F.now() - 40 * DAY });
  db.exec(stack, "UPDATE provider_relationships SET status = 'ended', ended_at = ? WHERE id = ?", F.now() - DAY, rel2);
  const rel3 = F.relate(stack, q, m.accountId, { since: F.now() - 30 * DAY });
  const cust = F.newTenant(stack, { name: `${prefix} Echo Customer`, domain: `${prefix}-cust.example`, kind: 'customer' });
  F.customerRelationships(stack, cust, [m.accountId], { since: F.now() - 20 * DAY });
  const tenantOf = (acc) => Number(db.value(stack, 'SELECT tenant_id AS v FROM partner_accounts WHERE id = ?', acc));
  const da1 = da({ partner: m.tenantId, customer: cust, name: 'Helpdesk soon', expiresAt: F.now() + 10 * DAY, approvedAt: F.now() - 5 * DAY });
  const da2 = da({ partner: m.tenantId, customer: cust, name: 'Asked', state: 'pending', createdAt: F.now() - 3 * DAY });
  const da3 = da({ partner: tenantOf(q), customer: m.tenantId, kind: 'reseller', name: 'Support long', roles: 8 | 2,
    expiresAt: F.now() + 200 * DAY, approvedAt: F.now() - 4 * DAY });
  const stranger = await R.relPartner(stack, { domain: `${prefix}-stranger.example`, org: `${prefix.toUpperCase()} Stranger` });
  F.customerRelationships(stack, cust, [stranger.accountId]);
  F.relate(stack, q, stranger.accountId);
  const cr = Number(db.value(stack, 'SELECT id FROM customer_relationships WHERE customer_tenant_id = ? AND partner_id = ?', cust, m.accountId));
  return { m, prov, q, cust, rel1, rel2, rel3, cr, da1, da2, da3, stranger, qTenant: tenantOf(q) };
}

const refs = (res) => res.json.items.map((i) => i.ref);

test('the list: every kind and side as the page shows it, with state, dates, roles; another organization\'s never', async () => {
  const w = await world('arall');
  const api = await cred(w.m.tenantId, ['admin_agent']);
  const res = await api.get('/api/v1/relationships');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.deepEqual(refs(res).sort(), [`pr-${w.rel1}`, `pr-${w.rel2}`, `pr-${w.rel3}`, `cr-${w.cr}`,
    `da-${w.da1}`, `da-${w.da2}`, `da-${w.da3}`].sort());
  assert.equal(res.json.next_cursor, null);
  // sorted by the other organization's name by default
  assert.deepEqual(res.json.items.map((i) => i.other_organization.name),
    [...res.json.items.map((i) => i.other_organization.name)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  const by = Object.fromEntries(res.json.items.map((i) => [i.ref, i]));
  assert.deepEqual(by[`pr-${w.rel1}`], { kind: 'reseller', id: w.rel1, ref: `pr-${w.rel1}`,
    other_organization: { id: by[`pr-${w.rel1}`].other_organization.id, name: 'arall Alpha Resell', is: 'reseller' },
    name: null, state: 'active', since: by[`pr-${w.rel1}`].since, expires_at: null, roles: [] });
  assert.equal(by[`pr-${w.rel2}`].state, 'ended');
  assert.equal(by[`pr-${w.rel3}`].other_organization.is, 'provider');
  assert.equal(by[`pr-${w.rel3}`].other_organization.id, w.qTenant);
  assert.deepEqual([by[`cr-${w.cr}`].kind, by[`cr-${w.cr}`].other_organization], ['customer', { id: w.cust, name: 'arall Echo Customer', is: 'customer' }]);
  const d1 = by[`da-${w.da1}`];
  assert.deepEqual([d1.kind, d1.name, d1.state, d1.roles, d1.other_organization.is], ['delegated', 'Helpdesk soon', 'expiring', ['user_admin'], 'granting']);
  assert.ok(d1.expires_at > F.now() + 9 * DAY && d1.expires_at < F.now() + 11 * DAY);
  assert.equal(by[`da-${w.da2}`].state, 'pending');
  assert.deepEqual([by[`da-${w.da3}`].other_organization.is, by[`da-${w.da3}`].roles], ['requesting', ['account_admin', 'admin_agent']]);
  // the stranger's credential sees only its own two
  const theirs = await (await cred(w.stranger.tenantId)).get('/api/v1/relationships');
  assert.equal(theirs.status, 200);
  assert.equal(theirs.json.items.length, 2);
  assert.ok(!theirs.json.items.some((i) => i.other_organization.name.includes('Main GmbH')));
  // the page's permission: a Sales agent's or Helpdesk agent's credential is refused (audited)
  for (const role of ['sales_agent', 'helpdesk_agent']) problem(await (await cred(w.m.tenantId, [role])).get('/api/v1/relationships'), 403);
  assert.ok(F.auditCount(stack, { tenant_id: w.m.tenantId, action: 'access', target: 'API_RELATIONSHIPS', outcome: 'refused' }) >= 2);
});

test('filters as the page: kind, state, expiring within N days, the other organization; wrong values are 400 problems', async () => {
  const w = await world('arfil');
  const api = await cred(w.m.tenantId);
  const list = async (qs) => {
    const res = await api.get(`/api/v1/relationships?${qs}`);
    assert.equal(res.status, 200, `${qs}: ${res.text}`);
    return refs(res).sort();
  };
  const kinds = (l) => [...new Set(l.map((r) => r.split('-')[0]))].sort();
  assert.deepEqual(kinds(await list('kind=reseller')), ['pr']);
  assert.deepEqual(kinds(await list('kind=customer')), ['cr']);
  assert.deepEqual(kinds(await list('kind=delegated')), ['da']);
  assert.deepEqual(await list('state=pending'), [`da-${w.da2}`]);
  assert.deepEqual(await list('state=expiring'), [`da-${w.da1}`]);
  assert.deepEqual(await list('state=ended'), [`pr-${w.rel2}`]);
  assert.deepEqual(await list('days=20'), [`da-${w.da1}`]);
  assert.deepEqual(await list('days=365'), [`da-${w.da1}`, `da-${w.da3}`].sort());
  assert.deepEqual(await list('q=ALPHA'), [`pr-${w.rel1}`]);
  assert.deepEqual(await list('q=100%25'), [`pr-${w.rel2}`], '% is a character, not a wildcard');
  assert.deepEqual(await list('q=charlie&kind=delegated&state=active'), [`da-${w.da3}`]);
  for (const [qs, detail] of [['kind=friends', /kind must be one of/], ['state=happy', /state one of/],
    ['days=0', /days: .*1 to 730/], ['days=731', /days:/], ['days=ten', /days:/], [`q=${'x'.repeat(101)}`, /q: .*100 characters/],
    ['sort=roles', /sort/], ['sort=-roles', /sort/], ['limit=0', /limit/], ['limit=201', /limit must be a number from 1 to 200/],
    ['cursor=bm9wZQ', /cursor/], ['cursor=!!', /cursor/]]) {
    problem(await api.get(`/api/v1/relationships?${qs}`), 400, detail);
  }
});

test('sorted by name or since either way; opaque keyset pages with a capped limit, stable while relationships are added', async () => {
  const w = await world('arpage');
  const api = await cred(w.m.tenantId);
  const names = (res) => res.json.items.map((i) => i.other_organization.name);
  const asc = await api.get('/api/v1/relationships?kind=reseller&sort=name');
  assert.deepEqual(names(asc), ['arpage Alpha Resell', 'arpage Bravo 100% Resell', 'arpage Charlie Distri']);
  assert.deepEqual(names(await api.get('/api/v1/relationships?kind=reseller&sort=-name')), [...names(asc)].reverse());
  const since = refs(await api.get('/api/v1/relationships?sort=since'));
  assert.equal(since[0], `pr-${w.rel1}`, 'the oldest first');
  assert.deepEqual(refs(await api.get('/api/v1/relationships?sort=-since')), [...since].reverse());

  // 30 more resellers of M, then pages of 7 by name: every row once, in order, while 10 more are added between pages
  const extra = F.bulkPartners(stack, { prefix: 'arpage-more', names: Array.from({ length: 30 }, (_, i) => `arpage M${String(i).padStart(2, '0')} Resell`) });
  for (const r of extra) F.relate(stack, w.prov, r, { since: F.now() - DAY });
  const before = (await api.get('/api/v1/relationships?kind=reseller&limit=200')).json.items.map((i) => i.ref);
  assert.equal(before.length, 33);
  const seen = [];
  let cursor = null, pages = 0;
  do {
    const res = await api.get(`/api/v1/relationships?kind=reseller&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.items.length <= 7);
    seen.push(...res.json.items.map((i) => i.ref));
    cursor = res.json.next_cursor;
    if (pages === 1) {
      // added meanwhile: names before and after the cursor; none repeats or shifts a row
      const more = F.bulkPartners(stack, { prefix: 'arpage-late', names: Array.from({ length: 10 }, (_, i) => `arpage ${i < 5 ? 'A' : 'Z'}${i} Late`) });
      for (const r of more) F.relate(stack, w.prov, r);
    }
    pages++;
  } while (cursor && pages < 20);
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
  for (const ref of before) assert.ok(seen.includes(ref), `${ref} is on a page`);
  assert.deepEqual(seen.filter((r) => before.includes(r)), before, 'in the order of the list');
  // a cursor is for its sort: another sort's cursor is refused
  const first = await api.get('/api/v1/relationships?kind=reseller&limit=2&sort=since');
  assert.ok(first.json.next_cursor);
  problem(await api.get(`/api/v1/relationships?kind=reseller&limit=2&sort=name&cursor=${first.json.next_cursor}`), 400, /cursor/);
  const second = await api.get(`/api/v1/relationships?kind=reseller&limit=2&sort=since&cursor=${first.json.next_cursor}`);
  assert.equal(second.status, 200);
  assert.ok(!refs(second).some((r) => refs(first).includes(r)));
});
