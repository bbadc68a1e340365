// hardening.test.mjs — issue 12's hardening items 1, 6, 7 and 9, through nginx: refusals that
// name only organizations the actor already sees (the order form); one customer organization
// per invitation link (Create one accepts in the same step, also under parallel POSTs);
// nobody grants a role they do not hold (Add user, a user's roles); addresses of other
// organizations not confirmed by Add user (the owner is emailed instead).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf, errorsOf, csrfOf } from '../lib/http.mjs';
import { messages, waitForMail, settle } from '../lib/mail.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => {
  stack = await startStack();
  X.testOffers(stack);
});
after(() => stopChecked(stack));

const count = (from, ...params) => Number(db.value(stack, `SELECT count(*) AS n FROM ${from}`, ...params));
const randomKey = () => randomBytes(16).toString('base64url');
/** A page's text without what differs between two answers of the same kind (request ids). */
const stable = (html) => textOf(html).replace(/[0-9a-f]{16,}/g, 'ID');

test('item 1: the order form never names a reseller the provider does not work with; an unrelated id is a 404', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'h1', providerOrg: 'Hidden Distribution', resellerOrg: 'Known Reselling',
    customer: { domain: 'h1-cust.example', org: 'Hidden Customer', country: 'DE' }, agreement: 'h1-1' });
  // A reseller still in review, and an approved one, neither related to this provider.
  const review = await F.relPartner(stack, { domain: 'h1-review.example', org: 'Secret Review Reseller', country: 'DE', status: 'in_review' });
  const stranger = await F.relPartner(stack, { domain: 'h1-stranger.example', org: 'Stranger Approved Reseller', country: 'DE' });
  const base = { mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '5' };
  const before = C.custCounts(stack);
  const answers = [];
  for (const id of [review.accountId, stranger.accountId, w.provider.accountId, 999999]) {
    const audits = count("audit WHERE action = 'access' AND outcome = 'refused' AND target = ?", `reseller account ${id}`);
    const res = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, reseller: String(id), order_key: randomKey() });
    assert.equal(res.status, 404, `reseller ${id}: ${textOf(res.text)}`);
    assert.doesNotMatch(res.text, /Secret Review Reseller|Stranger Approved Reseller|h1-review|h1-stranger/);
    assert.equal(count("audit WHERE action = 'access' AND outcome = 'refused' AND target = ?", `reseller account ${id}`), audits + 1);
    answers.push(stable(res.text));
  }
  assert.equal(new Set(answers).size, 1, 'an unknown, an unrelated and a non-reseller id answer alike');
  // The GET's preselection never names one either.
  const form = await w.provider.client.get(`/customers/${cust.tenantId}/order?reseller=${review.accountId}`);
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /Secret Review Reseller/);
  assert.deepEqual(C.custCounts(stack), before, 'nothing written');
  // A reseller it works with is still named in a refusal (its MPN ID is not the reseller's).
  const known = await C.placeOrder(w.provider.client, cust.tenantId, { ...base, reseller: String(w.reseller.accountId), mpn_id: w.provider.mpn, order_key: randomKey() });
  assert.equal(known.status, 403);
  assert.match(textOf(known.text), /is not an MPN ID of Known Reselling/);
});
