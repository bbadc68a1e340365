// ux-small.test.mjs — issue 15, items 9 and 15 (the parts done): the sign-in page offers
// "Become a partner" (the public Welcome page); a signed-in user opening Create one goes on;
// a password reset refuses the current password; the in-review email links to the
// enrollment; the approval email says accepting the agreement comes next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';
import { newCompany, profileFields, submitProfile, verifyLink, openLink, partnerAccount } from '../lib/enroll.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

test('item 9: the sign-in page links to the Welcome page of enrolling', async () => {
  const c = new Client(stack.base);
  const page = await c.get('/signin');
  assert.match(page.text, /Not a partner yet\? <a href="\/enroll">Become a partner<\/a>/);
  const welcome = await c.get('/enroll');
  assert.equal(welcome.status, 200);
  assert.match(textOf(welcome.text), /Enroll as an indirect reseller/);
});

test('item 15: a signed-in user opening Create one goes to the overview, or to a safe next', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'small-signup.example' });
  let res = await p.client.get('/signup');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/');
  res = await p.client.get('/signup?next=%2Fenroll');
  assert.equal(res.location, '/enroll');
  res = await p.client.get('/signup?next=%2F%2Fevil.example');
  assert.equal(res.location, '/');
  assert.equal((await new Client(stack.base).get('/signup')).status, 200, 'signed out: the form');
});

test('item 15: a password reset refuses the current password', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'small-reset.example' });
  const c = new Client(stack.base);
  const before = messages(stack.mailDir).length;
  assert.equal((await c.submit('/password/forgot', { email: p.email })).status, 303);
  const msg = await waitForMail(stack.mailDir, { to: p.email, after: before });
  const url = new URL(linkIn(msg, '/password/reset?t='));
  const page = await c.follow(await c.get(url.pathname + url.search));
  const t = /name="t" value="([^"]*)"/.exec(page.text)?.[1];
  let res = await c.post('/password/reset', { csrf: csrfOf(page.text), t, password: F.REL_PASSWORD, password2: F.REL_PASSWORD });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['This is your current password. Choose a new one.']);
  res = await c.post('/password/reset', { csrf: csrfOf(res.text), t, password: 'a different passphrase', password2: 'a different passphrase' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/signin?m=password-changed');
});

test('item 15: the in-review email links to the enrollment; the approval email says the agreement comes next', async () => {
  const domain = 'small-enroll.example';
  const c = await newCompany(stack, { org: 'Small Enroll', domain });
  assert.equal((await submitProfile(c, profileFields(domain))).status, 303);
  const v = new Client(stack.base);
  let r = await openLink(v, await verifyLink(stack, `carla@${domain}`));
  r = await v.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  const review = await waitForMail(stack.mailDir, { to: `carla@${domain}`, subject: 'is in review' });
  assert.match(review.body, new RegExp(`^${stack.base.replace(/\./g, '\\.')}/enroll$`, 'm'));
  assert.equal(stack.ctl('approve', String(partnerAccount(stack, domain)[0].id)).code, 0);
  const approved = await waitForMail(stack.mailDir, { to: `carla@${domain}`, subject: 'is approved' });
  assert.match(approved.body, /Next, a Global admin accepts the Partner Agreement \(MPA\):\nyour organization can transact once it has\./);
});

test('item 14: the program support address and page (settings) are linked from error pages and Indirect providers', async () => {
  // Not set (this stack): nothing is shown.
  assert.doesNotMatch((await new Client(stack.base).get('/no-such-page')).text, /class="support"/);
  const s2 = await startStack({ env: { PORTAL_SUPPORT_EMAIL: 'partners@support.example', PORTAL_SUPPORT_URL: 'https://support.example/csp' } });
  try {
    const c = new Client(s2.base);
    const missing = await c.get('/no-such-page');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<p class="support">Support: <a href="mailto:partners@support\.example">partners@support\.example<\/a> · <a href="https:\/\/support\.example\/csp">the support page<\/a><\/p>/);
    const r = await F.relPartner(s2, { domain: 'small-support.example' });
    const p = await F.relPartner(s2, { type: 'indirect_provider', domain: 'small-support-p.example' });
    X.relate(s2, p.accountId, r.accountId);
    const providers = await r.client.get('/providers');
    assert.equal(providers.status, 200);
    assert.match(providers.text, /To end the relationship with a provider, contact support\.[\s\S]*<a href="mailto:partners@support\.example">/);
  } finally {
    await stopChecked(s2);
  }
});
