// org-kinds.test.mjs — issue 15, item 6: each kind of organization sees only what applies to
// it. A customer organization and a partner organization that has not enrolled are never
// offered "Review and accept" for an agreement they cannot accept; a customer's Global admin
// is not told that "A Global admin must enroll"; a customer's legal form does not talk about
// enrollment nor ask for customer support details, and it saves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { textOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack, cust, none;
before(async () => {
  stack = await startStack();
  X.publishAgreement(stack, '2025-01');
  cust = await F.relPartner(stack, { type: null, kind: 'customer', domain: 'kind-cust.example', org: 'Kind Customer', mpn: false });
  none = await F.relPartner(stack, { type: null, domain: 'kind-none.example', org: 'Kind Unenrolled', mpn: false });
});
after(() => stopChecked(stack));

const text = async (c, path, status = 200) => {
  const r = await c.get(path);
  assert.equal(r.status, status, path);
  return { html: r.text, text: textOf(r.text) };
};

test('item 6: a customer organization is never offered enrollment or the agreement', async () => {
  const c = cust.client;
  const profile = await text(c, '/settings/profile');
  assert.doesNotMatch(profile.html, /href="\/agreement"/, 'no Review and accept');
  assert.doesNotMatch(profile.text, /Enrollment status|Not enrolled|Not accepted/);
  assert.match(profile.text, /Kind Customer is a customer organization: customers do not enroll in the Cloud Solution Provider program and do not accept the Partner Agreement \(MPA\)/);
  const agreement = await text(c, '/agreement');
  assert.doesNotMatch(agreement.text, /nothing for it to accept|not enrolled/);
  assert.match(agreement.text, /Kind Customer is a customer organization: customers do not accept the Partner Agreement \(MPA\); your partners do/);
  const enroll = await text(c, '/enroll/account', 403);
  assert.doesNotMatch(enroll.text, /A Global admin must enroll/);
  assert.match(enroll.html, /<h1>Customers do not enroll<\/h1>/);
  assert.match(enroll.html, /<title>Customers do not enroll · /);
  const providers = await text(c, '/providers', 403);
  assert.doesNotMatch(providers.text, /Enroll first/);
  assert.match(providers.text, /Yours is a customer organization/);

  // The legal form: no enrollment, no customer support fields; it saves without them.
  const legal = await text(c, '/settings/profile/legal');
  assert.doesNotMatch(legal.text, /enrollment|Customer support|Support email/i);
  assert.match(legal.text, /We email this person to verify the address/);
  const saved = await c.submit('/settings/profile/legal', { legal_name: 'Kind Customer GmbH', address1: 'Hauptstr. 1', city: 'Berlin',
    postal_code: '10115', contact_first: 'Kim', contact_last: 'Kind', contact_email: 'kim@kind-cust.example', contact_phone: '+49 30 1234567' });
  assert.equal(saved.status, 303, textOf(saved.text));
  assert.equal(X.legalProfileOf(stack, 'kind-cust.example').legal_name, 'Kind Customer GmbH');
});

test('item 6: an organization that has not enrolled is told to enroll first, not to accept', async () => {
  const c = none.client;
  const home = await text(c, '/');
  assert.doesNotMatch(home.html, /href="\/agreement"/, 'no Review and accept the agreement on the overview');
  assert.match(home.text, /Partner agreement accepted Not accepted Your organization accepts the Partner Agreement \(MPA\) 2025-01 once it has enrolled: enroll first\./);
  const profile = await text(c, '/settings/profile');
  assert.doesNotMatch(profile.html, /href="\/agreement"/, 'no Review and accept in Program info');
  assert.match(profile.text, /Partner Agreement \(MPA\) Not accepted accepted once your organization has enrolled/);
  const agreement = await text(c, '/agreement');
  assert.doesNotMatch(agreement.text, /nothing for it to accept/);
  assert.match(agreement.text, /not enrolled in the Cloud Solution Provider program yet\. It accepts the agreement once it has enrolled/);
  assert.match(agreement.html, /<a href="\/enroll">Enroll as an indirect reseller<\/a>/);
  // An enrolled (approved) reseller still gets Review and accept.
  const res = await F.relPartner(stack, { domain: 'kind-res.example' });
  assert.match((await res.client.get('/settings/profile')).text, /<a href="\/agreement">Review and accept<\/a>/);
  assert.match((await res.client.get('/')).text, /href="\/agreement"/);
});
