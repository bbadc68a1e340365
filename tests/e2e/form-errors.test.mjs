// form-errors.test.mjs (browser) — a failed submit as a keyboard and screen-reader user meets it
// (issue 15, item 8): each message a sentence that names its field ("Enter your email
// address.", not "Enter Your email."), the summary without the label in front of such a
// message, focus moved to the summary, and a field's help still announced beside its error
// (aria-describedby names both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, newPage } from '../lib/browser.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

test('Create one, submitted empty: sentences, focus on the summary, help kept with the error', async () => {
  const page = await newPage(browser, stack);
  await page.goto('/signup');
  await page.getByLabel('Primary domain').fill('not a domain');
  await page.getByRole('button', { name: 'Create one' }).click();
  await page.waitForLoadState();

  const summary = page.getByRole('alert');
  const lines = await summary.locator('li').allInnerTexts();
  assert.ok(lines.includes('Enter your email address.'), lines.join('\n'));
  assert.ok(lines.includes('Enter the organization name.'), lines.join('\n'));
  assert.ok(lines.includes('Choose the country or region.'), lines.join('\n'));
  assert.ok(!lines.some((l) => /^[^:]+: Enter (the|your) /.test(l)), `no label before a sentence that names it: ${lines.join('\n')}`);
  // a validator's message keeps its field's name in front in the summary
  assert.ok(lines.some((l) => /^Primary domain: Enter a domain name like contoso\.com/.test(l)), lines.join('\n'));
  assert.equal((await page.locator('#f-email-error').innerText()).replace(/\s+/g, ' '), 'Error: Enter your email address.');

  // Focus is on the summary, so the next Tab goes to its first link.
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('summary')), true);

  // The domain field's help and its error are both its description.
  const described = await page.locator('#f-domain').getAttribute('aria-describedby');
  assert.deepEqual(described.split(' ').sort(), ['f-domain-error', 'f-domain-help']);
  assert.match(await page.locator('#f-domain-help').innerText(), /The domain your organization uses/);
  assert.deepEqual(page.problems, []);
});
