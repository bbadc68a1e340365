// compliance.test.mjs — Settings → MFA compliance (issue 12): a Global admin sees who in the
// organization has multi-factor sign-in and who does not, each user's last sign-in and
// whether it used a second factor, 25 a page, filtered, and downloads it as CSV (like the
// audit log). Only the organization's own users; other roles are refused. The MFA columns
// are written through fixtures here (the MFA setup and sign-in code writes them for real).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, textOf } from '../lib/http.mjs';
import { addUser, activate } from '../lib/users.mjs';

let stack, ga;
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0) / 1000;	// 2026-01-15 09:30:00 UTC

before(async () => {
  stack = await startStack();
  ga = new Client(stack.base);
  await ga.signup({ org: 'Comply Ltd', domain: 'comply.example', email: 'ga@comply.example', name: 'Gale Admin' });
  // 30 more users: u00..u29. Even ones have MFA since T0; every third signed in at T0 + 1 h,
  // with MFA when it has MFA too.
  for (let i = 0; i < 30; i++) {
    const n = String(i).padStart(2, '0');
    F.addUser(stack, { domain: 'comply.example', email: `u${n}@comply.example`, name: `User ${n}`, roles: ['sales_agent'] });
    F.setUserMfa(stack, `u${n}@comply.example`, {
      enabledAt: i % 2 === 0 ? T0 : null,
      lastSigninAt: i % 3 === 0 ? T0 + 3600 : null,
      lastSigninMfa: i % 3 === 0 && i % 2 === 0 ? 1 : 0,
    });
  }
  F.setUserMfa(stack, 'ga@comply.example', { enabledAt: T0, lastSigninAt: T0 + 7200, lastSigninMfa: 1 });
  // Another organization, whose users never show.
  const other = new Client(stack.base);
  await other.signup({ org: 'Elsewhere', domain: 'elsewhere.example', email: 'zed@elsewhere.example', name: 'Zed Zulu' });
});
after(() => stopChecked(stack));

/** The table's rows as visible text. */
const rowsOf = (html) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]));

test('who has MFA and who does not, with the last sign-in, 25 a page', async () => {
  const page = await ga.get('/settings/security/compliance');
  assert.equal(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, /Users 31 With MFA 16 Without MFA 15/);
  const rows = rowsOf(page.text);
  assert.equal(rows.length, 25);
  // (issue 15, item 13: times as "15 Jan 2026, 11:30 UTC", were "2026-01-15 11:30 UTC"; in the
  // reader's zone, their organization's in Germany: 11:30 UTC is 12:30 CET)
  assert.equal(rows[0], 'Gale Admin (you) ga@comply.example Global admin On since 15 Jan 2026 15 Jan 2026, 12:30 CET · with MFA');
  assert.equal(rows[1], 'User 00 u00@comply.example Sales agent On since 15 Jan 2026 15 Jan 2026, 11:30 CET · with MFA');
  assert.equal(rows[2], 'User 01 u01@comply.example Sales agent Off Never');
  assert.equal(rows[4], 'User 03 u03@comply.example Sales agent Off 15 Jan 2026, 11:30 CET · without MFA');
  assert.doesNotMatch(page.text, /zed@elsewhere/);
  assert.match(page.text, /href="\/settings\/users\/\d+">User 00</);
  // The second page holds the other six.
  const next = /<a href="([^"]*)" rel="next">/.exec(page.text)[1];
  assert.equal(next.replace(/&amp;/g, '&'), '/settings/security/compliance?page=2');
  const page2 = await ga.get(next.replace(/&amp;/g, '&'));
  assert.deepEqual(rowsOf(page2.text).map((r) => r.split(' ').slice(0, 2).join(' ')),
    ['User 24', 'User 25', 'User 26', 'User 27', 'User 28', 'User 29']);
  // Settings → User management links here for a Global admin.
  assert.match((await ga.get('/settings/users')).text, /<a href="\/settings\/security\/compliance">MFA compliance: who signs in with multi-factor authentication<\/a>/);
});

test('filters: without MFA, with MFA; the CSV keeps the filter', async () => {
  const without = await ga.get('/settings/security/compliance?mfa=without');
  const rows = rowsOf(without.text);
  assert.equal(rows.length, 15);
  assert.ok(rows.every((r) => / Off /.test(r)), rows.join('\n'));
  assert.match(without.text, /href="\/settings\/security\/compliance.csv\?mfa=without"/);
  const withMfa = rowsOf((await ga.get('/settings/security/compliance?mfa=with')).text);
  assert.equal(withMfa.length, 16);
  assert.ok(withMfa.every((r) => / On since /.test(r)));
  const csv = await ga.get('/settings/security/compliance.csv?mfa=without');
  assert.equal(csv.status, 200);
  assert.equal(csv.text.trim().split('\r\n').length, 16);
});

test('the CSV: every user of the organization, RFC 4180, times in UTC', async () => {
  const res = await ga.get('/settings/security/compliance.csv');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(res.headers['content-disposition'], 'attachment; filename="mfa-compliance.csv"');
  const lines = res.text.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length, 1 + 31 + 1);
  assert.equal(lines[0], '"Name","Email","Roles","MFA","MFA since (UTC)","Last sign-in (UTC)","Last sign-in with MFA"');
  assert.equal(lines[1], '"Gale Admin","ga@comply.example","Global admin","yes","2026-01-15T09:30:00Z","2026-01-15T11:30:00Z","yes"');
  assert.equal(lines[2], '"User 00","u00@comply.example","Sales agent","yes","2026-01-15T09:30:00Z","2026-01-15T10:30:00Z","yes"');
  assert.equal(lines[3], '"User 01","u01@comply.example","Sales agent","no","","",""');
  assert.equal(lines[5], '"User 03","u03@comply.example","Sales agent","no","","2026-01-15T10:30:00Z","no"');
  assert.doesNotMatch(res.text, /elsewhere/);
  // A name a spreadsheet would take for a formula stays text.
  F.addUser(stack, { domain: 'comply.example', email: 'formula@comply.example', name: '=HYPERLINK("x")' });
  const again = await ga.get('/settings/security/compliance.csv');
  assert.match(again.text, /\r\n"'=HYPERLINK\(""x""\)","formula@comply\.example"/);
});

test('Global admins only; signed out: to sign-in', async () => {
  await addUser(ga, { name: 'Acc Admin', email: 'acc@comply.example', roles: ['account_admin', 'user_admin'] });
  const acc = await activate(stack, 'acc@comply.example');
  for (const path of ['/settings/security/compliance', '/settings/security/compliance.csv']) {
    assert.equal((await acc.get(path)).status, 403, path);
    const out = await new Client(stack.base).get(path);
    assert.equal(out.status, 303);
    assert.equal(out.location, `/signin?next=${path}`);
  }
  assert.doesNotMatch((await acc.get('/settings/users')).text, /MFA compliance/, 'no link for who may not open it');
});
