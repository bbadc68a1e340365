// api-customers.test.mjs — the JSON API's customers and customer invitations (issue 14)
// through real nginx: a partner's customers a page at a time by an opaque cursor (stable
// while customers are added, a name search, sorts whitelisted), one customer, a reseller's
// customer invitations per provider (list, invite with the email, get, revoke, idempotent
// retries); refusals by role, by partner type and for another organization's ids (404,
// audited); every write audited with the credential's name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { credClient, assertProblem } from '../lib/api.mjs';
import { waitForMail } from '../lib/mail.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const cred = (tenant, roles) => credClient(stack, tenant, roles);

const problem = assertProblem;

let serial = 0;
/** Customer organizations (no users) related to the partner accounts: their ids. */
function customers(names, accounts, { since = F.now() } = {}) {
  return names.map((name) => {
    const id = F.newTenant(stack, { name, domain: `apic-${++serial}.example`, kind: 'customer' });
    F.customerRelationships(stack, id, accounts, { since });
    return id;
  });
}

test('customers: a page at a time by cursor while customers are added, search, sorts; one customer; roles and other organizations refused', async () => {
  const w = await C.custPair(stack, { prefix: 'apic1' });
  const ids = customers(['Delta GmbH', 'alpha AG', 'Charlie SE', 'bravo KG', 'Echo Ltd'], [w.provider.accountId, w.reseller.accountId]);
  const sales = await cred(w.provider.tenantId, ['sales_agent']);

  // By name, two at a time; customers added meanwhile: before the cursor's place (not seen), after it (seen).
  let res = await sales.get('/api/v1/customers?limit=2');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((c) => c.name), ['alpha AG', 'bravo KG']);
  assert.deepEqual(res.json.items[0], { id: ids[1], name: 'alpha AG', country: 'Germany', as: ['indirect_provider'],
    since: res.json.items[0].since, delegated_admin: true, subscriptions: 0 });
  const [, zulu] = await Promise.all([
    sales.get('/api/v1/customers?limit=1'),
    Promise.resolve(customers(['Aardvark Late', 'Zulu Late'], [w.provider.accountId])),
  ]);
  res = await sales.get(`/api/v1/customers?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((c) => c.name), ['Charlie SE', 'Delta GmbH']);
  res = await sales.get(`/api/v1/customers?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((c) => c.name), ['Echo Ltd', 'Zulu Late']);
  res = await sales.get(`/api/v1/customers?limit=2&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items, []);
  assert.equal(res.json.next_cursor, null);
  assert.ok(zulu[1] > 0);
  // Newest relationship first; descending names; a search for a part of the name (any case, LIKE's characters literal).
  db.exec(stack, 'UPDATE customer_relationships SET since = since - 100 WHERE customer_tenant_id <> ?', zulu[1]);
  res = await sales.get('/api/v1/customers?sort=-since&limit=1');
  assert.deepEqual(res.json.items.map((c) => c.name), ['Zulu Late']);
  res = await sales.get('/api/v1/customers?sort=-name&limit=3');
  assert.deepEqual(res.json.items.map((c) => c.name), ['Zulu Late', 'Echo Ltd', 'Delta GmbH']);
  res = await sales.get('/api/v1/customers?q=LATE&limit=1');
  assert.deepEqual(res.json.items.map((c) => c.name), ['Aardvark Late']);
  res = await sales.get(`/api/v1/customers?q=LATE&limit=1&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((c) => c.name), ['Zulu Late']);
  assert.deepEqual((await sales.get('/api/v1/customers?q=%25')).json.items, []);
  problem(await sales.get('/api/v1/customers?sort=country'), 400);
  problem(await sales.get('/api/v1/customers?limit=500'), 400);
  // A cursor naming a customer that was never this organization's: 400.
  problem(await sales.get(`/api/v1/customers?cursor=${Buffer.from('name:999999').toString('base64url')}`), 400);

  // One customer: its relationships with this organization and the resellers it is shared with.
  res = await sales.get(`/api/v1/customers/${ids[0]}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.name, 'Delta GmbH');
  assert.equal(res.json.country, 'DE');
  assert.deepEqual(res.json.relationships.map((x) => x.as), ['indirect_provider']);
  assert.deepEqual(res.json.resellers.map((x) => x.account_id), [w.reseller.accountId]);
  assert.deepEqual(res.json.providers, []);
  // The reseller's side sees its provider.
  const resellerApi = await cred(w.reseller.tenantId, ['helpdesk_agent']);
  res = await resellerApi.get(`/api/v1/customers/${ids[0]}`);
  assert.deepEqual(res.json.providers.map((x) => x.relationship_id), [w.rel]);
  assert.deepEqual((await resellerApi.get('/api/v1/customers?limit=200')).json.items.map((c) => c.name),
    ['alpha AG', 'bravo KG', 'Charlie SE', 'Delta GmbH', 'Echo Ltd']);

  // A User admin does not see customers (CUSTOMERS_VIEW); another organization's customer is 404, audited.
  problem(await (await cred(w.provider.tenantId, ['user_admin'])).get('/api/v1/customers'), 403);
  const other = await C.custPair(stack, { prefix: 'apic1x' });
  const otherApi = await cred(other.provider.tenantId);
  problem(await otherApi.get(`/api/v1/customers/${ids[0]}`), 404);
  problem(await otherApi.get(`/api/v1/customers/${ids[0]}/subscriptions`), 404);
  assert.equal(F.auditCount(stack, { tenant_id: other.provider.tenantId, action: 'access', target: `customer organization ${ids[0]}`, outcome: 'refused' }), 2);
  assert.deepEqual((await otherApi.get('/api/v1/customers')).json.items, []);
  problem(await otherApi.get(`/api/v1/customers?cursor=${Buffer.from(`name:${ids[0]}`).toString('base64url')}`), 400);
});

test('customer invitations: invite (email, link), list, get, revoke, idempotent retries; roles, partner type and other organizations refused', async () => {
  const w = await C.custPair(stack, { prefix: 'apic2' });
  const sales = await cred(w.reseller.tenantId, ['sales_agent']);

  // Invite: 201 with the link, the email with the same link; audited as the credential.
  let res = await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'Boss@Customer.example', message: 'Hello from the API' });
  assert.equal(res.status, 201, res.text);
  const inv = res.json;
  assert.equal(inv.email, 'boss@customer.example');
  assert.equal(inv.status, 'pending');
  assert.equal(inv.delegated_admin, true);
  assert.equal(inv.provider_account_id, w.provider.accountId);
  assert.match(inv.link, /\/customer-invite\?t=/);
  assert.equal(res.headers.location, `/api/v1/customer-invitations/${inv.id}`);
  const mail = await waitForMail(stack.mailDir, { to: 'boss@customer.example' });
  assert.match(mail.body, /Hello from the API/);
  assert.ok(mail.body.includes(inv.link), 'the answer\'s link is the emailed one');
  assert.deepEqual(F.audit(stack, { tenant_id: w.reseller.tenantId, action: 'customer-invitation.send' }, 'actor, target, outcome'),
    [{ actor: `api:${sales.name}`, target: 'boss@customer.example', outcome: 'ok' }]);
  // The same address again while pending: 409; bad fields: 422, each named.
  problem(await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'boss@customer.example' }), 409);
  res = await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'nope', message: 3, delegated_admin: 'yes' });
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['email', 'message', 'delegated_admin']);

  // Idempotency-Key: a retry gets the first answer; one row, one mail.
  const key = { headers: { 'idempotency-key': 'cinv-second-1' } };
  const first = await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'second@customer.example', delegated_admin: false }, key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.delegated_admin, false);
  const again = await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'second@customer.example', delegated_admin: false }, key);
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(F.count(stack, 'customer_invitations', { email: 'second@customer.example' }), 1);

  // List, newest first, a page at a time; get one.
  res = await sales.get(`/api/v1/providers/${w.rel}/customer-invitations?limit=1`);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.items.map((x) => x.email), ['second@customer.example']);
  res = await sales.get(`/api/v1/providers/${w.rel}/customer-invitations?limit=1&cursor=${res.json.next_cursor}`);
  assert.deepEqual(res.json.items.map((x) => x.email), ['boss@customer.example']);
  res = await sales.get(`/api/v1/customer-invitations/${inv.id}`);
  assert.deepEqual(res.json, inv);

  // Revoke: 200, no link any more; again: 409. The landing page refuses the link.
  res = await sales.post(`/api/v1/customer-invitations/${inv.id}/revoke`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'revoked');
  assert.equal(res.json.link, undefined);
  problem(await sales.post(`/api/v1/customer-invitations/${inv.id}/revoke`), 409);
  assert.equal(db.value(stack, 'SELECT status FROM customer_invitations WHERE id = ?', inv.id), 'revoked');
  assert.deepEqual(F.audit(stack, { tenant_id: w.reseller.tenantId, action: 'customer-invitation.revoke' }, 'actor, outcome'),
    [{ actor: `api:${sales.name}`, outcome: 'ok' }, { actor: `api:${sales.name}`, outcome: 'refused' }]);

  // A Helpdesk agent may not invite (CUSTOMERS_INVITE); a provider is not a reseller (partner type).
  problem(await (await cred(w.reseller.tenantId, ['helpdesk_agent'])).get(`/api/v1/providers/${w.rel}/customer-invitations`), 403);
  const providerApi = await cred(w.provider.tenantId);
  problem(await providerApi.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'x@customer.example' }), 403);
  // Another reseller: A's relationship and invitation are 404 (audited), nothing changes.
  const other = await C.custPair(stack, { prefix: 'apic2x' });
  const otherApi = await cred(other.reseller.tenantId);
  const second = first.json.id;
  problem(await otherApi.get(`/api/v1/providers/${w.rel}/customer-invitations`), 404);
  problem(await otherApi.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'y@customer.example' }), 404);
  problem(await otherApi.get(`/api/v1/customer-invitations/${second}`), 404);
  problem(await otherApi.post(`/api/v1/customer-invitations/${second}/revoke`), 404);
  assert.equal(db.value(stack, 'SELECT status FROM customer_invitations WHERE id = ?', second), 'pending');
  assert.equal(F.count(stack, 'customer_invitations', { email: 'y@customer.example' }), 0);
  assert.equal(F.auditCount(stack, { tenant_id: other.reseller.tenantId, action: 'access', outcome: 'refused' }), 4);
});

test('an oversized body under /api/ is refused by nginx as problem details (413); a page still gets the HTML page', async () => {
  const w = await C.custPair(stack, { prefix: 'apic3' });
  const sales = await cred(w.reseller.tenantId, ['sales_agent']);
  const before = F.count(stack, 'customer_invitations', {});
  const res = await sales.post(`/api/v1/providers/${w.rel}/customer-invitations`, { email: 'big@customer.example', message: 'x'.repeat(70000) });
  assert.equal(res.status, 413, res.text);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.deepEqual({ ...res.json, request_id: 0 }, { type: 'about:blank', title: 'Content Too Large', status: 413,
    detail: 'The request body is larger than this portal accepts (PORTAL_MAX_BODY).', request_id: 0 });
  assert.equal(res.json.request_id, res.headers['x-request-id'], 'the request id of the answer');
  assert.equal(F.count(stack, 'customer_invitations', {}), before, 'nothing written');
  // A page's form: nginx's 413 page as before.
  const page = await w.reseller.client.post(`/providers/${w.rel}/invite-customer`, { csrf: 'x', message: 'x'.repeat(70000) });
  assert.equal(page.status, 413);
  assert.match(page.headers['content-type'], /^text\/html/);
});
