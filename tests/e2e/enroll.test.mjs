// enroll.test.mjs (browser) — a new company enrolls end to end in Chromium: Welcome, Next,
// Create one, link its MPN ID, the legal business profile, Enroll now; the primary contact
// verifies from the email; the operator approves with portalctl; the overview shows the
// three steps with their states. Screenshots land in tests/e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../lib/stack.mjs';
import { launch, shot, signIn, fillNewOrganization, confirmNewOrganization } from '../lib/browser.mjs';
import * as db from '../lib/db.mjs';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import { PMC_CSV, importCsv } from '../lib/enroll.mjs';

test('a new company enrolls end to end, and the overview shows the three steps', async () => {
  const stack = await startStack();
  const browser = await launch();
  try {
    assert.equal(importCsv(stack, PMC_CSV).code, 0);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const step = (name) => shot(page, `enroll-${name}`);

    // 1. Welcome
    await page.goto(`${stack.base}/enroll`);
    assert.equal(await page.locator('ol.steps li[aria-current="step"]').textContent(), 'Welcome');
    await step('1-welcome');
    await page.getByRole('button', { name: 'Next' }).click();

    // 2. Work account: Create one
    await page.getByRole('link', { name: 'Create one' }).click();
    await fillNewOrganization(page, { org: 'Woodgrove Bank', domain: 'woodgrove.example', country: 'DE', name: 'Ana Admin',
      email: 'ana@woodgrove.example', password: 'correct horse battery' });
    await page.getByRole('button', { name: 'Create one' }).click();
    await confirmNewOrganization(page, stack, 'ana@woodgrove.example');

    // 3. Link your MPN ID
    await page.waitForURL('**/enroll/mpn');
    assert.equal(await page.locator('ol.steps li[aria-current="step"]').textContent(), 'Link your MPN ID');
    await page.getByLabel('PMC user name').fill('pmc@woodgrove.example');
    await step('2-mpn-user');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('PMC password').fill('Woodgrove-PMC-2025');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/enroll/mpn/profiles');
    // The wrong country first: refused with the reason, the choice kept.
    await page.getByLabel(/6100002/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This company profile is in United States, but your work account is in Germany', { exact: false }).first().waitFor();
    await step('3-mpn-refused');
    await page.getByLabel(/6100001/).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // 4. Legal business profile
    await page.waitForURL('**/enroll/profile?m=mpn-linked');
    assert.equal(await page.locator('ol.steps li[aria-current="step"]').textContent(), 'Legal business profile');
    await page.getByLabel('Legal business name').fill('Woodgrove Bank GmbH');
    await page.getByLabel('Address line 1').fill('Bankplatz 1');
    await page.getByLabel('City').fill('Frankfurt am Main');
    await page.getByLabel('Postal code').fill('60311');
    await page.getByLabel('First name').fill('Carla');
    await page.getByLabel('Last name').fill('Contact');
    await page.getByLabel('Contact email').fill('carla@gmail.com');
    await page.getByLabel('Contact phone').fill('+49 69 555 0100');
    await page.getByLabel('Support email').fill('support@woodgrove.example');
    await page.getByLabel('Support phone').fill('+49 69 555 0199');
    await page.getByLabel('Support website').fill('https://support.woodgrove.example');
    await page.getByRole('button', { name: 'Enroll now' }).click();
    // Web-mail refused beside the field; everything else kept.
    await page.locator('#f-contact_email-error').waitFor();
    assert.match(await page.locator('#f-contact_email-error').textContent(), /gmail\.com is on the list of web-mail services/);
    assert.equal(await page.getByLabel('Legal business name').inputValue(), 'Woodgrove Bank GmbH');
    await step('4-profile-error');
    await page.getByLabel('Contact email').fill('carla@woodgrove.example');
    await page.getByRole('button', { name: 'Enroll now' }).click();
    await page.waitForURL('**/enroll?m=enroll-submitted');
    await page.getByText('Pending verification').first().waitFor();
    await step('5-submitted');

    // 5. The primary contact verifies from the email, in another browser.
    const mail = await waitForMail(stack.mailDir, { to: 'carla@woodgrove.example', subject: 'Verify your email address' });
    const contact = await browser.newContext();
    const cp = await contact.newPage();
    await cp.goto(linkIn(mail, '/verify?t='));
    assert.equal(new URL(cp.url()).search, '', 'the token is not left in the address bar');
    await cp.getByLabel('I signed up for this account').check();
    await cp.getByLabel('This email address belongs to the company').check();
    await shot(cp, 'enroll-6-verify');
    await cp.getByRole('button', { name: 'Verify' }).click();
    await cp.getByText('your email address is verified').waitFor();
    await contact.close();
    assert.equal(db.one(stack, 'SELECT status FROM partner_accounts').status, 'in_review');

    // 6. The operator approves.
    const id = db.one(stack, 'SELECT id FROM partner_accounts').id;
    const ctl = stack.ctl('approve', String(id));
    assert.equal(ctl.code, 0, ctl.stderr);

    // 7. Signed in again (the role change ended the session), the overview.
    await page.goto(`${stack.base}/`);
    if (await page.getByRole('button', { name: 'Sign in' }).count()) {
      await signIn(page, 'ana@woodgrove.example', 'correct horse battery');
    }
    await page.getByRole('heading', { name: 'Get ready to transact' }).waitFor();
    const rows = page.locator('ul.checklist > li');
    assert.equal(await rows.count(), 3);
    const state = async (i) => [await rows.nth(i).locator('h3').textContent(), await rows.nth(i).locator('.tag').textContent()];
    assert.deepEqual(await state(0), ['Account created', 'Done']);
    assert.deepEqual(await state(1), ['Enrolled as indirect reseller', 'Done']);
    assert.deepEqual(await state(2), ['Partner agreement accepted', 'Not accepted']);
    assert.match(await rows.nth(2).textContent(), /not yet available/);
    assert.match(await page.locator('header .roles').textContent(), /Global admin, Admin agent/);
    await step('7-overview');

    // The organization profile shows what was entered.
    await page.getByRole('link', { name: 'Organization profile' }).click();
    await page.getByRole('heading', { name: 'Legal info' }).waitFor();
    assert.match(await page.locator('#legal').textContent(), /Woodgrove Bank GmbH/);
    assert.match(await page.locator('#identifiers').textContent(), /6100001/);
    await step('8-profile');
    // Narrow screens: the same page at 375 px.
    await page.setViewportSize({ width: 375, height: 800 });
    await step('9-profile-375');
  } finally {
    await browser.close();
    await stack.stop();
  }
});
