// invite-checks.test.mjs — issue 13, checked before sending: Invite reseller runs acceptance's
// own decision on the organization the address belongs to before any email goes out. Refused
// (the form again, the sentence beside the field, nothing written or sent, audited): the
// provider's own organization, a customer organization, another region, already related.
// Warned (the form again with the warning, a link to what to do and "Send it anyway"): not an
// approved indirect reseller yet, the partner agreement not accepted. Unknown organizations are
// not checked. Invite new customers the same with acceptance's cust_decide: refused for the
// partners' own organization, another region, a customer of both already; warned for a
// partner's work account (the recipient can create a customer organization from the link) and
// the reseller's agreement not accepted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, errorsOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const invitations = () => Number(db.value(stack, 'SELECT count(*) FROM reseller_invitations'));

async function invite(p, email, more = {}) {
  const before = { rows: invitations(), mail: messages(stack.mailDir).length };
  const res = await p.client.submit('/resellers/invite', { email, message: '', ...more });
  return { res, before };
}

function expectBack(res, before, says, { warn = false, link = null } = {}) {
  assert.equal(res.status, 422, textOf(res.text));
  assert.match(res.text, /id="f-email-error"/, 'beside the field');
  assert.ok(errorsOf(res.text).some((e) => says.test(e)), errorsOf(res.text).join(' | '));
  if (link) assert.match(res.text, new RegExp(`<p class="help" id="precheck-todo"><a href="${link}">`));
  if (warn) assert.match(res.text, /name="send_anyway"/);
  else assert.doesNotMatch(res.text, /name="send_anyway"/);
  assert.equal(invitations(), before.rows, 'nothing written');
  assert.equal(messages(stack.mailDir).length, before.mail, 'nothing sent');
}

test('refusals before sending: own organization, a customer, another region, already related', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'chk-p.example', org: 'Chk Provider' });
  let { res, before } = await invite(p, 'colleague@chk-p.example');
  expectBack(res, before, /your own organization/);
  const cust = await C.custOrg(stack, { domain: 'chk-cust.example', org: 'Chk Customer AG' });
  ({ res, before } = await invite(p, `buyer@${cust.domain}`));
  expectBack(res, before, /Chk Customer AG, a customer organization: a customer cannot become an indirect reseller/);
  const us = await F.relPartner(stack, { domain: 'chk-us.example', org: 'Chk Yankee', country: 'US' });
  ({ res, before } = await invite(p, `boss@${us.domain}`));
  expectBack(res, before, /Chk Yankee is in North America, you are in Europe/);
  // "send anyway" does not override a refusal
  ({ res, before } = await invite(p, `boss@${us.domain}`, { send_anyway: 'yes' }));
  expectBack(res, before, /is in North America/);
  const r = await F.relPartner(stack, { domain: 'chk-r.example', org: 'Chk Reseller' });
  C.relate(stack, p, r);
  ({ res, before } = await invite(p, `ana@${r.domain}`));
  expectBack(res, before, /Chk Reseller is already your indirect reseller/, { link: '/resellers' });
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE tenant_id = ? AND action = 'invitation.send' AND outcome = 'refused'`, p.tenantId)), 5);
});

test('warnings before sending: not enrolled yet, agreement not accepted — sent after "Send it anyway"; unknown organizations are not checked', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'chw-p.example', org: 'Chw Provider' });
  const pending = await F.relPartner(stack, { domain: 'chw-pend.example', org: 'Chw Pending', status: 'in_review' });
  let { res, before } = await invite(p, `ana@${pending.domain}`);
  expectBack(res, before, /Chw Pending is not an approved indirect reseller yet/, { warn: true, link: '/enroll' });
  res = await p.client.submit('/resellers/invite', { email: `ana@${pending.domain}`, message: '', send_anyway: 'yes' });
  assert.equal(res.status, 303);
  assert.equal(invitations(), before.rows + 1);
  // the agreement: published, not accepted by the reseller
  X.publishAgreement(stack, 'chw-1');
  F.relAcceptAgreement(stack, p);
  const r = await F.relPartner(stack, { domain: 'chw-r.example', org: 'Chw Reseller' });
  ({ res, before } = await invite(p, `ana@${r.domain}`));
  expectBack(res, before, /Chw Reseller has not accepted the current partner agreement \(chw-1\)/, { warn: true, link: '/agreement' });
  F.relAcceptAgreement(stack, r);
  ({ res } = await invite(p, `ana@${r.domain}`));
  assert.equal(res.status, 303, 'accepted: no warning');
  // an address of no known organization
  ({ res } = await invite(p, 'someone@nowhere-known.example'));
  assert.equal(res.status, 303);
});

const custInvitations = () => Number(db.value(stack, 'SELECT count(*) FROM customer_invitations'));

async function custInviteForm(w, email, more = {}) {
  const before = { rows: custInvitations(), mail: messages(stack.mailDir).length };
  const res = await w.reseller.client.submit(`/providers/${w.rel}/invite-customer`, { email, message: '', ...more });
  return { res, before };
}

function expectCustBack(res, before, says, { warn = false, link = null } = {}) {
  assert.equal(res.status, 422, textOf(res.text));
  assert.match(res.text, /id="f-email-error"/, 'beside the field');
  assert.ok(errorsOf(res.text).some((e) => says.test(e)), errorsOf(res.text).join(' | '));
  if (link) assert.match(res.text, new RegExp(`<p class="help" id="precheck-todo"><a href="${link}">`));
  if (warn) assert.match(res.text, /name="send_anyway"/);
  else assert.doesNotMatch(res.text, /name="send_anyway"/);
  assert.equal(custInvitations(), before.rows, 'nothing written');
  assert.equal(messages(stack.mailDir).length, before.mail, 'nothing sent');
}

test('Invite new customers: refused for the own organization, another region, a customer already; warned for a partner work account and a missing agreement', async () => {
  const w = await C.custPair(stack, { prefix: 'chc', providerOrg: 'CHC Distribution', resellerOrg: 'CHC Reselling' });
  F.relAcceptAgreement(stack, w.reseller);
  let { res, before } = await custInviteForm(w, 'me@chc-resell.example');
  expectCustBack(res, before, /CHC Reselling/);
  assert.match(errorsOf(res.text).join(' '), /own|partner/i);
  const far = await C.custOrg(stack, { domain: 'chc-far.example', org: 'CHC Far Inc', country: 'US' });
  ({ res, before } = await custInviteForm(w, `ga@${far.domain}`));
  expectCustBack(res, before, /region/);
  const cust = await C.custOrg(stack, { domain: 'chc-cust.example', org: 'CHC Customer AG' });
  await C.custRelate(stack, w, cust);
  ({ res, before } = await custInviteForm(w, `other@${cust.domain}`, { send_anyway: 'yes' }));
  expectCustBack(res, before, /./, { link: '/customers' });
  // a partner's work account: warned, sent after Send it anyway
  const partner = await F.relPartner(stack, { domain: 'chc-partner.example', org: 'CHC Partner GmbH' });
  ({ res, before } = await custInviteForm(w, `buyer@${partner.domain}`));
  expectCustBack(res, before, /The recipient can still create a separate customer organization from the link/, { warn: true });
  res = await w.reseller.client.submit(`/providers/${w.rel}/invite-customer`, { email: `buyer@${partner.domain}`, message: '', send_anyway: 'yes' });
  assert.equal(res.status, 303);
  // the reseller's own agreement not accepted: warned with the way to it
  const w2 = await C.custPair(stack, { prefix: 'chd', providerOrg: 'CHD Distribution', resellerOrg: 'CHD Reselling' });
  ({ res, before } = await custInviteForm(w2, 'new@chd-unknown.example'));
  expectCustBack(res, before, /has not accepted the current partner agreement/, { warn: true, link: '/agreement' });
  assert.equal(Number(db.value(stack, `SELECT count(*) FROM audit WHERE tenant_id = ? AND action = 'customer-invitation.send' AND outcome = 'refused'`, w.reseller.tenantId)), 3);
});
