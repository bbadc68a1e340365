// relationships.test.mjs — indirect providers and resellers through nginx (SPEC §2.5):
// invitations read from the mail spool, the authorization page signed out and signed in,
// every refusal, altered and concurrent links, Resend and Revoke, both list pages (columns,
// sorting, paging), removal of administrator access, the operator ending a relationship,
// and other organizations' ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf, errorsOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail, linkIn } from '../lib/mail.mjs';
import { mintToken, readToken } from '../lib/linktoken.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const DAY = 86400;
const { now } = X;
const tokenOf = (link) => new URL(link).searchParams.get('t');
const userId = (email) => X.userId(stack, email);

/** Rows (arrays of cell texts) of the table labelled by `labelId`, or of the first table. */
function rowsOf(html, labelId) {
  const re = labelId ? new RegExp(`<table aria-labelledby="${labelId}">([\\s\\S]*?)</table>`) : /<table[^>]*>([\s\S]*?)<\/table>/;
  const m = re.exec(html);
  if (!m) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1])?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1])));
}
const headersOf = (html) => [...(/<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '').matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => textOf(m[1]).replace(/ [↑↓]$/, ''));

/** Refused POST /authorize attempts in the audit log (not page views). */
const refusedPosts = (code) => Number(db.one(stack, `SELECT count(*) AS n FROM audit WHERE action = 'provider.authorize'
  AND outcome = 'refused' AND detail LIKE ? AND detail NOT LIKE '%(page)'`, `${code}%`).n);

/** POSTs /authorize (CSRF from another page, so no page view is audited) with the landing cookie or t. */
function postAuthorize(client, fields = { confirm: 'yes' }) {
  return client.submit('/authorize', fields, '/find-a-provider');
}

/**
 * Expects `client`, following `link`, to be refused with status and a message, on the page and
 * on the POST (after following the link again: a refused page forgets a dead link), and the
 * POST to write nothing but one audit entry with `code`.
 */
async function expectRefused(client, link, { status, says, code }) {
  const page = await F.relOpen(client, link);
  assert.equal(page.status, status, textOf(page.text));
  assert.match(textOf(page.text), says);
  assert.doesNotMatch(page.text, /Authorize indirect provider<\/button>/);
  assert.equal((await client.get(F.relPath(link))).status, 303);
  const before = F.relCounts(stack), audits = refusedPosts(code);
  const res = await postAuthorize(client);
  assert.equal(res.status, status);
  assert.match(textOf(res.text), says);
  assert.deepEqual(F.relCounts(stack), before, 'nothing written');
  assert.equal(refusedPosts(code), audits + 1, `one refused audit entry (${code})`);
}

/** Invites reseller r by its admin's address and authorizes through the link; returns the relationship id. */
async function relate(p, r) {
  const inv = await F.relInvite(stack, p, r.email);
  await F.relOpen(r.client, inv.link);
  const res = await postAuthorize(r.client);
  assert.equal(res.status, 303, textOf(res.text));
  return Number(db.one(stack, 'SELECT id FROM provider_relationships WHERE invitation_id = ?', inv.id).id);
}

test('the whole flow: invite, follow the link signed out, sign in, come back, authorize; both pages show the other side', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'fabrikam.example', org: 'Fabrikam Distribution', country: 'DE', supportEmail: 'partners@fabrikam.example' });
  const r = await F.relPartner(stack, { domain: 'contoso.example', org: 'Contoso Reselling', country: 'FR' });
  await r.client.signout();

  // The provider invites a company address (not the address of the user who will accept).
  const t0 = now();
  const inv = await F.relInvite(stack, p, 'partners@contoso.example', 'Hello Contoso,\nwelcome to our reseller program.');
  assert.equal(inv.res.location, `/resellers/invitations/${inv.id}?m=invitation-sent`);
  assert.match(inv.mail.subject, /^Fabrikam Distribution invites you to authorize it as your indirect provider$/);
  assert.match(inv.mail.body, /Ana Admin \(admin@fabrikam\.example\) of Fabrikam Distribution invites your\s+organization/);	// (issue 15: lines wrapped at 72)
  assert.match(inv.mail.body, /^ {2}\| Hello Contoso,$/m);
  assert.match(inv.mail.body, /^ {2}\| welcome to our reseller program\.$/m);
  assert.match(inv.mail.body, /^http:\/\/127\.0\.0\.1:\d+\/authorize\?t=[A-Za-z0-9_-]{72}$/m, 'the link on its own line');
  const row = db.one(stack, 'SELECT * FROM reseller_invitations WHERE id = ?', inv.id);
  assert.equal(row.status, 'pending');
  assert.equal(row.email, 'partners@contoso.example');
  assert.equal(row.message, 'Hello Contoso,\nwelcome to our reseller program.');
  assert.equal(row.created_by, userId(p.email));
  assert.equal(row.expires_at - row.created_at, 30 * DAY);
  assert.ok(row.created_at >= t0 - 1);
  const tok = readToken(tokenOf(inv.link));
  assert.equal(tok.purpose, 4);
  assert.equal(tok.row, inv.id);
  assert.equal(tok.expires, row.expires_at, "the token carries the row's expiry");
  // (issue 15, item 13: "05 Mar 2026, 14:03 UTC", was "2026-03-05 14:03 UTC"; the line may wrap)
  const d = new Date(row.expires_at * 1000);
  const expiresText = `${d.toUTCString().slice(5, 16)}, ${d.toISOString().slice(11, 16)}`.replace(/ /g, '\\s+');
  assert.match(inv.mail.body, new RegExp(`expires\\s+on\\s+${expiresText}\\s+UTC`));

  // The invitation page shows the same link, with a Copy link button and its script.
  const invPage = await p.client.get(`/resellers/invitations/${inv.id}?m=invitation-sent`);
  assert.equal(invPage.status, 200);
  assert.ok(invPage.text.includes(`readonly value="${inv.link}"`));
  assert.match(invPage.text, /<button type="button" data-copy="invite-link"[^>]*hidden>Copy link<\/button>/);
  assert.match(invPage.text, /<script src="\/static\/js\/copy\.js" defer><\/script>/);
  const js = await p.client.get('/static/js/copy.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /^text\/javascript/);

  // Signed out: the landing keeps the token in a cookie for /authorize and drops it from the address.
  const visitor = new Client(stack.base);
  const land = await visitor.get(F.relPath(inv.link));
  assert.equal(land.status, 303);
  assert.equal(land.location, '/authorize');
  assert.equal(land.headers['referrer-policy'], 'no-referrer');
  assert.ok(land.setCookies.some((c) => /^tok=[A-Za-z0-9_-]{72}; Path=\/authorize;/.test(c)));
  let page = await visitor.get('/authorize');
  assert.equal(page.status, 200);
  let text = textOf(page.text);
  assert.match(text, /Fabrikam Distribution invites your organization to authorize it as your indirect provider/);
  assert.match(text, new RegExp(`MPN ID ${p.mpn}`));
  assert.match(text, /Country Germany \(Europe\)/);
  assert.match(text, /may submit orders and add subscriptions for your customers/);
  // Issue 13: the standing administrator access is the delegated admin relationship it creates.
  assert.match(text, /creates a delegated admin relationship named Administrator access ?: Fabrikam Distribution's users who hold the Admin agent role/);
  assert.match(text, /Hello Contoso, welcome to our reseller program\./);
  assert.match(page.text, /href="\/signin\?next=\/authorize">Sign in<\/a>/);
  assert.match(page.text, /href="\/signup\?next=\/authorize">Create one<\/a>/);
  assert.doesNotMatch(page.text, /Authorize indirect provider<\/button>/);

  // Sign in and come back to the same page.
  const si = await visitor.signin(r.email, F.REL_PASSWORD, '/authorize');
  assert.equal(si.status, 303);
  assert.equal(si.location, '/authorize');
  page = await visitor.get('/authorize');
  assert.equal(page.status, 200);
  assert.match(page.text, /<button type="submit" class="primary">Authorize indirect provider<\/button>/);
  assert.match(textOf(page.text), /I authorize Fabrikam Distribution to be our indirect provider/);

  // Without the check box: the form again, nothing written.
  let res = await postAuthorize(visitor, { t: tokenOf(inv.link) });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Tick this box to continue.']);
  assert.equal(F.relCounts(stack).rels, 0);

  res = await postAuthorize(visitor);
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, '/providers?m=provider-authorized');
  assert.equal(visitor.cookie('tok'), undefined, 'the landing cookie is forgotten');
  const rel = db.one(stack, 'SELECT * FROM provider_relationships');
  assert.equal(rel.provider_id, p.accountId);
  assert.equal(rel.reseller_id, r.accountId);
  assert.equal(rel.status, 'active');
  assert.equal(rel.admin_access, 1);
  assert.equal(rel.invitation_id, inv.id);
  assert.equal(rel.authorized_by, userId(r.email));
  const acc = db.one(stack, 'SELECT * FROM reseller_invitations WHERE id = ?', inv.id);
  assert.equal(acc.status, 'accepted');
  assert.equal(acc.accepted_by, userId(r.email), 'who accepted is recorded, though the invitation went elsewhere');
  assert.equal(acc.reseller_id, r.accountId);

  // The provider hears of it.
  const notice = await waitForMail(stack.mailDir, { to: p.email, subject: 'has authorized' });
  assert.equal(notice.subject, 'Contoso Reselling has authorized Fabrikam Distribution as its indirect provider');
  assert.match(notice.body, new RegExp(`MPN ID: +${r.mpn}`));
  assert.match(notice.body, /Authorized by Ana Admin \(admin@contoso\.example\)/);

  // The reseller's Indirect providers page.
  page = await visitor.follow(res);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /You have authorized the indirect provider/);
  assert.deepEqual(headersOf(page.text), ['Name', 'MPN ID', 'Country', 'Since', 'Administrator access', 'Customers']);
  const today = new Date(rel.since * 1000).toUTCString().slice(5, 16);
  // administrator access: the pair's delegated admin relationship as the Relationships page computes it (issue 13), no longer the stored flag ("Yes")
  const until = new Date(Number(db.value(stack, 'SELECT expires_at AS v FROM delegated_admins WHERE partner_tenant_id = ? AND customer_tenant_id = ?',
    p.tenantId, r.tenantId)) * 1000).toUTCString().slice(5, 16);
  assert.deepEqual(rowsOf(page.text), [['Fabrikam Distribution', p.mpn, 'Germany', today, `Active until ${until} · Remove administrator access`,
    'View customers · Invite new customers']]);

  // The provider's Indirect resellers page.
  page = await p.client.get('/resellers');
  assert.equal(page.status, 200);
  assert.deepEqual(headersOf(page.text).slice(0, 6), ['Name', 'MPN ID', 'Country', 'Since', 'Partner agreement', 'Administrator access']);
  assert.deepEqual(rowsOf(page.text, 'resellers-head'), [['Contoso Reselling', r.mpn, 'France', today, 'Not published', `Active until ${until}`]]);
  const invRows = rowsOf(page.text, 'invitations-head');
  assert.deepEqual(invRows[0].slice(0, 4), ['partners@contoso.example', today, new Date(row.expires_at * 1000).toUTCString().slice(5, 16), 'Accepted by Contoso Reselling']);

  const audit = X.audit(stack, { action: ['invitation.send', 'provider.authorize', 'invitation.accept'] }, 'tenant_id, action, outcome');
  assert.deepEqual(audit, [
    { tenant_id: p.tenantId, action: 'invitation.send', outcome: 'ok' },
    { tenant_id: r.tenantId, action: 'provider.authorize', outcome: 'ok' },
    { tenant_id: p.tenantId, action: 'invitation.accept', outcome: 'ok' },
  ]);
});

test('an Account admin may authorize too; the link works once', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'once-p.example' });
  const r = await F.relPartner(stack, { domain: 'once-r.example' });
  const aa = await F.relUser(stack, r, { email: 'aa@once-r.example', roles: ['account_admin'] });
  const inv = await F.relInvite(stack, p, 'aa@once-r.example');
  await F.relOpen(aa.client, inv.link);
  const res = await postAuthorize(aa.client);
  assert.equal(res.status, 303);
  // The same link again, by the Global admin of the same reseller.
  await expectRefused(r.client, inv.link, { status: 409, says: /already been used: each invitation link works once/, code: 'used' });
});

test('not enrolled yet: told to enroll, and the same link works once the enrollment is approved', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'enr-p.example', org: 'Enroll Provider' });
  const inv = await F.relInvite(stack, p, 'owner@newco.example');
  const visitor = new Client(stack.base);
  await F.relOpen(visitor, inv.link);
  // Create one, and come back.
  const mails = messages(stack.mailDir).length;
  const sent = await visitor.submit('/signup', { org: 'NewCo', domain: 'newco.example', country: 'AT', name: 'Nora New',
    email: 'owner@newco.example', password: F.REL_PASSWORD, password2: F.REL_PASSWORD, next: '/authorize' }, '/signup?next=%2Fauthorize');
  assert.equal(sent.status, 200);
  // Create one is confirmed from the email (issue 12, item 9), then back to the link.
  const su = await visitor.confirmSignup('owner@newco.example', mails);
  assert.equal(su.status, 303);
  assert.equal(su.location, '/authorize');
  const says = /NewCo is not an approved indirect reseller yet: it has not enrolled yet\. Enroll as an indirect reseller first; this link keeps working until/;
  const page = await visitor.get('/authorize');
  assert.equal(page.status, 403);
  assert.match(page.text, /<a href="\/enroll">Enroll as an indirect reseller<\/a>/);
  assert.match(textOf(page.text), says);
  assert.ok(visitor.cookie('tok'), 'the link is kept (for after enrollment)');
  const before = F.relCounts(stack);
  const res0 = await postAuthorize(visitor);
  assert.equal(res0.status, 403);
  assert.match(textOf(res0.text), says);
  assert.deepEqual(F.relCounts(stack), before);
  assert.equal(refusedPosts('not-enrolled'), 1);
  assert.equal(db.one(stack, 'SELECT status FROM reseller_invitations WHERE id = ?', inv.id).status, 'pending');

  // Enrollment submitted and in review: still refused, saying so.
  const tenant = X.tenantId(stack, 'newco.example');
  X.partnerAccount(stack, { tenant, type: 'indirect_reseller', status: 'in_review' });
  await expectRefused(visitor, inv.link, { status: 403, says: /your enrollment is in review/, code: 'not-enrolled' });

  // Approved: the same link now works (opened again from the email).
  X.setTenantPartnerStatus(stack, tenant, 'approved');
  await F.relOpen(visitor, inv.link);
  const res = await postAuthorize(visitor);
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(X.count(stack, 'provider_relationships', { provider_id: p.accountId }), 1);
});

test('refused: expired, revoked, altered by one character, cut short, a foreign link', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'ref-p.example', org: 'Refusing Provider' });
  const r = await F.relPartner(stack, { domain: 'ref-r.example' });

  // Expired: a link whose (and whose row's) expiry has passed.
  const old = await F.relInvite(stack, p, 'old@ref-r.example');
  const past = now() - 60;
  X.setResellerInvitationExpiry(stack, old.id, past);
  const expired = mintToken(stack, { purpose: 'reseller-invite', row: old.id, expires: past });
  await expectRefused(r.client, `${stack.base}/authorize?t=${expired}`, { status: 410, says: /This invitation has expired: invitation links work for 30 days/, code: 'expired' });
  let list = await p.client.get('/resellers');
  assert.equal(rowsOf(list.text, 'invitations-head').find((x) => x[0] === 'old@ref-r.example')[3], 'Expired');

  // Revoked by the provider.
  const rv = await F.relInvite(stack, p, 'rv@ref-r.example');
  const page = await p.client.get('/resellers');
  const res = await p.client.post(`/resellers/invitations/revoke/${rv.id}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/resellers?m=invitation-revoked');
  assert.equal(db.one(stack, 'SELECT status FROM reseller_invitations WHERE id = ?', rv.id).status, 'revoked');
  await expectRefused(r.client, rv.link, { status: 410, says: /Refusing Provider has revoked this invitation/, code: 'revoked' });
  list = await p.client.get('/resellers');
  const rvRow = rowsOf(list.text, 'invitations-head').find((x) => x[0] === 'rv@ref-r.example');
  assert.equal(rvRow[3], 'Revoked');
  assert.equal(rvRow[4], '', 'no Resend or Revoke for a revoked invitation');
  assert.equal(X.auditCount(stack, { action: 'invitation.revoke', outcome: 'ok', tenant_id: p.tenantId }), 1);

  // Altered by one character, anywhere in the token.
  const ok = await F.relInvite(stack, p, 'ok@ref-r.example');
  const t = tokenOf(ok.link);
  for (const at of [1, 12, 30, 60, 71]) {
    const altered = t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    await expectRefused(r.client, `${stack.base}/authorize?t=${altered}`, { status: 400, says: /This invitation link is not valid: it may have been changed or cut short/, code: 'altered' });
  }
  // Cut short.
  await expectRefused(r.client, `${stack.base}/authorize?t=${t.slice(0, 60)}`, { status: 400, says: /not valid: it may have been changed or cut short/, code: 'altered' });

  // A foreign link: a genuine password-reset link used here.
  const before = messages(stack.mailDir).length;
  await new Client(stack.base).submit('/password/forgot', { email: r.email });
  const reset = await waitForMail(stack.mailDir, { to: r.email, subject: 'Reset', after: before });
  const resetToken = tokenOf(linkIn(reset, '/password/reset'));
  await expectRefused(r.client, `${stack.base}/authorize?t=${resetToken}`, { status: 400, says: /This link is not an invitation from an indirect provider/, code: 'foreign-link' });

  // No link at all.
  const bare = new Client(stack.base);
  await bare.signin(r.email, F.REL_PASSWORD);
  const none = await bare.get('/authorize');
  assert.equal(none.status, 400);
  assert.match(textOf(none.text), /opens from the invitation link in an indirect provider's email/);

  // The good link still works after all that.
  await F.relOpen(r.client, ok.link);
  assert.equal((await postAuthorize(r.client)).status, 303);
});

test('refused: wrong account type, own organization, different region, already related, not an admin', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'who-p.example', org: 'Who Provider', country: 'DE' });
  const inv = await F.relInvite(stack, p, 'anyone@example.org');

  // Another provider.
  const other = await F.relPartner(stack, { type: 'indirect_provider', domain: 'who-p2.example', org: 'Second Provider' });
  await expectRefused(other.client, inv.link, { status: 403, says: /Only an indirect reseller can authorize an indirect provider, and Second Provider is an indirect provider/, code: 'wrong-account-type' });
  // A direct-bill partner.
  const direct = await F.relPartner(stack, { type: 'direct_bill', domain: 'who-d.example', org: 'Direct Biller' });
  await expectRefused(direct.client, inv.link, { status: 403, says: /Direct Biller is a direct-bill partner/, code: 'wrong-account-type' });
  // A customer organization.
  const cust = await F.relPartner(stack, { type: null, kind: 'customer', domain: 'who-c.example', org: 'Customer Inc', mpn: false });
  await expectRefused(cust.client, inv.link, { status: 403, says: /Customer Inc is a customer organization/, code: 'wrong-account-type' });
  // The provider's own Global admin.
  await expectRefused(p.client, inv.link, { status: 403, says: /This invitation comes from your own organization/, code: 'own-organization' });

  // A reseller in another region: both regions named.
  const us = await F.relPartner(stack, { domain: 'who-us.example', org: 'Yankee Resale', country: 'US' });
  await expectRefused(us.client, inv.link, { status: 403, says: /Who Provider is in the Europe region \(Germany\) and Yankee Resale is in the North America region \(United States\)\. Partners can work together only within the same CSP region\./, code: 'other-region' });

  // A reseller in the same region but a Sales agent: the page says who can, the POST is forbidden.
  const r = await F.relPartner(stack, { domain: 'who-r.example', org: 'Same Region Resale', country: 'AT' });
  const sales = await F.relUser(stack, r, { email: 'sales@who-r.example', roles: ['sales_agent', 'admin_agent'] });
  await F.relOpen(sales.client, inv.link);
  const page = await sales.client.get('/authorize');
  assert.equal(page.status, 403);
  assert.match(textOf(page.text), /Only a Global admin or Account admin of Same Region Resale can authorize an indirect provider\. Ask one of them to open this link\./);
  const before = F.relCounts(stack);
  const res = await postAuthorize(sales.client);
  assert.equal(res.status, 403);
  assert.deepEqual(F.relCounts(stack), before);

  // Already related: a second invitation from the same provider (issue 13: Invite reseller
  // refuses an address of an organization already related, so it goes to another address).
  await relate(p, r);
  const second = await F.relInvite(stack, p, 'again@who-r-mail.example');
  const already = await F.relOpen(r.client, second.link);
  assert.match(already.text, /<a href="\/providers">Go to Indirect providers<\/a>/);
  await expectRefused(r.client, second.link, { status: 409, says: /Who Provider is already your indirect provider/, code: 'already-related' });

  // A provider that is no longer approved.
  const gone = await F.relInvite(stack, p, 'gone@who-r-mail.example');
  X.setPartnerStatus(stack, p.accountId, 'rejected');
  const r2 = await F.relPartner(stack, { domain: 'who-r2.example', country: 'AT' });
  await expectRefused(r2.client, gone.link, { status: 410, says: /Who Provider is no longer an approved indirect provider/, code: 'provider-not-approved' });
  X.setPartnerStatus(stack, p.accountId, 'approved');
});

test('the same link used twice at once: exactly one relationship', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'race-p.example' });
  const r = await F.relPartner(stack, { domain: 'race-r.example' });
  const inv = await F.relInvite(stack, p, r.email);
  await F.relOpen(r.client, inv.link);
  const csrf = csrfOf((await r.client.get('/find-a-provider')).text);
  const t = tokenOf(inv.link);
  const results = await Promise.all([1, 2, 3].map(() => r.client.post('/authorize', { csrf, t, confirm: 'yes' })));
  assert.deepEqual(results.map((x) => x.status).sort(), [303, 409, 409]);
  assert.equal(X.count(stack, 'provider_relationships', { provider_id: p.accountId }), 1);

  // Two different resellers racing for one link: one wins.
  const inv2 = await F.relInvite(stack, p, 'shared@race.example');
  const a = await F.relPartner(stack, { domain: 'race-a.example' });
  const b = await F.relPartner(stack, { domain: 'race-b.example' });
  const posts = await Promise.all([a, b].map(async (x) => {
    const c = csrfOf((await x.client.get('/find-a-provider')).text);
    return x.client.post('/authorize', { csrf: c, t: tokenOf(inv2.link), confirm: 'yes' });
  }));
  assert.deepEqual(posts.map((x) => x.status).sort(), [303, 409]);
  assert.equal(X.count(stack, 'provider_relationships', { invitation_id: inv2.id }), 1);
});

test('Resend makes the old link useless and extends the expiry; an expired invitation can be re-sent', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'rs-p.example', org: 'Resending Provider' });
  const r = await F.relPartner(stack, { domain: 'rs-r.example' });
  const inv = await F.relInvite(stack, p, r.email, 'First try');
  const e1 = readToken(tokenOf(inv.link)).expires;
  const count = messages(stack.mailDir).length;
  let page = await p.client.get(`/resellers/invitations/${inv.id}`);
  let res = await p.client.post(`/resellers/invitations/resend/${inv.id}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, `/resellers/invitations/${inv.id}?m=invitation-resent`);
  const again = await waitForMail(stack.mailDir, { to: r.email, after: count });
  assert.match(again.body, /^ {2}\| First try$/m);
  const link2 = linkIn(again, '/authorize');
  assert.notEqual(link2, inv.link);
  const e2 = readToken(tokenOf(link2)).expires;
  assert.ok(e2 > e1, 'a later expiry');
  assert.ok(e2 >= now() + 30 * DAY - 5);
  assert.equal(Number(db.one(stack, 'SELECT expires_at FROM reseller_invitations WHERE id = ?', inv.id).expires_at), e2);
  page = await p.client.get(`/resellers/invitations/${inv.id}`);
  assert.ok(page.text.includes(`value="${link2}"`), 'the page shows the new link');

  await expectRefused(r.client, inv.link, { status: 410, says: /Resending Provider has sent this invitation again, so this link no longer works/, code: 'replaced' });

  // An expired invitation: listed as expired, and Resend brings it back to life. Expiries
  // only grow in real life; here the row is aged by hand, so wait until the clock has moved
  // past the second of the previous send, or the new link would carry link2's expiry.
  while (now() + 30 * DAY <= e2) await new Promise((ok) => setTimeout(ok, 50));
  X.setResellerInvitationExpiry(stack, inv.id, now() - 10);
  page = await p.client.get('/resellers');
  const row = rowsOf(page.text, 'invitations-head').find((x) => x[0] === r.email);
  assert.equal(row[3], 'Expired');
  assert.match(row[4], /Resend/);
  const before = messages(stack.mailDir).length;
  res = await p.client.post(`/resellers/invitations/resend/${inv.id}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  const third = await waitForMail(stack.mailDir, { to: r.email, after: before });
  const link3 = linkIn(third, '/authorize');
  const st = db.one(stack, 'SELECT status, expires_at FROM reseller_invitations WHERE id = ?', inv.id);
  assert.equal(st.status, 'pending');
  assert.equal(st.expires_at, readToken(tokenOf(link3)).expires);
  await expectRefused(r.client, link2, { status: 410, says: /sent this invitation again/, code: 'replaced' });
  await F.relOpen(r.client, link3);
  assert.equal((await postAuthorize(r.client)).status, 303);

  // Accepted: neither Resend nor Revoke.
  page = await p.client.get(`/resellers/invitations/${inv.id}`);
  assert.doesNotMatch(page.text, />Resend</);
  res = await p.client.post(`/resellers/invitations/resend/${inv.id}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /can no longer be sent/);
  res = await p.client.post(`/resellers/invitations/revoke/${inv.id}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 409);
  assert.deepEqual(X.audit(stack, { action: 'invitation.resend', target: 'admin@rs-r.example' }, 'outcome').map((x) => x.outcome), ['ok', 'ok', 'refused']);
});

test('Invite reseller: validation, one pending invitation per address, who may invite', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'val-p.example' });
  const n = () => X.count(stack, 'reseller_invitations', { provider_id: p.accountId });
  let res = await p.client.submit('/resellers/invite', { email: 'not an email', message: 'hi' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Enter an email address like name@example.com.']);
  const long = 'x'.repeat(1001);
  res = await p.client.submit('/resellers/invite', { email: 'ok@val.example', message: long });
  assert.equal(res.status, 422);
  assert.deepEqual(errorsOf(res.text), ['Use at most 1000 characters.']);
  assert.ok(res.text.includes(`>${long}</textarea>`), 'the message is kept');
  res = await p.client.submit('/resellers/invite', { email: '', message: '' });
  assert.deepEqual(errorsOf(res.text), ["Enter the reseller's email address."]);
  assert.equal(n(), 0);
  await F.relInvite(stack, p, 'Dup@Val.example', 'x'.repeat(1000));
  res = await p.client.submit('/resellers/invite', { email: 'dup@val.example' });
  assert.equal(res.status, 422);
  assert.match(errorsOf(res.text)[0], /already invited this address/);
  assert.equal(n(), 1);
  assert.equal(db.one(stack, 'SELECT email FROM reseller_invitations WHERE provider_id = ?', p.accountId).email, 'dup@val.example');

  // An Admin agent may invite; a Sales agent sees the list but cannot invite.
  const agent = await F.relUser(stack, p, { email: 'agent@val-p.example', roles: ['admin_agent'] });
  assert.equal((await agent.client.submit('/resellers/invite', { email: 'other@val.example' })).status, 303);
  const sales = await F.relUser(stack, p, { email: 'sales@val-p.example', roles: ['sales_agent'] });
  const list = await sales.client.get('/resellers');
  assert.equal(list.status, 200);
  assert.doesNotMatch(list.text, /href="\/resellers\/invite"/);
  assert.doesNotMatch(list.text, />Resend</);
  assert.equal((await sales.client.get('/resellers/invite')).status, 403);
  assert.equal((await sales.client.post('/resellers/invite', { csrf: csrfOf(list.text), email: 'x@val.example' })).status, 403);
  const someId = db.one(stack, 'SELECT id FROM reseller_invitations WHERE provider_id = ? LIMIT 1', p.accountId).id;
  assert.equal((await sales.client.get(`/resellers/invitations/${someId}`)).status, 403);
  assert.equal(n(), 2);
});

test('who may open the pages: providers, resellers, signed out, the navigation', async () => {
  const visitor = new Client(stack.base);
  for (const path of ['/resellers', '/providers', '/resellers/invite']) {
    const res = await visitor.get(path);
    assert.equal(res.status, 303);
    assert.equal(res.location, `/signin?next=${path}`);
  }
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'nav-p.example' });
  const r = await F.relPartner(stack, { domain: 'nav-r.example' });
  assert.equal((await r.client.get('/resellers')).status, 403);
  assert.equal((await p.client.get('/providers')).status, 403);
  let home = await p.client.get('/');
  assert.match(home.text, /href="\/resellers">Indirect resellers</);
  assert.doesNotMatch(home.text, /href="\/providers"/);
  assert.match(home.text, /href="\/find-a-provider">Find a provider</);
  home = await r.client.get('/');
  assert.match(home.text, /href="\/providers">Indirect providers</);
  assert.doesNotMatch(home.text, /href="\/resellers"/);
  // A provider still in review is not an approved indirect provider yet.
  const q = await F.relPartner(stack, { type: 'indirect_provider', status: 'in_review', domain: 'nav-q.example' });
  assert.equal((await q.client.get('/resellers')).status, 403);
  // A reseller in review sees an explained empty page.
  const rr = await F.relPartner(stack, { status: 'in_review', domain: 'nav-rr.example' });
  const page = await rr.client.get('/providers');
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Your enrollment as an indirect reseller is not approved yet/);
});

test('Remove administrator access: Global admin only, with a confirmation step; recorded and told', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'adm-p.example', org: 'Admin Provider' });
  const r = await F.relPartner(stack, { domain: 'adm-r.example', org: 'Admin Reseller' });
  const relId = await relate(p, r);
  const aa = await F.relUser(stack, r, { email: 'aa@adm-r.example', roles: ['account_admin'] });
  let page = await aa.client.get('/providers');
  assert.doesNotMatch(page.text, /Remove administrator access/);
  assert.equal((await aa.client.get(`/providers/remove-access/${relId}`)).status, 403);
  assert.equal((await aa.client.post(`/providers/remove-access/${relId}`, { csrf: csrfOf(page.text) })).status, 403);

  page = await r.client.get('/providers');
  assert.match(page.text, new RegExp(`href="/providers/remove-access/${relId}"`));
  page = await r.client.get(`/providers/remove-access/${relId}`);
  assert.equal(page.status, 200);
  assert.match(textOf(page.text), /Admin Provider stays your indirect provider/);
  assert.match(page.text, /<button type="submit" class="danger">Remove administrator access<\/button>/);
  assert.equal(db.one(stack, 'SELECT admin_access FROM provider_relationships WHERE id = ?', relId).admin_access, 1, 'the GET changed nothing');
  const t0 = now();
  const before = messages(stack.mailDir).length;
  let res = await r.client.post(`/providers/remove-access/${relId}`, { csrf: csrfOf(page.text) });
  assert.equal(res.status, 303);
  assert.equal(res.location, '/providers?m=admin-access-removed');
  const rel = db.one(stack, 'SELECT * FROM provider_relationships WHERE id = ?', relId);
  assert.equal(rel.admin_access, 0);
  assert.equal(rel.admin_removed_by, userId(r.email));
  assert.ok(rel.admin_removed_at >= t0 - 1);
  assert.equal(rel.status, 'active', 'the relationship stays');
  const mail = await waitForMail(stack.mailDir, { to: p.email, subject: 'removed your administrator access', after: before });
  assert.match(mail.body, /Ana Admin \(admin@adm-r\.example\) of Admin Reseller removed the\s+administrator access/);	// (issue 15: lines wrapped at 72)
  page = await r.client.get('/providers');
  assert.match(rowsOf(page.text)[0][4], /^Removed \d\d \w{3} \d{4} by Ana Admin$/);
  page = await p.client.get('/resellers');
  assert.match(rowsOf(page.text, 'resellers-head')[0][5], /^Removed /);
  assert.deepEqual(X.audit(stack, { action: 'provider.admin-access.remove' }, 'tenant_id, outcome'),
    [{ tenant_id: r.tenantId, outcome: 'ok' }, { tenant_id: p.tenantId, outcome: 'ok' }]);
  // Again: already removed.
  res = await r.client.post(`/providers/remove-access/${relId}`, { csrf: csrfOf((await r.client.get('/providers')).text) });
  assert.equal(res.status, 409);
  assert.match(textOf(res.text), /already removed/);
});

test('the operator ends a relationship: gone from both pages, listed as ended, both told; the two may relate again', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'end-p.example', org: 'Ending Provider' });
  const r = await F.relPartner(stack, { domain: 'end-r.example', org: 'Ending Reseller' });
  const relId = await relate(p, r);

  assert.equal(stack.ctl('end-relationship').code, 2);
  assert.equal(stack.ctl('end-relationship', 'end-p.example', 'end-r.example').code, 2, 'the reason is required');
  assert.equal(stack.ctl('end-relationship', 'end-p.example', 'end-r.example', '--reason', '  ').code, 2);
  assert.equal(stack.ctl('end-relationship', 'end-p.example', 'end-r.example', '--reason').code, 2);
  let out = stack.ctl('end-relationship', 'nobody.example', 'end-r.example', '--reason', 'x');
  assert.equal(out.code, 1);
  assert.match(out.stderr, /nobody\.example: no indirect provider account/);
  out = stack.ctl('end-relationship', 'end-r.example', 'end-p.example', '--reason', 'x');
  assert.equal(out.code, 1, 'the sides are checked');
  assert.equal(db.one(stack, 'SELECT status FROM provider_relationships WHERE id = ?', relId).status, 'active');

  const before = messages(stack.mailDir).length;
  out = stack.ctl('end-relationship', String(p.accountId), 'end-r.example', '--reason', 'The reseller asked support to end it');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, new RegExp(`relationship ${relId} between Ending Provider \\(end-p\\.example\\) and Ending Reseller \\(end-r\\.example\\) ended`));
  const rel = db.one(stack, 'SELECT * FROM provider_relationships WHERE id = ?', relId);
  assert.equal(rel.status, 'ended');
  assert.equal(rel.end_reason, 'The reseller asked support to end it');
  assert.ok(rel.ended_at > 0);
  for (const to of [p.email, r.email]) {
    const m = await waitForMail(stack.mailDir, { to, subject: 'has ended', after: before });
    assert.match(m.body, /Reason: The reseller asked support to end it/);
  }
  assert.deepEqual(X.audit(stack, { action: 'relationship.end' }, 'tenant_id, actor').slice(-2),
    [{ tenant_id: p.tenantId, actor: 'operator' }, { tenant_id: r.tenantId, actor: 'operator' }]);
  out = stack.ctl('end-relationship', 'end-p.example', 'end-r.example', '--reason', 'again');
  assert.equal(out.code, 1);
  assert.match(out.stderr, /no active relationship/);

  // Gone from both pages.
  let page = await r.client.get('/providers');
  assert.deepEqual(rowsOf(page.text), []);
  assert.match(textOf(page.text), /No indirect providers yet/);
  page = await p.client.get('/resellers');
  assert.deepEqual(rowsOf(page.text, 'resellers-head'), []);
  assert.equal((await r.client.get(`/providers/remove-access/${relId}`)).status, 404);

  // The operator's list.
  out = stack.ctl('relationships', '--reseller', 'end-r.example');
  assert.equal(out.code, 0);
  const lines = out.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], new RegExp(`^${relId} +Ending Provider \\(${p.accountId}, end-p\\.example\\) +Ending Reseller \\(${r.accountId}, end-r\\.example\\) .* ended +\\d\\d \\w{3} \\d{4} — The reseller asked support to end it$`));
  assert.equal(stack.ctl('relationships', '--provider', 'nobody.example').code, 1);
  assert.equal(stack.ctl('relationships', '--bogus').code, 2);
  assert.equal(stack.ctl('relationships', '--provider').code, 2);

  // A new invitation relates them again.
  const again = await relate(p, r);
  assert.notEqual(again, relId);
  out = stack.ctl('relationships', '--provider', 'end-p.example');
  assert.match(out.stdout, / active +$/m);
  assert.equal(out.stdout.trim().split('\n').length, 3);
});

test("another organization's invitation or relationship id: 404, an audit entry, nothing changed", async () => {
  const p1 = await F.relPartner(stack, { type: 'indirect_provider', domain: 'own-p1.example' });
  const p2 = await F.relPartner(stack, { type: 'indirect_provider', domain: 'own-p2.example' });
  const r1 = await F.relPartner(stack, { domain: 'own-r1.example' });
  const r2 = await F.relPartner(stack, { domain: 'own-r2.example' });
  const inv = await F.relInvite(stack, p1, 'target@own.example');
  const before = db.one(stack, 'SELECT status, expires_at FROM reseller_invitations WHERE id = ?', inv.id);
  const csrf2 = csrfOf((await p2.client.get('/resellers')).text);
  assert.equal((await p2.client.get(`/resellers/invitations/${inv.id}`)).status, 404);
  assert.equal((await p2.client.post(`/resellers/invitations/resend/${inv.id}`, { csrf: csrf2 })).status, 404);
  assert.equal((await p2.client.post(`/resellers/invitations/revoke/${inv.id}`, { csrf: csrf2 })).status, 404);
  assert.deepEqual(db.one(stack, 'SELECT status, expires_at FROM reseller_invitations WHERE id = ?', inv.id), before);
  assert.equal((await p2.client.get('/resellers/invitations/999999')).status, 404);
  const p2list = await p2.client.get('/resellers');
  assert.doesNotMatch(p2list.text, /target@own\.example/, "another provider's invitations are not listed");
  assert.deepEqual(X.audit(stack, { action: 'access', tenant_id: p2.tenantId }, 'target, outcome, detail'), [
    { target: `invitation ${inv.id}`, outcome: 'refused', detail: "another organization's invitation" },
    { target: `invitation ${inv.id}`, outcome: 'refused', detail: "another organization's invitation" },
    { target: `invitation ${inv.id}`, outcome: 'refused', detail: "another organization's invitation" },
    { target: 'invitation 999999', outcome: 'refused', detail: 'no such invitation' },
  ]);

  const relId = await relate(p1, r1);
  const csrfR2 = csrfOf((await r2.client.get('/providers')).text);
  assert.equal((await r2.client.get(`/providers/remove-access/${relId}`)).status, 404);
  assert.equal((await r2.client.post(`/providers/remove-access/${relId}`, { csrf: csrfR2 })).status, 404);
  assert.equal(db.one(stack, 'SELECT admin_access FROM provider_relationships WHERE id = ?', relId).admin_access, 1);
  assert.equal(X.auditCount(stack, { action: 'access', tenant_id: r2.tenantId, detail: "another organization's relationship" }), 2);
  const r2list = await r2.client.get('/providers');
  assert.deepEqual(rowsOf(r2list.text), [], "another reseller's providers are not listed");
});

test('both lists are paged and sortable by name and date; bad parameters are refused', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'page-p.example' });
  const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'Foxtrot', 'golf', 'Hotel', 'india', 'Juliett', 'kilo', 'Lima',
    'mike', 'November', 'oscar', 'Papa', 'quebec', 'Romeo', 'sierra', 'Tango', 'uniform', 'Victor', 'whiskey'];
  const ids = X.bulkPartners(stack, { prefix: 'page-r', names, mpn: true });
  // since: a day apart, in an order unrelated to the names.
  const base = now() - 400 * DAY;
  const since = names.map((_, i) => base + ((i * 7) % names.length) * DAY);
  X.relateMany(stack, ids.map((reseller, i) => ({ provider: p.accountId, reseller, since: since[i] })));
  const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const bySince = names.map((n, i) => [n, since[i]]).sort((a, b) => a[1] - b[1]).map((x) => x[0]);
  const first = (html) => rowsOf(html, 'resellers-head').map((x) => x[0]);

  let page = await p.client.get('/resellers');
  assert.deepEqual(first(page.text), sorted.slice(0, 20));
  assert.match(page.text, /<th scope="col" aria-sort="ascending"><a href="\/resellers\?sort=name&amp;dir=desc">Name/);
  assert.match(page.text, /<a href="\/resellers\?sort=since&amp;dir=desc">Since<\/a>/);
  // (issue 17: a First / Previous / Next / Last pager on a cursor replaced "Page 1 of 2")
  assert.match(page.text, /<a href="\/resellers\?sort=name&amp;dir=asc&amp;after=\d+" rel="next">Next page<\/a>/);
  page = await p.client.get('/resellers?sort=name&dir=asc&page=2');	// an old link still works
  assert.deepEqual(first(page.text), sorted.slice(20));
  assert.match(page.text, /rel="prev"/);
  page = await p.client.get('/resellers?sort=name&dir=desc');
  assert.deepEqual(first(page.text), [...sorted].reverse().slice(0, 20));
  assert.match(page.text, /aria-sort="descending"><a href="\/resellers\?sort=name&amp;dir=asc">/);
  page = await p.client.get('/resellers?sort=since&dir=asc');
  assert.deepEqual(first(page.text), bySince.slice(0, 20));
  page = await p.client.get('/resellers?sort=since&dir=desc&page=2');
  assert.deepEqual(first(page.text), [...bySince].reverse().slice(20));
  page = await p.client.get('/resellers?page=9');
  // (issue 17: the last page is now the last 20, a full page, not the 3 of "page 2 of 2")
  assert.deepEqual(first(page.text), sorted.slice(-20), 'past the end: the last page');
  for (const bad of ['sort=t.name', 'sort=name%20desc', 'dir=down', 'page=0', 'page=x', 'ipage=-2']) {
    assert.equal((await p.client.get(`/resellers?${bad}`)).status, 400, bad);
  }

  // The reseller side: one reseller with 22 providers.
  const r = await F.relPartner(stack, { domain: 'page-r.example' });
  const pnames = names.slice(0, 22).map((n) => `${n} Distribution`);
  const pids = X.bulkPartners(stack, { prefix: 'page-p', names: pnames, type: 'indirect_provider' });
  X.relateMany(stack, pids.map((provider, i) => ({ provider, reseller: r.accountId, since: since[i] })));
  const psorted = [...pnames].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  page = await r.client.get('/providers');
  assert.deepEqual(rowsOf(page.text).map((x) => x[0]), psorted.slice(0, 20));
  page = await r.client.get('/providers?sort=name&dir=desc&page=2');
  assert.deepEqual(rowsOf(page.text).map((x) => x[0]), [...psorted].reverse().slice(20));
  page = await r.client.get('/providers?sort=since&dir=desc');
  const pBySince = pnames.map((n, i) => [n, since[i]]).sort((a, b) => b[1] - a[1]).map((x) => x[0]);
  assert.deepEqual(rowsOf(page.text).map((x) => x[0]), pBySince.slice(0, 20));
  assert.equal((await r.client.get('/providers?sort=mpn')).status, 400);
});

test("the reseller's agreement status as the provider sees it", async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'mpa-p.example' });
  const signed = await F.relPartner(stack, { domain: 'mpa-signed.example', org: 'Signed Reseller' });
  const unsigned = await F.relPartner(stack, { domain: 'mpa-unsigned.example', org: 'Unsigned Reseller' });
  await relate(p, signed);
  await relate(p, unsigned);
  X.publishAgreement(stack, '2025-01');
  F.relAcceptAgreement(stack, signed);
  const page = await p.client.get('/resellers');
  const rows = rowsOf(page.text, 'resellers-head');
  assert.deepEqual(rows.map((x) => [x[0], x[4].replace(/ \d+ \w+ \d{4}$/, ' <date>')]), [['Signed Reseller', 'Accepted Version 2025-01, <date>'], ['Unsigned Reseller', 'Not accepted Version 2025-01 is waiting for acceptance']]);
  assert.match(page.text, /<span class="tag ok">Accepted<\/span>/);
  assert.match(page.text, /<span class="tag warn">Not accepted<\/span>/);
});
