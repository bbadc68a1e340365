// ux-words.test.mjs — issue 15, item 15 (the rest): the sign-in pages put the cursor in Email;
// Add user (page and API) requires a role; every email's lines are wrapped at 72 characters
// (words never cut, links whole); invitation emails (reseller, customer, delegated admin
// request) carry Reply-To the inviting user's address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, errorsOf } from '../lib/http.mjs';
import { messages, waitForMail, longLines } from '../lib/mail.mjs';
import { apiClient } from '../lib/api.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const autofocused = (html) => [...html.matchAll(/<[a-z]+ [^>]*\bautofocus\b[^>]*>/g)].map((m) => m[0]);

test('the sign-in pages focus Email; after an empty submit the error summary has the focus instead', async () => {
  for (const path of ['/signin', '/operator/signin']) {
    const c = new Client(stack.base);
    const page = await c.get(path);
    assert.equal(page.status, 200, path);
    const af = autofocused(page.text);
    assert.equal(af.length, 1, `${path}: one autofocus`);
    assert.match(af[0], /^<input id="f-email" name="email" type="email"/, path);
    // A wrong password: Email again (the banner is announced by its role).
    const wrong = await c.submit(path, { email: 'nobody@words.example', password: 'not the right password' });
    assert.equal(autofocused(wrong.text).length, 1, `${path}: wrong password`);
    assert.match(autofocused(wrong.text)[0], /id="f-email"/);
    // Nothing entered: the summary takes the focus, and it alone.
    const empty = await c.submit(path, { email: '', password: '' });
    assert.equal(empty.status, 422);
    const af2 = autofocused(empty.text);
    assert.equal(af2.length, 1, `${path}: one autofocus with errors`);
    assert.match(af2[0], /class="banner error summary"/);
  }
});

test('Add user requires at least one role: the form again with the message beside the roles; the API too', async () => {
  const p = await F.relPartner(stack, { type: null, domain: 'words-users.example' });
  const mails = messages(stack.mailDir).length;
  const res = await p.client.submit('/settings/users/new', { name: 'Rolf Roleless', email: 'rolf@words-users.example' }, '/settings/users/new');
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Choose at least one role: a user without a role can do nothing in the portal.']);
  assert.match(res.text, /<fieldset id="f-roles" class="roles has-error">/);
  assert.match(res.text, /<p class="error" id="f-roles-error"><span class="visually-hidden">Error: <\/span>Choose at least one role/);
  assert.match(res.text, /value="Rolf Roleless"/, 'the input is kept');
  assert.equal(X.user(stack, 'rolf@words-users.example'), undefined);
  assert.equal(X.count(stack, 'audit', { tenant_id: p.tenantId, action: 'user.add' }), 0, 'nothing written');
  // With a role: added, and the email names it.
  const ok = await p.client.submit('/settings/users/new', { name: 'Rolf Roleless', email: 'rolf@words-users.example', 'roles[]': ['sales_agent'] }, '/settings/users/new');
  assert.equal(ok.status, 303);
  const mail = await waitForMail(stack.mailDir, { to: 'rolf@words-users.example', after: mails });
  assert.match(mail.body, /Sales agent/);
  assert.doesNotMatch(mail.body, /No roles/);

  // The API shares the rule (domain/accounts.c): 422 with the field.
  const cred = await X.apiCredential(stack, { tenant: p.tenantId });
  const api = apiClient(stack.base, cred.secret);
  const r = await api.post('/api/v1/users', { name: 'Nina None', email: 'nina@words-users.example', roles: [] });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.errors, [{ field: 'roles', message: 'Choose at least one role: a user without a role can do nothing in the portal.' }]);
  assert.equal(X.user(stack, 'nina@words-users.example'), undefined);
});

/** Every body line of msg: at most 72 characters, or one unbreakable word. */
function assertWrapped(msg) {
  assert.deepEqual(longLines(msg.body), [], msg.subject);
}

test('invitation emails carry Reply-To the inviter; long lines are wrapped at 72 without cutting words or links', async () => {
  // A message line of 200 characters, a word of 90 (kept whole), and a long organization name.
  const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
  const long = 'x'.repeat(90);
  const w = await C.custPair(stack, { prefix: 'wrp', providerOrg: 'Wrapping Distribution International Holding Europe GmbH' });
  const provider = w.provider;

  // Reseller invitation from the provider's Global admin.
  const inv = await F.relInvite(stack, provider, 'invited@words-reseller.example', `${words}\n${long}`);
  assert.equal(inv.mail.headers['reply-to'], provider.email);
  assert.match(inv.mail.headers.from, /no-reply/);
  assertWrapped(inv.mail);
  const lines = inv.mail.body.split('\n');
  assert.ok(lines.some((l) => l === `  | ${long}`), 'the long word stays whole, with its quote mark');
  const quoted = lines.filter((l) => l.startsWith('  | word'));
  assert.ok(quoted.length >= 3, 'the message line is wrapped, each piece quoted');
  assert.equal(quoted.map((l) => l.slice(4)).join(' '), words, 'no word lost or cut');
  assert.ok(lines.includes(inv.link), 'the link on a line of its own, whole');
  assert.ok(lines.some((l) => [...l].length > 60), 'lines are filled, not cut short');

  // Customer invitation from the reseller's Global admin.
  const cinv = await C.custInvite(stack, w, 'ga@words-customer.example', { message: words });
  assert.equal(cinv.mail.headers['reply-to'], w.reseller.email);
  assertWrapped(cinv.mail);

  // Delegated admin request from the reseller to a customer of both.
  const cust = await C.custOrg(stack, { domain: 'wrp-cust.example', org: 'WRP Customer AG', email: 'ga@wrp-cust.example' });
  await C.custRelate(stack, w, cust);
  const before = messages(stack.mailDir).length;
  const res = await w.reseller.client.submit('/delegated-admin/new', { other: String(cust.tenantId), name: 'Helpdesk words', days: '30',
    'roles[]': ['user_admin'], message: '', auto_extend: 'yes' });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  const da = await waitForMail(stack.mailDir, { to: cust.email, after: before, subject: 'delegated administration' });
  assert.equal(da.headers['reply-to'], w.reseller.email);
  assertWrapped(da);
  assert.match(da.body, /\n {2}Duration: 30 days from the approval, then extended by 6 months at a\n {2}time\n/, 'an indented line wraps under its indent');

  // Other emails are not invitations: no Reply-To.
  const signup = messages(stack.mailDir).filter((m) => /added you|Confirm/.test(m.subject));
  for (const m of signup) assert.equal(m.headers['reply-to'], undefined, m.subject);
  // An API credential has no address: its invitation has no Reply-To (and is sent).
  const cred = await X.apiCredential(stack, { tenant: provider.tenantId });
  const api = apiClient(stack.base, cred.secret);
  const n = messages(stack.mailDir).length;
  const r = await api.post('/api/v1/reseller-invitations', { email: 'api-invited@words-reseller.example', message: '' });
  assert.equal(r.status, 201, r.text);
  const apiMail = await waitForMail(stack.mailDir, { to: 'api-invited@words-reseller.example', after: n });
  assert.equal(apiMail.headers['reply-to'], undefined);
});

test('every email this stack sent has its lines wrapped at 72 characters', async () => {
  const all = messages(stack.mailDir);
  assert.ok(all.length >= 6, `${all.length} messages`);
  for (const m of all) assertWrapped(m);
  // The outbox holds the same messages (those not yet removed by delivery).
  assert.equal(Number(db.value(stack, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND attempts > 0')), 0);
});
