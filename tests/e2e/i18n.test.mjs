// i18n.test.mjs (browser) — issue 18: enrollment and the provider invitation in Polish. The
// browser sends `Accept-Language: pl`; every control is found by its Polish name, and the
// emails of the flows (Create one's confirmation, the primary contact's verification, the
// approval, the provider's invitation) are read in Polish. Screenshots: tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, shot } from '../lib/browser.mjs';
import * as db from '../lib/db.mjs';
import { waitForMail, linkIn } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

const PW = 'correct horse battery';
const polish = (width = 1280) => browser.newContext({ viewport: { width, height: 900 }, extraHTTPHeaders: { 'Accept-Language': 'pl' } });

async function signInPl(page, email, password) {
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Hasło', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
}

test('a Polish company enrolls in Polish, and its primary contact verifies in Polish', async () => {
  const ctx = await polish();
  const page = await ctx.newPage();
  const step = (name) => shot(page, `i18n-enroll-${name}`);
  const current = () => page.locator('ol.steps li[aria-current="step"]').textContent();

  await page.goto(`${stack.base}/enroll`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'pl');
  assert.equal(await current(), 'Witamy');
  await page.getByRole('heading', { name: 'Zarejestruj się jako odsprzedawca pośredni' }).waitFor();
  await step('1-welcome');
  await page.getByRole('button', { name: 'Dalej' }).click();

  // Work account: Utwórz je (Create one), in Polish, and its Polish email
  await page.getByRole('main').getByRole('link', { name: 'Utwórz je' }).click();
  await page.getByLabel('Nazwa organizacji').fill('Fabrikam Polska');
  await page.getByLabel('Domena podstawowa').fill('fabrikam-pl.example');
  await page.getByLabel('Kraj lub region').selectOption('PL');
  await page.getByLabel('Imię i nazwisko').fill('Zofia Kowalska');
  await page.getByLabel('Twój e-mail').fill('zofia@fabrikam-pl.example');
  await page.getByLabel('Hasło', { exact: true }).fill(PW);
  await page.getByLabel('Potwierdź hasło').fill(PW);
  await page.getByRole('button', { name: 'Utwórz je' }).click();
  await page.getByRole('heading', { name: 'Sprawdź pocztę e-mail' }).waitFor();
  const confirm = await waitForMail(stack.mailDir, { to: 'zofia@fabrikam-pl.example' });
  assert.equal(confirm.subject, 'Potwierdź adres, aby utworzyć Fabrikam Polska w Partner Center');
  assert.equal(confirm.headers['content-language'], 'pl');
  assert.match(confirm.body, /^Dzień dobry Zofia Kowalska,$/m);
  await page.goto(linkIn(confirm, '/signup/confirm'));
  await page.getByRole('button', { name: 'Utwórz konto służbowe' }).click();

  // Link your MPN ID: skipped
  await page.waitForURL('**/enroll/mpn');
  assert.equal(await current(), 'Połącz identyfikator MPN');
  await page.getByRole('button', { name: 'Pomiń teraz i połącz później' }).click();

  // The legal business profile, a web-mail contact refused in Polish first
  await page.waitForURL('**/enroll/profile');
  assert.equal(await current(), 'Profil biznesowy');
  await page.getByLabel('Służbowa nazwa firmy').fill('Fabrikam Polska Sp. z o.o.');
  await page.getByLabel('Adres, wiersz 1').fill('ul. Marszałkowska 1');
  await page.getByLabel('Miejscowość').fill('Warszawa');
  await page.getByLabel('Kod pocztowy').fill('00-001');
  await page.getByLabel('Imię', { exact: true }).fill('Karol');
  await page.getByLabel('Nazwisko', { exact: true }).fill('Kontakt');
  await page.getByLabel('E-mail kontaktu').fill('karol@gmail.com');
  await page.getByLabel('Telefon kontaktu').fill('+48 22 555 0100');
  await page.getByLabel('E-mail pomocy technicznej').fill('pomoc@fabrikam-pl.example');
  await page.getByLabel('Telefon pomocy technicznej').fill('+48 22 555 0199');
  await page.getByLabel('Witryna pomocy technicznej').fill('https://pomoc.fabrikam-pl.example');
  await page.getByRole('button', { name: 'Zarejestruj się teraz' }).click();
  await page.locator('#f-contact_email-error').waitFor();
  assert.match(await page.locator('#f-contact_email-error').textContent(),
    /Kontakt podstawowy nie może używać adresu poczty internetowej: gmail\.com jest na liście usług poczty internetowej/);
  await page.getByRole('heading', { name: 'Sprawdź formularz' }).waitFor();
  await step('2-profile-error');
  await page.getByLabel('E-mail kontaktu').fill('karol@fabrikam-pl.example');
  await page.getByRole('button', { name: 'Zarejestruj się teraz' }).click();
  await page.waitForURL('**/enroll?m=enroll-submitted');
  await page.getByText('Rejestracja została przesłana.').waitFor();
  await page.getByText('Oczekuje na weryfikację').first().waitFor();
  await step('3-submitted');

  // The primary contact's Polish email, and the verification in a Polish browser
  const verify = await waitForMail(stack.mailDir, { to: 'karol@fabrikam-pl.example' });
  assert.equal(verify.subject, 'Zweryfikuj adres e-mail dla rejestracji organizacji Fabrikam Polska');
  assert.match(verify.body, /^Dzień dobry Karol Kontakt,$/m);
  assert.match(verify.body, /Organizacja Fabrikam Polska Sp\. z\s+o\.o\.\s+zarejestrowała\s+się/);
  const cctx = await polish();
  const cp = await cctx.newPage();
  await cp.goto(linkIn(verify, '/verify?t='));
  await cp.getByLabel('Zarejestrowałem(-am) się na to konto').check();
  await cp.getByLabel('Ten adres e-mail należy do firmy').check();
  await shot(cp, 'i18n-enroll-4-verify');
  await cp.getByRole('button', { name: 'Zweryfikuj' }).click();
  await cp.getByRole('heading', { name: 'Dziękujemy: Twój adres e-mail został zweryfikowany' }).waitFor();
  await cctx.close();

  // The operator approves (portalctl, in English): the contact's email follows the
  // organization's country
  const id = db.one(stack, 'SELECT id FROM partner_accounts').id;
  const ctl = stack.ctl('approve', String(id));
  assert.equal(ctl.code, 0, ctl.stderr);
  const approved = await waitForMail(stack.mailDir, { to: 'karol@fabrikam-pl.example', subject: 'zatwierdzono' });
  assert.equal(approved.subject, 'Fabrikam Polska – zatwierdzono jako odsprzedawca pośredni');
  assert.match(approved.body, /Dobra wiadomość: rejestracja organizacji Fabrikam Polska Sp\. z\s+o\.o\./);
  await ctx.close();
});

test('a provider invitation is authorized in Polish, from the Polish email', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'northwind-pl.example', org: 'Northwind Distribution', country: 'NL' });
  const r = await F.relPartner(stack, { domain: 'tailspin-pl.example', org: 'Tailspin Polska', country: 'PL' });

  // The provider's browser is Polish too: the invitation is sent in the inviter's language.
  const pctx = await polish();
  const pp = await pctx.newPage();
  await pp.goto(`${stack.base}/signin`);
  await signInPl(pp, p.email, F.REL_PASSWORD);
  await pp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Odsprzedawcy pośredni' }).click();
  // (session 8: the resellers pages are translated too)
  await pp.getByRole('link', { name: 'Zaproś odsprzedawcę' }).first().click();
  await pp.getByLabel('Adres e-mail odsprzedawcy').fill('partners@tailspin-pl.example');
  await pp.getByRole('button', { name: 'Wyślij zaproszenie' }).click();
  await pp.getByText('Zaproszenie zostało wysłane.').waitFor();
  await pctx.close();

  const mail = await waitForMail(stack.mailDir, { to: 'partners@tailspin-pl.example' });
  assert.equal(mail.subject, 'Northwind Distribution zaprasza Cię do autoryzowania go jako dostawcy pośredniego');
  assert.equal(mail.headers['content-language'], 'pl');
  assert.match(mail.body, /Aby przejrzeć zaproszenie i autoryzować Northwind Distribution,\s+otwórz\s+ten link:/);

  // The reseller, signed out, in Polish
  const rctx = await polish(375);
  const rp = await rctx.newPage();
  await rp.goto(linkIn(mail, '/authorize'));
  await rp.getByRole('heading', { name: 'Autoryzuj dostawcę pośredniego' }).waitFor();
  await rp.getByText('Northwind Distribution zaprasza Twoją organizację do autoryzowania go jako dostawcy pośredniego.').waitFor();
  await rp.getByRole('heading', { name: 'Zaloguj się, aby kontynuować' }).waitFor();
  assert.equal(await rp.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll at 375 px');
  await shot(rp, 'i18n-authorize-1-signed-out-375');
  await rp.getByRole('main').getByRole('link', { name: 'Zaloguj się' }).click();
  await signInPl(rp, r.email, F.REL_PASSWORD);
  await rp.waitForURL(`${stack.base}/authorize`);
  await rp.getByLabel(/Autoryzuję Northwind Distribution jako naszego dostawcę pośredniego/).check();
  await shot(rp, 'i18n-authorize-2-signed-in-375');
  await rp.getByRole('button', { name: 'Autoryzuj dostawcę pośredniego' }).click();
  await rp.waitForURL(/\/providers\?m=provider-authorized$/);
  await rp.getByText('Autoryzowano dostawcę pośredniego.').waitFor();
  await rctx.close();
});
