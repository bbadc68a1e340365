// me.test.mjs — "Your account": changing one's own password (SECURITY-CHECKS 15).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf } from '../lib/http.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const PW = 'correct horse battery', NEW = 'a brand new passphrase';

test('changing the password rotates this session and can end the others', async () => {
  const a = new Client(stack.base), b = new Client(stack.base);
  await a.signup({ domain: 'me1.example', email: 'me@me1.example' });
  assert.equal((await b.signin('me@me1.example', PW)).status, 303);
  const page = await a.get('/account');
  assert.equal(page.status, 200);
  assert.match(page.text, /other device/);
  const before = a.cookie('sid');

  // Wrong current password: refused beside the field, nothing changed.
  let res = await a.submit('/account/password', { current: 'not my password at all', password: NEW, password2: NEW, others: 'yes' }, '/account');
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['This is not your current password.']);
  assert.equal((await b.get('/account')).status, 200);

  res = await a.submit('/account/password', { current: PW, password: NEW, password2: NEW, others: 'yes' }, '/account');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account?m=password-updated');
  assert.notEqual(a.cookie('sid'), before, 'this session was rotated');
  assert.equal((await a.get('/account')).status, 200, 'still signed in here');
  const other = await b.get('/account');
  assert.equal(other.status, 303, 'the other session ended');
  assert.match(other.location, /^\/signin\?next=/);
  assert.equal(F.sessionCount(stack, 'me@me1.example'), 1);
  assert.equal((await new Client(stack.base).signin('me@me1.example', PW)).status, 422, 'old password refused');
  assert.equal((await new Client(stack.base).signin('me@me1.example', NEW)).status, 303, 'new password works');
  const audit = F.audit(stack, { action: 'password.change', actor: 'me@me1.example' }, 'outcome');
  assert.deepEqual(audit.map((r) => r.outcome), ['refused', 'ok']);
});

test('keeping the other sessions when the box is not ticked', async () => {
  const a = new Client(stack.base), b = new Client(stack.base);
  await a.signup({ domain: 'me2.example', email: 'me@me2.example' });
  await b.signin('me@me2.example', PW);
  const res = await a.submit('/account/password', { current: PW, password: NEW, password2: NEW }, '/account');
  assert.equal(res.status, 303);
  assert.equal((await b.get('/account')).status, 200, 'the other session lives on');
});
