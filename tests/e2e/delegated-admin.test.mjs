// delegated-admin.test.mjs (browser) — issue 13's walk: the provider requests delegated admin
// with User admin for 30 days from Delegated admin → the customer's Global admin follows the
// emailed link, signs in and approves → the provider's Admin agent opens the customer as partner
// and adds a user in its User management → both organizations' audit logs show it under her
// name, her organization and the relationship → the customer terminates it → her next request
// there is refused. Screenshots: tests/e2e/screenshots/delegated-admin-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, newPage, shot, signIn } from '../lib/browser.mjs';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
const settings = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
const LABEL = "Nora North (Northwind Distribution, delegated admin 'Helpdesk 2026')";

test('request → approve from the email → act as partner and add a user → both audit logs → terminate → refused', async () => {
  const w = await C.custPair(stack, { prefix: 'e2eda', providerOrg: 'Northwind Distribution', resellerOrg: 'Adatum Systems' });
  const cust = await C.custOrg(stack, { domain: 'tailwind-da.example', org: 'Tailwind Traders', email: 'olivia@tailwind-da.example' });
  await C.custRelate(stack, w, cust);
  X.addUser(stack, { tenant: w.provider.tenantId, email: 'nora@e2eda-dist.example', name: 'Nora North', roles: ['admin_agent'], passwordOf: w.provider.email });

  // The provider's Global admin asks.
  const pp = await newPage(browser, stack);
  await pp.goto('/signin');
  await signIn(pp, w.provider.email, F.REL_PASSWORD);
  await nav(pp, 'Delegated admin');
  await pp.getByRole('link', { name: 'Request delegated admin' }).first().click();
  await pp.getByLabel('Organization').selectOption({ label: 'Tailwind Traders — Customer' });
  await pp.getByLabel('Name', { exact: true }).fill('Helpdesk 2026');
  await pp.getByLabel('Duration in days').fill('30');
  await pp.getByLabel(/^User admin/).check();
  await pp.getByLabel('Message').fill('For the helpdesk contract.');
  await shot(pp, 'delegated-admin-1-request');
  await pp.getByRole('button', { name: 'Send request' }).click();
  await pp.getByText('The request has been sent').waitFor();

  // The customer's Global admin: the email, signed out, Sign in, Approve.
  const mail = await waitForMail(stack.mailDir, { to: cust.email, subject: 'delegated administration' });
  const cp = await newPage(browser, stack);
  await cp.goto(linkIn(mail, '/delegated-admin/respond'));
  assert.equal(cp.url(), `${stack.base}/delegated-admin/respond`, 'the token is gone from the address bar');
  await cp.getByText("Northwind Distribution asks Tailwind Traders for delegated administration named 'Helpdesk 2026': the roles User admin, for 30 days").waitFor();
  assert.ok(await cp.getByText('Add users, change their roles, reset their passwords and delete them').first().isVisible());
  await cp.getByRole('link', { name: 'Sign in' }).last().click();
  await signIn(cp, cust.email, F.REL_PASSWORD);
  await cp.waitForURL(`${stack.base}/delegated-admin/respond`);
  await shot(cp, 'delegated-admin-2-approve');
  await cp.getByRole('button', { name: 'Approve' }).click();
  await cp.getByText('Approved.').waitFor();

  // The provider's Admin agent opens the customer as partner and adds a user.
  const np = await newPage(browser, stack);
  await np.goto('/signin');
  await signIn(np, 'nora@e2eda-dist.example', F.REL_PASSWORD);
  await nav(np, 'Delegated admin');
  await np.getByRole('link', { name: 'Helpdesk 2026' }).click();
  await np.getByRole('button', { name: 'Open Tailwind Traders as partner' }).click();
  await np.waitForURL(`${stack.base}/settings/users`);
  await np.getByText('Acting as partner in Tailwind Traders').waitFor();
  assert.ok(await np.getByText('olivia@tailwind-da.example').isVisible());
  await np.getByRole('link', { name: 'Add user' }).first().click();
  await np.getByLabel('Name', { exact: true }).fill('Tom Tailwind');
  await np.getByLabel('Email', { exact: true }).fill('tom@tailwind-da.example');
  await np.getByLabel(/^User admin/).check();
  await np.getByRole('button', { name: 'Add user' }).click();
  await np.getByText('tom@tailwind-da.example').first().waitFor();
  await shot(np, 'delegated-admin-3-acting');

  // Both audit logs show it.
  await settings(cp, 'Audit log');
  await cp.getByRole('cell', { name: LABEL }).first().waitFor();
  await shot(cp, 'delegated-admin-4-customer-audit');
  await settings(pp, 'Audit log');
  await pp.getByRole('cell', { name: LABEL }).first().waitFor();

  // The customer terminates; Nora's next request there is refused.
  await nav(cp, 'Delegated admin');
  await cp.getByRole('link', { name: 'Helpdesk 2026' }).click();
  await cp.getByRole('link', { name: 'Terminate' }).click();
  await cp.getByLabel('Reason').fill('The contract ended.');
  await cp.getByRole('button', { name: 'Terminate' }).click();
  await cp.getByText('Terminated.').waitFor();
  const res = await np.goto('/settings/users');
  assert.equal(res.status(), 403);
  await np.getByText('Your delegated admin access to this organization has ended').waitFor();
  await shot(np, 'delegated-admin-5-refused');
  for (const p of [pp, cp, np]) assert.deepEqual(p.problems, []);
});
