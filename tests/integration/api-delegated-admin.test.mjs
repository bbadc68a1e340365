// api-delegated-admin.test.mjs — delegated admin writes over the JSON API (issue 14), through
// nginx: a partner's credential requests delegated admin from its customer (the page's checks
// and refusals, beside the field as 422; an Idempotency-Key answers a retry with the first
// result), resends and withdraws it (the partner's side only), and either side terminates an
// active one with a reason (the granting side: a Global admin credential). The same emails,
// webhooks and entries in both organizations' logs as the pages, with the credential's name;
// approving stays in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as F from '../lib/fixtures.mjs';
import { credClient, assertProblem } from '../lib/api.mjs';
import { startReceiver, createEndpoint, signatureValid, until } from '../lib/webhooks.mjs';

let stack, receiver;
// the test receiver listens on 127.0.0.1; the sender passes every second
const ENV = { PORTAL_WEBHOOK_ALLOW_PRIVATE: '1', PORTAL_WEBHOOK_POLL: '1' };
before(async () => { stack = await startStack({ env: ENV }); receiver = await startReceiver(); });
after(async () => { await receiver?.close(); await stopChecked(stack); });

const rowOf = (id) => db.one(stack, 'SELECT * FROM delegated_admins WHERE id = ?', id);
const count = (from, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM ${from}`, ...params));

const cred = (tenant, roles) => credClient(stack, tenant, roles);

const problem = assertProblem;

/** A provider and reseller, and a customer of the reseller's (through the real invitation flow). */
async function world(prefix) {
  const w = await C.custPair(stack, { prefix, providerOrg: `${prefix.toUpperCase()} Distribution`, resellerOrg: `${prefix.toUpperCase()} Reselling` });
  const cust = await C.custOrg(stack, { domain: `${prefix}-cust.example`, org: `${prefix.toUpperCase()} Customer AG`, email: `ga@${prefix}-cust.example` });
  await C.custRelate(stack, w, cust);
  return { w, cust };
}

const key = (k) => ({ headers: { 'idempotency-key': k } });

test('request over the API: the page\'s checks beside the field, nothing written on a refusal; then emailed, audited in both logs, a webhook, and retried once', async () => {
  const { w, cust } = await world('apida1');
  const hook = await createEndpoint(w.reseller.client, { url: receiver.url('/apida1'), events: ['delegated_admin.requested'] });
  assert.equal(hook.res.status, 201);
  const api = await cred(w.reseller.tenantId, ['admin_agent']);
  const stranger = await C.custOrg(stack, { domain: 'apida1-stranger.example', org: 'Stranger AG' });
  const good = { organization_id: cust.tenantId, name: 'Helpdesk 2026', duration_days: 30, roles: ['user_admin'], message: 'We run your helpdesk.' };
  const rows = count('delegated_admins'), mails = messages(stack.mailDir).length;

  // bad fields: 422 naming each; the rules' refusals beside their field
  let res = await api.post('/api/v1/delegated-admin', { organization_id: 'x', name: '', duration_days: 731, roles: ['root'], global_admin: 'yes', message: 5 });
  problem(res, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['organization_id', 'name', 'duration_days', 'roles', 'global_admin', 'message']);
  for (const [body, field, message] of [
    [{ ...good, organization_id: stranger.tenantId }, 'organization_id', /active relationship with/],
    [{ ...good, organization_id: w.reseller.tenantId }, 'organization_id', /active relationship with/],
    [{ ...good, roles: [] }, 'roles', /at least one role/],
    [{ ...good, roles: ['global_admin'] }, 'roles', /"global_admin": true/],
    [{ ...good, global_admin: true, message: '' }, 'message', /say in the message why/],
    [{ ...good, global_admin: true, auto_extend: true }, 'auto_extend', /never extended automatically/],
    [{ ...good, name: 'Administrator access' }, 'name', /under this name/],
  ]) {
    res = await api.post('/api/v1/delegated-admin', body);
    problem(res, 422);
    assert.deepEqual(res.json.errors.map((e) => e.field), [field], JSON.stringify(body));
    assert.match(res.json.errors[0].message, message);
  }
  assert.equal(count('delegated_admins'), rows, 'nothing written');
  assert.equal(messages(stack.mailDir).length, mails, 'nothing emailed');

  // asked: 201 with the pending relationship; the customer's Global admin gets the signed link
  res = await api.post('/api/v1/delegated-admin', { ...good, auto_extend: true }, key('da-1'));
  assert.equal(res.status, 201, res.text);
  const id = res.json.id;
  assert.equal(res.headers.location, `/api/v1/delegated-admin/${id}`);
  assert.deepEqual([res.json.state, res.json.side, res.json.name, res.json.roles, res.json.duration_days, res.json.auto_extend],
    ['pending', 'partner', 'Helpdesk 2026', ['user_admin'], 30, true]);
  assert.deepEqual(res.json.organization, { id: cust.tenantId, name: 'APIDA1 Customer AG', kind: 'customer' });
  const row = rowOf(id);
  assert.equal(row.state, 'pending');
  assert.equal(row.created_by, null, 'no user asked: the credential did');
  const mail = await waitForMail(stack.mailDir, { to: cust.email, after: mails, subject: 'delegated administration' });
  assert.match(mail.body, new RegExp(`${api.name} .*of APIDA1 Reselling asks`, 's'));
  assert.ok(linkIn(mail, '/delegated-admin/respond'));
  assert.ok(!mail.headers?.['reply-to'], 'no Reply-To for a credential');
  for (const tenant of [w.reseller.tenantId, cust.tenantId]) {
    assert.deepEqual(F.audit(stack, { tenant_id: tenant, action: 'delegated-admin.request' }, 'actor, outcome'),
      [{ actor: `api:${api.name}`, outcome: 'ok' }], `the log of ${tenant}`);
  }
  await until('the requested webhook', () => receiver.requests.some((r) => r.path === '/apida1'));
  const event = JSON.parse(receiver.requests.find((r) => r.path === '/apida1').body);
  assert.equal(event.type, 'delegated_admin.requested');
  assert.ok(signatureValid(receiver.requests.find((r) => r.path === '/apida1'), hook.secret));

  // the same key again: the first answer, nothing asked twice, no second email
  const again = await api.post('/api/v1/delegated-admin', { ...good, auto_extend: true }, key('da-1'));
  assert.equal(again.status, 201);
  assert.equal(again.text, res.text);
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(count('delegated_admins WHERE name = ?', 'Helpdesk 2026'), 1);
  // another key: the name is taken now
  problem(await api.post('/api/v1/delegated-admin', good, key('da-2')), 422);
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(messages(stack.mailDir).filter((m) => m.to === cust.email && /delegated administration/.test(m.subject)).length, 1);

  // the page's permission: a Sales agent's credential may not ask
  problem(await (await cred(w.reseller.tenantId, ['sales_agent'])).post('/api/v1/delegated-admin', { ...good, name: 'Other' }), 403);
});

test('resend and withdraw by the partner that asked (the other side 403, an answered request 409, audited); approval stays in the browser', async () => {
  const { w, cust } = await world('apida2');
  const api = await cred(w.reseller.tenantId, ['account_admin']);
  const theirs = await cred(cust.tenantId);
  const asked = await api.post('/api/v1/delegated-admin', { organization_id: cust.tenantId, name: 'Resend me', duration_days: 10, roles: ['helpdesk_agent'] });
  assert.equal(asked.status, 201, asked.text);
  const id = asked.json.id;
  const first = await waitForMail(stack.mailDir, { to: cust.email, subject: 'delegated administration' });
  const oldExpiry = rowOf(id).request_expires_at;

  // the customer's side cannot resend or withdraw the partner's request
  for (const act of ['resend', 'withdraw']) {
    problem(await theirs.post(`/api/v1/delegated-admin/${id}/${act}`), 403, /Only the other organization/);
    assert.equal(F.auditCount(stack, { tenant_id: cust.tenantId, action: `delegated-admin.${act}`, outcome: 'refused' }), 1);
  }
  // resend: a new email with a new link, the old link dead, 90 more days from now
  await new Promise((ok) => setTimeout(ok, 1100));
  const mails = messages(stack.mailDir).length;
  const res = await api.post(`/api/v1/delegated-admin/${id}/resend`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.state, 'pending');
  assert.ok(rowOf(id).request_expires_at > oldExpiry);
  const second = await waitForMail(stack.mailDir, { to: cust.email, after: mails, subject: 'delegated administration' });
  assert.notEqual(linkIn(second, '/delegated-admin/respond'), linkIn(first, '/delegated-admin/respond'));
  const old = await cust.client.get(C.pathOf(linkIn(first, '/delegated-admin/respond')));
  const landing = old.status === 303 ? await cust.client.get(old.location) : old;
  assert.notEqual(landing.status, 200, 'the earlier link no longer works');
  for (const tenant of [w.reseller.tenantId, cust.tenantId]) {
    assert.deepEqual(F.audit(stack, { tenant_id: tenant, action: 'delegated-admin.resend', outcome: 'ok' }, 'actor'), [{ actor: `api:${api.name}` }]);
  }
  // there is no approving over the API: the answer needs a person's fresh proof in the browser
  problem(await theirs.post(`/api/v1/delegated-admin/${id}/approve`), 404);
  assert.equal(rowOf(id).state, 'pending');

  // withdraw: its link stops working; a second withdraw or a resend is 409 (audited)
  const gone = await api.post(`/api/v1/delegated-admin/${id}/withdraw`);
  assert.equal(gone.status, 200, gone.text);
  assert.equal(gone.json.state, 'withdrawn');
  assert.equal(rowOf(id).state, 'withdrawn');
  assert.equal(rowOf(id).ended_by, null);
  problem(await api.post(`/api/v1/delegated-admin/${id}/withdraw`), 409, /already been answered or withdrawn/);
  problem(await api.post(`/api/v1/delegated-admin/${id}/resend`), 409);
  assert.equal(F.auditCount(stack, { tenant_id: w.reseller.tenantId, action: 'delegated-admin.withdraw', outcome: 'refused' }), 1);
  assert.equal(F.auditCount(stack, { tenant_id: cust.tenantId, action: 'delegated-admin.withdraw', outcome: 'ok' }), 1);
  // another organization's id: 404, audited
  const other = await cred((await C.custOrg(stack, { domain: 'apida2-other.example', org: 'Other AG' })).tenantId);
  problem(await other.post(`/api/v1/delegated-admin/${id}/withdraw`), 404);
});

test('terminate over the API: a reason required, either side (the granting side\'s Global admin), both emailed, both logs, the webhook; then 409', async () => {
  const { w, cust } = await world('apida3');
  const hook = await createEndpoint(cust.client, { url: receiver.url('/apida3'), events: ['delegated_admin.terminated'] });
  assert.equal(hook.res.status, 201);
  // the pair's grant made by the customer's acceptance (Administrator access), and one asked and approved in the browser
  const grant = Number(db.value(stack, "SELECT id FROM delegated_admins WHERE partner_tenant_id = ? AND customer_tenant_id = ? AND state = 'active'",
    w.reseller.tenantId, cust.tenantId));
  const partner = await cred(w.reseller.tenantId, ['admin_agent']);
  const asked = await partner.post('/api/v1/delegated-admin', { organization_id: cust.tenantId, name: 'Approve me', duration_days: 30, roles: ['user_admin'] });
  assert.equal(asked.status, 201, asked.text);
  const mail = await waitForMail(stack.mailDir, { to: cust.email, subject: 'delegated administration' });
  const land = await cust.client.get(C.pathOf(linkIn(mail, '/delegated-admin/respond')));
  assert.equal(land.status, 303);
  const approved = await cust.client.submit('/delegated-admin/respond', { decision: 'approve' }, '/delegated-admin/respond');
  assert.equal(approved.status, 303, approved.text);
  assert.equal(rowOf(asked.json.id).state, 'active');

  // the customer's Account admin credential may view but not terminate (only its Global admin); no reason: 422
  const custAcc = await cred(cust.tenantId, ['account_admin']);
  problem(await custAcc.post(`/api/v1/delegated-admin/${grant}/terminate`, { reason: 'no' }), 403, /Only a Global admin/);
  const custGa = await cred(cust.tenantId);
  for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(501) }, { reason: 7 }]) {
    const res = await custGa.post(`/api/v1/delegated-admin/${grant}/terminate`, body);
    problem(res, 422);
    assert.deepEqual(res.json.errors.map((e) => e.field), ['reason']);
  }
  assert.equal(rowOf(grant).state, 'active');

  // the granting side's Global admin ends one, the partner the other: both sides emailed, both logs
  const mails = messages(stack.mailDir).length;
  let res = await custGa.post(`/api/v1/delegated-admin/${grant}/terminate`, { reason: 'We moved our helpdesk in-house.' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.json.state, res.json.side], ['terminated', 'granting']);
  assert.equal(rowOf(grant).end_reason, 'We moved our helpdesk in-house.');
  await waitForMail(stack.mailDir, { to: w.reseller.email, after: mails, subject: 'terminated' });
  await waitForMail(stack.mailDir, { to: cust.email, after: mails, subject: 'terminated' });
  res = await partner.post(`/api/v1/delegated-admin/${asked.json.id}/terminate`, { reason: 'Project finished.' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.json.state, res.json.side], ['terminated', 'partner']);
  for (const tenant of [w.reseller.tenantId, cust.tenantId]) {
    assert.deepEqual(F.audit(stack, { tenant_id: tenant, action: 'delegated-admin.terminate', outcome: 'ok' }, 'actor').map((e) => e.actor).sort(),
      [`api:${custGa.name}`, `api:${partner.name}`].sort());
  }
  await until('both terminated webhooks to the customer', () => receiver.requests.filter((r) => r.path === '/apida3').length >= 2);
  const ids = receiver.requests.filter((r) => r.path === '/apida3').map((r) => JSON.parse(r.body)).map((b) => [b.type, b.data.relationship_id ?? b.data.id]);
  assert.ok(ids.every(([t]) => t === 'delegated_admin.terminated'), JSON.stringify(ids));
  // ended: 409, audited
  problem(await partner.post(`/api/v1/delegated-admin/${grant}/terminate`, { reason: 'again' }), 409, /not active/);
  assert.equal(F.auditCount(stack, { tenant_id: w.reseller.tenantId, action: 'delegated-admin.terminate', outcome: 'refused' }), 1);
});
