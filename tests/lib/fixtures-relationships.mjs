// fixtures-relationships.mjs — partners for the provider-reseller tests, made the quick way:
// an organization through "Create one" (so its Global admin is a real, signed-in user), then
// the fixture writers of fixtures.mjs for what other issues' pages would normally produce
// (an approved partner account of the wanted type, a linked MPN ID, more users, agreement
// acceptances).
//
//   const p = await relPartner(stack, { type: 'indirect_provider', domain: 'fab.example', country: 'DE' });
//   p.client   signed in as p.email (Global admin)     p.accountId  partner_accounts.id
//   const u = await relUser(stack, p, { email: 'agent@fab.example', roles: ['sales_agent'] });
import { Client, errorsOf } from './http.mjs';
import * as db from './db.mjs';
import * as F from './fixtures.mjs';
import { waitForMail, linkIn, messages } from './mail.mjs';

export const REL_PASSWORD = 'correct horse battery';
export const { ROLE_BITS } = F;

/**
 * An organization with an approved (or `status`) partner account of `type`, created through
 * /signup; returns { client, email, domain, org, tenantId, accountId, mpn }. type null: no
 * partner account at all. kind 'customer' makes a customer tenant.
 */
export async function relPartner(stack, { type = 'indirect_reseller', status = 'approved', domain, country = 'DE',
  org, email, name = 'Ana Admin', mpn = true, kind = 'partner', supportEmail = '', supportWebsite = '' } = {}) {
  org ??= domain.split('.')[0].replace(/^./, (c) => c.toUpperCase()) + ' Ltd';
  email ??= `admin@${domain}`;
  const client = new Client(stack.base);
  await client.signup({ org, domain, country, name, email, password: REL_PASSWORD });
  const tenantId = F.tenantId(stack, domain);
  if (kind !== 'partner') F.setTenantKind(stack, tenantId, kind);
  let accountId = null, mpnId = null;
  if (type) {
    accountId = F.partnerAccount(stack, { tenant: tenantId, type, status, supportEmail, supportWebsite, decidedAt: F.now() });
  }
  if (mpn) mpnId = F.addMpnId(stack, tenantId, { company: org, country });
  return { client, email, domain, org, tenantId, accountId, mpn: mpnId, country };
}

/** Adds a user with `roles` (role keys) to partner p, with the shared test password, and signs them in. */
export async function relUser(stack, p, { email, name = 'Second User', roles = [] }) {
  F.addUser(stack, { tenant: p.tenantId, email, name, roles, passwordOf: p.email });
  const client = new Client(stack.base);
  const res = await client.signin(email, REL_PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return { client, email };
}

/** Records partner p's acceptance of the current agreement version (signed by Ana Admin, p.email). */
export function relAcceptAgreement(stack, p) {
  F.acceptAgreement(stack, p.tenantId, { email: p.email });
}

/**
 * The provider's client invites `email`: returns { res, id, link, mail } where link is the
 * emailed /authorize link and id the invitation row.
 */
export async function relInvite(stack, provider, email, message = '') {
  const before = messages(stack.mailDir).length;
  // send_anyway: past the warnings of the checks before sending (issue 13; invite-checks.test.mjs tests them)
  const res = await provider.client.submit('/resellers/invite', { email, message, send_anyway: 'yes' });
  if (res.status !== 303) throw new Error(`invite failed: ${res.status} ${errorsOf(res.text).join('; ')}`);
  const id = Number(/\/resellers\/invitations\/(\d+)/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: email.toLowerCase(), after: before });
  return { res, id, link: linkIn(mail, '/authorize'), mail };
}

/** The path and query of an absolute portal link ("/authorize?t=..."). */
export function relPath(link) {
  const u = new URL(link);
  return u.pathname + u.search;
}

/**
 * Opens the invitation link as `client` (landing → redirect to /authorize without the
 * token) and returns the /authorize page.
 */
export async function relOpen(client, link) {
  const land = await client.get(relPath(link));
  if (land.status !== 303 || land.location !== '/authorize') throw new Error(`landing: ${land.status} ${land.location}`);
  return client.get('/authorize');
}

/** Counts rows of the two relationship tables and of the outbox (to prove "nothing written"). */
export function relCounts(stack) {
  const r = db.one(stack, `SELECT (SELECT count(*) FROM provider_relationships) AS rels,
    (SELECT count(*) FROM reseller_invitations WHERE status = 'accepted') AS accepted,
    (SELECT count(*) FROM outbox) AS mail`);
  return { rels: Number(r.rels), accepted: Number(r.accepted), mail: Number(r.mail) };
}
