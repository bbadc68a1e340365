// enroll-operator.test.mjs — the operator's side (SPEC §4): enrollments, approve, reject,
// mpn import, create-partner, demo; exit codes 0/1/2; the emails and audit entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import {
  PMC_CSV, importCsv, newCompany, profileFields, submitProfile, verifyLink, openLink, partnerAccount, mailTo,
} from '../lib/enroll.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

async function inReview(domain) {
  const c = await newCompany(stack, { org: `Org ${domain}`, domain });
  let r = await submitProfile(c, profileFields(domain));
  assert.equal(r.status, 303);
  const link = await verifyLink(stack, `carla@${domain}`);
  const v = new Client(stack.base);
  r = await openLink(v, link);
  r = await v.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  return { c, id: partnerAccount(stack, domain)[0].id };
}

test('reject with a reason: status, email, audit, the overview, and enrolling again', async () => {
  const { c, id } = await inReview('reject.example');
  let r = stack.ctl('reject', String(id));
  assert.equal(r.code, 2, 'no reason: usage');
  assert.match(r.stderr, /--reason is required/);
  r = stack.ctl('reject', String(id), '--reason', '   ');
  assert.equal(r.code, 2);
  assert.equal(partnerAccount(stack, 'reject.example')[0].status, 'in_review');
  r = stack.ctl('reject', String(id), '--reason', 'The legal name does not match the trade register.');
  assert.equal(r.code, 0, r.stderr);
  const [pa] = partnerAccount(stack, 'reject.example');
  assert.equal(pa.status, 'rejected');
  assert.equal(pa.reject_reason, 'The legal name does not match the trade register.');
  const mail = await mailTo(stack, 'carla@reject.example', 'was not approved');
  assert.match(mail.body, /Reason: The legal name does not match the trade register\./);
  assert.match(mail.body, /\/enroll/);
  const [a] = F.audit(stack, { action: 'enrollment.reject', target: `partner account ${id}` }, 'actor, outcome, detail');
  assert.deepEqual(a, { actor: 'operator', outcome: 'ok', detail: 'indirect_reseller: in_review -> rejected; reason: The legal name does not match the trade register.' });
  // Decided once: a second decision is refused.
  r = stack.ctl('approve', String(id));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already been decided/);

  r = await c.get('/');
  assert.match(textOf(r.text), /Enrolled as indirect reseller Rejected/);
  assert.match(textOf(r.text), /Reason: The legal name does not match the trade register\./);
  r = await c.get('/settings/profile');
  assert.match(textOf(r.text), /Indirect reseller Rejected Submitted/);	// (issue 15, item 13: the state is not repeated in the details)
  // Enrolling again: the form starts from the saved profile; submission asks for verification again.
  r = await c.get('/enroll');
  assert.match(textOf(r.text), /Enroll again/);
  r = await c.get('/enroll/profile');
  assert.equal(r.status, 200);
  assert.match(r.text, /value="Woodgrove Bank GmbH"/);
  r = await submitProfile(c, profileFields('reject.example', { legal_name: 'Org Reject GmbH' }));
  assert.equal(r.status, 303);
  const [again] = partnerAccount(stack, 'reject.example');
  assert.equal(again.status, 'pending_verification');
  assert.equal(again.id, id);
  assert.equal(again.reject_reason, '');
  const verifyMails = messages(stack.mailDir).filter((m) => m.to === 'carla@reject.example' && /Verify/.test(m.subject));
  assert.equal(verifyMails.length, 2);
  assert.match(verifyMails[1].body, /has enrolled again/);
});

test('approve and reject refuse what is not in review, with exit codes', async () => {
  const c = await newCompany(stack, { org: 'Pending Org', domain: 'pending.example' });
  await submitProfile(c, profileFields('pending.example'));
  const [pa] = partnerAccount(stack, 'pending.example');
  const before = messages(stack.mailDir).length;
  let r = stack.ctl('approve', String(pa.id));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /has not verified their email address yet/);
  r = stack.ctl('reject', String(pa.id), '--reason', 'x');
  assert.equal(r.code, 1);
  r = stack.ctl('approve', '999999');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no enrollment with this number/);
  r = stack.ctl('approve', 'abc');
  assert.equal(r.code, 2);
  r = stack.ctl('approve');
  assert.equal(r.code, 2);
  r = stack.ctl('enrollments', '--status', 'nonsense');
  assert.equal(r.code, 2);
  assert.equal(partnerAccount(stack, 'pending.example')[0].status, 'pending_verification');
  assert.equal(messages(stack.mailDir).length, before, 'no email for a refusal');
  const refused = F.audit(stack, { action: 'enrollment.approve', target: `partner account ${pa.id}` }, 'outcome');
  assert.deepEqual(refused, [{ outcome: 'refused' }]);
  r = stack.ctl('enrollments');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Pending Org\s+DE\s+indirect_reseller\s+pending_verification/);
});

test('mpn import: bad lines reported with their numbers, nothing imported; then a good file', async () => {
  const bad = [
    'pmc_username,pmc_password,mpn_id,company_name,country,status',
    'pmc@ok.example,Ok-PMC-2025,8100001,Ok GmbH,DE,active',
    'pmc@bad.example,Bad-PMC-2025,12345,Short Id GmbH,DE,active',
    'pmc@bad2.example,Bad-PMC-2025,8100003,Nowhere Ltd,XX,active',
    '"pmc@quote.example,Q-PMC-2025,8100004,Quote GmbH,DE,active',
  ].join('\n');
  const bad2 = [
    'pmc_username,pmc_password,mpn_id,company_name,country,status',
    'pmc@ok.example,Ok-PMC-2025,8100001,Ok GmbH,DE,dormant',
    'pmc@ok.example,Ok-PMC-2025,8100002,"Two, Lines\nGmbH",DE,active,extra',
    '',
    'pmc@nopw.example,,8100005,No Password GmbH,DE,active',
  ].join('\n');
  let r = importCsv(stack, bad, 'bad.csv');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv: line 3: mpn_id must be 6 to 10 digits \(found "12345"\)/);
  assert.match(r.stderr, /bad\.csv: line 4: country "XX" is not a country code/);
  assert.match(r.stderr, /bad\.csv: line 5: a quoted field is not closed/);
  assert.match(r.stderr, /nothing was imported/);
  r = importCsv(stack, bad2, 'bad2.csv');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 2: status must be active or inactive \(found "dormant"\)/);
  assert.match(r.stderr, /line 3: expected 6 columns/);
  assert.match(r.stderr, /line 6: PMC account pmc@nopw\.example has no password on any line/);
  r = importCsv(stack, 'user,pass\n', 'header.csv');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 1: the header must be exactly: pmc_username,pmc_password,mpn_id,company_name,country,status/);
  assert.equal(db.value(stack, 'SELECT count(*) AS n FROM mpn_profiles WHERE mpn_id LIKE ?', '81%'), 0);
  assert.equal(db.value(stack, 'SELECT count(*) AS n FROM pmc_accounts WHERE username LIKE ?', '%ok.example'), 0);
  r = stack.ctl('mpn', 'import', join(stack.data, 'missing.csv'));
  assert.equal(r.code, 1);
  r = stack.ctl('mpn', 'import');
  assert.equal(r.code, 2);

  r = importCsv(stack, PMC_CSV);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 6 lines: 3 PMC accounts, 5 company profiles, 6 pairings/);
  const acc = db.one(stack, 'SELECT pw_hash FROM pmc_accounts WHERE username = ?', 'pmc@woodgrove.example');
  assert.match(acc.pw_hash, /^\$argon2id\$/);
  assert.doesNotMatch(acc.pw_hash, /Woodgrove-PMC-2025/);
  // Again: nothing duplicated; an existing hash is taken as it is.
  r = importCsv(stack, `${PMC_CSV}pmc@hashed.example,"${acc.pw_hash}",7300001,Hashed GmbH,DE,active\n`, 'again.csv');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(F.count(stack, 'pmc_accounts', { username: 'pmc@woodgrove.example' }), 1);
  assert.equal(db.one(stack, 'SELECT pw_hash FROM pmc_accounts WHERE username = ?', 'pmc@hashed.example').pw_hash, acc.pw_hash);
  assert.equal(F.count(stack, 'pmc_profile_links'), 7);
});

test('create-partner, then the provider enrolls as reseller with customer support details only', async () => {
  let r = stack.ctl('create-partner', '--type', 'indirect_provider', '--org', 'Proseware Distribution', '--domain', 'proseware.example',
    '--country', 'DE', '--admin-email', 'pia@proseware.example', '--admin-name', 'Pia Provider',
    '--address', 'Lagerstrasse 5', '--city', 'Köln', '--postal-code', '50667', '--phone', '+49 221 555 0100');
  assert.equal(r.code, 0, r.stderr);
  const m = /sign in at (\S+)\/signin as pia@proseware\.example with the password (\S+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(m[1], stack.base);
  const [pa] = partnerAccount(stack, 'proseware.example');
  assert.equal(pa.type, 'indirect_provider');
  assert.equal(pa.status, 'approved');
  assert.equal(F.user(stack, 'pia@proseware.example').roles, 1 | 8);
  // Rules and usage.
  r = stack.ctl('create-partner', '--type', 'indirect_provider', '--org', 'Again', '--domain', 'proseware.example', '--country', 'DE',
    '--admin-email', 'x@proseware2.example', '--admin-name', 'X Y');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already has a work account/);
  r = stack.ctl('create-partner', '--type', 'indirect_reseller', '--org', 'R', '--domain', 'r.example', '--country', 'DE',
    '--admin-email', 'x@r.example', '--admin-name', 'X Y');
  assert.equal(r.code, 2);
  r = stack.ctl('create-partner', '--type', 'direct_bill', '--org', 'D', '--domain', 'd.example', '--country', 'ZZ',
    '--admin-email', 'x@d.example', '--admin-name', 'X Y');
  assert.equal(r.code, 2);
  r = stack.ctl('create-partner', '--bogus');
  assert.equal(r.code, 2);

  const c = new Client(stack.base);
  r = await c.signin('pia@proseware.example', m[2], '/enroll/account');
  assert.equal(r.location, '/enroll/account');
  r = await c.get('/enroll/account');
  assert.equal(r.location, '/enroll/profile');
  r = await c.get('/enroll/mpn');
  assert.equal(r.location, '/enroll/profile');
  r = await c.get('/enroll/profile');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Customer support details<\/h1>/);
  assert.doesNotMatch(r.text, /name="legal_name"/);
  assert.doesNotMatch(r.text, /name="contact_email"/);
  assert.match(r.text, /name="support_email"/);
  assert.match(r.text, /<li aria-current="step">Customer support details<\/li>/);
  r = await c.submit('/enroll/profile', { support_email: 'help@proseware.example', support_phone: '123', support_website: 'https://help.proseware.example', action: 'enroll' });
  assert.equal(r.status, 422);
  assert.deepEqual(errorsOf(r.text), ['Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.']);
  r = await c.submit('/enroll/profile', { support_email: 'help@proseware.example', support_phone: '+49 221 555 0199', support_website: 'https://help.proseware.example', action: 'enroll' });
  assert.equal(r.status, 303, errorsOf(r.text).join('; '));
  const accounts = partnerAccount(stack, 'proseware.example');
  const reseller = accounts.find((a) => a.type === 'indirect_reseller');
  assert.equal(reseller.status, 'in_review', 'no second verification');
  assert.equal(reseller.support_email, 'help@proseware.example');
  const mails = messages(stack.mailDir).filter((x) => x.to === 'pia@proseware.example');
  assert.deepEqual(mails.map((x) => x.subject), ["Proseware Distribution's enrollment is in review"]);
  r = stack.ctl('approve', String(reseller.id));
  assert.equal(r.code, 0, r.stderr);
  await mailTo(stack, 'pia@proseware.example', 'approved');
});

test('demo: two regions, every kind of organization, sign-ins listed; again duplicates nothing', async () => {
  let r = stack.ctl('demo');
  assert.equal(r.code, 0, r.stderr);
  const counts = () => db.one(stack, 'SELECT (SELECT count(*) FROM tenants) AS t, (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM partner_accounts) AS p, (SELECT count(*) FROM pmc_accounts) AS pmc, (SELECT count(*) FROM mpn_profiles) AS mpn');
  const first = counts();
  r = stack.ctl('demo');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /0 organizations and 0 users added this time/);
  assert.deepEqual(counts(), first);

  const file = readFileSync(join(stack.data, 'demo-accounts.txt'), 'utf8').trim().split('\n');
  // email, password, TOTP secret, organization, partner type, roles (the secret column came
  // with multi-factor sign-in; the rest are read as before).
  const rows = file.slice(1).map((l) => l.split('\t').map((s) => s.trim())).map(([e, p, , ...rest]) => [e, p, ...rest]);
  for (const row of rows) assert.equal(row.length, 5, row.join('|'));
  for (const row of rows) assert.match(r.stdout, new RegExp(row[0].replace(/[.]/g, '\\.')), 'printed too');
  const byType = (t) => rows.filter((x) => x[3].startsWith(t));
  assert.ok(byType('Indirect provider').length >= 4);
  assert.ok(byType('Indirect reseller (In review)').length >= 1);
  assert.ok(rows.some((x) => x[3] === 'Indirect reseller'));
  assert.ok(byType('Customer').length >= 1);
  assert.ok(byType('PMC account').length >= 1);
  const regions = db.rows(stack, "SELECT DISTINCT c.region FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id JOIN countries c ON c.code = t.country WHERE p.type = 'indirect_provider' AND p.status = 'approved' AND t.domain LIKE '%.example' AND t.domain IN (?, ?) ORDER BY 1",
    'northwind.example', 'fabrikam.example');
  assert.deepEqual(regions.map((x) => x.region), ['EUR', 'NAM']);
  const roles = new Set(rows.filter((x) => x[2] === 'Northwind Distribution').map((x) => x[4]));
  assert.ok(roles.size >= 4, [...roles].join('; '));
  assert.equal(F.tenant(stack, 'tailspin.example').kind, 'customer');
  assert.deepEqual(db.rows(stack, 'SELECT mpn_id, country, status FROM mpn_profiles WHERE mpn_id IN (?, ?) ORDER BY 1', '6100002', '6100003'),
    [{ mpn_id: '6100002', country: 'US', status: 'active' }, { mpn_id: '6100003', country: 'DE', status: 'inactive' }]);

  // Every listed sign-in works.
  for (const [email, password, , type] of rows) {
    if (type.startsWith('PMC')) continue;
    const c = new Client(stack.base);
    const res = await c.signin(email, password);
    assert.equal(res.status, 303, `${email}: ${res.status}`);
  }
});
