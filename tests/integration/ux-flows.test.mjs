// ux-flows.test.mjs — issue 15's "flows": every way to sign in returns to where the user
// was (item 1), and a session ended by an approval or a role change is explained on the
// sign-in page (item 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, decode, textOf } from '../lib/http.mjs';
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
