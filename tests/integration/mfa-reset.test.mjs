// mfa-reset.test.mjs — a Global admin resets the multi-factor sign-in of a user of their
// organization who lost the authenticator and every recovery code (Settings → User
// management → the user → Reset multi-factor sign-in): the confirmation page, then the reset
// in one transaction (secret, last step and recovery codes gone, outstanding password links
// revoked, every session ended, an audit entry, an email to the user). Re-authentication
// first (F_REAUTH); Global admins only (MFA_RESET, the dispatcher's 403); another
// organization's user is a 404; a user without MFA has nothing to reset; one's own is
// refused (it is on one's account page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { addUser, activate, mailTo, PASSWORD } from '../lib/users.mjs';
import { waitForMail } from '../lib/mail.mjs';
import { nextCode } from '../lib/totp.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

let serial = 0;
const unique = () => `r${process.pid}x${++serial}`;
const SUBJECT = /reset multi-factor sign-in of your/;

/** A new organization whose Global admin is signed in: { c, email, domain, id, tenant }. */
async function newAdmin() {
  const domain = `${unique()}.example`;
  const email = `ga@${domain}`;
  const c = new Client(stack.base);
  await c.signup({ org: `Org ${domain}`, domain, email });
  return { c, email, domain, id: F.userId(stack, email), tenant: F.tenantId(stack, domain) };
}

/** Sets MFA up for c (signed in as email) through /account/mfa: { secret, codes }. */
async function setupMfa(c, email) {
  let page = await c.get('/account/mfa');
  assert.equal(page.status, 200);
  const res = await c.post('/account/mfa/start', { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  page = await c.get('/account/mfa');
  const secret = /id="mfa-secret" type="text" readonly value="([A-Z2-7 ]+)"/.exec(page.text)[1];
  const done = await c.post('/account/mfa', { csrf: csrfOf(page.text), code: await nextCode(secret) });
  assert.equal(done.status, 200, errorsOf(done.text).join('; '));
  const codes = [...done.text.matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((x) => x[1]);
  assert.equal(codes.length, 10);
  c.useTotp(email, secret);
  return { secret: secret.replace(/ /g, ''), codes };
}

/** A user of ga's organization with a password, signed in: { c, email, id }; with MFA set up when mfa. */
async function newUser(ga, { roles = ['helpdesk_agent'], mfa = true, name = 'Tia Token' } = {}) {
  const email = `${unique()}@${ga.domain}`;
  const { id } = await addUser(ga.c, { name, email, roles });
  const c = await activate(stack, email);
  const u = { c, email, id };
  if (mfa) Object.assign(u, await setupMfa(c, email));
  return u;
}

const mfaOf = (id) => db.one(stack, 'SELECT mfa_secret IS NOT NULL AS secret, mfa_enabled_at, mfa_last_step FROM users WHERE id = ?', id);
const codesOf = (id) => db.value(stack, 'SELECT count(*) FROM mfa_recovery_codes WHERE user_id = ?', id);
const sessionsOf = (id) => db.value(stack, 'SELECT count(*) FROM sessions WHERE user_id = ?', id);
const linksOf = (id) => db.value(stack, "SELECT count(*) FROM link_tokens WHERE subject_id = ? AND purpose IN ('password-reset', 'set-password') AND used_at IS NULL AND revoked_at IS NULL", id);
const staleProof = (userId) => db.exec(stack, 'UPDATE sessions SET auth_at = ? WHERE user_id = ?', F.now() - 11 * 60, userId);
const path = (id) => `/settings/users/${id}/mfa-reset`;

test('a Global admin resets a user\'s MFA: secret and codes gone, links revoked, signed out everywhere, audited, emailed; the password alone signs in', async () => {
  const ga = await newAdmin();
  const tia = await newUser(ga);
  // A second browser of Tia's, and a forgotten-password link she asked for.
  const other = new Client(stack.base);
  other.useTotp(tia.email, tia.secret);
  assert.equal((await other.signin(tia.email)).location, '/');
  const forgot = new Client(stack.base);
  assert.equal((await forgot.submit('/password/forgot', { email: tia.email })).status, 303);
  assert.equal(linksOf(tia.id), 1);
  assert.equal(sessionsOf(tia.id), 2);
  assert.equal(codesOf(tia.id), 10);
  assert.ok(mfaOf(tia.id).mfa_enabled_at > 0 && mfaOf(tia.id).mfa_last_step > 0);

  // The user's page shows the button; the confirmation says what happens.
  const userPage = await ga.c.get(`/settings/users/${tia.id}`);
  assert.match(userPage.text, new RegExp(`<a class="button" href="${path(tia.id)}">Reset multi-factor sign-in</a>`));
  const confirm = await ga.c.get(path(tia.id));
  assert.equal(confirm.status, 200);
  assert.match(textOf(confirm.text), /signed out everywhere/);
  assert.match(textOf(confirm.text), /recovery code/);

  const res = await ga.c.post(path(tia.id), { csrf: csrfOf(confirm.text) });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(res.location, `/settings/users/${tia.id}?m=mfa-reset`);
  assert.match(textOf((await ga.c.get(res.location)).text), /Multi-factor sign-in has been reset/);

  assert.deepEqual(mfaOf(tia.id), { secret: 0, mfa_enabled_at: null, mfa_last_step: 0 });
  assert.equal(codesOf(tia.id), 0);
  assert.equal(sessionsOf(tia.id), 0);
  assert.equal(linksOf(tia.id), 0, 'the forgotten-password link no longer works');
  for (const c of [tia.c, other]) {
    const r = await c.get('/account');
    assert.equal(r.status, 303);
    assert.match(r.location, /^\/signin/);
  }
  // The audit entry: by the admin, about Tia, no secret in it.
  const rows = F.audit(stack, { action: 'mfa.reset' }).filter((a) => a.target === tia.email);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].actor, ga.email);
  assert.equal(rows[0].outcome, 'ok');
  assert.match(rows[0].detail, /2 session\(s\) ended/);
  for (const x of [tia.secret, ...tia.codes]) assert.ok(!JSON.stringify(rows[0]).includes(x));
  // Tia's email: who did it, and that the password is enough now.
  const mail = await waitForMail(stack.mailDir, { to: tia.email, subject: SUBJECT });
  assert.match(mail.body, new RegExp(ga.email.replace(/\./g, '\\.')));
  assert.match(mail.body.replace(/\s+/g, ' '), /your password is enough/);
  for (const x of [tia.secret, ...tia.codes]) assert.ok(!mail.body.includes(x));

  // She signs in with her password only (no code step), and may set MFA up again.
  const again = new Client(stack.base);
  const s = await again.signin(tia.email);
  assert.equal(s.status, 303);
  assert.equal(s.location, '/');
  assert.equal((await again.get('/')).status, 200);
  // Her page has no reset any more: nothing to reset.
  const after = await ga.c.get(`/settings/users/${tia.id}`);
  assert.ok(!after.text.includes(path(tia.id)));
  assert.match(textOf(after.text), /has not set up multi-factor sign-in/);
});

test('the organization requires MFA: after the reset the user is sent to set it up again at the next sign-in', async () => {
  const ga = await newAdmin();
  await setupMfa(ga.c, ga.email);
  const tia = await newUser(ga);
  db.exec(stack, 'UPDATE tenants SET require_mfa = 1 WHERE id = ?', ga.tenant);
  const confirm = await ga.c.get(path(tia.id));
  assert.equal(confirm.status, 200);
  const res = await ga.c.post(path(tia.id), { csrf: csrfOf(confirm.text) });
  assert.equal(res.status, 303);
  assert.equal(mfaOf(tia.id).mfa_enabled_at, null);
  const mail = await waitForMail(stack.mailDir, { to: tia.email, subject: SUBJECT });
  assert.match(mail.body.replace(/\s+/g, ' '), /requires multi-factor sign-in: the next time you sign in, you will set it up again/);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.reset', outcome: 'ok' }), 1);
  // The password signs her in, to setup only.
  const again = new Client(stack.base);
  assert.equal((await again.signin(tia.email)).status, 303);
  const home = await again.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.location, '/account/mfa');
  await setupMfa(again, tia.email);
  assert.equal((await again.get('/')).status, 200);
});

test('re-authentication: with a stale proof the page and the reset ask for the password first; nothing is reset before', async () => {
  const ga = await newAdmin();
  const tia = await newUser(ga);
  staleProof(ga.id);
  let res = await ga.c.get(path(tia.id));
  assert.equal(res.status, 303);
  assert.equal(res.location, `/account/reauth?next=${path(tia.id)}`);
  const form = await ga.c.get('/account');
  const csrf = csrfOf(form.text);
  res = await ga.c.post(path(tia.id), { csrf });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/account/reauth?next=${path(tia.id)}&again=1`);
  assert.ok(mfaOf(tia.id).mfa_enabled_at > 0, 'not reset while the proof is stale');
  assert.equal(sessionsOf(tia.id), 1);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.reset' }), 0);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'reauth', outcome: 'refused' }), 1, 'the stale POST is audited');
  res = await ga.c.post('/account/reauth', { csrf, password: PASSWORD, code: '', next: path(tia.id) });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(res.location, path(tia.id));
  res = await ga.c.post(path(tia.id), { csrf });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/settings/users/${tia.id}?m=mfa-reset`);
  assert.equal(mfaOf(tia.id).mfa_enabled_at, null);
});

test('another organization\'s user: 404 for the page and the reset, audited in the asker\'s log, nothing changed', async () => {
  const a = await newAdmin();
  const tia = await newUser(a);
  const b = await newAdmin();
  const before = { mfa: mfaOf(tia.id), codes: codesOf(tia.id), sessions: sessionsOf(tia.id) };
  const seen = mailTo(stack, tia.email).length;
  assert.equal((await b.c.get(path(tia.id))).status, 404);
  const page = await b.c.get('/account');
  assert.equal((await b.c.post(path(tia.id), { csrf: csrfOf(page.text) })).status, 404);
  assert.deepEqual({ mfa: mfaOf(tia.id), codes: codesOf(tia.id), sessions: sessionsOf(tia.id) }, before);
  const refused = F.audit(stack, { actor: b.email, action: 'mfa.reset' });
  assert.equal(refused.length, 2);
  for (const r of refused) {
    assert.equal(r.outcome, 'refused');
    assert.equal(r.target, `user #${tia.id}`);
    assert.equal(r.tenant_id, b.tenant);
  }
  assert.equal(F.auditCount(stack, { action: 'mfa.reset', target: tia.email }), 0);
  assert.equal(mailTo(stack, tia.email).length, seen, 'no mail');
});

test('only a Global admin: a User admin and an Admin agent (who manage users) are refused by the dispatcher (403) and see no button', async () => {
  const ga = await newAdmin();
  const tia = await newUser(ga);
  for (const role of ['user_admin', 'admin_agent']) {
    const m = await newUser(ga, { roles: [role], mfa: false, name: 'Max Manager' });
    const userPage = await m.c.get(`/settings/users/${tia.id}`);
    assert.equal(userPage.status, 200, role);
    assert.ok(!userPage.text.includes(path(tia.id)), `${role}: no button`);
    assert.equal((await m.c.get(path(tia.id))).status, 403, role);
    assert.equal((await m.c.post(path(tia.id), { csrf: csrfOf(userPage.text) })).status, 403, role);
    assert.equal(F.auditCount(stack, { actor: m.email, action: 'access', outcome: 'refused' }), 2, role);
  }
  assert.ok(mfaOf(tia.id).mfa_enabled_at > 0);
  assert.equal(codesOf(tia.id), 10);
  assert.equal(sessionsOf(tia.id), 1);
  assert.equal(F.auditCount(stack, { action: 'mfa.reset', target: tia.email }), 0);
});

test('a user without MFA: no button; the page and the reset say there is nothing to reset, and nothing is written', async () => {
  const ga = await newAdmin();
  const tia = await newUser(ga, { mfa: false });
  // A setup started but never confirmed is not MFA either.
  db.exec(stack, 'UPDATE users SET mfa_secret = randomblob(60) WHERE id = ?', tia.id);
  const userPage = await ga.c.get(`/settings/users/${tia.id}`);
  assert.ok(!userPage.text.includes(path(tia.id)));
  assert.match(textOf(userPage.text), /has not set up multi-factor sign-in/);
  const page = await ga.c.get(path(tia.id));
  assert.equal(page.status, 409);
  assert.match(textOf(page.text), /has not set up multi-factor sign-in, so there is nothing to reset/);
  const seen = mailTo(stack, tia.email).length;
  const counts = F.tableCounts(stack);
  const res = await ga.c.post(path(tia.id), { csrf: csrfOf(userPage.text) });
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /nothing to reset/);
  assert.deepEqual(F.tableCounts(stack), counts, 'nothing written');
  assert.equal(mfaOf(tia.id).secret, 1);
  assert.equal(sessionsOf(tia.id), 1);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.reset' }), 0);
  assert.equal(mailTo(stack, tia.email).length, seen);
});

test('one\'s own MFA: refused here (403, audited; it is on one\'s account page); another Global admin resets it', async () => {
  const ga = await newAdmin();
  const mine = await setupMfa(ga.c, ga.email);
  const own = await ga.c.get(`/settings/users/${ga.id}`);
  assert.ok(!own.text.includes(path(ga.id)));
  assert.match(own.text, /href="\/account\/mfa"/);
  const page = await ga.c.get(path(ga.id));
  assert.equal(page.status, 403);
  assert.match(textOf(page.text), /cannot reset your own multi-factor sign-in/);
  const res = await ga.c.post(path(ga.id), { csrf: csrfOf(own.text) });
  assert.equal(res.status, 403);
  assert.ok(mfaOf(ga.id).mfa_enabled_at > 0);
  assert.equal(codesOf(ga.id), 10);
  assert.equal(F.auditCount(stack, { actor: ga.email, action: 'mfa.reset', outcome: 'refused', detail: 'own account' }), 1);
  assert.equal((await ga.c.get('/')).status, 200, 'still signed in');
  // A second Global admin does it for the first.
  const ga2 = await newUser(ga, { roles: ['global_admin'], mfa: false, name: 'Gus Second' });
  const confirm = await ga2.c.get(path(ga.id));
  assert.equal(confirm.status, 200);
  const done = await ga2.c.post(path(ga.id), { csrf: csrfOf(confirm.text) });
  assert.equal(done.status, 303);
  assert.equal(mfaOf(ga.id).mfa_enabled_at, null);
  assert.equal(sessionsOf(ga.id), 0);
  assert.ok(!mine.secret.includes(' '));
});
