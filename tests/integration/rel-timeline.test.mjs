// rel-timeline.test.mjs — one timeline per relationship (issue 13), through nginx: a delegated
// admin relationship's page shows every event of it from BOTH organizations' audit logs
// (requested, opened, approved, acting as partner and what was done under the grant, stopped,
// terminated) as the log's sentences, newest first, to either side; CSV and JSON; 50 a page
// with Older / Newest; another organization's relationship is 404 and audited; provider-reseller
// and partner-customer relationships have theirs (the acceptance, orders' entries, Remove
// administrator access), linked from the Relationships page and the detail pages; a
// relationship older than the links says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** A reseller and provider (w) and a customer of both (cust), related through the real flow. */
async function world(prefix) {
  const w = await C.custPair(stack, { prefix, providerOrg: `${prefix.toUpperCase()} Distribution`, resellerOrg: `${prefix.toUpperCase()} Reselling` });
  const cust = await C.custOrg(stack, { domain: `${prefix}-cust.example`, org: `${prefix.toUpperCase()} Customer AG`, email: `ga@${prefix}-cust.example` });
  await C.custRelate(stack, w, cust);
  return { w, cust };
}

/** The reseller of w asks cust for User admin; returns { id, link }. */
async function ask(client, other, name) {
  const before = messages(stack.mailDir).length;
  const res = await client.submit('/delegated-admin/new', { other: String(other.tenantId), name, days: '30', 'roles[]': ['user_admin'], message: '' });
  assert.equal(res.status, 303);
  const id = Number(/^\/delegated-admin\/(\d+)\?m=da-requested$/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: other.email, after: before, subject: 'delegated administration' });
  return { id, link: linkIn(mail, '/delegated-admin/respond') };
}

/** Follows the emailed link as client (the token kept in a cookie); returns the landing page. */
async function open(client, link) {
  const u = new URL(link);
  assert.equal((await client.get(u.pathname + u.search)).status, 303);
  return client.get('/delegated-admin/respond');
}

/** Asks and approves: the active relationship's id. */
async function grant(w, cust, name) {
  const r = await ask(w.reseller.client, cust, name);
  assert.equal((await open(cust.client, r.link)).status, 200);
  assert.equal((await cust.client.submit('/delegated-admin/respond', { decision: 'approve' })).status, 303);
  return r.id;
}

/** The sentences of a timeline page's rows, in order, with the log each is in. */
function events(html) {
  return [...html.matchAll(/<tr>\s*<td data-label="Time"[\s\S]*?<span class="sentence">([\s\S]*?)<\/span><\/td>\s*<td data-label="In the log of">([\s\S]*?)<\/td>/g)]
    .map((m) => ({ sentence: textOf(m[1]), log: textOf(m[2]) }));
}

const hrefOf = (html, rel) => { const m = new RegExp(`<a href="([^"]+)" rel="${rel}"`).exec(html); return m && m[1].replace(/&amp;/g, '&'); };

test('a delegated admin relationship: every event from both logs, newest first, for either side; CSV and JSON; others get 404, audited', async () => {
  const { w, cust } = await world('tlda');
  const nora = await F.relUser(stack, w.reseller, { email: 'nora@tlda-resell.example', name: 'Nora North', roles: ['admin_agent'] });
  const r = await ask(w.reseller.client, cust, 'Helpdesk 2026');
  // opened by someone signed out, then approved by the customer's Global admin
  assert.equal((await open(new C.Client(stack.base), r.link)).status, 200);
  assert.equal((await open(cust.client, r.link)).status, 200);
  assert.equal((await cust.client.submit('/delegated-admin/respond', { decision: 'approve' })).status, 303);
  // Nora acts as partner, adds a user there, is refused the audit log there, stops
  assert.equal((await nora.client.submit('/delegated-admin/act', { rel: String(r.id) }, `/delegated-admin/${r.id}`)).status, 303);
  assert.equal((await nora.client.submit('/settings/users/new', { name: 'Cy Customer', email: 'cy@tlda-cust.example', 'roles[]': ['user_admin'] })).status, 303);
  assert.equal((await nora.client.get('/settings/audit')).status, 403);
  assert.equal((await nora.client.submit('/delegated-admin/stop', {}, '/delegated-admin')).status, 303);
  // the customer terminates
  assert.equal((await cust.client.submit(`/delegated-admin/terminate/${r.id}`, { reason: 'Project finished' })).status, 303);

  const path = `/relationships/delegated/${r.id}`;
  const expected = [
    [/^Ana Admin terminated the delegated admin relationship with TLDA (Reselling|Customer AG) \(delegated admin 'Helpdesk 2026'\) \(Project finished\)\.$/, 2],
    [/^Nora North stopped acting as partner in TLDA Customer AG/, 1],
    [/^Nora North was refused Audit log: their roles do not allow it\.$/, 2],
    [/^Nora North added the user cy@tlda-cust\.example/, 2],
    [/^Nora North started acting as partner in TLDA (Reselling|Customer AG)/, 2],
    [/^Ana Admin approved the delegated admin request of TLDA (Reselling|Customer AG)/, 2],
    [/^Someone opened the emailed delegated admin request of TLDA Reselling/, 2],
    [/^Ana Admin asked for delegated admin roles in TLDA (Reselling|Customer AG) \(delegated admin 'Helpdesk 2026'\) \(roles User admin, 30 days\)\.$/, 2],
  ];
  for (const client of [w.reseller.client, cust.client]) {
    const page = await client.get(path);
    assert.equal(page.status, 200, textOf(page.text));
    assert.match(textOf(page.text), /Timeline of delegated admin 'Helpdesk 2026'/);
    const ev = events(page.text);
    // newest first, in this order, each in both logs but Stop acting (her own organization's)
    let at = 0;
    for (const [re, n] of expected) {
      const got = ev.slice(at, at + n);
      assert.equal(got.length, n, `${re}: ${JSON.stringify(ev.slice(at))}`);
      for (const e of got) assert.match(e.sentence, re, JSON.stringify(ev));
      if (n === 2) assert.deepEqual(got.map((e) => e.log).sort(), ['TLDA Customer AG', 'TLDA Reselling']);
      at += n;
    }
    assert.equal(ev.length, at, `nothing else: ${JSON.stringify(ev.slice(at))}`);
    // what is not about it stays out (sign-ins, the customer relationship's acceptance); no client address
    assert.doesNotMatch(page.text, /signed in|became the customer|127\.0\.0\.1/);
    assert.match(page.text, /href="\/relationships"/, 'the trail back to Relationships');
  }
  // whoever may open the relationship on the Relationships page: an Account admin yes, a Sales agent no
  const acc = await F.relUser(stack, cust, { email: 'acc@tlda-cust.example', roles: ['account_admin'] });
  assert.equal((await acc.client.get(path)).status, 200);
  const sa = await F.relUser(stack, w.reseller, { email: 'sa@tlda-resell.example', roles: ['sales_agent'] });
  assert.equal((await sa.client.get(path)).status, 403);

  // CSV and JSON: the same events, newest first, no client address
  const csv = await w.reseller.client.get(`${path}?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  assert.match(csv.headers['content-disposition'], /attachment; filename="timeline-delegated-\d+\.csv"/);
  const lines = csv.text.trim().split(/\r?\n/);
  assert.equal(lines[0], '"Time (UTC)","Log","Actor","Action","Target","Outcome","Detail","What happened"');
  assert.equal(lines.length - 1, 15);
  assert.match(lines[1], /^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ","TLDA (Reselling|Customer AG)","ga@tlda-cust\.example","delegated-admin\.terminate",.*"Project finished","Ana Admin terminated /);
  assert.doesNotMatch(csv.text, /127\.0\.0\.1/);
  const json = await cust.client.get(`${path}?format=json`);
  assert.equal(json.status, 200);
  assert.match(json.headers['content-type'], /^application\/json/);
  const doc = JSON.parse(json.text);
  assert.equal(doc.relationship.kind, 'delegated');
  assert.equal(doc.relationship.id, r.id);
  assert.equal(doc.relationship.name, 'Helpdesk 2026');
  assert.deepEqual(doc.relationship.organizations, ['TLDA Reselling', 'TLDA Customer AG']);
  assert.equal(doc.events.length, 15);
  assert.deepEqual(doc.events.map((e) => e.id), [...doc.events.map((e) => e.id)].sort((a, b) => b - a));
  assert.equal(doc.events.at(-1).action, 'delegated-admin.request');
  assert.equal(doc.events[0].action, 'delegated-admin.terminate');
  assert.ok(doc.events.every((e) => !('ip' in e) && e.sentence && e.log), JSON.stringify(doc.events[0]));
  assert.equal((await cust.client.get(`${path}?format=xml`)).status, 400);
  assert.equal((await cust.client.get(`${path}?before=x`)).status, 400);

  // another organization's relationship: 404, in its own log; an unknown id: 404
  const stranger = await C.custOrg(stack, { domain: 'tlda-stranger.example', org: 'Stranger AG', email: 'ga@tlda-stranger.example' });
  for (const p of [path, `${path}?format=csv`, `${path}?format=json`]) assert.equal((await stranger.client.get(p)).status, 404);
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE tenant_id = ? AND action = 'access' AND outcome = 'refused'
    AND target = ? AND detail = ?`, stranger.tenantId, `delegated relationship ${r.id}`, 'a relationship of other organizations')), 3);
  assert.equal((await w.reseller.client.get(`/relationships/delegated/${r.id + 100000}`)).status, 404);
  // the other kinds take their own ids: this id as a reseller relationship is none of theirs
  assert.equal((await cust.client.get(`/relationships/reseller/${r.id}`)).status, 404);
});

test('50 events a page, Older and Newest: every event once, newest first; other relationships and a third log stay out', async () => {
  const { w, cust } = await world('tlpage');
  const id = await grant(w, cust, 'Paged');
  const other = await grant(w, cust, 'Other');
  const stranger = await C.custOrg(stack, { domain: 'tlpage-stranger.example', org: 'Stranger AG' });
  const t = X.now();
  const rows = [];
  for (let i = 0; i < 110; i++) {
    const tenant = i % 2 ? w.reseller.tenantId : cust.tenantId;
    rows.push([`INSERT INTO audit(at, tenant_id, actor, action, target, outcome, rel_kind, rel_id) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)`,
      t, tenant, 'x@tlpage.example', 'user.add', `event-${i}@tlpage.example`, 'delegated', id]);
    rows.push([`INSERT INTO audit(at, tenant_id, actor, action, target, outcome, rel_kind, rel_id) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)`,
      t, tenant, 'x@tlpage.example', 'user.add', `other-${i}@tlpage.example`, 'delegated', other]);
  }
  rows.push([`INSERT INTO audit(at, tenant_id, actor, action, target, outcome, rel_kind, rel_id) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)`,
    t, stranger.tenantId, 'x@tlpage.example', 'user.add', 'third-log@tlpage.example', 'delegated', id]);
  db.batch(stack, rows);
  const total = Number(db.value(stack, "SELECT count(*) FROM audit WHERE rel_kind = 'delegated' AND rel_id = ? AND tenant_id IN (?, ?)",
    id, w.reseller.tenantId, cust.tenantId));
  assert.equal(total, 110 + 6, 'the inserted ones; the request, the opening and the approval in both logs');
  let path = `/relationships/delegated/${id}`;
  const seen = [];
  const pages = [];
  for (;;) {
    const page = await w.reseller.client.get(path);
    assert.equal(page.status, 200);
    const ev = events(page.text);
    pages.push(ev.length);
    seen.push(...ev.map((e) => e.sentence));
    if (pages.length > 1) assert.equal(hrefOf(page.text, 'first'), `/relationships/delegated/${id}`);
    else assert.equal(hrefOf(page.text, 'first'), null);
    path = hrefOf(page.text, 'next');
    if (!path) break;
    assert.match(path, new RegExp(`^/relationships/delegated/${id}\\?before=\\d+$`));
  }
  assert.deepEqual(pages, [50, 50, 16]);
  assert.equal(seen.length, total);
  const inserted = seen.filter((s) => /event-\d+@/.test(s)).map((s) => Number(/event-(\d+)@/.exec(s)[1]));
  assert.deepEqual(inserted, [...Array(110).keys()].reverse(), 'newest first');
  assert.ok(!seen.some((s) => /other-|third-log/.test(s)));
  // past the end: the empty page says so
  const last = await w.reseller.client.get(`/relationships/delegated/${id}?before=1`);
  assert.equal(last.status, 200);
  assert.match(textOf(last.text), /No older events/);
});

test('provider-reseller and partner-customer relationships: their timelines, linked from Relationships and the detail pages; older than the links: said so', async () => {
  const { w, cust } = await world('tlrc');
  const crel = Number(db.value(stack, 'SELECT id FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?', w.reseller.accountId, cust.tenantId));
  const prel = Number(db.value(stack, 'SELECT id FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?', w.provider.accountId, cust.tenantId));
  const da = Number(db.value(stack, 'SELECT id FROM delegated_admins WHERE partner_tenant_id = ? AND customer_tenant_id = ?', w.reseller.tenantId, cust.tenantId));
  // every row of the Relationships page links its timeline
  const list = await w.reseller.client.get('/relationships');
  for (const href of [`/relationships/customer/${crel}`, `/relationships/reseller/${w.rel}`, `/relationships/delegated/${da}`])
    assert.match(list.text, new RegExp(`<a href="${href}">Timeline</a>`), href);
  // the acceptance: in the reseller's and the customer's logs on the reseller's relationship
  let page = await w.reseller.client.get(`/relationships/customer/${crel}`);
  assert.equal(page.status, 200);
  let ev = events(page.text);
  // (the invitation's own entries, invited and opened, precede them in the reseller's log: issue 13)
  assert.deepEqual([...new Set(ev.map((e) => e.log))].sort(), ['TLRC Customer AG', 'TLRC Reselling']);
  assert.ok(ev.some((e) => /^Ana Admin became the customer of TLRC Customer AG/.test(e.sentence)), JSON.stringify(ev));
  assert.ok(ev.some((e) => /^Ana Admin accepted the partner's invitation TLRC Reselling/.test(e.sentence)), JSON.stringify(ev));
  assert.equal((await cust.client.get(`/relationships/customer/${crel}`)).status, 200);
  // the provider's own relationship with the customer: the provider's log; not the reseller's to read
  page = await w.provider.client.get(`/relationships/customer/${prel}`);
  assert.equal(page.status, 200);
  assert.deepEqual(events(page.text).map((e) => e.log), ['TLRC Distribution']);
  assert.equal((await w.reseller.client.get(`/relationships/customer/${prel}`)).status, 404);
  // the detail pages link theirs
  assert.match((await w.reseller.client.get(`/customers/${cust.tenantId}`)).text, new RegExp(`href="/relationships/customer/${crel}"`));
  assert.match((await w.provider.client.get(`/resellers/${w.rel}`)).text, new RegExp(`href="/relationships/reseller/${w.rel}"`));
  assert.match((await cust.client.get(`/delegated-admin/${da}`)).text, new RegExp(`href="/relationships/delegated/${da}"`));
  // provider and reseller: made now (by the fixture, nothing audited yet), then Remove
  // administrator access, in both logs
  page = await w.provider.client.get(`/relationships/reseller/${w.rel}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /No events of this relationship are on record yet/);
  assert.doesNotMatch(page.text, /began before the portal linked/);
  assert.equal((await w.reseller.client.submit(`/providers/remove-access/${w.rel}`, {}, `/providers/remove-access/${w.rel}`)).status, 303);
  page = await w.reseller.client.get(`/relationships/reseller/${w.rel}`);
  ev = events(page.text);
  assert.deepEqual(ev.map((e) => e.log).sort(), ['TLRC Distribution', 'TLRC Reselling']);
  assert.ok(ev.every((e) => /^Ana Admin removed the administrator access of TLRC (Distribution|Reselling)/.test(e.sentence)), JSON.stringify(ev));
  // a relationship older than the links says its earlier events are in the logs only
  db.exec(stack, 'UPDATE provider_relationships SET since = ? WHERE id = ?', 1000000000, w.rel);
  page = await w.provider.client.get(`/relationships/reseller/${w.rel}`);
  assert.match(textOf(page.text), /This relationship began before the portal linked audit entries to their relationship/);
});

test('an invitation\'s events start its relationship\'s timeline: invited, sent again, reminded, opened, accepted, for both sides, in CSV and JSON', async () => {
  const DAY = 86400;
  let own = await startStack();
  const data = own.data;
  try {
    const w = await C.custPair(own, { prefix: 'tlinv', providerOrg: 'TLINV Distribution', resellerOrg: 'TLINV Reselling' });
    const r2 = await F.relPartner(own, { domain: 'tlinv-r2.example', org: 'TLINV Second Reseller' });
    const cust = await C.custOrg(own, { domain: 'tlinv-cust.example', org: 'TLINV Customer AG', email: 'ga@tlinv-cust.example' });
    const rinv = await F.relInvite(own, w.provider, r2.email);
    const before = messages(own.mailDir).length;
    assert.equal((await w.provider.client.submit(`/resellers/invitations/resend/${rinv.id}`, {}, `/resellers/invitations/${rinv.id}`)).status, 303);
    await waitForMail(own.mailDir, { to: r2.email, after: before });
    const cinv = await C.custInvite(own, w, cust.email);
    // nothing is linked to a relationship yet: the entries name their invitation
    assert.equal(Number(db.value(own, "SELECT count(*) FROM audit WHERE rel_kind = 'reseller-invitation' AND rel_id = ?", rinv.id)), 2);
    assert.equal(Number(db.value(own, "SELECT count(*) FROM audit WHERE rel_kind = 'customer-invitation' AND rel_id = ?", cinv.id)), 1);
    await own.stop({ keep: true });

    // 24 days later (6 left): the portal reminds both invited addresses; they open the links and accept
    own = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(24 * DAY) } });
    for (let i = 0; i < 100 && messages(own.mailDir).filter((m) => /^Reminder: /.test(m.subject)).length < 2; i++)
      await new Promise((res) => setTimeout(res, 50));
    const reminders = messages(own.mailDir).filter((m) => /^Reminder: /.test(m.subject));
    assert.deepEqual(reminders.map((m) => m.to).sort(), [r2.email, cust.email].sort());
    const signin = async (email) => {
      const c = new C.Client(own.base);
      assert.equal((await c.signin(email, F.REL_PASSWORD)).status, 303);
      return c;
    };
    const [prov, res2, custc, resl] = [await signin(w.provider.email), await signin(r2.email), await signin(cust.email), await signin(w.reseller.email)];
    assert.equal((await F.relOpen(res2, linkIn(reminders.find((m) => m.to === r2.email), '/authorize'))).status, 200);
    assert.equal((await res2.submit('/authorize', { confirm: 'yes' }, '/find-a-provider')).status, 303);
    await C.custOpen(custc, linkIn(reminders.find((m) => m.to === cust.email), '/customer-invite'));
    assert.equal((await C.custAccept(custc)).status, 303);

    const rrel = Number(db.value(own, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', w.provider.accountId, r2.accountId));
    const crel = Number(db.value(own, 'SELECT id FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?', w.reseller.accountId, cust.tenantId));
    // provider and reseller: from "invited" on, oldest last, on both sides
    const resellerEvents = [
      [/^Ana Admin accepted the invitation TLINV Second Reseller/, 'TLINV Distribution'],
      [/^Ana Admin authorized the indirect provider of TLINV Distribution/, 'TLINV Second Reseller'],
      [/^Someone opened the invitation emailed to admin@tlinv-r2\.example \(invitation \d+\)\.$/, 'TLINV Distribution'],
      [/^The portal reminded of its expiry the invitation emailed to admin@tlinv-r2\.example/, 'TLINV Distribution'],
      [/^Ana Admin sent again the invitation admin@tlinv-r2\.example/, 'TLINV Distribution'],
      [/^Ana Admin invited a reseller: admin@tlinv-r2\.example/, 'TLINV Distribution'],
    ];
    for (const client of [prov, res2]) {
      const page = await client.get(`/relationships/reseller/${rrel}`);
      assert.equal(page.status, 200);
      const ev = events(page.text);
      assert.equal(ev.length, resellerEvents.length, JSON.stringify(ev));
      // the acceptance's two entries are written together: either order
      const head = ev.slice(0, 2).map((e) => e.log).sort();
      assert.deepEqual(head, ['TLINV Distribution', 'TLINV Second Reseller']);
      for (const [i, [re, log]] of resellerEvents.entries()) {
        if (i < 2) { assert.ok(ev.slice(0, 2).some((e) => re.test(e.sentence) && e.log === log), `${re} ${JSON.stringify(ev)}`); continue; }
        assert.match(ev[i].sentence, re, JSON.stringify(ev));
        assert.equal(ev[i].log, log);
      }
    }
    const csv = await res2.get(`/relationships/reseller/${rrel}?format=csv`);
    assert.equal(csv.status, 200);
    const actions = csv.text.trim().split(/\r?\n/).slice(1).map((l) => l.split('","')[3]);
    assert.deepEqual(actions.slice(2), ['invitation.open', 'invitation.remind', 'invitation.resend', 'invitation.send']);
    let doc = JSON.parse((await prov.get(`/relationships/reseller/${rrel}?format=json`)).text);
    assert.deepEqual(doc.events.slice(2).map((e) => e.action), ['invitation.open', 'invitation.remind', 'invitation.resend', 'invitation.send']);

    // partner and customer: the reseller's relationship, whose invitation it was; both sides
    for (const client of [resl, custc]) {
      const page = await client.get(`/relationships/customer/${crel}`);
      assert.equal(page.status, 200);
      const ev = events(page.text);
      const tail = ev.slice(-3);
      assert.match(tail[0].sentence, /^Someone opened the customer invitation emailed to ga@tlinv-cust\.example/, JSON.stringify(ev));
      assert.match(tail[1].sentence, /^The portal reminded of its expiry the customer invitation emailed to ga@tlinv-cust\.example/);
      assert.match(tail[2].sentence, /^Ana Admin invited a customer: ga@tlinv-cust\.example/);
      assert.deepEqual(tail.map((e) => e.log), ['TLINV Reselling', 'TLINV Reselling', 'TLINV Reselling']);
      assert.ok(ev.slice(0, -3).some((e) => /accepted the partner's invitation/.test(e.sentence)));
    }
    doc = JSON.parse((await custc.get(`/relationships/customer/${crel}?format=json`)).text);
    assert.deepEqual(doc.events.slice(-3).map((e) => e.action), ['customer-invitation.open', 'customer-invitation.remind', 'customer-invitation.send']);
    const ccsv = await custc.get(`/relationships/customer/${crel}?format=csv`);
    assert.match(ccsv.text, /"customer-invitation\.send"/);
    // the reading stays on the relationship's index: nothing left naming the invitations
    assert.equal(Number(db.value(own, "SELECT count(*) FROM audit WHERE rel_kind IN ('reseller-invitation', 'customer-invitation') AND rel_id IN (?, ?)", rinv.id, cinv.id)), 0);
  } finally { await stopChecked(own); }
});
