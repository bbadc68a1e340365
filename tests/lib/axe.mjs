// axe.mjs — axe-core (npm, installed by scripts/install-deps.sh) run inside a Playwright page:
// its source is injected into the page (no network), and the serious and critical violations
// come back one line each.
//
//   const problems = await axeProblems(page);   // [] when the page passes
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BAD_IMPACT = new Set(['serious', 'critical']);

/** axe's serious and critical violations on the page: "axe serious <rule>: <targets>". */
export async function axeProblems(page) {
  const result = await page.evaluate(async (src) => {
    // eslint-disable-next-line no-new-func
    if (!window.axe) new Function(src)();
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE);
  return result.filter((v) => BAD_IMPACT.has(v.impact)).map((v) => `axe ${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

/** The browser context of an HTTP client's session (tests/lib/http.mjs Client): its sid cookie. */
export async function contextOf(browser, stack, client, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL: stack.base, viewport: { width, height } });
  if (client) await context.addCookies([{ name: 'sid', value: client.cookie('sid'), url: stack.base }]);
  return context;
}
