// delegated-admin-lifecycle.test.mjs — the background worker's part of delegated administration
// (issue 13), moved through time with the clock setting (PORTAL_CLOCK_OFFSET) on the same data:
// reminders to both organizations 7 days before the end, sent once although two nodes run the
// worker at once and again after a restart; at the end, expiry (a partner acting there is
// refused), or a six-month extension for auto-extend — never with Global admin; a request
// nobody answered within 90 days expires and its link stops working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';

const DAY = 86400;

/** Asks cust for `roles` for `days` as the reseller of w and approves it; returns the id. */
async function granted(stack, w, cust, { name, days, roles = ['user_admin'], ...more }) {
  const before = messages(stack.mailDir).length;
  const res = await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name, days: String(days), 'roles[]': roles, message: 'Needed.', ...more });
  assert.equal(res.status, 303, textOf(res.text));
  const id = Number(/\/delegated-admin\/(\d+)/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: cust.email, after: before, subject: `delegated administration` });
  const u = new URL(linkIn(mail, '/delegated-admin/respond'));
  await cust.client.get(u.pathname + u.search);
  assert.equal((await cust.client.submit('/delegated-admin/respond', { decision: 'approve' })).status, 303);
  return id;
}

/** Waits until the worker of the nodes started at `offset` days has done its steps (the mails). */
async function settle(stack, subject, want) {
  for (let i = 0; i < 100; i++) {
    if (messages(stack.mailDir).filter((m) => m.subject.includes(subject)).length >= want) break;
    await sleep(50);
  }
  await sleep(300);		// anything more (a second send) would be here by now
}

test('reminders, expiry and auto-extension through the clock, once on two nodes', async () => {
  let stack = await startStack();
  const data = stack.data;
  try {
    const w = await C.custPair(stack, { prefix: 'dalc' });
    const cust = await C.custOrg(stack, { domain: 'dalc-cust.example', org: 'DALC Customer AG', email: 'ga@dalc-cust.example' });
    await C.custRelate(stack, w, cust);
    const nora = await F.relUser(stack, w.reseller, { email: 'nora@dalc-resell.example', name: 'Nora North', roles: ['admin_agent'] });
    const plain = await granted(stack, w, cust, { name: 'Plain', days: 10 });
    const auto = await granted(stack, w, cust, { name: 'Auto', days: 10, auto_extend: 'yes' });
    const global = await granted(stack, w, cust, { name: 'Global', days: 10, roles: ['user_admin'], global_admin: 'yes' });
    const pending = (await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name: 'Unanswered', days: '10', 'roles[]': ['helpdesk_agent'], message: '' })).location;
    const pendingId = Number(/\/delegated-admin\/(\d+)/.exec(pending)[1]);
    assert.equal((await nora.client.submit('/delegated-admin/act', { rel: String(plain) }, '/delegated-admin')).status, 303);
    const expiresAt = (id) => Number(db.value(stack, 'SELECT expires_at FROM delegated_admins WHERE id = ?', id));
    const autoEnd = expiresAt(auto);
    await stack.stop({ keep: true });

    // Four days later, on two nodes at once: 6 days left, one "7 days" reminder per person and relationship.
    stack = await startStack({ data, nodes: 2, env: { PORTAL_CLOCK_OFFSET: String(4 * DAY) } });
    const recipients = [cust.email, w.reseller.email, nora.email].sort();
    await settle(stack, 'ends in 7 days', 3 * recipients.length);
    const reminders = messages(stack.mailDir).filter((m) => /ends in 7 days/.test(m.subject));
    assert.equal(reminders.length, 3 * recipients.length, reminders.map((m) => `${m.to}: ${m.subject}`).join('\n'));
    for (const name of ['Plain', 'Auto', 'Global']) {
      assert.deepEqual(reminders.filter((m) => m.subject.includes(`'${name}'`)).map((m) => m.to).sort(), recipients, name);
    }
    assert.equal(Number(db.value(stack, 'SELECT count(*) FROM delegated_admins WHERE reminder_stage = 2')), 3);
    await stack.stop({ keep: true });
    // Again (a restart, the same day): nothing new.
    stack = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(4 * DAY + 60) } });
    await settle(stack, 'ends in 7 days', 0);
    assert.equal(messages(stack.mailDir).filter((m) => /ends in 7 days/.test(m.subject)).length, reminders.length);
    await stack.stop({ keep: true });

    // Eleven days later: Plain and Global expired, Auto extended by six months; the partner
    // acting under Plain is refused.
    stack = await startStack({ data, nodes: 2, env: { PORTAL_CLOCK_OFFSET: String(11 * DAY) } });
    await settle(stack, 'has ended', 2 * recipients.length);
    const state = (id) => db.value(stack, 'SELECT state FROM delegated_admins WHERE id = ?', id);
    assert.equal(state(plain), 'expired');
    assert.equal(state(global), 'expired', 'never extended with Global admin');
    assert.equal(state(auto), 'active');
    assert.equal(expiresAt(auto), autoEnd + 182 * DAY);
    const all = messages(stack.mailDir);
    assert.equal(all.filter((m) => /has ended/.test(m.subject)).length, 2 * recipients.length);
    assert.deepEqual(all.filter((m) => /'Auto' was extended by 6 months/.test(m.subject)).map((m) => m.to).sort(), recipients);
    // ...and the unanswered request is over its 90 days only later
    assert.equal(state(pendingId), 'pending');
    await F.relUser(stack, w.reseller, { email: 'nora2@dalc-resell.example', roles: ['admin_agent'] }).then(async (n2) => {
      assert.equal((await n2.client.submit('/delegated-admin/act', { rel: String(plain) }, '/delegated-admin')).status, 409);
    });
    await stack.stop({ keep: true });

    // 91 days later: the request expired, its link no longer works.
    stack = await startStack({ data, env: { PORTAL_CLOCK_OFFSET: String(91 * DAY) } });
    await settle(stack, 'request for delegated admin', 1);
    assert.equal(state(pendingId), 'expired');
    assert.equal(Number(db.value(stack, "SELECT count(*) FROM link_tokens WHERE purpose = 'delegated-admin' AND subject_id = ? AND revoked_at IS NOT NULL", pendingId)), 1);
  } finally {
    await stack.stop({ keep: true });
    rmSync(data, { recursive: true, force: true });
  }
});
