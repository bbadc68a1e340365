// axe.mjs — axe-core (npm, installed by scripts/install-deps.sh) run inside a Playwright page:
// its source is given to the page's browser context (no network), and the serious and critical
// violations come back one line each.
//
//   const problems = await axeProblems(page);   // [] when the page passes
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BAD_IMPACT = new Set(['serious', 'critical']);

// The rules whose verdict can change with the words of a page (its language, names, labels,
// titles): the crawl in other languages runs these (the English crawl runs every rule on the
// same markup).
export const TEXT_RULES = ['html-has-lang', 'html-lang-valid', 'html-xml-lang-mismatch', 'valid-lang', 'document-title',
  'label', 'label-content-name-mismatch', 'link-name', 'button-name', 'input-button-name', 'select-name',
  'aria-input-field-name', 'aria-toggle-field-name', 'aria-command-name', 'empty-heading', 'empty-table-header',
  'image-alt', 'frame-title', 'summary-name', 'td-headers-attr', 'th-has-data-cells'];

// axe's source reaches a browser context once, as an init script (the browser then runs it
// at the start of every document, from its compilation cache): handing the 0.5 MB source to
// page.evaluate at every check sent it through the DevTools pipe and compiled it again each
// time, and the crawls check some 3,000 page states.
const primed = new WeakSet();

/** axe's serious and critical violations on the page: "axe serious <rule>: <targets>".
 *  rules: only these rule ids (default: every rule). */
export async function axeProblems(page, { rules = null } = {}) {
  const context = page.context();
  if (!primed.has(context)) {
    primed.add(context);
    await context.addInitScript({ content: AXE });
  }
  const run = () => page.evaluate(async (only) => {
    if (!window.axe) return null;
    const opts = { resultTypes: ['violations'] };
    if (only) opts.runOnly = { type: 'rule', values: only };
    const r = await window.axe.run(document, opts);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, rules);
  let result = await run();
  if (result === null) {
    // a document loaded before the init script was added: this one gets the source itself
    // eslint-disable-next-line no-new-func
    await page.evaluate((src) => { if (!window.axe) new Function(src)(); }, AXE);
    result = await run();
  }
  return result.filter((v) => BAD_IMPACT.has(v.impact)).map((v) => `axe ${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

/** The browser context of an HTTP client's session (tests/lib/http.mjs Client): its sid cookie. */
export async function contextOf(browser, stack, client, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL: stack.base, viewport: { width, height } });
  if (client) await context.addCookies([{ name: 'sid', value: client.cookie('sid'), url: stack.base }]);
  return context;
}
