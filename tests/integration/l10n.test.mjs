// l10n.test.mjs — issue 18: dates and times written in the reader's language (ICU's medium
// date of the language: "30 lis 2026", "30 нояб. 2026 г.", "30 nov. 2026"; English keeps
// "30 Nov 2026") on pages and in emails (the recipient's language), in the reader's zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf } from '../lib/http.mjs';
import { addUser, newestMail, mailTo } from '../lib/users.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

// A time in the sessions table of Your account, per language (the month abbreviations of
// ICU's data; the zone is Warsaw's: CET/CEST, Russian writes the offset).
const TIME = {
  en: /\b\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d CES?T\b/,
  pl: /\b\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) \d{4}, \d\d:\d\d CES?T\b/,
  ru: /\b\d{1,2} (янв|февр|мар|апр|мая|июн|июл|авг|сент|окт|нояб|дек)\.? \d{4}\s?г\., \d\d:\d\d GMT\+[12]\b/,
  sv: /\b\d{1,2} (jan|feb|mars|apr|maj|juni|juli|aug|sep|okt|nov|dec)\.? \d{4}, \d\d:\d\d CES?T\b/,
};

test("every time on a page is in the page's language: Your account's sessions in en, pl, ru and sv", async () => {
  const c = new Client(stack.base);
  await c.signup({ domain: 'l10n-pl.example', email: 'ana@l10n-pl.example', country: 'PL' });
  for (const lang of ['en', 'pl', 'ru', 'sv']) {
    assert.equal((await c.submit('/account/language', { lang: lang === 'en' ? '' : lang }, '/account')).status, 303);
    const page = await c.get('/account', { headers: { 'accept-language': 'en' } });
    assert.equal(page.status, 200);
    const sessions = textOf(/<table class="sessions">[\s\S]*?<\/table>/.exec(page.text)[0]);
    assert.match(sessions, TIME[lang], `${lang}: ${sessions}`);
    for (const other of Object.keys(TIME).filter((l) => l !== lang && !(l === 'en' && lang === 'sv')))
      assert.doesNotMatch(sessions, TIME[other], `${lang} page shows a ${other} time`);
  }
});

test("an email's times are in the recipient's language, whatever the sender's", async () => {
  const ga = new Client(stack.base);
  await ga.signup({ domain: 'l10n-mail.example', email: 'ga@l10n-mail.example', country: 'PL' });
  const { id } = await addUser(ga, { name: 'Nils New', email: 'nils@l10n-mail.example', roles: ['sales_agent'] });
  let msg = await newestMail(stack, 'nils@l10n-mail.example');
  assert.match(msg.body, TIME.en, msg.body);	// no language of his own: the sender's (English)
  db.exec(stack, "UPDATE users SET lang = 'sv' WHERE email = ?", 'nils@l10n-mail.example');
  const seen = mailTo(stack, 'nils@l10n-mail.example').length;
  assert.equal((await ga.submit(`/settings/users/${id}/password`, {}, `/settings/users/${id}/password`)).status, 303);
  msg = await newestMail(stack, 'nils@l10n-mail.example', seen);
  assert.match(msg.body, TIME.sv, msg.body);
  assert.doesNotMatch(msg.body, TIME.en, msg.body);
});

test("the shared parts in the reader's language: invitation state and its dates, link, search, breadcrumb, time zone form, notices", async () => {
  const R = await import('../lib/fixtures-relationships.mjs');
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'l10n-prov.example', country: 'PL' });
  const inv = await R.relInvite(stack, p, 'someone@l10n-elsewhere.example');
  assert.equal((await p.client.submit('/account/language', { lang: 'pl' }, '/account')).status, 303);

  let page = await p.client.get(`/resellers/invitations/${inv.id}?m=invitation-sent`);
  assert.equal(page.status, 200);
  const state = textOf(/<p class="meta inv-state"[^>]*>([\s\S]*?)<\/p>/.exec(page.text)[1]);
  assert.match(state, new RegExp(`^Zaproszenie: Wysłano — Wysłano ${TIME.pl.source.slice(2, -2)} · link ważny do ${TIME.pl.source.slice(2, -2)}$`), state);
  assert.match(page.text, /<label for="invite-link">Link<\/label>/);
  assert.match(page.text, /hidden>Kopiuj link<\/button>/);
  assert.match(page.text, /Zaznacz link i skopiuj go albo użyj przycisku Kopiuj link\./);
  assert.match(textOf(page.text), /Zaproszenie zostało wysłane\. Możesz też skopiować poniższy link i wysłać go samodzielnie\./);
  assert.match(page.text, /<nav aria-label="Ścieżka nawigacji" class="crumbs">/);

  page = await p.client.get('/settings/users?q=nobody');
  assert.equal(page.status, 200);
  assert.match(page.text, /<button type="submit">Szukaj<\/button> <a href="\/settings\/users">Wyczyść wyszukiwanie<\/a>/);

  page = await p.client.get('/account');
  assert.match(page.text, /<button type="submit" class="primary">Zapisz strefę czasową<\/button>/);
  assert.match(page.text, /<option value="" selected>Domyślna: Europe\/Warsaw \(/);

  // Swedish, the same invitation: the state word and the dates in Swedish
  assert.equal((await p.client.submit('/account/language', { lang: 'sv' }, '/account')).status, 303);
  page = await p.client.get(`/resellers/invitations/${inv.id}`);
  const sv = textOf(/<p class="meta inv-state"[^>]*>([\s\S]*?)<\/p>/.exec(page.text)[1]);
  assert.match(sv, new RegExp(`^Inbjudan: Skickad — Skickad ${TIME.sv.source.slice(2, -2)} · länken gäller till ${TIME.sv.source.slice(2, -2)}$`), sv);
});

test('the console in the operator\'s language: chosen beside the time zone, audited; pages, numbers and dates follow', async () => {
  const { newOperator } = await import('../lib/operators.mjs');
  const op = await newOperator(stack, { role: 'admin' });
  let page = await op.c.get('/operator/time-zone');
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post" action="\/operator\/language">/);
  assert.match(page.text, /<option value="" selected>The browser&#39;s language<\/option>/);
  // an unknown language: refused, nothing written
  assert.equal((await op.c.submit('/operator/language', { lang: 'tlh' }, '/operator/time-zone')).status, 400);
  assert.ok([null, ''].includes(db.value(stack, 'SELECT lang FROM users WHERE email = ?', op.email)));
  const res = await op.c.submit('/operator/language', { lang: 'pl' }, '/operator/time-zone');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/operator/time-zone?m=language-saved');
  assert.equal(db.value(stack, 'SELECT lang FROM users WHERE email = ?', op.email), 'pl');
  assert.equal(db.value(stack, "SELECT detail FROM audit WHERE action = 'account.language' AND actor = ? ORDER BY id DESC", op.email), 'pl');

  page = await op.c.get('/operator/time-zone?m=language-saved', { headers: { 'accept-language': 'en' } });
  assert.match(page.text, /<html lang="pl">/);
  assert.match(page.text, /<h1>Strefa czasowa i język<\/h1>/);
  assert.match(textOf(page.text), /Twój język został zapisany\./);
  assert.match(page.text, /<option value="pl" selected>Polski<\/option>/);

  page = await op.c.get('/operator');
  assert.match(page.text, /<h1>Konsola programu<\/h1>/);
  assert.match(textOf(page.text), /Zalogowano jako .* Zespół programu: administrator\./);
  page = await op.c.get('/operator/dashboard');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h2>Rejestracje odsprzedawców według stanu<\/h2>/);
  assert.match(page.text, /<th scope="col">rejestracje<\/th><th scope="col">Udział<\/th>/);
  assert.match(textOf(page.text), /tydzień od \d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru) \d{4}/);
  page = await op.c.get('/operator/enrollments');
  assert.match(page.text, /Kolejka, od najstarszego zgłoszenia\./);
  page = await op.c.get('/operator/audit');
  assert.match(textOf(page.text), new RegExp(TIME.pl.source.replace('CES?T', 'UTC')));
  // refusals in the console are Polish too
  const bad = await op.c.get('/operator/enrollments?status=nope');
  assert.equal(bad.status, 400);
  assert.match(textOf(bad.text), /Wybierz stan z listy\./);
});
