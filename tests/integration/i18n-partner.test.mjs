// i18n-partner.test.mjs — issue 18, the partner pages: signed in as users whose language is
// Polish, Russian or Swedish, every page of Overview, Customers (list, one, order, review),
// the customer invitation form, Indirect providers, Indirect resellers (list, one), Find a
// provider, Relationships (list, bulk confirmation, a timeline) and Delegated admin (request
// form, list, one, the emailed landing) shows no English sentence of the catalog's messages
// from those pages' templates and C files; the customer invitation and the delegated admin
// request emails read in Polish; Find a provider counts in Polish plural forms (1, 2, 5); the
// relationships' CSV downloads stay English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as X from '../lib/fixtures.mjs';
import * as db from '../lib/db.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { waitForMail, messages, linkIn } from '../lib/mail.mjs';
import { untranslated } from '../lib/i18n-check.mjs';

let stack;
before(async () => { stack = await startStack({ demo: true }); });
after(() => stopChecked(stack));

const PW = 'Demo-Partner-2025';
/** Where the partner pages' messages come from (the "#:" references of the catalog). */
const AREAS = [
  'templates/home/', 'templates/customers/', 'templates/orders/', 'templates/customer-invite/',
  'templates/providers/', 'templates/resellers/', 'templates/directory/', 'templates/relationships/',
  'templates/delegated-admin/', 'templates/authorize/',
  ...['home', 'customers', 'customers_order', 'customer_invite', 'providers', 'providers_customers', 'resellers',
    'resellers_one', 'find_provider', 'relationships', 'relationships_bulk', 'relationships_timeline',
    'relationship_parts', 'delegated_admin', 'invitation_parts', 'authorize'].map((f) => `src/pages/${f}.c`),
  ...['customers', 'relcenter', 'relcenter_bulk', 'delegated', 'invitations', 'timeline'].map((f) => `src/domain/${f}.c`),
];
/** Data, not messages: the name the default delegated admin relationship is stored under. */
const DATA = new Set(['Administrator access']);
/** What each role allows (the role's name and description beside a delegated admin
 * relationship) is the roles' own text (roles.def, the Settings → Roles page), not these pages'. */
const rolesText = (html) => html.replace(/<dd>[^<]*<ul>[\s\S]*?<\/ul><\/dd>/g, '').replace(/<span class="role-about">[^<]*<\/span>/g, '');
const english = (html, lang, sources = AREAS) => untranslated(rolesText(html), lang, { sources }).filter((id) => !DATA.has(id));
const setLang = (email, lang) => db.exec(stack, 'UPDATE users SET lang = ? WHERE email = ?', lang, email);

async function as(email, lang) {
  setLang(email, lang);
  const c = new Client(stack.base);
  const res = await c.signin(email, PW);
  assert.equal(res.status, 303, `${email} signs in`);
  return c;
}

/** GETs path as client: 200, in lang, and none of the areas' message ids in English. */
async function check(client, lang, path, { status = 200 } = {}) {
  const res = await client.get(path);
  assert.equal(res.status, status, `${path}: ${textOf(res.text).slice(0, 300)}`);
  assert.match(res.text, new RegExp(`<html lang="${lang}">`), path);
  assert.deepEqual(english(res.text, lang), [], `${lang} ${path}: English left`);
  return res;
}

const tenant = (domain) => Number(X.tenantId(stack, domain));
const account = (domain, type) => Number(X.partnerAccountId(stack, tenant(domain), type));

for (const lang of ['pl', 'ru', 'sv']) {
  test(`${lang}: every partner page in the user's language, with no English message left`, async () => {
    const tailspin = tenant('tailspin.example');
    const trey = account('treyresearch.example', 'indirect_reseller');
    const adatum = account('adatum.example', 'indirect_reseller');
    const northwind = account('northwind.example', 'indirect_provider');
    const rel = Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', northwind, trey));
    const adaRel = Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', northwind, adatum));

    // the provider: Overview, Customers, one customer, an order and its review, Indirect
    // resellers and one reseller, Relationships with a bulk confirmation and a timeline,
    // Delegated admin (the request form, the list, one relationship)
    const nora = await as('nora.north@northwind.example', lang);
    await check(nora, lang, '/');
    await check(nora, lang, '/customers');
    await check(nora, lang, `/customers/${tailspin}`);
    const form = await check(nora, lang, `/customers/${tailspin}/order?reseller=${trey}`);
    const key = /name="order_key" value="([^"]*)"/.exec(form.text)[1];
    const review = await nora.post(`/customers/${tailspin}/order/review`, { csrf: csrfOf(form.text), order_key: key, reseller: trey,
      mpn_id: '5300005', offer: 'CLD-BIZ-BASIC', quantity: '3' });
    assert.equal(review.status, 200, textOf(review.text).slice(0, 300));
        assert.deepEqual(english(review.text, lang), [], `${lang} order review: English left`);
    const refused = await nora.post(`/customers/${tailspin}/order`, { csrf: csrfOf(form.text), order_key: key, reseller: adatum,
      mpn_id: '5100003', offer: 'CLD-BIZ-BASIC', quantity: '3' });
    assert.equal(refused.status, 403);
    assert.deepEqual(english(refused.text, lang), [], `${lang} refused order: English left`);
    await check(nora, lang, '/resellers');
    await check(nora, lang, `/resellers/${rel}`);
    const list = await check(nora, lang, '/relationships');
    const refs = [...list.text.matchAll(/name="sel\[\]" value="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(refs.length > 0, 'rows to tick');
    await check(nora, lang, `/relationships/bulk/extend?${refs.map((r) => `sel[]=${r}`).join('&')}`);
    await check(nora, lang, `/relationships/bulk/resend?${refs.map((r) => `sel[]=${r}`).join('&')}`);
    await check(nora, lang, `/relationships/reseller/${rel}`);
    // the downloads are data: English whatever the page's language
    const csv = await nora.get('/relationships.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.text, /^"Other organization","Kind","They are","Name","State","Since","Expires","Roles"\r\n/);
    assert.match(csv.text, /\n"Trey Research","Provider and reseller","Your indirect reseller","","Active",/);
    const tl = await nora.get(`/relationships/reseller/${rel}?format=csv`);
    assert.match(tl.text, /^"Time \(UTC\)","Log","Actor","Action","Target","Outcome","Detail","What happened"\r\n/);
    await check(nora, lang, '/delegated-admin/new');
    const das = await check(nora, lang, '/delegated-admin');
    const da = /href="\/delegated-admin\/(\d+)"/.exec(das.text)[1];
    await check(nora, lang, `/delegated-admin/${da}`);
    await check(nora, lang, `/relationships/delegated/${da}`);

    // the reseller: Indirect providers, the customer invitation form, Find a provider
    const ada = await as('ada.adatum@adatum.example', lang);
    await check(ada, lang, '/');
    await check(ada, lang, '/providers');
    await check(ada, lang, `/providers/${adaRel}/customers`);
    await check(ada, lang, `/providers/${adaRel}/invite-customer`);
    await check(ada, lang, '/find-a-provider');
    await check(ada, lang, '/find-a-provider?q=no-such-provider-at-all');

    // the customer: its partners, and the delegated admin request's landing from the email
    const tom = await as('tom.tailspin@tailspin.example', lang);
    await check(tom, lang, '/');
    await check(tom, lang, '/customers');
    const before = messages(stack.mailDir).length;
    const asked = await nora.submit('/delegated-admin/new', { other: String(tailspin), name: `Helpdesk ${lang}`, days: '30',
      'roles[]': ['user_admin'], message: '' });
    assert.equal(asked.status, 303, textOf(asked.text ?? '').slice(0, 300));
    const mail = await waitForMail(stack.mailDir, { to: 'tom.tailspin@tailspin.example', after: before });
    const u = new URL(linkIn(mail, '/delegated-admin/respond'));
    assert.equal((await tom.get(u.pathname + u.search)).status, 303);
    await check(tom, lang, '/delegated-admin/respond');
    const anon = new Client(stack.base);
    assert.equal((await anon.get(u.pathname + u.search, { headers: { 'accept-language': lang } })).status, 303);
    const landing = await anon.get('/delegated-admin/respond', { headers: { 'accept-language': lang } });
    assert.equal(landing.status, 200);
    assert.deepEqual(english(landing.text, lang), [], `${lang} signed-out landing: English left`);
  });
}

test('pl: the customer invitation and the delegated admin request emails read in Polish, subject and body', async () => {
  const adatum = account('adatum.example', 'indirect_reseller');
  const northwind = account('northwind.example', 'indirect_provider');
  const adaRel = Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', northwind, adatum));
  const ada = await as('ada.adatum@adatum.example', 'pl');
  let before = messages(stack.mailDir).length;
  const sent = await ada.submit(`/providers/${adaRel}/invite-customer`, { email: 'zakupy@klient-pl.example', message: 'Dzień dobry', delegated_admin: 'yes', send_anyway: 'yes' });
  assert.equal(sent.status, 303, textOf(sent.text ?? '').slice(-1500));
  const inv = await waitForMail(stack.mailDir, { to: 'zakupy@klient-pl.example', after: before });
  assert.equal(inv.subject, 'Adatum Systems zaprasza Cię, abyś został jego klientem, razem z Northwind Distribution');
  const ibody = inv.body.replace(/\s+/g, ' ');
  assert.match(ibody, /zaprasza Twoją organizację, aby została klientem Adatum Systems i jego dostawcy pośredniego Northwind Distribution/);
  assert.match(ibody, /Aby przejrzeć zaproszenie i je przyjąć, otwórz ten link:/);
  assert.match(ibody, /Obaj partnerzy proszą także o administrację delegowaną/);
  assert.deepEqual(english(inv.body, 'pl', undefined), [], 'no English message in the invitation');
  assert.deepEqual(english(inv.subject, 'pl', undefined), []);

  // the request goes to Tailspin's Global admin, whose language is Polish
  setLang('tom.tailspin@tailspin.example', 'pl');
  const nora = await as('nora.north@northwind.example', 'en');
  before = messages(stack.mailDir).length;
  const asked = await nora.submit('/delegated-admin/new', { other: String(tenant('tailspin.example')), name: 'Wsparcie 2026', days: '2',
    'roles[]': ['user_admin'], message: '' });
  assert.equal(asked.status, 303, textOf(asked.text ?? '').slice(0, 300));
  const req = await waitForMail(stack.mailDir, { to: 'tom.tailspin@tailspin.example', after: before });
  assert.equal(req.subject, 'Northwind Distribution prosi o administrację delegowaną dla Tailspin Toys');
  const body = req.body.replace(/\s+/g, ' ');
  assert.match(body, /Nora North \(nora\.north@northwind\.example\) z Northwind Distribution prosi Twoją organizację, Tailspin Toys, o administrację delegowaną o nazwie „Wsparcie 2026”:/);
  assert.match(body, /Czas trwania: 2 dni od zatwierdzenia/);
  assert.match(body, /otwórz ten link i zaloguj się jako administrator globalny Tailspin Toys:/);
  assert.deepEqual(english(req.body, 'pl', undefined), [], 'no English message in the request');
});

test('pl: Find a provider counts 1, 2 and 5 providers in the three Polish plural forms', async () => {
  X.bulkPartners(stack, { prefix: 'plone', names: ['Liczebnik Jeden'], type: 'indirect_provider', country: 'PL' });
  X.bulkPartners(stack, { prefix: 'pltwo', names: ['Liczebnik Dwa A', 'Liczebnik Dwa B'], type: 'indirect_provider', country: 'PL' });
  X.bulkPartners(stack, { prefix: 'plfive', names: [1, 2, 3, 4, 5].map((i) => `Liczebnik Pięć ${i}`), type: 'indirect_provider', country: 'PL' });
  const c = new Client(stack.base);
  const head = async (q) => {
    const res = await c.get(`/find-a-provider?q=${encodeURIComponent(q)}`, { headers: { 'accept-language': 'pl' } });
    assert.equal(res.status, 200);
    return textOf(/<h2 id="results-head">([\s\S]*?)<\/h2>/.exec(res.text)[1]);
  };
  assert.equal(await head('Liczebnik Jeden'), '1 dostawca');
  assert.equal(await head('Liczebnik Dwa'), '2 dostawcy');
  assert.equal(await head('Liczebnik Pięć'), '5 dostawców');
  const ru = await c.get('/find-a-provider?q=Liczebnik%20Dwa', { headers: { 'accept-language': 'ru' } });
  assert.match(ru.text, /<h2 id="results-head">2 поставщика<\/h2>/);
});
