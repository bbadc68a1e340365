// overview.test.mjs (browser) — issue 15, item 11: the signed-in Overview shows the counts and
// the pending items a provider's Global admin may see, each a link a click follows; a search
// on Indirect resellers and the reseller's page from its name. Screenshot:
// tests/e2e/screenshots/overview-counts.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, shot } from '../lib/browser.mjs';
import { axeProblems, contextOf } from '../lib/axe.mjs';
import * as X from '../lib/fixtures.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import { custPair, custOrg, custRelate } from '../lib/fixtures-customers.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

test('the Overview counts and pending items lead to their pages; search and drill-down on resellers', async () => {
  const w = await custPair(stack, { prefix: 'ovw', providerOrg: 'Northwind Distribution', resellerOrg: 'Contoso Reselling' });
  X.publishAgreement(stack, 'ovw-1', { ifNone: true });
  R.relAcceptAgreement(stack, w.provider);
  const more = X.bulkPartners(stack, { prefix: 'ovw-more-', names: ['Fabrikam Partners', 'Litware Resale'], mpn: true });
  more.forEach((a) => X.relate(stack, w.provider.accountId, a));
  await R.relInvite(stack, w.provider, 'partners@adatum.example');
  const cust = await custOrg(stack, { domain: 'ovw-cust.example', org: 'Tailspin Toys' });
  await custRelate(stack, w, cust);

  const page = await (await contextOf(browser, stack, w.provider.client)).newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  const counts = page.locator('ul.counts li');
  assert.deepEqual(await counts.allInnerTexts(), ['1 customer', '3 indirect resellers', '1 user']);
  const pending = await page.locator('ul.pending li').allInnerTexts();
  assert.deepEqual(pending, ['1 invitation to a reseller is not answered yet. See open invitations',
    '3 of your resellers have not accepted the current partner agreement. See your resellers']);
  assert.deepEqual(await axeProblems(page), []);
  await shot(page, 'overview-counts');

  // A count is a link to its list; search it, then open one reseller.
  await page.getByRole('link', { name: '3 indirect resellers' }).click();
  await page.waitForURL(/\/resellers$/);
  await page.getByLabel('Search resellers').fill('fabrikam');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/q=fabrikam/);
  const names = await page.locator('table[aria-labelledby="resellers-head"] tbody td[data-label="Name"]').allInnerTexts();
  assert.deepEqual(names, ['Fabrikam Partners']);
  await page.getByRole('link', { name: 'Fabrikam Partners' }).click();
  await page.waitForURL(/\/resellers\/\d+$/);
  assert.equal(await page.locator('h1').innerText(), 'Fabrikam Partners');
  assert.deepEqual(await axeProblems(page), []);
  // The pending item leads to the open invitations.
  await page.goto('/');
  await page.getByRole('link', { name: 'See open invitations' }).click();
  await page.waitForURL(/istate=open/);
  assert.match(await page.locator('table[aria-labelledby="invitations-head"]').innerText(), /partners@adatum\.example/);
  // At 375 px nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
});
