// agreement.test.mjs (browser) — a Global admin of an approved indirect reseller that has not
// signed the partner agreement sees the amber banner, follows it, accepts, and sees the green
// banner. Both banner states are saved as screenshots in tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowserStack, stopBrowserStack, signIn, shot, SCREENSHOTS } from '../lib/browser.mjs';
import * as db from '../lib/db.mjs';
import { Client } from '../lib/http.mjs';
import { partnerAccount } from '../lib/fixtures.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

/** WCAG relative luminance contrast of two "rgb(r, g, b)" colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test('a Global admin of a reseller that has not signed accepts the agreement and sees the green banner', async () => {
  // The reseller: created with Create one, enrolled and approved (fixture), and a version published.
  const setup = new Client(stack.base);
  await setup.signup({ org: 'Wingtip Toys', domain: 'wingtip.example', email: 'lena@wingtip.example', name: 'Lena Global' });
  partnerAccount(stack, { domain: 'wingtip.example', type: 'indirect_reseller', status: 'approved' });
  const file = join(stack.data, 'mpa.txt');
  writeFileSync(file, 'Partner Agreement\n\n1. Definitions. "Partner" means the company that accepts this agreement.\n\n2. Obligations. The partner resells cloud services to customers in its region.\n\n3. Term. This agreement runs until either party ends it.\n');
  assert.equal(stack.ctl('mpa', 'publish', file, '--version', '2025-01').code, 0);

  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await ctx.newPage();
  try {
    await page.goto(`${stack.base}/`);
    await signIn(page, 'lena@wingtip.example', 'correct horse battery');
    await page.waitForURL(`${stack.base}/`);

    // Amber: action needed, with a link for the Global admin.
    const amber = page.locator('main .banner.warn[role="status"]');
    await amber.waitFor();
    assert.match(await amber.innerText(), /Accept the Partner Agreement \(MPA\)\s+Wingtip Toys must accept version 2025-01 before it can transact/);
    assert.equal(await page.locator('main .banner.ok').count(), 0);
    await shot(page, 'agreement-banner-amber');

    await amber.getByRole('link', { name: 'review and accept the agreement' }).click();
    await page.waitForURL(`${stack.base}/agreement`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Partner Agreement (MPA)');
    assert.match(await page.locator('.agreement-text').innerText(), /2\. Obligations\. The partner resells/);
    // Prefilled with the signed-in user; the rest is typed.
    assert.equal(await page.getByLabel('First name').inputValue(), 'Lena');
    assert.equal(await page.getByLabel('Last name').inputValue(), 'Global');
    await page.getByLabel('Phone').fill('+44 20 7946 0000');
    await page.getByLabel('Job title').fill('Chief Executive');
    // Forgetting the check box brings the form back with the message beside it.
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.locator('#f-accept-error').waitFor();
    assert.match(await page.locator('#f-accept-error').innerText(), /Tick this box to continue\./);
    assert.equal(await page.getByLabel('Job title').inputValue(), 'Chief Executive');
    await page.getByLabel(/I have read the Partner Agreement \(MPA\) above and accept it on behalf of Wingtip Toys\./).check();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${stack.base}/`);

    // Green: the version, the signer and the date.
    const green = page.locator('main .banner.ok[role="status"]');
    await green.waitFor();
    const row = db.one(stack, 'SELECT accepted_at, signer_title FROM agreement_acceptances');
    assert.equal(row.signer_title, 'Chief Executive');
    const d = new Date(row.accepted_at * 1000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;
    assert.equal((await green.innerText()).replace(/\s+/g, ' ').trim(),
      `Partner Agreement (MPA) accepted Lena Global accepted version 2025-01 on ${date} on behalf of Wingtip Toys.`);
    assert.equal(await page.locator('main .banner.warn').count(), 0);
    const { color, background } = await green.evaluate((el) => {
      const s = getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor };
    });
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.ok(g > r && g > b, `the banner is green: ${background}`);
    assert.ok(contrast(color, background) >= 4.5, `contrast ${contrast(color, background).toFixed(2)}`);
    await shot(page, 'agreement-banner-green');

    for (const f of ['agreement-banner-amber.png', 'agreement-banner-green.png'])
      assert.ok(statSync(join(SCREENSHOTS, f)).size > 5000, `${f} written`);
  } finally {
    await ctx.close();
  }
});
