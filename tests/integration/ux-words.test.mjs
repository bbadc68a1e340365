// ux-words.test.mjs — issue 15, item 15 (the rest): the sign-in pages put the cursor in Email;
// Add user (page and API) requires a role; every email's lines are wrapped at 72 characters
// (words never cut, links whole); invitation emails (reseller, customer, delegated admin
// request) carry Reply-To the inviting user's address. Item 13 (words): one date format on
// every page ("05 Mar 2026", "05 Mar 2026, 14:03 UTC"), one breadcrumb trail on detail pages
// with no dangling separator, one word per state, "work account" for what code calls a tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, errorsOf, textOf } from '../lib/http.mjs';
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

// ---- item 13: words and dates ----

const DATE = String.raw`\d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}`;

/** The dates and times a page shows (its text, not its attributes); fails on any other format. */
function datesOn(path, html) {
  const text = textOf(html);
  assert.doesNotMatch(text, /\b\d{4}-\d\d-\d\d\b/, `${path}: an ISO date shown to a person`);
  assert.doesNotMatch(text, /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/, `${path}: a numeric date`);
  // every clock time is part of "05 Mar 2026, 14:03 CET" (issue 15, item 13: in the reader's
  // zone, here their organization's country's, Germany's or France's; was "UTC")
  for (const m of text.matchAll(/\d\d:\d\d/g)) {
    const around = text.slice(Math.max(0, m.index - 13), m.index + 10);
    assert.match(around, new RegExp(`^${DATE}, \\d\\d:\\d\\d CES?T`), `${path}: "${around}"`);
  }
  return [...text.matchAll(new RegExp(DATE, 'g'))].length;
}

test('item 13: one date format on every page that shows dates; CSV and API keep ISO 8601', async () => {
  const w = await C.custPair(stack, { prefix: 'dates' });
  const inv = await F.relInvite(stack, w.provider, 'dated@words-dates.example');
  const cinv = await C.custInvite(stack, w, 'ga@words-dates-cust.example');
  await w.provider.client.submit('/settings/users/new', { name: 'Dee Dated', email: 'dee@dates-dist.example', 'roles[]': ['sales_agent'] }, '/settings/users/new');
  const dee = X.user(stack, 'dee@dates-dist.example');
  const seen = {};
  for (const [client, path] of [
    [w.provider.client, '/resellers'], [w.provider.client, `/resellers/invitations/${inv.id}`], [w.provider.client, '/settings/users'],
    [w.provider.client, `/settings/users/${dee.id}`], [w.provider.client, '/settings/audit'], [w.provider.client, '/account'],
    [w.provider.client, '/settings/security/compliance'], [w.provider.client, '/settings/profile'], [w.provider.client, '/'],
    [w.reseller.client, '/providers'], [w.reseller.client, `/providers/customer-invitations/${cinv.id}`],
    [w.reseller.client, `/providers/${w.rel}/customers`],
  ]) {
    const res = await client.get(path);
    assert.equal(res.status, 200, path);
    seen[path] = datesOn(path, res.text);
  }
  for (const path of [`/resellers/invitations/${inv.id}`, '/settings/audit', '/account', `/providers/customer-invitations/${cinv.id}`])
    assert.ok(seen[path] > 0, `${path} shows dates`);
  assert.match(textOf((await w.provider.client.get(`/resellers/invitations/${inv.id}`)).text), new RegExp(`Last sent ${DATE}, \\d\\d:\\d\\d CES?T Expires ${DATE}, \\d\\d:\\d\\d CES?T`));
  // The CSV keeps ISO 8601 in UTC.
  const csv = await w.provider.client.get('/settings/audit.csv');
  assert.match(csv.text, /\n"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
});

test('item 13: every detail page has the one breadcrumb trail, ending with the page itself, never with "›"', async () => {
  const w = await C.custPair(stack, { prefix: 'crumbs' });
  const inv = await F.relInvite(stack, w.provider, 'crumbed@words-crumbs.example');
  const cinv = await C.custInvite(stack, w, 'ga@words-crumbs-cust.example');
  await w.provider.client.submit('/settings/users/new', { name: 'Cy Crumb', email: 'cy@crumbs-dist.example', 'roles[]': ['sales_agent'] }, '/settings/users/new');
  const cy = X.user(stack, 'cy@crumbs-dist.example');
  const trail = (html) => {
    const navs = [...html.matchAll(/<nav aria-label="Breadcrumb"[^>]*>([\s\S]*?)<\/nav>/g)];
    assert.equal(navs.length, 1, 'one trail');
    return { html: navs[0][0], items: [...navs[0][1].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]).trim()) };
  };
  const cases = [
    [w.provider.client, `/resellers/invitations/${inv.id}`, ['Indirect resellers', 'Invitation to crumbed@words-crumbs.example']],
    [w.provider.client, `/resellers/invitations/revoke/${inv.id}`, ['Indirect resellers', 'Invitation to crumbed@words-crumbs.example', 'Revoke the invitation?']],
    [w.provider.client, '/resellers/invite', ['Indirect resellers', 'Invite reseller']],
    [w.provider.client, '/settings/users/new', ['User management', 'Add user']],
    [w.provider.client, `/settings/users/${cy.id}`, ['User management', 'Cy Crumb']],
    [w.provider.client, `/settings/users/${cy.id}/delete`, ['User management', 'Cy Crumb', /^Delete/]],
    [w.provider.client, '/settings/api/new', ['API', 'New API credential']],
    [w.reseller.client, `/providers/customer-invitations/${cinv.id}`, ['Indirect providers', `Customers shared with CRUMBS Distribution`, 'Customer invitation']],
    [w.reseller.client, `/providers/${w.rel}/customers`, ['Indirect providers', 'Customers shared with CRUMBS Distribution']],
    [w.reseller.client, `/providers/${w.rel}/invite-customer`, ['Indirect providers', 'Customers shared with CRUMBS Distribution', 'Invite new customers']],
    [w.reseller.client, '/delegated-admin/new', ['Delegated admin', 'Request delegated admin']],
  ];
  for (const [client, path, want] of cases) {
    const res = await client.get(path);
    assert.equal(res.status, 200, path);
    const t = trail(res.text);
    assert.equal(t.items.length, want.length, `${path}: ${JSON.stringify(t.items)}`);
    want.forEach((x, i) => (x instanceof RegExp ? assert.match(t.items[i], x, path) : assert.equal(t.items[i], x, path)));
    assert.doesNotMatch(t.html, /›/, `${path}: the separator is drawn by the style sheet, between items only`);
    assert.match(t.html, /<li aria-current="page">[^<]*<\/li><\/ol><\/nav>$/, `${path}: the page itself last, not a link`);
    assert.doesNotMatch(res.text, /›\s*<\/(?:nav|p)>/, `${path}: no dangling separator`);
  }
});

test('item 13: one word per state: an approved enrollment reads "Approved", never "Accepted"; "work account", not "tenant"', async () => {
  const p = await F.relPartner(stack, { domain: 'words-state.example' });
  const t = textOf((await p.client.get('/settings/profile')).text);
  assert.match(t, /Indirect reseller Approved/);
  assert.doesNotMatch(t, /Indirect reseller Accepted/);
  for (const path of ['/', '/settings/profile', '/resellers', '/settings/users', '/account']) {
    const res = await p.client.get(path);
    assert.doesNotMatch(textOf(res.text), /\btenants?\b/i, path);
  }
});
