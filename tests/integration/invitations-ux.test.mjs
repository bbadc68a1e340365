// invitations-ux.test.mjs — issue 15, item 10: the provider's invitations can be filtered
// (open / accepted / revoked / expired) and paged with the filter kept; Resend and Revoke ask
// for confirmation first, as Delete user does (a GET page that changes nothing, then the POST);
// so does Revoke of a reseller's customer invitation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { decode, textOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The e-mail addresses in the invitations table of the /resellers page. */
const emailsOf = (html) => {
  const t = /<table aria-labelledby="invitations-head">([\s\S]*?)<\/table>/.exec(html);
  return t ? [...t[1].matchAll(/<tr>\s*<td(?: data-label="[^"]*")?>([^<]*)<\/td>/g)].map((m) => m[1]) : [];
};
const statusOf = (id) => db.one(stack, 'SELECT status, sent_at, expires_at FROM reseller_invitations WHERE id = ?', id);

test('item 10: filter and paging of invitations; Resend and Revoke ask first', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'inv-ux.example' });
  const open = await F.relInvite(stack, p, 'open@inv-r.example');
  const gone = await F.relInvite(stack, p, 'revoked@inv-r.example');
  const old = await F.relInvite(stack, p, 'expired@inv-r.example');
  X.setResellerInvitationExpiry(stack, old.id, X.now() - 60);
  assert.equal((await p.client.submit(`/resellers/invitations/revoke/${gone.id}`, {}, `/resellers/invitations/revoke/${gone.id}`)).status, 303);

  // The filter.
  let page = await p.client.get('/resellers');
  assert.match(page.text, /<select id="f-istate" name="istate"><option value="" selected>All<\/option><option value="open">Open<\/option><option value="accepted">Accepted<\/option><option value="revoked">Revoked<\/option><option value="expired">Expired<\/option><\/select>/);
  assert.deepEqual(emailsOf(page.text), ['expired@inv-r.example', 'revoked@inv-r.example', 'open@inv-r.example']);
  for (const [state, emails] of [['open', ['open@inv-r.example']], ['revoked', ['revoked@inv-r.example']], ['expired', ['expired@inv-r.example']]]) {
    page = await p.client.get(`/resellers?istate=${state}`);
    assert.equal(page.status, 200);
    assert.deepEqual(emailsOf(page.text), emails, state);
    assert.match(page.text, new RegExp(`<option value="${state}" selected>`));
  }
  page = await p.client.get('/resellers?istate=accepted');
  assert.deepEqual(emailsOf(page.text), []);
  assert.match(textOf(page.text), /No invitations are accepted\. Show all invitations/);
  assert.equal((await p.client.get('/resellers?istate=everything')).status, 400);

  // Paging keeps the filter: 25 more open invitations.
  for (let i = 0; i < 25; i++) {
    db.exec(stack, `INSERT INTO reseller_invitations(provider_id, email, message, created_at, created_by, sent_at, expires_at)
      VALUES (?, ?, '', ?, NULL, ?, ?)`, p.accountId, `bulk${i}@inv-r.example`, X.now(), X.now(), X.now() + 86400);
  }
  page = await p.client.get('/resellers?istate=open');
  const next = /<a href="([^"]*ipage=2[^"]*)"/.exec(page.text);
  assert.ok(next, 'a second page of open invitations');
  assert.match(decode(next[1]), /istate=open/);
  const second = await p.client.get(decode(next[1]));
  const all = [...emailsOf(page.text), ...emailsOf(second.text)];
  assert.equal(all.length, 26);
  assert.ok(all.every((e) => e.startsWith('bulk') || e === 'open@inv-r.example'), 'only open ones, on both pages');

  // Resend and Revoke in the list are links to a confirmation, not one-click forms (the
  // first invitation is on the second page now).
  page = await p.client.get(decode(next[1]));
  assert.doesNotMatch(page.text, /<form method="post" action="\/resellers\/invitations\/(resend|revoke)\//);
  assert.match(page.text, new RegExp(`<a href="/resellers/invitations/revoke/${open.id}" aria-label="Revoke the invitation to open@inv-r.example">Revoke</a>`));
  const before = statusOf(open.id);
  const confirmRevoke = await p.client.get(`/resellers/invitations/revoke/${open.id}`);
  assert.equal(confirmRevoke.status, 200);
  assert.match(confirmRevoke.text, /<h1>Revoke the invitation to open@inv-r\.example\?<\/h1>/);
  assert.match(confirmRevoke.text, new RegExp(`<form method="post" action="/resellers/invitations/revoke/${open.id}">`));
  const confirmResend = await p.client.get(`/resellers/invitations/resend/${open.id}`);
  assert.match(confirmResend.text, /<h1>Resend the invitation to open@inv-r\.example\?<\/h1>/);
  assert.match(textOf(confirmResend.text), /Links in earlier emails stop working/);
  assert.deepEqual(statusOf(open.id), before, 'asking changes nothing');
  // Confirmed: done.
  const resent = await p.client.submit(`/resellers/invitations/resend/${open.id}`, {}, `/resellers/invitations/resend/${open.id}`);
  assert.equal(resent.status, 303);
  assert.equal(statusOf(open.id).status, 'pending');
  // A revoked invitation: nothing to confirm.
  const closed = await p.client.get(`/resellers/invitations/resend/${gone.id}`);
  assert.equal(closed.status, 409);
  assert.match(textOf(closed.text), /can no longer be sent/);
  // The invitation's own page links to the confirmations too.
  const one = await p.client.get(`/resellers/invitations/${open.id}`);
  assert.match(one.text, new RegExp(`<a class="button danger" href="/resellers/invitations/revoke/${open.id}">Revoke</a>`));
});

test('item 10: revoking a customer invitation asks first', async () => {
  const w = await C.custPair(stack, { prefix: 'invux' });
  X.publishAgreement(stack, 'invux-1', { ifNone: true });
  const inv = await C.custInvite(stack, w, 'cora@invux-cust.example');
  const page = await w.reseller.client.get(`/providers/customer-invitations/${inv.id}`);
  assert.doesNotMatch(page.text, /<form method="post" action="\/providers\/customer-invitations\/revoke\//);
  const ask = await w.reseller.client.get(`/providers/customer-invitations/revoke/${inv.id}`);
  assert.equal(ask.status, 200);
  assert.match(ask.text, /<h1>Revoke the customer invitation to cora@invux-cust\.example\?<\/h1>/);
  assert.equal(db.one(stack, 'SELECT status FROM customer_invitations WHERE id = ?', inv.id).status, 'pending');
  const res = await w.reseller.client.submit(`/providers/customer-invitations/revoke/${inv.id}`, {}, `/providers/customer-invitations/revoke/${inv.id}`);
  assert.equal(res.status, 303);
  assert.equal(db.one(stack, 'SELECT status FROM customer_invitations WHERE id = ?', inv.id).status, 'revoked');
  assert.equal((await w.reseller.client.get(`/providers/customer-invitations/revoke/${inv.id}`)).status, 409);
});
