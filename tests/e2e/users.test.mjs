// users.test.mjs (browser) — a Global admin adds a colleague, opens their name, ticks
// Admin agent and presses Update; the colleague sets a password from the email, signs in,
// and sees the pages their roles allow (in the navigation and by visiting) and not the
// others. Debian's chromium driven by playwright-core; no JavaScript on the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import { startBrowserStack, stopBrowserStack, signIn, fillNewOrganization, confirmNewOrganization } from '../lib/browser.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

async function navLabels(page) {
  return page.locator('nav.side a').allInnerTexts();
}

test('a Global admin adds a user and grants Admin agent; the user signs in and sees what the role allows', async () => {
  // The Global admin creates the organization.
  const admin = await (await browser.newContext()).newPage();
  await admin.goto(`${stack.base}/signup`);
  await fillNewOrganization(admin, { org: 'Fabrikam GmbH', domain: 'fabrikam.example', country: 'DE', name: 'Ana Admin',
    email: 'ana@fabrikam.example', password: 'correct horse battery' });
  await admin.getByRole('button', { name: 'Create one' }).click();
  await confirmNewOrganization(admin, stack, 'ana@fabrikam.example');
  await admin.waitForURL(/\/\?m=welcome$/);

  // Settings → User management → Add user.
  await admin.getByRole('link', { name: 'User management' }).click();
  await admin.waitForURL(/\/settings\/users$/);
  await admin.getByRole('link', { name: 'Add user' }).click();
  await admin.getByLabel('Name').fill('Bo Berg');
  await admin.getByLabel('Email').fill('bo@fabrikam.example');
  await admin.getByRole('button', { name: 'Add user' }).click();
  // issue 15: no role ticked: the form again, the message beside the roles; then Sales agent.
  assert.match(await admin.locator('#f-roles-error').innerText(), /Choose at least one role/);
  await admin.getByRole('checkbox', { name: /^Sales agent/ }).check();
  await admin.getByRole('button', { name: 'Add user' }).click();
  // The list of users (the same answer for an address of another organization: issue 12, item 9).
  await admin.waitForURL(/\/settings\/users\?m=user-added$/);
  assert.match(await admin.getByRole('status').innerText(), /A new user is in the list below/);

  // Select the user's name; tick Admin agent, untick Sales agent; Update.
  const row = admin.getByRole('row', { name: /Bo Berg/ });
  assert.match(await row.innerText(), /bo@fabrikam\.example\s+Sales agent\s+Invited/);
  await row.getByRole('link', { name: 'Bo Berg' }).click();
  const box = admin.getByRole('checkbox', { name: /^Admin agent/ });
  assert.equal(await box.isChecked(), false);
  await box.check();
  await admin.getByRole('checkbox', { name: /^Sales agent/ }).uncheck();
  await admin.getByRole('button', { name: 'Update' }).click();
  await admin.waitForURL(/\?m=roles-updated$/);
  assert.match(await admin.getByRole('status').innerText(), /Roles updated/);
  assert.equal(await admin.getByRole('checkbox', { name: /^Admin agent/ }).isChecked(), true);
  await admin.getByRole('link', { name: 'User management' }).first().click();
  assert.match(await admin.getByRole('row', { name: /Bo Berg/ }).innerText(), /Admin agent/);

  // The user sets a password from the email and signs in.
  const msg = await waitForMail(stack.mailDir, { to: 'bo@fabrikam.example', subject: 'added you' });
  const bo = await (await browser.newContext()).newPage();
  await bo.goto(linkIn(msg, '/password/set'));
  assert.equal(new URL(bo.url()).search, '', 'the token is gone from the address bar');
  await bo.getByLabel('Password', { exact: true }).fill('bo berg password');
  await bo.getByLabel('Confirm password').fill('bo berg password');
  await bo.getByRole('button', { name: 'Set password' }).click();
  await bo.waitForURL(/\/signin\?m=password-set$/);
  await signIn(bo, 'bo@fabrikam.example', 'bo berg password');
  await bo.waitForURL(`${stack.base}/`);
  assert.match(await bo.locator('header .who').innerText(), /Bo Berg\s+· Admin agent/);

  // The navigation shows what Admin agent may open, and no more.
  // (issue 13: Delegated admin, the relationships an Admin agent may request and act under)
  assert.deepEqual(await navLabels(bo), ['Overview', 'Customers', 'Relationships', 'Delegated admin', 'Find a provider', 'User management', 'Roles', 'Organization profile']);
  for (const path of ['/settings/users', '/settings/users/new', '/settings/profile', '/settings/roles']) {
    const res = await bo.goto(`${stack.base}${path}`);
    assert.equal(res.status(), 200, path);
  }
  // The Roles page says what an Admin agent may do, with the role highlighted.
  assert.match(await bo.locator('table.matrix thead th.mine').innerText(), /Admin agent/);
  for (const path of ['/settings/audit', '/settings/audit.csv', '/settings/profile/legal']) {
    const res = await bo.goto(`${stack.base}${path}`);
    assert.equal(res.status(), 403, path);
    assert.match(await bo.locator('main').innerText(), /Your roles do not allow this page/);
  }

  // The Global admin sees the Audit log with these steps, newest first (issue 15: as
  // sentences; Bo's refused pages only when asked for).
  await admin.getByRole('link', { name: 'Audit log' }).click();
  let actions = await admin.locator('table.audit tbody tr code.action').allInnerTexts();
  assert.deepEqual(actions.slice(0, 4), ['signin', 'password.set', 'user.roles', 'user.add']);
  await admin.getByLabel('Show refused attempts').check();
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/refused=show/);
  actions = await admin.locator('table.audit tbody tr code.action').allInnerTexts();
  assert.deepEqual(actions.slice(0, 7), ['access', 'access', 'access', 'signin', 'password.set', 'user.roles', 'user.add']);
  assert.equal(await admin.locator('table.audit tbody tr .sentence').first().innerText(),
    'Bo Berg was refused the page /settings/profile/legal: their roles do not allow it.');
  assert.deepEqual(await navLabels(admin), ['Overview', 'Customers', 'Relationships', 'Delegated admin', 'Find a provider', 'User management', 'Roles', 'Organization profile', 'Audit log',
    'Security', 'API', 'Webhooks', 'User groups']);  // Settings → Security (issue 12: a Global admin requires multi-factor sign-in); Settings → API and → Webhooks (issue 14); → User groups (issue 13)
});
