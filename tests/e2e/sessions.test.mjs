// sessions.test.mjs (browser) — the sessions list on Your account: a user signed in with two
// browsers sees both, "This browser" on the one in front of them, and signs the other one out
// with its `Sign out` button; the other browser is then asked to sign in again. Then `Sign
// out everywhere else`. Debian's chromium driven by playwright-core; no JavaScript needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, newPage, shot, signIn, fillNewOrganization, confirmNewOrganization } from '../lib/browser.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const PW = 'correct horse battery';

test('a user ends another session from the sessions list, then every other one', async () => {
  const desk = await newPage(browser, stack);
  await desk.goto('/signup');
  await fillNewOrganization(desk, { org: 'Sessions GmbH', domain: 'sessions.example', country: 'DE', name: 'Ana Admin',
    email: 'ana@sessions.example', password: PW });
  await desk.getByRole('button', { name: 'Create one' }).click();
  await confirmNewOrganization(desk, stack, 'ana@sessions.example');
  await desk.waitForURL(/\/\?m=welcome$/);

  const laptop = await newPage(browser, stack);
  await laptop.goto('/signin');
  await signIn(laptop, 'ana@sessions.example', PW);
  await laptop.waitForURL(/\/$/);

  // Your account: two sessions, this one marked.
  await desk.getByRole('link', { name: /Ana Admin/ }).click();
  await desk.waitForURL(/\/account$/);
  const rows = desk.locator('table.sessions tbody tr');
  assert.equal(await rows.count(), 2);
  const mine = desk.locator('table.sessions tbody tr.current');
  assert.equal(await mine.count(), 1);
  assert.match(await mine.innerText(), /This browser\s+127\.0\.0\.1/);
  await shot(desk, 'sessions-01-list');

  // Sign out the other one.
  const other = desk.locator('table.sessions tbody tr:not(.current)');
  await other.getByRole('button', { name: /Sign out/ }).click();
  await desk.waitForURL(/\/account\?m=session-ended$/);
  assert.match(await desk.getByRole('status').innerText(), /That browser has been signed out/);
  assert.equal(await desk.locator('table.sessions tbody tr').count(), 1);
  await laptop.goto('/account');
  await laptop.waitForURL(/\/signin\?next=/);

  // Two more browsers; Sign out everywhere else.
  for (let i = 0; i < 2; i++) {
    const p = await newPage(browser, stack);
    await p.goto('/signin');
    await signIn(p, 'ana@sessions.example', PW);
    await p.waitForURL(/\/$/);
  }
  await desk.goto('/account');
  assert.equal(await desk.locator('table.sessions tbody tr').count(), 3);
  await desk.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await desk.waitForURL(/\/account\?m=sessions-ended$/);
  assert.equal(await desk.locator('table.sessions tbody tr').count(), 1);
  await shot(desk, 'sessions-02-everywhere-else');
  assert.deepEqual(desk.problems, []);
});
