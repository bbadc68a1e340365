// mfa.test.mjs — multi-factor sign-in (issue 12): the setup page and its QR code, confirming
// with a code, the two-step sign-in (no session before the code), replay refused, wrong codes
// throttled like passwords, recovery codes (once, emailed), enforcement by the organization
// and by the program (portalctl security), and re-authentication before the five sensitive
// actions. Codes are computed with node's crypto (tests/lib/totp.mjs) from the secret the
// setup page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf, decode } from '../lib/http.mjs';
import { addUser, activate, PASSWORD } from '../lib/users.mjs';
import { waitForMail } from '../lib/mail.mjs';
import { totp, nextCode, base32Decode, nowStep } from '../lib/totp.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

let serial = 0;
const unique = () => `m${process.pid}x${++serial}`;
const UA = { 'user-agent': 'MfaTest/1.0 (integration)' };

/** A new organization whose Global admin is signed in: { c, email, domain, id }. */
async function newAdmin() {
  const domain = `${unique()}.example`;
  const email = `ga@${domain}`;
  const c = new Client(stack.base);
  await c.signup({ org: `Org ${domain}`, domain, email });
  return { c, email, domain, id: F.userId(stack, email), tenant: F.tenantId(stack, domain) };
}

/** The secret on the setup page (grouped base32), after starting a setup. */
async function startSetup(c) {
  const page = await c.get('/account/mfa');
  assert.equal(page.status, 200);
  const res = await c.post('/account/mfa/start', { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account/mfa');
  const setup = await c.get('/account/mfa');
  const m = /id="mfa-secret" type="text" readonly value="([A-Z2-7 ]+)"/.exec(setup.text);
  assert.ok(m, 'the secret is on the page');
  return { secret: m[1], page: setup };
}

/** Sets MFA up for c (signed in as email): { secret, codes }. */
async function setupMfa(c, email) {
  const { secret, page } = await startSetup(c);
  const res = await c.post('/account/mfa', { csrf: csrfOf(page.text), code: await nextCode(secret) });
  assert.equal(res.status, 200, errorsOf(res.text).join('; '));
  const codes = [...res.text.matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((x) => x[1]);
  assert.equal(codes.length, 10);
  if (email) c.useTotp(email, secret);
  return { secret: secret.replace(/ /g, ''), codes };
}

/** Password step only: { res, client }. */
async function passwordStep(email, password = PASSWORD, headers = UA) {
  const c = new Client(stack.base);
  const form = await c.get('/signin');
  const res = await c.request('POST', '/signin', { body: { csrf: csrfOf(form.text), email, password }, headers });
  return { res, c };
}

async function codeStep(c, code, headers = UA) {
  const page = await c.get('/signin/code?next=/');
  return c.request('POST', '/signin/code', { body: { csrf: csrfOf(page.text), code, next: '/' }, headers });
}

const staleProof = (userId) => db.exec(stack, 'UPDATE sessions SET auth_at = ? WHERE user_id = ?', F.now() - 11 * 60, userId);

test('setup page: the secret grouped and copyable, the QR code as SVG from this origin, no data: URIs', async () => {
  const { c, email, id } = await newAdmin();
  const page = await c.get('/account/mfa');
  assert.match(textOf(page.text), /Set up multi-factor sign-in/);
  const { secret, page: setup } = await startSetup(c);
  assert.match(secret, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, '20 bytes in base32, in groups of four');
  assert.equal(base32Decode(secret).length, 20);
  assert.match(setup.text, /<img class="qr" src="\/account\/mfa\/qr\.svg"/);
  assert.match(setup.text, /data-copy="mfa-secret"/);
  assert.match(setup.text, /<script src="\/static\/js\/copy\.js"/);
  const uri = decode(/id="mfa-uri">([^<]+)</.exec(setup.text)[1]);
  assert.equal(uri, `otpauth://totp/Partner%20Center:${encodeURIComponent(email).replace(/\./g, '.')}?secret=${secret.replace(/ /g, '')}&issuer=Partner%20Center&algorithm=SHA1&digits=6&period=30`);
  assert.doesNotMatch(setup.text, /data:/, 'no inline data: URI anywhere on the page');
  // ... and the Content-Security-Policy allows none: images come from this origin only.
  assert.match(setup.headers['content-security-policy'], /img-src 'self';/);
  assert.doesNotMatch(setup.headers['content-security-policy'], /data:/);
  const qr = await c.get('/account/mfa/qr.svg');
  assert.equal(qr.status, 200);
  assert.match(qr.headers['content-type'], /^image\/svg\+xml/);
  assert.equal(qr.headers['cache-control'], 'no-store');
  assert.equal(qr.headers['x-content-type-options'], 'nosniff');
  assert.match(qr.text, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.doesNotMatch(qr.text, /data:|<script/);
  // Sealed at rest; never in the log.
  const row = db.one(stack, `SELECT ${db.hex('mfa_secret')} AS h, mfa_enabled_at FROM users WHERE id = ?`, id);
  assert.equal(row.mfa_enabled_at, null, 'pending until confirmed');
  assert.equal(row.h.length, (20 + 44) * 2);
  assert.ok(!row.h.includes(base32Decode(secret).toString('hex').toUpperCase().slice(0, 16)));
  assert.ok(!stack.portalLog().includes(secret.replace(/ /g, '')));
  // Signed out: the QR code is not public.
  assert.equal((await new Client(stack.base).get('/account/mfa/qr.svg')).status, 303);
});

test('confirm: a wrong code shows the form again beside the field; the right one turns MFA on and shows ten recovery codes once', async () => {
  const { c, email, id } = await newAdmin();
  const { secret, page } = await startSetup(c);
  const wrong = totp(secret, { step: nowStep() + 5 });
  let res = await c.post('/account/mfa', { csrf: csrfOf(page.text), code: wrong });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ["That code is not right. Check that your phone's time is correct and enter the code shown now."]);
  assert.match(res.text, /id="mfa-secret"/, 'the setup is still on the page');
  assert.equal(db.value(stack, 'SELECT mfa_enabled_at FROM users WHERE id = ?', id), null);
  res = await c.post('/account/mfa', { csrf: csrfOf(page.text), code: await nextCode(secret) });
  assert.equal(res.status, 200);
  const codes = [...res.text.matchAll(/<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2})<\/code><\/li>/g)].map((x) => x[1]);
  assert.equal(new Set(codes).size, 10);
  assert.match(textOf(res.text), /shown only this once/);
  assert.notEqual(db.value(stack, 'SELECT mfa_enabled_at FROM users WHERE id = ?', id), null);
  assert.equal(db.value(stack, 'SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL', id), 10);
  const s = db.one(stack, 'SELECT mfa, auth_at FROM sessions WHERE user_id = ?', id);
  assert.equal(s.mfa, 1, 'the session proved a second factor');
  // Afterwards: neither the secret, its QR code nor the codes are shown again.
  const after = await c.get('/account/mfa');
  assert.match(textOf(after.text), /Multi-factor sign-in is on/);
  assert.doesNotMatch(after.text, /mfa-secret|<code>/);
  assert.equal((await c.get('/account/mfa/qr.svg')).status, 404);
  const audit = F.audit(stack, { actor: email, action: 'mfa.enable' });
  assert.deepEqual(audit.map((a) => a.outcome), ['refused', 'ok']);
  for (const a of audit) assert.ok(!String(a.detail).includes(secret.replace(/ /g, '')));
});

test('sign-in: password, then the code; no session before the code; a replayed code is refused', async () => {
  const { c, email, id } = await newAdmin();
  const { secret } = await setupMfa(c);
  const before = F.sessionCount(stack, email);
  const { res, c: b } = await passwordStep(email);
  assert.equal(res.status, 303);
  assert.match(res.location, /^\/signin\/code\?next=/);
  assert.ok(!res.setCookies.some((x) => /^(__Host-)?sid=/.test(x)), 'no session cookie after the password');
  assert.ok(res.setCookies.some((x) => /^mfa=.+; .*Path=\/signin/i.test(x)), 'a challenge cookie for the code page');
  assert.equal(F.sessionCount(stack, email), before, 'no session row before the code');
  assert.match((await b.get('/account')).location ?? '', /^\/signin/, 'not signed in yet');
  const page = await b.get(res.location);
  assert.equal(page.status, 200);
  assert.match(page.text, /autocomplete="one-time-code"/);
  assert.doesNotMatch(textOf(page.text), /remember/i, 'no "remember this browser"');
  const code = await nextCode(secret);
  const done = await codeStep(b, code);
  assert.equal(done.status, 303, errorsOf(done.text).join('; '));
  assert.equal(done.location, '/');
  assert.ok(done.setCookies.some((x) => /^(__Host-)?sid=/.test(x)));
  assert.equal((await b.get('/')).status, 200);
  const s = db.rows(stack, 'SELECT mfa, auth_at, user_agent FROM sessions WHERE user_id = ? ORDER BY id DESC', id)[0];
  assert.equal(s.mfa, 1);
  assert.ok(Math.abs(s.auth_at - F.now()) < 10);
  assert.equal(s.user_agent, UA['user-agent']);
  const u = F.user(stack, email);
  assert.equal(u.last_signin_mfa, 1);
  assert.ok(Math.abs(u.last_signin_at - F.now()) < 10);
  assert.equal(F.auditCount(stack, { actor: email, action: 'signin', outcome: 'ok', detail: 'with a second factor' }), 1);
  // The same code again, from another browser with the right password: refused.
  const { c: d } = await passwordStep(email);
  const again = await codeStep(d, code);
  assert.equal(again.status, 422);
  assert.deepEqual(errorsOf(again.text), ['That code is not right. Enter the current code from your app, or a recovery code you have not used.']);
  assert.ok(!again.setCookies.some((x) => /^(__Host-)?sid=/.test(x)));
  assert.equal(F.auditCount(stack, { actor: email, action: 'signin', outcome: 'failed', detail: 'code used before' }), 1);
  // Without the password step (no challenge cookie), the code page sends you to the password.
  const e = new Client(stack.base);
  const direct = await e.get('/signin/code');
  assert.equal(direct.status, 303);
  assert.match(direct.location, /^\/signin\?next=/);
  // A forged challenge cookie is refused the same way.
  e.jar.set('mfa', { value: 'A'.repeat(72), path: '/signin' });
  assert.match((await e.get('/signin/code')).location, /^\/signin\?next=/);
});

test('password-only sign-ins are recorded too (last_signin_at, last_signin_mfa 0), with the browser', async () => {
  const { email, id } = await newAdmin();
  const { res } = await passwordStep(email);
  assert.equal(res.status, 303);
  assert.equal(res.location, '/');
  const u = F.user(stack, email);
  assert.equal(u.last_signin_mfa, 0);
  assert.ok(Math.abs(u.last_signin_at - F.now()) < 10);
  const s = db.rows(stack, 'SELECT mfa, auth_at, user_agent FROM sessions WHERE user_id = ? ORDER BY id DESC', id)[0];
  assert.deepEqual([s.mfa, s.user_agent], [0, UA['user-agent']]);
  // A long User-Agent is kept shortened (at most 200 bytes), control characters never.
  const { res: long } = await passwordStep(email, PASSWORD, { 'user-agent': `Mozilla/5.0 ${'x'.repeat(400)}` });
  assert.equal(long.status, 303);
  const ua = db.rows(stack, 'SELECT user_agent FROM sessions WHERE user_id = ? ORDER BY id DESC', id)[0].user_agent;
  assert.equal(ua.length, 200);
});

test('wrong codes are failed sign-ins: five of them throttle the account, even with the right code next', async () => {
  const { c, email } = await newAdmin();
  const { secret } = await setupMfa(c);
  const { c: b } = await passwordStep(email);
  for (let i = 0; i < 5; i++) {
    const r = await codeStep(b, String((Number(totp(secret)) + 1 + i) % 1000000).padStart(6, '0'));
    assert.equal(r.status, 422, `attempt ${i + 1}`);
  }
  assert.equal(F.auditCount(stack, { actor: email, action: 'signin', outcome: 'failed', detail: 'wrong code' }), 5);
  const right = await codeStep(b, await nextCode(secret));
  assert.equal(right.status, 429);
  assert.match(textOf(right.text), /Too many unsuccessful attempts/);
  assert.ok(!right.setCookies.some((x) => /^(__Host-)?sid=/.test(x)));
  // The password form is throttled as well (the same counter).
  const { res } = await passwordStep(email);
  assert.equal(res.status, 429);
});

test('a recovery code signs in once, is audited and emailed to the user; the second use fails', async () => {
  const { c, email, id } = await newAdmin();
  const { codes } = await setupMfa(c);
  const { c: b } = await passwordStep(email);
  const res = await codeStep(b, codes[2].toUpperCase().replace(/-/g, ' '));
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal((await b.get('/')).status, 200);
  const mail = await waitForMail(stack.mailDir, { to: email, subject: 'recovery code' });
  assert.match(mail.body, /Recovery codes left: 9/);
  assert.match(mail.body, /\/account\/mfa/);
  assert.ok(!codes.some((x) => mail.body.includes(x)), 'no code in the mail');
  assert.equal(F.auditCount(stack, { actor: email, action: 'mfa.recovery_used', outcome: 'ok' }), 1);
  assert.equal(F.auditCount(stack, { actor: email, action: 'signin', outcome: 'ok', detail: 'with a recovery code' }), 1);
  assert.equal(db.value(stack, 'SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NOT NULL', id), 1);
  const { c: d } = await passwordStep(email);
  const again = await codeStep(d, codes[2]);
  assert.equal(again.status, 422);
  assert.equal(F.auditCount(stack, { actor: email, action: 'signin', outcome: 'failed', detail: 'wrong recovery code' }), 1);
  const page = await b.get('/account/mfa');
  assert.equal(/id="codes-left">(\d+)</.exec(page.text)[1], '9');
});

test('regenerating recovery codes replaces them all; enabling and regenerating end outstanding reset and set-password links', async () => {
  const { c, email, id } = await newAdmin();
  const links = () => db.value(stack, "SELECT count(*) FROM link_tokens WHERE subject_id = ? AND purpose IN ('password-reset', 'set-password') AND used_at IS NULL AND revoked_at IS NULL", id);
  const forgot = async () => {
    const r = await new Client(stack.base).submit('/password/forgot', { email });
    assert.equal(r.status, 303);
    assert.equal(links(), 1);
  };
  await forgot();
  const { codes } = await setupMfa(c);
  assert.equal(links(), 0, 'enabling MFA ended the reset link');
  await forgot();
  const page = await c.get('/account/mfa');
  const res = await c.post('/account/mfa/recovery', { csrf: csrfOf(page.text) });
  assert.equal(res.status, 200);
  const fresh = [...res.text.matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((x) => x[1]);
  assert.equal(fresh.length, 10);
  assert.ok(!fresh.some((x) => codes.includes(x)));
  assert.equal(links(), 0, 'regenerating ended the reset link');
  assert.equal(F.auditCount(stack, { actor: email, action: 'mfa.recovery_regenerate', outcome: 'ok' }), 1);
  const { c: b } = await passwordStep(email);
  assert.equal((await codeStep(b, codes[0])).status, 422, 'an old code no longer works');
  assert.equal((await codeStep(b, fresh[0])).status, 303);
});

test('the organization requires MFA: its users are sent to setup after the password and can do nothing else; sign-out works', async () => {
  const ga = await newAdmin();
  await addUser(ga.c, { name: 'Uma User', email: `uma@${ga.domain}`, roles: ['user_admin'] });
  const uma = await activate(stack, `uma@${ga.domain}`);
  // Only a Global admin sees Settings -> Security.
  assert.equal((await uma.get('/settings/security')).status, 403);
  let page = await ga.c.get('/settings/security');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Require multi-factor sign-in for everyone in the organization/);
  // The Global admin sets MFA up first, then requires it.
  await setupMfa(ga.c, ga.email);
  page = await ga.c.get('/settings/security');
  let res = await ga.c.post('/settings/security', { csrf: csrfOf(page.text), require_mfa: 'yes' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/settings/security?m=security-saved');
  assert.equal(db.value(stack, 'SELECT require_mfa FROM tenants WHERE id = ?', ga.tenant), 1);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'security.require_mfa', detail: 'on' }), 1);
  assert.equal((await ga.c.get('/')).status, 200, 'a user with MFA goes on as before');

  // Uma (no MFA) signs in with her password: sent to setup; everything else redirects there.
  const u = new Client(stack.base);
  res = await u.signin(`uma@${ga.domain}`);
  assert.equal(res.status, 303);
  for (const path of ['/', '/settings/users', '/account', '/settings/roles', '/find-a-provider', '/account/reauth']) {
    const r = await u.get(path);
    assert.equal(r.status, 303, path);
    assert.equal(r.location, '/account/mfa', path);
  }
  const setup = await u.get('/account/mfa');
  assert.equal(setup.status, 200);
  assert.match(textOf(setup.text), /Your organization requires multi-factor sign-in/);
  // A POST elsewhere is not carried out either.
  const before = db.value(stack, 'SELECT pw_hash FROM users WHERE email = ?', `uma@${ga.domain}`);
  res = await u.post('/account/password', { csrf: csrfOf(setup.text), current: PASSWORD, password: 'another long password', password2: 'another long password' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account/mfa');
  assert.equal(db.value(stack, 'SELECT pw_hash FROM users WHERE email = ?', `uma@${ga.domain}`), before);
  // Sign-out works.
  res = await u.post('/signout', { csrf: csrfOf(setup.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/signin?m=signed-out');
  // Again, and this time she sets it up: then the portal opens, and MFA cannot be turned off.
  await u.signin(`uma@${ga.domain}`);
  await setupMfa(u, `uma@${ga.domain}`);
  assert.equal((await u.get('/settings/users')).status, 200);
  const off = await u.get('/account/mfa/disable');
  assert.equal(off.status, 403);
  assert.match(textOf(off.text), /required for your organization/);
  res = await u.post('/account/mfa/disable', { csrf: csrfOf(setup.text) });
  assert.equal(res.status, 403);
  assert.notEqual(db.value(stack, 'SELECT mfa_enabled_at FROM users WHERE email = ?', `uma@${ga.domain}`), null);
});

test('portalctl security: require-mfa on|off and status; a new installation requires MFA', async () => {
  const fresh = await startStack({ requireMfa: true });
  try {
    let r = fresh.ctl('security', 'status');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^require-mfa \(program-wide\): on$/m);
    // A new account signs up and is sent straight to setup.
    const c = new Client(fresh.base);
    await c.signup({ domain: 'fresh.example', email: 'ga@fresh.example' });
    const home = await c.get('/');
    assert.equal(home.status, 303);
    assert.equal(home.location, '/account/mfa');
    r = fresh.ctl('security', 'require-mfa', 'off');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not required program-wide/);
    assert.equal((await c.get('/')).status, 200);
    assert.match(fresh.ctl('security', 'status').stdout, /^require-mfa \(program-wide\): off$/m);
    r = fresh.ctl('security', 'require-mfa', 'on');
    assert.equal(r.code, 0);
    assert.equal((await c.get('/')).location, '/account/mfa');
    assert.equal(db.value(fresh, "SELECT value FROM program_settings WHERE name = 'require_mfa'"), '1');
    assert.equal(db.value(fresh, "SELECT count(*) FROM audit WHERE action = 'security.require_mfa' AND actor = 'operator'"), 2);
    assert.equal(fresh.ctl('security', 'require-mfa', 'maybe').code, 2);
    assert.equal(fresh.ctl('security', 'require-mfa').code, 2);
    // An installation from before the setting (no row): not required; init does not add it.
    db.exec(fresh, "DELETE FROM program_settings WHERE name = 'require_mfa'");
    assert.equal(fresh.ctl('init').code, 0);
    assert.match(fresh.ctl('security', 'status').stdout, /^require-mfa \(program-wide\): off$/m);
    assert.equal((await c.get('/')).status, 200);
    assert.match(fresh.ctl('help').stdout, /security require-mfa on\|off/);
  } finally {
    await stopChecked(fresh);
  }
});

// ---------------------------------------------------------------- re-authentication

/** A Global admin of an approved indirect reseller with a provider (admin access on), a
 * published agreement not yet accepted, and a second user. */
async function sensitiveWorld() {
  const ga = await newAdmin();
  F.partnerAccount(stack, { tenant: ga.tenant, type: 'indirect_reseller', status: 'approved' });
  const [provider] = F.bulkPartners(stack, { prefix: `prov-${unique()}-`, names: ['Provider P'], type: 'indirect_provider' });
  const reseller = F.partnerAccountId(stack, ga.tenant, 'indirect_reseller');
  ga.rel = F.relate(stack, provider, reseller);
  F.publishAgreement(stack, `v-${unique()}`);
  ga.version = F.latestAgreementId(stack);
  ga.victim = (await addUser(ga.c, { name: 'Vic Victim', email: `vic@${ga.domain}`, roles: ['helpdesk_agent'] })).id;
  return ga;
}

/** Stale proof → asked (GET: to the page; POST: not done, asked, then submit again). */
async function reauthFlow(ga, { path, body, done, check, code }) {
  staleProof(ga.id);
  const form = await ga.c.get('/account');
  const csrf = csrfOf(form.text);
  // A GET of the action's page (when it has one of its own) is asked first too.
  let res = await ga.c.post(path, { csrf, ...body });
  assert.equal(res.status, 303, path);
  assert.equal(res.location, `/account/reauth?next=${path}&again=1`, path);
  assert.equal(check(), false, `${path}: nothing done while the proof is stale`);
  const page = await ga.c.get(res.location);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /submit the form again/);
  // A wrong password is refused (and counted as a failed sign-in).
  const failed = F.auditCount(stack, { actor: ga.email, action: 'signin', outcome: 'failed' });
  res = await ga.c.post('/account/reauth', { csrf, password: 'not the password', code: code ? await code() : '', next: path });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['This is not your password.']);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'signin', outcome: 'failed' }), failed + 1);
  res = await ga.c.post('/account/reauth', { csrf, password: PASSWORD, code: code ? await code() : '', next: path });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(res.location, path);
  assert.ok(Math.abs(db.value(stack, 'SELECT max(auth_at) FROM sessions WHERE user_id = ?', ga.id) - F.now()) < 10);
  // Fresh now: the same form goes through without asking.
  res = await ga.c.post(path, { csrf, ...body });
  assert.equal(res.status, 303, `${path}: ${errorsOf(res.text).join('; ')}`);
  assert.ok(done(res), `${path}: done (${res.location})`);
  assert.equal(check(), true, `${path}: done`);
}

test('re-authentication: changing roles, deleting a user, accepting the agreement, removing a provider\'s access, each asked when the proof is stale', async () => {
  const ga = await sensitiveWorld();
  const reauthOk = () => F.auditCount(stack, { actor: ga.email, action: 'reauth', outcome: 'ok' });
  // changing roles
  await reauthFlow(ga, {
    path: `/settings/users/${ga.victim}`, body: { 'roles[]': ['sales_agent'] },
    done: (r) => r.location.startsWith(`/settings/users/${ga.victim}`),
    check: () => db.value(stack, 'SELECT roles FROM users WHERE id = ?', ga.victim) === F.roleBits(['sales_agent']),
  });
  assert.equal(reauthOk(), 1);
  // deleting a user: the confirmation page (GET) asks first, and comes back to it
  staleProof(ga.id);
  const del = `/settings/users/${ga.victim}/delete`;
  let res = await ga.c.get(del);
  assert.equal(res.status, 303);
  assert.equal(res.location, `/account/reauth?next=${del}`);
  await reauthFlow(ga, {
    path: del, body: {},
    done: (r) => r.location === '/settings/users?m=user-deleted',
    check: () => db.value(stack, 'SELECT count(*) FROM users WHERE id = ?', ga.victim) === 0,
  });
  // accepting the agreement
  await reauthFlow(ga, {
    path: '/agreement', body: { first: 'Gale', last: 'Admin', email: ga.email, phone: '+49 30 555 0111', title: 'CEO', accept: 'yes', version: ga.version },
    done: (r) => r.location.startsWith('/'),
    check: () => db.value(stack, 'SELECT count(*) FROM agreement_acceptances WHERE tenant_id = ? AND version_id = ?', ga.tenant, ga.version) === 1,
  });
  // removing a provider's administrator access
  staleProof(ga.id);
  const rm = `/providers/remove-access/${ga.rel}`;
  assert.equal((await ga.c.get(rm)).location, `/account/reauth?next=${rm}`);
  await reauthFlow(ga, {
    path: rm, body: { confirm: 'yes' },
    done: (r) => r.location === '/providers?m=admin-access-removed',
    check: () => db.value(stack, 'SELECT admin_access FROM provider_relationships WHERE id = ?', ga.rel) === 0,
  });
  assert.equal(reauthOk(), 4);
  assert.ok(F.auditCount(stack, { actor: ga.email, action: 'reauth', outcome: 'refused' }) >= 4, 'each stale POST audited');
});

test('re-authentication: with a fresh proof nothing is asked; the redirect keeps to this site', async () => {
  const ga = await sensitiveWorld();
  assert.equal((await ga.c.get(`/settings/users/${ga.victim}/delete`)).status, 200, 'signed in a moment ago');
  staleProof(ga.id);
  const page = await ga.c.get('/account/reauth?next=https://evil.example/');
  const res = await ga.c.post('/account/reauth', { csrf: csrfOf(page.text), password: PASSWORD, next: 'https://evil.example/' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/?m=reauth-done');
  assert.equal((await ga.c.get(`/settings/users/${ga.victim}/delete`)).status, 200);
});

test('re-authentication: turning MFA off asks for the password and the code', async () => {
  const ga = await newAdmin();
  const { secret } = await setupMfa(ga.c);
  staleProof(ga.id);
  let res = await ga.c.get('/account/mfa/disable');
  assert.equal(res.location, '/account/reauth?next=/account/mfa/disable');
  const page = await ga.c.get(res.location);
  assert.match(page.text, /autocomplete="one-time-code"/, 'the code is asked too');
  // The password alone is not enough.
  res = await ga.c.post('/account/reauth', { csrf: csrfOf(page.text), password: PASSWORD, code: '', next: '/account/mfa/disable' });
  assert.equal(res.status, 422);
  assert.equal(errorsOf(res.text).length, 1);
  assert.match(errorsOf(res.text)[0], /code is not right/);
  res = await ga.c.post('/account/reauth', { csrf: csrfOf(page.text), password: PASSWORD, code: await nextCode(secret), next: '/account/mfa/disable' });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account/mfa/disable');
  const confirm = await ga.c.get('/account/mfa/disable');
  assert.equal(confirm.status, 200);
  res = await ga.c.post('/account/mfa/disable', { csrf: csrfOf(confirm.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account/mfa?m=mfa-disabled');
  assert.equal(db.value(stack, 'SELECT count(*) FROM users WHERE id = ? AND mfa_secret IS NULL AND mfa_enabled_at IS NULL', ga.id), 1);
  assert.equal(db.value(stack, 'SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ?', ga.id), 0);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.disable', outcome: 'ok' }), 1);
  // Signing in is the password alone again.
  const { res: again } = await passwordStep(ga.email);
  assert.equal(again.location, '/');
});

test('the demo world: every user has TOTP set up, its secret printed beside the password; a computed code signs in; demo again keeps the secrets', async () => {
  let r = stack.ctl('demo');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /demo sign-ins \(email, password, TOTP secret for an authenticator app/);
  const { readDemoSecrets } = await import('../lib/stack.mjs');
  const secrets = new Map(readDemoSecrets(stack.data));
  const users = db.rows(stack, "SELECT email, mfa_enabled_at FROM users WHERE email LIKE '%.example' AND email IN (SELECT email FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.domain IN ('northwind.example', 'adatum.example', 'tailspin.example'))");
  assert.ok(users.length >= 4);
  for (const u of users) {
    assert.notEqual(u.mfa_enabled_at, null, u.email);
    assert.match(secrets.get(u.email) ?? '', /^[A-Z2-7]{32}$/, u.email);
    assert.ok(r.stdout.includes(secrets.get(u.email)), 'printed too');
  }
  const nora = 'nora.north@northwind.example';
  const { res, c } = await passwordStep(nora, 'Demo-Partner-2025');
  assert.match(res.location, /^\/signin\/code/);
  const done = await codeStep(c, await nextCode(secrets.get(nora)));
  assert.equal(done.status, 303);
  assert.equal((await c.get('/customers')).status, 200);
  r = stack.ctl('demo');
  assert.equal(r.code, 0);
  assert.deepEqual(new Map(readDemoSecrets(stack.data)), secrets, 'running the demo again changes no secret');
});

test('re-authentication with a recovery code instead of the app: accepted once, audited and emailed', async () => {
  const ga = await newAdmin();
  const { codes } = await setupMfa(ga.c);
  staleProof(ga.id);
  const page = await ga.c.get('/account/reauth?next=/account/mfa/disable');
  let res = await ga.c.post('/account/reauth', { csrf: csrfOf(page.text), password: PASSWORD, code: codes[5], next: '/account/mfa/disable' });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(res.location, '/account/mfa/disable');
  await waitForMail(stack.mailDir, { to: ga.email, subject: 'recovery code' });
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.recovery_used', outcome: 'ok' }), 1);
  staleProof(ga.id);
  res = await ga.c.post('/account/reauth', { csrf: csrfOf(page.text), password: PASSWORD, code: codes[5], next: '/account/mfa/disable' });
  assert.equal(res.status, 422);
});
