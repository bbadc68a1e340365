// invitation-states.test.mjs — issue 13: invitations of every kind (a provider's reseller
// invitation, a reseller's customer invitation, a delegated admin request) show both sides the
// same states with their dates — sent, opened, accepted, declined, expired, revoked; "opened"
// is the first landing visit by a valid link, recorded once (a repeated GET changes nothing);
// one reminder goes out 7 days before an open invitation expires, once, with two nodes and
// after a restart (moved through time with PORTAL_CLOCK_OFFSET).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';

const DAY = 86400;
// (issue 15, item 13: a time in the reader's zone: CET/CEST for these organizations in Germany
// and France, UTC signed out; was UTC for everyone)
const DATE = '\\d\\d [A-Z][a-z]{2} \\d{4}, \\d\\d:\\d\\d (?:UTC|CES?T)';
/** The invitation state line of a page: [state word, the dates], or null. */
function stateOf(html) {
  const m = /<p class="meta inv-state" id="inv-state" data-state="(\w+)">([\s\S]*?)<\/p>/.exec(html);
  return m ? { key: m[1], text: textOf(m[2]) } : null;
}

test('a reseller invitation: sent, opened once by its link, accepted — the same on the provider\'s page and the landing page', async () => {
  const stack = await startStack();
  try {
    const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'ist-p.example', org: 'IST Provider' });
    const r = await F.relPartner(stack, { domain: 'ist-r.example', org: 'IST Reseller' });
    const inv = await F.relInvite(stack, p, r.email);
    let page = await p.client.get(`/resellers/invitations/${inv.id}`);
    assert.deepEqual(stateOf(page.text)?.key, 'sent');
    assert.match(stateOf(page.text).text, new RegExp(`^Invitation: Sent — Sent ${DATE} · link valid until ${DATE}$`));
    const opened = () => db.value(stack, 'SELECT opened_at FROM reseller_invitations WHERE id = ?', inv.id);
    assert.equal(opened(), null);
    // a link that is not this invitation's (altered) opens nothing
    const bad = F.relPath(inv.link).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    await r.client.get(bad);
    await r.client.get('/authorize');
    assert.equal(opened(), null);
    const land = await F.relOpen(r.client, inv.link);
    assert.equal(land.status, 200);
    assert.equal(stateOf(land.text).key, 'opened');
    assert.match(stateOf(land.text).text, new RegExp(`^Invitation: Opened — Sent ${DATE} · Opened ${DATE} · link valid until ${DATE}$`));
    const first = Number(opened());
    assert.ok(first > 0);
    await sleep(1100);
    await F.relOpen(r.client, inv.link);
    assert.equal(Number(opened()), first, 'a repeated GET changes nothing');
    page = await p.client.get(`/resellers/invitations/${inv.id}`);
    assert.equal(stateOf(page.text).key, 'opened');
    assert.equal(stateOf(page.text).text, stateOf(land.text).text, 'the same words on both sides');
    assert.equal((await r.client.submit('/authorize', { confirm: 'yes' }, '/find-a-provider')).status, 303);
    page = await p.client.get(`/resellers/invitations/${inv.id}`);
    assert.equal(stateOf(page.text).key, 'accepted');
    assert.match(stateOf(page.text).text, new RegExp(`· Opened ${DATE} · Accepted ${DATE}$`));
    const used = await F.relOpen(r.client, inv.link);
    assert.equal(stateOf(used.text).key, 'accepted', 'the landing page says so too');
  } finally { await stopChecked(stack); }
});

test('a customer invitation revoked, and a delegated admin request opened and declined: the same states on both sides', async () => {
  const stack = await startStack();
  try {
    const w = await C.custPair(stack, { prefix: 'isc', providerOrg: 'ISC Distribution', resellerOrg: 'ISC Reselling' });
    const cust = await C.custOrg(stack, { domain: 'isc-cust.example', org: 'ISC Customer AG', email: 'ga@isc-cust.example' });
    const inv = await C.custInvite(stack, w, cust.email);
    let page = await w.reseller.client.get(`/providers/customer-invitations/${inv.id}`);
    assert.equal(stateOf(page.text).key, 'sent');
    let land = await C.custOpen(cust.client, inv.link);
    assert.equal(stateOf(land.text).key, 'opened');
    page = await w.reseller.client.get(`/providers/customer-invitations/${inv.id}`);
    assert.equal(stateOf(page.text).key, 'opened');
    assert.equal((await w.reseller.client.post(`/providers/customer-invitations/revoke/${inv.id}`, { csrf: csrfOf(page.text) })).status, 303);
    page = await w.reseller.client.get(`/providers/customer-invitations/${inv.id}`);
    assert.equal(stateOf(page.text).key, 'revoked');
    assert.match(stateOf(page.text).text, new RegExp(`· Opened ${DATE} · Revoked ${DATE}$`));
    land = await C.custOpen(cust.client, inv.link);
    assert.equal(stateOf(land.text).key, 'revoked');
    assert.equal(stateOf(land.text).text, stateOf(page.text).text);

    // a delegated admin request (the customer related through a second invitation)
    await C.custRelate(stack, w, cust);
    const before = messages(stack.mailDir).length;
    const res = await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name: 'States', days: '30', 'roles[]': ['user_admin'], message: '' });
    assert.equal(res.status, 303);
    const id = Number(/\/delegated-admin\/(\d+)/.exec(res.location)[1]);
    page = await w.reseller.client.get(`/delegated-admin/${id}`);
    assert.equal(stateOf(page.text).key, 'sent');
    const mail = await waitForMail(stack.mailDir, { to: cust.email, after: before, subject: 'delegated administration' });
    const u = new URL(linkIn(mail, '/delegated-admin/respond'));
    await cust.client.get(u.pathname + u.search);
    land = await cust.client.get('/delegated-admin/respond');
    assert.equal(stateOf(land.text).key, 'opened');
    assert.equal(stateOf((await w.reseller.client.get(`/delegated-admin/${id}`)).text).key, 'opened');
    assert.equal((await cust.client.submit('/delegated-admin/respond', { decision: 'decline' })).status, 303);
    for (const client of [w.reseller.client, cust.client]) {
      const one = await client.get(`/delegated-admin/${id}`);
      assert.equal(stateOf(one.text).key, 'declined');
      assert.match(stateOf(one.text).text, new RegExp(`· Opened ${DATE} · Declined ${DATE}$`));
    }
  } finally { await stopChecked(stack); }
});

/** Waits until `want` messages with subject part `subject` are there (and a little longer). */
async function settle(stack, subject, want) {
  for (let i = 0; i < 100; i++) {
    if (messages(stack.mailDir).filter((m) => m.subject.includes(subject)).length >= want) break;
    await sleep(50);
  }
  await sleep(300);
}

test('one reminder 7 days before an open invitation expires, of every kind, once with two nodes and after a restart', async () => {
  let stack = await startStack();
  const data = stack.data;
  try {
    const w = await C.custPair(stack, { prefix: 'isr', providerOrg: 'ISR Distribution', resellerOrg: 'ISR Reselling' });
    const cust = await C.custOrg(stack, { domain: 'isr-cust.example', org: 'ISR Customer AG', email: 'ga@isr-cust.example' });
    await C.custRelate(stack, w, cust);
    const r2 = await F.relPartner(stack, { domain: 'isr-r2.example', org: 'ISR Second Reseller' });
    const rinv = await F.relInvite(stack, w.provider, r2.email);		// 30 days
    const cinv = await C.custInvite(stack, w, 'buyer@isr-other.example');	// 30 days
    const answered = await C.custInvite(stack, w, 'answered@isr-other.example');
    assert.equal((await w.reseller.client.submit(`/providers/customer-invitations/revoke/${answered.id}`, {}, `/providers/customer-invitations/${answered.id}`)).status, 303);
    const res = await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name: 'Remind me', days: '30', 'roles[]': ['user_admin'], message: '' });
    const da = Number(/\/delegated-admin\/(\d+)/.exec(res.location)[1]);	// 90 days
    await sleep(300);
    const reminders = () => messages(stack.mailDir).filter((m) => /^Reminder: /.test(m.subject));
    assert.equal(reminders().length, 0, 'nothing yet');
    await stack.stop({ keep: true });

    // 24 days later (6 left), two nodes at once: the reseller and the customer invitation, once each, with their links
    stack = await startStack({ data, nodes: 2, env: { PORTAL_CLOCK_OFFSET: String(24 * DAY) } });
    await settle(stack, 'Reminder: ', 2);
    let got = reminders();
    assert.deepEqual(got.map((m) => m.to).sort(), ['admin@isr-r2.example', 'buyer@isr-other.example'], got.map((m) => `${m.to}: ${m.subject}`).join('\n'));
    const toR2 = got.find((m) => m.to === 'admin@isr-r2.example');
    assert.match(toR2.subject, /^Reminder: the invitation from ISR Distribution expires on /);
    assert.equal(C.tokenOf(linkIn(toR2, '/authorize')), C.tokenOf(rinv.link), 'the same link again');
    const toBuyer = got.find((m) => m.to === 'buyer@isr-other.example');
    assert.match(toBuyer.subject, /^Reminder: the customer invitation from ISR Reselling expires on /);
    assert.equal(C.tokenOf(linkIn(toBuyer, '/customer-invite')), C.tokenOf(cinv.link));
    assert.equal(Number(db.value(stack, 'SELECT count(*) FROM reseller_invitations WHERE reminder_for = expires_at')), 1);
    await stack.stop({ keep: true });
    // a restart the same day: nothing new
    stack = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(24 * DAY + 60) } });
    await settle(stack, 'Reminder: ', 99);
    assert.equal(reminders().length, 2);
    await stack.stop({ keep: true });

    // 84 days later: the delegated admin request, to the customer's Global admin, with its page
    stack = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(84 * DAY) } });
    await settle(stack, "request 'Remind me'", 1);
    got = reminders().filter((m) => m.subject.includes("'Remind me'"));
    assert.equal(got.length, 1);
    assert.equal(got[0].to, cust.email);
    assert.match(got[0].subject, /^Reminder: the delegated admin request 'Remind me' of ISR Reselling expires on /);
    assert.match(got[0].body, new RegExp(`/delegated-admin/${da}\\b`));
  } finally { await stopChecked(stack); }
});
