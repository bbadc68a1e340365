// i18n.test.mjs — issue 18: the page's language (the user's setting, else the footer menu's
// cookie, else Accept-Language, else English), <html lang> and Content-Language with it,
// translated form errors and error pages, and emails in the recipient's language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { waitForMail, messages } from '../lib/mail.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const PW = 'correct horse battery';
const lang = (html) => html.match(/<html lang="([^"]*)">/)?.[1];

test('Accept-Language chooses the page language; an unknown one falls back to English', async () => {
  const c = new Client(stack.base);
  let res = await c.get('/signin', { headers: { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.5' } });
  assert.equal(res.status, 200);
  assert.equal(lang(res.text), 'pl');
  assert.equal(res.headers['content-language'], 'pl');
  assert.match(res.text, /<h1>Zaloguj się<\/h1>/);
  assert.match(res.text, /<label for="f-password">Hasło<\/label>/);
  assert.match(res.text, /<title>Zaloguj się · Partner Center<\/title>/);
  assert.match(res.text, /<a href="\/password\/forgot">Nie pamiętasz hasła\?<\/a>/);

  res = await c.get('/signin', { headers: { 'accept-language': 'ru;q=0.4, sv;q=0.8' } });
  assert.equal(lang(res.text), 'sv');
  assert.match(res.text, /<h1>Logga in<\/h1>/);

  res = await c.get('/signin', { headers: { 'accept-language': 'de-DE, fr;q=0.5' } });
  assert.equal(lang(res.text), 'en');
  assert.equal(res.headers['content-language'], 'en');
  assert.match(res.text, /<h1>Sign in<\/h1>/);

  res = await c.get('/signin');
  assert.equal(lang(res.text), 'en');
  assert.match(res.text, /<h1>Sign in<\/h1>/);
});

test('form errors and error pages are in the page language', async () => {
  const c = new Client(stack.base);
  const headers = { 'accept-language': 'ru' };
  const page = await c.get('/signin', { headers });
  const res = await c.post('/signin', { csrf: csrfOf(page.text), email: '', password: '' }, { headers });
  assert.equal(res.status, 422);
  assert.equal(lang(res.text), 'ru');
  // beside each field (after the hidden "Ошибка:"), and in the summary with the field's label
  const beside = [...res.text.matchAll(/<p class="error"[^>]*><span class="visually-hidden">Ошибка: <\/span>([^<]*)<\/p>/g)].map((m) => m[1]);
  assert.deepEqual(beside, ['Заполните это поле.', 'Заполните это поле.']);
  const summary = [...res.text.matchAll(/<li><a href="#f-[a-z]+">([^<]*)<\/a><\/li>/g)].map((m) => m[1]);
  assert.deepEqual(summary, ['Электронная почта: Заполните это поле.', 'Пароль: Заполните это поле.']);
  assert.match(res.text, /<h2>Проверьте форму<\/h2>/);

  const wrong = await c.post('/signin', { csrf: csrfOf(page.text), email: 'nobody@i18n.example', password: 'not the password' }, { headers });
  assert.equal(wrong.status, 422);
  assert.match(textOf(wrong.text), /Этот адрес электронной почты и пароль не соответствуют ни одной учетной записи/);

  const missing = await c.get('/no-such-page', { headers: { 'accept-language': 'pl' } });
  assert.equal(missing.status, 404);
  assert.equal(lang(missing.text), 'pl');
  assert.match(missing.text, /<h1>Nie znaleziono strony<\/h1>/);
  assert.match(missing.text, /Błąd 404 · Identyfikator żądania/);
});

test("the footer menu's cookie wins over Accept-Language, and choosing the browser's language forgets it", async () => {
  const c = new Client(stack.base);
  const headers = { 'accept-language': 'pl' };
  const page = await c.get('/password/forgot', { headers });
  assert.match(page.text, /<select id="lang-menu" name="lang">/);
  assert.match(page.text, /<option value="pl" lang="pl" selected>Polski<\/option>/);
  assert.match(page.text, /<input type="hidden" name="back" value="\/password\/forgot">/);
  let res = await c.post('/language', { csrf: csrfOf(page.text), lang: 'sv', back: '/password/forgot' }, { headers });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/password/forgot');
  const set = res.setCookies.find((s) => s.startsWith('lang='));
  assert.match(set, /^lang=sv; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
  res = await c.get('/password/forgot', { headers });
  assert.equal(lang(res.text), 'sv');
  assert.equal(res.headers['content-language'], 'sv');
  assert.match(res.text, /<h1>Återställ lösenordet<\/h1>/);

  // an unsafe way back goes to the overview; "" is the browser's language again
  res = await c.post('/language', { csrf: csrfOf(res.text), lang: '', back: 'https://evil.example/' }, { headers });
  assert.equal(res.location, '/');
  assert.equal(c.cookie('lang'), undefined);
  res = await c.get('/password/forgot', { headers });
  assert.equal(lang(res.text), 'pl');

  // an unknown language is the browser's choice too; a POST without the CSRF token is refused
  res = await c.post('/language', { csrf: csrfOf(res.text), lang: 'xx', back: '/signin' }, { headers });
  assert.equal(res.location, '/signin');
  assert.equal(c.cookie('lang'), undefined);
  assert.equal((await c.post('/language', { lang: 'sv', back: '/' })).status, 403);
  assert.equal(c.cookie('lang'), undefined);
});

test("a signed-in user's setting wins over the cookie and the browser, and their email follows it", async () => {
  const a = new Client(stack.base);
  await a.signup({ domain: 'i18n-pl.example', email: 'ola@i18n-pl.example', name: 'Ola Nowak' });
  let page = await a.get('/account');
  assert.match(page.text, /<option value="" selected>The browser&#39;s language<\/option>/);
  let res = await a.submit('/account/language', { lang: 'pl' }, '/account');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account?m=language-saved');
  assert.equal(F.audit(stack, { action: 'account.language', actor: 'ola@i18n-pl.example' }, 'outcome, detail').at(-1).detail, 'pl');

  // the cookie of the footer menu and the browser say otherwise: the setting wins
  a.jar.set('lang', { name: 'lang', value: 'sv', path: '/' });
  page = await a.get('/account?m=language-saved', { headers: { 'accept-language': 'ru' } });
  assert.equal(lang(page.text), 'pl');
  assert.equal(page.headers['content-language'], 'pl');
  assert.match(page.text, /Twój język został zapisany\./);
  assert.match(page.text, /<option value="pl" selected>Polski<\/option>/);
  assert.doesNotMatch(page.text, /id="lang-menu"/, 'the visitors\' menu is not shown to a signed-in user');
  assert.match(page.text, /<button type="submit" class="linkish">Wyloguj się<\/button>/);

  // an unknown language is refused and changes nothing
  res = await a.submit('/account/language', { lang: 'tlh' }, '/account');
  assert.equal(res.status, 400);
  assert.equal(lang((await a.get('/account')).text), 'pl');

  // signed out, a visitor in English asks for a reset of the Polish user's password: the
  // email is Polish (the recipient's language), the page English (the visitor's)
  await a.signout();
  const v = new Client(stack.base);
  const before = messages(stack.mailDir).length;
  res = await v.submit('/password/forgot', { email: 'ola@i18n-pl.example' });
  assert.equal(res.status, 303);
  const mail = await waitForMail(stack.mailDir, { to: 'ola@i18n-pl.example', after: before });
  assert.equal(mail.subject, 'Zresetuj hasło do Partner Center');
  assert.equal(mail.headers['content-language'], 'pl');
  assert.match(mail.body, /Ktoś poprosił o zresetowanie hasła konta Partner Center/);
  assert.match(mail.body, /Link działa jeden raz i wygasa po godzinie\./);

  // back to the browser's language: the next page follows Accept-Language again
  await a.signin('ola@i18n-pl.example', PW);
  res = await a.submit('/account/language', { lang: '' }, '/account');
  assert.equal(res.status, 303);
  a.jar.delete('lang');
  page = await a.get('/account', { headers: { 'accept-language': 'sv' } });
  assert.equal(lang(page.text), 'sv');
});

test("an address without a chosen language gets the email in the sending request's language", async () => {
  const a = new Client(stack.base);
  await a.signup({ domain: 'i18n-en.example', email: 'eve@i18n-en.example' });
  await a.signout();
  const v = new Client(stack.base);
  const headers = { 'accept-language': 'sv' };
  const page = await v.get('/password/forgot', { headers });
  const before = messages(stack.mailDir).length;
  const res = await v.post('/password/forgot', { csrf: csrfOf(page.text), email: 'eve@i18n-en.example' }, { headers });
  assert.equal(res.status, 303);
  const mail = await waitForMail(stack.mailDir, { to: 'eve@i18n-en.example', after: before });
  assert.equal(mail.subject, 'Återställ ditt lösenord för Partner Center');
  assert.equal(mail.headers['content-language'], 'sv');
  const notice = await v.get(res.location, { headers });
  assert.match(notice.text, /Om ett konto använder den adressen har vi skickat en länk dit/);
});

test('the demo world has a Polish, a Swedish and a Russian-speaking user, listed with their language', async () => {
  const r = stack.ctl('demo');
  assert.equal(r.code, 0, r.stderr);
  const file = readFileSync(join(stack.data, 'demo-accounts.txt'), 'utf8').split('\n').map((l) => l.split('\t').map((s) => s.trim()));
  const row = (email) => file.find((x) => x[0] === email);
  assert.equal(row('piotr.nowak@northwind.example')[5], 'Helpdesk agent (pages and emails in Polski)');
  assert.equal(row('sara.svensson@adatum.example')[5], 'Sales agent (pages and emails in Svenska)');
  assert.equal(row('irina.ivanova@treyresearch.example')[5], 'Billing admin (pages and emails in Русский)');
  // Piotr signs in (with the demo's second factor) from an English browser: Polish pages
  const c = new Client(stack.base);
  c.useTotp('piotr.nowak@northwind.example', row('piotr.nowak@northwind.example')[2]);
  const res = await c.signin('piotr.nowak@northwind.example', 'Demo-Partner-2025');
  assert.equal(res.status, 303);
  const page = await c.get('/account', { headers: { 'accept-language': 'en-US,en' } });
  assert.equal(page.status, 200);
  assert.equal(lang(page.text), 'pl');
  assert.match(page.text, /<a href="\/"[^>]*>Przegląd<\/a>/);
  assert.match(page.text, /<h2 id="h-language">Język<\/h2>/);
  // a second run changes nothing
  const again = stack.ctl('demo');
  assert.match(again.stdout, /0 organizations and 0 users added this time/);
});
