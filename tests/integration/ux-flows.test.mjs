// ux-flows.test.mjs — issue 15's "flows": every way to sign in returns to where the user
// was (item 1), and a session ended by an approval or a role change is explained on the
// sign-in page (item 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, decode, textOf } from '../lib/http.mjs';
import * as X from '../lib/fixtures.mjs';
import { newCompany, profileFields, submitProfile, verifyLink, openLink, partnerAccount } from '../lib/enroll.mjs';
import * as F from '../lib/fixtures-relationships.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The href of the header's "Sign in" link (decoded), or null. */
const headerSignin = (html) => {
  const m = /<div class="who"><a href="([^"]*)">Sign in<\/a><\/div>/.exec(html);
  return m ? decode(m[1]) : null;
};

/** A sign-in link's path and its next ("/signin", "/enroll"), for comparing. */
const parts = (href) => {
  const u = new URL(href, 'http://portal.invalid');
  return [u.pathname, u.searchParams.get('next')];
};

/** Follows a sign-in link as `client`: its form with the link's next, then the sign-in. */
async function signinVia(client, href, email) {
  const page = await client.get(href);
  assert.equal(page.status, 200, href);
  const next = decode(/<input type="hidden" name="next" value="([^"]*)">/.exec(page.text)[1]);
  return client.signin(email, F.REL_PASSWORD, next);
}

test('item 1: the header Sign in on /enroll returns to /enroll', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'flow-enroll.example' });
  const c = new Client(stack.base);
  const page = await c.get('/enroll');
  assert.equal(page.status, 200);
  const href = headerSignin(page.text);
  assert.deepEqual(parts(href), ['/signin', '/enroll']);
  const res = await signinVia(c, href, p.email);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/enroll');
});

test('item 1: the header Sign in on /authorize (after an invitation link) returns to /authorize', async () => {
  const provider = await F.relPartner(stack, { type: 'indirect_provider', domain: 'flow-prov.example' });
  const reseller = await F.relPartner(stack, { domain: 'flow-res.example' });
  const { link } = await F.relInvite(stack, provider, reseller.email);
  const c = new Client(stack.base);
  const page = await F.relOpen(c, link);
  assert.equal(page.status, 200);
  const href = headerSignin(page.text);
  assert.deepEqual(parts(href), ['/signin', '/authorize']);
  const res = await signinVia(c, href, reseller.email);
  assert.equal(res.location, '/authorize');
  const back = await c.get('/authorize');
  assert.match(textOf(back.text), /Authorize indirect provider/);
});

test('item 1: "I already have a work account" on /signup keeps next, and so does the header', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'flow-signup.example' });
  const c = new Client(stack.base);
  const page = await c.get('/signup?next=%2Fenroll%2Faccount');
  const m = /<a href="([^"]*)">I already have a work account<\/a>/.exec(page.text);
  assert.ok(m, 'the link is there');
  assert.deepEqual(parts(decode(m[1])), ['/signin', '/enroll/account']);
  assert.deepEqual(parts(headerSignin(page.text)), ['/signin', '/enroll/account']);
  const res = await signinVia(c, decode(m[1]), p.email);
  assert.equal(res.location, '/enroll/account');
  // The sign-in page's own header link keeps its next too.
  const signin = await new Client(stack.base).get('/signin?next=%2Fenroll');
  assert.deepEqual(parts(headerSignin(signin.text)), ['/signin', '/enroll']);
});

test('item 1: a page keeps its query (less the one-time notice) and an unsafe next is dropped', async () => {
  const c = new Client(stack.base);
  const page = await c.get('/find-a-provider?country=DE&m=signed-out');
  assert.deepEqual(parts(headerSignin(page.text)), ['/signin', '/find-a-provider?country=DE']);
  for (const bad of ['%2F%2Fevil.example%2F', 'https%3A%2F%2Fevil.example%2F', '%2Fsignout']) {
    const s = await c.get(`/signup?next=${bad}`);
    assert.equal(headerSignin(s.text), '/signin', bad);
    assert.match(s.text, /<a href="\/signin">I already have a work account<\/a>/, bad);
  }
  const home = await c.get('/');
  assert.equal(headerSignin(home.text), '/signin');
});

/** The one-time banner (role="status") of a page, as text, or null. */
const bannerOf = (html) => {
  const m = /<div class="banner ok" role="status"><p>([\s\S]*?)<\/p><\/div>/.exec(html);
  return m ? textOf(m[1]) : null;
};

/**
 * Item 2: a session ended by someone else. `stale` still holds the ended cookie: a page that
 * needs sign-in sends it to the sign-in page with the reason; the sign-in page says it.
 */
async function expectTold(stale, says) {
  const res = await stale.get('/account');
  assert.equal(res.status, 303);
  const u = new URL(res.location, 'http://portal.invalid');
  assert.equal(u.pathname, '/signin');
  assert.equal(u.searchParams.get('next'), '/account');
  const page = await stale.follow(res);
  assert.equal(page.status, 200);
  assert.match(bannerOf(page.text) ?? '', says);
  assert.equal(stale.cookie('sid'), undefined, 'the dead cookie is forgotten once the reason is said');
}

test('item 2: a role change ends the sessions and the sign-in page says why', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'flow-roles.example' });
  const b = await F.relUser(stack, p, { email: 'bea@flow-roles.example', roles: ['sales_agent'] });
  // A second browser of the same user, kept with the old cookie, opens the public "/".
  const b2 = new Client(stack.base);
  await b2.signin('bea@flow-roles.example', F.REL_PASSWORD);
  const id = X.userId(stack, 'bea@flow-roles.example');
  const res = await p.client.submit(`/settings/users/${id}`, { 'roles[]': ['sales_agent', 'helpdesk_agent'] });
  assert.equal(res.location, `/settings/users/${id}?m=roles-updated`);
  await expectTold(b.client, /changed your roles\. Sign in again/);
  const home = await b2.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /<h1>Sign in<\/h1>/);
  assert.match(bannerOf(home.text) ?? '', /changed your roles/);
  // Signing in again: the new roles, and no banner any more.
  assert.equal((await b.client.signin('bea@flow-roles.example', F.REL_PASSWORD)).status, 303);
  assert.match(textOf((await b.client.get('/account')).text), /Helpdesk agent/);
  assert.equal(X.count(stack, 'session_ends', {}) > 0, true);
});

test('item 2: approval of the enrollment and Sign out everywhere say why; ending one\'s own session does not', async () => {
  const domain = 'flow-approve.example';
  const c = await newCompany(stack, { org: 'Flow Approve', domain });
  let r = await submitProfile(c, profileFields(domain));
  assert.equal(r.status, 303);
  const link = await verifyLink(stack, `carla@${domain}`);
  const v = new Client(stack.base);
  r = await openLink(v, link);
  r = await v.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  const ctl = stack.ctl('approve', String(partnerAccount(stack, domain)[0].id));
  assert.equal(ctl.code, 0, ctl.stderr);
  await expectTold(c, /enrollment was approved/);

  // An administrator's Sign out everywhere.
  const p = await F.relPartner(stack, { type: null, domain: 'flow-out.example' });
  const u = await F.relUser(stack, p, { email: 'uma@flow-out.example' });
  const id = X.userId(stack, 'uma@flow-out.example');
  r = await p.client.submit(`/settings/users/${id}/sessions`, {}, `/settings/users/${id}`);
  assert.equal(r.status, 303);
  await expectTold(u.client, /signed you out everywhere/);

  // Signing oneself out, or a cookie nobody knows: a plain sign-in page.
  const w = await F.relUser(stack, p, { email: 'wim@flow-out.example' });
  const old = w.client.cookie('sid');
  await w.client.signout();
  const stale = new Client(stack.base);
  stale.jar.set('sid', { name: 'sid', value: old, path: '/' });
  let res = await stale.get('/account');
  assert.equal(res.status, 303);
  assert.doesNotMatch(res.location, /m=/);
  assert.equal(bannerOf((await stale.follow(res)).text), null);
});
