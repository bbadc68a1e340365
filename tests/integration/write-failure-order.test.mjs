// write-failure-order.test.mjs — a write that fails while a provider places an order (issue
// 10): the order's writes are the subscription, then the reseller's confirmation in the mail
// outbox, then the audit entries. A trigger makes the outbox insert fail AFTER the
// subscription row was written in the same transaction, so a half-done order would show.
// Expected: the 500 page with the request id; nothing half-written (no subscription, no "ok"
// audit entry, no outbox row, no mail); the order form's one-time key not used up. Once the
// trigger is dropped, the same form places the order, exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as testdb from '../lib/db.mjs';
import { textOf } from '../lib/http.mjs';
import { messages, waitForMail } from '../lib/mail.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

/** The test's database side, in one place, through tests/lib/db.mjs. */
const db = {
  /** From now on every insert into the mail outbox fails, after its row was written. */
  breakOutbox: (stack) => testdb.exec(stack, `CREATE TRIGGER test_fail_outbox AFTER INSERT ON outbox
    BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;`),
  healOutbox: (stack) => testdb.exec(stack, 'DROP TRIGGER test_fail_outbox'),
  /** What an order writes, for customer `customer`, key `key`, provider tenant `provider`. */
  written: (stack, { customer, key, provider }) => {
    const r = testdb.one(stack, `SELECT
      (SELECT count(*) FROM subscriptions WHERE customer_tenant_id = ?) AS subs,
      (SELECT count(*) FROM subscriptions WHERE order_key = ?) AS keyed,
      (SELECT count(*) FROM audit WHERE action IN ('order.place', 'subscription.create') AND outcome = 'ok'
         AND (tenant_id = ? OR detail LIKE 'subscription %')) AS audited,
      (SELECT count(*) FROM outbox) AS outbox`, customer, key, provider);
    return { subs: Number(r.subs), keyed: Number(r.keyed), audited: Number(r.audited), outbox: Number(r.outbox) };
  },
};

let stack;
before(async () => {
  stack = await startStack();
  X.testOffers(stack);
});
after(() => stopChecked(stack));

test('order placement: a failing write answers 500 with the request id, writes nothing, and the same form works once repaired', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'wfo', providerOrg: 'Failing Distribution', resellerOrg: 'Failing Reselling',
    customer: { domain: 'wfo-cust.example', org: 'Failing Customer', country: 'NL' }, agreement: 'wfo-1' });

  const form = await C.orderForm(w.provider.client, cust.tenantId, w.reseller.accountId);
  const order = { reseller: w.reseller.accountId, mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '7', order_key: form.key };
  const where = { customer: cust.tenantId, key: form.key, provider: w.provider.tenantId };
  const before = db.written(stack, where);
  const mailBefore = messages(stack.mailDir).length;

  db.breakOutbox(stack);
  const res = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(res.status, 500, textOf(res.text));
  assert.equal(res.location, undefined, 'no redirect to a placed order');
  const rid = res.headers['x-request-id'];
  assert.match(rid, /^[0-9a-f]{16}$/);
  assert.match(textOf(res.text), new RegExp(`Error 500 · Request ID ${rid}`));
  assert.doesNotMatch(res.text, /order-placed|order was placed/i);
  const log = await stack.waitForLog(`rid=${rid} `);
  assert.match(log, /injected write failure/, 'the injected write did fail');
  assert.match(log, new RegExp(`rid=${rid} a database statement failed: rolled back, answering 500`));

  // Nothing half-written: the subscription written before the failing outbox insert is gone.
  assert.deepEqual(db.written(stack, where), before);
  assert.equal(messages(stack.mailDir).length, mailBefore, 'no mail');

  // Repaired: the same form (the same one-time key) places the order, once.
  db.healOutbox(stack);
  const placed = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(placed.status, 303, textOf(placed.text));
  assert.equal(placed.location, `/customers/${cust.tenantId}?m=order-placed`);
  await waitForMail(stack.mailDir, { to: w.reseller.email, subject: 'Order confirmation', after: mailBefore });
  const again = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(again.location, `/customers/${cust.tenantId}?m=order-already-placed`);
  const after = db.written(stack, where);
  assert.equal(after.subs, before.subs + 1);
  assert.equal(after.keyed, 1);
  // issue 15: the confirmation goes to the provider, the reseller and the customer (one user each who sees customers)
  assert.equal(after.outbox, before.outbox + 3, 'three confirmations: provider, reseller and customer, one user each who sees customers');
  const sub = testdb.one(stack, 'SELECT id, quantity FROM subscriptions WHERE order_key = ?', form.key);
  assert.equal(sub.quantity, 7);
  assert.equal(Number(testdb.value(stack, `SELECT count(*) FROM audit WHERE action = 'order.place' AND outcome = 'ok'
    AND detail LIKE ?`, `subscription ${sub.id}:%`)), 1);
});
