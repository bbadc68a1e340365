// fixtures.mjs — the tests' fixture writer: named functions for every kind of row a test
// creates or changes directly in the database (what other issues' pages or the operator
// would normally produce, or a clock that has moved on), and the reads that several tests
// share. Everything goes through db.mjs with parameters; no SQL text outside this file and
// db.mjs is built from values. Times are computed here (now()), never by the database, and
// random values are made in JavaScript, so the SQL stays portable (see db.mjs).
//
//   partnerAccount(stack, { domain: 'contoso.example', type: 'indirect_reseller', status: 'approved' })
//   addUser(stack, { domain, email, name, roles: ['admin_agent'] })   // same password as the first user
//   tenantId(stack, 'contoso.example'); userId(stack, 'ana@contoso.example')
//   audit(stack, { action: 'signin', actor: email }, 'action, outcome')   // rows, oldest first
//   count(stack, 'sessions', { user_id: id })
//
// The flows that go through the real pages (sign up, invite, accept) are in
// fixtures-relationships.mjs, fixtures-customers.mjs, enroll.mjs and users.mjs; they use
// these writers for the rows in between.
import { randomBytes } from 'node:crypto';
import * as db from './db.mjs';

/** Seconds since the epoch, as the portal stores times. */
export const now = () => Math.floor(Date.now() / 1000);

/** The role bits of src/roles.def. */
export const ROLE_BITS = {
  global_admin: 1, account_admin: 2, user_admin: 4, admin_agent: 8,
  sales_agent: 16, helpdesk_agent: 32, billing_admin: 64,
};

/** The bit set of role keys. */
export function roleBits(roles) {
  let bits = 0;
  for (const r of roles) {
    if (!(r in ROLE_BITS)) throw new Error(`unknown role ${r}`);
    bits |= ROLE_BITS[r];
  }
  return bits;
}

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** " WHERE a = ? AND b IN (?, ?) AND c IS NULL" and its parameters, from { a: 1, b: [2, 3], c: null }. */
function whereOf(filter = {}) {
  const parts = [], params = [];
  for (const [col, v] of Object.entries(filter)) {
    if (!IDENT.test(col)) throw new Error(`fixtures: bad column ${col}`);
    if (v === null) parts.push(`${col} IS NULL`);
    else if (Array.isArray(v)) {
      if (!v.length) throw new Error(`fixtures: empty list for ${col}`);
      parts.push(`${col} IN (${v.map(() => '?').join(', ')})`);
      params.push(...v);
    } else {
      parts.push(`${col} = ?`);
      params.push(v);
    }
  }
  return { where: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

function columns(cols) {
  if (!/^[\w\s,.*]+$/.test(cols)) throw new Error(`fixtures: bad column list ${cols}`);
  return cols;
}

// ---------------------------------------------------------------- shared reads

/** The tenant id of a primary domain; throws when there is none. */
export function tenantId(stack, domain) {
  const id = db.value(stack, 'SELECT id FROM tenants WHERE domain = ?', domain);
  if (id === undefined) throw new Error(`no tenant ${domain}`);
  return Number(id);
}

/** The user id of an email; throws when there is none. */
export function userId(stack, email) {
  const id = db.value(stack, 'SELECT id FROM users WHERE email = ?', email);
  if (id === undefined) throw new Error(`no user ${email}`);
  return Number(id);
}

/** The tenants row (every column) of a primary domain, or undefined. */
export function tenant(stack, domain) {
  return db.one(stack, 'SELECT * FROM tenants WHERE domain = ?', domain);
}

/** The users row (every column) of an email, or undefined. */
export function user(stack, email) {
  return db.one(stack, 'SELECT * FROM users WHERE email = ?', email);
}

/** The legal business profile (every column) of the tenant with primary domain `domain`, or undefined. */
export function legalProfileOf(stack, domain) {
  return db.one(stack, 'SELECT l.* FROM legal_profiles l JOIN tenants t ON t.id = l.tenant_id WHERE t.domain = ?', domain);
}

/** The id of the tenant's partner account of `type`, or null. */
export function partnerAccountId(stack, tenant, type) {
  const id = db.value(stack, 'SELECT id FROM partner_accounts WHERE tenant_id = ? AND type = ?', tenant, type);
  return id === undefined ? null : Number(id);
}

/** The partner account rows (every column) of the tenant with primary domain `domain`. */
export function partnerAccountsOf(stack, domain) {
  return db.rows(stack, 'SELECT p.* FROM partner_accounts p JOIN tenants t ON t.id = p.tenant_id WHERE t.domain = ?', domain);
}

/** Rows of a table matching filter ({ column: value | [values] | null }), as a number. */
export function count(stack, table, filter = {}) {
  if (!/^\w+$/.test(table)) throw new Error(`fixtures: bad table ${table}`);
  const { where, params } = whereOf(filter);
  return Number(db.value(stack, `SELECT count(*) AS n FROM ${table}${where}`, ...params));
}

/** The row count of every table of the application: { table: n, ... } ("nothing written" compares two). */
export function tableCounts(stack) {
  const tables = db.tables(stack);
  for (const t of tables) if (!/^\w+$/.test(t)) throw new Error(`fixtures: odd table name ${t}`);
  return db.one(stack, `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}") AS "${t}"`).join(', ')}`);
}

/** Audit rows matching filter (see count), oldest first; `cols` picks the columns. */
export function audit(stack, filter = {}, cols = '*') {
  const { where, params } = whereOf(filter);
  return db.rows(stack, `SELECT ${columns(cols)} FROM audit${where} ORDER BY id`, ...params);
}

/** How many audit rows match filter. */
export function auditCount(stack, filter = {}) {
  return count(stack, 'audit', filter);
}

/** How many sessions the user with this email has. */
export function sessionCount(stack, email) {
  return Number(db.value(stack, 'SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ?', email));
}

/** The user's sessions, oldest first: { id, hash (hex of token_hash, upper case), created_at, seen_at }. */
export function sessionsOf(stack, email) {
  return db.rows(stack, `SELECT s.id, ${db.hex('s.token_hash')} AS hash, s.created_at, s.seen_at FROM sessions s
    JOIN users u ON u.id = s.user_id WHERE u.email = ? ORDER BY s.id`, email);
}

// ---------------------------------------------------------------- organizations and users

/** A tenant without users (an organization made by the operator); returns its id. */
export function newTenant(stack, { name, domain, country = 'DE', kind = 'partner', createdAt = now() }) {
  return Number(db.exec(stack, 'INSERT INTO tenants(name, domain, country, kind, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    name, domain, country, kind, createdAt)[0].id);
}

/** Makes the tenant a partner or a customer organization. */
export function setTenantKind(stack, tenant, kind) {
  db.exec(stack, 'UPDATE tenants SET kind = ? WHERE id = ?', kind, tenant);
}

/**
 * Inserts the tenant's partner account of `type` with `status` (or changes the status of the
 * one it has); returns its id. tenant (id) or domain. decidedAt: default now for approved and
 * rejected, else NULL (pass a time or null to choose).
 */
// Find a provider's copy of the organization in its partner accounts (issue 17, schema section
// 11), as the portal's insert writes it: the organization is the last parameter.
const DIRECTORY_KEYS = `lower(t.name), t.country, c.region FROM tenants t JOIN countries c ON c.code = t.country WHERE t.id = ?`;

export function partnerAccount(stack, { domain, tenant, type = 'indirect_reseller', status = 'approved',
  supportEmail = '', supportWebsite = '', decidedAt } = {}) {
  const t = tenant ?? tenantId(stack, domain);
  const at = now();
  if (decidedAt === undefined) decidedAt = status === 'approved' || status === 'rejected' ? at : null;
  return Number(db.exec(stack,
    `INSERT INTO partner_accounts(tenant_id, type, status, support_email, support_website, created_at, decided_at,
       name_key, country, region)
       SELECT ?, ?, ?, ?, ?, ?, ?, ${DIRECTORY_KEYS}
       ON CONFLICT(tenant_id, type) DO UPDATE SET status = excluded.status
       RETURNING id`, t, type, status, supportEmail, supportWebsite, at, decidedAt, t)[0].id);
}

/** Changes a partner account's status (approved, rejected, in_review, ...). */
export function setPartnerStatus(stack, account, status) {
  db.exec(stack, 'UPDATE partner_accounts SET status = ? WHERE id = ?', status, account);
}

/** Changes the status of every partner account of a tenant. */
export function setTenantPartnerStatus(stack, tenant, status) {
  db.exec(stack, 'UPDATE partner_accounts SET status = ? WHERE tenant_id = ?', status, tenant);
}

/**
 * The support details of a partner account (or, with tenant, of all of its accounts); only
 * the fields given change. submittedAt: also mark the enrollment submitted then.
 */
export function setPartnerSupport(stack, { account, tenant, email, phone, website, submittedAt }) {
  const sets = [], params = [];
  if (email !== undefined) { sets.push('support_email = ?'); params.push(email); }
  if (phone !== undefined) { sets.push('support_phone = ?'); params.push(phone); }
  if (website !== undefined) { sets.push('support_website = ?'); params.push(website); }
  if (submittedAt !== undefined) { sets.push('submitted_at = ?'); params.push(submittedAt); }
  if (!sets.length) throw new Error('setPartnerSupport: nothing to change');
  if ((account === undefined) === (tenant === undefined)) throw new Error('setPartnerSupport: account or tenant');
  db.exec(stack, `UPDATE partner_accounts SET ${sets.join(', ')} WHERE ${account !== undefined ? 'id' : 'tenant_id'} = ?`,
    ...params, account ?? tenant);
}

/** The organization's legal business profile (fields as in the table, snake_case). */
export function legalProfile(stack, tenant, fields) {
  const cols = Object.keys(fields);
  for (const c of cols) if (!IDENT.test(c)) throw new Error(`legalProfile: bad field ${c}`);
  db.exec(stack, `INSERT INTO legal_profiles(tenant_id, ${cols.join(', ')}, updated_at) VALUES (?, ${cols.map(() => '?').join(', ')}, ?)`,
    tenant, ...Object.values(fields), now());
}

/**
 * Adds a user to the tenant (tenant id or domain) with the given roles and the password hash
 * of another user (passwordOf, an email; default the tenant's first user), so the test knows
 * the password. Returns the user id.
 */
export function addUser(stack, { domain, tenant, email, name, roles = [], passwordOf }) {
  const t = tenant ?? tenantId(stack, domain);
  const bits = roleBits(roles);
  const at = now();
  const from = passwordOf === undefined
    ? ['FROM users WHERE tenant_id = ? ORDER BY id LIMIT 1', t]
    : ['FROM users WHERE email = ?', passwordOf];
  const rows = db.exec(stack, `INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)
    SELECT ?, ?, ?, pw_hash, ?, ?, ? ${from[0]} RETURNING id`, t, email, name, bits, at, at, from[1]);
  if (!rows.length) throw new Error(`addUser ${email}: no user to take the password from`);
  return Number(rows[0].id);
}

/** Sets a user's roles (role keys, or a bit set). */
export function setUserRoles(stack, email, roles) {
  db.exec(stack, 'UPDATE users SET roles = ? WHERE email = ?', Array.isArray(roles) ? roleBits(roles) : roles, email);
}

// ---------------------------------------------------------------- MPN IDs and the PMC directory

let mpnSeq = 7000000 + (process.pid % 1000) * 1000;

/** A fresh MPN ID no other fixture of this process has used. */
export const nextMpnId = () => String(mpnSeq++);

/** Links an existing MPN profile to a tenant. */
export function linkMpnId(stack, tenant, mpnId, { linkedAt = now() } = {}) {
  db.exec(stack, 'INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) VALUES (?, ?, ?)', mpnId, tenant, linkedAt);
}

/** A new active MPN profile for the tenant, linked to it; returns the MPN ID. */
export function addMpnId(stack, tenant, { company, country = 'DE', mpnId = nextMpnId() }) {
  db.batch(stack, [
    ['INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES (?, ?, ?, ?)', mpnId, company, country, 'active'],
    ['INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) VALUES (?, ?, ?)', mpnId, tenant, now()],
  ]);
  return mpnId;
}

/**
 * The tenant's enrollment draft (one per tenant; replaced if there is one): the urlencoded
 * form fields and the PMC sign-in (pmcId, pmcUserId, pmcAt; null when nobody signed in).
 */
export function enrollmentDraft(stack, tenant, { fields = '', pmcId = null, pmcUserId = null, pmcAt = null } = {}) {
  db.exec(stack, `INSERT INTO enrollment_drafts(tenant_id, fields, pmc_id, pmc_user_id, pmc_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(tenant_id) DO UPDATE SET fields = excluded.fields, pmc_id = excluded.pmc_id,
      pmc_user_id = excluded.pmc_user_id, pmc_at = excluded.pmc_at, updated_at = excluded.updated_at`,
  tenant, fields, pmcId, pmcUserId, pmcAt, now());
}

// ---------------------------------------------------------------- the partner agreement

/** Publishes an agreement version (the operator's job); ifNone: only when no version exists yet. */
export function publishAgreement(stack, version, { body = 'The body of the test agreement.', ifNone = false } = {}) {
  if (ifNone) {
    db.exec(stack, 'INSERT INTO agreement_versions(version, body, published_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM agreement_versions)',
      version, body, now());
  } else {
    db.exec(stack, 'INSERT INTO agreement_versions(version, body, published_at) VALUES (?, ?, ?)', version, body, now());
  }
}

/** The id of the agreement version published last (by time, then id). */
export function latestAgreementId(stack) {
  return Number(db.value(stack, 'SELECT id FROM agreement_versions ORDER BY published_at DESC, id DESC LIMIT 1'));
}

/** The highest agreement version id. */
export function maxAgreementId(stack) {
  return Number(db.value(stack, 'SELECT max(id) FROM agreement_versions'));
}

/**
 * Records the tenant's acceptance of an agreement version (default: the one published last).
 * The signer's details default to those of the relationship tests; ifAbsent: keep an existing
 * acceptance of that version instead of failing.
 */
export function acceptAgreement(stack, tenant, { versionId = latestAgreementId(stack), first = 'Ana', last = 'Admin', email,
  phone = '+49 30 1234567', title = 'CEO', userId: user = 1, ip = '127.0.0.1', ifAbsent = false }) {
  db.exec(stack, `INSERT INTO agreement_acceptances(tenant_id, version_id, signer_first, signer_last, signer_email, signer_phone,
      signer_title, user_id, accepted_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${ifAbsent ? ' ON CONFLICT DO NOTHING' : ''}`,
  tenant, versionId, first, last, email, phone, title, user, now(), ip);
}

// ---------------------------------------------------------------- relationships, customers, offers

// The name key the portal stores with a relationship (issue 17, schema section 11).
const NAME_OF_ACCOUNT = '(SELECT lower(t.name) FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id WHERE a.id = ?)';

/** An active provider-reseller relationship made by the operator; returns its id. */
export function relate(stack, provider, reseller, { since = now() } = {}) {
  return Number(db.exec(stack, `INSERT INTO provider_relationships(provider_id, reseller_id, since, provider_name, reseller_name)
    VALUES (?, ?, ?, ${NAME_OF_ACCOUNT}, ${NAME_OF_ACCOUNT}) RETURNING id`, provider, reseller, since, provider, reseller)[0].id);
}

/** Several relationships in one transaction: pairs is [{ provider, reseller, since }, ...]. */
export function relateMany(stack, pairs) {
  db.batch(stack, pairs.map(({ provider, reseller, since = now() }) =>
    [`INSERT INTO provider_relationships(provider_id, reseller_id, since, provider_name, reseller_name)
      VALUES (?, ?, ?, ${NAME_OF_ACCOUNT}, ${NAME_OF_ACCOUNT})`, provider, reseller, since, provider, reseller]));
}

/** Makes the pair's relationship active again (after the operator ended it). */
export function reactivateRelationship(stack, provider, reseller) {
  db.exec(stack, "UPDATE provider_relationships SET status = 'active', ended_at = NULL, end_reason = '' WHERE provider_id = ? AND reseller_id = ?",
    provider, reseller);
}

/**
 * Many partner organizations at once (no users), in one transaction: one tenant per name with
 * domain `${prefix}${i}.example`, a partner account of `type`/`status`, with mpn a linked
 * MPN ID. Returns the partner account ids in the order of names.
 */
export function bulkPartners(stack, { prefix, names, type = 'indirect_reseller', status = 'approved', country = 'DE', mpn = false }) {
  const at = now();
  const domains = names.map((_, i) => `${prefix}${i}.example`);
  const stmts = [];
  names.forEach((name, i) => {
    const domain = domains[i];
    const byDomain = '(SELECT id FROM tenants WHERE domain = ?)';
    stmts.push(['INSERT INTO tenants(name, domain, country, created_at) VALUES (?, ?, ?, ?)', name, domain, country, at]);
    stmts.push([`INSERT INTO partner_accounts(tenant_id, type, status, created_at, name_key, country, region)
      SELECT t.id, ?, ?, ?, lower(t.name), t.country, c.region FROM tenants t JOIN countries c ON c.code = t.country
      WHERE t.domain = ?`, type, status, at, domain]);
    if (mpn) {
      const m = nextMpnId();
      stmts.push(['INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES (?, ?, ?, ?)', m, name, country, 'active']);
      stmts.push([`INSERT INTO tenant_mpn_ids(mpn_id, tenant_id, linked_at) VALUES (?, ${byDomain}, ?)`, m, domain, at]);
    }
  });
  db.batch(stack, stmts);
  const ids = new Map();
  for (let i = 0; i < domains.length; i += 200) {
    const part = domains.slice(i, i + 200);
    for (const r of db.rows(stack, `SELECT t.domain, a.id FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id
        WHERE a.type = ? AND t.domain IN (${part.map(() => '?').join(', ')})`, type, ...part)) {
      ids.set(r.domain.toLowerCase(), Number(r.id));
    }
  }
  return domains.map((d) => ids.get(d.toLowerCase()));
}

/** Customer relationships of each partner account with the customer tenant (made by the operator),
 * with the partner organization and the customer's name key the portal's own write stores (issue 17). */
export function customerRelationships(stack, customer, partners, { since = now(), delegatedAdmin = 1 } = {}) {
  db.batch(stack, partners.map((p) =>
    [`INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin, partner_tenant_id, customer_name)
      VALUES (?, ?, ?, ?, (SELECT tenant_id FROM partner_accounts WHERE id = ?), (SELECT lower(name) FROM tenants WHERE id = ?))`,
    p, customer, since, delegatedAdmin, p, customer]));
}

/** An offer of the catalog, unless one with that id exists. */
export function offer(stack, { id, name, description = '', unit = 'user/month', priceCents, currency = 'USD', active = 1 }) {
  db.exec(stack, `INSERT INTO offers(offer_id, name, description, unit, price_cents, currency, active, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, name, description, unit, priceCents, currency, active, now());
}

/** Offer id's price in currency (issue 15: prices per currency; a customer sees its country's). */
export function offerPrice(stack, id, currency, priceCents) {
  db.exec(stack, `INSERT INTO offer_prices(offer_id, currency, price_cents) VALUES (?, ?, ?)
    ON CONFLICT(offer_id, currency) DO UPDATE SET price_cents = excluded.price_cents`, id, currency, priceCents);
}

/** The offers most order tests use (the importer is tested on its own): T-STD, T-SEC, and the retired T-OLD. */
export function testOffers(stack) {
  offer(stack, { id: 'T-STD', name: 'Test Standard', description: 'Office apps and email', unit: 'user/month', priceCents: 1250 });
  offer(stack, { id: 'T-SEC', name: 'Test Security', description: 'Endpoint protection', unit: 'device/month', priceCents: 300 });
  offer(stack, { id: 'T-OLD', name: 'Test Retired', description: 'No longer sold', unit: 'user/month', priceCents: 500, active: 0 });
}

// ---------------------------------------------------------------- the clock moves on

/** Sets when a reseller invitation expires (a time in the past: it has expired). */
export function setResellerInvitationExpiry(stack, id, at) {
  db.exec(stack, 'UPDATE reseller_invitations SET expires_at = ? WHERE id = ?', at, id);
}

/** Sets when a customer invitation expires. */
export function setCustomerInvitationExpiry(stack, id, at) {
  db.exec(stack, 'UPDATE customer_invitations SET expires_at = ? WHERE id = ?', at, id);
}

/** Ages a session: sets its created_at and/or seen_at. */
export function setSessionTimes(stack, id, { createdAt, seenAt }) {
  const sets = [], params = [];
  if (createdAt !== undefined) { sets.push('created_at = ?'); params.push(createdAt); }
  if (seenAt !== undefined) { sets.push('seen_at = ?'); params.push(seenAt); }
  if (!sets.length) throw new Error('setSessionTimes: nothing to change');
  db.exec(stack, `UPDATE sessions SET ${sets.join(', ')} WHERE id = ?`, ...params, id);
}

/** Sets what a session recorded of its browser (sessions.user_agent; the sign-in writes it). */
export function setSessionUserAgent(stack, id, userAgent) {
  db.exec(stack, 'UPDATE sessions SET user_agent = ? WHERE id = ?', userAgent, id);
}

/**
 * A user's multi-factor state as the MFA setup and sign-in code record it: enabledAt (MFA set
 * up then; null: not set up), lastSigninAt (null: never), lastSigninMfa (0/1). Only the fields given change.
 */
export function setUserMfa(stack, email, { enabledAt, lastSigninAt, lastSigninMfa }) {
  const sets = [], params = [];
  if (enabledAt !== undefined) { sets.push('mfa_enabled_at = ?'); params.push(enabledAt); }
  if (lastSigninAt !== undefined) { sets.push('last_signin_at = ?'); params.push(lastSigninAt); }
  if (lastSigninMfa !== undefined) { sets.push('last_signin_mfa = ?'); params.push(lastSigninMfa); }
  if (!sets.length) throw new Error('setUserMfa: nothing to change');
  db.exec(stack, `UPDATE users SET ${sets.join(', ')} WHERE email = ?`, ...params, email);
}

/** Moves the audit rows matching filter `seconds` into the past (throttling windows). */
export function backdateAudit(stack, filter, seconds) {
  const { where, params } = whereOf(filter);
  if (!where) throw new Error('backdateAudit: a filter is required');
  db.exec(stack, `UPDATE audit SET at = at - ?${where}`, seconds, ...params);
}

/** n audit rows of bulk (action 'filler', at 0, `bytes` random bytes as hex in detail), in one transaction. */
export function auditFiller(stack, n, { bytes = 200 } = {}) {
  const stmts = [];
  for (let i = 0; i < n; i += 500) {
    const k = Math.min(500, n - i);
    const details = Array.from({ length: k }, () => randomBytes(bytes).toString('hex').toUpperCase());
    stmts.push([`INSERT INTO audit(at, action, outcome, detail) VALUES ${details.map(() => "(0, 'filler', 'ok', ?)").join(', ')}`, ...details]);
  }
  db.batch(stack, stmts);
}

/**
 * Audit entries of an organization as the dispatcher writes them, in one transaction, oldest
 * first: each of `entries` is { actor, action, target } and optionally { at, outcome, detail }
 * (default at 1700000000 + i, outcome 'ok', no detail). For the pagers of long logs (issue 17)
 * and the date range and refusals of issue 15.
 */
export function auditEntries(stack, tenant, entries) {
  const stmts = [];
  for (let i = 0; i < entries.length; i += 300) {
    const part = entries.slice(i, i + 300);
    stmts.push([`INSERT INTO audit(at, tenant_id, actor, action, target, outcome, detail) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      ...part.flatMap((e, k) => [e.at ?? 1700000000 + i + k, tenant, e.actor, e.action, e.target, e.outcome ?? 'ok', e.detail ?? ''])]);
  }
  db.batch(stack, stmts);
}

// ---- the JSON API (issue 14) ----

/** An API credential of tenant written directly (what Settings -> API makes), with a known
 * secret: { id, secret }. roles: role keys; expiresAt / revokedAt / allowedIps as stored. */
export async function apiCredential(stack, { tenant, name = `cred-${randomBytes(4).toString('hex')}`, roles = ['global_admin'],
  expiresAt = now() + 86400, revokedAt = null, allowedIps = '' }) {
  const { blake2b } = await import('./linktoken.mjs');
  const secret = `cspk_${randomBytes(32).toString('base64url')}`;
  db.exec(stack, `INSERT INTO api_credentials(tenant_id, name, roles, secret_hash, allowed_ips, created_at, expires_at, revoked_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenant, name, roleBits(roles), blake2b(Buffer.from(secret)), allowedIps, now(), expiresAt, revokedAt);
  const id = Number(db.value(stack, 'SELECT id FROM api_credentials WHERE name = ? AND tenant_id = ?', name, tenant));
  return { id, secret, name };
}
