// account.test.mjs — work accounts through real nginx: Create one, sign in, sign out,
// safe `next`, the session cookie, rotation, idle and absolute expiry, the audit trail.
// One stack for the file; every test uses its own domain and email.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, ROOT, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf, textOf, csrfOf } from '../lib/http.mjs';
import { blake2b } from '../lib/linktoken.mjs';
import { messages } from '../lib/mail.mjs';

const PW = 'correct horse battery';
let stack;
const secrets = new Set();          // every password and cookie used: none may reach the log

before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

function counts() {
  return db.one(stack, `SELECT (SELECT count(*) FROM tenants) tenants, (SELECT count(*) FROM users) users,
    (SELECT count(*) FROM sessions) sessions, (SELECT count(*) FROM audit) audit,
    (SELECT count(*) FROM outbox) outbox, (SELECT count(*) FROM link_tokens) links`);
}

function sessionsOf(email) {
  return F.sessionsOf(stack, email);
}

function sidOf(res) {
  const sc = res.setCookies.find((c) => c.startsWith('sid=') || c.startsWith('__Host-sid='));
  return sc;
}

/** A GET route that needs a signed-in user (routes.def), to see the sign-in redirect. */
function signedInGetRoute() {
  const defs = readFileSync(join(ROOT, 'src/web/routes.def'), 'utf8');
  for (const m of defs.matchAll(/^ROUTE\(\s*\w+,\s*GET,\s*"([^"#]+)",\s*\w+,\s*SIGNED_IN,\s*0\s*\)/gm)) return m[1];
  return null;
}

/** The next= of a /signin?next=... redirect. */
function nextOf(location) {
  const u = new URL(location, 'http://x');
  assert.equal(u.pathname, '/signin');
  return u.searchParams.get('next');
}

/** POST /signin while already signed in (the sign-in page itself would redirect). */
async function signinAgain(c, email, password = PW) {
  const home = await c.get('/');
  return c.post('/signin', { csrf: csrfOf(home.text), email, password });
}

/** Signed in? The overview shows the user's name; the sign-in form does not. */
async function signedIn(c) {
  const home = await c.get('/');
  assert.equal(home.status, 200);
  return /<span class="org"/.test(home.text);
}

async function newAccount(tag, extra = {}) {
  const c = new Client(stack.base);
  const email = `ana@${tag}.example`;
  await c.signup({ domain: `${tag}.example`, email, org: `Org ${tag}`, ...extra });
  secrets.add(c.cookie('sid'));
  return { c, email };
}

test('Create one: signed in as the organization\'s Global admin, header shows org and role', async () => {
  const before = counts();
  const c = new Client(stack.base);
  const page = await c.get('/signup');
  assert.equal(page.status, 200);
  assert.match(page.text, /<option value="DE">Germany — Europe<\/option>/);
  // The form creates nothing yet: the address is confirmed by email first (issue 12, item 9).
  const mails = messages(stack.mailDir).length;
  const sent = await c.submit('/signup', {
    org: 'Fabrikam & Söhne', domain: 'Fabrikam.example', country: 'DE', name: 'Ana Admin',
    email: 'Ana@Fabrikam.example', password: PW, password2: PW,
  });
  assert.equal(sent.status, 200);
  assert.match(textOf(sent.text), /Check your email We have sent a message to ana@fabrikam\.example\. Open the link in it to finish: it works once, for 24 hours\./);
  assert.equal(counts().tenants, before.tenants);
  assert.equal(c.cookie('sid'), undefined);
  const res = await c.confirmSignup('ana@fabrikam.example', mails);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/?m=welcome');
  secrets.add(c.cookie('sid'));
  const home = await c.follow(res);
  assert.equal(home.status, 200);
  assert.match(home.text, /<span class="org"[^>]*>Fabrikam &amp; Söhne<\/span>/);
  assert.match(home.text, /Ana Admin <span class="roles">· Global admin<\/span>/);
  assert.match(textOf(home.text), /Your organization's work account is ready\. You are its Global admin\./);

  const after = counts();
  assert.equal(after.tenants, before.tenants + 1);
  assert.equal(after.users, before.users + 1);
  assert.equal(after.sessions, before.sessions + 1);
  const t = db.one(stack, 'SELECT name, domain, country, kind FROM tenants WHERE domain = ?', 'fabrikam.example');
  assert.deepEqual(t, { name: 'Fabrikam & Söhne', domain: 'fabrikam.example', country: 'DE', kind: 'partner' });
  const u = db.one(stack, 'SELECT email, name, roles, pw_hash FROM users WHERE email = ?', 'ana@fabrikam.example');
  assert.equal(u.roles, 1);                             // the Global admin bit (roles.def bit 0)
  assert.match(u.pw_hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
  assert.ok(!u.pw_hash.includes(PW));
});

test('Create one from the sign-in page\'s link: back to the overview with the welcome notice', async () => {
  const c = new Client(stack.base);
  const signin = await c.get('/signin');
  const href = /<a href="(\/signup\?next=[^"]*)">Create one<\/a>/.exec(signin.text)?.[1];
  assert.ok(href, 'a Create one link');
  const form = await c.get(href.replace(/&amp;/g, '&'));
  const next = /name="next" value="([^"]*)"/.exec(form.text)[1];
  let mails = messages(stack.mailDir).length;
  const sent = await c.post('/signup', { csrf: csrfOf(form.text), next, org: 'Via Link', domain: 'vialink.example', country: 'US', name: 'Lee', email: 'lee@vialink.example', password: PW, password2: PW });
  assert.equal(sent.status, 200);
  const res = await c.confirmSignup('lee@vialink.example', mails);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/?m=welcome');
  secrets.add(c.cookie('sid'));
  // with a real next (came from a page that needed sign-in), it goes there
  const d = new Client(stack.base);
  const form2 = await d.get('/signup?next=%2Freports%3Fq%3D1');
  mails = messages(stack.mailDir).length;
  await d.post('/signup', { csrf: csrfOf(form2.text), next: '/reports?q=1', org: 'Via Next', domain: 'vianext.example', country: 'US', name: 'Lee', email: 'lee@vianext.example', password: PW, password2: PW });
  const res2 = await d.confirmSignup('lee@vianext.example', mails);
  assert.equal(res2.location, '/reports?q=1');
  secrets.add(d.cookie('sid'));
});

test('Create one: each form error re-renders (422) with input kept, message beside its field, nothing written', async () => {
  await newAccount('taken');
  const base = { org: 'Org <kept>', domain: 'val.example', country: 'FR', name: 'Val Valid', email: 'val.admin@val.example', password: PW, password2: PW };
  const cases = [
    ['bad domain', { domain: 'not a domain' }, 'domain', /Enter a domain name like contoso\.com/],
    ['domain without dot', { domain: 'localhost' }, 'domain', /Enter a domain name/],
    ['missing country', { country: '' }, 'country', /^Choose the country or region\.$/],
    ['unknown country code', { country: 'ZZ' }, 'country', /Choose a country from the list\./],
    ['bad email', { email: 'val.admin@' }, 'email', /Enter an email address like name@example\.com\./],
    ['short password', { password: 'eleven char', password2: 'eleven char' }, 'password', /Use at least 12 characters\./],
    ['password = email', { password: 'VAL.admin@val.example', password2: 'VAL.admin@val.example' }, 'password', /cannot be your email address/],
    ['mismatched confirmation', { password2: PW + '!' }, 'password2', /The two passwords are not the same\./],
    ['taken domain', { domain: 'TAKEN.example' }, 'domain', /This domain already has a work account/],
    // A taken email is no longer a form error: Create one does not tell which addresses have
    // accounts (issue 12, item 9; tests/integration/hardening.test.mjs).
  ];
  const c = new Client(stack.base);
  for (const [what, change, field, message] of cases) {
    const before = counts();
    const fields = { ...base, ...change };
    const res = await c.submit('/signup', fields);
    assert.equal(res.status, 422, what);
    const errs = errorsOf(res.text);
    assert.equal(errs.length, 1, `${what}: ${errs.join(' | ')}`);
    assert.match(errs[0], message, what);
    // beside its field: the message sits in the field's own block, tied by aria-describedby
    const id = `f-${field}`;
    assert.match(res.text, new RegExp(`<p class="error" id="${id}-error">`), what);
    // (issue 15: a field's help stays in its description beside the error)
    assert.match(res.text, new RegExp(`id="${id}" name="${field}"[^>]*aria-invalid="true" aria-describedby="${id}-error(?: ${id}-help)?"`), what);
    // input kept (escaped), passwords never echoed
    assert.match(res.text, /id="f-org" name="org" type="text" value="Org &lt;kept&gt;"/, what);
    assert.match(res.text, new RegExp(`id="f-name" name="name" type="text" value="Val Valid"`), what);
    if (field !== 'country') assert.match(res.text, new RegExp(`<option value="${fields.country}" selected>`), what);
    assert.match(res.text, /id="f-password" name="password" type="password" value=""/, what);
    assert.ok(!res.text.includes(fields.password), `${what}: password echoed`);
    assert.deepEqual(counts(), before, `${what}: something was written`);
    assert.equal(c.cookie('sid'), undefined, what);
  }
  // and the same form, corrected, goes through (to the emailed link)
  const ok = await c.submit('/signup', base);
  assert.equal(ok.status, 200);
  assert.match(textOf(ok.text), /Check your email/);
});

test('sign out ends the session on the server; the old cookie no longer works', async () => {
  const { c, email } = await newAccount('signout');
  const sid = c.cookie('sid');
  assert.equal(sessionsOf(email).length, 1);
  const out = await c.signout();
  assert.equal(out.status, 303);
  assert.equal(out.location, '/signin?m=signed-out');
  assert.ok(out.setCookies.some((s) => /^sid=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/.test(s)), out.setCookies.join('\n'));
  assert.equal(sessionsOf(email).length, 0);
  assert.equal(F.auditCount(stack, { action: 'signout', actor: email, outcome: 'ok' }), 1);

  // someone who kept the cookie: not signed in, and cannot act with it
  const thief = new Client(stack.base);
  thief.jar.set('sid', { value: sid, path: '/' });
  assert.equal(await signedIn(thief), false);
  assert.equal(thief.cookie('sid'), undefined, 'the dead cookie is cleared');
  thief.jar.set('sid', { value: sid, path: '/' });
  const page = await thief.get('/signin');
  const again = await thief.post('/signout', { csrf: csrfOf(page.text) });
  assert.equal(again.status, 403);
  const route = signedInGetRoute();
  if (route) {
    thief.jar.set('sid', { value: sid, path: '/' });
    const r = await thief.get(route);
    assert.equal(r.status, 303);
    assert.equal(nextOf(r.location), route);
  }
});

test('sign in: wrong password 422, right one 303; next honoured for relative paths only', async () => {
  const { c, email } = await newAccount('next');
  await c.signout();
  const wrong = await c.signin(email, 'not the password!');
  assert.equal(wrong.status, 422);
  assert.match(textOf(wrong.text), /That email and password do not match an account/);
  assert.equal(c.cookie('sid'), undefined);

  const ok = await c.signin(email, PW, '/some/page?x=1&y=%2F');
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/some/page?x=1&y=%2F');
  secrets.add(c.cookie('sid'));
  for (const evil of ['//evil.example', 'https://evil.example', '/\\evil', '/\\/evil.example', 'javascript:alert(1)', '\\\\evil', ' //evil.example', '/\t/evil.example', 'HTTPS://evil.example']) {
    const d = new Client(stack.base);
    const res = await d.signin(email, PW, evil);
    if (res.status === 422) {               // control characters: the form itself is refused
      assert.match(evil, /[\x00-\x1f]/);
      assert.equal(d.cookie('sid'), undefined);
      await d.signin(email, PW);
    } else {
      assert.equal(res.status, 303, evil);
      assert.equal(res.location, '/', `${JSON.stringify(evil)} → ${res.location}`);
    }
    secrets.add(d.cookie('sid'));
    // already signed in: GET /signin?next= redirects the same way
    const again = await d.get(`/signin?next=${encodeURIComponent(evil)}`);
    assert.equal(again.status, 303);
    assert.ok(!again.location.startsWith('//') && !/^[a-z]+:/i.test(again.location), `${evil} → ${again.location}`);
  }
  // the sign-in page carries a safe next only
  const e = new Client(stack.base);
  const form = await e.get(`/signin?next=${encodeURIComponent('https://evil.example/x')}`);
  assert.match(form.text, /<input type="hidden" name="next" value="\/">/);
  const form2 = await e.get(`/signin?next=${encodeURIComponent('/reports?q=1')}`);
  assert.match(form2.text, /<input type="hidden" name="next" value="\/reports\?q=1">/);
});

test('session cookie: sid, 43 base64url characters, HttpOnly, SameSite=Lax, Path=/, no Secure over http; only a hash stored', async () => {
  const { c, email } = await newAccount('cookie');
  await c.signout();
  const res = await c.signin(email, PW);
  const sc = sidOf(res);
  assert.match(sc, /^sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.ok(!/Secure|Max-Age|Expires|Domain/i.test(sc), sc);
  const value = c.cookie('sid');
  secrets.add(value);
  assert.equal(Buffer.from(value, 'base64url').length, 32);

  const rows = sessionsOf(email);
  assert.equal(rows.length, 1);
  const stored = rows[0].hash;
  assert.equal(stored.length, 64);
  assert.notEqual(stored, Buffer.from(value).toString('hex').toUpperCase());
  assert.notEqual(stored, Buffer.from(value, 'base64url').toString('hex').toUpperCase());
  // it is BLAKE2b-256 of the 32 random bytes
  assert.equal(stored, blake2b(Buffer.from(value, 'base64url'), { outlen: 32 }).toString('hex').toUpperCase());
  const dump = db.rows(stack, 'SELECT * FROM sessions').map((r) => JSON.stringify(r)).join('\n');
  assert.ok(!dump.includes(value));
  // the pre-sign-in cookie (CSRF binding) has the same shape
  const anon = new Client(stack.base);
  const page = await anon.get('/signin');
  assert.ok(page.setCookies.some((s) => /^pre=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/.test(s)), page.setCookies.join('\n'));
});

test('behind HTTPS (PORTAL_BASE_URL=https://...): __Host-sid with Secure, and Strict-Transport-Security', async () => {
  const s2 = await startStack({ env: { PORTAL_BASE_URL: 'https://portal.example' } });
  try {
    const c = new Client(s2.base);
    const page = await c.get('/signup');
    assert.match(page.headers['strict-transport-security'] || '', /^max-age=\d{8,}/);
    assert.ok(page.setCookies.some((s) => /^__Host-pre=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/.test(s)), page.setCookies.join('\n'));
    const res = await c.signup({ domain: 'tls.example', email: 'ana@tls.example' });
    const sc = res.setCookies.find((s) => s.startsWith('__Host-sid='));
    assert.match(sc, /^__Host-sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    assert.ok(!res.setCookies.some((s) => s.startsWith('sid=')));
    assert.match(res.headers['strict-transport-security'], /max-age=/);
    // the cookie works under its prefixed name, and a plain "sid" is not accepted
    const home = await c.follow(res);
    assert.match(home.text, /Global admin/);
    const plain = new Client(s2.base);
    plain.jar.set('sid', { value: c.cookie('__Host-sid'), path: '/' });
    const h2 = await plain.get('/');
    assert.doesNotMatch(h2.text, /Global admin/);
    // every kind of response carries HSTS: redirect, error page, health check
    for (const path of ['/nowhere', '/healthz']) {
      const r = await c.get(path);
      assert.match(r.headers['strict-transport-security'] || '', /max-age=/, path);
    }
    const out = await c.signout();
    assert.equal(out.status, 303);
    assert.match(out.headers['strict-transport-security'], /max-age=/);
    assert.ok(out.setCookies.some((s) => /^__Host-sid=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/.test(s)), out.setCookies.join('\n'));
  } finally {
    const exit = await s2.stop();
    assert.equal(exit.code, 0);
  }
  // and over plain http, no HSTS
  const plainStack = new Client(stack.base);
  const p = await plainStack.get('/signin');
  assert.equal(p.headers['strict-transport-security'], undefined);
});

test('rotation: signing in again in the same browser kills the previous session', async () => {
  const { c, email } = await newAccount('rotate');
  const first = c.cookie('sid');
  const firstRow = sessionsOf(email)[0];
  const res = await signinAgain(c, email);    // signed in already; signs in again
  assert.equal(res.status, 303);
  const second = c.cookie('sid');
  secrets.add(second);
  assert.notEqual(second, first);
  const rows = sessionsOf(email);
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0].hash, firstRow.hash);
  const old = new Client(stack.base);
  old.jar.set('sid', { value: first, path: '/' });
  assert.equal(await signedIn(old), false);
  assert.equal(await signedIn(c), true);

  // a session planted before sign-in (fixation) does not survive it either
  const victim = new Client(stack.base);
  victim.jar.set('sid', { value: second, path: '/' });   // attacker-known value
  const v = await signinAgain(victim, email);
  assert.equal(v.status, 303);
  assert.notEqual(victim.cookie('sid'), second);
  secrets.add(victim.cookie('sid'));
  assert.equal(await signedIn(c), false, 'the planted session died at the victim\'s sign-in');
});

test('idle (30 min) and absolute (12 h) expiry: the next request is signed out and the row deleted', async () => {
  const { c, email } = await newAccount('expiry');
  const { now } = F;
  const route = signedInGetRoute();
  const expectSignedOut = async (client, why) => {
    const id = sessionsOf(email)[0]?.id;
    if (route) {
      const r = await client.get(route);
      assert.equal(r.status, 303, why);
      assert.equal(nextOf(r.location), route, why);
      assert.ok(r.setCookies.some((s) => /^sid=; Path=\/; Max-Age=0/.test(s)), why);
    } else {
      assert.equal(await signedIn(client), false, why);
    }
    assert.equal(F.count(stack, 'sessions', { id }), 0, why);
  };

  // 29 minutes idle: still signed in, and seen_at moves forward
  let [row] = sessionsOf(email);
  F.setSessionTimes(stack, row.id, { seenAt: now() - 29 * 60 });
  assert.equal(await signedIn(c), true);
  assert.ok(sessionsOf(email)[0].seen_at >= now() - 5, 'seen_at touched');
  // 30 min + 1 s idle: ended
  F.setSessionTimes(stack, row.id, { seenAt: now() - 30 * 60 - 1 });
  await expectSignedOut(c, 'idle');

  // absolute: active all along, but created 12 h + 1 s ago
  await c.signin(email, PW);
  secrets.add(c.cookie('sid'));
  [row] = sessionsOf(email);
  F.setSessionTimes(stack, row.id, { createdAt: now() - 12 * 3600 + 120, seenAt: now() });
  assert.equal(await signedIn(c), true, '11h58 old is fine');
  F.setSessionTimes(stack, row.id, { createdAt: now() - 12 * 3600 - 1, seenAt: now() });
  await expectSignedOut(c, 'absolute');
});

test('the audit trail: sign-up, sign-in ok and failed, sign-out', async () => {
  const { c, email } = await newAccount('audited');
  await c.signout();
  await c.signin(email, 'wrong password here');
  await c.signin(email, PW);
  secrets.add(c.cookie('sid'));
  await c.signout();
  const rows = F.audit(stack, { actor: email },
    'action, target, outcome, detail, actor, ip, tenant_id IS NOT NULL AS has_tenant, actor_id IS NOT NULL AS has_actor');
  assert.deepEqual(rows.map((r) => `${r.action}/${r.outcome}`), [
    'tenant.create/ok', 'signin/ok', 'signout/ok', 'signin/failed', 'signin/ok', 'signout/ok',
  ]);
  for (const r of rows) {
    assert.equal(r.ip, '127.0.0.1');
    assert.equal(r.has_tenant, 1, JSON.stringify(r));
    assert.equal(r.has_actor, 1, JSON.stringify(r));
  }
  assert.equal(rows[0].target, 'audited.example');
  assert.equal(rows[3].detail, 'wrong password');
  const dump = JSON.stringify(db.rows(stack, 'SELECT * FROM audit'));
  assert.ok(!dump.includes(PW) && !dump.includes('wrong password here'), 'a password in the audit log');
});

test('the log: one line per request (method, route, status, µs), never a password or a session cookie', async () => {
  const c = new Client(stack.base);
  const r = await c.get('/signin');
  const rid = r.headers['x-request-id'];
  assert.match(rid, /^[0-9a-f]{16}$/);
  const log = await stack.waitForLog(`rid=${rid} `);
  const lines = log.split('\n').filter((l) => l.includes(`rid=${rid} `));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ rid=[0-9a-f]{16} GET SIGNIN 200 \d+us$/);
  // every request line has the same shape
  const reqLines = log.split('\n').filter((l) => / rid=[0-9a-f]{16} [A-Z]+ /.test(l) && /\d+us( user=\d+)?$/.test(l));
  assert.ok(reqLines.length > 50, `only ${reqLines.length} request lines`);
  assert.ok(log.includes(' POST SIGNUP_POST 200 '));
  assert.ok(log.includes(' POST SIGNUP_CONFIRM_POST 303 '));
  assert.ok(log.includes(' POST SIGNIN_POST 422 '));
  for (const s of [...secrets, PW, 'wrong password here', 'not the password!']) {
    if (s) assert.ok(!log.includes(s), `the log holds a secret: ${s}`);
  }
  assert.ok(secrets.size > 10);
});
