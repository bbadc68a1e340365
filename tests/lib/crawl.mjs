// crawl.mjs — the crawl of every GET page (tests/e2e/crawl.test.mjs in English,
// tests/e2e/crawl-lang.test.mjs in pl, ru and sv: two files, so that make e2e runs them side by
// side, each with its own stack and browser).
//
// Every GET page of src/web/routes.def, as each kind of user the issue 15 audit
// named (a provider's Global admin, a reseller's Global admin, a provider's Sales agent, a
// customer's Global admin, a reseller whose enrollment is in review, and signed out), at 375 and
// 1280 px, checked with axe-core (injected from node_modules) and for sideways scrolling.
// It FAILS on any serious or critical axe violation, on an HTML error in the markup the server
// sent (tests/lib/html-check.mjs) and on any page wider than the window.
//
// The list of pages is read from routes.def, so a new GET route is crawled without editing this
// file; a path with "#" takes its id from the world below (IDS: the longest matching prefix), and
// a route whose answer is not HTML (an SVG, a CSV, the health check) is only fetched.
//
// On PostgreSQL (make test-pg) every page is fetched as every user and checked for a 5xx, and
// not rendered: the layout, axe and the HTML check judge the markup of the same templates and
// the same rows on either engine, and rendering was nearly all of the file's time there.
//
// One browser for the whole file; each user is signed in once (through the HTTP client, whose
// session cookie is handed to the browser context) and keeps one page, resized for each width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';
import * as pg from './pg.mjs';
import { startBrowserStack, stopBrowserStack } from './browser.mjs';
import { axeProblems, contextOf, TEXT_RULES } from './axe.mjs';
import * as X from './fixtures.mjs';
import * as db from './db.mjs';
import * as R from './fixtures-relationships.mjs';
import { custOrderWorld, custInvite } from './fixtures-customers.mjs';
import { endpointFixture } from './webhooks.mjs';
import { newOperator } from './operators.mjs';
import { pageText, untranslated } from './i18n-check.mjs';
import { htmlProblems } from './html-check.mjs';

// On PostgreSQL every page is fetched as every user (no 5xx) but not rendered: what the browser
// judges (layout, axe, the markup) comes from the same templates and rows on either engine.
const RENDER = !pg.enabled();
const WIDTHS = [375, 1280];

/** The GET routes of routes.def: [{ id, path }]. */
function getRoutes() {
  const text = readFileSync(join(ROOT, 'src/web/routes.def'), 'utf8');
  return [...text.matchAll(/^ROUTE\(\s*(\w+)\s*,\s*GET\s*,\s*"([^"]*)"/gm)].map((m) => ({ id: m[1], path: m[2] }));
}

let stack, browser;
const users = {};	// name -> { client (or null), page }
const ids = {};	// name -> [[path prefix, id], ...]

/** Starts the crawl's stack and browser and makes its world (the users, their pages, the ids). */
export async function crawlStart() {
  ({ stack, browser } = await startBrowserStack());
  // A provider and a reseller (related, both with the agreement accepted), a customer of both
  // through the real invitation flow, a pending reseller invitation and customer invitation,
  // an offer, and a Sales agent of the provider.
  const { w, cust } = await custOrderWorld(stack, { prefix: 'crawl', agreement: 'crawl-1',
    customer: { domain: 'crawl-customer.example', org: 'Crawl Customer GmbH', email: 'admin@crawl-customer.example' } });
  X.testOffers(stack);
  const invitation = await R.relInvite(stack, w.provider, 'someone.with.a.rather.long.address@crawl-invited-partner.example', 'Let us work together.');
  const custInv = await custInvite(stack, w, 'procurement.department.buyer@crawl-prospect-customer.example');
  const agent = await R.relUser(stack, w.provider, { email: 'samantha.sales.representative@crawl-dist.example', name: 'Samantha Sales-Representative', roles: ['sales_agent'] });
  const review = await R.relPartner(stack, { domain: 'crawl-review.example', org: 'Crawl Review Ltd', status: 'in_review' });
  const customerId = cust.tenantId;
  const provUser = X.userId(stack, agent.email);
  ids.provider = [['/settings/users/', provUser], ['/resellers/invitations/', invitation.id], ['/customers/', customerId],
    ['/settings/webhooks/', await endpointFixture(stack, w.provider.tenantId)],	// issue 14: an endpoint's delivery log
    ['/resellers/', w.rel]];	// issue 15, item 11: a reseller's page
  ids.sales = [['/settings/users/', provUser], ['/customers/', customerId], ['/resellers/', w.rel]];
  ids.reseller = [['/settings/users/', X.userId(stack, w.reseller.email)], ['/customers/', customerId],
    ['/providers/customer-invitations/', custInv.id], ['/providers/', w.rel]];
  ids.customer = [['/settings/users/', X.userId(stack, cust.email)]];
  // issue 13: each side's relationships' timelines (the provider's and the reseller's
  // relationships with the customer, and the delegated admin its acceptance granted)
  const custRel = (account) => Number(db.value(stack, 'SELECT id FROM customer_relationships WHERE partner_id = ? AND customer_tenant_id = ?', account, cust.tenantId));
  const daOf = Number(db.value(stack, 'SELECT min(id) FROM delegated_admins WHERE customer_tenant_id = ?', cust.tenantId));
  ids.provider.push(['/relationships/reseller/', w.rel], ['/relationships/customer/', custRel(w.provider.accountId)], ['/relationships/delegated/', daOf]);
  ids.reseller.push(['/relationships/reseller/', w.rel], ['/relationships/customer/', custRel(w.reseller.accountId)], ['/relationships/delegated/', daOf]);
  ids.customer.push(['/relationships/customer/', custRel(w.reseller.accountId)], ['/relationships/delegated/', daOf]);
  // issue 13: a user group of the provider's (Settings -> User groups)
  ids.provider.push(['/settings/groups/', Number(db.exec(stack, 'INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id',
    w.provider.tenantId, 'Crawl helpdesk team', X.now())[0].id)]);
  ids.review = [['/settings/users/', X.userId(stack, review.email)]];
  ids.out = [];
  const clients = { provider: w.provider.client, reseller: w.reseller.client, sales: agent.client, customer: cust.client,
    review: review.client, out: null };
  for (const [name, client] of Object.entries(clients)) {
    const page = await (await contextOf(browser, stack, client)).newPage();
    page.setDefaultTimeout(15000);
    users[name] = { page };
  }
  // issue 18: an operator of the program team, for the console in every language (the
  // English walk keeps its six users)
  const op = await newOperator(stack, { role: 'admin', name: 'Crawl Operator' });
  ids.operator = [['/operator/enrollments/', Number(db.value(stack, 'SELECT id FROM partner_accounts WHERE tenant_id = ?', X.tenantId(stack, 'crawl-review.example')))],
    ['/operator/partners/', w.provider.tenantId],
    ['/operator/agreement/', Number(db.value(stack, 'SELECT max(id) FROM agreement_versions'))]];
  const opPage = await (await contextOf(browser, stack, op.c)).newPage();
  opPage.setDefaultTimeout(15000);
  users.operator = { page: opPage, only_langs: true };
}

/** Stops what crawlStart started. */
export const crawlStop = () => stopBrowserStack({ stack, browser });

/** The path to visit for a route as `who` (the id of its kind of object, else 1). */
function pathFor(route, who) {
  if (!route.path.includes('#')) return route.path;
  const match = ids[who].filter(([prefix]) => route.path.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
  return route.path.replace('#', String(match ? match[1] : 1));
}

/** A page's markup without what differs between two answers of the same page and cannot change
 *  its layout or axe's verdict: the CSRF token, the request id an error page quotes, the
 *  return path after signing in, which navigation entry is the current one. Two answers with
 *  the same key render alike: the crawls render the first (a user's 403 page at twenty paths,
 *  the sign-in page a visitor is sent to from eighty: 40% of the English crawl's loads). */
function twinKey(html) {
  return html.replace(/name="(csrf|next)" value="[^"]*"/g, 'name="$1"').replace(/([?&]next=)[^"&]*/g, '$1')
    .replace(/<code>[0-9A-Za-z_-]{8,}<\/code>/g, '<code></code>').replace(/ aria-current="page"/g, '');
}

/** The first elements (outermost) that reach past the window's right edge, to name in a failure. */
function widest(page) {
  return page.evaluate(() => {
    const out = [];
    const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (e.classList.length ? `.${[...e.classList].join('.')}` : '');
    for (const e of document.body.querySelectorAll('*')) {
      if (e.getBoundingClientRect().right <= window.innerWidth + 0.5) continue;
      if (out.some((o) => o.el.contains(e))) continue;
      // skip what is inside a scrolling box (its own scrolling is fine)
      // (an absolutely positioned one escapes them unless one of them is positioned: named)
      let p = e.parentElement, inside = false;
      const free = ['absolute', 'fixed'].includes(getComputedStyle(e).position);
      for (; p && p !== document.body && !free; p = p.parentElement) if (p.scrollWidth > p.clientWidth && getComputedStyle(p).overflowX !== 'visible') inside = true;
      if (!inside) out.push({ el: e, path: `${e.parentElement ? name(e.parentElement) + ' > ' : ''}${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)` });
      if (out.length >= 3) break;
    }
    return out.map((o) => o.path).join(', ');
  });
}

// CRAWL_ONLY=ROLES,AUDIT limits a run to those route ids (while fixing a page; make test runs all).
const ONLY = process.env.CRAWL_ONLY ? new Set(process.env.CRAWL_ONLY.split(',')) : null;

/** Every GET page, as every kind of user, at 375 and 1280 px: no serious axe violation, no sideways scroll. */
export async function crawlEnglish() {
  const routes = getRoutes();
  assert.ok(routes.length > 30, 'routes.def was read');
  const failures = [];
  const seen = new Set();
  const markups = new Set();	// each distinct markup validated once (tests/lib/html-check.mjs)
  let checked = 0;
  // one user's walk; the users walk side by side (own sessions, own pages), which keeps the
  // crawl's time near that of the longest walk
  let skipped = 0;
  const walk = async (who) => {
    const { page } = users[who];
    const twins = new Set();
    for (const route of routes) {
      if (ONLY && !ONLY.has(route.id)) continue;
      const path = pathFor(route, who);
      // an SVG, a CSV, the health check: fetched (with the user's cookies), not rendered
      const head = await page.request.get(path);
      if (!(head.headers()['content-type'] || '').startsWith('text/html')) continue;
      if (!RENDER) {
        // PostgreSQL: the answer, not its rendering (the same markup is rendered in the SQLite run)
        checked++;
        if (head.status() >= 500) failures.push(`${who} ${route.id} ${path} -> ${new URL(head.url()).pathname} (${head.status()}): a server error`);
        continue;
      }
      // the same page as one this user's walk rendered already (twinKey): not rendered again
      const twin = `${head.status()} ${twinKey(await head.text())}`;
      if (twins.has(twin)) {
        if (head.status() >= 500) failures.push(`${who} ${route.id} ${path}: a server error`);
        skipped++;
        continue;
      }
      twins.add(twin);
      // loaded once and looked at in each width (the window resized: the layout and the
      // media queries follow; a second load per width was a third of the crawl's time, each
      // navigation costing Chromium about 0.2 s of CPU on two cores)
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      const res = await page.goto(path);
      for (const width of WIDTHS) {
        if (width !== WIDTHS[0]) await page.setViewportSize({ width, height: 900 });
        const where = `${who} ${width}px ${route.id} ${path} -> ${new URL(page.url()).pathname} (${res.status()})`;
        if (res.status() >= 500) failures.push(`${where}: a server error`);
        const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (wide.scroll > wide.inner) failures.push(`${where}: scrolls sideways (${wide.scroll} > ${wide.inner} px): ${await widest(page)}`);
        checked++;
        // the same page state reached again (a redirect to the sign-in page, the same refusal
        // page): axe has seen it at this width already
        const state = `${who} ${width} ${res.status()} ${page.url()}`;
        if (seen.has(state)) continue;
        seen.add(state);
        // HTML: the markup is the same at either width, and in every language but for its
        // words: the language crawl validates the pages of the users it walks (LANG_USERS);
        // here the others' (each distinct markup once, tests/lib/html-check.mjs); like axe, in
        // the SQLite run only (the same templates' markup on either engine)
        if (width === WIDTHS[0] && !LANG_USERS.includes(who)) for (const p of await htmlProblems(await res.text(), markups)) failures.push(`${where}: HTML: ${p}`);
        for (const p of await axeProblems(page)) failures.push(`${where}: ${p}`);
      }
    }
  };
  const started = Date.now();
  await Promise.all(Object.keys(users).filter((u) => !users[u].only_langs).map(walk));
  console.log(`# crawl in en: ${checked} ${RENDER ? 'page states rendered' : 'pages fetched'}, ${skipped} pages the same as one rendered, in ${Math.round((Date.now() - started) / 1000)} s`);
  failures.sort();
  assert.ok(ONLY || checked > 100, `pages checked: ${checked}`);
  assert.deepEqual(failures, [], `${failures.length} problems in ${checked} page states:\n${failures.join('\n')}`);
}

// issue 18: every page again in Polish, Russian and Swedish (Accept-Language; nobody here has
// a language of their own), with the console as an operator. Every page in every language is
// fetched (over HTTP, with the user's cookies) and fails on a server error, a page not in the
// language (<html lang>), an HTML error in the markup the server sent (tests/lib/html-check.mjs;
// the English crawl does the same for English) and any message of the catalog that it still
// shows in English (tests/lib/i18n-check.mjs; TRANSLATED lists the areas checked: every one).
// It is then rendered at 375 px in the language whose words are longest (its longest word, then
// its whole text: what reaches past a narrow window is a long word or a longer label) and fails
// on sideways scrolling and on a serious/critical violation of the axe rules whose verdict
// depends on the words (TEXT_RULES in tests/lib/axe.mjs: names, labels, titles, the language;
// the English crawl runs every rule on the same markup). Rendering each page in all three
// languages was three quarters of the file's time (some 1,400 page loads at ~0.5 s each on two
// busy cores) for what the widest language already shows.
const LANGS = ['pl', 'ru', 'sv'];
// The areas checked for English left: every one (session 9: the last English strings — role
// names on the delegated admin pages, the partner-type words inside sentences — were fixed; the
// recorded values of the audit logs are marked translate="no" and not read as page text).
const TRANSLATED = [/./];
// The users walked in every language: the sales agent and the reseller in review see the
// provider's and a reseller's pages or their refusals (the English crawl walks them at both
// widths); leaving them out keeps the language walk to about 5/7 of its time.
const LANG_USERS = ['provider', 'reseller', 'customer', 'out', 'operator'];

/** How wide a page's words are: [its longest word, its whole text], in characters. */
function wordsWidth(html) {
  const text = pageText(html);
  let longest = 0;
  for (const w of text.split(/\s+/)) longest = Math.max(longest, [...w].length);
  return [longest, [...text].length];
}

/** Every GET page in LANGS: fetched in each (translated, valid HTML, <html lang>), rendered at 375 px in the widest. */
export async function crawlLanguages() {
  const routes = getRoutes();
  const failures = [];
  const markups = new Set();	// each distinct markup validated once, whatever its language
  let fetched = 0, rendered = 0, english = 0;
  const started = Date.now();
  const walk = async (who) => {
    const { page } = users[who];
    await page.setViewportSize({ width: 375, height: 900 });
    const read = new Set();	// `${lang} ${status} ${url}` whose words were checked
    const seen = new Set();	// what was rendered (twinKey: the same page at another path once)
    for (const route of routes) {
      if (ONLY && !ONLY.has(route.id)) continue;
      const path = pathFor(route, who);
      const answers = [];
      for (const lang of LANGS) {
        let res;
        try {
          res = await page.request.get(path, { headers: { 'accept-language': lang } });
        } catch (e) {
          failures.push(`${lang} ${who} ${route.id} ${path}: ${e.message.split('\n')[0]}`);
          continue;
        }
        // an SVG, a CSV, the health check: the same in every language, not a page
        if (!(res.headers()['content-type'] || '').startsWith('text/html')) break;
        const landed = new URL(res.url()).pathname;
        const where = `${lang} ${who} ${route.id} ${path} -> ${landed} (${res.status()})`;
        fetched++;
        if (res.status() >= 500) failures.push(`${where}: a server error`);
        const html = await res.text();
        const htmlLang = /<html lang="([^"]*)"/.exec(html)?.[1];
        if (htmlLang !== lang) failures.push(`${where}: <html lang="${htmlLang}">`);
        const state = `${lang} ${res.status()} ${res.url()}`;
        answers.push({ lang, state, width: wordsWidth(html), twin: `${lang} ${res.status()} ${twinKey(html)}` });
        if (read.has(state)) continue;
        read.add(state);
        for (const p of await htmlProblems(html, markups)) failures.push(`${where}: HTML: ${p}`);
        if (TRANSLATED.some((re) => re.test(landed))) {
          const left = untranslated(html, lang);
          if (left.length) {
            english++;
            failures.push(`${where}: in English: ${left.map((m) => JSON.stringify(m)).join(', ')}`);
          }
        }
      }
      if (!answers.length) continue;
      const pick = answers.reduce((a, b) => (b.width[0] > a.width[0] || (b.width[0] === a.width[0] && b.width[1] > a.width[1]) ? b : a));
      if (seen.has(pick.twin)) continue;
      seen.add(pick.twin);
      await page.setExtraHTTPHeaders({ 'accept-language': pick.lang });
      let res;
      try {
        res = await page.goto(path);
      } catch (e) {
        failures.push(`${pick.lang} ${who} ${route.id} ${path}: ${e.message.split('\n')[0]}`);
        continue;
      }
      rendered++;
      const where = `${pick.lang} ${who} ${route.id} ${path} -> ${new URL(page.url()).pathname} (${res.status()}) rendered`;
      const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (wide.scroll > wide.inner) failures.push(`${where}: scrolls sideways (${wide.scroll} > ${wide.inner} px): ${await widest(page)}`);
      for (const p of await axeProblems(page, { rules: TEXT_RULES })) failures.push(`${where}: ${p}`);
    }
    await page.setExtraHTTPHeaders({});
  };
  await Promise.all(LANG_USERS.map(walk));
  console.log(`# crawl in ${LANGS.join(', ')}: ${fetched} pages fetched, ${rendered} rendered at 375 px, in ${Math.round((Date.now() - started) / 1000)} s`);
  failures.sort();
  assert.ok(ONLY || fetched > 100, `pages checked: ${fetched}`);
  assert.deepEqual(failures, [], `${failures.length} problems (${english} pages with English left) in ${fetched} pages:\n${failures.join('\n')}`);
}
