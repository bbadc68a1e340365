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
import { Client, errorsOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';
import * as C from '../lib/fixtures-customers.mjs';

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
  for (const m of html.matchAll(/<tr data-rel="([a-z]+-\d+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
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

test('pending invitations are rows: sent by it and sent to it, Sent then Opened, with expiry, actions, filters, pages and CSV', async () => {
  const w = await C.custPair(stack, { prefix: 'rcinv', country: 'DE', resellerCountry: 'DE' });
  // an organization at whose domain an invitation arrives: an approved reseller, not yet related
  const t = await F.relPartner(stack, { domain: 'rcinv-t.example', org: 'RCINV Target Resell' });
  const toNew = await F.relInvite(stack, w.provider, 'someone@rcinv-new.example');
  const toT = await F.relInvite(stack, w.provider, 'boss@rcinv-t.example');
  const cinv = await C.custInvite(stack, w, 'ga@rcinv-cust.example');
  const cust = await C.custOrg(stack, { domain: 'rcinv-cust.example', org: 'RCINV Customer AG', email: 'other@rcinv-cust.example' });
  // not rows: a revoked one, an expired one, an accepted one
  const revoked = await F.relInvite(stack, w.provider, 'gone@rcinv-new.example');
  assert.equal((await w.provider.client.submit(`/resellers/invitations/revoke/${revoked.id}`, {})).status, 303);
  const expired = await F.relInvite(stack, w.provider, 'late@rcinv-new.example');
  X.setResellerInvitationExpiry(stack, expired.id, X.now() - 60);

  const rows = async (client, qs = '') => rowsOf((await client.get(`/relationships${qs}`)).text);
  const prov = await rows(w.provider.client);
  const ri = prov.filter((r) => r.ref.startsWith('ri-'));
  assert.deepEqual(ri.map((r) => r.ref).sort(), [`ri-${toNew.id}`, `ri-${toT.id}`].sort(), 'only the open ones');
  const rNew = ri.find((r) => r.ref === `ri-${toNew.id}`);
  assert.equal(rNew.other, 'someone@rcinv-new.example');
  assert.match(rNew.kind, /^Reseller invitation: Sent by you$/);
  assert.equal(rNew.state, 'sent');
  assert.notEqual(rNew.expires, '–');
  assert.deepEqual(rNew.actions, [[`/resellers/invitations/resend/${toNew.id}`, 'Resend'],
    [`/resellers/invitations/revoke/${toNew.id}`, 'Revoke']]);
  // the address's organization sees it too, from the provider, without the sender's actions
  let theirs = (await rows(t.client)).filter((r) => r.ref.startsWith('ri-'));
  assert.deepEqual(theirs.map((r) => r.ref), [`ri-${toT.id}`]);
  assert.equal(theirs[0].other, 'RCINV Distribution');
  assert.match(theirs[0].kind, /Reseller invitation: Sent to you/);
  assert.equal(theirs[0].state, 'sent');
  assert.deepEqual(theirs[0].actions, []);
  // opened: both sides say so
  await F.relOpen(t.client, toT.link);
  theirs = (await rows(t.client, '?kind=invitation')).filter((r) => r.ref.startsWith('ri-'));
  assert.equal(theirs[0].state, 'opened');
  assert.equal((await rows(w.provider.client, '?state=opened')).map((r) => r.ref).join(), `ri-${toT.id}`);
  // a customer invitation: the reseller sent it (Revoke; no resend for customer invitations), the customer's organization got it
  const res = (await rows(w.reseller.client)).filter((r) => r.ref.startsWith('ci-'));
  assert.deepEqual(res.map((r) => [r.ref, r.other, r.kind, r.state]), [[`ci-${cinv.id}`, 'ga@rcinv-cust.example',
    'Customer invitation: Sent by you', 'sent']]);
  assert.deepEqual(res[0].actions, [[`/providers/customer-invitations/revoke/${cinv.id}`, 'Revoke']]);
  const got = (await rows(cust.client)).filter((r) => r.ref.startsWith('ci-'));
  assert.deepEqual(got.map((r) => [r.ref, r.other, r.kind]), [[`ci-${cinv.id}`, 'RCINV Reselling', 'Customer invitation: Sent to you']]);
  // the provider through whom it was sent does not see the reseller's invitation as its own
  assert.ok(!prov.some((r) => r.ref.startsWith('ci-')));
  // filters: kind, state, expiring within N days, search (the address or the sender's name)
  const refs = async (client, qs) => (await rows(client, `?${qs}`)).map((r) => r.ref).sort();
  assert.deepEqual(await refs(w.provider.client, 'kind=invitation'), [`ri-${toNew.id}`, `ri-${toT.id}`].sort());
  assert.deepEqual(await refs(w.provider.client, 'state=sent'), [`ri-${toNew.id}`]);
  assert.deepEqual(await refs(w.provider.client, 'kind=invitation&q=RCINV-NEW'), [`ri-${toNew.id}`]);
  assert.deepEqual(await refs(t.client, 'q=distribution&kind=invitation'), [`ri-${toT.id}`]);
  assert.deepEqual(await refs(w.provider.client, 'days=10'), []);
  X.setResellerInvitationExpiry(stack, toNew.id, X.now() + 5 * DAY);
  assert.deepEqual(await refs(w.provider.client, 'days=10'), [`ri-${toNew.id}`]);
  assert.deepEqual(await refs(w.provider.client, 'days=10&kind=reseller'), []);
  // CSV: the same rows
  const csv = csvRows((await w.provider.client.get('/relationships.csv?kind=invitation&sort=name')).text);
  assert.deepEqual(csv.slice(1).map((l) => l.slice(0, 5)), [
    ['boss@rcinv-t.example', 'Reseller invitation', 'Sent by you', '', 'Opened'],
    ['someone@rcinv-new.example', 'Reseller invitation', 'Sent by you', '', 'Sent']]);
  assert.match(csv[1][6], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'the expiry');
  // revoked from the row's action: no longer a row
  assert.equal((await w.provider.client.submit(`/resellers/invitations/revoke/${toNew.id}`, {})).status, 303);
  assert.deepEqual(await refs(w.provider.client, 'kind=invitation'), [`ri-${toT.id}`]);
  // keyset pages across invitation rows: each once, in order
  const ins = [];
  for (let i = 0; i < 30; i++) {
    ins.push(Number(db.exec(stack, `INSERT INTO reseller_invitations(provider_id, email, created_at, sent_at, expires_at)
      VALUES (?, ?, ?, ?, ?) RETURNING id`, w.provider.accountId, `p${String(i).padStart(2, '0')}@rcinv-bulk.example`,
      X.now() - i, X.now() - i, X.now() + 20 * DAY)[0].id));
  }
  for (const qs of ['kind=invitation&sort=name&dir=asc', 'kind=invitation&sort=since&dir=desc']) {
    const all = (await allPages(w.provider.client, `/relationships?${qs}`)).filter((r) => r.ref.startsWith('ri-'));
    assert.equal(all.length, 31, qs);
    assert.equal(new Set(all.map((r) => r.ref)).size, 31, qs);
  }
});

test('the lists show administrator access as the Relationships page computes it: active until, expiring, none — not the stored flag', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rcst-p.example', org: 'RCST Provider' });
  const one = await F.relPartner(stack, { domain: 'rcst-one.example', org: 'RCST One' });
  const [r2, r3] = X.bulkPartners(stack, { prefix: 'rcst-r', names: ['RCST Two', 'RCST Three'] });
  const r1 = one.accountId;
  const tenantOf = (acc) => Number(db.value(stack, 'SELECT tenant_id AS v FROM partner_accounts WHERE id = ?', acc));
  for (const r of [r1, r2, r3]) X.relate(stack, p.accountId, r);
  const soon = X.now() + 10 * DAY, later = X.now() + 200 * DAY;
  const g1 = da(stack, { partner: p.tenantId, customer: tenantOf(r1), kind: 'reseller', name: 'Admin soon', expiresAt: soon });
  da(stack, { partner: p.tenantId, customer: tenantOf(r2), kind: 'reseller', name: 'Admin later', expiresAt: later });
  da(stack, { partner: p.tenantId, customer: tenantOf(r3), kind: 'reseller', name: 'Admin gone', state: 'terminated' });
  const cust = X.newTenant(stack, { name: 'RCST Customer', domain: 'rcst-c.example', kind: 'customer' });
  X.customerRelationships(stack, cust, [p.accountId]);
  da(stack, { partner: p.tenantId, customer: cust, name: 'Cust soon', expiresAt: soon });
  const day = (t) => new Date(t * 1000).toUTCString().slice(5, 16);
  const cellOf = (html, name, label) => {
    const m = new RegExp(`>${name}(?:</a>)?</td>[\\s\\S]*?<td data-label="${label}">([\\s\\S]*?)</td>`).exec(html);
    assert.ok(m, name);
    return { text: m[1].replace(/<[^>]+>/g, '').trim(), state: (/data-state="([a-z]+)"/.exec(m[1]) ?? [])[1] };
  };
  const res = (await p.client.get('/resellers')).text;
  assert.deepEqual(cellOf(res, 'RCST One', 'Administrator access'), { text: `Expiring ${day(soon)}`, state: 'expiring' });
  assert.deepEqual(cellOf(res, 'RCST Two', 'Administrator access'), { text: `Active until ${day(later)}`, state: 'active' });
  assert.deepEqual(cellOf(res, 'RCST Three', 'Administrator access'), { text: 'None', state: 'none' }, 'the stored flag says yes; no grant is live');
  const cl = (await p.client.get('/customers')).text;
  assert.deepEqual(cellOf(cl, 'RCST Customer', 'Delegated administration'), { text: `Expiring ${day(soon)}`, state: 'expiring' });
  // the reseller's Indirect providers list: the same grant, from the other side
  const pl = (await one.client.get('/providers')).text;
  assert.deepEqual(cellOf(pl, 'RCST Provider', 'Administrator access'), { text: `Expiring ${day(soon)} · Remove administrator access`,
    state: 'expiring' });
  // and the Relationships page says the same of the grant
  const rows = rowsOf((await p.client.get('/relationships?kind=delegated')).text);
  assert.equal(rows.find((r) => r.ref === `da-${g1}`).state, 'expiring');
});

/** The rows of a bulk confirmation or outcome page: [{ ref, ok, text }]. */
function bulkRows(html) {
  return [...html.matchAll(/<tr data-rel="((?:da|ri)-\d+)" data-ok="(yes|no)">([\s\S]*?)<\/tr>/g)]
    .map((m) => ({ ref: m[1], ok: m[2] === 'yes', text: m[3].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/&#39;|&#x27;/g, "'").trim() }));
}
const itemsOf = (html) => [...html.matchAll(/name="item\[\]" value="([^"]+)"/g)].map((m) => m[1]);
const sel = (...refs) => refs.map((r) => `sel[]=${r}`).join('&');

test('bulk Extend emails both organizations (the partner\'s users who ask, the customer\'s Global admins), each in their language', async () => {
  const cust = await C.custOrg(stack, { domain: 'rcx-c.example', org: 'RCX Customer' });
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rcx-p.example', org: 'RCX Provider' });
  X.customerRelationships(stack, cust.tenantId, [p.accountId]);
  const end = X.now() + 100 * DAY;
  const g = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Mail me', expiresAt: end });
  db.exec(stack, "UPDATE users SET lang = 'pl' WHERE email = ?", p.email);
  const before = messages(stack.mailDir).length;
  const conf = await cust.client.get(`/relationships/bulk/extend?${sel(`da-${g}`)}`);
  assert.equal(conf.status, 200);
  const done = await cust.client.post('/relationships/bulk/extend', { csrf: csrfOf(conf.text), 'item[]': itemsOf(conf.text) });
  assert.equal(done.status, 200);
  assert.ok(bulkRows(done.text)[0].ok);
  const toCust = await waitForMail(stack.mailDir, { to: cust.email, after: before });
  assert.equal(toCust.subject, "Delegated admin 'Mail me' between RCX Provider and RCX Customer was extended");
  assert.match(toCust.body, /Ana Admin \(admin@rcx-c\.example\) of RCX Customer extended the delegated\s+administration named 'Mail me'/);
  assert.match(toCust.body, new RegExp(`/delegated-admin/${g}$`, 'm'));
  const toP = await waitForMail(stack.mailDir, { to: p.email, after: before });
  assert.equal(toP.subject, "Administrator delegowany 'Mail me' między RCX Provider a RCX Customer został przedłużony");
  assert.match(toP.body, /przedłużył/);
  assert.equal(messages(stack.mailDir).length - before, 2, 'one each');
});

test('bulk actions: a confirmation says what will change and what is refused before anything is written; each row on its own, a changed row refused, the others done, each audited', async () => {
  const cust = await C.custOrg(stack, { domain: 'rcb-c.example', org: 'RCB Customer' });
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rcb-p.example', org: 'RCB Provider' });
  X.customerRelationships(stack, cust.tenantId, [p.accountId]);
  const end = X.now() + 100 * DAY;
  const g1 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Bulk one', expiresAt: end });
  const g2 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Bulk two', expiresAt: end });
  const g3 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Bulk global', expiresAt: end });
  db.exec(stack, 'UPDATE delegated_admins SET global_admin = 1, roles = 5 WHERE id = ?', g3);
  const g4 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Bulk ask', state: 'pending', createdAt: X.now() - 3 * DAY });
  const other = await F.relPartner(stack, { domain: 'rcb-o.example', org: 'RCB Other' });
  const gS = da(stack, { partner: other.tenantId, customer: X.newTenant(stack, { name: 'RCB Elsewhere', domain: 'rcb-e.example', kind: 'customer' }),
    name: 'Not yours', expiresAt: end });

  // the list offers the rows to tick and the three actions
  const list = (await cust.client.get('/relationships')).text;
  for (const g of [g1, g2, g3, g4]) assert.match(list, new RegExp(`name="sel\\[\\]" value="da-${g}"`));
  assert.match(list, /formaction="\/relationships\/bulk\/extend"/);
  // Extend: the confirmation, nothing written
  const snapshot = () => db.rows(stack, 'SELECT id, state, expires_at, request_expires_at, sent_at FROM delegated_admins WHERE id IN (?, ?, ?, ?, ?) ORDER BY id', g1, g2, g3, g4, gS);
  const before = snapshot();
  const conf = await cust.client.get(`/relationships/bulk/extend?${sel(`da-${g1}`, `da-${g2}`, `da-${g3}`, `da-${g4}`, `da-${gS}`)}`);
  assert.equal(conf.status, 200);
  const c = Object.fromEntries(bulkRows(conf.text).map((r) => [r.ref, r]));
  const day = (t) => new Date(t * 1000).toUTCString().slice(5, 16);
  assert.ok(c[`da-${g1}`].ok && c[`da-${g2}`].ok);
  assert.match(c[`da-${g1}`].text, new RegExp(`Ends ${day(end + 182 * DAY)} instead of ${day(end)}`));
  assert.match(c[`da-${g3}`].text, /Refused .*includes Global admin/);
  assert.match(c[`da-${g4}`].text, /Refused .*not active/);
  assert.match(c[`da-${gS}`].text, /Refused .*not one of your organization's relationships/);
  assert.doesNotMatch(conf.text, /RCB Elsewhere|RCB Other/, 'nothing about another organization\'s relationship');
  assert.equal(itemsOf(conf.text).length, 2);
  assert.match(conf.text, /Extend 2 rows/);
  assert.deepEqual(snapshot(), before, 'the confirmation wrote nothing');
  // meanwhile the partner terminates g2: the form's g2 is refused, g1 is extended, each audited
  db.exec(stack, "UPDATE delegated_admins SET state = 'terminated', ended_at = ? WHERE id = ?", X.now(), g2);
  const done = await cust.client.post('/relationships/bulk/extend', { csrf: csrfOf(conf.text), 'item[]': itemsOf(conf.text) });
  assert.equal(done.status, 200);
  const d = Object.fromEntries(bulkRows(done.text).map((r) => [r.ref, r]));
  assert.ok(d[`da-${g1}`].ok);
  assert.match(d[`da-${g1}`].text, new RegExp(`Extended: it ends ${day(end + 182 * DAY)}`));
  assert.ok(!d[`da-${g2}`].ok);
  assert.match(d[`da-${g2}`].text, /changed since you confirmed/);
  assert.match(done.text, /1 done, 1 refused/);
  assert.equal(Number(db.value(stack, 'SELECT expires_at AS v FROM delegated_admins WHERE id = ?', g1)), end + 182 * DAY);
  assert.equal(Number(db.value(stack, 'SELECT expires_at AS v FROM delegated_admins WHERE id = ?', g2)), end, 'g2 untouched');
  for (const tenant of [cust.tenantId, p.tenantId]) {
    assert.equal(X.auditCount(stack, { tenant_id: tenant, action: 'delegated-admin.extend', outcome: 'ok' }), 1, 'both logs');
  }
  assert.equal(X.auditCount(stack, { tenant_id: cust.tenantId, action: 'relationships.bulk-extend', outcome: 'refused' }), 1);

  // Terminate: a reason is required (the confirmation again, nothing written), then both sides are emailed
  const tconf = await cust.client.get(`/relationships/bulk/terminate?${sel(`da-${g1}`)}`);
  assert.equal(tconf.status, 200);
  assert.match(tconf.text, /name="reason"/);
  const noReason = await cust.client.post('/relationships/bulk/terminate', { csrf: csrfOf(tconf.text), 'item[]': itemsOf(tconf.text), reason: '' });
  assert.equal(noReason.status, 422);
  assert.equal(db.value(stack, 'SELECT state AS v FROM delegated_admins WHERE id = ?', g1), 'active');
  const mark = messages(stack.mailDir).length;
  const term = await cust.client.post('/relationships/bulk/terminate', { csrf: csrfOf(tconf.text), 'item[]': itemsOf(tconf.text), reason: 'Bulk cleanup' });
  assert.equal(term.status, 200);
  assert.ok(bulkRows(term.text)[0].ok);
  assert.deepEqual(db.one(stack, 'SELECT state, end_reason FROM delegated_admins WHERE id = ?', g1), { state: 'terminated', end_reason: 'Bulk cleanup' });
  await waitForMail(stack.mailDir, { to: p.email, after: mark });
  await waitForMail(stack.mailDir, { to: cust.email, after: mark });
  assert.equal(X.auditCount(stack, { tenant_id: p.tenantId, action: 'delegated-admin.terminate', outcome: 'ok' }), 1);

  // Resend, by the partner: its pending request and its reseller invitation; an active grant is refused
  const g5 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Bulk five', expiresAt: end });
  const inv = await F.relInvite(stack, p, 'someone@rcb-new.example');
  X.setResellerInvitationExpiry(stack, inv.id, X.now() + DAY);
  const rconf = await p.client.get(`/relationships/bulk/resend?${sel(`da-${g4}`, `ri-${inv.id}`, `da-${g5}`)}`);
  const rc = Object.fromEntries(bulkRows(rconf.text).map((r) => [r.ref, r]));
  assert.ok(rc[`da-${g4}`].ok && rc[`ri-${inv.id}`].ok);
  assert.match(rc[`da-${g5}`].text, /Refused/);
  const mark2 = messages(stack.mailDir).length;
  const resent = await p.client.post('/relationships/bulk/resend', { csrf: csrfOf(rconf.text), 'item[]': itemsOf(rconf.text) });
  assert.equal(resent.status, 200);
  assert.ok(bulkRows(resent.text).every((r) => r.ok));
  assert.ok(Number(db.value(stack, 'SELECT expires_at AS v FROM reseller_invitations WHERE id = ?', inv.id)) > X.now() + 20 * DAY);
  await waitForMail(stack.mailDir, { to: 'someone@rcb-new.example', after: mark2 });
  await waitForMail(stack.mailDir, { to: cust.email, after: mark2 });
  // the partner may not extend what the customer granted: the same rule, row by row
  const pe = await p.client.get(`/relationships/bulk/extend?${sel(`da-${g5}`)}`);
  assert.match(bulkRows(pe.text)[0].text, /Only the organization that granted it can extend it/);
  assert.doesNotMatch(pe.text, /name="item\[\]"/);
});

test('bulk Terminate refused for a stale re-authentication comes back, after it, to the confirmation of the same rows', async () => {
  const cust = await C.custOrg(stack, { domain: 'rcr-c.example', org: 'RCR Customer' });
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rcr-p.example', org: 'RCR Provider' });
  X.customerRelationships(stack, cust.tenantId, [p.accountId]);
  const end = X.now() + 100 * DAY;
  const g1 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Stale one', expiresAt: end });
  const g2 = da(stack, { partner: p.tenantId, customer: cust.tenantId, name: 'Stale two', expiresAt: end });
  const conf = await cust.client.get(`/relationships/bulk/terminate?${sel(`da-${g1}`, `da-${g2}`)}`);
  assert.equal(conf.status, 200);
  const back = /name="reauth_back" value="([^"]*)"/.exec(conf.text)[1].replace(/&amp;/g, '&');
  const want = `/relationships/bulk/terminate?rows=da-${g1},da-${g2}`;
  assert.equal(back, want);
  // ten minutes later the proof is stale: the POST is not carried out
  const stale = () => db.exec(stack, 'UPDATE sessions SET auth_at = ? WHERE user_id = ?', X.now() - 11 * 60, X.userId(stack, cust.email));
  stale();
  const form = { csrf: csrfOf(conf.text), 'item[]': itemsOf(conf.text), reason: 'Project over' };
  let res = await cust.client.post('/relationships/bulk/terminate', { ...form, reauth_back: back });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/account/reauth?next=${encodeURIComponent(want).replace(/%2F/g, '/')}&again=1`);
  assert.equal(Number(db.value(stack, "SELECT count(*) FROM delegated_admins WHERE id IN (?, ?) AND state = 'active'", g1, g2)), 2, 'nothing done');
  // the page it names is taken only as this POST's own confirmation: anything else, the POST's path
  for (const bad of ['/relationships/bulk/extend?rows=da-1', '//evil.example/relationships/bulk/terminate?x', 'https://evil.example/', '/relationships/bulk/terminate', '/relationships/bulk/terminatex?rows=da-1']) {
    res = await cust.client.post('/relationships/bulk/terminate', { ...form, reauth_back: bad });
    assert.equal(res.location, '/account/reauth?next=/relationships/bulk/terminate&again=1', bad);
  }
  // re-authenticated: back on the confirmation of both rows, which decides them again
  const page = await cust.client.get(`/account/reauth?next=${encodeURIComponent(want)}&again=1`);
  assert.equal(page.status, 200);
  res = await cust.client.post('/account/reauth', { csrf: csrfOf(page.text), password: F.REL_PASSWORD, next: want });
  assert.equal(res.status, 303);
  assert.equal(res.location, want);
  const again = await cust.client.get(res.location);
  assert.equal(again.status, 200);
  assert.deepEqual(bulkRows(again.text).map((r) => [r.ref, r.ok]), [[`da-${g1}`, true], [`da-${g2}`, true]]);
  // the list is read as strictly as the ticked rows: values no form sends are 400
  for (const rows of [`da-${g1},`, `,da-${g1}`, `da-${g1},,da-${g2}`, 'da-x', `da-${g1};da-${g2}`])
    assert.equal((await cust.client.get(`/relationships/bulk/terminate?rows=${encodeURIComponent(rows)}`)).status, 400, rows);
  const done = await cust.client.post('/relationships/bulk/terminate', { csrf: csrfOf(again.text), 'item[]': itemsOf(again.text), reason: 'Project over' });
  assert.equal(done.status, 200);
  assert.match(done.text, /2 done, 0 refused/);
});

test('bulk actions: at most 100 rows, with a clear message; no row ticked; values no form sends', async () => {
  const cust = await C.custOrg(stack, { domain: 'rcb-cap.example', org: 'RCB Cap' });
  const many = Array.from({ length: 101 }, (_, i) => `da-${i + 1}`);
  const res = await cust.client.get(`/relationships/bulk/extend?${sel(...many)}`);
  assert.equal(res.status, 400);
  assert.match(res.text, /A bulk action takes at most 100 rows/);
  const post = await cust.client.post('/relationships/bulk/resend', { csrf: csrfOf(res.text), 'item[]': many.map((m) => `${m}.1`) });
  assert.equal(post.status, 400);
  assert.match(post.text, /at most 100 rows/);
  const none = await cust.client.get('/relationships/bulk/resend');
  assert.equal(none.status, 400);
  assert.match(none.text, /none was ticked/);
  for (const qs of [sel('pr-1'), sel('da-x'), sel('da-1.5'), 'sel[]=']) {
    assert.equal((await cust.client.get(`/relationships/bulk/extend?${qs}`)).status, 400, qs);
  }
  assert.equal((await cust.client.post('/relationships/bulk/extend', { csrf: csrfOf(res.text), 'item[]': ['da-1'] })).status, 400, 'no version');
});

test('the demo world: its relationships come with the delegated admin relationship an acceptance makes', async () => {
  const demo = await startStack({ demo: true });
  try {
    const pairs = () => db.rows(demo, `SELECT p.domain AS partner, c.domain AS customer, d.kind, d.name, d.state, d.roles
      FROM delegated_admins d JOIN tenants p ON p.id = d.partner_tenant_id JOIN tenants c ON c.id = d.customer_tenant_id
      ORDER BY p.domain, c.domain`);
    const want = [['adatum.example', 'tailspin.example', 'customer'], ['northwind.example', 'adatum.example', 'reseller'],
      ['northwind.example', 'tailspin.example', 'customer'], ['northwind.example', 'treyresearch.example', 'reseller'],
      ['treyresearch.example', 'tailspin.example', 'customer']];
    assert.deepEqual(pairs().map((r) => [r.partner, r.customer, r.kind]), want);
    for (const r of pairs()) {
      assert.equal(r.name, 'Administrator access');
      assert.equal(r.state, 'active');
      assert.equal(Number(r.roles), X.ROLE_BITS.admin_agent);
    }
    const nora = new (await import('../lib/http.mjs')).Client(demo.base);
    assert.equal((await nora.signin('nora.north@northwind.example', 'Demo-Partner-2025')).status, 303);
    const res = (await nora.get('/resellers')).text;
    assert.match(res, /data-label="Administrator access"><span class="tag ok" data-state="active">Active until/);
    assert.equal(demo.ctl('demo').code, 0);
    assert.equal(pairs().length, want.length, 'loading the demo again adds none');
  } finally {
    await demo.stop();
  }
});

test('Create one from a customer invitation: with or without delegated administration, as on Accept', async () => {
  const w = await C.custPair(stack, { prefix: 'rcco', country: 'DE', resellerCountry: 'DE' });
  for (const [choice, grants] of [['without', 0], ['with', 2]]) {
    const email = `ga@rcco-${choice}.example`;
    const inv = await C.custInvite(stack, w, email);
    const v = new Client(stack.base);
    await C.custOpen(v, inv.link);
    const page = await v.get('/customer-invite/new');
    assert.match(page.text, /<input id="da-with" name="da" type="radio" value="with" checked>/);
    assert.match(page.text, /<input id="da-without" name="da" type="radio" value="without">/);
    const fields = { org: `RCCO ${choice}`, domain: `rcco-${choice}.example`, country: 'DE', name: 'Cora Customer', email,
      password: F.REL_PASSWORD, password2: F.REL_PASSWORD, confirm: 'yes' };
    const tenants = X.count(stack, 'tenants');
    // a value no form sends: the form again with the message beside the choice, nothing written
    let res = await v.submit('/customer-invite/new', { ...fields, da: 'maybe' });
    assert.equal(res.status, 422);
    assert.deepEqual(errorsOf(res.text), ['Choose with or without delegated administration.']);
    assert.equal(X.count(stack, 'tenants'), tenants);
    // the choice is kept when the form comes back for another field
    res = await v.submit('/customer-invite/new', { ...fields, da: choice, password2: 'not the same at all' });
    assert.equal(res.status, 422);
    assert.match(res.text, new RegExp(`value="${choice}" checked`));
    const mails = messages(stack.mailDir).length;
    res = await v.submit('/customer-invite/new', { ...fields, da: choice });
    assert.equal(res.status, 200, errorsOf(res.text).join('; '));
    res = await v.confirmSignup(email, mails);
    assert.equal(res.location, '/customers?m=customer-accepted');
    const t = X.tenantId(stack, `rcco-${choice}.example`);
    assert.equal(X.count(stack, 'delegated_admins', { customer_tenant_id: t }), grants, choice);
    assert.deepEqual(db.rows(stack, 'SELECT delegated_admin FROM customer_relationships WHERE customer_tenant_id = ?', t)
      .map((r) => Number(r.delegated_admin)), choice === 'with' ? [1, 1] : [0, 0]);
  }
});
