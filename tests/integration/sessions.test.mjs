// sessions.test.mjs — the sessions list on "Your account" (issue 12): every session of the
// user with its browser (the User-Agent shortened), client address, created and last seen,
// "This browser"; `Sign out` per session (only one's own: another user's session is a 404
// and ends nothing) and `Sign out everywhere else`; a Global admin signs a user of their own
// organization out everywhere (another organization's user: 404). Every change is audited.
// Sessions come from real sign-ins; what a session recorded of its browser is written
// through a fixture (the sign-in records it since the MFA change of issue 12).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { addUser, activate, PASSWORD } from '../lib/users.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';

/** The rows of the sessions table on /account: [{ text, current, action }]. */
function sessionRows(html) {
  const table = /<table class="sessions">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr( class="current")?>([\s\S]*?)<\/tr>/g)].map((m) => ({
    current: Boolean(m[1]),
    text: textOf(m[2].replace(/<span class="visually-hidden">[\s\S]*?<\/span>/g, '')),
    action: /action="([^"]*)"/.exec(m[2])?.[1],
  }));
}

async function post(c, path, fields = {}) {
  const csrf = csrfOf((await c.get('/account')).text) ?? csrfOf((await c.get('/')).text);
  return c.post(path, { csrf, ...fields });
}

test('the list: browser, client address, created, last seen, this browser', async () => {
  const here = new Client(stack.base, { from: '127.0.0.1' });
  await here.signup({ domain: 'list.example', email: 'ana@list.example' });
  const laptop = new Client(stack.base, { from: '127.0.0.2' });
  assert.equal((await laptop.signin('ana@list.example', PASSWORD)).status, 303);
  const phone = new Client(stack.base, { from: '127.0.0.3' });
  assert.equal((await phone.signin('ana@list.example', PASSWORD)).status, 303);
  const [mine, lap, ph] = F.sessionsOf(stack, 'ana@list.example');
  F.setSessionUserAgent(stack, mine.id, CHROME);
  F.setSessionUserAgent(stack, lap.id, FIREFOX);
  F.setSessionUserAgent(stack, ph.id, '');

  const page = await here.get('/account');
  assert.equal(page.status, 200);
  const rows = sessionRows(page.text);
  assert.equal(rows.length, 3);
  const byAddress = Object.fromEntries(rows.map((r) => [/127\.0\.0\.\d/.exec(r.text)[0], r]));
  assert.match(byAddress['127.0.0.1'].text, /^Chrome on Linux This browser 127\.0\.0\.1 \d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T \d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T Sign out$/);	// (issue 15, item 13: was 2026-01-15 11:30 UTC; now in the organization's zone, Germany's)
  assert.ok(byAddress['127.0.0.1'].current);
  assert.match(byAddress['127.0.0.2'].text, /^Firefox on Windows 127\.0\.0\.2 /);
  assert.match(byAddress['127.0.0.3'].text, /^Unknown browser 127\.0\.0\.3 /);
  assert.ok(!byAddress['127.0.0.2'].current && !byAddress['127.0.0.3'].current);
  assert.equal(byAddress['127.0.0.2'].action, `/account/sessions/end/${lap.id}`);
  assert.match(textOf(page.text), /Sign out everywhere else/);
  // The laptop's view marks the laptop.
  const fromLaptop = sessionRows((await laptop.get('/account')).text);
  assert.deepEqual(fromLaptop.filter((r) => r.current).map((r) => /127\.0\.0\.\d/.exec(r.text)[0]), ['127.0.0.2']);
  // A User-Agent is text like any other: escaped.
  F.setSessionUserAgent(stack, ph.id, '<script>alert(1)</script>');
  const escaped = await here.get('/account');
  assert.doesNotMatch(escaped.text, /<script>alert/);
});

test('Sign out one session, then everywhere else; the other browsers are signed out on the server', async () => {
  const here = new Client(stack.base);
  await here.signup({ domain: 'end.example', email: 'ana@end.example' });
  const others = [new Client(stack.base), new Client(stack.base), new Client(stack.base)];
  for (const c of others) assert.equal((await c.signin('ana@end.example', PASSWORD)).status, 303);
  const ids = F.sessionsOf(stack, 'ana@end.example').map((s) => s.id);
  assert.equal(ids.length, 4);

  let res = await post(here, `/account/sessions/end/${ids[1]}`);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account?m=session-ended');
  assert.match(textOf((await here.follow(res)).text), /That browser has been signed out\./);
  assert.equal((await others[0].get('/account')).status, 303, 'that browser is signed out');
  assert.equal((await others[1].get('/account')).status, 200, 'the others are not');
  assert.equal(F.sessionCount(stack, 'ana@end.example'), 3);

  res = await post(here, '/account/sessions/end-others');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account?m=sessions-ended');
  assert.equal((await others[1].get('/account')).status, 303);
  assert.equal((await others[2].get('/account')).status, 303);
  const page = await here.get('/account');
  assert.equal(page.status, 200, 'this browser stays signed in');
  assert.equal(sessionRows(page.text).length, 1);
  assert.doesNotMatch(textOf(page.text), /Sign out everywhere else/, 'nothing else to sign out');
  assert.deepEqual(F.sessionsOf(stack, 'ana@end.example').map((s) => s.id), [ids[0]]);
  assert.deepEqual(F.audit(stack, { action: 'session.end', actor: 'ana@end.example' }, 'outcome, detail'), [
    { outcome: 'ok', detail: `session ${ids[1]}` },
    { outcome: 'ok', detail: 'everywhere else: 2 session(s)' },
  ]);

  // Its own row's Sign out signs this browser out.
  res = await post(here, `/account/sessions/end/${ids[0]}`);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/signin?m=signed-out');
  assert.equal(here.cookie('sid'), undefined);
  assert.equal(F.sessionCount(stack, 'ana@end.example'), 0);
});

test("another user's session (same or another organization) is a 404 and stays; without the CSRF token, 403", async () => {
  const ana = new Client(stack.base);
  await ana.signup({ domain: 'own.example', email: 'ana@own.example' });
  await addUser(ana, { name: 'Bo Berg', email: 'bo@own.example', roles: ['sales_agent'] });
  const bo = await activate(stack, 'bo@own.example');
  const zed = new Client(stack.base);
  await zed.signup({ domain: 'foreign.example', email: 'zed@foreign.example' });
  const boSession = F.sessionsOf(stack, 'bo@own.example')[0].id;
  const before = F.sessionCount(stack, 'bo@own.example');

  for (const [who, c, tenant] of [['Ana (same organization)', ana, 'own.example'], ['Zed (another organization)', zed, 'foreign.example']]) {
    const res = await post(c, `/account/sessions/end/${boSession}`);
    assert.equal(res.status, 404, who);
    assert.equal(F.auditCount(stack, { tenant_id: F.tenantId(stack, tenant), action: 'access', outcome: 'refused',
      target: `session ${boSession}`, detail: 'not one of your sessions' }), 1, who);
  }
  assert.equal((await post(ana, '/account/sessions/end/999999')).status, 404, 'no such session');
  assert.equal(F.sessionCount(stack, 'bo@own.example'), before);
  assert.equal((await bo.get('/account')).status, 200, 'Bo is still signed in');

  // The dispatcher's CSRF check: no token, a wrong token.
  const mine = F.sessionsOf(stack, 'ana@own.example')[0].id;
  assert.equal((await ana.post(`/account/sessions/end/${mine}`, {})).status, 403);
  assert.equal((await ana.post('/account/sessions/end-others', { csrf: 'x'.repeat(43) })).status, 403);
  assert.equal((await new Client(stack.base).post('/account/sessions/end-others', {})).status, 403, 'signed out');
  assert.equal(F.sessionCount(stack, 'ana@own.example'), 1);
});

test('a Global admin signs a user of the organization out everywhere; not another organization\'s; not a User admin', async () => {
  const ga = new Client(stack.base);
  await ga.signup({ domain: 'admin.example', email: 'ga@admin.example' });
  const { id: boId } = await addUser(ga, { name: 'Bo Berg', email: 'bo@admin.example', roles: ['sales_agent'] });
  const bo1 = await activate(stack, 'bo@admin.example');
  const bo2 = new Client(stack.base);
  assert.equal((await bo2.signin('bo@admin.example', PASSWORD)).status, 303);
  await addUser(ga, { name: 'Uma User', email: 'uma@admin.example', roles: ['user_admin'] });
  const uma = await activate(stack, 'uma@admin.example');

  const page = await ga.get(`/settings/users/${boId}`);
  // issue 18: a proper plural form instead of "browser(s) or device(s)"
  assert.match(textOf(page.text), /Bo Berg is signed in with 2 browsers or devices/);
  assert.match(page.text, new RegExp(`action="/settings/users/${boId}/sessions"`));
  // A User admin manages users but does not see (or get) the button.
  const umaPage = await uma.get(`/settings/users/${boId}`);
  assert.equal(umaPage.status, 200);
  assert.doesNotMatch(umaPage.text, /\/sessions"/);
  assert.equal((await post(uma, `/settings/users/${boId}/sessions`)).status, 403);
  assert.equal(F.sessionCount(stack, 'bo@admin.example'), 2);

  // Another organization's Global admin: 404, and nothing ends.
  const other = new Client(stack.base);
  await other.signup({ domain: 'admin-other.example', email: 'ga@admin-other.example' });
  assert.equal((await post(other, `/settings/users/${boId}/sessions`)).status, 404);
  assert.equal(F.sessionCount(stack, 'bo@admin.example'), 2);

  const res = await post(ga, `/settings/users/${boId}/sessions`);
  assert.equal(res.status, 303);
  assert.equal(res.location, `/settings/users/${boId}?m=user-signed-out`);
  assert.match(textOf((await ga.follow(res)).text), /The user has been signed out everywhere\./);
  assert.equal(F.sessionCount(stack, 'bo@admin.example'), 0);
  for (const c of [bo1, bo2]) assert.match((await c.get('/account')).location ?? '', /^\/signin\?next=/, 'Bo is signed out');
  assert.equal((await ga.get('/account')).status, 200, 'the admin stays signed in');
  assert.equal((await new Client(stack.base).signin('bo@admin.example', PASSWORD)).status, 303, 'the password stays');
  assert.deepEqual(F.audit(stack, { action: 'user.sessions-end', tenant_id: F.tenantId(stack, 'admin.example') }, 'actor, target, outcome, detail'),
    [{ actor: 'ga@admin.example', target: 'bo@admin.example', outcome: 'ok', detail: '2 session(s) ended' }]);
  assert.equal(F.auditCount(stack, { tenant_id: F.tenantId(stack, 'admin-other.example'), action: 'user.sessions-end', outcome: 'refused' }), 1);
});
