// i18n-partner.test.mjs (browser) — issue 18, the partner pages: their Polish and Russian
// sentences are longer than the English ones; at 375 px no page of Overview, Customers (list,
// one, the order form), Indirect providers, the customer invitation form, Indirect resellers
// (list, one), Find a provider, Relationships (list, bulk confirmation, a timeline) and
// Delegated admin (list, one, the request form) scrolls sideways, and axe finds no serious or
// critical violation, in either language (the crawl walks every page in English).
import { test, before, after } from 'node:test';
import * as pg from '../lib/pg.mjs';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack } from '../lib/browser.mjs';
import { axeProblems, contextOf } from '../lib/axe.mjs';
import { Client } from '../lib/http.mjs';
import * as X from '../lib/fixtures.mjs';
import * as db from '../lib/db.mjs';

let stack, browser;
// Like the language crawl, in the SQLite run only: the words and the layout of the same
// templates, not what is read (the PostgreSQL run walks these pages in English: crawl.test.mjs).
const skip = pg.enabled() && 'the pages in other languages are checked in the SQLite run';
if (!skip) {
  before(async () => { ({ stack, browser } = await startBrowserStack({ demo: true })); });
  after(() => stopBrowserStack({ stack, browser }));
}

const PW = 'Demo-Partner-2025';
const tenant = (domain) => Number(X.tenantId(stack, domain));
const account = (domain, type) => Number(X.partnerAccountId(stack, tenant(domain), type));

async function pageAs(email, lang) {
  db.exec(stack, 'UPDATE users SET lang = ? WHERE email = ?', lang, email);
  const c = new Client(stack.base);
  assert.equal((await c.signin(email, PW)).status, 303);
  const page = await (await contextOf(browser, stack, c, { width: 375, height: 900 })).newPage();
  page.setDefaultTimeout(15000);
  return page;
}

for (const lang of ['pl', 'ru']) {
  test(`${lang} at 375 px: the partner pages do not scroll sideways and pass axe`, { skip }, async () => {
    const northwind = account('northwind.example', 'indirect_provider');
    const trey = account('treyresearch.example', 'indirect_reseller');
    const adatum = account('adatum.example', 'indirect_reseller');
    const rel = (r) => Number(db.value(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?', northwind, r));
    const tailspin = tenant('tailspin.example');
    const da = Number(db.value(stack, 'SELECT min(id) FROM delegated_admins WHERE customer_tenant_id = ? AND partner_tenant_id = ?', tailspin, tenant('northwind.example')));
    const walks = {
      'nora.north@northwind.example': ['/', '/customers', `/customers/${tailspin}`, `/customers/${tailspin}/order?reseller=${trey}`,
        '/resellers', `/resellers/${rel(trey)}`, '/relationships', `/relationships/bulk/extend?sel[]=da-${da}`,
        `/relationships/reseller/${rel(trey)}`, '/delegated-admin', `/delegated-admin/${da}`, '/delegated-admin/new'],
      'ada.adatum@adatum.example': ['/', '/providers', `/providers/${rel(adatum)}/customers`, `/providers/${rel(adatum)}/invite-customer`,
        '/find-a-provider'],
      'tom.tailspin@tailspin.example': ['/', '/customers'],
    };
    const failures = [];
    for (const [email, paths] of Object.entries(walks)) {
      const page = await pageAs(email, lang);
      for (const path of paths) {
        const res = await page.goto(path);
        const where = `${lang} ${email} ${path} (${res.status()})`;
        if (res.status() !== 200) failures.push(`${where}: not 200`);
        if (await page.getAttribute('html', 'lang') !== lang) failures.push(`${where}: not in ${lang}`);
        const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (wide.scroll > wide.inner) failures.push(`${where}: scrolls sideways (${wide.scroll} > ${wide.inner} px)`);
        for (const p of await axeProblems(page)) failures.push(`${where}: ${p}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
