// da-acceptances.test.mjs — issue 13: a reseller's authorization of a provider and a customer's
// acceptance of a customer invitation create the default delegated admin relationship
// ("Administrator access": Admin agent's role, two years) that lets the partner's Admin agents
// act there; their pages say which relationship, in plain words; the customer may accept
// without any delegated admin (a choice on the form, default: with).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, errorsOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const DAY = 86400;
const nowSec = () => Math.floor(Date.now() / 1000);
const grants = (partner, other) => db.rows(stack, `SELECT * FROM delegated_admins WHERE partner_tenant_id = ?
  AND customer_tenant_id = ? ORDER BY id`, partner, other);

function assertDefault(row, kind, t0) {
  assert.equal(row.kind, kind);
  assert.equal(row.state, 'active');
  assert.equal(row.name, 'Administrator access');
  assert.equal(Number(row.roles), 8, "Admin agent's role");
  assert.equal(Number(row.duration_days), 730);
  assert.equal(Number(row.migrated), 0);
  assert.equal(Number(row.global_admin), 0);
  assert.ok(Number(row.approved_at) >= t0 - 1);
  assert.equal(Number(row.expires_at), Number(row.approved_at) + 730 * DAY);
}

test('authorizing a provider creates its delegated admin relationship, said on the page; its Admin agent acts with it', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'daacc-p.example', org: 'Acc Provider' });
  const r = await F.relPartner(stack, { domain: 'daacc-r.example', org: 'Acc Reseller' });
  const inv = await F.relInvite(stack, p, r.email);
  const page = await F.relOpen(r.client, inv.link);
  assert.equal(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, /creates a delegated admin relationship named Administrator access ?: Acc Provider's users who hold the Admin agent role/);
  assert.match(text, /Admin agent, for 2 years \(until \d\d \w{3} \d{4}\)/);
  assert.deepEqual(grants(p.tenantId, r.tenantId), []);
  const t0 = nowSec();
  const res = await r.client.submit('/authorize', { confirm: 'yes' }, '/find-a-provider');
  assert.equal(res.status, 303, textOf(res.text));
  const made = grants(p.tenantId, r.tenantId);
  assert.equal(made.length, 1);
  assertDefault(made[0], 'reseller', t0);
  assert.equal(Number(made[0].answered_by), Number(db.value(stack, 'SELECT id FROM users WHERE email = ?', r.email)));
  // the provider's Admin agent may act in the reseller's organization under it
  const aa = await F.relUser(stack, p, { email: 'aa@daacc-p.example', name: 'Ada Agent', roles: ['admin_agent'] });
  const act = await aa.client.submit('/delegated-admin/act', { rel: String(made[0].id) }, `/delegated-admin/${made[0].id}`);
  assert.equal(act.status, 303);
  assert.equal(act.location, '/settings/users');
  const users = await aa.client.get('/settings/users');
  assert.equal(users.status, 200);
  assert.match(textOf(users.text), /Acting as partner in Acc Reseller/);
  assert.match(users.text, /admin@daacc-r\.example/);
  // Remove administrator access terminates it (as it does the migrated one)
  const rel = Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', p.accountId, r.accountId));
  const confirm = await r.client.get(`/providers/remove-access/${rel}`);
  assert.equal((await r.client.submit(`/providers/remove-access/${rel}`, {}, `/providers/remove-access/${rel}`)).status, 303, confirm.status);
  assert.equal(grants(p.tenantId, r.tenantId)[0].state, 'terminated');
});

test('a customer accepts with delegated administration by default: both partners get the default relationship', async () => {
  const w = await C.custPair(stack, { prefix: 'dacw', providerOrg: 'DACW Distribution', resellerOrg: 'DACW Reselling' });
  const cust = await C.custOrg(stack, { domain: 'dacw-cust.example', org: 'DACW Customer AG', email: 'ga@dacw-cust.example' });
  const inv = await C.custInvite(stack, w, cust.email);
  const page = await C.custOpen(cust.client, inv.link);
  assert.equal(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, /Accepting with it creates a delegated admin relationship named Administrator access with each of them/);
  assert.match(text, /Admin agent, for 2 years \(until \d\d \w{3} \d{4}\)/);
  assert.match(page.text, /id="da-with" name="da" type="radio" value="with" checked/);
  assert.match(page.text, /id="da-without" name="da" type="radio" value="without">/);
  const t0 = nowSec();
  const res = await C.custAccept(cust.client);
  assert.equal(res.status, 303);
  for (const partner of [w.reseller, w.provider]) {
    const made = grants(partner.tenantId, cust.tenantId);
    assert.equal(made.length, 1, partner.org);
    assertDefault(made[0], 'customer', t0);
  }
  assert.equal(Number(db.value(stack, 'SELECT min(delegated_admin) FROM customer_relationships WHERE customer_tenant_id = ?', cust.tenantId)), 1);
});

test('a customer may accept the reseller relationship without any delegated admin; a bad choice gets the form again', async () => {
  const w = await C.custPair(stack, { prefix: 'dacn', providerOrg: 'DACN Distribution', resellerOrg: 'DACN Reselling' });
  const cust = await C.custOrg(stack, { domain: 'dacn-cust.example', org: 'DACN Customer AG', email: 'ga@dacn-cust.example' });
  const inv = await C.custInvite(stack, w, cust.email);
  await C.custOpen(cust.client, inv.link);
  let res = await C.custAccept(cust.client, { confirm: 'yes', da: 'maybe' });
  assert.equal(res.status, 422);
  assert.ok(errorsOf(res.text).some((e) => /Choose with or without delegated administration/.test(e)), errorsOf(res.text).join(' | '));
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM customer_relationships WHERE customer_tenant_id = ?', cust.tenantId)), 0, 'nothing written');
  res = await C.custAccept(cust.client, { confirm: 'yes', da: 'without' });
  assert.equal(res.status, 303);
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM customer_relationships WHERE customer_tenant_id = ? AND status = ?', cust.tenantId, 'active')), 2);
  assert.equal(Number(db.value(stack, 'SELECT max(delegated_admin) FROM customer_relationships WHERE customer_tenant_id = ?', cust.tenantId)), 0);
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM delegated_admins WHERE customer_tenant_id = ?', cust.tenantId)), 0);
  assert.match(db.value(stack, `SELECT detail FROM audit WHERE tenant_id = ? AND action = 'customer.accept'`, cust.tenantId), /delegated administration no$/);
});

test('an invitation that does not ask for delegated administration creates none and offers no choice', async () => {
  const w = await C.custPair(stack, { prefix: 'dacx', providerOrg: 'DACX Distribution', resellerOrg: 'DACX Reselling' });
  const cust = await C.custOrg(stack, { domain: 'dacx-cust.example', org: 'DACX Customer AG', email: 'ga@dacx-cust.example' });
  const inv = await C.custInvite(stack, w, cust.email, { delegated: false });
  const page = await C.custOpen(cust.client, inv.link);
  assert.match(textOf(page.text), /does not ask for delegated administration: accepting creates no delegated admin relationship/);
  assert.doesNotMatch(page.text, /name="da"/);
  assert.equal((await C.custAccept(cust.client)).status, 303);
  assert.equal(Number(db.value(stack, 'SELECT count(*) FROM delegated_admins WHERE customer_tenant_id = ?', cust.tenantId)), 0);
});
