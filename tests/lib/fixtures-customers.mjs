// fixtures-customers.mjs — partners and customers for the customer and order tests (SPEC §2.6),
// on top of fixtures-relationships.mjs: a provider and a reseller related the quick way (rows
// written by the fixture writers of fixtures.mjs), then the real pages for what this issue
// builds: Invite new customers, the /customer-invite landing page, Create one, Accept, Place
// order. Offers for the order tests: testOffers() in fixtures.mjs.
//
//   const w = await custPair(stack, { prefix: 'a', country: 'DE' });   // w.provider, w.reseller, w.rel
//   const inv = await custInvite(stack, w, 'ga@customer.example');      // { id, link, mail, res }
//   await custOpen(client, inv.link);  const res = await custAccept(client);
//   const { w, cust } = await custOrderWorld(stack, { prefix: 'o', customer: { domain }, agreement: 'v1' });
import { Client, errorsOf, csrfOf } from './http.mjs';
import * as db from './db.mjs';
import { messages, waitForMail, linkIn } from './mail.mjs';
import * as F from './fixtures-relationships.mjs';
import * as X from './fixtures.mjs';

/** Relates provider p with reseller r (partner objects of relPartner); returns the relationship id. */
export function relate(stack, p, r) {
  return X.relate(stack, p.accountId, r.accountId);
}

/**
 * An approved indirect provider and an approved indirect reseller (both with an MPN ID and a
 * signed-in Global admin) in `country` / `resellerCountry`, related. Returns { provider,
 * reseller, rel }.
 */
export async function custPair(stack, { prefix, country = 'DE', resellerCountry = 'FR', providerOrg, resellerOrg } = {}) {
  const provider = await F.relPartner(stack, { type: 'indirect_provider', domain: `${prefix}-dist.example`, country,
    org: providerOrg ?? `${prefix.toUpperCase()} Distribution`, supportEmail: `partners@${prefix}-dist.example` });
  const reseller = await F.relPartner(stack, { domain: `${prefix}-resell.example`, country: resellerCountry,
    org: resellerOrg ?? `${prefix.toUpperCase()} Reselling`, supportEmail: `help@${prefix}-resell.example` });
  return { provider, reseller, rel: relate(stack, provider, reseller) };
}

/** A customer organization (tenant kind customer) with a signed-in Global admin. */
export function custOrg(stack, { domain, country = 'DE', org, email } = {}) {
  return F.relPartner(stack, { type: null, kind: 'customer', domain, country, org, email, mpn: false });
}

/**
 * The reseller of w invites `email` under w's provider. Returns { res, id, link, mail } (the
 * emailed /customer-invite link, the invitation row).
 */
export async function custInvite(stack, w, email, { message = '', delegated = true, client = w.reseller.client } = {}) {
  const before = messages(stack.mailDir).length;
  // send_anyway: past the warnings of the checks before sending (issue 13; invite-checks.test.mjs tests them)
  const fields = { email, message, send_anyway: 'yes' };
  if (delegated) fields.delegated_admin = 'yes';
  const res = await client.submit(`/providers/${w.rel}/invite-customer`, fields);
  if (res.status !== 303) throw new Error(`invite failed: ${res.status} ${errorsOf(res.text).join('; ')}`);
  const id = Number(/\/providers\/customer-invitations\/(\d+)/.exec(res.location)[1]);
  const mail = await waitForMail(stack.mailDir, { to: email.toLowerCase(), after: before });
  return { res, id, link: linkIn(mail, '/customer-invite'), mail };
}

/** The path and query of an absolute portal link. */
export const pathOf = (link) => { const u = new URL(link); return u.pathname + u.search; };
export const tokenOf = (link) => new URL(link).searchParams.get('t');

/** Follows the link as `client` (landing → /customer-invite without the token); returns the page. */
export async function custOpen(client, link) {
  const land = await client.get(pathOf(link));
  if (land.status !== 303 || land.location !== '/customer-invite') throw new Error(`landing: ${land.status} ${land.location}`);
  return client.get('/customer-invite');
}

/** POSTs /customer-invite (the CSRF token from a page that audits nothing) with the landing cookie or t. */
export function custAccept(client, fields = { confirm: 'yes' }) {
  return client.submit('/customer-invite', fields, '/find-a-provider');
}

/**
 * Create one from the link: a new customer organization that accepts the invitation in the
 * same step (confirm: the check box); the client ends up signed in to it.
 */
export function custNewOrg(client, { org, domain, country = 'DE', name = 'Cora Customer', email, password = F.REL_PASSWORD, confirm = true }) {
  const fields = { org, domain, country, name, email, password, password2: password };
  if (confirm) fields.confirm = 'yes';
  return client.submit('/customer-invite/new', fields);
}

/**
 * Makes customer `c` (a custOrg) a customer of the reseller and provider of w through the real
 * flow (invite, open, accept). Returns the invitation.
 */
export async function custRelate(stack, w, c) {
  const inv = await custInvite(stack, w, c.email);
  await custOpen(c.client, inv.link);
  const res = await custAccept(c.client);
  if (res.status !== 303) throw new Error(`accept failed: ${res.status}`);
  return inv;
}

/**
 * A world to order in: a custPair (pair: its options) and a custOrg (customer: its options)
 * related through the real flow, and agreement version `agreement` published and accepted by
 * the provider and, unless resellerAccepts is false, by the reseller. Returns { w, cust }.
 */
export async function custOrderWorld(stack, { customer, agreement, resellerAccepts = true, ...pair }) {
  const w = await custPair(stack, pair);
  const cust = await custOrg(stack, customer);
  await custRelate(stack, w, cust);
  X.publishAgreement(stack, agreement);
  F.relAcceptAgreement(stack, w.provider);
  if (resellerAccepts) F.relAcceptAgreement(stack, w.reseller);
  return { w, cust };
}

/** The order form's fields (its one-time key included) for customer id as provider client. */
export async function orderForm(client, customer, reseller) {
  const page = await client.get(`/customers/${customer}/order${reseller ? `?reseller=${reseller}` : ''}`);
  if (page.status !== 200) throw new Error(`order form: ${page.status}`);
  const key = /name="order_key" value="([^"]*)"/.exec(page.text)[1];
  return { page, key, csrf: csrfOf(page.text) };
}

/** Places an order as `client` (a provider's user); fields: reseller, mpn_id, offer, quantity, order_key. */
export async function placeOrder(client, customer, fields) {
  const form = fields.order_key ? null : await orderForm(client, customer, fields.reseller);
  const csrf = form ? form.csrf : csrfOf((await client.get('/find-a-provider')).text);
  return client.post(`/customers/${customer}/order`, { csrf, order_key: form?.key, ...fields });
}

/** Counts that a refused action must leave as they were. */
export function custCounts(stack) {
  const r = db.one(stack, `SELECT (SELECT count(*) FROM customer_relationships) AS rels,
    (SELECT count(*) FROM customer_invitations WHERE status = 'accepted') AS accepted,
    (SELECT count(*) FROM subscriptions) AS subs, (SELECT count(*) FROM tenants) AS tenants,
    (SELECT count(*) FROM outbox) AS mail`);
  return { rels: Number(r.rels), accepted: Number(r.accepted), subs: Number(r.subs), tenants: Number(r.tenants), mail: Number(r.mail) };
}

export { Client };
