// operator.test.mjs — the program team's operator accounts (issue 19, item 1): portalctl
// operator add / list / remove (an emailed set-password link), the console's own sign-in at
// /operator/signin (operator accounts only, throttled like /signin), the second factor
// required from the first sign-in, 15 idle minutes, and the wall between the console and the
// partner pages (403 either way, audited).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { PASSWORD, setPassword, newestMail } from '../lib/users.mjs';
import { linkIn } from '../lib/mail.mjs';
import { newOperator, operatorPassword, operatorSignin, setupMfa } from '../lib/operators.mjs';

let stack, partner;
const PARTNER = 'ga@op-partner.example';
before(async () => {
  stack = await startStack();
  partner = new Client(stack.base);
  await partner.signup({ org: 'Op Partner', domain: 'op-partner.example', email: PARTNER, name: 'Pat Partner' });
});
after(() => stopChecked(stack));

const team = () => Number(db.value(stack, "SELECT value FROM program_settings WHERE name = 'operator_tenant'"));

test('portalctl operator add: usage, the emailed link, an address of its own; list; the program team is no partner', async () => {
  assert.equal(stack.ctl('operator', 'add', 'x@program.example').code, 2, 'the role is required');
  assert.equal(stack.ctl('operator', 'add', 'x@program.example', '--role', 'boss').code, 2, 'reviewer or admin');
  assert.equal(stack.ctl('operator', 'add', 'not-an-address', '--role', 'admin').code, 2);
  const add = stack.ctl('operator', 'add', 'Ada@Program.example', '--role', 'admin', '--name', 'Ada Admin');
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /added operator ada@program\.example \(admin\)/);
  const msg = await newestMail(stack, 'ada@program.example');
  assert.match(msg.subject, /program team/);
  assert.ok(linkIn(msg, '/password/set'), 'a set-password link');
  assert.match(msg.body, /\/operator\/signin/);
  // The address is taken now, and a partner's address cannot become an operator's.
  const again = stack.ctl('operator', 'add', 'ada@program.example', '--role', 'reviewer');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already has an account/);
  assert.equal(stack.ctl('operator', 'add', PARTNER, '--role', 'admin').code, 1);
  assert.equal(db.value(stack, 'SELECT count(*) FROM operators o JOIN users u ON u.id = o.user_id WHERE u.email = ?', PARTNER), 0);
  // The operator is a user of the program team's own work account, with no partner role and
  // no partner account.
  const u = db.one(stack, 'SELECT tenant_id, roles FROM users WHERE email = ?', 'ada@program.example');
  assert.deepEqual(u, { tenant_id: team(), roles: 0 });
  assert.equal(db.value(stack, 'SELECT count(*) FROM partner_accounts WHERE tenant_id = ?', team()), 0);
  assert.equal(db.value(stack, 'SELECT role FROM operators WHERE user_id = ?', u.tenant_id && F.userId(stack, 'ada@program.example')), 'admin');
  const list = stack.ctl('operator', 'list');
  assert.equal(list.code, 0);
  assert.match(list.stdout, /ada@program\.example\s+admin\s+not yet\s+no\s+never/);
  assert.equal(F.auditCount(stack, { tenant_id: team(), action: 'operator.add', target: 'ada@program.example', outcome: 'ok' }), 1);
});

test('first sign-in: the console asks for a second factor before anything else; then password and code', async () => {
  const email = 'first@program.example';
  assert.equal(stack.ctl('operator', 'add', email, '--role', 'reviewer').code, 0);
  assert.equal((await setPassword(stack, email)).res.status, 303);
  // Signed out, a console page goes to the console's sign-in.
  const out = await new Client(stack.base).get('/operator');
  assert.equal(out.status, 303);
  assert.equal(out.location, '/operator/signin?next=/operator');
  const c = new Client(stack.base);
  const pw = await operatorPassword(c, email);
  assert.equal(pw.status, 303);
  assert.equal(pw.location, '/operator');
  const gate = await c.get('/operator');
  assert.equal(gate.status, 303);
  assert.equal(gate.location, '/account/mfa', 'no console page before the second factor is set up');
  const secret = await setupMfa(c);
  const home = await c.get('/operator');
  assert.equal(home.status, 200);
  assert.match(textOf(home.text), /Program console/);
  assert.match(textOf(home.text), /first@program\.example/);
  // The next sign-in needs the code: no session after the password alone.
  const c2 = new Client(stack.base);
  const step = await operatorPassword(c2, email);
  assert.equal(step.status, 303);
  assert.match(step.location, /^\/signin\/code/);
  assert.equal((await c2.get('/operator')).status, 303, 'no session yet');
  const c3 = await operatorSignin(stack, email, secret);
  assert.equal((await c3.get('/operator')).status, 200);
  const row = db.one(stack, 'SELECT last_signin_mfa FROM users WHERE email = ?', email);
  assert.equal(row.last_signin_mfa, 1);
});

test('each sign-in page signs in only its own accounts', async () => {
  const op = await newOperator(stack, { role: 'reviewer' });
  // An operator at the partners' sign-in: told where the console is (the password was right).
  const a = new Client(stack.base);
  const res = await a.submit('/signin', { email: op.email, password: PASSWORD });
  assert.equal(res.status, 422);
  assert.match(textOf(res.text), /program team account.*\/operator\/signin/);
  assert.equal(a.cookie('sid'), undefined);
  // A partner at the console's sign-in: the answer of a wrong password.
  const b = new Client(stack.base);
  const pres = await operatorPassword(b, PARTNER);
  assert.equal(pres.status, 422);
  assert.match(textOf(pres.text), /do not match an account/);
  assert.equal(b.cookie('sid'), undefined);
  assert.equal(F.auditCount(stack, { action: 'signin', actor: PARTNER, outcome: 'failed', detail: 'not an operator account' }), 1);
});

test('the console and the partner pages never mix: 403 either way, audited', async () => {
  const op = await newOperator(stack, { role: 'admin' });
  const before = F.auditCount(stack, { tenant_id: team(), action: 'access', outcome: 'refused', detail: 'operator session on a partner page' });
  for (const path of ['/account', '/settings/users', '/agreement', '/settings/roles', '/customers', '/enroll/mpn']) {
    const res = await op.c.get(path);
    assert.equal(res.status, 403, `${path} for an operator`);
  }
  const page = await op.c.get('/operator');
  const post = await op.c.post('/account/password', { csrf: csrfOf(page.text), current: PASSWORD, password: 'x'.repeat(12), password2: 'x'.repeat(12) });
  assert.equal(post.status, 403, 'a partner form too');
  assert.equal(F.auditCount(stack, { tenant_id: team(), action: 'access', outcome: 'refused', detail: 'operator session on a partner page' }) - before, 7);
  // The partners' home sends an operator to the console; the navigation is the console's.
  const home = await op.c.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.location, '/operator');
  assert.doesNotMatch(page.text, /href="\/find-a-provider"/);
  assert.match(page.text, /href="\/operator"/);
  // A partner's Global admin never opens a console page.
  const tenant = F.tenantId(stack, 'op-partner.example');
  const pBefore = F.auditCount(stack, { tenant_id: tenant, action: 'access', outcome: 'refused', detail: 'partner session on an operator page' });
  const refused = await partner.get('/operator');
  assert.equal(refused.status, 403);
  assert.equal(F.auditCount(stack, { tenant_id: tenant, action: 'access', outcome: 'refused', detail: 'partner session on an operator page' }) - pBefore, 1);
  assert.doesNotMatch((await partner.get('/')).text, /href="\/operator"/, 'no console link for partners');
  // Signing out works for an operator.
  const so = await op.c.post('/signout', { csrf: csrfOf(page.text) });
  assert.equal(so.status, 303);
  assert.equal((await op.c.get('/operator')).status, 303);
});

test("an operator's session ends after 15 idle minutes (a partner's lasts 30)", async () => {
  const op = await newOperator(stack, { role: 'reviewer' });
  assert.equal((await op.c.get('/operator')).status, 200);
  const idle = F.now() - 16 * 60;
  db.exec(stack, 'UPDATE sessions SET seen_at = ? WHERE user_id = ?', idle, op.id);
  db.exec(stack, 'UPDATE sessions SET seen_at = ? WHERE user_id = ?', idle, F.userId(stack, PARTNER));
  const res = await op.c.get('/operator');
  assert.equal(res.status, 303);
  assert.match(res.location, /^\/operator\/signin/);
  assert.equal(db.value(stack, 'SELECT count(*) FROM sessions WHERE user_id = ?', op.id), 0, 'the expired session is gone');
  assert.equal((await partner.get('/account')).status, 200, "the partner's session after 16 minutes is live");
});

test('the console sign-in is throttled like /signin', async () => {
  const op = await newOperator(stack, { role: 'reviewer' });
  const c = new Client(stack.base, { from: '127.0.0.9' });
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await operatorPassword(c, op.email, 'wrong password here')).status);
  assert.ok(statuses.includes(429), `throttled: ${statuses.join(',')}`);
  const last = await operatorPassword(c, op.email);
  assert.equal(last.status, 429, 'the right password waits too');
});

test('portalctl operator remove: the account is gone, its sessions end', async () => {
  const op = await newOperator(stack, { role: 'admin' });
  assert.equal((await op.c.get('/operator')).status, 200);
  assert.equal(stack.ctl('operator', 'remove', PARTNER).code, 1, "a partner's user is no operator");
  const rm = stack.ctl('operator', 'remove', op.email);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((await op.c.get('/operator')).status, 303);
  assert.equal(db.value(stack, 'SELECT count(*) FROM users WHERE email = ?', op.email), 0);
  assert.doesNotMatch(stack.ctl('operator', 'list').stdout, new RegExp(op.email));
  assert.equal(stack.ctl('operator', 'remove', op.email).code, 1);
});
