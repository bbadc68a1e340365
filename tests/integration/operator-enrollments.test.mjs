// operator-enrollments.test.mjs — the console's enrollment queue (issue 19, item 2): filters
// (status, country) oldest first; an enrollment's page (legal profile, the primary contact's
// verification, linked MPN profiles and whether they fit, users, history); Approve, Reject
// (a reason, in the partner's email), Resend verification email; two reviewers see each
// other, and a decision by one refuses the other's stale form (one wins: a race).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { newestMail, mailTo } from '../lib/users.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack, r1, r2, admin, team;
const orgs = {};

/** An organization (signed up) with an indirect reseller enrollment in `status`, its legal
 * profile (contact verified or not) and submitted `daysAgo`. */
async function enrolled(key, { country = 'DE', status = 'in_review', verified = true, daysAgo = 1 } = {}) {
  const domain = `${key}.enroll-op.example`;
  const c = new Client(stack.base);
  await c.signup({ org: `Org ${key.toUpperCase()}`, domain, email: `ga@${domain}`, country, name: `Ga ${key}` });
  const tenant = F.tenantId(stack, domain);
  const account = F.partnerAccount(stack, { tenant, type: 'indirect_reseller', status, decidedAt: null });
  const at = F.now() - daysAgo * 86400;
  db.exec(stack, 'UPDATE partner_accounts SET submitted_at = ?, enrolled_by = ? WHERE id = ?', at, F.userId(stack, `ga@${domain}`), account);
  F.legalProfile(stack, tenant, { legal_name: `Legal ${key} GmbH`, address1: 'Street 1', city: 'Berlin', postal_code: '10115',
    contact_first: 'Cora', contact_last: key, contact_email: `contact@${domain}`, contact_phone: '+49 30 555 0100',
    contact_verified_at: verified ? at : null });
  orgs[key] = { c, domain, tenant, account, contact: `contact@${domain}`, ga: `ga@${domain}` };
  return orgs[key];
}

before(async () => {
  stack = await startStack();
  r1 = await newOperator(stack, { role: 'reviewer', email: 'rev1@program.example', name: 'Rita Reviewer' });
  r2 = await newOperator(stack, { role: 'reviewer', email: 'rev2@program.example', name: 'Rob Reviewer' });
  admin = await newOperator(stack, { role: 'admin', email: 'adm@program.example', name: 'Ada Admin' });
  team = Number(db.value(stack, "SELECT value FROM program_settings WHERE name = 'operator_tenant'"));
  await enrolled('a', { daysAgo: 5 });
  await enrolled('b', { daysAgo: 9 });
  await enrolled('f', { country: 'FR', daysAgo: 3 });
  await enrolled('p', { status: 'pending_verification', verified: false });
  await enrolled('race', { daysAgo: 2 });
  // A's MPN profiles: one of its country and active, one of another country and inactive.
  db.exec(stack, "INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES ('7100001', 'A Germany', 'DE', 'active'), ('7100002', 'A France', 'FR', 'inactive')");
  F.linkMpnId(stack, orgs.a.tenant, '7100001');
  F.linkMpnId(stack, orgs.a.tenant, '7100002');
});
after(() => stopChecked(stack));

const ids = (html) => [...html.matchAll(/href="\/operator\/enrollments\/(\d+)"/g)].map((m) => Number(m[1]));

test('the queue: in review by default, oldest first; filters by status and country', async () => {
  const q = await r1.c.get('/operator/enrollments');
  assert.equal(q.status, 200);
  assert.deepEqual(ids(q.text), [orgs.b.account, orgs.a.account, orgs.f.account, orgs.race.account]);
  const fr = await r1.c.get('/operator/enrollments?country=FR');
  assert.deepEqual(ids(fr.text), [orgs.f.account]);
  const pending = await r1.c.get('/operator/enrollments?status=pending_verification');
  assert.deepEqual(ids(pending.text), [orgs.p.account]);
  const any = await r1.c.get('/operator/enrollments?status=any&country=DE');
  assert.ok(ids(any.text).includes(orgs.p.account) && !ids(any.text).includes(orgs.f.account));
  assert.equal((await r1.c.get('/operator/enrollments?status=bogus')).status, 400);
  assert.equal((await r1.c.get('/operator/enrollments?country=XX')).status, 400);
});

test("an enrollment's page: legal profile, contact verification, MPN profiles and their fit, users, history", async () => {
  const page = await r1.c.get(`/operator/enrollments/${orgs.a.account}`);
  assert.equal(page.status, 200);
  const text = textOf(page.text);
  assert.match(text, /Legal a GmbH/);
  assert.match(text, /contact@a\.enroll-op\.example/);
  assert.match(textOf(/id="contact-verified">([^<]*)</.exec(page.text)[1]), /^Verified /);
  const mpns = textOf(/<table class="list" id="mpns">[\s\S]*?<\/table>/.exec(page.text)[0]);
  assert.match(mpns, /7100001 A Germany DE active Country and status match/);
  assert.match(mpns, /7100002 A France FR \(not the organization's\) inactive Does not match/);
  assert.match(text, /ga@a\.enroll-op\.example/, 'the users');
  assert.equal((await r1.c.get('/operator/enrollments/999999')).status, 404);
  const p = await r1.c.get(`/operator/enrollments/${orgs.p.account}`);
  assert.match(textOf(/id="contact-verified">([^<]*)</.exec(p.text)[1]), /^Not verified/);
  assert.doesNotMatch(p.text, /\/approve"/, 'no decision before the contact is verified');
});

test('two reviewers on one enrollment see each other', async () => {
  await r1.c.get(`/operator/enrollments/${orgs.b.account}`);
  const seen = await r2.c.get(`/operator/enrollments/${orgs.b.account}`);
  assert.match(textOf(/id="others"[\s\S]*?<\/div>/.exec(seen.text)?.[0] ?? ''), /Rita Reviewer \(rev1@program\.example/);
  const back = await r1.c.get(`/operator/enrollments/${orgs.b.account}`);
  assert.match(textOf(/id="others"[\s\S]*?<\/div>/.exec(back.text)?.[0] ?? ''), /Rob Reviewer/);
  assert.doesNotMatch(textOf(/id="others"[\s\S]*?<\/div>/.exec(back.text)[0]), /Rita Reviewer/, 'not oneself');
});

test('Reject needs a reason (the form again, nothing written); with one, the partner is emailed it', async () => {
  const page = await r1.c.get(`/operator/enrollments/${orgs.b.account}`);
  const none = await r1.c.post(`/operator/enrollments/${orgs.b.account}/reject`, { csrf: csrfOf(page.text), seen: 'in_review', reason: '  ' });
  assert.equal(none.status, 422);
  assert.equal(errorsOf(none.text).length, 1, 'a message beside the reason');
  assert.equal(db.value(stack, 'SELECT status FROM partner_accounts WHERE id = ?', orgs.b.account), 'in_review');
  const res = await r1.c.post(`/operator/enrollments/${orgs.b.account}/reject`, { csrf: csrfOf(page.text), seen: 'in_review',
    reason: 'The legal name does not match the registry entry.' });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(db.value(stack, 'SELECT status FROM partner_accounts WHERE id = ?', orgs.b.account), 'rejected');
  const mail = await newestMail(stack, orgs.b.contact);
  assert.match(mail.body, /The legal name does not match the registry entry\./);
  // The operator by name in the program team's log, "the program team" in the partner's.
  assert.equal(F.auditCount(stack, { tenant_id: team, actor: 'rev1@program.example', action: 'enrollment.reject', outcome: 'ok' }), 1);
  assert.equal(F.auditCount(stack, { tenant_id: orgs.b.tenant, actor: 'the program team', action: 'enrollment.reject', outcome: 'ok' }), 1);
  const after = await r2.c.get(`/operator/enrollments/${orgs.b.account}`);
  assert.match(textOf(/<table class="list" id="history">[\s\S]*?<\/table>/.exec(after.text)[0]), /the program team enrollment\.reject ok/);
});

test('the approve/reject race: one wins, the other is refused and told who decided', async () => {
  const path = `/operator/enrollments/${orgs.race.account}`;
  const [p1, p2] = [await r1.c.get(path), await r2.c.get(path)];
  const [a, b] = await Promise.all([
    r1.c.post(`${path}/approve`, { csrf: csrfOf(p1.text), seen: 'in_review' }),
    r2.c.post(`${path}/reject`, { csrf: csrfOf(p2.text), seen: 'in_review', reason: 'Duplicate organization.' }),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [303, 409], `one wins: ${a.status} ${b.status}`);
  const [winner, loser] = a.status === 303 ? ['rev1@program.example', b] : ['rev2@program.example', a];
  const status = db.value(stack, 'SELECT status FROM partner_accounts WHERE id = ?', orgs.race.account);
  assert.equal(status, a.status === 303 ? 'approved' : 'rejected');
  const why = textOf(/id="refusal"[\s\S]*?<\/div>/.exec(loser.text)[0]);
  assert.match(why, new RegExp(`was ${status} by ${winner.replace('.', '\\.')}`), why);
  assert.equal(mailTo(stack, orgs.race.contact).filter((m) => /approved|rejected|not approved/i.test(m.subject)).length, 1, 'one decision email');
  assert.equal(F.auditCount(stack, { tenant_id: team, action: ['enrollment.approve', 'enrollment.reject'], outcome: 'refused' }), 1);
  // A form opened before the decision is refused later too, with the same why.
  const stale = await r2.c.post(`${path}/approve`, { csrf: csrfOf(p2.text), seen: 'in_review' });
  assert.equal(stale.status, 409);
  assert.match(textOf(stale.text), new RegExp(`was ${status} by`));
});

test('Approve: the partner sees the result; the enrolling user joins Admin agent', async () => {
  const path = `/operator/enrollments/${orgs.a.account}`;
  const page = await admin.c.get(path);
  const res = await admin.c.post(`${path}/approve`, { csrf: csrfOf(page.text), seen: 'in_review' });
  assert.equal(res.status, 303);
  assert.equal(res.location, `${path}?m=enrollment-approved`);
  assert.equal(db.value(stack, 'SELECT status FROM partner_accounts WHERE id = ?', orgs.a.account), 'approved');
  const mail = await newestMail(stack, orgs.a.contact);
  assert.match(mail.subject, /approved/i);
  assert.equal(Number(db.value(stack, 'SELECT roles FROM users WHERE email = ?', orgs.a.ga)) & 8, 8, 'Admin agent');
});

test('Resend verification email: a new link to the unverified contact; refused when verified', async () => {
  const path = `/operator/enrollments/${orgs.p.account}`;
  const page = await r2.c.get(path);
  assert.match(page.text, /\/resend"/);
  const before = mailTo(stack, orgs.p.contact).length;
  const res = await r2.c.post(`${path}/resend`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  const mail = await newestMail(stack, orgs.p.contact, before);
  assert.match(mail.body, /\/verify\?t=/);
  assert.equal(F.auditCount(stack, { tenant_id: orgs.p.tenant, actor: 'the program team', action: 'enrollment.verify-resend' }), 1);
  const verified = await r2.c.post(`/operator/enrollments/${orgs.f.account}/resend`, { csrf: csrfOf(page.text) });
  assert.equal(verified.status, 409);
});
