// audit.test.mjs (browser) — Settings → Audit log as a Global admin reads it (issue 15, item 3):
// sentences instead of codes, the refused pages of a Sales agent hidden until asked for, a date
// range, and a layout that fits at 1280 and 1920 px with every column on screen and nothing
// that only a mouse reaches (axe's scrollable-region-focusable among the rest). Screenshot:
// tests/e2e/screenshots/audit-01-log.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserStack, stopBrowserStack, shot } from '../lib/browser.mjs';
import { axeProblems, contextOf } from '../lib/axe.mjs';
import * as X from '../lib/fixtures.mjs';
import * as R from '../lib/fixtures-relationships.mjs';

let stack, browser;
before(async () => ({ stack, browser } = await startBrowserStack()));
after(() => stopBrowserStack({ stack, browser }));

test('the audit log reads as sentences, hides refusals until asked, filters by date and fits the screen', async () => {
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'audit-e2e.example', org: 'Northwind Audit GmbH', name: 'Ana Admin' });
  const nora = await R.relUser(stack, p, { email: 'nora.north.with.a.long.address@audit-e2e.example', name: 'Nora North', roles: ['sales_agent'] });
  // Older entries, on 2 and 3 March 2025 (written first: the log is in the order of writing).
  const tenant = p.tenantId;
  X.auditEntries(stack, tenant, [
    { at: Date.UTC(2025, 2, 2, 9) / 1000, actor: p.email, action: 'user.add', target: 'old@audit-e2e.example', detail: 'roles: Sales agent' },
    { at: Date.UTC(2025, 2, 3, 9) / 1000, actor: p.email, action: 'mfa.enable', target: '' },
  ]);

  // Nora opens pages her role does not allow (refused, audited), then Ana adds a colleague.
  for (const path of ['/settings/users', '/settings/audit']) assert.equal((await nora.client.get(path)).status, 403);
  await p.client.submit('/settings/users/new', { name: 'Cy Chen', email: 'cy@audit-e2e.example', 'roles[]': ['helpdesk_agent'] });
  const page = await (await contextOf(browser, stack, p.client)).newPage();
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/settings/audit?refused=show');
    // Every column on screen: nothing scrolls sideways, the table ends inside the content.
    const fit = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
      table: document.querySelector('table.audit').getBoundingClientRect().right,
      main: document.querySelector('main').getBoundingClientRect().right,
      wrapScrolls: [...document.querySelectorAll('.table-wrap')].some((w) => w.scrollWidth > w.clientWidth),
    }));
    assert.ok(fit.scroll <= fit.inner, `${width} px: the page scrolls sideways (${fit.scroll})`);
    assert.ok(fit.table <= fit.main, `${width} px: the table reaches past the content (${fit.table} > ${fit.main})`);
    assert.equal(fit.wrapScrolls, false, `${width} px: the table scrolls inside its box`);
    assert.deepEqual(await axeProblems(page), [], `${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // By default: no refusals; the newest entry is Ana's change, as a sentence.
  await page.goto('/settings/audit');
  const sentences = () => page.locator('table.audit tbody .sentence').allInnerTexts();
  let said = await sentences();
  assert.equal(said[0], 'Ana Admin added the user cy@audit-e2e.example (roles: Helpdesk agent).');
  assert.ok(!said.some((s) => /was refused/.test(s)), said.join('\n'));
  assert.match(await page.locator('main').innerText(), /refused attempts not counted/);

  // Asked for, Nora's refusals read as sentences a person understands.
  await page.getByLabel('Show refused attempts').check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/refused=show/);
  said = await sentences();
  assert.ok(said.includes('Nora North was refused Audit log: their roles do not allow it.'), said.join('\n'));
  assert.ok(said.includes('Nora North was refused User management: their roles do not allow it.'), said.join('\n'));
  await shot(page, 'audit-01-log');

  // The keyboard reaches the filter, the download and every link of the page.
  const reached = [];
  await page.locator('#f-actor').focus();
  for (let i = 0; i < 24; i++) {	// (a date field is three stops: day, month, year)
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement.id || document.activeElement.innerText));
  }
  for (const want of ['f-action', 'f-from', 'f-to', 'f-refused', 'Filter', 'Clear the filter', 'Download CSV']) {
    assert.ok(reached.includes(want), `Tab reaches ${want}: ${reached.join(', ')}`);
  }

  // A date range: 2 to 2 March 2025 is the one older entry.
  await page.goto('/settings/audit');
  await page.getByLabel('From (first day)').fill('2025-03-02');
  await page.getByLabel('To (last day)').fill('2025-03-02');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/from=2025-03-02&to=2025-03-02/);
  // (the fixture's entry records no user id: the sentence names the address)
  assert.deepEqual(await sentences(), ['admin@audit-e2e.example added the user old@audit-e2e.example (roles: Sales agent).']);
  assert.match(await page.locator('table.audit time').first().innerText(), /^02 Mar 2025, 10:00 CET$/);	// (issue 15, item 13: the one time format; in the reader's zone, Germany's: was 09:00 UTC)
});
