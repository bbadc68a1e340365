// webhooks.test.mjs — webhooks (issue 14) through real nginx with a test receiver on
// 127.0.0.1 (tests/lib/webhooks.mjs): Settings -> Webhooks (a bad URL gets the form again,
// the secret shown once and stored sealed), an event queued with the change and none when
// the change is refused, the Standard Webhooks signature checked with the secret, a 500
// answered once and the retry after the backoff, the delivery log with both attempts, "Send
// again", disable and delete; a private address refused without PORTAL_WEBHOOK_ALLOW_PRIVATE;
// and two nodes plus two portalctl runs sending every delivery exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startStack, stopChecked, ROOT, PORTAL_BIN } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { startReceiver, signatureValid, createEndpoint, until } from '../lib/webhooks.mjs';

// Node a and node b (PORTAL_LISTEN, its own copy of the key file), each with its sender thread
// passing every second; a failed delivery is tried again a second later.
const ENV = { PORTAL_WEBHOOK_ALLOW_PRIVATE: '1', PORTAL_WEBHOOK_BACKOFF: '1', PORTAL_WEBHOOK_POLL: '1' };
let stack, receiver;
before(async () => {
  receiver = await startReceiver((r) => (r.path === '/flaky' && receiver.requests.filter((x) => x.path === '/flaky').length === 1 ? 500 : 200));
  stack = await startStack({ nodes: 2, env: ENV });
});
after(async () => { await receiver?.close(); await stopChecked(stack); });

let serial = 0;
async function org(s = stack) {
  const domain = `hooks${++serial}.example`;
  const ga = new Client(s.base);
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: `Hooks Org ${serial}` });
  return { ga, tenant: F.tenantId(s, domain), domain };
}

const deliveries = (s, endpoint) => db.rows(s, 'SELECT id, event_id, event_type, state, attempts, last_code, coalesce(last_error, \'\') AS last_error FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id', endpoint);

test('Settings → Webhooks: a bad URL or no events gets the form again; the secret is shown once and stored sealed', async () => {
  const a = await org();
  assert.match((await a.ga.get('/settings/webhooks')).text, /No webhook endpoints yet/);
  let r = await createEndpoint(a.ga, { url: 'http://hooks.example.com/portal' });
  assert.equal(r.res.status, 422);
  assert.deepEqual(errorsOf(r.res.text), ['Use https://. Plain http:// is only for a loopback address, where the portal\'s settings allow it.']);
  assert.match(r.res.text, /id="f-url-error"|aria-describedby="f-url/, 'the message is beside the field');
  r = await createEndpoint(a.ga, { url: 'https://user:pw@hooks.example.com/', events: [] });
  assert.equal(r.res.status, 422);
  assert.deepEqual(errorsOf(r.res.text), ['Enter an https:// address, e.g. https://example.com/hooks/portal.', 'Choose at least one event.']);
  r = await createEndpoint(a.ga, { url: 'https://hooks.example.com/', events: ['user.added', 'no.such'] });
  assert.equal(r.res.status, 422);
  assert.equal(F.count(stack, 'webhook_endpoints', { tenant_id: a.tenant }), 0);

  const made = await createEndpoint(a.ga, { url: 'https://hooks.example.com/portal', events: ['order.placed', 'user.added'] });
  assert.equal(made.res.status, 201);
  assert.ok(made.secret, 'the secret is on the page');
  const row = db.one(stack, `SELECT url, events, ${db.hex('secret')} AS h FROM webhook_endpoints WHERE tenant_id = ?`, a.tenant);
  assert.equal(row.url, 'https://hooks.example.com/portal');
  assert.equal(Number(row.events), (1 << 4) | (1 << 10));
  const keyHex = Buffer.from(made.secret.slice(6), 'base64').toString('hex');
  assert.equal(row.h.length, (32 + 44) * 2, 'key id, nonce, sealed key and tag');
  assert.ok(!row.h.toLowerCase().includes(keyHex), 'the key is not stored in the clear');
  const list = await a.ga.get('/settings/webhooks');
  assert.match(list.text, /hooks\.example\.com\/portal/);
  assert.match(list.text, /An order was placed, A user was added/);
  assert.ok(!list.text.includes(made.secret), 'never shown again');
  assert.ok(!stack.portalLog().includes(made.secret.slice(6)), 'never in the log');
  assert.deepEqual(F.audit(stack, { tenant_id: a.tenant, action: 'webhook.create' }, 'actor, target, outcome'),
    [{ actor: `ana@${a.domain}`, target: 'https://hooks.example.com/portal', outcome: 'ok' }]);
});

test('an event is signed and sent; a 500 is retried after the backoff; the delivery log shows both attempts; Send again resends', async () => {
  const a = await org();
  const made = await createEndpoint(a.ga, { url: receiver.url('/flaky') });
  assert.equal(made.res.status, 201);
  // A refused change queues nothing: the Global admin's own address again.
  const refused = await a.ga.submit('/settings/users/new', { name: 'Ana Again', email: `ana@${a.domain}`, 'roles[]': ['sales_agent'] });
  assert.equal(refused.status, 422);
  assert.equal(deliveries(stack, made.id).length, 0);

  const added = await a.ga.submit('/settings/users/new', { name: 'Sam Sales', email: `sam@${a.domain}`, 'roles[]': ['sales_agent'] });
  assert.ok([200, 201, 303].includes(added.status), `user added: ${added.status}`);
  const queued = deliveries(stack, made.id);
  assert.equal(queued.length, 1, 'queued with the change');
  assert.equal(queued[0].event_type, 'user.added');

  const mine = () => receiver.requests.filter((r) => r.headers['webhook-id'] === queued[0].event_id);
  await until('the retry after the 500', () => mine().length >= 2);
  const [first, second] = mine();
  for (const r of [first, second]) {
    assert.equal(r.method, 'POST');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(signatureValid(r, made.secret), 'the signature checks with the secret shown once');
    assert.match(r.headers['webhook-timestamp'], /^\d{10}$/);
    assert.ok(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
  }
  assert.ok(!signatureValid(first, `whsec_${Buffer.alloc(32, 7).toString('base64')}`), 'another secret does not check');
  const body = JSON.parse(second.body);
  assert.equal(body.type, 'user.added');
  assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(body.data.email, `sam@${a.domain}`);
  assert.equal(body.data.name, 'Sam Sales');
  assert.equal(body.data.user_id, F.userId(stack, `sam@${a.domain}`));
  assert.ok(!second.body.includes('whsec_'));
  await until('the delivery marked sent', () => deliveries(stack, made.id)[0].state === 'sent');
  const d = deliveries(stack, made.id)[0];
  assert.equal(Number(d.attempts), 2);
  assert.equal(Number(d.last_code), 200);

  // The delivery log: the delivery sent after 2 attempts (code 200), and both attempts (500, 200).
  const log = await a.ga.get(`/settings/webhooks/${made.id}`);
  assert.equal(log.status, 200);
  const rows = textOf(log.text.slice(log.text.indexOf('id="deliveries"'), log.text.indexOf('id="attempts"')));
  assert.match(rows, /user\.added.*Sent.*\b2\b.*200/s);
  const attempts = log.text.slice(log.text.indexOf('id="attempts"'));
  assert.equal([...attempts.matchAll(/data-label="Response code">(\d+)</g)].map((m) => m[1]).join(','), '200,500');
  assert.match(attempts, /answered 500/);

  // Send again: the same event (same webhook-id), signed anew, a third attempt in the log.
  const again = await a.ga.post(`/settings/webhooks/deliveries/${d.id}/resend`, { csrf: csrfOf(log.text) });
  assert.equal(again.status, 303);
  assert.match(again.location, new RegExp(`/settings/webhooks/${made.id}\\?m=webhook-resend`));
  await until('the resent delivery', () => mine().length >= 3);
  assert.ok(signatureValid(mine()[2], made.secret));
  await until('three attempts', () => Number(deliveries(stack, made.id)[0].attempts) === 3 && deliveries(stack, made.id)[0].state === 'sent');
  assert.equal(F.auditCount(stack, { tenant_id: a.tenant, action: 'webhook.resend' }), 1);

  // Another organization: its Global admin gets 404 for this endpoint and this delivery.
  const b = await org();
  assert.equal((await b.ga.get(`/settings/webhooks/${made.id}`)).status, 404);
  const page = await b.ga.get('/settings/webhooks');
  assert.equal((await b.ga.post(`/settings/webhooks/deliveries/${d.id}/resend`, { csrf: csrfOf(page.text) })).status, 404);
  assert.equal((await b.ga.post(`/settings/webhooks/${made.id}/delete`, { csrf: csrfOf(page.text) })).status, 404);

  // Disabled: an event queues nothing for it; deleted: gone with its log.
  const dis = await a.ga.post(`/settings/webhooks/${made.id}/disable`, { csrf: csrfOf(log.text) });
  assert.equal(dis.status, 303);
  assert.match((await a.ga.follow(dis)).text, /Disabled: its events wait/);
  const before = deliveries(stack, made.id).length;
  const tom = await a.ga.submit('/settings/users/new', { name: 'Tom', email: `tom@${a.domain}`, 'roles[]': ['sales_agent'] });
  assert.ok([200, 201, 303].includes(tom.status));
  assert.equal(deliveries(stack, made.id).length, before, 'nothing queued for a disabled endpoint');
  const del = await a.ga.post(`/settings/webhooks/${made.id}/delete`, { csrf: csrfOf(log.text) });
  assert.equal(del.status, 303);
  assert.equal(F.count(stack, 'webhook_endpoints', { tenant_id: a.tenant }), 0);
  assert.equal(F.count(stack, 'webhook_deliveries', { endpoint_id: made.id }), 0);
});

test('a private address is refused without PORTAL_WEBHOOK_ALLOW_PRIVATE: at the form, and for a name that resolves to one at connection time', async () => {
  const plain = await startStack({ env: { PORTAL_WEBHOOK_POLL: '1', PORTAL_WEBHOOK_BACKOFF: '1' } });
  const seen = await startReceiver();
  try {
    const a = await org(plain);
    let r = await createEndpoint(a.ga, { url: `http://127.0.0.1:${seen.port}/hook` });
    assert.equal(r.res.status, 422);
    r = await createEndpoint(a.ga, { url: `https://127.0.0.1:${seen.port}/hook` });
    assert.equal(r.res.status, 422);
    assert.deepEqual(errorsOf(r.res.text), ['This address is on a private or loopback network, which webhooks may not reach.']);
    // A name passes the form; what it resolves to (loopback) is refused when connecting.
    const made = await createEndpoint(a.ga, { url: `https://localhost:${seen.port}/hook` });
    assert.equal(made.res.status, 201);
    const added = await a.ga.submit('/settings/users/new', { name: 'Sam Sales', email: `sam@${a.domain}`, 'roles[]': ['sales_agent'] });
    assert.ok([200, 201, 303].includes(added.status));
    await until('an attempt', () => Number(deliveries(plain, made.id)[0]?.attempts ?? 0) >= 1);
    const d = deliveries(plain, made.id)[0];
    assert.match(d.last_error, /private network/);
    assert.equal(Number(d.last_code), 0);
    assert.equal(seen.requests.length, 0, 'nothing reached the receiver');
  } finally {
    await seen.close();
    await stopChecked(plain);
  }
});

test('two nodes and two portalctl runs at once send every delivery exactly once', async () => {
  const a = await org();
  const counter = await startReceiver();
  try {
    const made = await createEndpoint(a.ga, { url: counter.url('/count') });
    assert.equal(made.res.status, 201);
    const now = Math.floor(Date.now() / 1000);
    const N = 30;
    db.batch(stack, Array.from({ length: N }, (_, i) => [
      'INSERT INTO webhook_deliveries(endpoint_id, event_id, event_type, body, created_at, retry_from, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      made.id, `msg_twice_${i}`, 'user.added', JSON.stringify({ n: i }), now, now, now + 1]));
    await new Promise((ok) => setTimeout(ok, 1000));
    const runs = await Promise.all([stack.ctlAsync('webhooks', 'deliver'), stack.ctlAsync('webhooks', 'deliver')]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    await until('every delivery sent', () => Number(db.value(stack, 'SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND state = \'sent\'', made.id)) === N);
    await new Promise((ok) => setTimeout(ok, 1500));	// a second sender pass would show up here
    const ids = counter.requests.map((r) => r.headers['webhook-id']);
    assert.equal(ids.length, N, `requests: ${ids.length}`);
    assert.equal(new Set(ids).size, N);
    assert.equal(Number(db.value(stack, 'SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ?', made.id)), N);
    for (const r of counter.requests) assert.ok(signatureValid(r, made.secret));
  } finally {
    await counter.close();
  }
});

const ALL_EVENTS = ['reseller_invitation.accepted', 'relationship.created', 'relationship.ended', 'customer.accepted',
  'order.placed', 'agreement.accepted', 'delegated_admin.requested', 'delegated_admin.approved',
  'delegated_admin.expiring', 'delegated_admin.terminated', 'user.added', 'user.removed'];

test('the partner events through the real flows: invitation accepted, relationship created, customer accepted, order placed, relationship ended — to each side\'s endpoint', async () => {
  const events = await startReceiver();
  try {
    const provider = await R.relPartner(stack, { type: 'indirect_provider', domain: 'wh-dist.example', org: 'Hook Distribution' });
    const reseller = await R.relPartner(stack, { domain: 'wh-resell.example', country: 'FR', org: 'Hook Reselling' });
    const pe = await createEndpoint(provider.client, { url: events.url('/provider'), events: ALL_EVENTS });
    const re = await createEndpoint(reseller.client, { url: events.url('/reseller'), events: ALL_EVENTS });
    assert.equal(pe.res.status, 201);
    assert.equal(re.res.status, 201);
    const types = (path) => events.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body));

    // The provider invites, the reseller authorizes through the link.
    const inv = await R.relInvite(stack, provider, reseller.email);
    await R.relOpen(reseller.client, inv.link);
    const auth = await reseller.client.submit('/authorize', { confirm: 'yes' }, '/find-a-provider');
    assert.equal(auth.status, 303, textOf(auth.text));
    const rel = Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE invitation_id = ?', inv.id));
    await until('the relationship events', () => types('/provider').length >= 2 && types('/reseller').length >= 1);
    const created = types('/reseller').find((b) => b.type === 'relationship.created');
    assert.equal(created.data.relationship_id, rel);
    assert.deepEqual(created.data.provider, { partner_account_id: provider.accountId, organization_id: provider.tenantId, name: 'Hook Distribution' });
    assert.equal(created.data.reseller.name, 'Hook Reselling');
    assert.deepEqual(types('/provider').map((b) => b.type).sort(), ['relationship.created', 'reseller_invitation.accepted']);

    // A customer accepts the reseller's invitation; the provider orders for it through the reseller.
    const w = { provider, reseller, rel };
    const cust = await C.custOrg(stack, { domain: 'wh-customer.example', org: 'Hook Customer GmbH', email: 'admin@wh-customer.example' });
    await C.custRelate(stack, w, cust);
    F.testOffers(stack);
    F.publishAgreement(stack, 'wh-1', { ifNone: true });
    R.relAcceptAgreement(stack, provider);
    R.relAcceptAgreement(stack, reseller);
    const res = await C.placeOrder(provider.client, cust.tenantId, { reseller: reseller.accountId, mpn_id: reseller.mpn, offer: 'T-STD', quantity: '3' });
    assert.equal(res.status, 303, textOf(res.text));
    await until('the order on both sides', () => types('/provider').some((b) => b.type === 'order.placed') && types('/reseller').some((b) => b.type === 'order.placed'));
    const order = types('/reseller').find((b) => b.type === 'order.placed').data;
    assert.equal(order.offer_id, 'T-STD');
    assert.equal(order.quantity, 3);
    assert.deepEqual(order.customer, { organization_id: cust.tenantId, name: 'Hook Customer GmbH' });
    for (const side of ['/provider', '/reseller']) {
      const accepted = types(side).find((b) => b.type === 'customer.accepted');
      assert.ok(accepted, `customer.accepted to ${side}`);
      assert.equal(accepted.data.customer.organization_id, cust.tenantId);
    }

    // The operator ends the relationship: both sides hear of it, with the reason.
    assert.equal(stack.ctl('end-relationship', String(provider.accountId), String(reseller.accountId), '--reason', 'contract ended').code, 0);
    await until('the end on both sides', () => ['/provider', '/reseller'].every((p) => types(p).some((b) => b.type === 'relationship.ended')));
    assert.equal(types('/provider').find((b) => b.type === 'relationship.ended').data.reason, 'contract ended');
    for (const r of events.requests) assert.ok(signatureValid(r, r.path === '/provider' ? pe.secret : re.secret));
  } finally {
    await events.close();
  }
});

test('portalctl rotate-key seals the signing secrets again: after two rotations (the first key retired) deliveries are still signed with the secret shown', async () => {
  // The portal's own sender waits an hour here: portalctl webhooks deliver (which reads the
  // rotated key file) sends.
  const s = await startStack({ env: { ...ENV, PORTAL_WEBHOOK_POLL: '3600' } });
  const seen = await startReceiver();
  try {
    const a = await org(s);
    const made = await createEndpoint(a.ga, { url: seen.url('/rotated') });
    assert.equal(made.res.status, 201);
    for (let i = 0; i < 2; i++) {
      const r = s.ctl('rotate-key');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1 webhook signing secret sealed again under the new key\./);
    }
    const added = await a.ga.submit('/settings/users/new', { name: 'Sam Sales', email: `sam@${a.domain}`, 'roles[]': ['sales_agent'] });
    assert.ok([200, 201, 303].includes(added.status));
    const run = await s.ctlAsync('webhooks', 'deliver');	// not spawnSync: the receiver is in this process
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^1 sent, 0 failed$/m);
    assert.equal(seen.requests.length, 1);
    assert.ok(signatureValid(seen.requests[0], made.secret));
  } finally {
    await seen.close();
    await stopChecked(s);
  }
});

test('the webhook settings are checked at start: a bad value stops portal.fcgi --check with the setting named', () => {
  for (const [name, value] of [['PORTAL_WEBHOOK_ALLOW_PRIVATE', 'yes'], ['PORTAL_WEBHOOK_BACKOFF', '0'], ['PORTAL_WEBHOOK_POLL', '3601']]) {
    const r = spawnSync(PORTAL_BIN, ['--check'], { env: { PATH: process.env.PATH, PORTAL_TEMPLATES: join(ROOT, 'templates'), [name]: value }, encoding: 'utf8', cwd: ROOT });
    assert.notEqual(r.status, 0, `${name}=${value}`);
    assert.match(r.stdout + r.stderr, new RegExp(name));
  }
  const help = spawnSync(PORTAL_BIN, ['--help'], { encoding: 'utf8' });
  for (const name of ['PORTAL_WEBHOOK_ALLOW_PRIVATE', 'PORTAL_WEBHOOK_BACKOFF', 'PORTAL_WEBHOOK_POLL']) assert.match(help.stdout, new RegExp(`^  ${name}\\s`, 'm'));
});
