// refused-links.test.mjs — issue 15, item 12: a refused link's page states the error in its
// title and heading, and does not say "... invites your organization" under the refusal;
// /verify/done thanks only the browser that has just verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, textOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { newCompany, profileFields, submitProfile, verifyLink, openLink } from '../lib/enroll.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const titleOf = (html) => /<title>([^<]*) · /.exec(html)[1];
const h1Of = (html) => textOf(/<h1>([\s\S]*?)<\/h1>/.exec(html)[1]);

test('item 12: a used reseller invitation link: the title says so, nobody "invites your organization"', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rl-prov.example', org: 'Refused Distribution' });
  const r = await F.relPartner(stack, { domain: 'rl-res.example' });
  const inv = await F.relInvite(stack, p, r.email);
  const ok = await F.relOpen(r.client, inv.link);
  assert.equal(titleOf(ok.text), 'Authorize an indirect provider');
  assert.match(textOf(ok.text), /Refused Distribution invites your organization/);
  const done = await r.client.submit('/authorize', { confirm: 'yes' }, '/authorize');
  assert.equal(done.status, 303, textOf(done.text));

  const other = await F.relPartner(stack, { domain: 'rl-other.example' });
  const used = await F.relOpen(other.client, inv.link);
  assert.equal(used.status, 409, textOf(used.text));
  assert.equal(titleOf(used.text), 'This invitation cannot be used');
  assert.equal(h1Of(used.text), 'This invitation cannot be used');
  assert.doesNotMatch(textOf(used.text), /invites your organization/);
  assert.match(textOf(used.text), /The invitation came from Refused Distribution ?\./);
});

test('item 12: a revoked customer invitation link: the title says so, nobody "invites your organization"', async () => {
  const w = await C.custPair(stack, { prefix: 'rlc', resellerOrg: 'Refused Reselling', providerOrg: 'Refused Dist' });
  const inv = await C.custInvite(stack, w, 'cora@rlc-cust.example');
  const cust = await C.custOrg(stack, { domain: 'rlc-cust.example', org: 'Refused Customer' });
  const ok = await C.custOpen(cust.client, inv.link);
  assert.equal(titleOf(ok.text), 'Accept a customer invitation');
  assert.match(textOf(ok.text), /Refused Reselling invites your organization/);
  const revoked = await w.reseller.client.submit(`/providers/customer-invitations/revoke/${inv.id}`, {}, `/providers/customer-invitations/${inv.id}`);
  assert.equal(revoked.status, 303);
  const page = await C.custOpen(cust.client, inv.link);
  assert.equal(titleOf(page.text), 'This invitation cannot be accepted');
  assert.equal(h1Of(page.text), 'This invitation cannot be accepted');
  assert.doesNotMatch(textOf(page.text), /invites your organization/);
  assert.match(textOf(page.text), /The invitation came from Refused Reselling and its indirect provider Refused Dist ?\./);
});

test('item 12: /verify/done thanks only the browser that has just verified', async () => {
  const nobody = await new Client(stack.base).get('/verify/done');
  assert.equal(nobody.status, 200);
  assert.doesNotMatch(textOf(nobody.text), /is verified|Thank you/);
  assert.equal(h1Of(nobody.text), 'Verify your email address');

  const domain = 'rl-verify.example';
  const c = await newCompany(stack, { org: 'Refused Verify', domain });
  assert.equal((await submitProfile(c, profileFields(domain))).status, 303);
  const v = new Client(stack.base);
  let r = await openLink(v, await verifyLink(stack, `carla@${domain}`));
  r = await v.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.location, '/verify/done');
  const thanks = await v.follow(r);
  assert.equal(h1Of(thanks.text), 'Thank you: your email address is verified');
  // Said once: opening it again, or in another browser, says nothing of the kind.
  assert.doesNotMatch(textOf((await v.get('/verify/done')).text), /is verified/);
});
