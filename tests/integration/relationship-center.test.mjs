// relationship-center.test.mjs — the relationship center (issue 13), through nginx: /relationships lists
// every relationship of the organization — provider and reseller, partner and customer, delegated
// admin, on both sides — with the other organization, kind, state, since, expiry, roles and the
// actions that apply; filters by kind, state, expiring within N days and the other
// organization's name; sorts by the other organization or since; keyset pages that stay stable
// while relationships are added; /relationships.csv holds the whole filtered list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { errorsOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const DAY = 86400;

/** A delegated admin row written directly (the request/approve pages are tested elsewhere). */
function da(stack, { partner, customer, kind = 'customer', name, roles = 4, state = 'active', approvedAt = X.now() - DAY,
  expiresAt = X.now() + 100 * DAY, createdAt = X.now() - 2 * DAY }) {
  const active = state === 'active' || state === 'terminated';
  const ended = ['withdrawn', 'terminated', 'expired'].includes(state);
  return Number(db.exec(stack, `INSERT INTO delegated_admins(partner_tenant_id, customer_tenant_id, kind, name, roles,
      global_admin, duration_days, state, created_at, sent_at, request_expires_at, answered_at, approved_at, expires_at, ended_at)
      VALUES (?, ?, ?, ?, ?, 0, 100, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    partner, customer, kind, name, roles, state, createdAt, createdAt, createdAt + 90 * DAY,
    state === 'pending' ? null : approvedAt, active ? approvedAt : null, active ? expiresAt : null,
    ended ? X.now() - 60 : null)[0].id);
}

/** The rows of a /relationships page: [{ ref, other, kind, state, since, expires, roles, actions }]. */
function rowsOf(html) {
  const out = [];
  const cell = (tr, label) => {
    const m = new RegExp(`<td data-label="${label}">([\\s\\S]*?)</td>`).exec(tr);
    return m ? m[1] : null;
  };
  const text = (s) => s.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').trim();
  for (const m of html.matchAll(/<tr data-rel="([a-z]+-\d+)">([\s\S]*?)<\/tr>/g)) {
    const tr = m[2];
    out.push({ ref: m[1], other: text(cell(tr, 'Other organization')), kind: text(cell(tr, 'Kind')),
      state: /data-state="([a-z]+)"/.exec(tr)[1], since: text(cell(tr, 'Since')), expires: text(cell(tr, 'Expires')),
      roles: text(cell(tr, 'Roles')), actions: [...cell(tr, 'Actions').matchAll(/href="([^"]+)">([^<]+)</g)].map((a) => [a[1], a[2]]) });
  }
  return out;
}
/** RFC 4180 lines into arrays of cells. */
function csvRows(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
const nextOf = (html) => { const m = /<a href="([^"]+)" rel="next">/.exec(html); return m ? m[1].replace(/&amp;/g, '&') : null; };

/** Every row, following Next from path. */
async function allPages(client, path) {
  const seen = [];
  for (let p = path, i = 0; p && i < 100; i++) {
    const res = await client.get(p);
    assert.equal(res.status, 200, p);
    seen.push(...rowsOf(res.text));
    p = nextOf(res.text);
  }
  return seen;
}

/**
 * An organization M with both partner accounts and one relationship of every kind and side:
 * provider of two resellers, reseller of one provider, partner of a customer, customer of a
 * partner, delegated admin asked by it (active expiring in 10 days, pending) and of it
 * (active, terminated). Another organization's rows must never show.
 */
async function world(prefix) {
  const m = await F.relPartner(stack, { domain: `${prefix}-m.example`, org: `${prefix.toUpperCase()} Main GmbH` });
  const prov = X.partnerAccount(stack, { tenant: m.tenantId, type: 'indirect_provider' });
  const [r1, r2] = X.bulkPartners(stack, { prefix: `${prefix}-res`, names: [`${prefix} Alpha Resell`, `${prefix} Bravo 100% Resell`] });
  const [q] = X.bulkPartners(stack, { prefix: `${prefix}-prov`, names: [`${prefix} Charlie Distri`], type: 'indirect_provider' });
  const [o] = X.bulkPartners(stack, { prefix: `${prefix}-other`, names: [`${prefix} Delta Partner`] });
  const rel1 = X.relate(stack, prov, r1, { since: X.now() - 50 * DAY });
  const rel2 = X.relate(stack, prov, r2, { since: X.now() - 40 * DAY });
  db.exec(stack, "UPDATE provider_relationships SET status = 'ended', ended_at = ? WHERE id = ?", X.now() - DAY, rel2);
  const rel3 = X.relate(stack, q, m.accountId, { since: X.now() - 30 * DAY });
  const cust = X.newTenant(stack, { name: `${prefix} Echo Customer`, domain: `${prefix}-cust.example`, kind: 'customer' });
  X.customerRelationships(stack, cust, [m.accountId], { since: X.now() - 20 * DAY });
  X.customerRelationships(stack, m.tenantId, [o], { since: X.now() - 10 * DAY });
  const tenantOf = (acc) => Number(db.value(stack, 'SELECT tenant_id AS v FROM partner_accounts WHERE id = ?', acc));
  const da1 = da(stack, { partner: m.tenantId, customer: cust, name: 'Helpdesk soon', expiresAt: X.now() + 10 * DAY, approvedAt: X.now() - 5 * DAY });
  const da2 = da(stack, { partner: m.tenantId, customer: cust, name: 'Asked', state: 'pending', createdAt: X.now() - 3 * DAY });
  const da3 = da(stack, { partner: tenantOf(q), customer: m.tenantId, kind: 'reseller', name: 'Support long', roles: 8 | 2,
    expiresAt: X.now() + 200 * DAY, approvedAt: X.now() - 4 * DAY });
  const da4 = da(stack, { partner: tenantOf(q), customer: m.tenantId, kind: 'reseller', name: 'Old one', state: 'terminated',
    approvedAt: X.now() - 60 * DAY });
  // someone else's relationship with the same customer and provider: never on M's list
  const stranger = await F.relPartner(stack, { domain: `${prefix}-stranger.example`, org: `${prefix.toUpperCase()} Stranger` });
  X.customerRelationships(stack, cust, [stranger.accountId]);
  X.relate(stack, q, stranger.accountId);
  return { m, prov, r1, r2, q, o, cust, rel1, rel2, rel3, da1, da2, da3, da4 };
}

test('every relationship of the organization, of every kind and side, with its state, dates, roles and actions', async () => {
  const w = await world('rcall');
  const res = await w.m.client.get('/relationships');
  assert.equal(res.status, 200);
  assert.match(res.text, /<a href="\/relationships"[^>]*>Relationships<\/a>/, 'in the navigation');
  const rows = rowsOf(res.text);
  const by = Object.fromEntries(rows.map((r) => [r.ref, r]));
  assert.deepEqual(rows.map((r) => r.ref).sort(), [`pr-${w.rel1}`, `pr-${w.rel2}`, `pr-${w.rel3}`,
    ...db.rows(stack, 'SELECT id FROM customer_relationships WHERE customer_tenant_id = ? AND partner_id = ? OR customer_tenant_id = ?',
      w.cust, w.m.accountId, w.m.tenantId).map((r) => `cr-${r.id}`),
    `da-${w.da1}`, `da-${w.da2}`, `da-${w.da3}`, `da-${w.da4}`].sort());
  assert.equal(by[`pr-${w.rel1}`].other, 'rcall Alpha Resell');
  assert.match(by[`pr-${w.rel1}`].kind, /Provider and reseller: Your indirect reseller/);
  assert.equal(by[`pr-${w.rel2}`].state, 'ended');
  assert.match(by[`pr-${w.rel3}`].kind, /Your indirect provider/);
  assert.equal(by[`pr-${w.rel3}`].other, 'rcall Charlie Distri');
  const crMine = rows.find((r) => r.ref.startsWith('cr-') && r.other === 'rcall Echo Customer');
  assert.match(crMine.kind, /Partner and customer: Your customer/);
  // issue 13: every row links its relationship's timeline too
  assert.deepEqual(crMine.actions, [[`/customers/${w.cust}`, 'Open the customer'], [`/relationships/customer/${crMine.ref.slice(3)}`, 'Timeline']]);
  const crTheirs = rows.find((r) => r.ref.startsWith('cr-') && r.other === 'rcall Delta Partner');
  assert.match(crTheirs.kind, /Your partner/);
  const d1 = by[`da-${w.da1}`];
  assert.equal(d1.state, 'expiring');
  assert.match(d1.kind, /Delegated admin: Asked by you \(“Helpdesk soon”\)/);
  assert.match(d1.roles, /User admin/);
  assert.notEqual(d1.expires, '–');
  assert.deepEqual(d1.actions, [[`/delegated-admin/${w.da1}`, 'Open'], [`/delegated-admin/terminate/${w.da1}`, 'Terminate'],
    [`/relationships/delegated/${w.da1}`, 'Timeline']]);
  assert.deepEqual(by[`da-${w.da2}`].actions, [[`/delegated-admin/${w.da2}`, 'Resend or withdraw'], [`/relationships/delegated/${w.da2}`, 'Timeline']]);
  assert.equal(by[`da-${w.da2}`].state, 'pending');
  assert.equal(by[`da-${w.da3}`].state, 'active');
  assert.match(by[`da-${w.da3}`].kind, /Asked of you/);
  assert.equal(by[`da-${w.da4}`].state, 'terminated');
  assert.deepEqual(by[`da-${w.da4}`].actions, [[`/delegated-admin/${w.da4}`, 'Open'], [`/relationships/delegated/${w.da4}`, 'Timeline']]);
  assert.ok(!rows.some((r) => /Stranger/.test(r.other)), 'no other organization\'s relationship');
  // the stranger sees its own two, not M's
  const theirs = rowsOf((await (await F.relPartner(stack, { domain: 'rcall-x.example' })).client.get('/relationships')).text);
  assert.deepEqual(theirs, []);
});

test('filters: kind, state, expiring within N days, the other organization; bad values answered beside the field', async () => {
  const w = await world('rcfil');
  const refs = async (qs) => {
    const res = await w.m.client.get(`/relationships?${qs}`);
    assert.equal(res.status, 200, qs);
    return rowsOf(res.text).map((r) => r.ref).sort();
  };
  const kinds = (list) => [...new Set(list.map((r) => r.split('-')[0]))].sort();
  assert.deepEqual(kinds(await refs('kind=reseller')), ['pr']);
  assert.deepEqual(kinds(await refs('kind=customer')), ['cr']);
  assert.deepEqual(kinds(await refs('kind=delegated')), ['da']);
  assert.deepEqual(await refs('state=pending'), [`da-${w.da2}`]);
  assert.deepEqual(await refs('state=expiring'), [`da-${w.da1}`]);
  assert.deepEqual(await refs('state=terminated'), [`da-${w.da4}`]);
  assert.deepEqual(await refs('state=ended'), [`pr-${w.rel2}`]);
  const active = await refs('state=active');
  assert.ok(active.includes(`da-${w.da1}`) && active.includes(`da-${w.da3}`) && active.includes(`pr-${w.rel1}`));
  assert.ok(!active.includes(`pr-${w.rel2}`) && !active.includes(`da-${w.da2}`));
  assert.deepEqual(await refs('days=20'), [`da-${w.da1}`]);
  assert.deepEqual(await refs('days=365'), [`da-${w.da1}`, `da-${w.da3}`].sort());
  assert.deepEqual(await refs('days=365&kind=reseller'), []);
  assert.deepEqual(await refs('q=ALPHA'), [`pr-${w.rel1}`]);
  assert.deepEqual(await refs('q=100%25'), [`pr-${w.rel2}`], '% is a character, not a wildcard');
  assert.deepEqual(await refs('q=_'), []);
  assert.deepEqual(await refs('q=charlie&kind=delegated'), [`da-${w.da3}`, `da-${w.da4}`].sort());
  assert.deepEqual(await refs('q=charlie&kind=delegated&state=active'), [`da-${w.da3}`]);
  // a wrong number of days or a too long search: the form again, the message beside the field
  for (const [qs, field] of [['days=0', 'days'], ['days=731', 'days'], ['days=ten', 'days'], [`q=${'x'.repeat(101)}`, 'q']]) {
    const res = await w.m.client.get(`/relationships?${qs}`);
    assert.equal(res.status, 400, qs);
    assert.match(res.text, new RegExp(`id="f-${field}-error"`), qs);
    assert.ok(errorsOf(res.text).length > 0);
    assert.deepEqual(rowsOf(res.text), []);
  }
  // values no form sends
  for (const qs of ['kind=friends', 'state=happy', 'sort=roles', 'dir=up', 'after=9.1.x', 'after=1.x.y', 'sort=since&after=1.5.abc']) {
    assert.equal((await w.m.client.get(`/relationships?${qs}`)).status, 400, qs);
  }
});

test('sorted by the other organization or since, either way; the filter kept in the headers', async () => {
  const w = await world('rcsort');
  const list = async (qs) => rowsOf((await w.m.client.get(`/relationships?${qs}`)).text);
  const names = (await list('kind=reseller&sort=name&dir=asc')).map((r) => r.other);
  assert.deepEqual(names, ['rcsort Alpha Resell', 'rcsort Bravo 100% Resell', 'rcsort Charlie Distri']);
  assert.deepEqual((await list('kind=reseller&sort=name&dir=desc')).map((r) => r.other), [...names].reverse());
  const since = (await list('sort=since&dir=asc')).map((r) => r.ref);
  assert.equal(since[0], `da-${w.da4}`, 'the oldest (approved 60 days ago) first');
  assert.equal(since[1], `pr-${w.rel1}`);
  assert.deepEqual((await list('sort=since&dir=desc')).map((r) => r.ref), [...since].reverse());
  const res = await w.m.client.get('/relationships?kind=reseller&sort=since&dir=desc');
  assert.match(res.text, /aria-sort="descending"><a href="\/relationships\?kind=reseller&amp;sort=since&amp;dir=asc"/);
  assert.match(res.text, /<a href="\/relationships\?kind=reseller&amp;sort=name&amp;dir=asc"/);
});

test('keyset pages: every row once, and stable while relationships are added before the cursor', async () => {
  const m = await F.relPartner(stack, { domain: 'rcpage-m.example', org: 'RCPAGE Main' });
  const prov = X.partnerAccount(stack, { tenant: m.tenantId, type: 'indirect_provider' });
  const names = Array.from({ length: 60 }, (_, i) => `Pg ${String(i).padStart(3, '0')} Reseller`);
  const ids = X.bulkPartners(stack, { prefix: 'rcpage-r', names });
  X.relateMany(stack, ids.map((reseller, i) => ({ provider: prov, reseller, since: X.now() - (100 - i) * 60 })));
  for (const sort of ['name', 'since']) {
    for (const dir of ['asc', 'desc']) {
      const all = await allPages(m.client, `/relationships?sort=${sort}&dir=${dir}`);
      assert.equal(all.length, 60, `${sort} ${dir}`);
      assert.equal(new Set(all.map((r) => r.ref)).size, 60);
      const expect = sort === 'name' ? [...names] : [...names];
      if (dir === 'desc') expect.reverse();
      assert.deepEqual(all.map((r) => r.other), expect, `${sort} ${dir}`);
    }
  }
  // page 1, then rows that sort before the cursor are added: Next carries on where it was
  const first = await m.client.get('/relationships?sort=name&dir=asc');
  const page1 = rowsOf(first.text);
  assert.equal(page1.length, 25);
  const early = X.bulkPartners(stack, { prefix: 'rcpage-e', names: ['Pg 000a Early', 'Pg 000b Early'] });
  X.relateMany(stack, early.map((reseller) => ({ provider: prov, reseller })));
  const rest = await allPages(m.client, nextOf(first.text));
  assert.equal(rest.length, 35);
  assert.deepEqual([...page1, ...rest].map((r) => r.other), names);
  assert.ok(!rest.some((r) => page1.some((p) => p.ref === r.ref)));
  // the same under since: a newer relationship does not shift an ascending pager
  const s1 = await m.client.get('/relationships?sort=since&dir=asc');
  const late = X.bulkPartners(stack, { prefix: 'rcpage-l', names: ['Pg late'] });
  X.relate(stack, prov, late[0], { since: X.now() - 100 * 60 - 5 });
  const sRest = await allPages(m.client, nextOf(s1.text));
  assert.equal(rowsOf(s1.text).length + sRest.length, 62);
  assert.ok(!sRest.some((r) => r.other === 'Pg late'), 'the new oldest row is before the cursor');
});

test('CSV: every row of the filtered list in its order, read in batches', async () => {
  const m = await F.relPartner(stack, { domain: 'rccsv-m.example', org: 'RCCSV Main' });
  const prov = X.partnerAccount(stack, { tenant: m.tenantId, type: 'indirect_provider' });
  const names = Array.from({ length: 530 }, (_, i) => `Csv ${String(i).padStart(4, '0')}, "Ltd"`);
  const ids = X.bulkPartners(stack, { prefix: 'rccsv-r', names });
  X.relateMany(stack, ids.map((reseller) => ({ provider: prov, reseller })));
  const cust = X.newTenant(stack, { name: 'Csv Customer', domain: 'rccsv-c.example', kind: 'customer' });
  da(stack, { partner: m.tenantId, customer: cust, name: 'Csv grant', expiresAt: X.now() + 5 * DAY });
  const page = await m.client.get('/relationships?kind=reseller&sort=name&dir=desc');
  assert.match(page.text, /href="\/relationships\.csv\?kind=reseller&amp;sort=name&amp;dir=desc" download/);
  const res = await m.client.get('/relationships.csv?kind=reseller&sort=name&dir=desc');
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/csv/);
  assert.match(res.headers['content-disposition'], /attachment; filename="relationships.csv"/);
  const lines = csvRows(res.text);
  assert.deepEqual(lines[0], ['Other organization', 'Kind', 'They are', 'Name', 'State', 'Since', 'Expires', 'Roles']);
  assert.equal(lines.length, 531);
  assert.deepEqual(lines.slice(1).map((l) => l[0]), [...names].reverse());
  assert.deepEqual(lines[1].slice(1, 5), ['Provider and reseller', 'Your indirect reseller', '', 'Active']);
  assert.match(lines[1][5], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "ISO 8601 UTC");
  const dl = csvRows((await m.client.get('/relationships.csv?days=10')).text);
  assert.equal(dl.length, 2);
  assert.deepEqual(dl[1].slice(0, 5), ['Csv Customer', 'Delegated admin', 'Asked by you', 'Csv grant', 'Expiring']);
  assert.equal(dl[1][7], 'User admin');
  assert.equal((await m.client.get('/relationships.csv?days=0')).status, 400);
});

test('who may open it: Global admin, Account admin and Admin agent; others 403; signed out to sign-in', async () => {
  const m = await F.relPartner(stack, { domain: 'rcwho-m.example' });
  for (const [roles, status] of [[['account_admin'], 200], [['admin_agent'], 200], [['sales_agent'], 403], [['billing_admin'], 403], [[], 403]]) {
    const u = await F.relUser(stack, m, { email: `u${roles.join('') || 'none'}@rcwho-m.example`, roles });
    for (const path of ['/relationships', '/relationships.csv']) {
      assert.equal((await u.client.get(path)).status, status, `${roles} ${path}`);
    }
  }
});
