// browser.mjs — Debian's chromium driven by playwright-core (never a downloaded browser).
//
//   let stack, browser;                                            // one of each per test file
//   before(async () => ({ stack, browser } = await startBrowserStack()));
//   after(() => stopBrowserStack({ stack, browser }));
//   const page = await newPage(browser, stack, { width: 1280 });   // console errors collected
//   await signIn(page, email, password);
//   await shot(page, 'visitor-03-signed-in');                      // tests/e2e/screenshots/
//
// Or by hand: const browser = await launch(); ... await browser.close();
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack, stopChecked } from './stack.mjs';
import { waitForMail, linkIn } from './mail.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --renderer-process-limit: a navigation between pages whose Cross-Origin-Opener-Policy
    // differs (a page and an nginx error page) starts a new browsing instance, and Chromium
    // gave each one a renderer process of its own: the crawls started some 80 renderers per 60
    // pages; reusing up to eight took their time down by about a seventh.
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--renderer-process-limit=8'],
  });
}

/** A stack (startStack(opts)) and a browser for a test file's before(). */
export async function startBrowserStack(opts) {
  const stack = await startStack(opts);
  try {
    return { stack, browser: await launch() };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

/** For after(): closes the browser, then stops the stack with stopChecked's assertions (exit
 * code 0, no sanitizer report). */
export async function stopBrowserStack({ stack, browser }) {
  await browser?.close();
  await stopChecked(stack);
}

/**
 * A fresh context (own cookies) and page on the stack's base URL. page.problems collects
 * console errors, page errors and CSP violations, so a test can assert there were none.
 */
export async function newPage(browser, stack, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL: stack.base, viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    // a 4xx page (a form re-rendered with 422, an error page) is logged by chromium as a
    // failed resource; that is the answer, not a problem
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) page.problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(10000);
  return page;
}

/** Saves a full-page screenshot as tests/e2e/screenshots/<name>.png (name it after the
 * test file, e.g. "visitor-03-signed-in", so files from different tests never mix). */
export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  // Chromium's Page.captureScreenshot now and then answers "Unable to capture screenshot" when
  // the page has no frame to copy yet (CI of session 17: one of three pages open side by side,
  // just reloaded, on a loaded machine). The picture is a record, not a check: bring the page
  // to the front, wait for two frames (a second at most) and take it again; after three tries
  // the error stands.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path: file, fullPage: true });
      return file;
    } catch (e) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(e?.message))) throw e;
      await page.bringToFront();
      await page.evaluate(() => new Promise((done) => {
        setTimeout(done, 1000);
        requestAnimationFrame(() => requestAnimationFrame(done));
      }));
    }
  }
}

/** Signs in with the sign-in form the page shows (Email, Password, Sign in). */
export async function signIn(page, email, password) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Fills the form of a new organization and its first Global admin (Create one, and a
 * customer's Create one; partials/new-organization-fields.html); the caller presses the
 * button. country: what selectOption takes (a value, or { label }).
 */
/**
 * After Create one: the "check your email" page, then the emailed link (read from the
 * spool) and `Create work account` — as the new Global admin does (issue 12, item 9).
 */
export async function confirmNewOrganization(page, stack, email) {
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const msg = await waitForMail(stack.mailDir, { to: email, subject: 'Confirm your address' });
  await page.goto(linkIn(msg, '/signup/confirm'));
  await page.getByRole('button', { name: 'Create work account' }).click();
}

export async function fillNewOrganization(page, { org, domain, country, name, email, password, confirm = password }) {
  await page.getByLabel('Organization name').fill(org);
  await page.getByLabel('Primary domain').fill(domain);
  await page.getByLabel('Country or region').selectOption(country);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Your email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(confirm);
}
