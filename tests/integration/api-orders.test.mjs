// api-orders.test.mjs — orders through the JSON API (issue 14), through real nginx: a
// provider's credential places an order for a customer on behalf of a reseller with the
// checks of the order review (offer, quantity, the customer's currency, the reseller may
// transact), an Idempotency-Key required (retries and concurrent calls place one
// subscription), the three organizations emailed and audited; the customer's
// subscriptions a page at a time, stable while orders are placed; refusals by role,
// partner type and for other organizations' ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { credClient, assertProblem } from '../lib/api.mjs';
import { messages, waitForMail } from '../lib/mail.mjs';

let stack;
before(async () => { stack = await startStack(); F.testOffers(stack); });
after(() => stopChecked(stack));

const cred = (tenant, roles) => credClient(stack, tenant, roles);

const problem = assertProblem;

const key = (k) => ({ headers: { 'idempotency-key': k } });
const subs = (customer) => F.count(stack, 'subscriptions', { customer_tenant_id: customer });

test('orders: placed with the checks of the order review, an Idempotency-Key required, retried once; emails and audit', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'apio1', customer: { domain: 'apio1-cust.example' }, agreement: 'apio-v1' });
  const sales = await cred(w.provider.tenantId, ['sales_agent']);
  const path = `/api/v1/customers/${cust.tenantId}/orders`;
  const order = { reseller_account_id: w.reseller.accountId, mpn_id: w.reseller.mpn, offer_id: 'T-STD', quantity: 3 };

  // Without a key: 400, nothing written. Bad fields: 422 with each field, nothing written.
  problem(await sales.post(path, order), 400);
  let res = await sales.post(path, { reseller_account_id: 'x', mpn_id: '12', offer_id: 'T-OLD', quantity: 0 }, key('bad-1'));
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['reseller_account_id', 'mpn_id', 'offer_id', 'quantity']);
  res = await sales.post(path, { ...order, quantity: 10001, currency: 'EUR' }, key('bad-2'));
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['quantity', 'currency']);
  assert.match(res.json.errors[1].message, /charged in USD/);
  assert.equal(subs(cust.tenantId), 0);

  // Placed: 201 with the subscription and its price in the customer's currency; the confirmations; audited as the credential.
  const mails = messages(stack.mailDir).length;
  const first = await sales.post(path, { ...order, currency: 'USD' }, key('order-1'));
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.offer_id, 'T-STD');
  assert.equal(first.json.quantity, 3);
  assert.equal(first.json.mpn_id, w.reseller.mpn);
  assert.equal(first.json.status, 'active');
  assert.deepEqual(first.json.price, { currency: 'USD', unit_cents: 1250, total_cents: 3750 });
  assert.equal(subs(cust.tenantId), 1);
  const mail = await waitForMail(stack.mailDir, { to: w.reseller.email, subject: 'Order confirmation', after: mails });
  assert.match(mail.body, /37\.50 USD/);
  assert.deepEqual(F.audit(stack, { tenant_id: w.provider.tenantId, action: 'order.place' }, 'actor, outcome'),
    [{ actor: `api:${sales.name}`, outcome: 'ok' }]);
  assert.equal(F.auditCount(stack, { tenant_id: w.reseller.tenantId, action: 'subscription.create', outcome: 'ok' }), 1);

  // The same key again: the first answer, no second subscription. Three concurrent calls with a new key: one.
  const again = await sales.post(path, { ...order, currency: 'USD' }, key('order-1'));
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(subs(cust.tenantId), 1);
  const three = await Promise.all([1, 2, 3].map(() => sales.post(path, { ...order, offer_id: 'T-SEC', quantity: 1 }, key('order-2'))));
  assert.deepEqual(three.map((r) => r.status), [201, 201, 201]);
  assert.equal(new Set(three.map((r) => r.json.id)).size, 1);
  assert.equal(subs(cust.tenantId), 2);

  // The reseller's credential sees both on the customer's subscriptions, newest first, a page at a time;
  // an order placed between two pages is not on the later one (the cursor is the last id seen).
  const resellerApi = await cred(w.reseller.tenantId, ['helpdesk_agent']);
  res = await resellerApi.get(`/api/v1/customers/${cust.tenantId}/subscriptions?limit=1`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((s) => s.offer_id), ['T-SEC']);
  const placed = await sales.post(path, { ...order, quantity: 7 }, key('order-3'));
  assert.equal(placed.status, 201);
  res = await resellerApi.get(`/api/v1/customers/${cust.tenantId}/subscriptions?limit=1&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((s) => [s.offer_id, s.quantity]), [['T-STD', 3]]);
  res = await resellerApi.get(`/api/v1/customers/${cust.tenantId}/subscriptions?limit=1&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items, []);
  assert.equal(res.json.next_cursor, null);
  const all = (await resellerApi.get(`/api/v1/customers/${cust.tenantId}/subscriptions`)).json.items;
  assert.deepEqual(all.map((s) => s.quantity), [7, 1, 3]);
  // who ordered: the credential by its name (schema 25), as the pages show it
  assert.deepEqual([...new Set(all.map((s) => s.ordered_by))], [`API credential ${sales.name}`]);
  assert.equal((await resellerApi.get(`/api/v1/customers/${cust.tenantId}`)).status, 200);
});

test('orders refused: a reseller that may not transact, a reseller or customer the provider does not work with, roles and partner type', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'apio2', customer: { domain: 'apio2-cust.example' }, agreement: 'apio-v2', resellerAccepts: false });
  const admin = await cred(w.provider.tenantId, ['admin_agent']);
  const path = `/api/v1/customers/${cust.tenantId}/orders`;
  const order = { reseller_account_id: w.reseller.accountId, mpn_id: w.reseller.mpn, offer_id: 'T-STD', quantity: 1 };

  // The reseller has not accepted the current agreement: the rule's refusal, audited, nothing written.
  let res = await admin.post(path, order, key('gate-1'));
  assert.ok(res.status >= 400 && res.status < 500, res.text);
  assert.match(res.json.detail, /may transact/);
  assert.equal(subs(cust.tenantId), 0);
  assert.deepEqual(F.audit(stack, { tenant_id: w.provider.tenantId, action: 'order.place' }, 'actor, outcome'),
    [{ actor: `api:${admin.name}`, outcome: 'refused' }]);
  // Once it has, the same order goes through (a refusal is not kept under the key).
  F.acceptAgreement(stack, w.reseller.tenantId, { email: w.reseller.email });
  res = await admin.post(path, order, key('gate-1'));
  assert.equal(res.status, 201, res.text);

  // A reseller this provider never worked with, another provider's customer: 404, audited, nothing written.
  const other = await C.custOrderWorld(stack, { prefix: 'apio3', customer: { domain: 'apio3-cust.example' }, agreement: 'apio-v3' });
  problem(await admin.post(path, { ...order, reseller_account_id: other.w.reseller.accountId, mpn_id: other.w.reseller.mpn }, key('x-1')), 404);
  problem(await admin.post(`/api/v1/customers/${other.cust.tenantId}/orders`, order, key('x-2')), 404);
  assert.equal(F.auditCount(stack, { tenant_id: w.provider.tenantId, action: 'access', target: `reseller account ${other.w.reseller.accountId}` }), 1);
  assert.equal(F.auditCount(stack, { tenant_id: w.provider.tenantId, action: 'access', target: `customer organization ${other.cust.tenantId}` }), 1);
  problem(await admin.get(`/api/v1/customers/${other.cust.tenantId}/subscriptions`), 404);
  assert.equal(subs(other.cust.tenantId), 0);
  // A Helpdesk agent may not order (ORDERS_PLACE); a reseller is not a provider.
  problem(await (await cred(w.provider.tenantId, ['helpdesk_agent'])).post(path, order, key('role-1')), 403);
  problem(await (await cred(w.reseller.tenantId)).post(path, order, key('type-1')), 403);
  assert.equal(subs(cust.tenantId), 1);
});
