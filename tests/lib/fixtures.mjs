// fixtures.mjs — rows the pages of this branch cannot create yet, written straight into the
// test stack's database with the sqlite3 command-line shell (the portal keeps running: WAL,
// and a busy timeout for the moment it writes). Values are passed as SQL string literals
// with quotes doubled; only tests call this.
//
//   partnerAccount(stack, { domain: 'contoso.example', type: 'indirect_reseller', status: 'approved' })
//   addUser(stack, { domain, email, name, roles: ['admin_agent'] })   // same password as the first user
import { spawnSync } from 'node:child_process';

const ROLE_BITS = {
  global_admin: 0, account_admin: 1, user_admin: 2, admin_agent: 3,
  sales_agent: 4, helpdesk_agent: 5, billing_admin: 6,
};

const q = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

/** Runs SQL against the stack's database (read-write). Returns rows for a SELECT. */
export function write(stack, statements) {
  const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 5000', stack.dbPath, `PRAGMA foreign_keys=ON; ${statements}`], { encoding: 'utf8' });
  if (r.status !== 0 || r.stderr.trim()) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

/** The tenant id for a primary domain (created through /signup). */
export function tenantId(stack, domain) {
  const rows = write(stack, `SELECT id FROM tenants WHERE domain = ${q(domain)};`);
  if (!rows.length) throw new Error(`no tenant ${domain}`);
  return rows[0].id;
}

/** Inserts (or changes) the tenant's partner account of `type` with `status`; returns its id. */
export function partnerAccount(stack, { domain, type = 'indirect_reseller', status = 'approved' }) {
  const t = tenantId(stack, domain);
  const now = Math.floor(Date.now() / 1000);
  const rows = write(stack,
    `INSERT INTO partner_accounts(tenant_id, type, status, created_at, decided_at)
       VALUES (${t}, ${q(type)}, ${q(status)}, ${now}, ${status === 'approved' || status === 'rejected' ? now : 'NULL'})
       ON CONFLICT(tenant_id, type) DO UPDATE SET status = excluded.status;
     SELECT id FROM partner_accounts WHERE tenant_id = ${t} AND type = ${q(type)};`);
  return rows[0].id;
}

/** Adds a user to the tenant with the given roles and the same password hash as the
 * tenant's first user (so the test knows the password). Returns the user id. */
export function addUser(stack, { domain, email, name, roles = [] }) {
  const t = tenantId(stack, domain);
  let bits = 0;
  for (const r of roles) {
    if (!(r in ROLE_BITS)) throw new Error(`unknown role ${r}`);
    bits |= 1 << ROLE_BITS[r];
  }
  const now = Math.floor(Date.now() / 1000);
  const rows = write(stack,
    `INSERT INTO users(tenant_id, email, name, pw_hash, roles, created_at, pw_changed_at)
       SELECT ${t}, ${q(email)}, ${q(name)}, pw_hash, ${bits}, ${now}, ${now}
       FROM users WHERE tenant_id = ${t} ORDER BY id LIMIT 1;
     SELECT id FROM users WHERE email = ${q(email)};`);
  return rows[0].id;
}
