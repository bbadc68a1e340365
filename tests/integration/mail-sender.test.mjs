// mail-sender.test.mjs — issue 17, the order POST: a request's mail is delivered by the
// portal's mail sender thread (src/mail/sender.c), not by the worker thread that answered
// the request. Before, the worker delivered it after writing the answer (a synced spool file,
// or sendmail), and the request ended only then: through nginx the answer itself arrived only
// after the delivery, and that thread took no other request meanwhile. What the sender still holds when
// the portal stops is delivered before it exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client } from '../lib/http.mjs';
import { sendmailSink } from '../lib/mail.mjs';

const DELAY = 3000;	// each delivery keeps the (stand-in) mail server this long

/** Forgot your password? for a demo user: a reset link goes out after the answer (no
 * password hash on this form, so the answer's time is the delivery's or nothing). */
const forgot = async (s, email) => {
  const res = await new Client(s.base).submit('/password/forgot', { email });
  return res.status === 303;
};

test('with a slow mail server a one-thread portal answers the form and the next request at once, and delivers what is queued before it stops', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-sender-'));
  const sink = sendmailSink(dir, { delayMs: DELAY });
  const s = await startStack({ threads: 1, demo: true, env: { PORTAL_MAIL: 'sendmail', PORTAL_SENDMAIL: sink.command } });
  const [first, a, b, c] = [...s.demoSecrets.keys()];
  try {
    // The sender opens its connection after the workers start (a restarted worker answers
    // sooner); meanwhile requests deliver their own mail. One message first, delivered.
    assert.ok(await forgot(s, first));
    for (let until = Date.now() + 15000; sink.messages().length === 0 && Date.now() < until;) await sleep(50);
    let t0 = Date.now();
    assert.ok(await forgot(s, a));
    const answered = Date.now() - t0;
    // Through nginx the answer was not complete before the worker had finished the request:
    // the form's own answer took as long as the delivery, and so did the next request.
    assert.ok(answered < DELAY / 2, `the answer to the form waited ${answered} ms for its mail's delivery`);
    t0 = Date.now();
    const next = await new Client(s.base).get('/signin');
    const took = Date.now() - t0;
    assert.equal(next.status, 200);
    assert.ok(took < DELAY / 2, `the next request waited ${took} ms for the mail delivery`);
    // Two more while the first is still being handed over, then the portal is stopped at once.
    assert.ok(await forgot(s, b));
    assert.ok(await forgot(s, c));
  } finally {
    await stopChecked(s);
  }
  try {
    const to = sink.messages().map((m) => m.to).sort();
    assert.deepEqual(to, [first, a, b, c].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
