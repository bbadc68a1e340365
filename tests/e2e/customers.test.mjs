// customers.test.mjs (browser) — the reseller presses Invite new customers for its indirect
// provider on Indirect providers; the customer's Global admin follows the emailed link signed
// out, creates its organization with Create one, ticks the box and accepts; the provider opens
// the customer from Customers and places an order on the reseller's behalf; the provider, the
// reseller and the customer all see the subscription. Screenshots go to tests/e2e/screenshots/
// (customers-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, newPage, shot, signIn, fillNewOrganization, confirmNewOrganization } from '../lib/browser.mjs';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

test('the reseller invites a new customer, the customer creates its organization and accepts, the provider orders, everyone sees the subscription', async () => {
  const w = await C.custPair(stack, { prefix: 'e2e', country: 'DE', resellerCountry: 'FR',
    providerOrg: 'Northwind Distribution', resellerOrg: 'Adatum Systems' });
  X.testOffers(stack);
  X.offerPrice(stack, 'T-STD', 'EUR', 1170);	// issue 15: the customer (Austria) sees EUR
  X.publishAgreement(stack, '2025-01');
  F.relAcceptAgreement(stack, w.provider);
  F.relAcceptAgreement(stack, w.reseller);

  // The reseller: Indirect providers → Invite new customers.
  const rp = await newPage(browser, stack);
  await rp.goto('/signin');
  await signIn(rp, w.reseller.email, F.REL_PASSWORD);
  await nav(rp, 'Indirect providers');
  const row = rp.getByRole('row', { name: /Northwind Distribution/ });
  assert.match(await row.innerText(), /View customers · Invite new customers/);
  await row.getByRole('link', { name: 'Invite new customers with Northwind Distribution' }).click();
  await rp.getByLabel("Customer's email").fill('olivia@tailwind.example');
  await rp.getByLabel('Message').fill('Hello Olivia,\nhere is the invitation we talked about.');
  assert.ok(await rp.getByLabel(/Include delegated administration/).isChecked());
  await shot(rp, 'customers-1-invite');
  await rp.getByRole('button', { name: 'Send invitation' }).click();
  await rp.getByText('The customer invitation has been sent.').waitFor();
  const shown = await rp.getByLabel('Link', { exact: true }).inputValue();
  assert.ok(await rp.getByRole('button', { name: 'Copy link' }).isVisible());
  await shot(rp, 'customers-2-invitation-sent');
  const mail = await waitForMail(stack.mailDir, { to: 'olivia@tailwind.example' });
  assert.equal(linkIn(mail, '/customer-invite'), shown, 'the page shows the emailed link');

  // The customer, signed out: the landing page names both partners; Create one.
  const cp = await newPage(browser, stack);
  await cp.goto(shown);
  assert.equal(cp.url(), `${stack.base}/customer-invite`, 'the token is gone from the address bar');
  await cp.getByText('Adatum Systems invites your organization to become its customer, together with its indirect provider Northwind Distribution').waitFor();
  assert.ok(await cp.getByRole('heading', { name: 'Adatum Systems — indirect reseller' }).isVisible());
  assert.ok(await cp.getByRole('heading', { name: 'Northwind Distribution — indirect provider' }).isVisible());
  await shot(cp, 'customers-3-landing-signed-out');
  await cp.getByRole('link', { name: 'Create one' }).click();
  await cp.waitForURL(`${stack.base}/customer-invite/new`);
  await fillNewOrganization(cp, { org: 'Tailwind Traders', domain: 'tailwind.example', country: 'AT', name: 'Olivia Owner',
    email: 'olivia@tailwind.example', password: F.REL_PASSWORD });
  // Creating the organization accepts the invitation in the same step (issue 12, item 6).
  await cp.getByLabel(/On behalf of the new organization, I accept reseller relationships with Adatum Systems and with its indirect provider Northwind Distribution/).check();
  await shot(cp, 'customers-4-create-organization');
  await cp.getByRole('button', { name: 'Create organization and accept' }).click();
  await confirmNewOrganization(cp, stack, 'olivia@tailwind.example');
  await cp.waitForURL(/\/customers\?m=customer-accepted$/);
  const partners = cp.getByRole('table', { name: 'Partners' });
  assert.match(await partners.getByRole('row', { name: /Adatum Systems/ }).innerText(), /Adatum Systems\s+Indirect reseller/);
  assert.match(await partners.getByRole('row', { name: /Northwind Distribution/ }).innerText(), /Northwind Distribution\s+Indirect provider/);
  assert.equal(X.tenant(stack, 'tailwind.example').kind, 'customer');

  // The provider: Customers → the customer → Place order.
  const pp = await newPage(browser, stack);
  await pp.goto('/signin');
  await signIn(pp, w.provider.email, F.REL_PASSWORD);
  await nav(pp, 'Customers');
  await pp.getByRole('link', { name: 'Tailwind Traders' }).click();
  await pp.getByRole('link', { name: 'Place order for Tailwind Traders on behalf of Adatum Systems' }).click();
  assert.equal(await pp.getByLabel('Reseller', { exact: true }).inputValue(), String(w.reseller.accountId));
  await pp.getByLabel("Reseller's MPN ID").selectOption(w.reseller.mpn);
  await pp.getByLabel('Offer', { exact: true }).selectOption('T-STD');
  await pp.getByLabel('Quantity').fill('40');
  await shot(pp, 'customers-6-order');
  // issue 15: a review step (quantity x price, the total in the customer's currency) before the order is placed.
  await pp.getByRole('button', { name: 'Review order' }).click();
  await pp.getByRole('heading', { name: 'Review the order' }).waitFor();
  const review = pp.getByRole('table', { name: 'Order' });
  assert.match(await review.innerText(), /Test Standard T-STD\s+40 user\/month\s+11\.70 EUR per user\/month\s+468\.00 EUR[\s\S]*Total\s+468\.00 EUR/);
  await shot(pp, 'order-review');
  await pp.getByRole('button', { name: 'Place order' }).click();
  await pp.waitForURL(/\/customers\/\d+\?m=order-placed$/);
  await pp.getByText('The order has been placed.').waitFor();
  const subRow = pp.getByRole('table', { name: 'Subscriptions placed through you' }).getByRole('row', { name: /Test Standard/ });
  assert.match(await subRow.innerText(), new RegExp(`Test Standard T-STD\\s+40 user/month\\s+Adatum Systems\\s+${w.reseller.mpn}\\s+Northwind Distribution`));
  await shot(pp, 'customers-7-provider-customer');

  // The reseller sees it on the customer's page, and the customer on its own.
  await nav(rp, 'Customers');
  await rp.getByRole('link', { name: 'Tailwind Traders' }).click();
  assert.match(await rp.getByRole('table', { name: 'Subscriptions placed through you' }).innerText(), /Test Standard T-STD\s+40 user\/month\s+Adatum Systems/);
  await shot(rp, 'customers-8-reseller-customer');
  await cp.reload();
  assert.match(await cp.getByRole('table', { name: 'Subscriptions' }).innerText(), /Test Standard T-STD\s+40 user\/month\s+Adatum Systems\s+Northwind Distribution/);
  await shot(cp, 'customers-9-customer-partners');
  // A narrow screen.
  await cp.setViewportSize({ width: 375, height: 800 });
  await shot(cp, 'customers-10-customer-partners-375');

  for (const p of [rp, cp, pp]) assert.deepEqual(p.problems, [], 'no console errors, failed resources or CSP violations');
  for (const p of [rp, cp, pp]) await p.context().close();
});
