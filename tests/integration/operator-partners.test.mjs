// operator-partners.test.mjs — the console's partners (issue 19, item 3): search by name,
// domain, MPN ID and country; a partner's page (accounts, statuses, agreement acceptance,
// relationships both directions, customers, users, recent audit entries); End relationship
// (admins only; a reason; both sides emailed and both logs written as "the program team").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { mailTo } from '../lib/users.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack, reviewer, admin, team, prov, res, rel;

async function org(key, name, country, type) {
  const domain = `${key}.partners-op.example`;
  await new Client(stack.base).signup({ org: name, domain, email: `ga@${domain}`, country, name: `Ga ${key}` });
  const tenant = F.tenantId(stack, domain);
  return { domain, tenant, ga: `ga@${domain}`, account: F.partnerAccount(stack, { tenant, type, status: 'approved' }) };
}

before(async () => {
  stack = await startStack();
  reviewer = await newOperator(stack, { role: 'reviewer' });
  admin = await newOperator(stack, { role: 'admin', email: 'boss@program.example' });
  team = Number(db.value(stack, "SELECT value FROM program_settings WHERE name = 'operator_tenant'"));
  prov = await org('contoso', 'Contoso Distribution', 'DE', 'indirect_provider');
  res = await org('litware', 'Litware Resale', 'FR', 'indirect_reseller');
  db.exec(stack, "INSERT INTO mpn_profiles(mpn_id, company_name, country, status) VALUES ('7200001', 'Contoso', 'DE', 'active')");
  F.linkMpnId(stack, prov.tenant, '7200001');
  rel = F.relate(stack, prov.account, res.account);
  F.publishAgreement(stack, '2026-01');
  F.acceptAgreement(stack, prov.tenant, { email: prov.ga, first: 'Gale', last: 'Contoso' });
  const customer = F.newTenant(stack, { name: 'Tailspin', domain: 'tailspin.partners-op.example', kind: 'customer' });
  F.customerRelationships(stack, customer, [prov.account]);
});
after(() => stopChecked(stack));

const names = (html) => [...html.matchAll(/href="\/operator\/partners\/(\d+)">([^<]*)</g)].map((m) => m[2]);

test('search: part of a name or domain, an MPN ID, a country', async () => {
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=contoso')).text), ['Contoso Distribution']);
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=LITWARE.partners')).text), ['Litware Resale']);
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=7200001')).text), ['Contoso Distribution']);
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=partners-op&country=FR')).text), ['Litware Resale']);
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=nobody-at-all')).text), []);
  assert.deepEqual(names((await reviewer.c.get('/operator/partners?q=program')).text), [], 'the program team is no partner');
  assert.equal((await reviewer.c.get('/operator/partners?country=ZZ')).status, 400);
});

test("a partner's page: accounts, agreement, relationships both ways, customers, users, audit", async () => {
  const page = await reviewer.c.get(`/operator/partners/${prov.tenant}`);
  assert.equal(page.status, 200);
  const text = textOf(page.text);
  assert.match(textOf(/id="accounts">[\s\S]*?<\/ul>/.exec(page.text)[0]), /Indirect provider: Approved/i);
  assert.match(textOf(/id="agreement">[\s\S]*?<\/p>/.exec(page.text)[0]), /Accepted the current version 2026-01/);
  assert.match(textOf(/id="as-provider"[\s\S]*?<\/table>/.exec(page.text)[0]), /Litware Resale/);
  assert.equal(/id="customers">([^<]*)</.exec(page.text)[1], '1');
  assert.match(text, new RegExp(prov.ga.replace(/\./g, '\\.')));
  assert.match(textOf(/id="audit"[\s\S]*?<\/table>/.exec(page.text)[0]), /tenant.create/);
  assert.doesNotMatch(page.text, /End relationship/, 'a reviewer does not end relationships');
  const other = await reviewer.c.get(`/operator/partners/${res.tenant}`);
  assert.match(textOf(/id="as-reseller"[\s\S]*?<\/table>/.exec(other.text)[0]), /Contoso Distribution/);
  assert.match(textOf(/id="agreement">[\s\S]*?<\/p>/.exec(other.text)[0]), /Has not accepted/);
  assert.equal((await reviewer.c.get(`/operator/partners/${team}`)).status, 404);
  assert.equal((await reviewer.c.get('/operator/partners/999999')).status, 404);
});

test('End relationship: admins only; a reason; both sides emailed; both logs', async () => {
  const path = `/operator/relationships/${rel}/end`;
  const rpage = await reviewer.c.get(`/operator/partners/${prov.tenant}`);
  assert.equal((await reviewer.c.post(path, { csrf: csrfOf(rpage.text), back: String(prov.tenant), reason: 'x' })).status, 403);
  const page = await admin.c.get(`/operator/partners/${prov.tenant}`);
  assert.match(page.text, /End relationship/);
  const none = await admin.c.post(path, { csrf: csrfOf(page.text), back: String(prov.tenant), reason: ' ' });
  assert.equal(none.status, 422);
  assert.equal(errorsOf(none.text).length, 1, 'the message beside the reason');
  assert.equal(db.value(stack, 'SELECT status FROM provider_relationships WHERE id = ?', rel), 'active', 'nothing written');
  const before = [mailTo(stack, prov.ga).length, mailTo(stack, res.ga).length];
  const done = await admin.c.post(path, { csrf: csrfOf(page.text), back: String(prov.tenant), reason: 'Contract terminated by the vendor.' });
  assert.equal(done.status, 303, errorsOf(done.text).join('; '));
  assert.equal(done.location, `/operator/partners/${prov.tenant}?m=relationship-ended`);
  assert.deepEqual(db.one(stack, 'SELECT status, end_reason FROM provider_relationships WHERE id = ?', rel),
    { status: 'ended', end_reason: 'Contract terminated by the vendor.' });
  for (const [i, who] of [prov.ga, res.ga].entries()) {
    const got = mailTo(stack, who).slice(before[i]);
    assert.equal(got.length, 1, `${who} is told`);
    assert.match(got[0].body, /Contract terminated by the vendor\./);
  }
  assert.equal(F.auditCount(stack, { tenant_id: team, actor: 'boss@program.example', action: 'relationship.end', outcome: 'ok' }), 1);
  for (const t of [prov.tenant, res.tenant]) {
    assert.equal(F.auditCount(stack, { tenant_id: t, actor: 'the program team', action: 'relationship.end', outcome: 'ok' }), 1);
  }
  const again = await admin.c.post(path, { csrf: csrfOf(page.text), back: String(prov.tenant), reason: 'Again.' });
  assert.equal(again.status, 409);
  const after = await admin.c.get(`/operator/partners/${prov.tenant}`);
  assert.match(textOf(/id="as-provider"[\s\S]*?<\/table>/.exec(after.text)[0]), /Ended .*Contract terminated/);
});
