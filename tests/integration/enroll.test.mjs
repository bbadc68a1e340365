// enroll.test.mjs — enrollment as an indirect reseller through nginx (SPEC §2.2): the
// happy path from the Welcome page to the operator's approval, and every refusal on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, errorsOf, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import {
  PMC_CSV, importCsv, newCompany, linkMpn, profileFields, submitProfile, mailTo, verifyLink, openLink,
  partnerAccount,
} from '../lib/enroll.mjs';

let stack;
before(async () => {
  stack = await startStack();
  const r = importCsv(stack, PMC_CSV);
  assert.equal(r.code, 0, r.stderr);
});
after(() => stopChecked(stack));

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
  assert.deepEqual(db.rows(stack, 'SELECT x.mpn_id, t.domain FROM tenant_mpn_ids x JOIN tenants t ON t.id = x.tenant_id'),
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
  const legal = db.one(stack, 'SELECT * FROM legal_profiles');
  assert.equal(legal.legal_name, 'Woodgrove Bank GmbH');
  assert.equal(legal.postal_code, '60311');
  assert.equal(legal.contact_verified_at, null);
  assert.equal(db.one(stack, "SELECT count(*) AS n FROM enrollment_drafts WHERE fields <> ''").n, 0);

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
  assert.ok(db.one(stack, 'SELECT contact_verified_at FROM legal_profiles').contact_verified_at > 0);
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
  const ana = F.user(stack, 'ana@woodgrove.example');
  assert.equal(ana.roles, 1 | 8, 'Global admin + Admin agent');
  const approved = await mailTo(stack, 'carla@woodgrove.example', 'approved');
  assert.match(approved.subject, /Woodgrove Bank is approved as an indirect reseller/);

  // The role change ended the session; signed in again, the overview shows the three steps.
  r = await c.get('/settings/profile');
  assert.equal(r.status, 303);
  r = await c.signin('ana@woodgrove.example');
  assert.equal(r.status, 303);
  r = await c.get('/');
  const t = textOf(r.text);
  assert.match(t, /Account created Done/);
  assert.match(t, /Enrolled as indirect reseller Done/);
  assert.match(t, /Partner agreement accepted Not accepted/);
  assert.match(t, /not yet available/);
  assert.match(r.text, /Organization profile/);

  const actions = db.rows(stack, "SELECT action, outcome, detail FROM audit WHERE action LIKE 'enrollment.%' OR action = 'mpn.link' ORDER BY id");
  assert.deepEqual(actions.map((a) => `${a.action} ${a.outcome}`), ['mpn.link ok', 'enrollment.submit ok', 'enrollment.verify ok', 'enrollment.approve ok']);
  assert.match(actions[3].detail, /in_review -> approved/);
});

test('Link your MPN ID: each rule refused with its reason, nothing linked', async () => {
  const c = await newCompany(stack, { org: 'Refusal Bank', domain: 'refusal.example' });
  // Other country: the profile is in the United States, the work account in Germany.
  let r = await linkMpn(c, { mpn: '6100002' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /This company profile is in United States, but your work account is in Germany\. Only a profile in the same country or region/);
  // Inactive.
  r = await c.submit('/enroll/mpn/profiles', { mpn_id: '6100003' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /This company profile is inactive in the Partner Membership Center\. Only an active profile can be linked/);
  // Already linked to another organization (Woodgrove linked 6100001 in the happy path; the
  // Contoso PMC account is paired with it too).
  r = await c.submit('/enroll/mpn/cancel', {}, '/enroll/mpn/profiles');
  assert.equal(r.location, '/enroll/mpn');
  r = await linkMpn(c, { user: 'pmc@contoso.example', password: 'Contoso-PMC-2025', mpn: '6100001' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /This MPN ID is already linked to another organization/);
  // A profile that is not one of this PMC account's.
  r = await c.submit('/enroll/mpn/profiles', { mpn_id: '7200001' });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /not linked to this PMC account/);
  // Nothing chosen.
  r = await c.submit('/enroll/mpn/profiles', {});
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /Choose one of the company profiles/);

  const tenant = F.tenantId(stack, 'refusal.example');
  assert.equal(F.count(stack, 'tenant_mpn_ids', { tenant_id: tenant }), 0);
  const refused = F.audit(stack, { action: 'mpn.link', outcome: 'refused', tenant_id: tenant }, 'target, detail');
  assert.deepEqual(refused.map((a) => a.target), ['6100002', '6100003', '6100001', '7200001']);
  assert.match(refused[0].detail, /United States/);
  assert.match(refused[1].detail, /inactive/);
  assert.match(refused[2].detail, /another organization/);

  // A profile of the right kind links; Cancel returns to the PMC user name.
  r = await c.submit('/enroll/mpn/profiles', { mpn_id: '7100001' });
  assert.equal(r.status, 303);
  assert.equal(db.one(stack, 'SELECT mpn_id FROM tenant_mpn_ids WHERE tenant_id = ?', tenant).mpn_id, '7100001');
});

test('PMC sign-in: wrong password answered like an unknown name, then throttled', async () => {
  const c = await newCompany(stack, { org: 'Throttle Ltd', domain: 'throttle.example' });
  let r = await c.submit('/enroll/mpn', { pmc_user: 'PMC@Fourth.example' });
  assert.equal(r.location, '/enroll/mpn/password');
  r = await c.get('/enroll/mpn');
  assert.match(r.text, /value="pmc@fourth.example"/, 'the user name is kept');
  r = await c.get('/enroll/mpn/profiles');
  assert.equal(r.status, 303, 'no profiles before signing in to PMC');
  const wrong = await c.submit('/enroll/mpn/password', { pmc_password: 'not the password' });
  assert.equal(wrong.status, 422);
  const msg = /That PMC user name and password do not match/;
  assert.match(textOf(wrong.text), msg);
  await c.submit('/enroll/mpn/cancel', {}, '/enroll/mpn/password');
  await c.submit('/enroll/mpn', { pmc_user: 'nobody@fourth.example' });
  const unknown = await c.submit('/enroll/mpn/password', { pmc_password: 'anything at all' });
  assert.equal(unknown.status, 422);
  assert.match(textOf(unknown.text), msg);
  await c.submit('/enroll/mpn/cancel', {}, '/enroll/mpn/password');
  await c.submit('/enroll/mpn', { pmc_user: 'pmc@fourth.example' });
  for (let i = 0; i < 4; i++) {
    r = await c.submit('/enroll/mpn/password', { pmc_password: `wrong ${i}` });
    assert.equal(r.status, 422);
  }
  // Five failures for this PMC user name: even the right password now waits.
  r = await c.submit('/enroll/mpn/password', { pmc_password: 'Fourth-PMC-2025' });
  assert.equal(r.status, 429);
  assert.match(textOf(r.text), /Too many unsuccessful attempts/);
  const fails = F.audit(stack, { action: 'pmc.signin', outcome: 'failed', target: 'pmc@fourth.example' }, 'detail');
  assert.deepEqual(fails.map((f) => f.detail), ['wrong password', 'wrong password', 'wrong password', 'wrong password', 'wrong password', 'throttled']);
  assert.equal(F.auditCount(stack, { action: 'pmc.signin', target: 'nobody@fourth.example', detail: 'unknown PMC user name' }), 1);
});

test('Legal business profile: every rule beside its field, the input kept, nothing written', async () => {
  const c = await newCompany(stack, { org: 'Valid Co', domain: 'valid.example' });
  let r = await c.submit('/enroll/mpn/skip', {}, '/enroll/mpn');
  assert.equal(r.location, '/enroll/profile');
  r = await submitProfile(c, profileFields('valid.example', {
    legal_name: 'Valid <Co> GmbH',
    address1: '',
    postal_code: '',
    contact_email: 'Boss@Mail.YAHOO.co.uk',
    contact_phone: '12 34',
    support_email: 'support-at-valid',
    support_phone: '+49 555 abc',
    support_website: 'http://valid.example',
  }));
  assert.equal(r.status, 422);
  const errs = errorsOf(r.text);
  assert.deepEqual(errs, [
    'Enter the address line 1.',
    'Enter the postal code.',
    'The primary contact cannot use a web-mail address: mail.yahoo.co.uk matches "yahoo.*" on the list of web-mail services. Use an address at your company\'s own domain.',
    'Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.',
    'Enter an email address like name@example.com.',
    'Enter a phone number of 7 to 20 digits; spaces and + - ( ) are allowed.',
    'Enter a web address that starts with https://, like https://contoso.com.',
  ]);
  assert.match(r.text, /value="Valid &lt;Co&gt; GmbH"/, 'input kept and escaped');
  assert.match(r.text, /id="f-contact_email-error"/);
  assert.match(r.text, /<h2>Check the form<\/h2>/);
  for (const webmail of ['ceo@gmail.com', 'ceo@GoogleMail.com', 'ceo@hotmail.fr', 'ceo@live.com.au', 'ceo@eu.outlook.com', 'ceo@me.com']) {
    r = await submitProfile(c, profileFields('valid.example', { contact_email: webmail }));
    assert.equal(r.status, 422, webmail);
    assert.match(errorsOf(r.text)[0], /cannot use a web-mail address/, webmail);
  }
  // Company domains that only look like web-mail are fine.
  r = await submitProfile(c, profileFields('valid.example', { contact_email: 'ceo@live.valid.example' }));
  assert.equal(r.status, 303, errorsOf(r.text).join('; '));
  assert.equal(partnerAccount(stack, 'valid.example')[0].status, 'pending_verification');
  assert.equal(F.legalProfileOf(stack, 'valid.example').contact_email, 'ceo@live.valid.example');
});

test('drafts: going back and forth loses nothing', async () => {
  const c = await newCompany(stack, { org: 'Draft Works', domain: 'draft.example' });
  await c.submit('/enroll/mpn', { pmc_user: 'pmc@fourth.example' });
  let r = await c.get('/enroll/profile');
  assert.equal(r.status, 200);
  assert.match(r.text, /value="Draft Works"/, 'starts from the organization name');
  r = await c.submit('/enroll/profile', { legal_name: 'Draft Works AG', address1: 'Entwurfweg 7', city: 'Bonn', contact_email: 'not-an-email', action: 'back' });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/enroll/mpn');
  r = await c.get('/enroll/mpn');
  assert.match(r.text, /value="pmc@fourth.example"/);
  r = await c.get('/enroll/profile');
  assert.match(r.text, /value="Draft Works AG"/);
  assert.match(r.text, /value="Entwurfweg 7"/);
  assert.match(r.text, /value="Bonn"/);
  assert.match(r.text, /value="not-an-email"/);
  const d = db.one(stack, 'SELECT d.fields FROM enrollment_drafts d JOIN tenants t ON t.id = d.tenant_id WHERE t.domain = ?', 'draft.example');
  assert.match(d.fields, /legal_name=Draft%20Works%20AG/);
  // Signed out and in again, still there.
  await c.signout();
  await c.signin('ana@draft.example');
  r = await c.get('/enroll/profile');
  assert.match(r.text, /value="Entwurfweg 7"/);
});

test('another organization never sees the first one\'s data', async () => {
  const a = await newCompany(stack, { org: 'Alpha Secrets', domain: 'alpha.example' });
  await a.submit('/enroll/profile', { legal_name: 'Alpha Secret Legal Name', action: 'back' });
  await submitProfile(a, profileFields('alpha.example', { legal_name: 'Alpha Secret Legal Name' }));
  const b = await newCompany(stack, { org: 'Beta Watchers', domain: 'beta.example' });
  for (const path of ['/enroll', '/enroll/profile', '/enroll/mpn', '/settings/profile', '/settings/profile/legal', '/']) {
    const r = await b.get(path);
    assert.doesNotMatch(r.text, /Alpha Secret/, path);
    assert.doesNotMatch(r.text, /carla@alpha\.example/, path);
  }
  // B signs in to a PMC account; A's MPN ID (Woodgrove's) cannot be taken; A's verification
  // link does not verify B.
  const r = await linkMpn(b, { user: 'pmc@contoso.example', password: 'Contoso-PMC-2025', mpn: '6100001' });
  assert.equal(r.status, 422);
  assert.equal(partnerAccount(stack, 'beta.example').length, 0);
});

test('a signed-in user who is not a Global admin, and a customer organization, are told who can enroll', async () => {
  // A customer organization: made directly, as the customer issue would.
  const c = await newCompany(stack, { org: 'Customer Corp', domain: 'customer.example' });
  F.setTenantKind(stack, F.tenantId(stack, 'customer.example'), 'customer');
  let r = await c.get('/enroll/account');
  assert.equal(r.status, 403);
  assert.match(textOf(r.text), /is a customer organization: customers do not enroll/);
  r = await c.get('/enroll/profile');
  assert.equal(r.status, 403);
  // A user without Global admin.
  const u = await newCompany(stack, { org: 'Roles Inc', domain: 'roles.example' });
  F.setUserRoles(stack, 'ana@roles.example', ['sales_agent']);
  r = await u.get('/enroll/account');
  assert.equal(r.status, 403);
  assert.match(textOf(r.text), /Only a Global admin of Roles Inc can enroll it/);
  r = await u.get('/enroll/mpn');
  assert.equal(r.status, 403);
  r = await u.get('/');
  assert.match(textOf(r.text), /Only a Global admin can enroll: ask one in your organization/);
});

