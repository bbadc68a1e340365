// operator.test.mjs (browser) — the program owner's console as an operator uses it (issue 19):
// added with portalctl, the password chosen through the emailed link, the first sign-in at
// /operator/signin sets up TOTP (the console requires it), then a sign-in with a code; in the
// queue the operator rejects one enrollment with a reason and approves another, and each
// partner's Global admin sees the result on their enrollment page. Debian's chromium via
// playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client } from '../lib/http.mjs';
import { setPassword, newestMail, PASSWORD } from '../lib/users.mjs';
import { startBrowserStack, stopBrowserStack, newPage, signIn, shot } from '../lib/browser.mjs';
import { nextCode } from '../lib/totp.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const OPERATOR = 'olga@program.example';

/** A partner organization whose reseller enrollment waits in review (contact verified). */
async function inReview(key, org) {
  const domain = `${key}.console-e2e.example`;
  await new Client(stack.base).signup({ org, domain, email: `ga@${domain}`, name: `Gale ${key}` });
  const tenant = F.tenantId(stack, domain);
  const account = F.partnerAccount(stack, { tenant, type: 'indirect_reseller', status: 'in_review', decidedAt: null });
  db.exec(stack, 'UPDATE partner_accounts SET submitted_at = ?, enrolled_by = ? WHERE id = ?', F.now() - 86400, F.userId(stack, `ga@${domain}`), account);
  F.legalProfile(stack, tenant, { legal_name: `${org} Legal`, address1: 'Street 1', city: 'Berlin', postal_code: '10115',
    contact_first: 'Cora', contact_last: key, contact_email: `contact@${domain}`, contact_phone: '+49 30 555 0100',
    contact_verified_at: F.now() - 3600 });
  return { domain, account, ga: `ga@${domain}`, contact: `contact@${domain}` };
}

test('an operator signs in with TOTP, rejects one enrollment with a reason and approves another; the partners see it', async () => {
  const north = await inReview('north', 'Northwind Traders');
  const fab = await inReview('fab', 'Fabrikam Resale');
  const add = stack.ctl('operator', 'add', OPERATOR, '--role', 'reviewer', '--name', 'Olga Operator');
  assert.equal(add.code, 0, add.stderr);
  assert.equal((await setPassword(stack, OPERATOR)).res.status, 303, 'the password chosen through the emailed link');

  const page = await newPage(browser, stack);
  // First sign-in: the console sends the operator to set up the second factor first.
  await page.goto('/operator');
  await page.waitForURL(/\/operator\/signin\?next=/);
  await signIn(page, OPERATOR, PASSWORD);
  await page.waitForURL(/\/account\/mfa$/);
  await page.getByRole('button', { name: 'Set up multi-factor sign-in' }).click();
  await page.waitForURL(/\/account\/mfa$/);
  const key = await page.getByLabel('Key').inputValue();
  await page.getByLabel('Enter the 6-digit code').fill(await nextCode(key));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.waitForSelector('#recovery-codes');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Signing in again: password, then the code.
  await page.goto('/operator/signin');
  await signIn(page, OPERATOR, PASSWORD);
  await page.waitForURL(/\/signin\/code/);
  await page.getByLabel('Code').fill(await nextCode(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/operator$/);
  assert.match(await page.locator('main').innerText(), /Program console/);
  await shot(page, 'operator-01-console');

  // The queue: reject Northwind with a reason.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Enrollments' }).click();
  await page.getByRole('link', { name: 'Northwind Traders' }).click();
  await page.getByRole('button', { name: 'Reject' }).click();
  await page.waitForSelector('.field.has-error');	// no reason: the form again, nothing written
  assert.equal(db.value(stack, 'SELECT status FROM partner_accounts WHERE id = ?', north.account), 'in_review');
  await page.getByLabel(/^Reason/).fill('The company registry lists another legal name.');
  await page.getByRole('button', { name: 'Reject' }).click();
  await page.waitForURL(/\?m=enrollment-rejected$/);
  assert.match(await page.locator('#enrollment-status').innerText(), /not approved|rejected/i);
  await shot(page, 'operator-02-rejected');

  // ... and approve Fabrikam.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Enrollments' }).click();
  await page.getByRole('link', { name: 'Fabrikam Resale' }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/\?m=enrollment-approved$/);
  assert.deepEqual(page.problems, []);

  // The partners see the results: by email, and on their enrollment page.
  assert.match((await newestMail(stack, north.contact)).body, /The company registry lists another legal name\./);
  const p1 = await newPage(browser, stack);
  await p1.goto('/signin');
  await signIn(p1, north.ga, PASSWORD);
  await p1.waitForURL(`${stack.base}/`);
  await p1.goto('/enroll');
  const rejected = await p1.locator('main').innerText();
  assert.match(rejected, /Your enrollment was not approved/);
  assert.match(rejected, /Reason: The company registry lists another legal name\./);
  const p2 = await newPage(browser, stack);
  await p2.goto('/signin');
  await signIn(p2, fab.ga, PASSWORD);
  await p2.waitForURL(`${stack.base}/`);
  await p2.goto('/enroll');
  assert.match(await p2.locator('main').innerText(), /You are an indirect reseller/);
  await shot(p2, 'operator-03-partner-approved');
});
