// authz.test.mjs — the authorization matrix: EVERY route of src/routes.def, asked by someone
// signed out, by a user holding each of the seven roles alone, and (for routes with an id)
// by a Global admin of another organization. Every answer is compared with the table below.
//
// The test parses src/routes.def and src/roles.def itself, so it FAILS when:
//   - routes.def has a route that EXPECT does not name (add its row), or EXPECT names a route
//     that routes.def no longer has (remove the row);
//   - roles.def's roles differ from the table's role columns (add or reorder a column).
//
// HOW TO ADD A ROUTE
//   1. Add a row to EXPECT, keyed by the route id (the first argument of ROUTE in routes.def):
//        ID: [OUT, GA, ACC, UA, AA, SA, HA, BA, OTHER],
//      OUT    signed out;
//      GA..BA a user with only that role (Global admin, Account admin, User admin, Admin agent,
//             Sales agent, Helpdesk agent, Billing admin), of organization A;
//      OTHER  a Global admin of organization B (required for paths with "#", else null).
//      A value is a status (200, 400, 403, 404, 422, ...) or a redirect: '303 /path' (the
//      Location exactly) or '303 /path*' (a Location starting with /path).
//   2. POSTs are sent with a valid CSRF token of the asker, so the answer is about who asks.
//      If the route needs form fields, an object other than the default one, or its own
//      session, add an entry to REQUESTS (see the examples there). "#" in a path becomes the
//      id of VICTIM, a Helpdesk agent of organization A, unless REQUESTS says otherwise.
//   3. Routes only for some partner types (F_PROVIDER, F_RESELLER) need their organizations
//      set up in before(); organization A starts with no partner account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, sql, ROOT } from '../lib/stack.mjs';
import { Client, csrfOf } from '../lib/http.mjs';
import { addUser, activate, PASSWORD } from '../lib/users.mjs';
import { write, partnerAccount } from '../lib/fixtures.mjs';
import { relBulkPartners, relBulkRelate } from '../lib/fixtures-relationships.mjs';

const ROLE_COLUMNS = ['GLOBAL_ADMIN', 'ACCOUNT_ADMIN', 'USER_ADMIN', 'ADMIN_AGENT', 'SALES_AGENT', 'HELPDESK_AGENT', 'BILLING_ADMIN'];
const SIGNIN = (path) => `303 /signin?next=${path}`;
const DENIED_POST = 403;		// signed out, POST: "Your session has ended" (nothing to redirect to)

/* eslint-disable no-multi-spaces */
const EXPECT = {
  //                  OUT                                       GA    ACC   UA    AA    SA    HA    BA    OTHER
  HOME:              [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  HEALTHZ:           [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  SIGNIN:            [200,                                      '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', '303 /', null],
  SIGNIN_POST:       [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  SIGNUP:            [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  SIGNUP_POST:       [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  SIGNOUT_POST:      [DENIED_POST, ...Array(7).fill('303 /signin?m=signed-out'),                              null],
  FORGOT:            [200,                                      200,  200,  200,  200,  200,  200,  200,  null],
  FORGOT_POST:       [422,                                      422,  422,  422,  422,  422,  422,  422,  null],
  RESET:             [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  RESET_POST:        [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  SET_PASSWORD:      [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  SET_PASSWORD_POST: [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  USERS:             [SIGNIN('/settings/users'),                200,  200,  200,  200,  403,  403,  403,  null],
  USER_NEW:          [SIGNIN('/settings/users/new'),            200,  403,  200,  200,  403,  403,  403,  null],
  USER_NEW_POST:     [DENIED_POST, '303 /settings/users/*',     403, '303 /settings/users/*', '303 /settings/users/*', 403, 403, 403, null],
  USER:              [SIGNIN('/settings/users/*'),              200,  200,  200,  200,  403,  403,  403,  404],
  USER_POST:         [DENIED_POST, '303 /settings/users/*',     403, '303 /settings/users/*', '303 /settings/users/*', 403, 403, 403, 404],
  USER_RESET:        [SIGNIN('/settings/users/*'),              200,  403,  200,  200,  403,  403,  403,  404],
  USER_RESET_POST:   [DENIED_POST, '303 /settings/users/*',     403, '303 /settings/users/*', '303 /settings/users/*', 403, 403, 403, 404],
  USER_DELETE:       [SIGNIN('/settings/users/*'),              200,  403,  200,  200,  403,  403,  403,  404],
  USER_DELETE_POST:  [DENIED_POST, '303 /settings/users?m=user-deleted', 403, '303 /settings/users?m=user-deleted', '303 /settings/users?m=user-deleted', 403, 403, 403, 404],
  ROLES:             [SIGNIN('/settings/roles'),                200,  200,  200,  200,  200,  200,  200,  null],
  AUDIT:             [SIGNIN('/settings/audit'),                200,  403,  403,  403,  403,  403,  403,  null],
  AUDIT_CSV:         [SIGNIN('/settings/audit.csv'),            200,  403,  403,  403,  403,  403,  403,  null],

  // issue 7: customers and orders (SPEC §2.6). The rows assume the matrix's world: A and B are
  // approved indirect providers AND resellers (issue7() below makes sure of it). CUSTOMERS_VIEW:
  // every role but User admin; ORDERS_PLACE: Global admin, Admin agent, Sales agent (F_PROVIDER);
  // CUSTOMERS_INVITE: Global admin, Account admin, Admin agent, Sales agent (F_RESELLER_APPROVED);
  // accepting a customer invitation: CUSTOMER_ACCEPT (Global admin) — without a link, 400. The
  // landing page and Create one are public: without a link, 400 for everyone.
  CUSTOMERS:         [SIGNIN('/customers'),                     200,  200,  403,  200,  200,  200,  200,  null],
  CUSTOMER:          [SIGNIN('/customers/*'),                   200,  200,  403,  200,  200,  200,  200,  404],
  ORDER:             [SIGNIN('/customers/*'),                   200,  403,  403,  200,  200,  403,  403,  404],
  ORDER_POST:        [DENIED_POST, '303 /customers/*',          403,  403, '303 /customers/*', '303 /customers/*', 403, 403, 404],
  PROVIDER_CUSTOMERS: [SIGNIN('/providers/*'),                  200,  200,  403,  200,  200,  200,  200,  404],
  CUSTOMER_INVITE_FORM: [SIGNIN('/providers/*'),                200,  200,  403,  200,  200,  403,  403,  404],
  CUSTOMER_INVITE_FORM_POST: [DENIED_POST, '303 /providers/customer-invitations/*', '303 /providers/customer-invitations/*', 403,
    '303 /providers/customer-invitations/*', '303 /providers/customer-invitations/*', 403, 403, 404],
  CUSTOMER_INVITATION: [SIGNIN('/providers/customer-invitations/*'), 200, 200, 403, 200, 200, 403, 403, 404],
  CUSTOMER_INVITATION_REVOKE_POST: [DENIED_POST, '303 /providers/*', '303 /providers/*', 403, '303 /providers/*', '303 /providers/*', 403, 403, 404],
  CUSTOMER_INVITE:   [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  CUSTOMER_INVITE_POST: [DENIED_POST,                           400,  403,  403,  403,  403,  403,  403,  null],
  CUSTOMER_ORG_NEW:  [400,                                      400,  400,  400,  400,  400,  400,  400,  null],
  CUSTOMER_ORG_NEW_POST: [400,                                  400,  400,  400,  400,  400,  400,  400,  null],
};

// What a request to a route needs beyond "the path, with # = VICTIM, and a CSRF token":
//   body(t)   the form fields (t: the test's world: t.unique(), t.victim, ...)
//   id(t)     an async function giving the id to put in the path
//   fresh     ask from a new session of the same user (for routes that end the session)
const REQUESTS = {
  SIGNIN_POST: { body: () => ({}) },
  USER_NEW_POST: { body: (t) => ({ name: 'New Person', email: `${t.unique()}@authz-a.example`, 'roles[]': ['sales_agent'] }) },
  USER_POST: { body: () => ({ 'roles[]': ['helpdesk_agent'] }) },
  USER_DELETE_POST: { id: (t) => t.freshVictim() },
  SIGNOUT_POST: { fresh: true },

  // issue 7: customers and orders. Every route's id function first makes the objects it needs
  // (issue7(), once): "#" is A's shared customer, A's relationship as a reseller, or A's
  // customer invitation. Each Place order is a real order (a new order key each time).
  CUSTOMERS: { id: (t) => issue7(t).then(() => 0) },
  CUSTOMER: { id: (t) => issue7(t).then((w) => w.customer) },
  ORDER: { id: (t) => issue7(t).then((w) => w.customer) },
  ORDER_POST: {
    id: (t) => issue7(t).then((w) => w.customer),
    body: (t) => ({ reseller: t.i7?.reseller ?? 0, mpn_id: t.i7?.mpn ?? '', offer: 'AUTHZ-7', quantity: '1', order_key: `authz7-${t.unique()}-0123456789abcdef` }),
  },
  PROVIDER_CUSTOMERS: { id: (t) => issue7(t).then((w) => w.rel) },
  CUSTOMER_INVITE_FORM: { id: (t) => issue7(t).then((w) => w.rel) },
  CUSTOMER_INVITE_FORM_POST: { id: (t) => issue7(t).then((w) => w.rel), body: (t) => ({ email: `${t.unique()}@customer.example`, message: '', delegated_admin: 'yes' }) },
  CUSTOMER_INVITATION: { id: (t) => issue7(t).then((w) => w.invitation) },
  // Revoking ends an invitation: a new pending one for each asker.
  CUSTOMER_INVITATION_REVOKE_POST: { id: (t) => issue7(t).then((w) => w.freshInvitation()) },
  CUSTOMER_INVITE_POST: { body: () => ({ confirm: 'yes' }) },
  CUSTOMER_ORG_NEW_POST: { body: (t) => ({ org: 'New Customer', domain: `${t.unique()}.customer.example`, country: 'DE', name: 'New Person',
    email: `${t.unique()}@customer.example`, password: PASSWORD, password2: PASSWORD }) },
};

// issue 7, for OBJECT_KINDS (the merged matrix): the kinds of "#" objects of the customer routes
// and how another organization's id is written in its audit log. '/providers/#/customers' and
// '/providers/#/invite-customer' are relationships, audited like '/providers/remove-access/#':
// the relationship kind's prefix becomes '/providers/' (listed after the customer invitations).
const OBJECT_KINDS_ISSUE7 = [
  { kind: 'customer', prefix: '/customers/', target: 'customer %', detail: "not this organization's customer" },
  { kind: 'customer invitation', prefix: '/providers/customer-invitations/', target: 'customer invitation %', detail: "another organization's invitation" },
  { kind: 'relationship', prefix: '/providers/', target: 'relationship %', detail: "another organization's relationship" },
];

const q7 = (s) => `'${String(s).replace(/'/g, "''")}'`;

/**
 * issue 7: what the customer routes need, made once (each step skipped when the world has it):
 * A and B approved providers and resellers; A related (as a reseller) to a provider; a reseller
 * of A (as a provider) with an MPN ID; the agreement accepted by A and that reseller; a
 * customer organization shared by A's two accounts and that reseller; an offer; and A's pending
 * customer invitation.
 */
async function issue7(t) {
  if (t.i7) return t.i7;
  for (const domain of ['authz-a.example', 'authz-b.example']) {
    partnerAccount(stack, { domain, type: 'indirect_provider', status: 'approved' });
    partnerAccount(stack, { domain, type: 'indirect_reseller', status: 'approved' });
  }
  const account = (tenant, type) => Number(sql(stack, `SELECT id FROM partner_accounts WHERE tenant_id = ${tenant} AND type = ${q7(type)}`)[0].id);
  const aProvider = account(t.tenantA, 'indirect_provider'), aReseller = account(t.tenantA, 'indirect_reseller');
  let rel = t.providerRel;
  if (!rel) {
    const [provider] = relBulkPartners(stack, { prefix: 'authz7-prov-', names: ['Provider of A (7)'], type: 'indirect_provider' });
    relBulkRelate(stack, { provider, resellers: [aReseller], since: [Math.floor(Date.now() / 1000)] });
    rel = Number(sql(stack, `SELECT id FROM provider_relationships WHERE provider_id = ${provider} AND reseller_id = ${aReseller}`)[0].id);
  }
  const [reseller] = relBulkPartners(stack, { prefix: 'authz7-res-', names: ['Reseller of A (7)'], type: 'indirect_reseller', mpn: true });
  relBulkRelate(stack, { provider: aProvider, resellers: [reseller], since: [Math.floor(Date.now() / 1000)] });
  const resellerTenant = Number(sql(stack, `SELECT tenant_id FROM partner_accounts WHERE id = ${reseller}`)[0].tenant_id);
  const mpn = sql(stack, `SELECT mpn_id FROM tenant_mpn_ids WHERE tenant_id = ${resellerTenant}`)[0].mpn_id;
  write(stack, `
    INSERT INTO agreement_versions(version, body, published_at) SELECT 'authz-7', 'The agreement.', unixepoch()
      WHERE NOT EXISTS (SELECT 1 FROM agreement_versions);
    INSERT INTO agreement_acceptances(tenant_id, version_id, signer_first, signer_last, signer_email, signer_phone, signer_title, user_id, accepted_at, ip)
      SELECT t.id, (SELECT max(id) FROM agreement_versions), 'Gale', 'Admin', 'ga@authz-a.example', '+49 30 555 0111', 'CEO', 1, unixepoch(), ''
      FROM tenants t WHERE t.id IN (${t.tenantA}, ${resellerTenant}) ON CONFLICT DO NOTHING;
    INSERT INTO tenants(name, domain, country, kind, created_at) VALUES ('Customer of A (7)', 'authz7-customer.example', 'DE', 'customer', unixepoch());
    INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, delegated_admin)
      SELECT p.id, (SELECT id FROM tenants WHERE domain = 'authz7-customer.example'), unixepoch(), 1
      FROM partner_accounts p WHERE p.id IN (${aProvider}, ${aReseller}, ${reseller});
    INSERT OR IGNORE INTO offers(offer_id, name, unit, price_cents, currency, updated_at) VALUES ('AUTHZ-7', 'Authz Offer', 'user/month', 100, 'USD', unixepoch());`);
  const customer = Number(sql(stack, "SELECT id FROM tenants WHERE domain = 'authz7-customer.example'")[0].id);
  const invite = async () => {
    const res = await t.admin.submit(`/providers/${rel}/invite-customer`, { email: `${t.unique()}@customer.example`, message: '' });
    assert.equal(res.status, 303, `customer invitation: ${res.status}`);
    return Number(/^\/providers\/customer-invitations\/(\d+)\?/.exec(res.location)[1]);
  };
  t.i7 = { rel, customer, reseller, mpn, invitation: await invite(), freshInvitation: invite };
  return t.i7;
}
/* eslint-enable no-multi-spaces */

/** [{ id, method, path, perm, flags }] from src/routes.def. */
function parseRoutes() {
  const text = readFileSync(join(ROOT, 'src/routes.def'), 'utf8');
  const routes = [];
  for (const line of text.split('\n')) {
    const m = /^ROUTE\(\s*(\w+)\s*,\s*(GET|POST)\s*,\s*"([^"]*)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*([^)]*)\)/.exec(line);
    if (m) routes.push({ id: m[1], method: m[2], path: m[3], perm: m[5], flags: m[6].trim() });
    else assert.ok(!/^\s*ROUTE\(/.test(line), `cannot read this routes.def line: ${line}`);
  }
  return routes;
}

/** Role ids and keys from src/roles.def, in bit order. */
function parseRoles() {
  const text = readFileSync(join(ROOT, 'src/roles.def'), 'utf8');
  return [...text.matchAll(/^ROLE\(\s*(\w+)\s*,\s*(\d+)\s*,\s*"(\w+)"/gm)]
    .map((m) => ({ id: m[1], bit: Number(m[2]), key: m[3] }))
    .sort((a, b) => a.bit - b.bit);
}

const ROUTES = parseRoutes();
const ROLES = parseRoles();

test('the matrix names every route of routes.def, and only those', () => {
  const inTable = new Set(Object.keys(EXPECT));
  const inDef = new Set(ROUTES.map((r) => r.id));
  const missing = [...inDef].filter((id) => !inTable.has(id));
  const stale = [...inTable].filter((id) => !inDef.has(id));
  assert.deepEqual(missing, [], `routes without a row in EXPECT (tests/integration/authz.test.mjs): ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `EXPECT rows for routes that routes.def no longer has: ${stale.join(', ')}`);
  assert.equal(ROUTES.length, inDef.size, 'route ids are unique');
  for (const id of Object.keys(REQUESTS)) assert.ok(inDef.has(id), `REQUESTS names an unknown route ${id}`);
  for (const r of ROUTES) {
    const row = EXPECT[r.id];
    assert.equal(row.length, 2 + ROLE_COLUMNS.length, `${r.id}: one value per column`);
    if (r.path.includes('#')) assert.notEqual(row.at(-1), null, `${r.id}: a path with an id needs the OTHER column`);
    else assert.equal(row.at(-1), null, `${r.id}: OTHER is only for paths with an id`);
  }
});

test("the matrix's role columns are the roles of roles.def", () => {
  assert.deepEqual(ROLES.map((r) => r.id), ROLE_COLUMNS);
});

let stack;
const world = {};
let serial = 0;

before(async () => {
  stack = await startStack();
  // Organization A: a Global admin (who signed it up) and one user per other role.
  const ga = new Client(stack.base);
  await ga.signup({ domain: 'authz-a.example', email: 'ga@authz-a.example', name: 'Gale Admin' });
  world.admin = ga;
  world.as = { GLOBAL_ADMIN: { client: ga, email: 'ga@authz-a.example' } };
  for (const role of ROLES.slice(1)) {
    const email = `${role.key.replace('_', '-')}@authz-a.example`;
    await addUser(ga, { name: role.id, email, roles: [role.key] });
    world.as[role.id] = { client: await activate(stack, email), email };
  }
  const { id } = await addUser(ga, { name: 'Vic Victim', email: 'vic@authz-a.example', roles: ['helpdesk_agent'] });
  world.victim = id;
  // Organization B: its Global admin is the "other organization" asker.
  const other = new Client(stack.base);
  await other.signup({ domain: 'authz-b.example', email: 'ga@authz-b.example', name: 'Otto Other' });
  world.other = { client: other, email: 'ga@authz-b.example' };
  world.tenantA = sql(stack, "SELECT id FROM tenants WHERE domain = 'authz-a.example'")[0].id;
  world.tenantB = sql(stack, "SELECT id FROM tenants WHERE domain = 'authz-b.example'")[0].id;
  world.unique = () => `u${++serial}`;
  world.freshVictim = async () => (await addUser(ga, { name: 'Short Lived', email: `${world.unique()}@authz-a.example`, roles: ['helpdesk_agent'] })).id;
});

after(async () => {
  const exit = await stack.stop();
  assert.equal(exit.code, 0, stack.portalLog());
  assert.ok(!stack.sanitizerReport(), stack.portalLog());
});

/** Does the answer match the expectation (a status, or '303 /x' / '303 /x*')? */
function matches(res, want) {
  if (typeof want === 'number') return res.status === want;
  const [status, loc] = want.split(' ');
  if (res.status !== Number(status)) return false;
  return loc.endsWith('*') ? (res.location || '').startsWith(loc.slice(0, -1)) : res.location === loc;
}

function describe(res) {
  return res.location ? `${res.status} ${res.location}` : String(res.status);
}

/** A client asking as `who`; a fresh session of the same user when the route ends it. */
async function asker(who, spec) {
  if (who === 'OUT') return new Client(stack.base);
  const { client, email } = who === 'OTHER' ? world.other : world.as[who];
  if (!spec.fresh) return client;
  const c = new Client(stack.base);
  const res = await c.signin(email, PASSWORD);
  assert.equal(res.status, 303, `fresh sign-in of ${email}`);
  return c;
}

async function ask(route, who) {
  const spec = REQUESTS[route.id] || {};
  const c = await asker(who, spec);
  const id = spec.id ? await spec.id(world) : world.victim;
  const path = route.path.replace('#', String(id));
  if (route.method === 'GET') return c.get(path);
  const csrf = csrfOf((await c.get('/')).text);
  assert.ok(csrf, `a CSRF token for ${who}`);
  return c.post(path, { csrf, ...(spec.body ? spec.body(world) : {}) });
}

test('every route × signed out, each role alone, another organization', async () => {
  const wrong = [];
  let asked = 0, roleRefusals = 0, otherRefusals = 0;
  const accessBefore = sql(stack, `SELECT count(*) AS n FROM audit WHERE tenant_id = ${world.tenantA} AND action = 'access' AND outcome = 'refused'`)[0].n;
  for (const route of ROUTES) {
    const row = EXPECT[route.id];
    const whos = ['OUT', ...ROLE_COLUMNS, 'OTHER'];
    for (let i = 0; i < whos.length; i++) {
      const want = row[i];
      if (want === null) continue;
      const res = await ask(route, whos[i]);
      asked++;
      if (!matches(res, want)) wrong.push(`${route.id} (${route.method} ${route.path}) as ${whos[i]}: got ${describe(res)}, want ${want}`);
      if (whos[i] !== 'OUT' && whos[i] !== 'OTHER' && res.status === 403) roleRefusals++;
      if (whos[i] === 'OTHER' && res.status === 404) otherRefusals++;
    }
  }
  assert.deepEqual(wrong, [], `answers that differ from the matrix:\n${wrong.join('\n')}`);
  assert.ok(asked >= ROUTES.length * 8);

  // Each refusal by role is in organization A's audit log; each other-organization id in B's.
  const access = sql(stack, `SELECT count(*) AS n FROM audit WHERE tenant_id = ${world.tenantA} AND action = 'access' AND outcome = 'refused'`)[0].n;
  assert.equal(access - accessBefore, roleRefusals);
  const crossOrg = sql(stack, `SELECT count(*) AS n FROM audit WHERE tenant_id = ${world.tenantB} AND outcome = 'refused' AND detail = 'no such user in this organization' AND target LIKE 'user #%'`)[0].n;
  assert.equal(crossOrg, otherRefusals);
  assert.equal(otherRefusals, ROUTES.filter((r) => r.path.includes('#')).length);
  // The victim of organization A is untouched by organization B.
  assert.deepEqual(sql(stack, `SELECT tenant_id, roles FROM users WHERE id = ${world.victim}`), [{ tenant_id: world.tenantA, roles: 32 }]);
});
