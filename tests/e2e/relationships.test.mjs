// relationships.test.mjs (browser) — a provider invites a reseller from Indirect resellers and
// copies the link; the reseller, signed out at first, follows the emailed link, signs in,
// comes back, ticks the box and presses `Authorize indirect provider`; both pages then show
// the other side. Screenshots go to tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import { startBrowserStack, stopBrowserStack, signIn, shot } from '../lib/browser.mjs';
import * as F from '../lib/fixtures-relationships.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

test('a provider invites, the reseller (signed out at first) authorizes, both pages show the other side', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'northwind-dist.example', org: 'Northwind Distribution', country: 'NL', supportEmail: 'partners@northwind-dist.example' });
  const r = await F.relPartner(stack, { domain: 'tailspin.example', org: 'Tailspin Toys Resale', country: 'BE' });

  // The provider.
  const pctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await pctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.base });
  const pp = await pctx.newPage();
  await pp.goto(`${stack.base}/signin`);
  await signIn(pp, p.email, F.REL_PASSWORD);
  await pp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Indirect resellers' }).click();
  await pp.getByRole('link', { name: 'Invite reseller' }).first().click();
  assert.equal(new URL(pp.url()).pathname, '/resellers/invite');
  await pp.getByLabel("Reseller's email").fill('partners@tailspin.example');
  await pp.getByLabel('Message').fill('Hello Tailspin,\nas discussed on the phone: here is our invitation.');
  await pp.getByRole('button', { name: 'Send invitation' }).click();
  await pp.getByText('The invitation has been sent.').waitFor();
  const copy = pp.getByRole('button', { name: 'Copy link' });
  assert.ok(await copy.isVisible(), 'the script reveals the Copy link button');
  const shown = await pp.getByLabel('Link', { exact: true }).inputValue();
  await copy.click();
  await pp.getByText('Link copied.').waitFor();
  assert.equal(await pp.evaluate(() => navigator.clipboard.readText()), shown);
  await shot(pp, 'relationships-1-invitation-sent');

  const mail = await waitForMail(stack.mailDir, { to: 'partners@tailspin.example' });
  const link = linkIn(mail, '/authorize');
  assert.equal(link, shown, 'the page shows the emailed link');

  // The reseller, signed out.
  const rctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const rp = await rctx.newPage();
  await rp.goto(link);
  assert.equal(rp.url(), `${stack.base}/authorize`, 'the token is gone from the address bar');
  await rp.getByText('Northwind Distribution invites your organization').waitFor();
  assert.ok(await rp.getByText('may submit orders and add subscriptions for your customers').isVisible());
  assert.ok(await rp.getByText(`${p.mpn}`, { exact: true }).isVisible());
  await shot(rp, 'relationships-2-authorize-signed-out');
  await rp.getByRole('link', { name: 'Sign in' }).last().click();
  await signIn(rp, r.email, F.REL_PASSWORD);
  await rp.waitForURL(`${stack.base}/authorize`);
  const box = rp.getByLabel(/I authorize Northwind Distribution to be our indirect provider/);
  await box.check();
  await shot(rp, 'relationships-3-authorize-signed-in');
  await rp.getByRole('button', { name: 'Authorize indirect provider' }).click();
  await rp.waitForURL(/\/providers\?m=provider-authorized$/);
  await rp.getByText('You have authorized the indirect provider.').waitFor();
  const prow = rp.getByRole('row', { name: /Northwind Distribution/ });
  assert.match(await prow.innerText(), new RegExp(`Northwind Distribution\\s+${p.mpn}\\s+Netherlands\\s+\\d\\d \\w{3} \\d{4}\\s+Active until \\d\\d \\w{3} \\d{4}`));
  await shot(rp, 'relationships-4-reseller-providers');

  // The provider sees the reseller.
  await pp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Indirect resellers' }).click();
  const rrow = pp.getByRole('table', { name: 'Resellers' }).getByRole('row', { name: /Tailspin Toys Resale/ });
  assert.match(await rrow.innerText(), new RegExp(`Tailspin Toys Resale\\s+${r.mpn}\\s+Belgium\\s+\\d\\d \\w{3} \\d{4}\\s+Not published\\s+Active until \\d\\d \\w{3} \\d{4}`));
  assert.match(await pp.getByRole('row', { name: /partners@tailspin\.example/ }).innerText(), /Accepted by Tailspin Toys Resale/);
  await shot(pp, 'relationships-5-provider-resellers');

  // A narrow screen: the navigation folds above the content, the tables scroll.
  await pp.setViewportSize({ width: 375, height: 800 });
  await shot(pp, 'relationships-6-provider-resellers-375');
  await pctx.close();
  await rctx.close();
});

test('without JavaScript the link can still be selected and copied by hand', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'nojs-p.example' });
  const inv = await F.relInvite(stack, p, 'someone@nojs.example');
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${stack.base}/signin`);
  await signIn(page, p.email, F.REL_PASSWORD);
  await page.goto(`${stack.base}/resellers/invitations/${inv.id}`);
  assert.equal(await page.getByRole('button', { name: 'Copy link' }).count(), 0, 'no dead button');
  const field = page.getByLabel('Link', { exact: true });
  assert.equal(await field.inputValue(), inv.link);
  assert.equal(await field.getAttribute('readonly'), '');
  await ctx.close();
});
