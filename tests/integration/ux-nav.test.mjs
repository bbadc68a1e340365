// ux-nav.test.mjs — issue 15, item 11: drill-down, search and shortcuts. A provider opens one
// reseller from /resellers (its MPN IDs, agreement, the customers both work with, the
// invitations that reached it, the relationship's events); another provider's id is 404 and
// roles without RESELLERS_VIEW are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { textOf, decode } from '../lib/http.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The rows (cell texts) of the table labelled by heading id `head` in html. */
const rowsOf = (html, head) => {
  const t = new RegExp(`<table aria-labelledby="${head}">([\\s\\S]*?)</table>`).exec(html);
  if (!t) return [];
  return [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1)
    .map((m) => [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1]).trim()));
};

test('item 11: a reseller\'s page from its name on /resellers', async () => {
  const provider = await F.relPartner(stack, { type: 'indirect_provider', domain: 'nav-dist.example', org: 'Nav Distribution' });
  const reseller = await F.relPartner(stack, { domain: 'nav-resell.example', org: 'Nav Reselling', country: 'FR' });
  X.publishAgreement(stack, 'nav-1', { ifNone: true });
  F.relAcceptAgreement(stack, provider);
  F.relAcceptAgreement(stack, reseller);
  // The real flow: the provider invites an address of the reseller's domain, the reseller's
  // Global admin authorizes; a second invitation to the domain stays pending, one to another
  // domain is not the reseller's.
  // (The second is sent before the first is accepted: once related, an invitation to the
  // reseller's domain is refused before sending, issue 13.)
  const inv = await F.relInvite(stack, provider, 'admin@nav-resell.example');
  const pending = await F.relInvite(stack, provider, 'sales@NAV-RESELL.example');
  await F.relOpen(reseller.client, inv.link);
  const done = await reseller.client.submit('/authorize', { confirm: 'yes' }, '/authorize');
  assert.equal(done.status, 303);
  await F.relInvite(stack, provider, 'someone@other-nav.example');
  await F.relInvite(stack, provider, 'x@not-nav-resell.example');
  const rel = Number(db.one(stack, 'SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ?',
    provider.accountId, reseller.accountId).id);
  // A customer both work with (invited by the reseller under this provider, accepted).
  const cust = await C.custOrg(stack, { domain: 'nav-cust.example', org: 'Nav Customer' });
  await C.custRelate(stack, { provider, reseller, rel }, cust);

  // The list links the name.
  const list = await provider.client.get('/resellers');
  assert.match(list.text, new RegExp(`<td data-label="Name"><a href="/resellers/${rel}">Nav Reselling</a></td>`));
  const page = await provider.client.get(`/resellers/${rel}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<nav aria-label="Breadcrumb" class="crumbs"><ol><li><a href="\/resellers">Indirect resellers<\/a><\/li>/);
  assert.match(page.text, /<h1>Nav Reselling<\/h1>/);
  const text = textOf(page.text);
  assert.match(text, new RegExp(`MPN IDs\\s*${reseller.mpn}`));
  assert.match(text, /Partner agreement\s*Accepted\s*Version nav-1, \d+ \w+ \d{4}/);
  assert.match(text, /Primary domain\s*nav-resell\.example/);
  assert.deepEqual(rowsOf(page.text, 'customers-head').map((r) => r[0]), ['Nav Customer']);
  assert.deepEqual(rowsOf(page.text, 'invitations-head').map((r) => [r[0], r[3]]),
    [['sales@nav-resell.example', 'Pending'], ['admin@nav-resell.example', 'Accepted']]);
  assert.ok(pending.id > inv.id);
  // The relationship's events: the acceptance in the provider's log, as a sentence.
  assert.match(text, /Relationship events[\s\S]*accepted the invitation/);

  // A Sales agent of the provider holds RESELLERS_VIEW (perms.def): the page, without links to
  // the invitations (RESELLERS_INVITE); a Billing admin and a User admin are refused.
  const sales = await F.relUser(stack, provider, { email: 'sales@nav-dist.example', roles: ['sales_agent'] });
  const salesPage = await sales.client.get(`/resellers/${rel}`);
  assert.equal(salesPage.status, 200);
  assert.doesNotMatch(salesPage.text, /href="\/resellers\/invitations\//);
  for (const role of ['billing_admin', 'user_admin']) {
    const u = await F.relUser(stack, provider, { email: `${role}@nav-dist.example`, roles: [role] });
    assert.equal((await u.client.get(`/resellers/${rel}`)).status, 403, role);
  }

  // Another provider asking for this relationship: 404, in its own audit log.
  const other = await F.relPartner(stack, { type: 'indirect_provider', domain: 'nav-other.example' });
  const refusedHere = { tenant_id: other.tenantId, outcome: 'refused', target: `reseller relationship ${rel}`, detail: "another organization's relationship" };
  const before = X.auditCount(stack, refusedHere);
  assert.equal((await other.client.get(`/resellers/${rel}`)).status, 404);
  assert.equal(X.auditCount(stack, refusedHere), before + 1);
  // No such id: 404 too.
  assert.equal((await provider.client.get('/resellers/999999')).status, 404);
  // The reseller itself is no provider: refused by the partner-type gate.
  assert.equal((await reseller.client.get(`/resellers/${rel}`)).status, 403);
});

/** The names in the first column of the list table (`label`: its aria-label / labelledby id). */
const namesIn = (html, re) => {
  const t = re.exec(html);
  return t ? [...t[1].matchAll(/<tr>\s*<td[^>]*>(?:<a [^>]*>)?([^<]*)/g)].map((m) => m[1]) : [];
};
const customerNames = (html) => namesIn(html, /<table aria-label="Customers">([\s\S]*?)<\/table>/);
const resellerNames = (html) => namesIn(html, /<table aria-labelledby="resellers-head">([\s\S]*?)<\/table>/);
const userNames = (html) => namesIn(html, /<table>\s*<caption[^>]*>Users of[\s\S]*?<\/caption>([\s\S]*?)<\/table>/);

test('item 11: search on Customers, Resellers and Users; % and _ are plain characters; paging keeps q', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'srch-dist.example', org: 'Srch Distribution' });
  // Resellers (related the quick way) with names that only a wildcard would confuse.
  const names = ['Alpha 50% Off Ltd', 'Alpha 500 Ltd', 'Beta_Works', 'BetaXWorks', 'Gamma Reselling'];
  const accounts = X.bulkPartners(stack, { prefix: 'srch-r-', names, mpn: true });
  accounts.forEach((a) => X.relate(stack, p.accountId, a));
  // 25 more that match "bulk", to page through.
  const bulk = X.bulkPartners(stack, { prefix: 'srch-bulk-', names: Array.from({ length: 25 }, (_, i) => `Bulk Reseller ${String(i).padStart(2, '0')}`) });
  bulk.forEach((a) => X.relate(stack, p.accountId, a));
  // Customers of the provider (operator-made relationships), the same names.
  const custTenants = names.map((n, i) => X.newTenant(stack, { name: n, domain: `srch-c${i}.example`, kind: 'customer' }));
  custTenants.forEach((t) => X.customerRelationships(stack, t, [p.accountId]));

  let page = await p.client.get('/resellers?q=50%25');
  assert.equal(page.status, 200);
  assert.match(page.text, /<label for="f-q">Search resellers<\/label>/);
  assert.match(page.text, /<input type="search" id="f-q" name="q" value="50%"/);
  assert.deepEqual(resellerNames(page.text), ['Alpha 50% Off Ltd']);
  assert.deepEqual(resellerNames((await p.client.get('/resellers?q=beta_')).text), ['Beta_Works']);
  assert.deepEqual(resellerNames((await p.client.get('/resellers?q=ALPHA')).text), ['Alpha 50% Off Ltd', 'Alpha 500 Ltd']);
  // by primary domain and by MPN ID
  assert.deepEqual(resellerNames((await p.client.get('/resellers?q=srch-r-4.example')).text), ['Gamma Reselling']);
  const mpn = db.one(stack, "SELECT m.mpn_id FROM tenant_mpn_ids m JOIN tenants t ON t.id = m.tenant_id WHERE t.name = 'Gamma Reselling'").mpn_id;
  assert.deepEqual(resellerNames((await p.client.get(`/resellers?q=${mpn}`)).text), ['Gamma Reselling']);
  // nothing found: said so
  page = await p.client.get('/resellers?q=%5C%25nothing');
  assert.deepEqual(resellerNames(page.text), []);
  assert.match(textOf(page.text), /No resellers match “\\%nothing”\. Show all resellers/);
  // Pages of a search keep it: 25 "bulk" resellers, 20 a page.
  page = await p.client.get('/resellers?q=bulk');
  assert.equal(resellerNames(page.text).length, 20);
  const next = /<a href="([^"]*)" rel="next">/.exec(page.text);
  assert.ok(next);
  assert.match(decode(next[1]), /[?&]q=bulk(&|$)/);
  const second = await p.client.get(decode(next[1]));
  assert.deepEqual([...resellerNames(page.text), ...resellerNames(second.text)],
    Array.from({ length: 25 }, (_, i) => `Bulk Reseller ${String(i).padStart(2, '0')}`));
  // Sorting keeps the search; the sort is kept by the search box.
  const sortLink = /<a href="([^"]*sort=since[^"]*)">Since/.exec(page.text);
  assert.match(decode(sortLink[1]), /[?&]q=bulk(&|$)/);
  page = await p.client.get('/resellers?sort=name&dir=desc&q=alpha');
  assert.deepEqual(resellerNames(page.text), ['Alpha 500 Ltd', 'Alpha 50% Off Ltd']);
  assert.match(page.text, /<input type="hidden" name="sort" value="name"><input type="hidden" name="dir" value="desc">/);
  assert.equal((await p.client.get(`/resellers?q=${'x'.repeat(101)}`)).status, 400);

  // Customers
  page = await p.client.get('/customers?q=50%25');
  assert.match(page.text, /<label for="f-q">Search customers<\/label>/);
  assert.deepEqual(customerNames(page.text), ['Alpha 50% Off Ltd']);
  assert.deepEqual(customerNames((await p.client.get('/customers?q=a_w')).text), ['Beta_Works']);
  assert.deepEqual(customerNames((await p.client.get('/customers?q=SRCH-C2')).text), ['Beta_Works']);
  assert.deepEqual(customerNames((await p.client.get('/customers?q=works&sort=name&dir=desc')).text), ['BetaXWorks', 'Beta_Works']);
  page = await p.client.get('/customers?q=zzz');
  assert.match(textOf(page.text), /No customers match “zzz”\. Show all customers/);
  assert.equal(customerNames((await p.client.get('/customers')).text).length, 5);

  // Users: name or email; page numbers keep q.
  for (let i = 0; i < 27; i++) X.addUser(stack, { tenant: p.tenantId, email: `u${String(i).padStart(2, '0')}@srch-dist.example`, name: `Person ${String(i).padStart(2, '0')}` });
  X.addUser(stack, { tenant: p.tenantId, email: 'percent@srch-dist.example', name: '100% Sure' });
  X.addUser(stack, { tenant: p.tenantId, email: 'under_score@srch-dist.example', name: 'Una Score' });
  page = await p.client.get('/settings/users?q=100%25');
  assert.match(page.text, /<label for="f-q">Search users<\/label>/);
  assert.deepEqual(userNames(page.text), ['100% Sure']);
  assert.deepEqual(userNames((await p.client.get('/settings/users?q=r_s')).text), ['Una Score']);
  page = await p.client.get('/settings/users?q=person');
  assert.equal(userNames(page.text).length, 25);
  assert.match(textOf(page.text), /Page 1 of 2 · 27 users/);
  const unext = /<a href="([^"]*)" rel="next">/.exec(page.text);
  assert.match(decode(unext[1]), /[?&]q=person(&|$)/);
  assert.equal(userNames((await p.client.get(decode(unext[1]))).text).length, 2);
  assert.match(textOf((await p.client.get('/settings/users?q=nobody-here')).text), /No users match “nobody-here”/);
});

test('item 11: Invite customer on Customers for those who may invite; the empty list points to it', async () => {
  const w = await C.custPair(stack, { prefix: 'navinv' });
  const inviteLink = (html) => /<a class="button primary" href="([^"]*)">Invite customer<\/a>/.exec(html)?.[1] ?? null;
  // The reseller's Global admin, no customers yet: the button and the empty state lead to the
  // only provider's invitation form, which opens.
  let page = await w.reseller.client.get('/customers');
  assert.equal(inviteLink(page.text), `/providers/${w.rel}/invite-customer`);
  assert.match(textOf(page.text), /No customers yet\.\s*Press Invite customer and enter the email/);
  assert.match(page.text, new RegExp(`<p>Press <a href="/providers/${w.rel}/invite-customer">Invite customer</a>`));
  assert.equal((await w.reseller.client.get(inviteLink(page.text))).status, 200);
  // Per role: CUSTOMERS_INVITE (Global admin, Account admin, Admin agent, Sales agent) sees it;
  // Helpdesk agent and Billing admin (CUSTOMERS_VIEW only) do not.
  for (const [role, shown] of [['account_admin', true], ['admin_agent', true], ['sales_agent', true], ['helpdesk_agent', false], ['billing_admin', false]]) {
    const u = await F.relUser(stack, w.reseller, { email: `${role}@navinv-resell.example`, roles: [role] });
    page = await u.client.get('/customers');
    assert.equal(page.status, 200, role);
    assert.equal(inviteLink(page.text), shown ? `/providers/${w.rel}/invite-customer` : null, role);
  }
  // A provider only (no reseller account): nobody to invite customers with, no button.
  assert.equal(inviteLink((await w.provider.client.get('/customers')).text), null);
  // A second provider: the button leads to Indirect providers, to choose one.
  const second = await F.relPartner(stack, { type: 'indirect_provider', domain: 'navinv2-dist.example' });
  C.relate(stack, second, w.reseller);
  assert.equal(inviteLink((await w.reseller.client.get('/customers')).text), '/providers');
});

test('item 11: Overview counts and pending items, per role', async () => {
  const w = await C.custPair(stack, { prefix: 'navov' });
  X.publishAgreement(stack, 'navov-1', { ifNone: true });
  // The provider: 3 resellers (w's and two more, one of which signed the current version),
  // 2 open invitations (and a revoked one, not counted), users, a customer.
  const more = X.bulkPartners(stack, { prefix: 'navov-more-', names: ['Navov Signed', 'Navov Unsigned'] });
  more.forEach((a) => X.relate(stack, w.provider.accountId, a));
  const signedTenant = Number(db.one(stack, 'SELECT tenant_id FROM partner_accounts WHERE id = ?', more[0]).tenant_id);
  X.acceptAgreement(stack, signedTenant, { versionId: X.maxAgreementId(stack), email: 'a@navov-more-0.example' });
  await F.relInvite(stack, w.provider, 'one@navov-x.example');
  await F.relInvite(stack, w.provider, 'two@navov-x.example');
  const gone = await F.relInvite(stack, w.provider, 'gone@navov-x.example');
  await w.provider.client.submit(`/resellers/invitations/revoke/${gone.id}`, {}, `/resellers/invitations/revoke/${gone.id}`);
  const cust = await C.custOrg(stack, { domain: 'navov-cust.example', org: 'Navov Customer' });
  await C.custRelate(stack, w, cust);
  // The reseller's Global admin sent one more customer invitation (pending).
  await C.custInvite(stack, w, 'later@navov-prospect.example');

  const itemsOf = (html) => {
    const counts = /<ul class="counts"[^>]*>([\s\S]*?)<\/ul>/.exec(html);
    const pending = /<ul class="pending"[^>]*>([\s\S]*?)<\/ul>/.exec(html);
    return {
      counts: counts ? [...counts[1].matchAll(/<a href="([^"]*)"><strong>([^<]*)<\/strong> ([^<]*)<\/a>/g)].map((m) => `${m[2]} ${m[3]} ${m[1]}`) : [],
      pending: pending ? [...pending[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]).trim()) : [],
    };
  };
  // The provider's Global admin (signed up: 1 user so far).
  let o = itemsOf((await w.provider.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers', '3 indirect resellers /resellers', '1 user /settings/users']);
  assert.deepEqual(o.pending, ['2 invitations to resellers are not answered yet. See open invitations',
    '2 of your resellers have not accepted the current partner agreement. See your resellers']);
  // A Sales agent of the provider: customers and resellers (and their pending items), no users.
  const sales = await F.relUser(stack, w.provider, { email: 'sales@navov-dist.example', roles: ['sales_agent'] });
  o = itemsOf((await sales.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers', '3 indirect resellers /resellers']);
  assert.equal(o.pending.length, 2);
  // A User admin: users only, nothing pending to see.
  const ua = await F.relUser(stack, w.provider, { email: 'ua@navov-dist.example', roles: ['user_admin'] });
  o = itemsOf((await ua.client.get('/')).text);
  assert.deepEqual(o.counts, ['3 users /settings/users']);
  assert.deepEqual(o.pending, []);
  assert.match(textOf((await ua.client.get('/')).text), /Waiting for an answer\s*Nothing is waiting for an answer\./);
  // A Billing admin: customers only.
  const ba = await F.relUser(stack, w.provider, { email: 'ba@navov-dist.example', roles: ['billing_admin'] });
  o = itemsOf((await ba.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers']);
  assert.deepEqual(o.pending, []);
  // The reseller's Global admin: its customer invitation waiting, no reseller items.
  o = itemsOf((await w.reseller.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers', '1 user /settings/users']);
  assert.deepEqual(o.pending, ['1 customer invitation is not answered yet. See your indirect providers\' customers']);
  // Capped: more than 1,000 users read as "1,000+".
  db.exec(stack, `INSERT INTO users(tenant_id, email, name, roles, created_at)
    SELECT ?, 'bulk' || n || '@navov-resell.example', 'Bulk ' || n, 0, 0
    FROM (WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1000) SELECT n FROM g) AS g2`,
    w.reseller.tenantId);
  o = itemsOf((await w.reseller.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers', '1,000+ users /settings/users']);
  // Customers and resellers are exact at any size (counts the writes keep, whoever writes):
  // 1,200 more customer organizations related to the reseller by plain SQL, and 1,100 more
  // resellers of the provider, none of which signed.
  db.exec(stack, `INSERT INTO tenants(name, domain, country, kind, created_at)
    SELECT 'Navov C' || n, 'navov-bulkc-' || n || '.example', 'DE', 'customer', 0
    FROM (WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1200) SELECT n FROM g) AS g2`);
  db.exec(stack, `INSERT INTO customer_relationships(partner_id, customer_tenant_id, since, partner_tenant_id, customer_name)
    SELECT ?, t.id, 0, ?, lower(t.name) FROM tenants t WHERE t.domain LIKE 'navov-bulkc-%.example'`,
    w.reseller.accountId, w.reseller.tenantId);
  const bulk = X.bulkPartners(stack, { prefix: 'navov-bulk-', names: Array.from({ length: 1100 }, (_, i) => `Navov Bulk ${i}`) });
  db.exec(stack, `INSERT INTO provider_relationships(provider_id, reseller_id, since, provider_name, reseller_name)
    SELECT ?, a.id, 0, 'navov', lower(t.name) FROM partner_accounts a JOIN tenants t ON t.id = a.tenant_id
    WHERE t.domain LIKE 'navov-bulk-%.example'`, w.provider.accountId);
  assert.equal(bulk.length, 1100);
  o = itemsOf((await w.reseller.client.get('/')).text);
  assert.deepEqual(o.counts, ['1,201 customers /customers', '1,000+ users /settings/users']);
  o = itemsOf((await w.provider.client.get('/')).text);
  assert.deepEqual(o.counts, ['1 customer /customers', '1,103 indirect resellers /resellers', '4 users /settings/users']);
  assert.deepEqual(o.pending, ['2 invitations to resellers are not answered yet. See open invitations',
    '1,102 of your resellers have not accepted the current partner agreement. See your resellers']);
  // In Russian the digits are grouped as Russian groups them (ICU's: a no-break space).
  o = itemsOf((await w.provider.client.get('/', { headers: { 'Accept-Language': 'ru' } })).text);
  assert.ok(o.counts.some((c) => /^1\u00a0103 .* \/resellers$/.test(c)), o.counts.join(' | '));
  // A customer organization: no counts (its page is its partners).
  assert.doesNotMatch((await cust.client.get('/')).text, /<ul class="counts"/);
});
