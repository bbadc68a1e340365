// hardening.test.mjs — issue 12's hardening items 1, 6, 7 and 9, through nginx: refusals that
// name only organizations the actor already sees (the order form); one customer organization
// per invitation link (Create one accepts in the same step, also under parallel POSTs);
// nobody grants a role they do not hold (Add user, a user's roles); addresses of other
// organizations not confirmed by Add user (the owner is emailed instead).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf, errorsOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail, settle, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => {
  stack = await startStack();
  X.testOffers(stack);
});
after(() => stopChecked(stack));

const count = (from, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM ${from}`, ...params));
const randomKey = () => randomBytes(16).toString('base64url');
/** A page's text without what differs between two answers of the same kind (request ids). */
const stable = (html) => textOf(html).replace(/[0-9a-f]{16,}/g, 'ID');

test('item 1: the order form never names a reseller the provider does not work with; an unrelated id is a 404', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'h1', providerOrg: 'Hidden Distribution', resellerOrg: 'Known Reselling',
    customer: { domain: 'h1-cust.example', org: 'Hidden Customer', country: 'DE' }, agreement: 'h1-1' });
  // A reseller still in review, and an approved one, neither related to this provider.
  const review = await F.relPartner(stack, { domain: 'h1-review.example', org: 'Secret Review Reseller', country: 'DE', status: 'in_review' });
  const stranger = await F.relPartner(stack, { domain: 'h1-stranger.example', org: 'Stranger Approved Reseller', country: 'DE' });
  const base = { mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '5' };
  const before = C.custCounts(stack);
  const answers = [];
  for (const id of [review.accountId, stranger.accountId, w.provider.accountId, 999999]) {
    const audits = count("audit WHERE action = 'access' AND outcome = 'refused' AND target = ?", `reseller account ${id}`);
    const res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, reseller: String(id), order_key: randomKey() });
    assert.equal(res.status, 404, `reseller ${id}: ${textOf(res.text)}`);
    assert.doesNotMatch(res.text, /Secret Review Reseller|Stranger Approved Reseller|h1-review|h1-stranger/);
    assert.equal(count("audit WHERE action = 'access' AND outcome = 'refused' AND target = ?", `reseller account ${id}`), audits + 1);
    answers.push(stable(res.text));
  }
  assert.equal(new Set(answers).size, 1, 'an unknown, an unrelated and a non-reseller id answer alike');
  // The GET's preselection never names one either.
  const form = await w.provider.client.get(`/customers/${cust.tenantId}/order?reseller=${review.accountId}`);
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /Secret Review Reseller/);
  assert.deepEqual(C.custCounts(stack), before, 'nothing written');
  // A reseller it works with is still named in a refusal (its MPN ID is not the reseller's).
  const known = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, reseller: String(w.reseller.accountId), mpn_id: w.provider.mpn, order_key: randomKey() });
  assert.equal(known.status, 403);
  assert.match(textOf(known.text), /is not an MPN ID of Known Reselling/);
});

/** A new organization (Create one) with its Global admin signed in. */
async function org(domain) {
  const ga = new Client(stack.base);
  const email = `ana@${domain}`;
  await ga.signup({ domain, email, org: `Org ${domain}` });
  return { ga, email, tenant: X.tenantId(stack, domain) };
}
const userRow = (email) => db.one(stack, 'SELECT id, roles FROM users WHERE email = ?', email);
const ROLE = { GA: 1, ACC: 2, UA: 4, AA: 8, SA: 16 };

test('item 7: a User admin or Admin agent grants only roles they hold; Global admin only a Global admin', async () => {
  const a = await org('h7.example');
  X.addUser(stack, { tenant: a.tenant, email: 'ula@h7.example', name: 'Ula User-Admin', roles: ['user_admin'], passwordOf: a.email });
  X.addUser(stack, { tenant: a.tenant, email: 'abe@h7.example', name: 'Abe Agent', roles: ['admin_agent'], passwordOf: a.email });
  X.addUser(stack, { tenant: a.tenant, email: 'sam@h7.example', name: 'Sam Sales', roles: ['sales_agent'], passwordOf: a.email });
  const ula = new Client(stack.base), abe = new Client(stack.base);
  assert.equal((await ula.signin('ula@h7.example', F.REL_PASSWORD)).status, 303);
  assert.equal((await abe.signin('abe@h7.example', F.REL_PASSWORD)).status, 303);

  // The form: only the roles Ula holds can be ticked.
  const form = await ula.get('/settings/users/new');
  assert.match(form.text, /value="user_admin">/);
  for (const key of ['global_admin', 'account_admin', 'admin_agent', 'sales_agent']) assert.match(form.text, new RegExp(`value="${key}" disabled>`));
  assert.match(textOf(form.text), /You do not hold this role, so you cannot grant or remove it/);

  // A POST with a role the actor does not hold: the form again, the message beside the field, nothing written.
  const mails = messages(stack.mailDir).length, users = count('users');
  for (const [client, roles] of [[ula, ['account_admin']], [ula, ['user_admin', 'sales_agent']], [abe, ['account_admin', 'admin_agent']]]) {
    const res = await client.submit('/settings/users/new', { name: 'Eve Escalated', email: 'eve@h7.example', 'roles[]': roles });
    assert.equal(res.status, 422, roles.join());
    assert.deepEqual(errorsOf(res.text), ['You can grant only roles you hold yourself. Untick the others, or ask a Global admin.']);
    assert.match(res.text, /value="Eve Escalated"/, 'the input is kept');
  }
  assert.equal(count('users'), users);
  assert.equal(count("users WHERE email = 'eve@h7.example'"), 0);
  await settle(stack.mailDir, 300);
  assert.equal(messages(stack.mailDir).length, mails);
  assert.equal(count("audit WHERE action = 'user.add' AND outcome = 'refused' AND detail LIKE 'role not held%' AND tenant_id = ?", a.tenant), 3);
  // What they hold, they grant.
  let res = await ula.submit('/settings/users/new', { name: 'Uma', email: 'uma@h7.example', 'roles[]': ['user_admin'] });
  assert.equal(res.status, 303);
  res = await abe.submit('/settings/users/new', { name: 'Ada', email: 'ada@h7.example', 'roles[]': ['admin_agent'] });
  assert.equal(res.status, 303);
  assert.equal(userRow('uma@h7.example').roles, ROLE.UA);
  assert.equal(userRow('ada@h7.example').roles, ROLE.AA);

  // Changing roles: Sam's Sales agent is shown (ticked, disabled) to Ula and kept by an Update.
  const sam = userRow('sam@h7.example');
  const page = await ula.get(`/settings/users/${sam.id}`);
  assert.match(page.text, /value="sales_agent" checked disabled>/);
  const sessions = X.sessionCount(stack, 'sam@h7.example');
  res = await ula.submit(`/settings/users/${sam.id}`, { 'roles[]': ['account_admin'] });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['You can grant or remove only roles you hold yourself. Ask a Global admin for the others.']);
  assert.equal(userRow('sam@h7.example').roles, ROLE.SA, 'nothing written');
  res = await abe.submit(`/settings/users/${sam.id}`, { 'roles[]': ['sales_agent', 'account_admin'] });
  assert.equal(res.status, 422);
  res = await ula.submit(`/settings/users/${sam.id}`, { 'roles[]': ['global_admin'] });
  assert.equal(res.status, 403, 'Global admin stays a Global admin\'s to grant');
  assert.equal(userRow('sam@h7.example').roles, ROLE.SA);
  assert.equal(X.sessionCount(stack, 'sam@h7.example'), sessions);
  res = await ula.submit(`/settings/users/${sam.id}`, { 'roles[]': [] });
  assert.equal(res.status, 303);
  assert.match(res.location, /m=roles-unchanged$/, 'the disabled box is not a removal');
  res = await ula.submit(`/settings/users/${sam.id}`, { 'roles[]': ['user_admin'] });
  assert.equal(res.status, 303);
  assert.equal(userRow('sam@h7.example').roles, ROLE.SA | ROLE.UA);
  // A Global admin grants anything.
  res = await a.ga.submit(`/settings/users/${sam.id}`, { 'roles[]': ['account_admin', 'global_admin'] });
  assert.equal(res.status, 303);
  assert.equal(userRow('sam@h7.example').roles, ROLE.GA | ROLE.ACC);
});

/** POSTs Create one as `client` (its landing cookie carries the link), the CSRF token from a page that reads no link (the form page would forget a used one). */
const createOne = (client, n, country = 'AT') => client.submit('/customer-invite/new', { org: `Once Customer ${n}`, domain: `h6-c${n}.example`,
  country, name: 'Cora Customer', email: `owner@h6-c${n}.example`, password: F.REL_PASSWORD, password2: F.REL_PASSWORD, confirm: 'yes' }, '/password/forgot');

/** Opens the Create one confirmation link emailed to `email` in `client` and POSTs `Create work account`: the answer. */
async function confirmRaw(client, email) {
  const msg = await waitForMail(stack.mailDir, { to: email, subject: 'Confirm your address' });
  const link = new URL(linkIn(msg, '/signup/confirm'));
  assert.equal((await client.get(link.pathname + link.search)).status, 303);
  const page = await client.get('/signup/confirm');
  assert.equal(page.status, 200, textOf(page.text));
  return client.post('/signup/confirm', { csrf: csrfOf(page.text) });
}

test('item 6: one invitation link makes one customer organization, however often Create one is sent and confirmed', async () => {
  const w = await C.custPair(stack, { prefix: 'h6', providerOrg: 'Once Distribution', resellerOrg: 'Once Reselling' });
  const orgsOf = () => count("tenants WHERE domain LIKE 'h6-c%'");
  // Three times in a row, from one browser holding the link: three addresses to confirm.
  const inv = await C.custInvite(stack, w, 'owner@h6-c1.example');
  const v = new Client(stack.base);
  await C.custOpen(v, inv.link);
  for (const n of [1, 2, 3]) {
    const res = await createOne(v, n);
    assert.equal(res.status, 200, textOf(res.text));
    assert.match(textOf(res.text), /Check your email/);
  }
  assert.equal(orgsOf(), 0, 'nothing is created before the address is confirmed');
  const statuses = [];
  for (const n of [1, 2, 3]) {
    const res = await confirmRaw(new Client(stack.base), `owner@h6-c${n}.example`);
    statuses.push(res.status);
    if (n > 1) assert.match(textOf(res.text), /This invitation has already been used/);
  }
  assert.deepEqual(statuses, [303, 409, 409]);
  assert.equal(orgsOf(), 1);
  const t = X.tenant(stack, 'h6-c1.example');
  assert.equal(count('customer_relationships WHERE customer_tenant_id = ?', t.id), 2, 'created and accepted in one step');
  assert.equal(db.value(stack, 'SELECT customer_tenant_id AS t FROM customer_invitations WHERE id = ?', inv.id), t.id);
  assert.equal(count("users WHERE email LIKE 'owner@h6-c%'"), 1, 'the refused ones left no user either');

  // Ten at once, from ten browsers holding the same link: ten Create one, then ten confirmations at once.
  const inv2 = await C.custInvite(stack, w, 'race@h6-race.example');
  const clients = await Promise.all(Array.from({ length: 10 }, async () => {
    const c = new Client(stack.base);
    await C.custOpen(c, inv2.link);
    await c.get('/customer-invite/new');
    return c;
  }));
  const before = orgsOf();
  const sent = await Promise.all(clients.map((c, i) => createOne(c, `-race${i}`)));
  assert.deepEqual(sent.map((r) => r.status), Array(10).fill(200));
  const pages = await Promise.all(clients.map(async (c, i) => {
    const msg = await waitForMail(stack.mailDir, { to: `owner@h6-c-race${i}.example`, subject: 'Confirm your address' });
    const link = new URL(linkIn(msg, '/signup/confirm'));
    await c.get(link.pathname + link.search);
    return c.get('/signup/confirm');
  }));
  const results = await Promise.all(clients.map((c, i) => c.post('/signup/confirm', { csrf: csrfOf(pages[i].text) })));
  assert.deepEqual(results.map((r) => r.status).sort(), [303, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  assert.equal(orgsOf(), before + 1);
  assert.equal(count("customer_invitations WHERE id = ? AND status = 'accepted'", inv2.id), 1);
  const winner = db.value(stack, 'SELECT customer_tenant_id AS t FROM customer_invitations WHERE id = ?', inv2.id);
  assert.equal(count('customer_relationships WHERE customer_tenant_id = ?', winner), 2);
});

test("item 9: Add user answers an address of another organization's user exactly as a new one; the owner is emailed, nothing is written", async () => {
  const a = await org('h9-a.example');
  const b = await org('h9-b.example');
  const bOwner = db.one(stack, 'SELECT id, tenant_id, name, roles FROM users WHERE email = ?', b.email);
  const add = (email) => a.ga.submit('/settings/users/new', { name: 'Pat Probe', email, 'roles[]': ['sales_agent'] });
  const tables = X.tableCounts(stack);
  const auditsA = count('audit WHERE tenant_id = ?', a.tenant);
  const mailsBefore = messages(stack.mailDir).length;
  const taken = await add(b.email);
  const mailsTaken = messages(stack.mailDir).length;
  // Nothing written for the existing address but the owner's email: no user, no link, no
  // audit entry in the asker's log (its Global admins read it), the owner's account as it was.
  assert.deepEqual(X.tableCounts(stack), { ...tables, outbox: tables.outbox + 1 }, 'no row but the mail');
  assert.equal(count('audit WHERE tenant_id = ?', a.tenant), auditsA);
  assert.deepEqual(db.one(stack, 'SELECT id, tenant_id, name, roles FROM users WHERE email = ?', b.email), bOwner);
  assert.equal(count('link_tokens WHERE subject_id = ?', bOwner.id), 0);
  const owner = await waitForMail(stack.mailDir, { to: b.email, after: mailsBefore });
  assert.equal(owner.subject, 'Ana Admin tried to add your address to Org h9-a.example on Partner Center');
  assert.match(owner.body, /nothing was changed/);
  assert.match(owner.body, /Org h9-a\.example\s+was not told that your\s+address has an\s+account/);
  assert.equal(mailsTaken, mailsBefore + 1);
  // A fresh address: the very same answer.
  const fresh = await add('pat@h9-fresh.example');
  assert.equal(taken.status, fresh.status);
  assert.equal(taken.location, fresh.location);
  assert.equal(stable(taken.text), stable(fresh.text));
  const [pt, pf] = [await a.ga.follow(taken), await a.ga.follow(fresh)];
  assert.equal(pt.status, pf.status);
  // The user that is new is there; the other organization's is not (nothing was added).
  assert.equal(count("users WHERE email = 'pat@h9-fresh.example' AND tenant_id = ?", a.tenant), 1);
  assert.equal(count('users WHERE tenant_id = ?', a.tenant), 2);
  // Within the organization, saying "already a user here" tells the admin nothing new.
  const again = await add('pat@h9-fresh.example');
  assert.equal(again.status, 422);
  assert.deepEqual(errorsOf(again.text), ['This address is already a user of your organization. Find them in the list of users.']);
});

/** The answer's text with the echoed address made neutral. */
const without = (html, email) => stable(html).split(email).join('EMAIL');

test('item 9: Create one (/signup) answers an address with an account exactly as a new one; the owner is emailed, nothing is written', async () => {
  const a = await org('h9s-a.example');
  const tables = X.tableCounts(stack);
  const mails = messages(stack.mailDir).length;
  const fields = (domain, email) => ({ org: 'Probe GmbH', domain, country: 'DE', name: 'Pat Probe', email, password: F.REL_PASSWORD, password2: F.REL_PASSWORD });
  const taken = await new Client(stack.base).submit('/signup', fields('h9s-probe1.example', a.email));
  assert.deepEqual(X.tableCounts(stack), { ...tables, outbox: tables.outbox + 1 }, 'no row but the mail');
  const owner = await waitForMail(stack.mailDir, { to: a.email, after: mails });
  assert.equal(owner.subject, 'Someone tried to create a work account with your address on Partner Center');
  assert.match(owner.body, /nothing was created and your account is as it\s+was/);
  assert.doesNotMatch(owner.body, /\/signup\/confirm/);
  const fresh = await new Client(stack.base).submit('/signup', fields('h9s-probe2.example', 'pat@h9s-probe2.example'));
  assert.equal(taken.status, 200);
  assert.equal(fresh.status, taken.status);
  assert.equal(without(taken.text, a.email), without(fresh.text, 'pat@h9s-probe2.example'));
  assert.equal(count("signup_requests WHERE email = 'pat@h9s-probe2.example'"), 1);
  assert.equal(count('tenants WHERE domain LIKE ?', 'h9s-probe%'), 0);
  // Only the owner of the new address can finish it, with the emailed link.
  const msg = await waitForMail(stack.mailDir, { to: 'pat@h9s-probe2.example', subject: 'Confirm your address' });
  const link = new URL(linkIn(msg, '/signup/confirm'));
  const pat = new Client(stack.base);
  const res = await pat.confirmSignup('pat@h9s-probe2.example', mails);
  assert.equal(res.location, '/?m=welcome');
  assert.equal(count('tenants WHERE domain = ?', 'h9s-probe2.example'), 1);
  assert.equal(count("signup_requests WHERE email = 'pat@h9s-probe2.example'"), 0);
  // The link works once.
  const c = new Client(stack.base);
  await c.get(link.pathname + link.search);
  const again = await c.get('/signup/confirm');
  assert.equal(again.status, 410);
  assert.match(textOf(again.text), /already been used/);
});

test("item 9: a customer's Create one answers an address with an account exactly as a new one", async () => {
  const w = await C.custPair(stack, { prefix: 'h9c', providerOrg: 'Probe Distribution', resellerOrg: 'Probe Reselling' });
  const other = await org('h9c-other.example');
  const inv = await C.custInvite(stack, w, 'buyer@h9c-buyer.example');
  const v = new Client(stack.base);
  await C.custOpen(v, inv.link);
  const tables = X.tableCounts(stack);
  const mails = messages(stack.mailDir).length;
  const fields = (domain, email) => ({ org: 'Probe Buyer', domain, country: 'AT', name: 'Pat Probe', email, password: F.REL_PASSWORD, password2: F.REL_PASSWORD, confirm: 'yes' });
  const taken = await v.submit('/customer-invite/new', fields('h9c-probe1.example', other.email));
  assert.deepEqual(X.tableCounts(stack), { ...tables, outbox: tables.outbox + 1 }, 'no row but the mail');
  const owner = await waitForMail(stack.mailDir, { to: other.email, after: mails });
  assert.equal(owner.subject, 'Someone tried to create a work account with your address on Partner Center');
  const fresh = await v.submit('/customer-invite/new', fields('h9c-probe2.example', 'pat@h9c-probe2.example'));
  assert.equal(taken.status, 200);
  assert.equal(fresh.status, taken.status);
  assert.equal(without(taken.text, other.email), without(fresh.text, 'pat@h9c-probe2.example'));
  assert.equal(count("customer_invitations WHERE id = ? AND status = 'pending'", inv.id), 1, 'the invitation is still open');
});
