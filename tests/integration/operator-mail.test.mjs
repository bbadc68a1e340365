// operator-mail.test.mjs — the mail outbox in the console (issue 19, item 6): queued and failed
// messages with their last error; Retry (admins) delivers them after the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { csrfOf, textOf } from '../lib/http.mjs';
import { mailTo } from '../lib/users.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack, reviewer, admin, stuck;
before(async () => {
  stack = await startStack();
  reviewer = await newOperator(stack, { role: 'reviewer' });
  admin = await newOperator(stack, { role: 'admin', email: 'mailer@program.example' });
  // A message the mail server refused (tried once, its error noted) and one not tried yet.
  const msg = 'From: Partner Center <no-reply@partner-center.invalid>\r\nTo: stuck@mail-op.example\r\nSubject: Stuck message\r\n'
    + 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello.\r\n';
  stuck = Number(db.exec(stack, `INSERT INTO outbox(created_at, to_addr, subject, template, message, attempts, last_error)
    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, F.now(), 'stuck@mail-op.example', 'Stuck message', 'test', Buffer.from(msg), 1,
  'sendmail exited with status 75')[0].id);
});
after(() => stopChecked(stack));

test('the undelivered messages, and Retry', async () => {
  const page = await reviewer.c.get('/operator/mail');
  assert.equal(page.status, 200);
  const rows = textOf(/id="messages"[\s\S]*?<\/table>/.exec(page.text)[0]);
  assert.match(rows, /stuck@mail-op\.example Stuck message failed 1 sendmail exited with status 75/);
  assert.doesNotMatch(page.text, /action="\/operator\/mail\/retry"/, 'reviewers do not retry');
  assert.equal((await reviewer.c.post('/operator/mail/retry', { csrf: csrfOf(page.text) })).status, 403);
  const apage = await admin.c.get('/operator/mail');
  const res = await admin.c.post('/operator/mail/retry', { csrf: csrfOf(apage.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/operator/mail?m=mail-retried');
  for (let i = 0; i < 100 && db.value(stack, 'SELECT sent_at FROM outbox WHERE id = ?', stuck) === null; i++) await sleep(20);
  assert.notEqual(db.value(stack, 'SELECT sent_at FROM outbox WHERE id = ?', stuck), null, 'delivered');
  assert.equal(mailTo(stack, 'stuck@mail-op.example').length, 1);
  assert.match(textOf((await admin.c.get('/operator/mail')).text), /Messages not delivered yet: 0/);
  assert.equal(F.auditCount(stack, { actor: 'mailer@program.example', action: 'mail.retry', outcome: 'ok' }), 1);
});
