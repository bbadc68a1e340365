// profile.test.mjs — Settings -> Organization profile (SPEC §2.2, §2.4): Legal info,
// Identifiers, Program info; who may see and edit them; a new contact is verified again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import { linkMpn, verifyLink, openLink, partnerAccount } from '../lib/enroll.mjs';

const PW = 'Demo-Partner-2025';
let stack;
before(async () => { stack = await startStack({ demo: true }); });
after(() => stopChecked(stack));

async function as(email) {
  const c = new Client(stack.base);
  const r = await c.signin(email, PW);
  assert.equal(r.status, 303, email);
  return c;
}

test('the three sections for an approved reseller', async () => {
  const c = await as('ada.adatum@adatum.example');
  const r = await c.get('/settings/profile');
  assert.equal(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Legal info Legal business name Adatum Systems SARL/);
  assert.match(t, /8 rue de la Paix/);
  assert.match(t, /Verified/);
  // issue 15, item 13: one word per state ("Accepted" beside "Approved" before), not repeated
  assert.match(t, /Enrollment status Program Status Details Indirect reseller Approved (?!Approved)/);
  assert.match(t, /Identifiers MPN ID Company profile Country or region Status Linked 5100003 Adatum Systems SARL France Active/);
  assert.match(t, /Program info Program Status Cloud Solution Provider program — Indirect reseller Approved Partner Agreement \(MPA\) Not accepted/);
  assert.doesNotMatch(t, /not yet available/, 'the demo world publishes an agreement version');
  assert.match(r.text, /href="\/settings\/profile\/legal">Edit legal info</);
  assert.match(r.text, /<a href="\/settings\/profile" aria-current="page">Organization profile<\/a>/);
  assert.doesNotMatch(r.text, /Resend verification email/);
});

test('who may see and edit: Billing admin reads, Sales agent does not, Account admin edits', async () => {
  const bea = await as('bea.billing@adatum.example');
  let r = await bea.get('/settings/profile');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /Edit legal info/);
  assert.doesNotMatch(r.text, /Link another MPN ID/);
  r = await bea.get('/settings/profile/legal');
  assert.equal(r.status, 403);
  r = await bea.get('/settings/profile/mpn');
  assert.equal(r.status, 403);
  const page = await bea.get('/settings/profile');
  const { csrfOf } = await import('../lib/http.mjs');
  r = await bea.post('/settings/profile/legal', { csrf: csrfOf(page.text), legal_name: 'Hijack' });
  assert.equal(r.status, 403);
  assert.equal(F.legalProfileOf(stack, 'adatum.example').legal_name, 'Adatum Systems SARL');

  const sven = await as('sven.sales@adatum.example');
  r = await sven.get('/settings/profile');
  assert.equal(r.status, 403);
  r = await sven.get('/');
  assert.doesNotMatch(r.text, /Organization profile/);
});

test('Account admin edits the legal info; a new primary contact is verified again', async () => {
  const alex = await as('alex.account@northwind.example');
  let r = await alex.get('/settings/profile/legal');
  assert.equal(r.status, 200);
  assert.match(r.text, /value="Northwind Distribution GmbH"/);
  const fields = {
    legal_name: 'Northwind Distribution GmbH & Co. KG', address1: 'Hafenstrasse 12', address2: 'Haus B', city: 'Hamburg', state: '',
    postal_code: '20457', contact_first: 'Nils', contact_last: 'North', contact_email: 'nils@hotmail.de', contact_phone: '+49 40 5550 1201',
    support_email: 'support@northwind.example', support_phone: '+49 40 5550 1299', support_website: 'https://support.northwind.example',
  };
  r = await alex.submit('/settings/profile/legal', fields);
  assert.equal(r.status, 422);
  assert.match(errorsOf(r.text)[0], /hotmail\.de matches "hotmail\.\*" on the list of web-mail services/);
  r = await alex.submit('/settings/profile/legal', { ...fields, contact_email: 'nils@northwind.example' });
  assert.equal(r.status, 303, errorsOf(r.text).join('; '));
  assert.equal(r.location, '/settings/profile?m=profile-saved-verify');
  const l = F.legalProfileOf(stack, 'northwind.example');
  assert.equal(l.legal_name, 'Northwind Distribution GmbH & Co. KG');
  assert.equal(l.contact_verified_at, null);
  r = await alex.follow(r);
  assert.match(textOf(r.text), /Not verified/);
  assert.match(r.text, /Resend verification email/);
  assert.equal(partnerAccount(stack, 'northwind.example')[0].status, 'approved', 'the program status does not move');
  const link = await verifyLink(stack, 'nils@northwind.example');
  const nils = new Client(stack.base);
  r = await openLink(nils, link);
  assert.equal(r.status, 200);
  r = await nils.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  assert.ok(F.legalProfileOf(stack, 'northwind.example').contact_verified_at > 0);
  assert.equal(partnerAccount(stack, 'northwind.example')[0].status, 'approved');
  assert.equal(messages(stack.mailDir).filter((m) => m.to === 'nils@northwind.example' && /in review/.test(m.subject)).length, 0);
  assert.equal(F.auditCount(stack, { action: 'profile.update', actor: 'alex.account@northwind.example' }), 1);
});

test('Identifiers: link another MPN ID with the same PMC steps', async () => {
  const alex = await as('alex.account@northwind.example');
  let r = await alex.get('/settings/profile/mpn');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /aria-current="step"/, 'no enrollment steps here');
  assert.match(r.text, /Already linked: <strong>4100001<\/strong>/);
  r = await linkMpn(alex, { base: '/settings/profile/mpn', mpn: '6100003' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /inactive/);
  r = await alex.submit('/settings/profile/mpn/profiles', { mpn_id: '6100001' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/settings/profile?m=mpn-linked');
  r = await alex.follow(r);
  assert.match(textOf(r.text), /Your MPN ID is linked/);
  assert.match(textOf(r.text), /4100001 Northwind Distribution GmbH Germany Active .* 6100001 Woodgrove Bank GmbH Germany Active/);
  assert.match(r.text, /Link another MPN ID/);
});

test('a customer organization has no partner profile to fill in', async () => {
  const tom = await as('tom.tailspin@tailspin.example');
  let r = await tom.get('/settings/profile');
  assert.equal(r.status, 200);
  assert.match(textOf(r.text), /No legal business profile yet/);
  assert.doesNotMatch(r.text, /href="\/enroll"/);
  r = await tom.get('/settings/profile/mpn');
  assert.equal(r.status, 403);
  r = await tom.get('/');
  assert.match(textOf(r.text), /Tailspin Toys is a customer organization/);
  assert.doesNotMatch(textOf(r.text), /Get ready to transact/);
});

test('an approved provider sees its own enrollment, and the way to add the reseller program', async () => {
  const nora = await as('nora.north@northwind.example');
  const r = await nora.get('/');
  const t = textOf(r.text);
  assert.match(t, /Account created Done/);
  assert.match(t, /Enrolled as indirect provider Done/);
  assert.match(r.text, /href="\/enroll">Enroll as indirect reseller</);
  assert.match(t, /Partner agreement accepted Done Partner Agreement \(MPA\) 2025-01 accepted by Nora North/, 'the demo providers accepted the demo version');
});

test('the reseller in review sees where it stands', async () => {
  const lisa = await as('lisa.litware@litware.example');
  let r = await lisa.get('/');
  assert.match(textOf(r.text), /Enrolled as indirect reseller In review/);
  r = await lisa.get('/enroll');
  assert.match(textOf(r.text), /Your enrollment as an indirect reseller Status In review/);
  r = await lisa.get('/enroll/profile');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/enroll');
});
