// throttle.test.mjs — sign-in failures: unknown account and wrong password look and take
// the same; 5 failures for one account or 20 from one address within 15 minutes throttle
// further attempts (429), even with the right password. Every request here comes from
// 127.0.0.1, so each test starts its own stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, textOf, csrfOf } from '../lib/http.mjs';

const PW = 'correct horse battery';

async function withStack(fn) {
  const stack = await startStack();
  try {
    await fn(stack);
  } finally {
    await stopChecked(stack);
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const failures = (stack) => F.auditCount(stack, { action: 'signin', outcome: 'failed' });

test('unknown account and wrong password: same status, same page, similar time', async (t) => {
  await withStack(async (stack) => {
    const c = new Client(stack.base);
    await c.signup({ domain: 'timing.example', email: 'ana@timing.example' });
    await c.signout();
    const norm = (html, email) => html.replaceAll(email, 'EMAIL').replace(/name="csrf" value="[^"]*"/g, '');
    const unknownT = [], wrongT = [];
    let unknownPage, wrongPage;
    // interleaved, 5 of each (a 6th failure for the account would be throttled)
    for (let i = 0; i < 5; i++) {
      for (const kind of ['unknown', 'wrong']) {
        const email = kind === 'unknown' ? 'nobody@timing.example' : 'ana@timing.example';
        const d = new Client(stack.base);
        const csrf = csrfOf((await d.get('/signin')).text);
        const t0 = process.hrtime.bigint();
        const res = await d.post('/signin', { csrf, email, password: 'not the right password' });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        assert.equal(res.status, 422, kind);
        (kind === 'unknown' ? unknownT : wrongT).push(ms);
        const page = norm(res.text, email);
        if (kind === 'unknown') unknownPage ??= page; else wrongPage ??= page;
        assert.equal(page, kind === 'unknown' ? unknownPage : wrongPage);
      }
    }
    assert.equal(unknownPage, wrongPage, 'the two answers differ');
    assert.match(textOf(unknownPage), /That email and password do not match an account/);
    const ratio = median(unknownT) / median(wrongT);
    t.diagnostic(`sign-in timing: unknown median ${median(unknownT).toFixed(1)} ms, wrong password median ${median(wrongT).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    assert.ok(ratio > 0.5 && ratio < 2.0, `unknown/wrong time ratio ${ratio}`);
    // the audit keeps them apart for the operator
    const details = db.rows(stack, 'SELECT detail, count(*) n FROM audit WHERE action = ? AND outcome = ? GROUP BY detail ORDER BY detail', 'signin', 'failed');
    assert.deepEqual(details, [{ detail: 'unknown account', n: 5 }, { detail: 'wrong password', n: 5 }]);
  });
});

test('5 failures for one account within 15 minutes: the 6th attempt is refused (429) even with the right password', async () => {
  await withStack(async (stack) => {
    const c = new Client(stack.base);
    await c.signup({ domain: 'acct.example', email: 'ana@acct.example' });
    // (issue 15: a signed-in browser's Create one goes to the overview: the second
    // organization is created in a browser of its own)
    await new Client(stack.base).signup({ domain: 'acct2.example', email: 'bob@acct2.example' });
    await c.signout();
    const d = new Client(stack.base);
    for (let i = 1; i <= 5; i++) {
      const res = await d.signin('ana@acct.example', `wrong password ${i}`);
      assert.equal(res.status, 422, `attempt ${i}`);
    }
    const sixth = await d.signin('Ana@ACCT.example', PW);       // same account, any case
    assert.equal(sixth.status, 429);
    assert.match(textOf(sixth.text), /Too many unsuccessful attempts\. Wait 15 minutes/);
    assert.equal(d.cookie('sid'), undefined);
    assert.equal(F.sessionCount(stack, 'ana@acct.example'), 0);
    assert.equal(F.auditCount(stack, { action: 'signin', detail: 'throttled', actor: 'ana@acct.example' }), 1);
    // another account from the same address is not affected
    assert.equal((await new Client(stack.base).signin('bob@acct2.example', PW)).status, 303);
    // the window is 15 minutes: failures older than that no longer count
    F.backdateAudit(stack, { action: 'signin', actor: 'ana@acct.example' }, 15 * 60 + 1);
    assert.equal((await new Client(stack.base).signin('ana@acct.example', PW)).status, 303);
    await stack.waitForLog('sign-in throttled');
  });
});

test('20 failures from one address (different account names): the address is throttled', async () => {
  await withStack(async (stack) => {
    const c = new Client(stack.base);
    await c.signup({ domain: 'addr.example', email: 'ana@addr.example' });
    await c.signout();
    const d = new Client(stack.base);
    for (let i = 1; i <= 20; i++) {
      const res = await d.signin(`guess${i}@addr.example`, 'some password');
      assert.equal(res.status, 422, `attempt ${i}`);
    }
    assert.equal(failures(stack), 20);
    const next = await d.signin('ana@addr.example', PW);          // a real account, right password
    assert.equal(next.status, 429);
    assert.match(textOf(next.text), /Too many unsuccessful attempts/);
    const other = await new Client(stack.base).signin('ana@addr.example', PW);   // a new browser, same address
    assert.equal(other.status, 429);
  });
});
