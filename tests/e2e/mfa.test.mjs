// mfa.test.mjs (browser) — multi-factor sign-in as a person does it: Create one, set up TOTP
// from Your account (the key read off the page, the code computed as an authenticator app
// would: tests/lib/totp.mjs), sign out and in with a code, then with a recovery code once;
// the same recovery code a second time is refused. Debian's chromium via playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMail } from '../lib/mail.mjs';
import { startBrowserStack, stopBrowserStack, newPage, signIn, fillNewOrganization, confirmNewOrganization, shot } from '../lib/browser.mjs';
import { nextCode } from '../lib/totp.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const EMAIL = 'mia@mfa-browser.example';
const PASSWORD = 'correct horse battery';

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin\?m=signed-out$/);
}

async function passwordStep(page) {
  await page.goto('/signin');
  await signIn(page, EMAIL, PASSWORD);
  await page.waitForURL(/\/signin\/code\?next=/);
}

test('sign up, set up TOTP from the page, sign in with a code, then with a recovery code once', async () => {
  const page = await newPage(browser, stack);
  await page.goto('/signup');
  await fillNewOrganization(page, { org: 'Mia Browser GmbH', domain: 'mfa-browser.example', country: 'DE', name: 'Mia Admin',
    email: EMAIL, password: PASSWORD });
  await page.getByRole('button', { name: 'Create one' }).click();
  await confirmNewOrganization(page, stack, EMAIL);
  await page.waitForURL(/\/\?m=welcome$/);

  // Your account → Multi-factor sign-in → Set up.
  await page.goto('/account');
  await page.getByRole('link', { name: 'Multi-factor sign-in settings' }).click();
  await page.getByRole('button', { name: 'Set up multi-factor sign-in' }).click();
  await page.waitForURL(/\/account\/mfa$/);
  const key = await page.getByLabel('Key').inputValue();
  assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  // The QR code is an image from this origin that the browser really shows (CSP: no data:).
  const qr = page.locator('img.qr');
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loaded');
  assert.equal(await page.getByRole('button', { name: 'Copy key' }).isVisible(), true, 'copy.js revealed the button');
  await shot(page, 'mfa-01-setup');
  await page.getByLabel('Enter the 6-digit code').fill(await nextCode(key));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.waitForSelector('#recovery-codes');
  const codes = await page.locator('#recovery-codes li').allInnerTexts();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c.trim(), /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);
  await page.getByRole('link', { name: 'I have saved them' }).click();
  assert.match(await page.locator('main').innerText(), /Multi-factor sign-in is on/);

  // Out, and in again: password, then the code.
  await signOut(page);
  await passwordStep(page);
  assert.equal((await page.context().cookies()).some((c) => /sid$/.test(c.name)), false, 'no session before the code');
  await page.getByLabel('Code').fill(await nextCode(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.base}/`);
  assert.match(await page.locator('header .who').innerText(), /Mia Admin/);

  // Out, and in with a recovery code: it works once, and the user is told by email.
  await signOut(page);
  await passwordStep(page);
  await page.getByLabel('Code').fill(codes[0].trim());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${stack.base}/`);
  await waitForMail(stack.mailDir, { to: EMAIL, subject: 'recovery code' });
  await signOut(page);
  await passwordStep(page);
  await page.getByLabel('Code').fill(codes[0].trim());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.field.has-error');
  assert.match(await page.locator('main').innerText(), /That code is not right/);
  assert.match(page.url(), /\/signin\/code$/);
  await shot(page, 'mfa-02-recovery-code-used');
  assert.deepEqual(page.problems, []);
});
