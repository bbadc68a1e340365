// api-invite-checks.test.mjs — issue 13's checks before sending on the JSON API's invitation
// calls (issue 14): POST /api/v1/reseller-invitations and POST
// /api/v1/providers/{id}/customer-invitations run the decision the invite forms run
// (acceptance's rel_decide / cust_decide on the address's organization). A refusal is a 422
// problem with the form's sentence (nothing written or sent, audited); a warning is a 409
// problem listing the warnings unless the body says "confirm": true, the form's "Send it
// anyway"; "confirm" never overrides a refusal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { messages } from '../lib/mail.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as F from '../lib/fixtures.mjs';
import { credClient } from '../lib/api.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const cred = (tenant, roles) => credClient(stack, tenant, roles);

const resellerInvitations = () => Number(db.value(stack, 'SELECT count(*) FROM reseller_invitations'));
const customerInvitations = () => Number(db.value(stack, 'SELECT count(*) FROM customer_invitations'));

/** res is the check's answer (422 refused or 409 warned) and nothing was written or sent. */
function expectChecked(res, status, says, { rows, before, see = null }) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal(res.json.status, status);
  if (status === 422) {
    assert.match(res.json.detail, says);
    assert.deepEqual(res.json.errors.map((e) => e.field), ['email']);
    assert.match(res.json.errors[0].message, says);
    if (see) assert.equal(res.json.errors[0].see, `${stack.base}${see}`);
    assert.equal(res.json.warnings, undefined);
  } else {
    assert.match(res.json.detail, /"confirm": true/);
    assert.equal(res.json.warnings.length, 1);
    assert.match(res.json.warnings[0].message, says);
    assert.equal(res.json.warnings[0].see, see ? `${stack.base}${see}` : undefined);
  }
  assert.equal(rows(), before.rows, 'nothing written');
  assert.equal(messages(stack.mailDir).length, before.mail, 'nothing sent');
}

test('reseller invitations over the API: refused as the form refuses (422, audited), warned as it warns (409) until "confirm": true', async () => {
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'aic-p.example', org: 'Aic Provider' });
  const api = await cred(p.tenantId, ['account_admin']);
  const send = async (email, more = {}) => {
    const before = { rows: resellerInvitations(), mail: messages(stack.mailDir).length };
    return { res: await api.post('/api/v1/reseller-invitations', { email, ...more }), before };
  };
  const args = (before, see) => ({ rows: resellerInvitations, before, see });
  let { res, before } = await send('colleague@aic-p.example');
  expectChecked(res, 422, /your own organization/, args(before));
  const cust = await C.custOrg(stack, { domain: 'aic-cust.example', org: 'Aic Customer AG' });
  ({ res, before } = await send(`buyer@${cust.domain}`, { confirm: true }));
  expectChecked(res, 422, /Aic Customer AG, a customer organization/, args(before));
  const r = await R.relPartner(stack, { domain: 'aic-r.example', org: 'Aic Reseller' });
  C.relate(stack, p, r);
  ({ res, before } = await send(`ana@${r.domain}`, { confirm: true }));
  expectChecked(res, 422, /Aic Reseller is already your indirect reseller/, args(before, '/resellers'));
  assert.equal(F.auditCount(stack, { tenant_id: p.tenantId, action: 'invitation.send', outcome: 'refused', detail: 'checked before sending' }), 3);

  // warned: not an approved reseller yet; confirm must be a boolean; confirmed, sent
  const pending = await R.relPartner(stack, { domain: 'aic-pend.example', org: 'Aic Pending', status: 'in_review' });
  ({ res, before } = await send(`ana@${pending.domain}`));
  expectChecked(res, 409, /Aic Pending is not an approved indirect reseller yet/, args(before, '/enroll'));
  ({ res, before } = await send(`ana@${pending.domain}`, { confirm: false }));
  expectChecked(res, 409, /not an approved indirect reseller yet/, args(before, '/enroll'));
  res = (await send(`ana@${pending.domain}`, { confirm: 'yes' })).res;
  assert.equal(res.status, 422);
  assert.deepEqual(res.json.errors.map((e) => e.field), ['confirm']);
  ({ res, before } = await send(`ana@${pending.domain}`, { confirm: true }));
  assert.equal(res.status, 201, res.text);
  assert.equal(resellerInvitations(), before.rows + 1);
  // the agreement published, not accepted by the reseller: warned with the way to it
  F.publishAgreement(stack, 'aic-1');
  R.relAcceptAgreement(stack, p);
  const r2 = await R.relPartner(stack, { domain: 'aic-r2.example', org: 'Aic Second' });
  ({ res, before } = await send(`ana@${r2.domain}`));
  expectChecked(res, 409, /Aic Second has not accepted the current partner agreement \(aic-1\)/, args(before, '/agreement'));
  // an address of no known organization is not checked
  assert.equal((await send('someone@nowhere-known-aic.example')).res.status, 201);
});

test('customer invitations over the API: refused for the own organization and a customer already (422); warned for a partner work account and a missing agreement (409) until confirmed', async () => {
  const w = await C.custPair(stack, { prefix: 'aicc', providerOrg: 'AICC Distribution', resellerOrg: 'AICC Reselling' });
  R.relAcceptAgreement(stack, w.reseller);
  const api = await cred(w.reseller.tenantId, ['sales_agent']);
  const path = `/api/v1/providers/${w.rel}/customer-invitations`;
  const send = async (client, p, email, more = {}) => {
    const before = { rows: customerInvitations(), mail: messages(stack.mailDir).length };
    return { res: await client.post(p, { email, ...more }), before };
  };
  const args = (before, see) => ({ rows: customerInvitations, before, see });
  let { res, before } = await send(api, path, 'me@aicc-resell.example', { confirm: true });
  expectChecked(res, 422, /AICC Reselling/, args(before));
  const cust = await C.custOrg(stack, { domain: 'aicc-cust.example', org: 'AICC Customer AG' });
  await C.custRelate(stack, w, cust);
  ({ res, before } = await send(api, path, `other@${cust.domain}`, { confirm: true }));
  expectChecked(res, 422, /./, args(before, '/customers'));
  assert.equal(F.auditCount(stack, { tenant_id: w.reseller.tenantId, action: 'customer-invitation.send', outcome: 'refused' }), 2);

  // a partner's work account: warned; confirmed, sent
  const partner = await R.relPartner(stack, { domain: 'aicc-partner.example', org: 'AICC Partner GmbH' });
  ({ res, before } = await send(api, path, `buyer@${partner.domain}`));
  expectChecked(res, 409, /The recipient can still create a separate customer organization from the link/, args(before));
  ({ res, before } = await send(api, path, `buyer@${partner.domain}`, { confirm: true }));
  assert.equal(res.status, 201, res.text);
  assert.equal(customerInvitations(), before.rows + 1);
  // the reseller's own agreement not accepted (another pair): warned with the way to it
  const w2 = await C.custPair(stack, { prefix: 'aicd', providerOrg: 'AICD Distribution', resellerOrg: 'AICD Reselling' });
  F.publishAgreement(stack, 'aicd-1', { ifNone: true });
  const api2 = await cred(w2.reseller.tenantId);
  const path2 = `/api/v1/providers/${w2.rel}/customer-invitations`;
  ({ res, before } = await send(api2, path2, 'new@aicd-unknown.example'));
  expectChecked(res, 409, /has not accepted the current partner agreement/, args(before, '/agreement'));
  ({ res } = await send(api2, path2, 'new@aicd-unknown.example', { confirm: true }));
  assert.equal(res.status, 201, res.text);
});
