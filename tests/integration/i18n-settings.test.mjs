// i18n-settings.test.mjs — issue 18, the settings and account pages: signed in as a user whose
// language is Polish, Russian or Swedish, every page of Settings (users, roles, user groups,
// security and MFA compliance, API, webhooks, audit log, organization profile), the agreement
// and Your account with its MFA pages holds no English sentence of those areas' catalog
// entries; the "user added" email in Polish; audit sentences with their values in Polish and
// Russian; plural forms for 1, 2, 5, 22 and 25. Through real nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { addUser, newestMail, mailTo } from '../lib/users.mjs';
import { endpointFixture } from '../lib/webhooks.mjs';
import { untranslated, pageText } from '../lib/i18n-check.mjs';

let stack, org;
before(async () => {
  stack = await startStack();
  const ga = new Client(stack.base);
  const domain = 'i18n-settings.example';
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: 'Fabrikam i18n' });
  const tenant = F.tenantId(stack, domain);
  // one Global admin per language (the same password as Ana's), and Tia, who has a second factor
  const users = {};
  for (const [lang, name] of [['pl', 'Piotr Polak'], ['ru', 'Roman Rusov'], ['sv', 'Sven Svensson']]) {
    const email = `${lang}@${domain}`;
    F.addUser(stack, { tenant, email, name, roles: ['global_admin'] });
    db.exec(stack, 'UPDATE users SET lang = ? WHERE email = ?', lang, email);
    const c = new Client(stack.base);
    const res = await c.signin(email);
    assert.equal(res.status, 303, `${lang} signs in`);
    users[lang] = c;
  }
  const tia = F.addUser(stack, { tenant, email: `tia@${domain}`, name: 'Tia Tester', roles: ['sales_agent'] });
  F.setUserMfa(stack, `tia@${domain}`, { enabledAt: F.now() - 86400, lastSigninAt: F.now() - 3600, lastSigninMfa: 1 });
  const group = Number(db.exec(stack, 'INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id',
    tenant, 'Helpdesk team', F.now())[0].id);
  const hook = await endpointFixture(stack, tenant);
  await F.apiCredential(stack, { tenant, name: 'Billing sync' });
  F.publishAgreement(stack, '2026-1', { body: 'The agreement.\n\nIts second paragraph.' });
  org = { ga, domain, tenant, users, tia, group, hook };
});
after(() => stopChecked(stack));

// The files of these areas (their msgids are the ones looked for).
const AREAS = [
  'templates/users/', 'templates/roles/', 'templates/groups/', 'templates/security/', 'templates/account/',
  'templates/profile/', 'templates/apikeys/', 'templates/webhooks/', 'templates/audit/', 'templates/agreement/',
  'src/pages/settings_', 'src/pages/account', 'src/pages/agreement', 'src/domain/accounts.c', 'src/domain/audit_words.c',
  'src/domain/groups.c', 'src/domain/apikeys.c', 'src/domain/webhooks', 'src/domain/mfa.c', 'src/domain/agreement.c',
  'src/domain/roles.def', 'src/domain/perms.def', 'src/domain/session.c',
];

/** Confirms the password (the pages with F_REAUTH), then opens path. */
async function reauthed(c, path) {
  const page = await c.get(`/account/reauth?next=${encodeURIComponent(path)}`);
  const res = await c.post('/account/reauth', { csrf: csrfOf(page.text), password: 'correct horse battery', next: path });
  assert.equal(res.status, 303, `reauth for ${path}`);
  return c.get(path);
}

/** Every page of the areas, as [path, answer], for the signed-in client c. */
async function pages(c) {
  const out = [];
  const get = async (path, reauth = false, ok = [200]) => {
    const res = reauth ? await reauthed(c, path) : await c.get(path);
    assert.ok(ok.includes(res.status), `${path}: ${res.status}`);
    out.push([path, res]);
  };
  await get('/settings/users');
  await get('/settings/users/new');
  await get(`/settings/users/${org.tia}`);
  await get(`/settings/users/${org.tia}/password`);
  await get(`/settings/users/${org.tia}/delete`, true);
  await get(`/settings/users/${org.tia}/mfa-reset`, true, [200, 409]);	// (no secret: nothing to reset)
  await get('/settings/roles');
  await get('/settings/groups');
  await get(`/settings/groups/${org.group}`);
  await get('/settings/security');
  await get('/settings/security/compliance');
  await get('/settings/api');
  await get('/settings/api/new', true);
  await get('/settings/webhooks');
  await get('/settings/webhooks/new', true);
  await get(`/settings/webhooks/${org.hook}`);
  await get('/settings/audit?refused=show');
  await get('/settings/profile');
  await get('/settings/profile/legal');
  await get('/agreement');
  await get('/account');
  await get('/account/mfa');
  await get('/account/reauth');
  // the MFA setup's second step (a key to scan), then the page with the form
  const mfa = out.find(([p]) => p === '/account/mfa')[1];
  const start = await c.post('/account/mfa/start', { csrf: csrfOf(mfa.text) });
  assert.equal(start.status, 303);
  await get('/account/mfa');
  return out;
}

for (const [lang, h1] of [['pl', 'Zarządzanie użytkownikami'], ['ru', 'Управление пользователями'], ['sv', 'Användarhantering']]) {
  test(`${lang}: no page of Settings, the agreement or Your account shows an English sentence of its catalog`, async () => {
    const c = org.users[lang];
    // a few entries of several kinds first, so the audit log has sentences to show
    await addUser(c, { name: `New ${lang}`, email: `new-${lang}@${org.domain}`, roles: ['sales_agent'] });
    for (const [path, res] of await pages(c)) {
      assert.equal(res.headers['content-language'], lang, path);
      // the audit log's recorded values (target, detail) are data, written in English
      let html = res.text;
      for (const m of res.text.matchAll(/<span class="(?:detail|target)"[^>]*>([^<]*)<\/span>/g)) html = html.split(m[1]).join(' ');
      assert.deepEqual(untranslated(html, lang, { areas: AREAS }), [], `${lang} ${path}`);
    }
    const list = await c.get('/settings/users');
    assert.match(list.text, new RegExp(`<h1>${h1}</h1>`));
  });
}

test('the Polish "user added" email is in Polish', async () => {
  const email = `nowy@${org.domain}`;
  const seen = mailTo(stack, email).length;
  await addUser(org.users.pl, { name: 'Nowy Użytkownik', email, roles: ['sales_agent', 'helpdesk_agent'] });
  const msg = await newestMail(stack, email, seen);
  assert.equal(msg.subject, 'Piotr Polak dodał(a) Cię do organizacji Fabrikam i18n w Partner Center');
  const body = msg.body.replace(/\s+/g, ' ');
  assert.match(body, /Dzień dobry Nowy Użytkownik,/);
  assert.match(body, /Piotr Polak \(pl@i18n-settings\.example\) dodał\(a\) Cię jako użytkownika organizacji Fabrikam i18n/);
  assert.match(body, /Twoje role: Agent sprzedaży, Agent pomocy technicznej/);
  assert.match(body, /Link działa jeden raz i wygasa po 7 dniach \(\d+ \S+ \d{4}/);
  assert.equal(msg.headers['content-language'], 'pl');
  assert.deepEqual(untranslated(msg.body, 'pl', { areas: ['templates/email/user-added.txt'] }), []);
});

test('audit sentences carry their values in Polish and Russian', async () => {
  F.auditEntries(stack, org.tenant, [
    { actor: `ana@${org.domain}`, action: 'user.delete', target: `gone@${org.domain}`, at: F.now() - 50 },
    { actor: `ana@${org.domain}`, action: 'user.roles', target: `tia@${org.domain}`, outcome: 'refused', detail: 'last Global admin', at: F.now() - 40 },
    { actor: 'operator', action: 'webhook.create', target: 'https://hooks.example/x', outcome: 'failed', at: F.now() - 30 },
    { actor: `ana@${org.domain}`, action: 'access', target: 'AUDIT', outcome: 'refused', detail: 'role', at: F.now() - 20 },
  ]);
  const sentences = async (c) => [...(await c.get('/settings/audit?refused=show')).text.matchAll(/<span class="sentence">([^<]*)<\/span>/g)]
    .map((m) => textOf(m[1]));
  const pl = await sentences(org.users.pl);
  assert.ok(pl.includes(`ana@${org.domain}: usunięcie użytkownika gone@${org.domain}.`), pl.join('\n'));
  assert.ok(pl.includes(`ana@${org.domain}: próba zmiany ról użytkownika tia@${org.domain} — odmowa: last Global admin.`), pl.join('\n'));
  assert.ok(pl.includes('Operator: próba dodania punktu końcowego elementu webhook https://hooks.example/x — niepowodzenie.'), pl.join('\n'));
  assert.ok(pl.some((s) => /^ana@i18n-settings\.example: odmowa dostępu do strony Dziennik inspekcji: role użytkownika na to nie pozwalają\.$/.test(s)), pl.join('\n'));
  assert.ok(pl.some((s) => s.startsWith(`Piotr Polak: dodanie użytkownika new-pl@${org.domain} (roles: Sales agent)`)), pl.join('\n'));
  const ru = await sentences(org.users.ru);
  assert.ok(ru.includes(`ana@${org.domain}: удаление пользователя gone@${org.domain}.`), ru.join('\n'));
  assert.ok(ru.includes(`ana@${org.domain}: попытка изменить роли пользователя tia@${org.domain} — отказано: last Global admin.`), ru.join('\n'));
  // the Action filter's choices too
  const page = await org.users.ru.get('/settings/audit');
  assert.match(page.text, /<option value="user.delete">Удаление пользователя<\/option>/);
  // and English stays as it was
  const en = await sentences(org.ga);
  assert.ok(en.includes(`ana@${org.domain} deleted the user gone@${org.domain}.`), en.join('\n'));
  assert.ok(en.includes(`ana@${org.domain} tried to change the roles of tia@${org.domain} and was refused: last Global admin.`), en.join('\n'));
});

test('counts take the plural form of each language: 1, 2, 5, 22 and 25 users with MFA', async () => {
  const forms = {
    pl: { 1: '1 użytkownik', 2: '2 użytkowników', 5: '5 użytkowników', 22: '22 użytkowników', 25: '25 użytkowników' },
    ru: { 1: '1 пользователь', 2: '2 пользователя', 5: '5 пользователей', 22: '22 пользователя', 25: '25 пользователей' },
    sv: { 1: '1 användare', 2: '2 användare', 5: '5 användare', 22: '22 användare', 25: '25 användare' },
  };
  // a second organization, whose users get a second factor one by one
  const domain = 'plurals.example';
  const ga = new Client(stack.base);
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: 'Plurals' });
  const tenant = F.tenantId(stack, domain);
  const readers = {};
  for (const lang of ['pl', 'ru', 'sv']) {
    F.addUser(stack, { tenant, email: `${lang}@${domain}`, name: `Reader ${lang}`, roles: ['global_admin'] });
    db.exec(stack, 'UPDATE users SET lang = ? WHERE email = ?', lang, `${lang}@${domain}`);
    readers[lang] = new Client(stack.base);
    assert.equal((await readers[lang].signin(`${lang}@${domain}`)).status, 303);
  }
  for (let i = 0; i < 25; i++) F.addUser(stack, { tenant, email: `u${i}@${domain}`, name: `User ${i}`, roles: ['sales_agent'] });
  let with2fa = 0;
  for (const n of [1, 2, 5, 22, 25]) {
    for (; with2fa < n; with2fa++) F.setUserMfa(stack, `u${with2fa}@${domain}`, { enabledAt: F.now() - 60, lastSigninAt: F.now(), lastSigninMfa: 1 });
    for (const lang of ['pl', 'ru', 'sv']) {
      const res = await readers[lang].get('/settings/security/compliance?mfa=with');
      const meta = /<p class="meta">([^<]*)<\/p>/.exec(res.text)?.[1];
      assert.equal(meta, forms[lang][n], `${lang} ${n}`);
    }
  }
  // and a sentence with a count inside it: a user's sessions, read in Polish (2 and 5)
  const u = `sv@${domain}`;
  const id = F.userId(stack, u);
  for (const n of [2, 5]) {
    while (F.sessionCount(stack, u) < n) assert.equal((await new Client(stack.base).signin(u)).status, 303);
    const page = pageText((await readers.pl.get(`/settings/users/${id}`)).text);
    assert.match(page, new RegExp(`Użytkownik Reader sv jest zalogowany w ${n} przeglądarkach lub urządzeniach\\.`));
  }
});
