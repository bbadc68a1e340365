// delegated-admin.test.mjs — delegated administration (issue 13), through nginx: a partner asks
// its customer (and a provider its reseller) for roles for a number of days; the form refuses
// bad input beside the field and writes nothing; the request is emailed to the other
// organization's Global admins as a signed link and shows on both sides; the landing page says
// who asks for what and what each role allows; only that organization's Global admin answers;
// 20 parallel approvals make one; resend, withdraw, decline, the 90 days of a request; other
// organizations' ids; Remove administrator access terminates the pair's relationships.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, errorsOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const DAY = 86400;
const count = (from, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM ${from}`, ...params));
const rowOf = (id) => db.one(stack, 'SELECT * FROM delegated_admins WHERE id = ?', id);

/** A reseller and provider (w) and a customer of both (cust), related through the real flow. */
async function world(prefix) {
  const w = await C.custPair(stack, { prefix, providerOrg: `${prefix.toUpperCase()} Distribution`, resellerOrg: `${prefix.toUpperCase()} Reselling` });
  const cust = await C.custOrg(stack, { domain: `${prefix}-cust.example`, org: `${prefix.toUpperCase()} Customer AG`, email: `ga@${prefix}-cust.example` });
  await C.custRelate(stack, w, cust);
  return { w, cust };
}

/** The reseller of w asks cust; returns { res, id, link } (link: the email to cust's Global admin). */
async function ask(client, other, { name = 'Helpdesk 2026', days = '30', roles = ['user_admin'], to, ...more } = {}) {
  const before = messages(stack.mailDir).length;
  const res = await client.submit('/delegated-admin/new', { other: String(other.tenantId), name, days, 'roles[]': roles, message: '', ...more });
  if (res.status !== 303) return { res };
  const id = Number(/^\/delegated-admin\/(\d+)\?m=da-requested$/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: to ?? other.email, after: before, subject: 'delegated administration' });
  return { res, id, mail, link: linkIn(mail, '/delegated-admin/respond') };
}

/** Follows the emailed link as client; returns the landing page (the token kept in a cookie). */
async function open(client, link) {
  const u = new URL(link);
  const land = await client.get(u.pathname + u.search);
  assert.equal(land.status, 303);
  assert.equal(land.location, '/delegated-admin/respond');
  return client.get('/delegated-admin/respond');
}

const answer = (client, decision) => client.submit('/delegated-admin/respond', { decision });

test('the request form refuses bad input beside the field, with the input kept, and writes nothing', async () => {
  const { w, cust } = await world('daform');
  const stranger = await C.custOrg(stack, { domain: 'daform-stranger.example', org: 'Stranger AG' });
  const before = count('delegated_admins'), mails = messages(stack.mailDir).length;
  const cases = [
    [{ roles: [] }, 'roles', /Choose at least one role/],
    [{ days: '0' }, 'days', /from 1 to 730/],
    [{ days: '731' }, 'days', /from 1 to 730/],
    [{ days: 'ten' }, 'days', /from 1 to 730/],
    [{ global_admin: 'yes', auto_extend: 'yes', message: 'Because.' }, 'auto_extend', /never extended automatically/],
    [{ global_admin: 'yes' }, 'message', /say in the message why/],
    [{ name: '' }, 'name', /./],
    [{ name: 'x'.repeat(51) }, 'name', /./],
  ];
  for (const [over, field, says] of cases) {
    const { res } = await ask(w.reseller.client, cust, { name: 'Form test', ...over });
    assert.equal(res.status, 422, `${JSON.stringify(over)}: ${res.status}`);
    assert.match(res.text, new RegExp(`id="f-${field}"[\\s\\S]*?class="error"|class="field[^"]*has-error"[\\s\\S]*?id="f-${field}-error"|id="f-${field}-error"`), `error beside ${field}`);
    assert.ok(errorsOf(res.text).some((e) => says.test(e)), `${field}: ${errorsOf(res.text).join(' | ')}`);
  }
  // the input comes back
  const { res } = await ask(w.reseller.client, cust, { name: 'Kept name', days: '0', roles: ['user_admin', 'helpdesk_agent'] });
  assert.match(res.text, /value="Kept name"/);
  assert.match(res.text, /id="role-user_admin"[^>]*checked/);
  assert.match(res.text, /id="role-helpdesk_agent"[^>]*checked/);
  // an organization it is not related to (even a real one), and Global admin slipped into roles[]
  const other = await ask(w.reseller.client, stranger, { name: 'Stranger' });
  assert.equal(other.res.status, 422);
  assert.ok(errorsOf(other.res.text).some((e) => /active relationship with/.test(e)));
  const tampered = await ask(w.reseller.client, cust, { roles: ['global_admin'] });
  assert.equal(tampered.res.status, 400);
  // a name the pair already uses (any case)
  const first = await ask(w.reseller.client, cust, { name: 'Helpdesk 2026' });
  assert.equal(first.res.status, 303);
  const again = await ask(w.reseller.client, cust, { name: 'HELPDESK 2026' });
  assert.equal(again.res.status, 422);
  assert.ok(errorsOf(again.res.text).some((e) => /already have a pending or active/.test(e)));
  assert.equal(count('delegated_admins'), before + 1, 'only the good request was written');
  assert.equal(messages(stack.mailDir).length, mails + 1, 'one email (the good request, one Global admin)');
});

test('request → the Global admin approves from the email: both sides see it, both logs have it, the partner is told', async () => {
  const { w, cust } = await world('daok');
  const r = await ask(w.reseller.client, cust, { name: 'Helpdesk 2026', days: '30', roles: ['user_admin', 'helpdesk_agent'], message: 'Tickets 1-3' });
  assert.match(r.mail.subject, /DAOK Reselling asks for delegated administration of DAOK Customer AG/);
  assert.match(r.mail.body, /User admin, Helpdesk agent/);
  assert.match(r.mail.body, /30 days/);
  let row = rowOf(r.id);
  assert.equal(row.state, 'pending');
  assert.equal(Number(row.roles), 4 | 32);
  assert.equal(row.kind, 'customer');
  assert.equal(Number(row.request_expires_at) - Number(row.sent_at), 90 * DAY);
  // both sides list it at once
  for (const [client, other, dir] of [[w.reseller.client, 'DAOK Customer AG', 'You asked'], [cust.client, 'DAOK Reselling', 'Asked of you']]) {
    const page = await client.get('/delegated-admin');
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), new RegExp(`Helpdesk 2026 ${other} ${dir} User admin, Helpdesk agent Pending`));
    assert.equal((await client.get(`/delegated-admin/${r.id}`)).status, 200);
  }
  // the landing page, signed out: plain words, what each role allows, Sign in
  const anon = new C.Client(stack.base);
  let page = await open(anon, r.link);
  assert.equal(page.status, 200);
  let text = textOf(page.text);
  assert.match(text, /DAOK Reselling asks DAOK Customer AG for delegated administration named 'Helpdesk 2026': the roles User admin, Helpdesk agent, for 30 days/);
  assert.match(text, /Add users, change their roles, reset their passwords and delete them/);
  assert.match(text, /Tickets 1-3/);
  assert.match(page.text, /href="\/signin\?next=(%2F|\/)delegated-admin(%2F|\/)respond"/);
  assert.doesNotMatch(page.text, />Approve<\/button>/);
  // the customer's Global admin
  page = await open(cust.client, r.link);
  assert.equal(page.status, 200);
  assert.match(page.text, />Approve<\/button>/);
  const before = messages(stack.mailDir).length;
  const res = await answer(cust.client, 'approve');
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, `/delegated-admin/${r.id}?m=da-approved`);
  row = rowOf(r.id);
  assert.equal(row.state, 'active');
  assert.equal(Number(row.expires_at) - Number(row.approved_at), 30 * DAY);
  assert.equal(Number(row.answered_by), X.userId(stack, cust.email));
  const told = await waitForMail(stack.mailDir, { to: w.reseller.email, after: before, subject: 'approved' });
  assert.match(told.subject, /DAOK Customer AG approved delegated admin 'Helpdesk 2026'/);
  // both organizations' logs
  const logs = db.rows(stack, `SELECT tenant_id, actor, target FROM audit WHERE action = 'delegated-admin.approve' AND outcome = 'ok'
    AND tenant_id IN (?, ?) ORDER BY tenant_id`, w.reseller.tenantId, cust.tenantId).map((x) => [Number(x.tenant_id), x.actor, x.target]);
  assert.deepEqual(logs.sort(), [
    [cust.tenantId, cust.email, "DAOK Reselling (delegated admin 'Helpdesk 2026')"],
    [w.reseller.tenantId, cust.email, "DAOK Customer AG (delegated admin 'Helpdesk 2026')"],
  ].sort());
  assert.equal(count(`audit WHERE action = 'delegated-admin.request' AND outcome = 'ok' AND tenant_id IN (?, ?)`, w.reseller.tenantId, cust.tenantId), 2);
  page = await cust.client.get(`/delegated-admin/${r.id}`);
  assert.match(textOf(page.text), /State Expiring/, "30 days: 30 days or fewer left");
  // the link works once (a used link: 409; not a link at all: 400)
  page = await open(cust.client, r.link);
  assert.equal(page.status, 409);
  assert.match(textOf(page.text), /already been used/);
});

test('only a Global admin of the organization asked answers; other organizations get 404 for the ids', async () => {
  const { w, cust } = await world('daside');
  const r = await ask(w.reseller.client, cust, { name: 'Side' });
  // a User admin of the customer: the page says so, the POST is the dispatcher's 403
  const ua = await F.relUser(stack, cust, { email: 'ua@daside-cust.example', roles: ['user_admin'] });
  let page = await open(ua.client, r.link);
  assert.equal(page.status, 403);
  assert.match(textOf(page.text), /Only a Global admin of the organization asked/);
  assert.equal((await answer(ua.client, 'approve')).status, 403);
  // the partner's own Global admin cannot approve its request
  page = await open(w.reseller.client, r.link);
  assert.equal(page.status, 403);
  assert.match(textOf(page.text), /Only the other organization/);
  const res = await answer(w.reseller.client, 'approve');
  assert.equal(res.status, 403);
  assert.equal(rowOf(r.id).state, 'pending');
  assert.equal(count(`audit WHERE action = 'delegated-admin.approve' AND outcome = 'refused' AND tenant_id = ? AND detail = 'wrong side'`, w.reseller.tenantId), 1);
  // another organization (the provider, related to both but not a side of this one)
  for (const path of [`/delegated-admin/${r.id}`]) assert.equal((await w.provider.client.get(path)).status, 404);
  for (const path of [`/delegated-admin/resend/${r.id}`, `/delegated-admin/withdraw/${r.id}`]) {
    assert.equal((await w.provider.client.submit(path, {}, '/delegated-admin')).status, 404);
  }
  assert.equal(count(`audit WHERE action = 'access' AND outcome = 'refused' AND tenant_id = ? AND target = ?`, w.provider.tenantId, `delegated admin relationship ${r.id}`), 3);
  // the customer side cannot resend or withdraw the partner's request
  assert.equal((await cust.client.submit(`/delegated-admin/withdraw/${r.id}`, {}, '/delegated-admin')).status, 403);
  assert.equal(rowOf(r.id).state, 'pending');
});

test('resend makes earlier links useless; withdraw ends the request and its link; decline; an answered request stays answered', async () => {
  const { w, cust } = await world('dalife');
  const r = await ask(w.reseller.client, cust, { name: 'Life' });
  const before = messages(stack.mailDir).length;
  let res = await w.reseller.client.submit(`/delegated-admin/resend/${r.id}`, {}, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 303);
  const again = await waitForMail(stack.mailDir, { to: cust.email, after: before, subject: 'delegated administration' });
  const newLink = linkIn(again, '/delegated-admin/respond');
  assert.notEqual(newLink, r.link);
  let page = await open(cust.client, r.link);
  assert.equal(page.status, 409);
  assert.match(textOf(page.text), /replaced by a newer one/);
  // withdraw: the new link stops working too
  res = await w.reseller.client.submit(`/delegated-admin/withdraw/${r.id}`, {}, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 303);
  assert.equal(rowOf(r.id).state, 'withdrawn');
  page = await open(cust.client, newLink);
  assert.equal(page.status, 409);
  const forged = new URL(newLink); forged.searchParams.set('t', 'A'.repeat(72));
  assert.equal((await open(cust.client, forged.toString())).status, 400);
  res = await w.reseller.client.submit(`/delegated-admin/withdraw/${r.id}`, {}, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 409);
  // decline
  const d = await ask(w.reseller.client, cust, { name: 'Declined one' });
  await open(cust.client, d.link);
  res = await answer(cust.client, 'decline');
  assert.equal(res.status, 303);
  assert.equal(rowOf(d.id).state, 'declined');
  assert.equal(count(`audit WHERE action = 'delegated-admin.decline' AND outcome = 'ok' AND tenant_id IN (?, ?)`, w.reseller.tenantId, cust.tenantId), 2);
  res = await w.reseller.client.submit(`/delegated-admin/resend/${d.id}`, {}, `/delegated-admin/${d.id}`);
  assert.equal(res.status, 409);
  assert.equal(rowOf(d.id).state, 'declined');
  // the name of a declined or withdrawn request is free again
  assert.equal((await ask(w.reseller.client, cust, { name: 'Life' })).res.status, 303);
});

test('a request not answered within 90 days reads as expired and cannot be approved', async () => {
  const { w, cust } = await world('daexp');
  const r = await ask(w.reseller.client, cust, { name: 'Late' });
  await open(cust.client, r.link);
  // the request's 90 days are over (its link row kept valid, so the rule itself answers)
  db.exec(stack, 'UPDATE delegated_admins SET request_expires_at = ? WHERE id = ?', X.now() - 1, r.id);
  const res = await answer(cust.client, 'approve');
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /not answered within 90 days/);
  assert.equal(rowOf(r.id).state, 'pending');
  const page = await w.reseller.client.get('/delegated-admin');
  assert.match(textOf(page.text), /Late DAEXP Customer AG You asked User admin Expired/);
});

test('20 parallel approvals of one request: exactly one succeeds', async () => {
  const { w, cust } = await world('dapar');
  const r = await ask(w.reseller.client, cust, { name: 'Parallel' });
  const page = await open(cust.client, r.link);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)[1];
  const answers = await Promise.all(Array.from({ length: 20 }, () => cust.client.post('/delegated-admin/respond', { csrf, decision: 'approve' })));
  const statuses = answers.map((x) => x.status).sort();
  assert.deepEqual(statuses, [...Array(19).fill(409), 303].sort(), statuses.join(','));
  assert.equal(rowOf(r.id).state, 'active');
  assert.equal(count(`audit WHERE action = 'delegated-admin.approve' AND outcome = 'ok' AND tenant_id = ?`, cust.tenantId), 1);
  assert.equal(count(`audit WHERE action = 'delegated-admin.approve' AND outcome = 'refused' AND tenant_id = ?`, cust.tenantId), 19);
});

test('a provider asks its indirect reseller; Remove administrator access terminates the pair\'s relationships', async () => {
  const { w } = await world('darem');
  const r = await ask(w.provider.client, w.reseller, { name: 'Reseller help', roles: ['admin_agent'] });
  assert.equal(rowOf(r.id).kind, 'reseller');
  await open(w.reseller.client, r.link);
  assert.equal((await answer(w.reseller.client, 'approve')).status, 303);
  assert.equal(rowOf(r.id).state, 'active');
  const res = await w.reseller.client.submit(`/providers/remove-access/${w.rel}`, {});
  assert.equal(res.status, 303);
  const row = rowOf(r.id);
  assert.equal(row.state, 'terminated');
  assert.equal(row.end_reason, 'Administrator access removed');
  assert.equal(Number(row.ended_by), X.userId(stack, w.reseller.email));
});

test('acting as partner: an Admin agent opens the customer with the granted roles only, every action and refusal in both logs, and an ended grant refuses the next request', async () => {
  const { w, cust } = await world('daact');
  const nora = await F.relUser(stack, w.reseller, { email: 'nora@daact-resell.example', name: 'Nora North', roles: ['admin_agent'] });
  const r = await ask(w.reseller.client, cust, { name: 'Helpdesk 2026', roles: ['user_admin'] });
  // before the approval: nothing to act under
  let res = await nora.client.submit('/delegated-admin/act', { rel: String(r.id) }, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 409);
  await open(cust.client, r.link);
  assert.equal((await answer(cust.client, 'approve')).status, 303);
  // only Admin agents (and Global admins) act: a Sales agent of the reseller may not; the customer cannot act in the partner
  const sa = await F.relUser(stack, w.reseller, { email: 'sa@daact-resell.example', roles: ['sales_agent'] });
  assert.equal((await sa.client.submit('/delegated-admin/act', { rel: String(r.id) }, '/customers')).status, 403);
  res = await cust.client.submit('/delegated-admin/act', { rel: String(r.id) }, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 403, 'the customer is the wrong side');
  // another organization's Admin agent (the provider's): 404, audited; not a number: 400
  const pa = await F.relUser(stack, w.provider, { email: 'pa@daact-dist.example', name: 'Pat Provider', roles: ['admin_agent'] });
  assert.equal((await pa.client.submit('/delegated-admin/act', { rel: String(r.id) }, '/delegated-admin')).status, 404);
  assert.equal(count(`audit WHERE tenant_id = ? AND action = 'access' AND target = ?`, w.provider.tenantId, `delegated admin relationship ${r.id}`), 1);
  assert.equal((await pa.client.submit('/delegated-admin/act', { rel: 'x' }, '/delegated-admin')).status, 400);
  let page = await nora.client.get(`/delegated-admin/${r.id}`);
  assert.match(page.text, /Open DAACT Customer AG as partner/);
  // the switcher on the customer's page too
  page = await nora.client.get(`/customers/${cust.tenantId}`);
  assert.match(textOf(page.text), /'Helpdesk 2026': User admin, until .* Open DAACT Customer AG as partner/);
  res = await nora.client.submit('/delegated-admin/act', { rel: String(r.id) }, `/delegated-admin/${r.id}`);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/settings/users');
  page = await nora.client.get('/settings/users');
  assert.equal(page.status, 200);
  let text = textOf(page.text);
  assert.match(text, /Acting as partner in DAACT Customer AG \(delegated admin 'Helpdesk 2026': User admin\)/);
  assert.match(text, /ga@daact-cust\.example/);
  assert.doesNotMatch(text, /admin@daact-resell\.example/);
  // adds a user to the customer's organization
  res = await nora.client.submit('/settings/users/new', { name: 'Cy Customer', email: 'cy@daact-cust.example', 'roles[]': ['user_admin'] });
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(Number(db.value(stack, 'SELECT tenant_id FROM users WHERE email = ?', 'cy@daact-cust.example')), cust.tenantId);
  const label = "Nora North (DAACT Reselling, delegated admin 'Helpdesk 2026')";
  const logged = (where) => db.rows(stack, `SELECT tenant_id FROM audit WHERE actor = ? AND ${where} ORDER BY tenant_id`, label)
    .map((x) => Number(x.tenant_id));
  const both = [cust.tenantId, w.reseller.tenantId].sort((a, b) => a - b);
  assert.deepEqual(logged(`outcome = 'ok' AND target LIKE '%cy@daact-cust.example%'`), both, 'the new user in both logs');
  // a role outside the grant: 403, in both logs; Global admin cannot be granted either
  res = await nora.client.get('/settings/audit');
  assert.equal(res.status, 403);
  assert.deepEqual(logged(`action = 'access' AND outcome = 'refused' AND target = 'AUDIT'`), both);
  res = await nora.client.submit('/settings/users/new', { name: 'Gus Global', email: 'gus@daact-cust.example', 'roles[]': ['global_admin'] });
  assert.notEqual(res.status, 303);
  assert.equal(count('users WHERE email = ?', 'gus@daact-cust.example'), 0);
  // pages outside User management, Roles, Organization profile and Audit log stay her own organization's
  page = await nora.client.get('/delegated-admin');
  assert.match(textOf(page.text), /Helpdesk 2026 DAACT Customer AG You asked/);
  // the grant ends (its end date passes): the next request there is refused, in both logs
  db.exec(stack, 'UPDATE delegated_admins SET expires_at = ? WHERE id = ?', X.now() - 1, r.id);
  res = await nora.client.get('/settings/users');
  assert.equal(res.status, 403);
  assert.match(textOf(res.text), /delegated admin access to this organization has ended/);
  assert.deepEqual(logged(`action = 'access' AND outcome = 'refused' AND detail = 'delegated admin ended'`), both);
  res = await nora.client.submit('/settings/users/new', { name: 'Late Larry', email: 'larry@daact-cust.example', 'roles[]': [] }, '/delegated-admin');
  assert.equal(res.status, 403);
  assert.equal(count('users WHERE email = ?', 'larry@daact-cust.example'), 0);
  // Stop acting: User management is her own organization's again (Admin agent may view it)
  res = await nora.client.submit('/delegated-admin/stop', {}, '/delegated-admin');
  assert.equal(res.status, 303);
  page = await nora.client.get('/settings/users');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /admin@daact-resell\.example/);
  assert.doesNotMatch(textOf(page.text), /Acting as partner/);
});

test('terminate from either side: a reason, re-authentication, email to both, both logs; the partner acting there is refused from its next request', async () => {
  const { w, cust } = await world('daterm');
  const nora = await F.relUser(stack, w.reseller, { email: 'nora@daterm-resell.example', name: 'Nora North', roles: ['admin_agent'] });
  const grant = async (name) => {
    const r = await ask(w.reseller.client, cust, { name, roles: ['user_admin'] });
    await open(cust.client, r.link);
    assert.equal((await answer(cust.client, 'approve')).status, 303);
    return r.id;
  };
  const id = await grant('Helpdesk 2026');
  assert.equal((await nora.client.submit('/delegated-admin/act', { rel: String(id) }, `/delegated-admin/${id}`)).status, 303);
  assert.equal((await nora.client.get('/settings/users')).status, 200);
  // a User admin of the customer may not; the form needs a reason (nothing written)
  const ua = await F.relUser(stack, cust, { email: 'ua@daterm-cust.example', roles: ['user_admin'] });
  assert.equal((await ua.client.get(`/delegated-admin/terminate/${id}`)).status, 403);
  let res = await cust.client.submit(`/delegated-admin/terminate/${id}`, { reason: '' });
  assert.equal(res.status, 422);
  assert.equal(rowOf(id).state, 'active');
  const before = messages(stack.mailDir).length;
  res = await cust.client.submit(`/delegated-admin/terminate/${id}`, { reason: 'Project finished' });
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, `/delegated-admin/${id}?m=da-terminated`);
  const row = rowOf(id);
  assert.equal(row.state, 'terminated');
  assert.equal(row.end_reason, 'Project finished');
  assert.equal(Number(row.ended_by), X.userId(stack, cust.email));
  for (const to of [cust.email, w.reseller.email, nora.email]) {
    const m = await waitForMail(stack.mailDir, { to, after: before, subject: 'was terminated' });
    assert.match(m.body, /Reason: Project finished/);
  }
  assert.equal(count(`audit WHERE action = 'delegated-admin.terminate' AND outcome = 'ok' AND tenant_id IN (?, ?)`, w.reseller.tenantId, cust.tenantId), 2);
  // the partner's next request there is refused
  res = await nora.client.get('/settings/users');
  assert.equal(res.status, 403);
  // terminated already: 409; the partner side terminates its own too
  res = await cust.client.submit(`/delegated-admin/terminate/${id}`, { reason: 'again' }, `/delegated-admin/${id}`);
  assert.equal(res.status, 409);
  const second = await grant('Second');
  res = await w.reseller.client.submit(`/delegated-admin/terminate/${second}`, { reason: 'No longer needed' });
  assert.equal(res.status, 303);
  assert.equal(rowOf(second).state, 'terminated');
  assert.equal(Number(rowOf(second).ended_by), X.userId(stack, w.reseller.email));
  // another organization: 404
  assert.equal((await w.provider.client.get(`/delegated-admin/terminate/${second}`)).status, 404);
});
