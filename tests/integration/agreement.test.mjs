// agreement.test.mjs — the partner agreement through nginx: publishing with portalctl, the
// overview banner before and after, who may accept, what an acceptance records, validation,
// accepting twice, a new version, the Program info row, and the append-only table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { partnerAccount, addUser, tenantId, setTenantKind, userId, auditCount, audit, count } from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The portal's date format ("05 Mar 2026", UTC) for Unix seconds. */
const fmtDate = (t) => {
  const d = new Date(t * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

/** The banner(s) of a page: [{ cls, role, text }]. */
function bannersOf(html) {
  return [...html.matchAll(/<div class="banner (\w+)" role="(\w+)">([\s\S]*?)<\/div>/g)]
    .map((m) => ({ cls: m[1], role: m[2], text: textOf(m[3]) }));
}

function publish(version, text) {
  const file = join(stack.data, `mpa-${version}.txt`);
  writeFileSync(file, text);
  return stack.ctl('mpa', 'publish', file, '--version', version);
}

const hiddenVersion = (html) => /name="version" value="(\d+)"/.exec(html)?.[1];

const SIGNER = { first: 'Maria', last: 'Signer', email: 'maria.signer@contoso.example', phone: '+49 (30) 123-4567', title: 'Managing Director', accept: 'yes' };

/** A new organization (Global admin signed in) with a partner account. */
async function org(domain, { type = 'indirect_reseller', status = 'approved', name = 'Ana Admin' } = {}) {
  const c = new Client(stack.base);
  const word = domain.split('.')[0];
  await c.signup({ org: `${word[0].toUpperCase()}${word.slice(1)} Ltd`, domain, email: `ana@${domain}`, name });
  if (status) partnerAccount(stack, { domain, type, status });
  return c;
}

const acceptances = (domain) => db.rows(stack, 'SELECT * FROM agreement_acceptances WHERE tenant_id = ? ORDER BY id', tenantId(stack, domain));

test('before anything is published: no banner, and /agreement says so', async () => {
  const c = await org('early.example');
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.deepEqual(bannersOf(home.text), []);
  const page = await c.get('/agreement');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /No version of the Partner Agreement \(MPA\) has been published yet\./);
  assert.doesNotMatch(page.text, /action="\/agreement"/);
});

test('portalctl mpa publish: usage, refusals, then the first version', async () => {
  const none = stack.ctl('mpa', 'list');
  assert.equal(none.code, 0);
  assert.match(none.stdout, /no version published yet/);

  assert.equal(stack.ctl('mpa', 'publish').code, 2);
  assert.equal(stack.ctl('mpa', 'publish', join(stack.data, 'x.txt')).code, 2, 'no --version');
  assert.equal(stack.ctl('mpa', 'publish', '--version', '1').code, 2, 'no FILE');
  assert.equal(stack.ctl('mpa', 'publish', join(stack.data, 'x.txt'), '--version', 'two words').code, 2);
  const missing = stack.ctl('mpa', 'publish', join(stack.data, 'does-not-exist.txt'), '--version', '2025-01');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such file/);
  const empty = publish('2025-01', ' \n\n ');
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /empty/);
  writeFileSync(join(stack.data, 'latin1.txt'), Buffer.from([0x41, 0xe9, 0x42]));
  const latin1 = stack.ctl('mpa', 'publish', join(stack.data, 'latin1.txt'), '--version', '2025-01');
  assert.equal(latin1.code, 1);
  assert.match(latin1.stderr, /not valid UTF-8/);
  assert.deepEqual(db.rows(stack, 'SELECT count(*) AS n FROM agreement_versions'), [{ n: 0 }]);

  const orgs = db.value(stack, 'SELECT count(DISTINCT tenant_id) AS n FROM partner_accounts');
  const ok = publish('2025-01', 'Partner Agreement — terms\n\n1. Scope. <script>alert(1)</script> & "quotes"\nsecond line of scope\n\n\n2. Term. Ünïcödé ✓\n');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /published Partner Agreement \(MPA\) version 2025-01/);
  assert.match(ok.stdout, new RegExp(`${orgs} partner organizations? must now accept it`));
  const again = publish('2025-01', 'Another text');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already been published/);
  const rows = db.rows(stack, 'SELECT version, body FROM agreement_versions');
  assert.equal(rows.length, 1);
  assert.match(rows[0].body, /Ünïcödé ✓/);
  const list = stack.ctl('mpa', 'list');
  assert.match(list.stdout, /2025-01\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d+\s+0 organizations\s+\(current\)/);
});

test('the text is escaped and keeps its paragraphs', async () => {
  const c = await org('reader.example');
  const page = await c.get('/agreement');
  assert.equal(page.status, 200);
  const box = /<div class="agreement-text"[^>]*>([\s\S]*?)<\/div>/.exec(page.text)[1];
  const paras = [...box.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
  assert.deepEqual(paras, [
    'Partner Agreement — terms',
    '1. Scope. &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;\nsecond line of scope',
    '2. Term. Ünïcödé ✓',
  ]);
  assert.doesNotMatch(page.text, /<script>/);
});

test('no banner and no form for an organization outside the program', async () => {
  const c = await org('outsider.example', { status: null });
  const home = await c.get('/');
  assert.deepEqual(bannersOf(home.text), []);
  const page = await c.get('/agreement');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Your organization is not enrolled in the Cloud Solution Provider program/);
  assert.doesNotMatch(page.text, /action="\/agreement"/);
  // Even a Global admin cannot record an acceptance for it.
  const res = await c.post('/agreement', { csrf: csrfOf(page.text), ...SIGNER, version: '1' });
  assert.equal(res.status, 403);
  assert.equal(acceptances('outsider.example').length, 0);
  // A customer organization: no banner either.
  setTenantKind(stack, tenantId(stack, 'outsider.example'), 'customer');
  assert.deepEqual(bannersOf((await c.get('/')).text), []);
});

test('anyone but a Global admin: told whom to ask, no form, 403 on POST', async () => {
  const ga = await org('contoso.example', { status: 'in_review' });
  addUser(stack, { domain: 'contoso.example', email: 'zoe@contoso.example', name: 'Zoe Second', roles: ['global_admin'] });
  addUser(stack, { domain: 'contoso.example', email: 'adam@contoso.example', name: 'Adam Agent', roles: ['admin_agent', 'account_admin', 'user_admin'] });
  const agent = new Client(stack.base);
  assert.equal((await agent.signin('adam@contoso.example')).status, 303);

  const home = await agent.get('/');
  const b = bannersOf(home.text);
  assert.equal(b.length, 1);
  assert.equal(b[0].cls, 'warn');
  assert.equal(b[0].role, 'status');
  assert.equal(b[0].text, 'Accept the Partner Agreement (MPA) Contoso Ltd must accept version 2025-01 before it can transact, and only a Global admin can accept it: ask Ana Admin (ana@contoso.example), Zoe Second (zoe@contoso.example).');
  assert.doesNotMatch(home.text, /href="\/agreement"/);

  const page = await agent.get('/agreement');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /action="\/agreement"/);
  assert.doesNotMatch(page.text, />Accept<\/button>/);
  const t = textOf(page.text);
  assert.match(t, /Only a Global admin can accept Ask one of your organization's Global admins to accept version 2025-01: Ana Admin · ana@contoso\.example Zoe Second · zoe@contoso\.example/);
  assert.match(t, /Partner Agreement \(MPA\) Not accepted Version 2025-01 has not been accepted\./);
  assert.match(t, /Enrollment Indirect reseller: In review/);
  assert.match(t, /Transactions Not yet The indirect reseller enrollment is not approved \(status: In review\)\./);

  const res = await agent.post('/agreement', { csrf: csrfOf(page.text), ...SIGNER, version: hiddenVersion((await ga.get('/agreement')).text) });
  assert.equal(res.status, 403);
  assert.equal(acceptances('contoso.example').length, 0);
  const refused = audit(stack, { actor: 'adam@contoso.example', outcome: 'refused' }, 'action, target, outcome');
  assert.deepEqual(refused, [{ action: 'access', target: 'AGREEMENT_POST', outcome: 'refused' }]);

  // The Global admin sees the link instead.
  const gaHome = await ga.get('/');
  const gb = bannersOf(gaHome.text);
  assert.equal(gb.length, 1);
  assert.equal(gb[0].cls, 'warn');
  assert.equal(gb[0].text, 'Accept the Partner Agreement (MPA) Contoso Ltd must accept version 2025-01 before it can transact in the Cloud Solution Provider program: review and accept the agreement .');
  assert.match(gaHome.text, /<a href="\/agreement">review and accept the agreement<\/a>/);
});

test('validation errors re-render the form with the input kept and write nothing', async () => {
  const c = await org('fabrikam.example');
  const page = await c.get('/agreement');
  assert.equal(page.status, 200);
  assert.match(page.text, /action="\/agreement"/);
  // Prefilled from the signed-in user.
  assert.match(page.text, /id="f-first" name="first" type="text" value="Ana"/);
  assert.match(page.text, /id="f-email" name="email" type="email" value="ana@fabrikam.example"/);
  const version = hiddenVersion(page.text);
  const csrf = csrfOf(page.text);

  let res = await c.post('/agreement', { csrf, version, first: '  ', last: 'Signer', email: 'not-an-email', phone: '12ab', title: '' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), [
    'Enter the first name.',
    'Enter an email address like name@example.com.',
    'Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.',
    'Enter the job title.',
    'Tick this box to continue.',
  ]);
  assert.match(res.text, /name="last" type="text" value="Signer"/);
  assert.match(res.text, /name="email" type="email" value="not-an-email"/);
  assert.match(res.text, /name="phone" type="tel" value="12ab"/);
  assert.match(res.text, /role="alert"[\s\S]*Check the form/);

  res = await c.post('/agreement', { csrf, version, ...SIGNER, accept: 'maybe', title: 'x'.repeat(101) });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Use at most 100 characters.', 'Tick this box to accept the agreement.']);
  assert.match(res.text, /name="first" type="text" value="Maria"/);

  assert.equal(acceptances('fabrikam.example').length, 0);
  const home = await c.get('/');
  assert.equal(bannersOf(home.text)[0].cls, 'warn');
});

test('a Global admin accepts: the row, the green banner, Program info, accepting twice', async () => {
  const c = await org('northwind.example');
  const page = await c.get('/agreement');
  const version = hiddenVersion(page.text);
  const before = Math.floor(Date.now() / 1000);
  const res = await c.post('/agreement', { csrf: csrfOf(page.text), version, ...SIGNER });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/');

  const rows = acceptances('northwind.example');
  assert.equal(rows.length, 1);
  const user = { id: userId(stack, 'ana@northwind.example') };
  const v = db.one(stack, 'SELECT id FROM agreement_versions WHERE version = ?', '2025-01');
  const row = rows[0];
  assert.equal(row.version_id, v.id);
  assert.equal(String(row.version_id), version);
  assert.equal(row.signer_first, 'Maria');
  assert.equal(row.signer_last, 'Signer');
  assert.equal(row.signer_email, 'maria.signer@contoso.example');
  assert.equal(row.signer_phone, '+49 (30) 123-4567');
  assert.equal(row.signer_title, 'Managing Director');
  assert.equal(row.user_id, user.id);
  assert.ok(row.accepted_at >= before - 1 && row.accepted_at <= before + 60, `accepted_at ${row.accepted_at}`);
  assert.equal(row.ip, '127.0.0.1');
  const accepted = audit(stack, { actor: 'ana@northwind.example', action: 'agreement.accept' }, 'action, target, outcome, detail');
  assert.deepEqual(accepted, [{ action: 'agreement.accept', target: 'version 2025-01', outcome: 'ok', detail: 'signer: Maria Signer <maria.signer@contoso.example>, Managing Director' }]);

  const home = await c.follow(res);
  const b = bannersOf(home.text);
  assert.equal(b.length, 1);
  assert.equal(b[0].cls, 'ok');
  assert.equal(b[0].role, 'status');
  assert.equal(b[0].text, `Partner Agreement (MPA) accepted Maria Signer accepted version 2025-01 on ${fmtDate(row.accepted_at)} on behalf of Northwind Ltd.`);

  // Program info on /agreement: signed, and the account may now transact. No form.
  const after = await c.get('/agreement');
  const t = textOf(after.text);
  assert.match(t, new RegExp(`Partner Agreement \\(MPA\\) Accepted Version 2025-01, accepted by Maria Signer on ${fmtDate(row.accepted_at)}\\.`));
  assert.match(t, /Transactions Allowed/);
  assert.doesNotMatch(after.text, /action="\/agreement"/);

  // Accepting again (an old tab) changes nothing.
  const twice = await c.post('/agreement', { csrf: csrfOf(after.text), version, ...SIGNER, first: 'Other' });
  assert.equal(twice.status, 303);
  assert.equal(acceptances('northwind.example').length, 1);
  assert.equal(acceptances('northwind.example')[0].signer_first, 'Maria');
  assert.equal(auditCount(stack, { action: 'agreement.accept', actor: 'ana@northwind.example' }), 1);

  // The banner is on the overview only.
  assert.deepEqual(bannersOf(after.text), []);
});

test('providers and direct-bill partners see the same banner; any status counts', async () => {
  for (const [domain, type, status] of [['provider.example', 'indirect_provider', 'approved'], ['direct.example', 'direct_bill', 'draft'], ['rejected.example', 'indirect_reseller', 'rejected']]) {
    const c = await org(domain, { type, status });
    const b = bannersOf((await c.get('/')).text);
    assert.equal(b.length, 1, domain);
    assert.equal(b[0].cls, 'warn', domain);
  }
});

test('a new version brings the action banner back; an old form is refused', async () => {
  const c = await org('tailspin.example');
  const old = await c.get('/agreement');
  const oldVersion = hiddenVersion(old.text);
  let res = await c.post('/agreement', { csrf: csrfOf(old.text), version: oldVersion, ...SIGNER });
  assert.equal(res.status, 303);
  assert.equal(bannersOf((await c.get('/')).text)[0].cls, 'ok');

  const pending = db.value(stack, 'SELECT count(DISTINCT p.tenant_id) AS n FROM partner_accounts p');
  const pub = publish('2025-02', 'Partner Agreement, second edition.\n\nNew terms.');
  assert.equal(pub.code, 0, pub.stderr);
  assert.match(pub.stdout, new RegExp(`${pending} partner organizations must now accept it`));
  const list = stack.ctl('mpa', 'list').stdout.split('\n');
  assert.match(list[1], /^2025-02\s.*\s0 organizations\s+\(current\)$/);
  assert.match(list[2], /^2025-01\s.*\s\d+ organizations?$/);

  const home = await c.get('/');
  const b = bannersOf(home.text);
  assert.equal(b.length, 1);
  assert.equal(b[0].cls, 'warn');
  assert.equal(b[0].text, 'A new version of the Partner Agreement (MPA) needs acceptance Tailspin Ltd must accept version 2025-02 (it replaces version 2025-01) before it can transact in the Cloud Solution Provider program: review and accept the agreement .');

  const page = await c.get('/agreement');
  const t = textOf(page.text);
  assert.match(t, /Not accepted Version 2025-02 has not been accepted \(version 2025-01 was accepted on \d\d \w{3} \d{4}\)\./);
  assert.match(t, /Transactions Not yet The organization accepted version 2025-01 of the Partner Agreement \(MPA\), but not the current version 2025-02\./);
  assert.match(t, /New terms\./);

  // The form of the old version (an open tab) is refused, and shows the new text.
  res = await c.post('/agreement', { csrf: csrfOf(page.text), version: oldVersion, ...SIGNER });
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /A new version \(2025-02\) was published while this page was open\./);
  assert.equal(acceptances('tailspin.example').length, 1);

  res = await c.post('/agreement', { csrf: csrfOf(page.text), version: hiddenVersion(page.text), ...SIGNER, first: 'Tom' });
  assert.equal(res.status, 303);
  const rows = acceptances('tailspin.example');
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.signer_first), ['Maria', 'Tom']);
  const green = bannersOf((await c.get('/')).text);
  assert.equal(green[0].cls, 'ok');
  assert.match(green[0].text, /^Partner Agreement \(MPA\) accepted Tom Signer accepted version 2025-02 on /);
});

test('acceptances are append-only in the database', () => {
  assert.ok(count(stack, 'agreement_acceptances') > 0);
  // straight at the database, past the portal: the schema's triggers refuse
  assert.throws(() => db.exec(stack, 'UPDATE agreement_acceptances SET signer_first = ?', 'Mallory'), /append-only/);
  assert.throws(() => db.exec(stack, 'DELETE FROM agreement_acceptances'), /append-only/);
  assert.throws(() => db.exec(stack, 'UPDATE agreement_versions SET body = ?', 'changed'), /never changed/);
  assert.throws(() => db.exec(stack, 'DELETE FROM agreement_versions'), /never removed/);
  assert.equal(count(stack, 'agreement_acceptances', { signer_first: 'Mallory' }), 0);
});

test('signed out: /agreement sends to sign-in, POST is refused', async () => {
  const c = new Client(stack.base);
  const res = await c.get('/agreement');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/signin?next=/agreement');
  const post = await c.post('/agreement', { ...SIGNER, version: '1' });
  assert.equal(post.status, 403);
});
