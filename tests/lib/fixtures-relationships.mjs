// fixtures-relationships.mjs — partners for the provider-reseller tests, made the quick way:
// an organization through "Create one" (so its Global admin is a real, signed-in user), then
// rows written with the sqlite3 shell for what other issues' pages would normally produce
// (an approved partner account of the wanted type, a linked MPN ID, more users, agreement
// versions and acceptances).
//
//   const p = await relPartner(stack, { type: 'indirect_provider', domain: 'fab.example', country: 'DE' });
//   p.client   signed in as p.email (Global admin)     p.accountId  partner_accounts.id
//   const u = await relUser(stack, p, { email: 'agent@fab.example', roles: ['sales_agent'] });
import { spawnSync } from 'node:child_process';
import { Client, errorsOf } from './http.mjs';
import { sql } from './stack.mjs';
import { waitForMail, linkIn, messages } from './mail.mjs';

export const REL_PASSWORD = 'correct horse battery';
export const ROLE_BITS = {
  global_admin: 1, account_admin: 2, user_admin: 4, admin_agent: 8,
  sales_agent: 16, helpdesk_agent: 32, billing_admin: 64,
};

/** Writes with the sqlite3 shell, waiting up to 5 s for the portal's write lock. */
export function relSql(stack, query) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', stack.dbPath, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}\n${query}`);
  return r.stdout;
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
let mpnSeq = 7000000 + (process.pid % 1000) * 1000;

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
  const tenantId = Number(sql(stack, `SELECT id FROM tenants WHERE domain = ${q(domain)}`)[0].id);
  if (kind !== 'partner') relSql(stack, `UPDATE tenants SET kind = ${q(kind)} WHERE id = ${tenantId}`);
  let accountId = null, mpnId = null;
  if (type) {
    relSql(stack, `INSERT INTO partner_accounts(tenant_id, type, status, support_email, support_website, created_at, decided_at)
      VALUES (${tenantId}, ${q(type)}, ${q(status)}, ${q(supportEmail)}, ${q(supportWebsite)}, unixepoch(), unixepoch())`);
    accountId = Number(sql(stack, `SELECT id FROM partner_accounts WHERE tenant_id = ${tenantId} AND type = ${q(type)}`)[0].id);
  }
  if (mpn) {
    mpnId = String(mpnSeq++);
    relSql(stack, `INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES (${q(mpnId)}, ${q(org)}, ${q(country)}, 'active');
      INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) VALUES (${q(mpnId)}, ${tenantId}, unixepoch());`);
  }
  return { client, email, domain, org, tenantId, accountId, mpn: mpnId, country };
}

/** Adds a user with `roles` (role keys) to partner p, with the shared test password, and signs them in. */
export async function relUser(stack, p, { email, name = 'Second User', roles = [] }) {
  const bits = roles.reduce((m, r) => m | ROLE_BITS[r], 0);
  relSql(stack, `INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)
    SELECT ${p.tenantId}, ${q(email)}, ${q(name)}, pw_hash, ${bits}, unixepoch(), unixepoch() FROM users WHERE email = ${q(p.email)}`);
  const client = new Client(stack.base);
  const res = await client.signin(email, REL_PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return { client, email };
}

/** Publishes an agreement version (the operator's job in issue 5). */
export function relPublishAgreement(stack, version) {
  relSql(stack, `INSERT INTO agreement_versions(version, body, published_at) VALUES (${q(version)}, 'Agreement text', unixepoch())`);
}

/** Records partner p's acceptance of the current agreement version. */
export function relAcceptAgreement(stack, p) {
  relSql(stack, `INSERT INTO agreement_acceptances(tenant_id, version_id, signer_first, signer_last, signer_email, signer_phone, signer_title, user_id, accepted_at, ip)
    SELECT ${p.tenantId}, id, 'Ana', 'Admin', ${q(p.email)}, '+49 30 1234567', 'CEO', 1, unixepoch(), '127.0.0.1'
    FROM agreement_versions ORDER BY published_at DESC, id DESC LIMIT 1`);
}

/**
 * The provider's client invites `email`: returns { res, id, link, mail } where link is the
 * emailed /authorize link and id the invitation row.
 */
export async function relInvite(stack, provider, email, message = '') {
  const before = messages(stack.mailDir).length;
  const res = await provider.client.submit('/resellers/invite', { email, message });
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

/** Audit rows of an action, oldest first. */
export function relAudit(stack, action) {
  return sql(stack, `SELECT tenant_id, actor, action, target, outcome, detail FROM audit WHERE action = ${q(action)} ORDER BY id`);
}

/** Counts rows of the two relationship tables and of the outbox (to prove "nothing written"). */
export function relCounts(stack) {
  const [r] = sql(stack, `SELECT (SELECT count(*) FROM provider_relationships) AS rels,
    (SELECT count(*) FROM reseller_invitations WHERE status = 'accepted') AS accepted,
    (SELECT count(*) FROM outbox) AS mail`);
  return { rels: Number(r.rels), accepted: Number(r.accepted), mail: Number(r.mail) };
}

/**
 * Many partner organizations at once, straight into the database (no users): returns their
 * partner account ids in order. names: organization names; domains are made from `prefix`.
 */
export function relBulkPartners(stack, { prefix, names, type = 'indirect_reseller', status = 'approved', country = 'DE', mpn = false }) {
  const ids = [];
  const stmts = names.map((name, i) => {
    const domain = `${prefix}${i}.example`;
    const m = mpn ? String(mpnSeq++) : null;
    return `INSERT INTO tenants(name, domain, country, created_at) VALUES (${q(name)}, ${q(domain)}, ${q(country)}, unixepoch());
      INSERT INTO partner_accounts(tenant_id, type, status, created_at) VALUES (last_insert_rowid(), ${q(type)}, ${q(status)}, unixepoch());
      ${m ? `INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES (${q(m)}, ${q(name)}, ${q(country)}, 'active');
        INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) SELECT ${q(m)}, id, unixepoch() FROM tenants WHERE domain = ${q(domain)};` : ''}`;
  });
  relSql(stack, `BEGIN; ${stmts.join('\n')} COMMIT;`);
  for (let i = 0; i < names.length; i++) {
    ids.push(Number(sql(stack, `SELECT a.id FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE t.domain = ${q(`${prefix}${i}.example`)}`)[0].id));
  }
  return ids;
}

/** Active relationships of provider account `provider` with each reseller account, `since` given per reseller. */
export function relBulkRelate(stack, { provider, resellers, since }) {
  relSql(stack, `BEGIN; ${resellers.map((r, i) => `INSERT INTO provider_relationships(provider_id, reseller_id, since) VALUES (${provider}, ${r}, ${since[i]});`).join('\n')} COMMIT;`);
}
