// operator-audit.test.mjs — the audit log of the whole program in the console (issue 19,
// item 5): filters by actor, action, organization and dates, newest first, Older; an
// operator's action is in the program team's log under their address and in the affected
// organization's log as "the program team".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack, op, tenant, account;
const DOMAIN = 'audited.audit-op.example';
before(async () => {
  stack = await startStack();
  op = await newOperator(stack, { role: 'admin', email: 'auditor@program.example' });
  await new Client(stack.base).signup({ org: 'Audited Org', domain: DOMAIN, email: `ga@${DOMAIN}` });
  tenant = F.tenantId(stack, DOMAIN);
  account = F.partnerAccount(stack, { tenant, type: 'indirect_reseller', status: 'in_review', decidedAt: null });
  F.legalProfile(stack, tenant, { legal_name: 'Audited GmbH', address1: 'Street 1', city: 'Berlin', postal_code: '10115',
    contact_first: 'C', contact_last: 'D', contact_email: `contact@${DOMAIN}`, contact_phone: '+49 30 555 0100', contact_verified_at: F.now() });
  const page = await op.c.get(`/operator/enrollments/${account}`);
  assert.equal((await op.c.post(`/operator/enrollments/${account}/approve`, { csrf: csrfOf(page.text), seen: 'in_review' })).status, 303);
});
after(() => stopChecked(stack));

const entries = (html) => [...(/id="entries"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '').matchAll(/<tr><td>[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));

test('filters: actor, action, organization, dates', async () => {
  const mine = entries((await op.c.get('/operator/audit?actor=auditor@program.example&action=enrollment.approve')).text);
  assert.equal(mine.length, 1);
  assert.match(mine[0], /Program team auditor@program\.example enrollment\.approve partner account \d+ ok/);
  const org = entries((await op.c.get(`/operator/audit?org=${DOMAIN}&action=enrollment.approve`)).text);
  assert.equal(org.length, 1);
  assert.match(org[0], /Audited Org the program team enrollment\.approve/);
  const all = entries((await op.c.get(`/operator/audit?org=${DOMAIN}`)).text);
  assert.ok(all.length >= 3 && all.every((e) => /Audited Org/.test(e)), 'only that organization');
  const today = new Date().toISOString().slice(0, 10);
  assert.ok(entries((await op.c.get(`/operator/audit?from=${today}&to=${today}`)).text).length > 0);
  assert.equal(entries((await op.c.get('/operator/audit?from=2099-01-01')).text).length, 0);
  assert.equal(entries((await op.c.get('/operator/audit?to=2001-01-01')).text).length, 0);
  assert.match(textOf((await op.c.get('/operator/audit?org=nobody.example')).text), /No organization has the primary domain nobody\.example/);
  assert.equal((await op.c.get('/operator/audit?from=2026-02-30')).status, 400);
  assert.equal((await op.c.get('/operator/audit?to=yesterday')).status, 400);
});

test('newest first, a page at a time', async () => {
  const at = F.now();
  db.batch(stack, Array.from({ length: 130 }, (_, i) => ['INSERT INTO audit(at, tenant_id, actor, action, target, outcome) VALUES (?, ?, ?, ?, ?, ?)',
    at, tenant, 'bulk@audit-op.example', 'bulk.entry', `n${i}`, 'ok']));
  const first = await op.c.get('/operator/audit?actor=bulk@audit-op.example');
  const p1 = entries(first.text);
  assert.equal(p1.length, 100);
  assert.match(p1[0], /n129/);
  const older = /href="([^"]+)" rel="next"/.exec(first.text)[1].replace(/&amp;/g, '&');
  const p2 = entries((await op.c.get(older)).text);
  assert.equal(p2.length, 30);
  assert.match(p2[0], /n29 /);
  assert.match(p2.at(-1), /n0 /);
});
