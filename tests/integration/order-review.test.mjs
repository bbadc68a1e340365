// order-review.test.mjs — issue 15, item 5: the order form offers resellers that cannot
// transact disabled with the reason, chooses the only reseller and its only MPN ID; Review
// order shows quantity x price and the total in the customer's currency (prices per currency
// from the catalog import) and writes nothing; Place order from the review places it once and
// emails the provider, the reseller and the customer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { csrfOf, textOf } from '../lib/http.mjs';
import { messages, waitForMail } from '../lib/mail.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => {
  stack = await startStack();
  const csv = join(stack.data, 'offers.csv');
  writeFileSync(csv, 'offer_id,name,description,unit,price,currency,active\n'
    + 'RV-STD,Review Standard,Apps and email,user/month,12.50,USD,yes\n'
    + 'RV-STD,Review Standard,Apps and email,user/month,11.70,EUR,yes\n'
    + 'RV-STD,Review Standard,Apps and email,user/month,49.00,PLN,yes\n');
  const r = stack.ctl('offers', 'import', csv);
  if (r.code !== 0) throw new Error(r.stderr);
});
after(() => stopChecked(stack));

/** The hidden fields of the review's Place order form. */
const hiddenOf = (html, action) => {
  const form = new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)[1];
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
};

test('item 5: disabled reseller with the reason, preselection, review in the customer currency, confirmation to all three', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'rv', providerOrg: 'Review Distribution', resellerOrg: 'Review Reselling',
    customer: { domain: 'rv-cust.example', org: 'Review Customer', country: 'DE' }, agreement: 'rv-2025', resellerAccepts: false });
  const path = `/customers/${cust.tenantId}/order`;

  // The reseller has not accepted the agreement: offered disabled, with the reason, nothing chosen.
  let page = await w.provider.client.get(path);
  assert.match(page.text, new RegExp(`<option value="${w.reseller.accountId}" disabled>Review Reselling \\(cannot order now\\)</option>`));
  assert.match(textOf(page.text), /Review Reselling ?: The organization has not accepted version rv-2025/);
  assert.doesNotMatch(page.text, / selected>/, 'nothing is chosen');
  // The price in the customer's currency (Germany: EUR), not the USD list price.
  assert.match(page.text, /<option value="RV-STD">Review Standard — 11\.70 EUR per user\/month<\/option>/);

  // Accepted: the only reseller that may transact is chosen, and its only MPN ID.
  F.relAcceptAgreement(stack, w.reseller);
  page = await w.provider.client.get(path);
  assert.match(page.text, new RegExp(`<option value="${w.reseller.accountId}" selected>Review Reselling</option>`));
  assert.match(page.text, new RegExp(`<option value="${w.reseller.mpn}" selected>`));
  assert.match(page.text, new RegExp(`<form method="post" action="${path}/review" novalidate>`));
  assert.match(page.text, />Review order<\/button>/);
  const key = /name="order_key" value="([^"]*)"/.exec(page.text)[1];

  // Review: quantity x price and the total; nothing written.
  const counts = C.custCounts(stack), mails = messages(stack.mailDir).length;
  const fields = { csrf: csrfOf(page.text), reseller: String(w.reseller.accountId), mpn_id: w.reseller.mpn, offer: 'RV-STD', quantity: '5', order_key: key };
  const review = await w.provider.client.post(`${path}/review`, fields);
  assert.equal(review.status, 200, textOf(review.text));
  const text = textOf(review.text);
  assert.match(text, /Review the order/);
  assert.match(text, /Review Standard RV-STD 5 user\/month 11\.70 EUR per user\/month 58\.50 EUR/);
  assert.match(text, /Total 58\.50 EUR/);
  assert.match(text, new RegExp(`On behalf of Review Reselling Reseller's MPN ID ${w.reseller.mpn}`));
  assert.deepEqual(C.custCounts(stack), counts, 'a review writes nothing');
  assert.equal(X.count(stack, 'subscriptions', { customer_tenant_id: cust.tenantId }), 0);
  assert.equal(messages(stack.mailDir).length, mails, 'and sends nothing');

  // A bad quantity: the form again, with the message beside the field.
  const bad = await w.provider.client.post(`${path}/review`, { ...fields, quantity: '0' });
  assert.equal(bad.status, 422);
  assert.match(textOf(bad.text), /Enter a whole number from 1 to 10000/);
  // Change the order: the form again, filled in.
  assert.match(review.text, new RegExp(`<button type="submit" formaction="${path}/review" name="edit" value="1">Change the order</button>`));
  const edit = await w.provider.client.post(`${path}/review`, { ...hiddenOf(review.text, path), edit: '1', csrf: fields.csrf });
  assert.equal(edit.status, 200);
  assert.match(edit.text, /<option value="RV-STD" selected>/);
  assert.match(edit.text, /name="quantity" type="text" inputmode="numeric" class="short" value="5"/);

  // Place order from the review: one subscription, and the confirmation to all three.
  const place = hiddenOf(review.text, path);
  assert.deepEqual({ ...place, csrf: undefined }, { ...fields, csrf: undefined });
  const res = await w.provider.client.post(path, { ...place, csrf: fields.csrf });
  assert.equal(res.status, 303, textOf(res.text));
  assert.equal(res.location, `/customers/${cust.tenantId}?m=order-placed`);
  assert.equal(X.count(stack, 'subscriptions', { customer_tenant_id: cust.tenantId }), 1);
  // (issue 15: the mail builder wraps lines at 72, so the words are matched across line ends)
  for (const [to, says] of [[w.provider.email, /Your organization has placed an order for Review Customer on behalf\s+of\s+Review\s+Reselling/],
    [w.reseller.email, /Review Distribution has placed an order for your customer Review\s+Customer on\s+behalf\s+of\s+Review\s+Reselling/],
    [cust.email, /Review Distribution has placed an order for your organization on\s+behalf\s+of\s+Review\s+Reselling,\s+your\s+reseller/]]) {
    const mail = await waitForMail(stack.mailDir, { to, subject: 'Order confirmation', after: mails });
    assert.equal(mail.subject, 'Order confirmation: 5 x Review Standard for Review Customer');
    assert.match(mail.body, says, to);
    assert.match(mail.body, /Price: +11\.70 EUR per user\/month\nTotal: +58\.50 EUR/);
  }
  const notice = await w.provider.client.follow(res);
  assert.match(textOf(notice.text), /you, the reseller and the customer have been emailed a confirmation/);
});
