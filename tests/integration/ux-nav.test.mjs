// ux-nav.test.mjs — issue 15, item 11: drill-down, search and shortcuts. A provider opens one
// reseller from /resellers (its MPN IDs, agreement, the customers both work with, the
// invitations that reached it, the relationship's events); another provider's id is 404 and
// roles without RESELLERS_VIEW are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { textOf } from '../lib/http.mjs';
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
  const inv = await F.relInvite(stack, provider, 'admin@nav-resell.example');
  await F.relOpen(reseller.client, inv.link);
  const done = await reseller.client.submit('/authorize', { confirm: 'yes' }, '/authorize');
  assert.equal(done.status, 303);
  const pending = await F.relInvite(stack, provider, 'sales@NAV-RESELL.example');
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
  assert.match(page.text, /<nav aria-label="Breadcrumb" class="meta"><a href="\/resellers">Indirect resellers<\/a>/);
  assert.match(page.text, /<h1>Nav Reselling<\/h1>/);
  const text = textOf(page.text);
  assert.match(text, new RegExp(`MPN IDs\\s*${reseller.mpn}`));
  assert.match(text, /Partner agreement\s*Signed\s*Version nav-1, \d+ \w+ \d{4}/);
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
