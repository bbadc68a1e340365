// customers.test.mjs — customers shared by a reseller and its provider, and orders on their
// behalf (SPEC §2.6), through nginx: Invite new customers read from the mail spool, the
// /customer-invite landing page signed out and signed in, Create one for a new customer
// organization, Accept; every refusal (region, partner tenant, own tenant, scenario 6, ended
// relationship, expired / used / altered / foreign / revoked links, not a Global admin, already
// a customer); orders refused before the reseller accepts the agreement and placed after, one
// subscription per order form, refused orders writing nothing; other organizations' ids; the
// customer seeing all its partners; portalctl offers import and the demo world's customers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf, errorsOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import { mintToken, readToken } from '../lib/linktoken.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => {
  stack = await startStack();
  X.testOffers(stack);
});
after(() => stopChecked(stack));

const DAY = 86400;
const { now } = X;
const userId = (email) => X.userId(stack, email);
/** count(*) of `from` (a table and its WHERE, with ? for each value in params). */
const count = (from, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM ${from}`, ...params));
const randomKey = () => randomBytes(16).toString('base64url');

/** Rows (arrays of cell texts) of the table labelled by `label` (aria-labelledby id or aria-label). */
function rowsOf(html, label) {
  const re = new RegExp(`<table aria-label(?:ledby)?="${label}">([\\s\\S]*?)</table>`);
  const m = re.exec(html);
  if (!m) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1])?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1])));
}

/** Refused POST /customer-invite attempts with this code (page views are marked "(page)"). */
const refusedPosts = (code) => count(`audit WHERE action = 'customer.accept' AND outcome = 'refused'
  AND detail LIKE ? AND detail NOT LIKE '%(page)%' AND detail NOT LIKE '%(create organization)%'`, `${code}%`);

/**
 * Expects `client`, following `link`, to be refused with status and a message on the page and
 * on the POST (after following the link again), writing nothing but one audit entry.
 */
async function expectRefused(client, link, { status, says, code }) {
  const page = await C.custOpen(client, link);
  assert.equal(page.status, status, textOf(page.text));
  assert.match(textOf(page.text), says);
  assert.doesNotMatch(page.text, />Accept<\/button>/);
  assert.equal((await client.get(C.pathOf(link))).status, 303);
  const before = C.custCounts(stack), audits = refusedPosts(code);
  const res = await C.custAccept(client);
  assert.equal(res.status, status);
  assert.match(textOf(res.text), says);
  assert.deepEqual(C.custCounts(stack), before, 'nothing written');
  assert.equal(refusedPosts(code), audits + 1, `one refused audit entry (${code})`);
}

test('the whole flow with an existing customer organization: invite, follow the link signed out, sign in, accept; both partners and the customer see it', async () => {
  const w = await C.custPair(stack, { prefix: 'flow', providerOrg: 'Flow Distribution', resellerOrg: 'Flow Reselling' });
  const cust = await C.custOrg(stack, { domain: 'flowcust.example', org: 'Flow Customer GmbH', country: 'AT', email: 'ga@flowcust.example' });
  await cust.client.signout();

  // Indirect providers: per provider, View customers and Invite new customers.
  let page = await w.reseller.client.get('/providers');
  assert.match(page.text, new RegExp(`<a href="/providers/${w.rel}/customers"[^>]*>View customers</a>`));
  assert.match(page.text, new RegExp(`<a href="/providers/${w.rel}/invite-customer"[^>]*>Invite new customers</a>`));
  page = await w.reseller.client.get(`/providers/${w.rel}/customers`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Customers shared with Flow Distribution .*No shared customers yet\./);

  const t0 = now();
  const inv = await C.custInvite(stack, w, 'GA@flowcust.example', { message: 'Hello Flow,\nas agreed on the phone.' });
  assert.equal(inv.res.location, `/providers/customer-invitations/${inv.id}?m=customer-invitation-sent`);
  assert.equal(inv.mail.subject, 'Flow Reselling invites you to become its customer, with Flow Distribution');
  // (issue 15: the mail builder wraps lines at 72, so the words are matched across line ends)
  assert.match(inv.mail.body, /Ana Admin \(admin@flow-resell\.example\) of Flow Reselling invites your\s+organization\s+to become a customer of Flow Reselling and of its indirect\s+provider Flow Distribution/);
  assert.match(inv.mail.body, /^ {2}\| Hello Flow,$/m);
  assert.match(inv.mail.body, /^ {2}\| as agreed on the phone\.$/m);
  assert.match(inv.mail.body, /^http:\/\/127\.0\.0\.1:\d+\/customer-invite\?t=[A-Za-z0-9_-]{72}$/m, 'the link on its own line');
  assert.match(inv.mail.body, /Both partners also ask for delegated administration/);
  const row = db.one(stack, 'SELECT * FROM customer_invitations WHERE id = ?', inv.id);
  assert.equal(row.status, 'pending');
  assert.equal(row.email, 'ga@flowcust.example');
  assert.equal(row.reseller_id, w.reseller.accountId);
  assert.equal(row.provider_id, w.provider.accountId);
  assert.equal(row.message, 'Hello Flow,\nas agreed on the phone.');
  assert.equal(row.delegated_admin, 1);
  assert.equal(row.created_by, userId(w.reseller.email));
  assert.equal(row.expires_at - row.created_at, 30 * DAY);
  assert.ok(row.created_at >= t0 - 1);
  const tok = readToken(C.tokenOf(inv.link));
  assert.equal(tok.purpose, 5);
  assert.equal(tok.row, inv.id);
  assert.equal(tok.expires, row.expires_at);
  // (issue 15, item 13: "05 Mar 2026, 14:03 UTC", was "2026-03-05 14:03 UTC"; the line may wrap;
  // the address is a user's, of an organization in Germany: the time is in their zone, Berlin's)
  const d = new Date(row.expires_at * 1000);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', day: '2-digit', month: 'short',
    year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
  const expiresText = `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`.replace(/ /g, '\\s+');
  assert.match(inv.mail.body, new RegExp(`expires\\s+on\\s+${expiresText}\\s+CES?T`));

  // The invitation page shows the same link with a Copy link button.
  page = await w.reseller.client.get(inv.res.location);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /The customer invitation has been sent\./);
  assert.ok(page.text.includes(`readonly value="${inv.link}"`));
  assert.match(page.text, /<button type="button" data-copy="invite-link"[^>]*hidden>Copy link<\/button>/);
  assert.match(page.text, /<script src="\/static\/js\/copy\.js" defer><\/script>/);

  // Signed out: the token moves into a cookie for /customer-invite.
  const visitor = new Client(stack.base);
  const land = await visitor.get(C.pathOf(inv.link));
  assert.equal(land.status, 303);
  assert.equal(land.location, '/customer-invite');
  assert.ok(land.setCookies.some((c) => /^tok=[A-Za-z0-9_-]{72}; Path=\/customer-invite;/.test(c)));
  page = await visitor.get('/customer-invite');
  assert.equal(page.status, 200);
  let text = textOf(page.text);
  assert.match(text, /Flow Reselling invites your organization to become its customer, together with its indirect provider Flow Distribution/);
  assert.match(text, new RegExp(`Flow Reselling — indirect reseller MPN ID ${w.reseller.mpn} Country France \\(Europe\\)`));
  assert.match(text, new RegExp(`Flow Distribution — indirect provider MPN ID ${w.provider.mpn} Country Germany \\(Europe\\)`));
  assert.match(text, /What accepting grants Flow Reselling becomes your reseller: it sells you subscriptions/);
  assert.match(text, /Flow Distribution , the indirect provider Flow Reselling works with, becomes your reseller too: it places orders and adds subscriptions for you/);
  assert.match(text, /Hello Flow, as agreed on the phone\./);
  assert.match(page.text, /href="\/signin\?next=\/customer-invite">Sign in<\/a>/);
  assert.match(page.text, /href="\/customer-invite\/new">Create one<\/a>/);
  assert.doesNotMatch(page.text, />Accept<\/button>/);

  // Sign in and come back.
  const si = await visitor.signin(cust.email, F.REL_PASSWORD, '/customer-invite');
  assert.equal(si.status, 303);
  assert.equal(si.location, '/customer-invite');
  page = await visitor.get('/customer-invite');
  assert.equal(page.status, 200);
  assert.match(page.text, /<button type="submit" class="primary">Accept<\/button>/);
  // Issue 13: delegated administration is a choice of its own now (with, the default, or without).
  assert.match(textOf(page.text), /On behalf of Flow Customer GmbH, I accept reseller relationships with Flow Reselling and with its indirect provider Flow Distribution\./);
  assert.match(textOf(page.text), /Accept with delegated administration \(Administrator access: Admin agent, for 2 years/);

  // Without the check box: the form again, nothing written.
  let res = await C.custAccept(visitor, { t: C.tokenOf(inv.link) });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Tick this box to continue.']);
  assert.equal(count('customer_relationships'), 0);

  const before = messages(stack.mailDir).length;
  res = await C.custAccept(visitor);
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, '/customers?m=customer-accepted');
  assert.equal(visitor.cookie('tok'), undefined, 'the landing cookie is forgotten');
  const acc = db.one(stack, 'SELECT * FROM customer_invitations WHERE id = ?', inv.id);
  assert.equal(acc.status, 'accepted');
  assert.equal(acc.accepted_by, userId(cust.email));
  assert.equal(acc.customer_tenant_id, cust.tenantId);
  const rels = db.rows(stack, `SELECT partner_id, customer_tenant_id, invitation_id, invited_by, accepted_by, delegated_admin, status
    FROM customer_relationships ORDER BY partner_id`);
  const one = (partner) => ({ partner_id: partner, customer_tenant_id: cust.tenantId, invitation_id: inv.id,
    invited_by: userId(w.reseller.email), accepted_by: userId(cust.email), delegated_admin: 1, status: 'active' });
  assert.deepEqual(rels, [one(w.provider.accountId), one(w.reseller.accountId)].sort((a, b) => a.partner_id - b.partner_id));

  // Both partners hear of it.
  const toReseller = await waitForMail(stack.mailDir, { to: w.reseller.email, subject: 'is now a customer', after: before });
  assert.equal(toReseller.subject, 'Flow Customer GmbH is now a customer of Flow Reselling');
  assert.match(toReseller.body, /Accepted by +Ana Admin \(ga@flowcust\.example\)/);
  assert.match(toReseller.body, /Flow Distribution can now place orders for Flow Customer GmbH on your\s+behalf\./);	// (issue 15: lines wrapped at 72)
  const toProvider = await waitForMail(stack.mailDir, { to: w.provider.email, subject: 'is now a customer', after: before });
  assert.equal(toProvider.subject, 'Flow Customer GmbH is now a customer of Flow Distribution');
  assert.match(toProvider.body, /Flow\s+Distribution\s+can\s+now\s+place\s+orders\s+for\s+Flow\s+Customer\s+GmbH\s+on\s+behalf\s+of\s+Flow\s+Reselling\./);
  assert.match(toProvider.body, new RegExp(`/customers/${cust.tenantId}$`, 'm'));

  // The customer sees both partners.
  page = await visitor.follow(res);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Done: your organization is now a customer of both partners\./);
  assert.match(page.text, /aria-current="page">Your partners<\/a>/);
  const today = new Date(rels[0] && now() * 1000).toUTCString().slice(5, 16);
  // Delegated administration: the pair's relationship as the Relationships page computes it
  // (issue 13), no longer the stored flag ("Yes") — on the customer's list too.
  const until = new Date(Number(db.value(stack, 'SELECT max(expires_at) AS v FROM delegated_admins WHERE customer_tenant_id = ?',
    cust.tenantId)) * 1000).toUTCString().slice(5, 16);
  assert.deepEqual(rowsOf(page.text, 'partners-head'), [
    ['Flow Distribution', 'Indirect provider', w.provider.mpn, 'Germany', today, `Active until ${until}`, 'partners@flow-dist.example'],
    ['Flow Reselling', 'Indirect reseller', w.reseller.mpn, 'France', today, `Active until ${until}`, 'help@flow-resell.example'],
  ]);
  // The reseller: View customers for this provider, and /customers.
  page = await w.reseller.client.get(`/providers/${w.rel}/customers`);
  assert.deepEqual(rowsOf(page.text, 'customers-head'), [['Flow Customer GmbH', 'Austria', today, `Active until ${until}`, '0']]);
  assert.equal(rowsOf(page.text, 'invitations-head')[0][3], 'Accepted by Flow Customer GmbH');
  page = await w.reseller.client.get('/customers');
  assert.deepEqual(rowsOf(page.text, 'Customers'), [['Flow Customer GmbH', 'Austria', 'Indirect reseller', today, `Active until ${until}`, '0']]);
  // The provider.
  page = await w.provider.client.get('/customers');
  assert.deepEqual(rowsOf(page.text, 'Customers'), [['Flow Customer GmbH', 'Austria', 'Indirect provider', today, `Active until ${until}`, '0']]);
  page = await w.provider.client.get(`/customers/${cust.tenantId}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Your relationship As indirect provider since .*, with delegated administration; invited by Ana Admin, accepted by Ana Admin/);
  assert.deepEqual(rowsOf(page.text, 'resellers-head'), [['Flow Reselling', w.reseller.mpn, 'Not published', 'Place order']]);

  const audit = X.audit(stack, { action: ['customer-invitation.send', 'customer.accept', 'customer.relationship'] }, 'tenant_id, action, outcome');
  assert.deepEqual(audit, [
    { tenant_id: w.reseller.tenantId, action: 'customer-invitation.send', outcome: 'ok' },
    { tenant_id: cust.tenantId, action: 'customer.accept', outcome: 'ok' },
    { tenant_id: w.reseller.tenantId, action: 'customer.relationship', outcome: 'ok' },
    { tenant_id: w.provider.tenantId, action: 'customer.relationship', outcome: 'ok' },
  ]);
});

test('Your partners: each partner\'s live delegated admin grant (Active until, Expiring, None), not the stored flag', async () => {
  const w = await C.custPair(stack, { prefix: 'ypl', providerOrg: 'YPL Distribution', resellerOrg: 'YPL Reselling' });
  const cust = await C.custOrg(stack, { domain: 'ypl-cust.example', org: 'YPL Customer AG', email: 'ga@ypl-cust.example' });
  await C.custRelate(stack, w, cust);
  const grant = (tenant) => Number(db.value(stack, 'SELECT id FROM delegated_admins WHERE partner_tenant_id = ? AND customer_tenant_id = ?', tenant, cust.tenantId));
  const day = (t) => new Date(t * 1000).toUTCString().slice(5, 16);
  // the provider's grant ends in 10 days; the customer terminates the reseller's
  const soon = now() + 10 * 86400;
  db.exec(stack, 'UPDATE delegated_admins SET expires_at = ? WHERE id = ?', soon, grant(w.provider.tenantId));
  const rid = grant(w.reseller.tenantId);
  assert.equal((await cust.client.submit(`/delegated-admin/terminate/${rid}`, { reason: 'Not needed' })).status, 303);
  assert.equal(count('customer_relationships WHERE customer_tenant_id = ? AND delegated_admin = 1', cust.tenantId), 2, 'the stored flags stay');
  const page = await cust.client.get('/customers');
  assert.equal(page.status, 200);
  assert.deepEqual(rowsOf(page.text, 'partners-head').map((r) => [r[0], r[5]]), [
    ['YPL Distribution', `Expiring ${day(soon)}`],
    ['YPL Reselling', 'None'],
  ]);
  assert.match(page.text, /data-state="expiring"/);
  assert.match(page.text, /data-state="none"/);
});

test('a new customer organization created from the link (Create one), accepting in the same step', async () => {
  const w = await C.custPair(stack, { prefix: 'fresh', providerOrg: 'Fresh Distribution', resellerOrg: 'Fresh Reselling' });
  const inv = await C.custInvite(stack, w, 'owner@freshcust.example', { delegated: false });
  assert.doesNotMatch(inv.mail.body, /delegated administration/);
  const v = new Client(stack.base);

  // Without the link there is nothing to create an organization for.
  let res = await v.get('/customer-invite/new');
  assert.equal(res.status, 400);
  assert.match(textOf(res.text), /This page opens from the invitation link in a partner's email/);

  await C.custOpen(v, inv.link);
  // "Create one" from the sign-in page comes here too, never to the partner sign-up.
  res = await v.get('/signup?next=%2Fcustomer-invite');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/customer-invite/new');
  let page = await v.get('/customer-invite/new');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Fresh Reselling and Fresh Distribution work in Europe: a customer must be in the same region\./);
  assert.match(page.text, /<option value="AT">Austria — Europe<\/option>/);
  assert.doesNotMatch(page.text, /<option value="US">/, 'only countries of the partners\' region');

  // Another region, a password mismatch: the form again, nothing written.
  const tenants = count('tenants');
  res = await C.custNewOrg(v, { org: 'Fresh Customer', domain: 'freshcust.example', country: 'US', email: 'owner@freshcust.example', password: F.REL_PASSWORD });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Rule: partners sell only to customers in their own region. Fresh Reselling and Fresh Distribution work in Europe: choose a country there.']);
  res = await v.submit('/customer-invite/new', { org: 'Fresh Customer', domain: 'freshcust.example', country: 'BE', name: 'Fay Fresh',
    email: 'owner@freshcust.example', password: F.REL_PASSWORD, password2: 'something else entirely', confirm: 'yes' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['The two passwords are not the same.']);
  assert.match(res.text, /value="Fresh Customer"/, 'the input is kept');
  // A domain that exists already.
  res = await C.custNewOrg(v, { org: 'Fresh Customer', domain: 'fresh-dist.example', country: 'BE', email: 'owner@freshcust.example' });
  assert.equal(res.status, 422);
  assert.match(errorsOf(res.text)[0], /This domain already has a work account/);
  assert.equal(count('tenants'), tenants);

  // Without the check box: the form again, nothing written (creating accepts: issue 12, item 6).
  page = await v.get('/customer-invite/new');
  assert.match(textOf(page.text), /On behalf of the new organization, I accept reseller relationships with Fresh Reselling and with its indirect provider Fresh Distribution\./);
  res = await C.custNewOrg(v, { org: 'Fresh Customer', domain: 'freshcust.example', country: 'BE', name: 'Fay Fresh', email: 'owner@freshcust.example', confirm: false });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Tick this box to continue.']);
  assert.equal(count('tenants'), tenants);

  // The address is confirmed by email first (issue 12, item 9); the link creates and accepts.
  const mails = messages(stack.mailDir).length;
  res = await C.custNewOrg(v, { org: 'Fresh Customer', domain: 'freshcust.example', country: 'BE', name: 'Fay Fresh', email: 'owner@freshcust.example' });
  assert.equal(res.status, 200, errorsOf(res.text).join('; '));
  assert.match(textOf(res.text), /Check your email We have sent a message to owner@freshcust\.example/);
  assert.equal(count('tenants'), tenants);
  res = await v.confirmSignup('owner@freshcust.example', mails);
  assert.equal(res.location, '/customers?m=customer-accepted');
  const t = db.one(stack, 'SELECT id, name, kind, country FROM tenants WHERE domain = ?', 'freshcust.example');
  assert.deepEqual({ ...t, id: undefined }, { id: undefined, name: 'Fresh Customer', kind: 'customer', country: 'BE' });
  assert.deepEqual(db.rows(stack, 'SELECT email, roles FROM users WHERE tenant_id = ?', t.id), [{ email: 'owner@freshcust.example', roles: 1 }]);
  assert.equal(X.count(stack, 'partner_accounts', { tenant_id: t.id }), 0);
  assert.equal(X.audit(stack, { action: 'tenant.create', tenant_id: t.id }, 'detail')[0].detail,
    `Fresh Customer, a customer organization, from customer invitation ${inv.id}`);

  page = await v.follow(res);
  assert.equal(page.status, 200);
  assert.deepEqual(db.rows(stack, 'SELECT partner_id, delegated_admin FROM customer_relationships WHERE customer_tenant_id = ? ORDER BY partner_id', t.id),
    [{ partner_id: w.provider.accountId, delegated_admin: 0 }, { partner_id: w.reseller.accountId, delegated_admin: 0 }]);
  // The overview of a customer organization leads to its partners.
  page = await v.get('/');
  assert.match(page.text, /<a href="\/customers">See your partners and subscriptions<\/a>/);
  // The used link creates nothing more.
  await v.get(C.pathOf(inv.link));
  res = await v.get('/customer-invite/new');
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /already been used/);
});

test('refused: another region, partner tenants, the partners\' own tenants, a reseller of the provider (scenario 6), not a Global admin, already a customer', async () => {
  const w = await C.custPair(stack, { prefix: 'rule', providerOrg: 'Rule Distribution', resellerOrg: 'Rule Reselling' });
  const inv = await C.custInvite(stack, w, 'anyone@example.org');

  // Scenario 7: a customer organization in another region.
  const us = await C.custOrg(stack, { domain: 'rule-us.example', org: 'Yankee Buyer', country: 'US' });
  await expectRefused(us.client, inv.link, { status: 403, code: 'other-region',
    says: /Rule: partners sell only to customers in their own region\. Yankee Buyer is in United States \(North America\), and Rule Reselling and Rule Distribution work in Europe\./ });
  // Scenario 5: the reseller's and the provider's own work accounts.
  await expectRefused(w.reseller.client, inv.link, { status: 403, code: 'own-tenant',
    says: /Rule: a partner cannot be its own customer\. Rule Reselling is the work account Rule Reselling uses in the program/ });
  await expectRefused(w.provider.client, inv.link, { status: 403, code: 'own-tenant',
    says: /Rule Distribution is the work account Rule Distribution uses in the program/ });
  // Scenario 6: another reseller of the same provider, with its partner tenant.
  const r2 = await F.relPartner(stack, { domain: 'rule-r2.example', org: 'Second Reseller', country: 'IT' });
  C.relate(stack, w.provider, r2);
  const refusedPage = await C.custOpen(r2.client, inv.link);
  assert.match(refusedPage.text, /<a href="\/customer-invite\/new">Create a customer organization<\/a>/, 'the way out: another tenant');
  await expectRefused(r2.client, inv.link, { status: 403, code: 'reseller-of-provider',
    says: /Rule: an indirect reseller of Rule Distribution cannot become its customer with the same work account\. Second Reseller is an indirect reseller of Rule Distribution; to buy for its own use it must use another work account/ });
  // Scenario 4: any partner-type tenant: another provider, and a work account made by the partner sign-up.
  const p2 = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rule-p2.example', org: 'Other Provider' });
  await expectRefused(p2.client, inv.link, { status: 403, code: 'partner-tenant',
    says: /Rule: a partner's work account cannot be a customer\. Other Provider is a partner work account/ });
  const plain = await F.relPartner(stack, { type: null, domain: 'rule-plain.example', org: 'Plain Signup', mpn: false });
  await expectRefused(plain.client, inv.link, { status: 403, code: 'partner-tenant', says: /Plain Signup is a partner work account/ });

  // Not a Global admin: the page says who can; the POST is forbidden (CUSTOMER_ACCEPT).
  const cust = await C.custOrg(stack, { domain: 'rule-cust.example', org: 'Rule Customer', country: 'DE', email: 'gale@rule-cust.example' });
  const aa = await F.relUser(stack, cust, { email: 'aa@rule-cust.example', roles: ['account_admin', 'admin_agent', 'billing_admin'] });
  let page = await C.custOpen(aa.client, inv.link);
  assert.equal(page.status, 403);
  assert.match(textOf(page.text), /Rule: only a Global admin of the customer organization can accept\. Ask Ana Admin \(gale@rule-cust\.example\) of Rule Customer to open this link\./);
  assert.doesNotMatch(page.text, />Accept<\/button>/);
  const before = C.custCounts(stack);
  let res = await C.custAccept(aa.client);
  assert.equal(res.status, 403);
  assert.deepEqual(C.custCounts(stack), before);
  assert.equal(count("audit WHERE action = 'customer.accept' AND detail LIKE 'not-global-admin%' AND tenant_id = ?", cust.tenantId), 1);
  assert.equal(X.auditCount(stack, { action: 'access', target: 'CUSTOMER_INVITE_POST', outcome: 'refused', tenant_id: cust.tenantId }), 1);

  // After all of that the link still works for the right organization.
  await C.custOpen(cust.client, inv.link);
  res = await C.custAccept(cust.client);
  assert.equal(res.status, 303);

  // Already a customer of both: a second invitation is refused (and so is the used first one).
  // (Issue 13: Invite new customers refuses an address of an organization that is a customer of
  // both already, so this one goes to another address.)
  const second = await C.custInvite(stack, w, 'again@rule-cust-mail.example');
  page = await C.custOpen(cust.client, second.link);
  assert.match(page.text, /<a href="\/customers">Go to your partners<\/a>/);
  await expectRefused(cust.client, second.link, { status: 409, code: 'already-customer',
    says: /Rule Customer is already a customer of both Rule Reselling and Rule Distribution/ });
  await expectRefused(cust.client, inv.link, { status: 409, code: 'used', says: /This invitation has already been used: each invitation link works once/ });
});

test('refused: expired, revoked, altered by one character, cut short, foreign, an ended relationship, a partner no longer approved', async () => {
  const w = await C.custPair(stack, { prefix: 'link', providerOrg: 'Link Distribution', resellerOrg: 'Link Reselling' });
  const cust = await C.custOrg(stack, { domain: 'link-cust.example', org: 'Link Customer', country: 'DE' });

  // Expired: the row's and the link's expiry have passed.
  const old = await C.custInvite(stack, w, 'old@link-cust.example');
  const past = now() - 60;
  X.setCustomerInvitationExpiry(stack, old.id, past);
  const expired = mintToken(stack, { purpose: 'customer-invite', row: old.id, expires: past });
  await expectRefused(cust.client, `${stack.base}/customer-invite?t=${expired}`, { status: 410, code: 'expired',
    says: /This invitation has expired: customer invitation links work for 30 days\. Ask the reseller to send a new one\./ });
  let list = await w.reseller.client.get(`/providers/${w.rel}/customers`);
  assert.equal(rowsOf(list.text, 'invitations-head').find((x) => x[0] === 'old@link-cust.example')[3], 'Expired');

  // Revoked by the reseller.
  const rv = await C.custInvite(stack, w, 'rv@link-cust.example');
  let res = await w.reseller.client.post(`/providers/customer-invitations/revoke/${rv.id}`, { csrf: csrfOf(list.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/providers/${w.rel}/customers?m=customer-invitation-revoked`);
  assert.equal(db.one(stack, 'SELECT status FROM customer_invitations WHERE id = ?', rv.id).status, 'revoked');
  await expectRefused(cust.client, rv.link, { status: 410, code: 'revoked', says: /Link Reselling has revoked this invitation/ });
  res = await w.reseller.client.post(`/providers/customer-invitations/revoke/${rv.id}`, { csrf: csrfOf(list.text) });
  assert.equal(res.status, 409);

  // Altered by one character anywhere, and cut short.
  const ok = await C.custInvite(stack, w, 'ok@link-cust.example');
  const t = C.tokenOf(ok.link);
  for (const at of [1, 20, 40, 71]) {
    const altered = t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    await expectRefused(cust.client, `${stack.base}/customer-invite?t=${altered}`, { status: 400, code: 'altered',
      says: /This invitation link is not valid: it may have been changed or cut short/ });
  }
  await expectRefused(cust.client, `${stack.base}/customer-invite?t=${t.slice(0, 50)}`, { status: 400, code: 'altered', says: /changed or cut short/ });
  // A link of another kind: the provider's reseller invitation.
  const rinv = await F.relInvite(stack, w.provider, 'someone@elsewhere.example');
  await expectRefused(cust.client, `${stack.base}/customer-invite?t=${C.tokenOf(rinv.link)}`, { status: 400, code: 'foreign-link',
    says: /This link is not a customer invitation/ });

  // The operator ends the reseller-provider relationship: the pending link no longer works.
  const end = stack.ctl('end-relationship', String(w.provider.accountId), String(w.reseller.accountId), '--reason', 'contract ended');
  assert.equal(end.code, 0, end.stderr);
  await expectRefused(cust.client, ok.link, { status: 403, code: 'relationship-inactive',
    says: /Rule: a reseller invites customers together with an indirect provider it works with\. Link Reselling and Link Distribution no longer have an active relationship/ });
  // ... and View customers / Invite new customers for it answer 404.
  assert.equal((await w.reseller.client.get(`/providers/${w.rel}/customers`)).status, 404);
  assert.equal((await w.reseller.client.get(`/providers/${w.rel}/invite-customer`)).status, 404);

  // A partner no longer approved.
  const w2 = await C.custPair(stack, { prefix: 'gone', providerOrg: 'Gone Distribution', resellerOrg: 'Gone Reselling' });
  const g = await C.custInvite(stack, w2, 'g@link-cust.example');
  X.setPartnerStatus(stack, w2.reseller.accountId, 'rejected');
  await expectRefused(cust.client, g.link, { status: 410, code: 'partner-not-approved',
    says: /Rule: both partners must be approved in the program\. Gone Reselling is no longer an approved indirect reseller/ });
  X.setPartnerStatus(stack, w2.reseller.accountId, 'approved');

  // No link at all.
  const none = await cust.client.get('/customer-invite');
  assert.equal(none.status, 400);
  assert.match(textOf(none.text), /opens from the invitation link in a partner's email/);
});

test('the same link accepted twice at once: exactly one acceptance', async () => {
  const w = await C.custPair(stack, { prefix: 'race' });
  const cust = await C.custOrg(stack, { domain: 'race-cust.example', country: 'DE' });
  const inv = await C.custInvite(stack, w, cust.email);
  await C.custOpen(cust.client, inv.link);
  const csrf = csrfOf((await cust.client.get('/find-a-provider')).text);
  const results = await Promise.all([1, 2, 3].map(() => cust.client.post('/customer-invite', { csrf, t: C.tokenOf(inv.link), confirm: 'yes' })));
  assert.deepEqual(results.map((x) => x.status).sort(), [303, 409, 409]);
  assert.equal(X.count(stack, 'customer_relationships', { customer_tenant_id: cust.tenantId }), 2);
});

test('Invite new customers: validation, one pending invitation per address and provider, who may invite', async () => {
  const w = await C.custPair(stack, { prefix: 'form' });
  let res = await w.reseller.client.submit(`/providers/${w.rel}/invite-customer`, { email: 'not an email', message: 'x'.repeat(1001) });
  assert.equal(res.status, 422);
  assert.equal(errorsOf(res.text).length, 2);
  assert.match(res.text, /value="not an email"/);
  await C.custInvite(stack, w, 'dup@form.example');
  res = await w.reseller.client.submit(`/providers/${w.rel}/invite-customer`, { email: 'DUP@form.example' });
  assert.equal(res.status, 422);
  assert.match(errorsOf(res.text)[0], /already invited this address with this provider/);
  assert.equal(X.count(stack, 'customer_invitations', { email: 'dup@form.example' }), 1);
  // A Sales agent may invite; a Helpdesk agent may view but not invite; a reseller in review gets neither.
  const sales = await F.relUser(stack, w.reseller, { email: 'sales@form-resell.example', roles: ['sales_agent'] });
  await C.custInvite(stack, w, 'by-sales@form.example', { client: sales.client });
  const help = await F.relUser(stack, w.reseller, { email: 'help@form-resell.example', roles: ['helpdesk_agent'] });
  assert.equal((await help.client.get(`/providers/${w.rel}/customers`)).status, 200);
  assert.equal((await help.client.get(`/providers/${w.rel}/invite-customer`)).status, 403);
  const page = await help.client.get('/providers');
  assert.match(page.text, />View customers<\/a>/);
  assert.doesNotMatch(page.text, />Invite new customers<\/a>/);
  X.setPartnerStatus(stack, w.reseller.accountId, 'in_review');
  const inReview = await w.reseller.client.get(`/providers/${w.rel}/invite-customer`);
  assert.equal(inReview.status, 403);
  assert.match(textOf(inReview.text), /This page is for approved indirect resellers/);
  assert.doesNotMatch((await w.reseller.client.get('/providers')).text, />View customers</);
  X.setPartnerStatus(stack, w.reseller.accountId, 'approved');
});

test('orders: refused before the reseller accepts the agreement, placed after; one subscription per order form; seen by both partners and the customer', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'ord', providerOrg: 'Order Distribution', resellerOrg: 'Order Reselling',
    customer: { domain: 'ord-cust.example', org: 'Order Customer', country: 'NL' }, agreement: 'ord-2025', resellerAccepts: false });

  // The form: the shared reseller (with its agreement standing), its MPN ID, active offers.
  const form = await C.orderForm(w.provider.client, cust.tenantId, w.reseller.accountId);
  // (issue 15: a reseller that cannot transact is offered disabled, not chosen, with the reason beside it)
  assert.match(form.page.text, new RegExp(`<option value="${w.reseller.accountId}" disabled>Order Reselling \\(cannot order now\\)</option>`));
  assert.match(textOf(form.page.text), /Order Reselling ?: .*not accepted version ord-2025/);
  assert.match(form.page.text, new RegExp(`<optgroup label="Order Reselling">\\s*<option value="${w.reseller.mpn}">`));
  assert.match(form.page.text, /<option value="T-STD">Test Standard — 12\.50 USD per user\/month<\/option>/);
  assert.doesNotMatch(form.page.text, /T-OLD/, 'inactive offers are not offered');
  assert.match(form.key, /^[A-Za-z0-9_-]{22}$/);
  const order = { reseller: w.reseller.accountId, mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '25', order_key: form.key };

  // Refused: the reseller has not accepted the current agreement. Nothing written.
  let before = C.custCounts(stack);
  let res = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(res.status, 403);
  assert.equal(textOf(/<div class="banner error" role="alert">([\s\S]*?)<\/div>/.exec(res.text)[1]),
    'The order was refused Rule: a provider orders on behalf of a reseller only when the reseller may transact: approved, with the current partner agreement accepted. Order Reselling cannot yet: the organization has not accepted version ord-2025 of the Partner Agreement (MPA). No order was placed.');
  assert.match(res.text, /<option value="T-STD" selected>/, 'the choices are kept');
  assert.deepEqual(C.custCounts(stack), before, 'a refused order writes nothing');
  assert.equal(count("audit WHERE action = 'order.place' AND outcome = 'refused' AND detail LIKE 'reseller-may-not-transact%' AND tenant_id = ?", w.provider.tenantId), 1);

  // The reseller accepts; the same form (same key) now places the order, once.
  F.relAcceptAgreement(stack, w.reseller);
  before = messages(stack.mailDir).length;
  res = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, `/customers/${cust.tenantId}?m=order-placed`);
  const subs = db.rows(stack, 'SELECT * FROM subscriptions WHERE customer_tenant_id = ?', cust.tenantId);
  assert.equal(subs.length, 1);
  const [s] = subs;
  assert.deepEqual({ c: s.customer_tenant_id, p: s.provider_id, r: s.reseller_id, m: s.mpn_id, o: s.offer_id, q: s.quantity, by: s.created_by, st: s.status, k: s.order_key },
    { c: cust.tenantId, p: w.provider.accountId, r: w.reseller.accountId, m: w.reseller.mpn, o: 'T-STD', q: 25, by: userId(w.provider.email), st: 'active', k: form.key });
  const mail = await waitForMail(stack.mailDir, { to: w.reseller.email, subject: 'Order confirmation', after: before });
  assert.equal(mail.subject, 'Order confirmation: 25 x Test Standard for Order Customer');
  assert.match(mail.body, new RegExp(`Subscription: +${s.id}\\nOffer: +Test Standard \\(T-STD\\)\\nQuantity: +25 \\(user/month\\)\\nMPN ID: +${w.reseller.mpn}`));

  // The same form again, and three at once: still one subscription.
  res = await C.placeOrder(w.provider.client, cust.tenantId, order);
  assert.equal(res.status, 303);
  assert.equal(res.location, `/customers/${cust.tenantId}?m=order-already-placed`);
  const form2 = await C.orderForm(w.provider.client, cust.tenantId);
  const again = await Promise.all([1, 2, 3].map(() => w.provider.client.post(`/customers/${cust.tenantId}/order`,
    { csrf: form2.csrf, ...order, offer: 'T-SEC', quantity: '3', order_key: form2.key })));
  assert.deepEqual(again.map((x) => x.status), [303, 303, 303]);
  assert.deepEqual(again.map((x) => x.location).sort(), [`/customers/${cust.tenantId}?m=order-already-placed`,
    `/customers/${cust.tenantId}?m=order-already-placed`, `/customers/${cust.tenantId}?m=order-placed`]);
  assert.equal(X.count(stack, 'subscriptions', { customer_tenant_id: cust.tenantId }), 2);
  assert.equal(X.count(stack, 'subscriptions', { order_key: form2.key }), 1);

  // Both partners and the customer see the subscriptions.
  const rowsFor = async (client, path, label) => rowsOf((await client.get(path)).text, label);
  const provRows = await rowsFor(w.provider.client, `/customers/${cust.tenantId}`, 'subs-head');
  assert.equal(provRows.length, 2);
  assert.deepEqual(provRows[1].slice(0, 6), [`#${s.id}`, 'Test Standard T-STD', '25 user/month', 'Order Reselling', w.reseller.mpn, 'Order Distribution']);
  assert.match(provRows[1][6], /by Ana Admin$/);
  assert.equal(provRows[1][7], 'Active');
  const resRows = await rowsFor(w.reseller.client, `/customers/${cust.tenantId}`, 'subs-head');
  assert.deepEqual(resRows.map((x) => x.slice(0, 4)), provRows.map((x) => x.slice(0, 4)));
  const custRows = await rowsFor(cust.client, '/customers', 'subs-head');
  assert.deepEqual(custRows.map((x) => x.slice(0, 4)), [['Test Security T-SEC', '3 device/month', 'Order Reselling', 'Order Distribution'],
    ['Test Standard T-STD', '25 user/month', 'Order Reselling', 'Order Distribution']]);
  assert.deepEqual((await rowsFor(w.reseller.client, `/providers/${w.rel}/customers`, 'customers-head'))[0].slice(-1), ['2']);
  // Audit: the provider's, the reseller's and the customer's logs.
  assert.equal(count("audit WHERE action = 'order.place' AND outcome = 'ok' AND tenant_id = ? AND detail LIKE ?", w.provider.tenantId, `subscription ${s.id}:%`), 1);
  assert.equal(count("audit WHERE action = 'order.place' AND outcome = 'ok' AND tenant_id = ? AND detail LIKE 'the same order form again:%'", w.provider.tenantId), 3);
  assert.equal(X.auditCount(stack, { action: 'subscription.create', tenant_id: w.reseller.tenantId }), 2);
  assert.equal(X.auditCount(stack, { action: 'subscription.create', tenant_id: cust.tenantId }), 2);
});

test('orders: every other refusal writes nothing; the form checks offer, quantity and key', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'ref', providerOrg: 'Refusing Distribution', resellerOrg: 'Refusing Reselling',
    customer: { domain: 'ref-cust.example', org: 'Refusing Customer', country: 'DE' }, agreement: 'ref-1' });
  const base = { reseller: w.reseller.accountId, mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '5' };
  const refused = async (fields, status, says, code) => {
    const before = C.custCounts(stack);
    const audits = count("audit WHERE action = 'order.place' AND outcome = 'refused' AND detail LIKE ?", `${code}%`);
    const res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, order_key: randomKey(), ...fields });
    assert.equal(res.status, status, textOf(res.text));
    assert.match(textOf(res.text), says);
    assert.deepEqual(C.custCounts(stack), before, `nothing written (${code})`);
    assert.equal(count("audit WHERE action = 'order.place' AND outcome = 'refused' AND detail LIKE ?", `${code}%`), audits + 1);
  };
  // The MPN ID of someone else (the provider's own).
  await refused({ mpn_id: w.provider.mpn }, 403, new RegExp(`Rule: an order carries one of the reseller's own MPN IDs\\. ${w.provider.mpn} is not an MPN ID of Refusing Reselling`), 'mpn-not-resellers');
  // A reseller of this provider that does not work with the customer.
  const r2 = await F.relPartner(stack, { domain: 'ref-r2.example', org: 'Lonely Reseller', country: 'DE' });
  C.relate(stack, w.provider, r2);
  F.relAcceptAgreement(stack, r2);
  await refused({ reseller: r2.accountId, mpn_id: r2.mpn }, 403, /Rule: an order on behalf of a reseller needs the customer's relationship with that reseller\. Refusing Customer has no customer relationship with Lonely Reseller/, 'not-customer-of-reseller');
  // A reseller that is not this provider's: a foreign id, 404, never named (issue 12, item 1;
  // tests/integration/hardening.test.mjs covers it in full).
  const r3 = await F.relPartner(stack, { domain: 'ref-r3.example', org: 'Stranger Reseller', country: 'DE' });
  const strange = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, reseller: r3.accountId, mpn_id: r3.mpn, order_key: randomKey() });
  assert.equal(strange.status, 404);
  assert.doesNotMatch(strange.text, /Stranger Reseller/);
  // A new agreement version the provider has not accepted (the reseller has).
  X.publishAgreement(stack, 'ref-2');
  F.relAcceptAgreement(stack, w.reseller);
  await refused({}, 403, /Rule: a provider places orders only when it may transact itself: approved, with the current partner agreement accepted\. Refusing Distribution cannot yet: the organization accepted version ref-1 of the Partner Agreement \(MPA\), but not the current version ref-2\./, 'provider-may-not-transact');
  F.relAcceptAgreement(stack, w.provider);
  // The relationship ended by the operator.
  stack.ctl('end-relationship', String(w.provider.accountId), String(w.reseller.accountId), '--reason', 'test');
  await refused({}, 403, /Refusing Distribution and Refusing Reselling have no active relationship/, 'relationship-inactive');
  X.reactivateRelationship(stack, w.provider.accountId, w.reseller.accountId);

  // The form itself: quantity, offer, MPN ID format; the key.
  const invalid = async (fields, errors) => {
    const before = C.custCounts(stack);
    const res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, ...fields });
    assert.equal(res.status, 422, textOf(res.text));
    assert.deepEqual(errorsOf(res.text), errors);
    assert.deepEqual(C.custCounts(stack), before);
  };
  for (const q of ['0', '10001', 'abc', '1e3', '-5', ' 7x', '99999999999999999999']) await invalid({ quantity: q }, ['Enter a whole number from 1 to 10000.']);
  await invalid({ quantity: '' }, ['Enter the quantity.']);
  await invalid({ offer: 'T-OLD' }, ['Choose an offer from the catalog: this one does not exist or can no longer be ordered.']);
  await invalid({ offer: 'NO-SUCH' }, ['Choose an offer from the catalog: this one does not exist or can no longer be ordered.']);
  await invalid({ mpn_id: '12ab' }, ["Choose one of the reseller's MPN IDs (6 to 10 digits)."]);
  await invalid({ reseller: 'x' }, ['Choose a reseller from the list.']);
  let res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, order_key: 'short' });
  assert.equal(res.status, 400);
  // The edges of the range are fine.
  for (const q of ['1', '10000']) {
    res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, quantity: q });
    assert.equal(res.status, 303, textOf(res.text));
  }
  assert.deepEqual(db.rows(stack, 'SELECT quantity FROM subscriptions WHERE customer_tenant_id = ? ORDER BY id', cust.tenantId).map((x) => x.quantity), [1, 10000]);
  // Roles: a Sales agent may order; an Account admin may not (ORDERS_PLACE).
  const sales = await F.relUser(stack, w.provider, { email: 'sales@ref-dist.example', roles: ['sales_agent'] });
  res = await C.placeOrder(sales.client, cust.tenantId, base);
  assert.equal(res.status, 303);
  const acc = await F.relUser(stack, w.provider, { email: 'acc@ref-dist.example', roles: ['account_admin'] });
  assert.equal((await acc.client.get(`/customers/${cust.tenantId}/order`)).status, 403);
  assert.doesNotMatch((await acc.client.get(`/customers/${cust.tenantId}`)).text, />Place order</);
});

test('multi-partner: each partner sees only its own customers and subscriptions, through any URL (404 + audit); the customer sees all its partners', async () => {
  const a = await C.custPair(stack, { prefix: 'mpa', providerOrg: 'Alpha Distribution', resellerOrg: 'Alpha Reselling' });
  const b = await C.custPair(stack, { prefix: 'mpb', providerOrg: 'Beta Distribution', resellerOrg: 'Beta Reselling' });
  const shared = await C.custOrg(stack, { domain: 'mp-shared.example', org: 'Shared Customer', country: 'DE' });
  const onlyA = await C.custOrg(stack, { domain: 'mp-a.example', org: 'Only Alpha Customer', country: 'DE' });
  const invA = await C.custRelate(stack, a, shared);
  await C.custRelate(stack, b, shared);
  await C.custRelate(stack, a, onlyA);
  X.publishAgreement(stack, 'mp-1');
  for (const p of [a.provider, a.reseller, b.provider, b.reseller]) F.relAcceptAgreement(stack, p);
  let res = await C.placeOrder(a.provider.client, shared.tenantId, { reseller: a.reseller.accountId, mpn_id: a.reseller.mpn, offer: 'T-STD', quantity: '10' });
  assert.equal(res.status, 303);
  res = await C.placeOrder(b.provider.client, shared.tenantId, { reseller: b.reseller.accountId, mpn_id: b.reseller.mpn, offer: 'T-SEC', quantity: '20' });
  assert.equal(res.status, 303);

  // Lists: each partner its own.
  const names = async (client) => rowsOf((await client.get('/customers')).text, 'Customers').map((r) => r[0]);
  assert.deepEqual(await names(a.provider.client), ['Only Alpha Customer', 'Shared Customer']);
  assert.deepEqual(await names(b.provider.client), ['Shared Customer']);
  assert.deepEqual(await names(b.reseller.client), ['Shared Customer']);
  // The shared customer's page: Beta sees only Beta's subscription, Alpha only Alpha's.
  const subs = async (client) => rowsOf((await client.get(`/customers/${shared.tenantId}`)).text, 'subs-head').map((r) => r[1]);
  assert.deepEqual(await subs(a.provider.client), ['Test Standard T-STD']);
  assert.deepEqual(await subs(a.reseller.client), ['Test Standard T-STD']);
  assert.deepEqual(await subs(b.provider.client), ['Test Security T-SEC']);
  assert.deepEqual(await subs(b.reseller.client), ['Test Security T-SEC']);
  // Beta's provider does not see Alpha's reseller as someone it shares the customer with.
  assert.deepEqual(rowsOf((await b.provider.client.get(`/customers/${shared.tenantId}`)).text, 'resellers-head').map((r) => r[0]), ['Beta Reselling']);
  // The customer sees all four partners and both subscriptions.
  const page = await shared.client.get('/customers');
  assert.deepEqual(rowsOf(page.text, 'partners-head').map((r) => `${r[0]} (${r[1]})`),
    ['Alpha Distribution (Indirect provider)', 'Alpha Reselling (Indirect reseller)', 'Beta Distribution (Indirect provider)', 'Beta Reselling (Indirect reseller)']);
  assert.deepEqual(rowsOf(page.text, 'subs-head').map((r) => r[0]).sort(), ['Test Security T-SEC', 'Test Standard T-STD']);

  // Every URL of another organization's objects: 404, audited in the asker's log, nothing changed.
  const before = C.custCounts(stack);
  const refusals = () => X.auditCount(stack, { tenant_id: b.provider.tenantId, action: 'access', outcome: 'refused' });
  const r0 = refusals();
  assert.equal((await b.provider.client.get(`/customers/${onlyA.tenantId}`)).status, 404);
  assert.equal((await b.provider.client.get(`/customers/${onlyA.tenantId}/order`)).status, 404);
  res = await C.placeOrder(b.provider.client, onlyA.tenantId, { reseller: b.reseller.accountId, mpn_id: b.reseller.mpn, offer: 'T-STD', quantity: '1', order_key: 'x'.repeat(22) });
  assert.equal(res.status, 404);
  // Ordering for the shared customer on behalf of the other provider's reseller: a reseller Beta
  // never worked with is a foreign id, never named (issue 12, item 1: was a 403 naming it).
  res = await C.placeOrder(b.provider.client, shared.tenantId, { reseller: a.reseller.accountId, mpn_id: a.reseller.mpn, offer: 'T-STD', quantity: '1' });
  assert.equal(res.status, 404);
  assert.doesNotMatch(res.text, /Alpha Reselling/);
  // Ids that are no customer at all: a partner tenant, a user id, nonsense.
  assert.equal((await b.provider.client.get(`/customers/${a.provider.tenantId}`)).status, 404);
  assert.equal((await b.provider.client.get('/customers/999999')).status, 404);
  assert.equal(refusals() - r0, 6);
  assert.equal(X.auditCount(stack, { tenant_id: b.provider.tenantId, target: `customer ${onlyA.tenantId}`, detail: "not this organization's customer" }), 3);
  // The other reseller's relationship and invitations.
  const rb0 = X.auditCount(stack, { tenant_id: b.reseller.tenantId, action: 'access', outcome: 'refused' });
  assert.equal((await b.reseller.client.get(`/providers/${a.rel}/customers`)).status, 404);
  assert.equal((await b.reseller.client.get(`/providers/${a.rel}/invite-customer`)).status, 404);
  const csrf = csrfOf((await b.reseller.client.get('/find-a-provider')).text);
  assert.equal((await b.reseller.client.post(`/providers/${a.rel}/invite-customer`, { csrf, email: 'steal@x.example' })).status, 404);
  assert.equal((await b.reseller.client.get(`/providers/customer-invitations/${invA.id}`)).status, 404);
  const pending = await C.custInvite(stack, a, 'pending@mp.example');
  assert.equal((await b.reseller.client.post(`/providers/customer-invitations/revoke/${pending.id}`, { csrf })).status, 404);
  assert.equal(db.one(stack, 'SELECT status FROM customer_invitations WHERE id = ?', pending.id).status, 'pending');
  assert.equal(X.auditCount(stack, { tenant_id: b.reseller.tenantId, action: 'access', outcome: 'refused' }) - rb0, 5);
  assert.equal(X.auditCount(stack, { tenant_id: b.reseller.tenantId, target: `relationship ${a.rel}`, detail: "another organization's relationship" }), 3);
  assert.equal(count("audit WHERE tenant_id = ? AND target LIKE 'customer invitation %' AND detail = ?", b.reseller.tenantId, "another organization's invitation"), 2);
  // A customer organization has no customers of its own, and another customer's page is 404.
  assert.equal((await shared.client.get(`/customers/${onlyA.tenantId}`)).status, 404);
  // The only change: the pending invitation Alpha sent.
  assert.deepEqual({ ...C.custCounts(stack), mail: 0 }, { ...before, mail: 0 });
});

test('portalctl offers import: columns in --help, line-numbered errors and nothing imported, idempotent by offer id; offers list', () => {
  const help = stack.ctl('help');
  assert.match(help.stdout, /offers import FILE\.csv — the offer catalog providers order from/);
  assert.match(help.stdout, /offer_id,name,description,unit,price,currency,active/);
  const file = join(stack.data, 'offers.csv');
  writeFileSync(file, 'offer_id,name,description,unit,price,currency,active\nCLI-1,Cli One,"First, of all",user/month,4.5,usd,yes\nCLI-2,Cli Two,,device/month,1,USD,no\n');
  let r = stack.ctl('offers', 'import', file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'imported 2 offers: 2 added, 0 updated, 0 unchanged');
  r = stack.ctl('offers', 'import', file);
  assert.equal(r.stdout.trim(), 'imported 2 offers: 0 added, 0 updated, 2 unchanged');
  assert.deepEqual(db.rows(stack, "SELECT offer_id, description, price_cents, currency, active FROM offers WHERE offer_id LIKE 'CLI-%' ORDER BY 1"), [
    { offer_id: 'CLI-1', description: 'First, of all', price_cents: 450, currency: 'USD', active: 1 },
    { offer_id: 'CLI-2', description: '', price_cents: 100, currency: 'USD', active: 0 }]);
  writeFileSync(file, 'offer_id,name,description,unit,price,currency,active\nCLI-1,Cli One,,user/month,9,USD,yes\nCLI 3,x,,u,1,USD,yes\nCLI-4,y,,u,abc,USD,yes\n');
  r = stack.ctl('offers', 'import', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /offers\.csv: line 3: offer_id must be 1 to 40 letters/);
  assert.match(r.stderr, /offers\.csv: line 4: price must be a number/);
  assert.match(r.stderr, /2 problems; nothing was imported/);
  assert.equal(db.one(stack, 'SELECT price_cents FROM offers WHERE offer_id = ?', 'CLI-1').price_cents, 450, 'the good line was not imported either');
  assert.equal(stack.ctl('offers', 'import').code, 2);
  assert.equal(stack.ctl('offers', 'import', join(stack.data, 'missing.csv')).code, 1);
  r = stack.ctl('offers', 'list');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^CLI-1 +Cli One +4\.50 USD +user\/month +yes +0$/m);
  assert.match(r.stdout, /^CLI-2 +Cli Two +1\.00 USD +device\/month +no +0$/m);
  assert.equal(X.auditCount(stack, { action: 'offers.import', actor: 'operator' }), 2);
});

test('the demo world: Tailspin works with Adatum, Trey Research and Northwind; orders for Adatum are refused until it accepts the agreement', async () => {
  const demo = await startStack({ demo: true });
  try {
    const as = async (email) => {
      const c = new Client(demo.base);
      const res = await c.signin(email, 'Demo-Partner-2025');
      assert.equal(res.status, 303);
      return c;
    };
    const tailspin = X.tenantId(demo, 'tailspin.example');
    assert.equal(X.count(demo, 'offers'), 8);
    const tom = await as('tom.tailspin@tailspin.example');
    let page = await tom.get('/customers');
    assert.deepEqual(rowsOf(page.text, 'partners-head').map((r) => r[0]), ['Adatum Systems', 'Northwind Distribution', 'Trey Research']);
    assert.deepEqual(rowsOf(page.text, 'subs-head').map((r) => `${r[0]} | ${r[1]} | ${r[2]} | ${r[3]}`).sort(), [
      'Business Standard CLD-BIZ-STD | 25 user/month | Trey Research | Northwind Distribution',
      'Endpoint Protection CLD-SEC-EP | 30 device/month | Trey Research | Northwind Distribution']);
    // Adatum: a customer without subscriptions of its own; Northwind's order for it is refused.
    const ada = await as('ada.adatum@adatum.example');
    page = await ada.get(`/customers/${tailspin}`);
    assert.equal(page.status, 200);
    assert.deepEqual(rowsOf(page.text, 'subs-head'), []);
    const nora = await as('nora.north@northwind.example');
    const adatum = Number(X.partnerAccountsOf(demo, 'adatum.example')[0].id);
    const form = await C.orderForm(nora, tailspin, adatum);
    let res = await nora.post(`/customers/${tailspin}/order`, { csrf: form.csrf, order_key: form.key, reseller: adatum, mpn_id: '5100003', offer: 'CLD-BIZ-BASIC', quantity: '10' });
    assert.equal(res.status, 403);
    assert.match(textOf(res.text), /Adatum Systems cannot yet: the organization has not accepted version 2025-01/);
    // Adatum's Global admin accepts on /agreement; the same order form now works.
    const acc = await ada.submit('/agreement', { first: 'Ada', last: 'Adatum', email: 'ada.adatum@adatum.example', phone: '+33 1 55 50 12 00',
      title: 'Gérante', accept: 'yes', version: db.rows(demo, 'SELECT id FROM agreement_versions')[0].id });
    assert.equal(acc.status, 303);
    res = await nora.post(`/customers/${tailspin}/order`, { csrf: form.csrf, order_key: form.key, reseller: adatum, mpn_id: '5100003', offer: 'CLD-BIZ-BASIC', quantity: '10' });
    assert.equal(res.status, 303, textOf(res.text));
    page = await ada.get(`/customers/${tailspin}`);
    assert.deepEqual(rowsOf(page.text, 'subs-head').map((r) => r[1]), ['Business Basic CLD-BIZ-BASIC']);
    // Loading the demo again adds nothing.
    const counts = () => db.one(demo, 'SELECT (SELECT count(*) FROM subscriptions) AS s, (SELECT count(*) FROM customer_relationships) AS c, (SELECT count(*) FROM offers) AS o');
    const first = counts();
    assert.equal(demo.ctl('demo').code, 0);
    assert.deepEqual(counts(), first);
  } finally {
    await demo.stop();
  }
});
