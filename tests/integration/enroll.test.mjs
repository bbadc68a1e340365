// enroll.test.mjs — enrollment as an indirect reseller through nginx (SPEC §2.2): the
// happy path from the Welcome page to the operator's approval, and every refusal on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sql } from '../lib/stack.mjs';
import { Client, errorsOf, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import {
  PMC_CSV, importCsv, newCompany, linkMpn, profileFields, submitProfile, mailTo, verifyLink, openLink,
  partnerAccount, auditOf,
} from '../lib/enroll.mjs';

let stack;
before(async () => {
  stack = await startStack();
  const r = importCsv(stack, PMC_CSV);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  const exit = await stack.stop();
  assert.equal(exit.code, 0, stack.portalLog());
});

test('happy path: Welcome, Create one, link MPN ID, profile, Enroll now, verify, approve, overview', async () => {
  const visitor = new Client(stack.base);
  let r = await visitor.get('/enroll');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Enroll as an indirect reseller<\/h1>/);
  assert.match(r.text, /<li aria-current="step">Welcome<\/li>/);
  assert.match(r.text, /<form method="get" action="\/enroll\/account">[\s\S]*<button type="submit" class="primary">Next<\/button>/);
  r = await visitor.get('/enroll/account');
  assert.equal(r.status, 200);
  assert.match(r.text, /href="\/signin\?next=\/enroll\/account">Sign in</);
  assert.match(r.text, /href="\/signup\?next=\/enroll\/account">Create one</);

  const c = await newCompany(stack, { domain: 'woodgrove.example' });
  r = await c.get('/enroll/account');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/enroll/mpn');
  r = await c.get('/enroll/mpn');
  assert.equal(r.status, 200);
  assert.match(r.text, /<li aria-current="step">Link your MPN ID<\/li>/);
  assert.match(r.text, /<li class="done">Welcome/);

  r = await linkMpn(c, { mpn: '6100001' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/enroll/profile?m=mpn-linked');
  assert.deepEqual(sql(stack, "SELECT x.mpn_id, t.domain FROM tenant_mpn_ids x JOIN tenants t ON t.id = x.tenant_id"),
    [{ mpn_id: '6100001', domain: 'woodgrove.example' }]);

  r = await c.get('/enroll/profile');
  assert.equal(r.status, 200);
  assert.match(r.text, /<li aria-current="step">Legal business profile<\/li>/);
  assert.match(r.text, /Germany/);				// the country, shown, not editable
  assert.doesNotMatch(r.text, /name="country"/);
  assert.match(r.text, /6100001/);

  const fields = profileFields('woodgrove.example');
  r = await submitProfile(c, fields);
  assert.equal(r.status, 303, errorsOf(r.text).join('; '));
  assert.equal(r.location, '/enroll?m=enroll-submitted');
  let [pa] = partnerAccount(stack, 'woodgrove.example');
  assert.equal(pa.type, 'indirect_reseller');
  assert.equal(pa.status, 'pending_verification');
  assert.equal(pa.support_website, 'https://support.woodgrove.example');
  const [legal] = sql(stack, 'SELECT * FROM legal_profiles');
  assert.equal(legal.legal_name, 'Woodgrove Bank GmbH');
  assert.equal(legal.postal_code, '60311');
  assert.equal(legal.contact_verified_at, null);
  assert.equal(sql(stack, 'SELECT count(*) AS n FROM enrollment_drafts WHERE fields <> \'\'')[0].n, 0);

  r = await c.follow(r);
  assert.match(textOf(r.text), /Pending verification/);
  assert.match(textOf(r.text), /Your enrollment is submitted/);

  // The primary contact's email, with a signed link.
  const mail = await mailTo(stack, 'carla@woodgrove.example', 'Verify your email address');
  assert.match(mail.body, /Woodgrove Bank GmbH has enrolled/);
  assert.match(mail.body, /expires in 7 days/);
  const link = await verifyLink(stack, 'carla@woodgrove.example');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/verify\?t=[A-Za-z0-9_-]{72}$/);

  // The contact, in another browser, not signed in.
  const carla = new Client(stack.base);
  r = await openLink(carla, link);
  assert.equal(r.status, 200);
  assert.match(r.text, /Woodgrove Bank GmbH/);
  assert.match(r.text, /I signed up for this account/);
  assert.match(r.text, /This email address belongs to the company/);
  r = await carla.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes' });
  assert.equal(r.status, 422);
  assert.deepEqual(errorsOf(r.text), ['Tick this box to continue.']);
  assert.equal(partnerAccount(stack, 'woodgrove.example')[0].status, 'pending_verification');
  r = await carla.get('/verify');
  r = await carla.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/verify/done');
  r = await carla.follow(r);
  assert.match(textOf(r.text), /your email address is verified/);
  pa = partnerAccount(stack, 'woodgrove.example')[0];
  assert.equal(pa.status, 'in_review');
  assert.ok(pa.verified_at > 0);
  assert.ok(sql(stack, 'SELECT contact_verified_at FROM legal_profiles')[0].contact_verified_at > 0);
  const review = await mailTo(stack, 'carla@woodgrove.example', 'in review');
  assert.match(review.subject, /Woodgrove Bank's enrollment is in review/);

  // The operator.
  let ctl = stack.ctl('enrollments', '--status', 'in_review');
  assert.equal(ctl.code, 0);
  assert.match(ctl.stdout, /ID\s+ORGANIZATION\s+COUNTRY\s+TYPE\s+STATUS\s+SUBMITTED/);
  assert.match(ctl.stdout, new RegExp(`${pa.id}\\s+Woodgrove Bank\\s+DE\\s+indirect_reseller\\s+in_review\\s+\\d{4}-`));
  ctl = stack.ctl('approve', String(pa.id));
  assert.equal(ctl.code, 0, ctl.stderr);
  assert.match(ctl.stdout, /approved/);
  assert.equal(partnerAccount(stack, 'woodgrove.example')[0].status, 'approved');
  const [ana] = sql(stack, "SELECT roles FROM users WHERE email = 'ana@woodgrove.example'");
  assert.equal(ana.roles, 1 | 8, 'Global admin + Admin agent');
  const approved = await mailTo(stack, 'carla@woodgrove.example', 'approved');
  assert.match(approved.subject, /Woodgrove Bank is approved as Indirect reseller/);

  // The role change ended the session; signed in again, the overview shows the three steps.
  r = await c.get('/settings/profile');
  assert.equal(r.status, 303);
  r = await c.signin('ana@woodgrove.example');
  assert.equal(r.status, 303);
  r = await c.get('/');
  const t = textOf(r.text);
  assert.match(t, /Account created Done/);
  assert.match(t, /Enrolled as indirect reseller Done/);
  assert.match(t, /Partner agreement signed Not signed/);
  assert.match(t, /not yet available/);
  assert.match(r.text, /Organization profile/);

  const actions = sql(stack, "SELECT action, outcome, detail FROM audit WHERE action LIKE 'enrollment.%' OR action = 'mpn.link' ORDER BY id");
  assert.deepEqual(actions.map((a) => `${a.action} ${a.outcome}`), ['mpn.link ok', 'enrollment.submit ok', 'enrollment.verify ok', 'enrollment.approve ok']);
  assert.match(actions[3].detail, /in_review -> approved/);
});
