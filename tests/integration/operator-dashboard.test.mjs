// operator-dashboard.test.mjs — the program dashboard (issue 19, item 6): enrollments by status
// and age, approvals per week, resellers with and without the current agreement signed
// (percent), pending invitations by age, relationships per week; tables, SVG bar charts drawn
// by the server (no script), a CSV each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { textOf } from '../lib/http.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack, op;
const DAY = 86400;
before(async () => {
  stack = await startStack();
  op = await newOperator(stack, { role: 'reviewer' });
  const now = F.now();
  const res = F.bulkPartners(stack, { prefix: 'dash-res-', names: ['R0', 'R1', 'R2', 'R3', 'R4', 'R5'], type: 'indirect_reseller' });
  // statuses: 3 approved (one 21 days ago), 2 in review (one submitted 40 days ago), 1 pending verification
  const set = (id, status, submitted, decided) => db.exec(stack, 'UPDATE partner_accounts SET status = ?, submitted_at = ?, decided_at = ? WHERE id = ?',
    status, submitted, decided, id);
  set(res[0], 'approved', now - 30 * DAY, now - DAY);
  set(res[1], 'approved', now - 30 * DAY, now - DAY);
  set(res[2], 'approved', now - 40 * DAY, now - 21 * DAY);
  set(res[3], 'in_review', now - 2 * DAY, null);
  set(res[4], 'in_review', now - 40 * DAY, null);
  set(res[5], 'pending_verification', now - 10 * DAY, null);
  F.publishAgreement(stack, 'dash-1');
  const tenantOf = (id) => Number(db.value(stack, 'SELECT tenant_id FROM partner_accounts WHERE id = ?', id));
  F.acceptAgreement(stack, tenantOf(res[0]), { email: 'a@dash.example' });
  const [prov] = F.bulkPartners(stack, { prefix: 'dash-prov-', names: ['P0'], type: 'indirect_provider' });
  F.relate(stack, prov, res[0], { since: now - DAY });
  F.relate(stack, prov, res[1], { since: now - 15 * DAY });
  db.exec(stack, `INSERT INTO reseller_invitations(provider_id, email, created_at, sent_at, expires_at) VALUES
    (?, 'i1@dash.example', ?, ?, ?), (?, 'i2@dash.example', ?, ?, ?)`, prov, now - DAY, now - DAY, now + 29 * DAY, prov, now - 20 * DAY, now - 20 * DAY, now + 10 * DAY);
});
after(() => stopChecked(stack));

const table = (html, key) => [...(new RegExp(`id="metric-${key}"[\\s\\S]*?</table>`).exec(html)[0].matchAll(/<tr><td>([^<]*)<\/td><td>(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g))]
  .map((m) => [m[1], Number(m[2]), m[3]]);

test('the tables, the SVG charts, no script', async () => {
  const page = await op.c.get('/operator/dashboard');
  assert.equal(page.status, 200);
  const status = Object.fromEntries(table(page.text, 'status').map(([l, n]) => [l, n]));
  assert.equal(Object.values(status).reduce((a, b) => a + b), 6);
  assert.deepEqual(table(page.text, 'age').map((r) => r[1]), [1, 1, 1], 'under 7, 7-29, 30 or more days');
  const approvals = table(page.text, 'approvals');
  assert.equal(approvals.length, 12);
  assert.equal(approvals.reduce((a, r) => a + r[1], 0), 3);
  assert.ok(approvals.at(-1)[1] + approvals.at(-2)[1] === 2, 'two in the last days');
  assert.deepEqual(table(page.text, 'agreement'), [['accepted', 1, '33%'], ['not accepted', 2, '67%']]);
  assert.deepEqual(table(page.text, 'invitations').map((r) => r[1]), [1, 0, 1]);
  assert.equal(table(page.text, 'relationships').reduce((a, r) => a + r[1], 0), 2);
  const svg = /id="metric-agreement"[\s\S]*?<svg[\s\S]*?<\/svg>/.exec(page.text)[0];
  const bars = [...svg.matchAll(/<rect x="200" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(bars, [150, 300], 'bars in proportion');
  assert.doesNotMatch(page.text, /<script/);
});

test('a CSV per table', async () => {
  const csv = await op.c.get('/operator/dashboard.csv?metric=agreement');
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  assert.deepEqual(csv.text.trim().split(/\r?\n/), ['"","resellers","percent"', '"accepted","1","33"', '"not accepted","2","67"']);
  assert.equal((await op.c.get('/operator/dashboard.csv?metric=nope')).status, 400);
  const weeks = await op.c.get('/operator/dashboard.csv?metric=approvals');
  assert.equal(weeks.text.trim().split(/\r?\n/).length, 13);
  assert.match(textOf(weeks.text), /week of \d\d [A-Z][a-z]{2} \d{4}/);
});
