// throttle-owner.test.mjs — issue 12, hardening items 4 and 10: the throttles that protect
// passwords without locking their owner out.
//   - item 10: failures from elsewhere never lock an account at its usual place (an address
//     it signed in from successfully); other addresses get growing delays (30 s after five
//     guesses, doubling, at most 15 minutes), answered with the same refusal.
//   - item 4: wrong current passwords on /account/password count as failed sign-ins of that
//     account from that address and are throttled the same way; "forgot password" mails at
//     most 5 links per address and looks up at most 20 addresses per client address an
//     hour, with the same answer for known and unknown addresses, throttled or not.
// Client addresses: each Client connects from its own loopback address (127.0.0.x), which
// nginx passes on as the client address. Each test starts its own stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import * as DB from '../lib/db.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { mailTo } from '../lib/users.mjs';

const PW = 'correct horse battery';

async function withStack(fn) {
  const stack = await startStack();
  try {
    await fn(stack);
  } finally {
    await stopChecked(stack);
  }
}

/** A sign-in page's answer without what differs between two visitors (the CSRF token). */
const norm = (html) => html.replace(/name="csrf" value="[^"]*"/g, '');

test('item 10: an attacker elsewhere does not lock the owner out of their usual place; new places get growing delays', async () => {
  await withStack(async (stack) => {
    const owner = 'ana@usual.example';
    await new Client(stack.base).signup({ domain: 'usual.example', email: owner });
    // The owner's usual place B: a successful sign-in from there.
    const home = new Client(stack.base, { from: '127.0.0.3' });
    assert.equal((await home.signin(owner, PW)).status, 303);
    await home.signout();

    // The attacker at A guesses: five wrong passwords are checked, then every attempt is
    // refused unchecked (the right password included).
    const attacker = new Client(stack.base, { from: '127.0.0.2' });
    const statuses = [];
    for (let i = 1; i <= 12; i++) statuses.push((await attacker.signin(owner, `guess number ${i}`)).status);
    assert.deepEqual(statuses, [422, 422, 422, 422, 422, 429, 429, 429, 429, 429, 429, 429]);
    const refusedA = await attacker.signin(owner, PW);
    assert.equal(refusedA.status, 429);
    assert.match(textOf(refusedA.text), /Too many unsuccessful attempts/);
    assert.equal(attacker.cookie('sid'), undefined);

    // The owner at B signs in (on today's main: 429 for 15 minutes).
    const back = new Client(stack.base, { from: '127.0.0.3' });
    assert.equal((await back.signin(owner, PW)).status, 303, 'the owner at their usual place');
    // ... and the attacker at A stays refused, right password or not.
    assert.equal((await attacker.signin(owner, PW)).status, 429);
    assert.equal((await attacker.signin(owner, 'another guess')).status, 429);

    // A new place C: the same refusal while the delay runs (30 s after the fifth guess).
    const elsewhere = new Client(stack.base, { from: '127.0.0.4' });
    const refusedC = await elsewhere.signin(owner, PW);
    assert.equal(refusedC.status, 429);
    assert.equal(norm(refusedC.text), norm(refusedA.text), 'the same refusal, wherever it comes from');
    // 31 s later: one guess is checked (the sixth) ...
    const since = { action: 'signin', actor: owner };
    F.backdateAudit(stack, since, 31);
    assert.equal((await elsewhere.signin(owner, 'a sixth guess')).status, 422);
    // ... after which the delay is 60 s: 31 s later still refused, 61 s later the owner gets in.
    assert.equal((await elsewhere.signin(owner, PW)).status, 429);
    F.backdateAudit(stack, since, 31);
    assert.equal((await elsewhere.signin(owner, PW)).status, 429, '31 s after the sixth guess: refused (60 s now)');
    F.backdateAudit(stack, since, 30);
    assert.equal((await elsewhere.signin(owner, PW)).status, 303, '61 s after the sixth guess');

    // The audit keeps the story: refused attempts are "throttled", and none of them made a session.
    const fromA = F.audit(stack, { action: 'signin', actor: owner, ip: '127.0.0.2' }, 'outcome, detail');
    assert.equal(fromA.filter((r) => r.detail === 'wrong password').length, 5);
    assert.equal(fromA.filter((r) => r.detail === 'throttled').length, 10);
    assert.equal(F.count(stack, 'sessions', { ip: '127.0.0.2' }), 0, 'no session for the attacker');
    assert.equal(F.count(stack, 'sessions', { ip: '127.0.0.3' }), 1);
    assert.equal(F.count(stack, 'sessions', { ip: '127.0.0.4' }), 1);
    await stack.waitForLog('sign-in throttled');
  });
});

test('item 4: wrong current passwords on /account/password are throttled like sign-in, with the same refusal for a right one', async () => {
  await withStack(async (stack) => {
    const email = 'ana@current.example';
    const c = new Client(stack.base);
    await c.signup({ domain: 'current.example', email });
    const hash = () => F.user(stack, email).pw_hash;
    const before = hash();
    const NEW = 'a brand new passphrase';
    for (let i = 1; i <= 5; i++) {
      const res = await c.submit('/account/password', { current: `not it ${i}`, password: NEW, password2: NEW }, '/account');
      assert.equal(res.status, 422, `wrong current password ${i}`);
      assert.deepEqual(errorsOf(res.text), ['This is not your current password.']);
    }
    // The sixth, with the right current password: refused unchecked; nothing changes.
    const right = await c.submit('/account/password', { current: PW, password: NEW, password2: NEW }, '/account');
    assert.equal(right.status, 429);
    assert.deepEqual(errorsOf(right.text), ['Too many unsuccessful attempts. Wait 15 minutes, then try again.']);
    const wrong = await c.submit('/account/password', { current: 'not it again', password: NEW, password2: NEW }, '/account');
    assert.equal(wrong.status, 429);
    assert.equal(norm(wrong.text), norm(right.text), 'right or wrong: the same answer');
    assert.equal(hash(), before, 'the password did not change');
    // They count as failed sign-ins of the account from this address.
    assert.equal((await new Client(stack.base).signin(email, PW)).status, 429);
    assert.deepEqual(F.audit(stack, { action: 'password.change', actor: email }, 'outcome, detail').map((r) => `${r.outcome}/${r.detail}`),
      [...Array(5).fill('refused/wrong current password'), 'refused/throttled', 'refused/throttled']);
    // The window passes: the change goes through.
    F.backdateAudit(stack, { actor: email }, 15 * 60 + 1);
    const done = await c.submit('/account/password', { current: PW, password: NEW, password2: NEW }, '/account');
    assert.equal(done.status, 303);
    assert.notEqual(hash(), before);
  });
});

test('item 4: 15 "forgot password" requests for one address send 5 emails; known and unknown addresses get the same answer', async () => {
  await withStack(async (stack) => {
    const known = 'ana@forgot15.example', unknown = 'nobody@forgot15.example';
    await new Client(stack.base).signup({ domain: 'forgot15.example', email: known });
    const answers = { [known]: [], [unknown]: [] };
    for (let i = 0; i < 15; i++) {
      for (const email of [known, unknown]) {
        const c = new Client(stack.base, { from: email === known ? '127.0.0.2' : '127.0.0.3' });
        const res = await c.submit('/password/forgot', { email });
        const page = await c.follow(res);
        answers[email].push(`${res.status} ${res.location} ${page.status} ${norm(page.text)}`);
      }
    }
    const all = [...answers[known], ...answers[unknown]];
    assert.equal(new Set(all).size, 1, 'one answer for all 30 requests');
    assert.match(all[0], /^303 \/password\/forgot\?m=reset-sent 200 /);
    assert.match(textOf(all[0]), /If an account uses that address, we have sent it a link/);
    assert.equal(mailTo(stack, known).length, 5, 'at most 5 reset emails an hour for one address');
    assert.equal(mailTo(stack, unknown).length, 0);
    assert.equal(F.auditCount(stack, { action: 'password.reset-request', actor: known, outcome: 'refused', detail: 'throttled' }), 10);
    assert.equal(F.auditCount(stack, { action: 'password.reset-request', actor: unknown, outcome: 'refused', detail: 'throttled' }), 10);
    // From another client address too: the limit is the address's.
    await new Client(stack.base, { from: '127.0.0.4' }).submit('/password/forgot', { email: known });
    assert.equal(mailTo(stack, known).length, 5);
    // An hour later: a link again.
    F.backdateAudit(stack, { action: 'password.reset-request' }, 3601);
    await new Client(stack.base).submit('/password/forgot', { email: known });
    assert.equal(mailTo(stack, known).length, 6);
  });
});

test('item 4: one client address asks about at most 20 addresses an hour; others are not affected', async () => {
  await withStack(async (stack) => {
    const known = 'ana@forgotip.example';
    await new Client(stack.base).signup({ domain: 'forgotip.example', email: known });
    const spray = new Client(stack.base, { from: '127.0.0.2' });
    const csrf = csrfOf((await spray.get('/password/forgot')).text);
    for (let i = 0; i < 20; i++) {
      const res = await spray.post('/password/forgot', { csrf, email: `probe${i}@forgotip.example` });
      assert.equal(res.location, '/password/forgot?m=reset-sent');
    }
    const res = await spray.post('/password/forgot', { csrf, email: known });
    assert.equal(res.status, 303);
    assert.equal(res.location, '/password/forgot?m=reset-sent');
    assert.equal(mailTo(stack, known).length, 0, 'the 21st from that client address is not mailed');
    await new Client(stack.base, { from: '127.0.0.3' }).submit('/password/forgot', { email: known });
    assert.equal(mailTo(stack, known).length, 1, 'from another client address it is');
  });
});

test('Create one mails an address at most 5 times an hour; an address with an account and a new one get the same answer', async () => {
  await withStack(async (stack) => {
    const known = 'ana@signup15.example', fresh = 'bo@signup15-new.example';
    await new Client(stack.base, { from: '127.0.0.5' }).signup({ domain: 'signup15.example', email: known });
    // The Create one that made the account: an hour ago.
    DB.exec(stack, 'UPDATE outbox SET created_at = created_at - 3601 WHERE to_addr = ?', known);
    const before = mailTo(stack, known).length;
    const answers = [];
    for (let i = 0; i < 8; i++) {
      for (const [email, from] of [[known, '127.0.0.2'], [fresh, '127.0.0.3']]) {
        const c = new Client(stack.base, { from });
        const res = await c.submit('/signup', { org: 'Probe Ltd', domain: `probe${i}-${from.slice(-1)}.example`, country: 'DE',
          name: 'Pat Probe', email, password: PW, password2: PW });
        answers.push(`${res.status} ${norm(res.text).replaceAll(email, 'EMAIL')}`);
      }
    }
    assert.equal(new Set(answers).size, 1, 'one answer for all 16 requests, throttled or not');
    assert.match(textOf(answers[0]), /Check your email/);
    assert.equal(mailTo(stack, known).length - before, 5, 'at most 5 Create one emails an hour to an address with an account');
    assert.equal(mailTo(stack, fresh).length, 5, 'and to a new address');
    assert.equal(F.auditCount(stack, { action: 'signup.request', actor: fresh, outcome: 'refused', detail: 'throttled' }), 3);
    assert.equal(DB.one(stack, 'SELECT count(*) AS n FROM signup_requests WHERE email = ?', fresh).n, 5, 'a throttled Create one writes no request');
  });
});
