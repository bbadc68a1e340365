// i18n-settings.test.mjs (browser) — issue 18: the settings and account pages in Polish and
// Russian, whose sentences are longer than the English ones, at 375 px: nothing scrolls the
// page sideways (a table may scroll inside its own box), and the page is in that language.
import { test, before, after } from 'node:test';
import * as pg from '../lib/pg.mjs';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack } from '../lib/browser.mjs';
import { contextOf } from '../lib/axe.mjs';
import * as F from '../lib/fixtures.mjs';
import * as db from '../lib/db.mjs';
import { Client } from '../lib/http.mjs';
import { endpointFixture } from '../lib/webhooks.mjs';

let stack, browser;
// Like the language crawl, in the SQLite run only: the words and the layout of the same
// templates, not what is read (the PostgreSQL run walks these pages in English: crawl.test.mjs).
const skip = pg.enabled() && 'the pages in other languages are checked in the SQLite run';
if (!skip) {
  before(async () => ({ stack, browser } = await startBrowserStack()));
  after(() => stopBrowserStack({ stack, browser }));
}

/** The outermost elements that reach past the window's right edge outside a scrolling box. */
function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? `.${[...e.classList].join('.')}` : '');
    for (const e of document.body.querySelectorAll('*')) {
      if (e.getBoundingClientRect().right <= window.innerWidth + 0.5) continue;
      if (out.some((o) => o.contains(e))) continue;
      let p = e.parentElement, inside = false;
      for (; p && p !== document.body; p = p.parentElement) if (p.scrollWidth > p.clientWidth && getComputedStyle(p).overflowX !== 'visible') inside = true;
      if (!inside) out.push(e);
    }
    return out.slice(0, 3).map((e) => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ');
  });
}

test('Settings, the agreement and Your account in Polish and Russian fit 375 px', { skip }, async () => {
  const domain = 'i18n-narrow.example';
  const ga = new Client(stack.base);
  await ga.signup({ domain, email: `ana@${domain}`, name: 'Ana Admin', org: 'Fabrikam Narrow' });
  const tenant = F.tenantId(stack, domain);
  const tia = F.addUser(stack, { tenant, email: `tia.with.a.rather.long.address@${domain}`, name: 'Tia Tester', roles: ['sales_agent', 'helpdesk_agent'] });
  F.setUserMfa(stack, `tia.with.a.rather.long.address@${domain}`, { enabledAt: F.now() - 86400, lastSigninAt: F.now() - 3600, lastSigninMfa: 1 });
  const group = Number(db.exec(stack, 'INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id',
    tenant, 'Helpdesk team', F.now())[0].id);
  const hook = await endpointFixture(stack, tenant);
  await F.apiCredential(stack, { tenant, name: 'Billing sync' });
  F.publishAgreement(stack, 'narrow-1', { body: 'The agreement.' });
  const paths = ['/settings/users', '/settings/users/new', `/settings/users/${tia}`, `/settings/users/${tia}/password`,
    '/settings/roles', '/settings/groups', `/settings/groups/${group}`, '/settings/security', '/settings/security/compliance',
    '/settings/api', '/settings/webhooks', `/settings/webhooks/${hook}`, '/settings/audit?refused=show', '/settings/profile',
    '/settings/profile/legal', '/agreement', '/account', '/account/mfa', '/account/reauth'];
  const failures = [];
  for (const [lang, heading] of [['pl', 'Zarządzanie użytkownikami'], ['ru', 'Управление пользователями']]) {
    const email = `${lang}@${domain}`;
    F.addUser(stack, { tenant, email, name: lang === 'pl' ? 'Przemysław Brzęczyszczykiewicz' : 'Константин Константинопольский', roles: ['global_admin'] });
    db.exec(stack, 'UPDATE users SET lang = ? WHERE email = ?', lang, email);
    const c = new Client(stack.base);
    assert.equal((await c.signin(email)).status, 303);
    const page = await (await contextOf(browser, stack, c, { width: 375 })).newPage();
    for (const path of paths) {
      const res = await page.goto(`${stack.base}${path}`);
      assert.equal(res.status(), 200, `${lang} ${path}`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang, path);
      const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (wide.scroll > wide.inner) failures.push(`${lang} ${path}: scrolls sideways (${wide.scroll} > ${wide.inner} px): ${await overflowing(page)}`);
    }
    await page.goto(`${stack.base}/settings/users`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.context().close();
  }
  assert.deepEqual(failures, []);
});
