// password-links.test.mjs — issue 12, hardening item 5: a password change ends every
// outstanding reset and set-password link of the user, whichever way the password changed
// (Your account, a reset link, a set-password link, an administrator's reset). Before, an
// emailed reset link kept working after the user changed the password another way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, textOf } from '../lib/http.mjs';
import { linkIn } from '../lib/mail.mjs';
import { addUser, activate, newestMail, mailTo, PASSWORD } from '../lib/users.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const NEW = 'a brand new passphrase';
const REFUSED = /This link was replaced by a newer one, or the password has been changed since it was sent\./;

/** Asks for a reset link for email (Forgot your password?) and returns its path. */
async function resetLink(email) {
  const seen = mailTo(stack, email).length;
  const res = await new Client(stack.base).submit('/password/forgot', { email });
  assert.equal(res.status, 303);
  return pathOf(linkIn(await newestMail(stack, email, seen), '/password/reset?t='));
}

const pathOf = (link) => { const u = new URL(link); return u.pathname + u.search; };
const csrfFor = async (c) => /name="csrf" value="([^"]*)"/.exec((await c.get('/password/forgot')).text)[1];

/** Opens a link in a new browser: its landing redirect, then its page. */
async function open(path) {
  const c = new Client(stack.base);
  const landing = await c.get(path);
  assert.equal(landing.status, 303);
  return { c, page: await c.follow(landing) };
}

test('a reset link stops working when the user changes the password on Your account', async () => {
  const ana = new Client(stack.base);
  await ana.signup({ domain: 'links1.example', email: 'ana@links1.example' });
  const link = await resetLink('ana@links1.example');
  assert.equal((await open(link)).page.status, 200, 'the link works before the change');

  const res = await ana.submit('/account/password', { current: PASSWORD, password: NEW, password2: NEW }, '/account');
  assert.equal(res.status, 303);

  const { c, page } = await open(link);
  assert.equal(page.status, 400);
  assert.match(textOf(page.text), REFUSED);
  // Posting the form it would have shown changes nothing either.
  const post = await c.post('/password/reset', { csrf: await csrfFor(c),
    t: new URL(link, stack.base).searchParams.get('t'), password: 'stolen new password', password2: 'stolen new password' });
  assert.equal(post.status, 400);
  assert.equal((await new Client(stack.base).signin('ana@links1.example', NEW)).status, 303, 'the new password stands');
  assert.equal(F.count(stack, 'link_tokens', { subject_id: F.userId(stack, 'ana@links1.example'), used_at: null, revoked_at: null }), 0);
});

test('using a reset link ends an outstanding set-password link (an administrator\'s reset), and the other way round', async () => {
  const ga = new Client(stack.base);
  await ga.signup({ domain: 'links2.example', email: 'ga@links2.example' });
  const { id } = await addUser(ga, { name: 'Bo Berg', email: 'bo@links2.example', roles: ['sales_agent'] });
  await activate(stack, 'bo@links2.example');
  // The administrator resets Bo's password: Bo gets a set-password link ...
  const seen = mailTo(stack, 'bo@links2.example').length;
  assert.equal((await ga.submit(`/settings/users/${id}/password`, {}, `/settings/users/${id}/password`)).status, 303);
  const setLink = linkIn(await newestMail(stack, 'bo@links2.example', seen), '/password/set');
  // ... and also asks for a reset link, and uses that one.
  const link = await resetLink('bo@links2.example');
  const { c, page } = await open(link);
  assert.equal(page.status, 200);
  const t = new URL(link, stack.base).searchParams.get('t');
  const done = await c.post('/password/reset', { csrf: /name="csrf" value="([^"]*)"/.exec(page.text)[1], t, password: NEW, password2: NEW });
  assert.equal(done.status, 303);
  // The set-password link no longer sets a password.
  const set = new Client(stack.base);
  const landing = await set.get(new URL(setLink).pathname + new URL(setLink).search);
  assert.equal(landing.status, 303);
  const setPage = await set.follow(landing);
  assert.equal(setPage.status, 400);
  assert.match(textOf(setPage.text), REFUSED);

  // The other way round: an administrator's reset (a set-password link), then a reset link
  // asked for; using the set-password link ends the reset link.
  const seen2 = mailTo(stack, 'bo@links2.example').length;
  assert.equal((await ga.submit(`/settings/users/${id}/password`, {}, `/settings/users/${id}/password`)).status, 303);
  const setLink2 = pathOf(linkIn(await newestMail(stack, 'bo@links2.example', seen2), '/password/set'));
  const pending = await resetLink('bo@links2.example');
  const s2 = await open(setLink2);
  assert.equal(s2.page.status, 200);
  const setDone = await s2.c.submit('/password/set', { password: 'set by the new link', password2: 'set by the new link' });
  assert.equal(setDone.status, 303);
  assert.equal(setDone.location, '/signin?m=password-set');
  assert.match(textOf((await open(pending)).page.text), REFUSED, 'a set-password link used ends the reset link');
  // And an administrator's reset ends an outstanding reset link at once.
  const third = await resetLink('bo@links2.example');
  assert.equal((await ga.submit(`/settings/users/${id}/password`, {}, `/settings/users/${id}/password`)).status, 303);
  assert.match(textOf((await open(third)).page.text), REFUSED);
});
