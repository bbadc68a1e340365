// enroll.mjs — helpers for the enrollment tests: the PMC directory, the enrollment steps
// through the real pages, and the mail they send.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import { Client, errorsOf } from './http.mjs';
import { waitForMail, linkIn, messages } from './mail.mjs';

/** The PMC copy most tests use: Woodgrove (DE) with a good, a foreign and an inactive profile. */
export const PMC_CSV = [
  'pmc_username,pmc_password,mpn_id,company_name,country,status',
  'pmc@woodgrove.example,Woodgrove-PMC-2025,6100001,Woodgrove Bank GmbH,DE,active',
  'pmc@woodgrove.example,,6100002,Woodgrove Bank Inc.,US,active',
  'pmc@woodgrove.example,,6100003,Woodgrove Leasing GmbH,DE,inactive',
  'pmc@contoso.example,Contoso-PMC-2025,7100001,Contoso GmbH,DE,active',
  'pmc@contoso.example,,6100001,Woodgrove Bank GmbH,DE,active',
  'pmc@fourth.example,Fourth-PMC-2025,7200001,Fourth Coffee GmbH,DE,active',
  '',
].join('\n');

/** Runs portalctl mpn import on csv text; returns the ctl result. */
export function importCsv(stack, csv, name = 'pmc.csv') {
  const file = join(stack.data, name);
  writeFileSync(file, csv);
  return stack.ctl('mpn', 'import', file);
}

/** A new organization (Create one, coming from the enrollment), signed in as its Global admin. */
export async function newCompany(stack, { org = 'Woodgrove Bank', domain = 'woodgrove.example', country = 'DE', email = `ana@${domain}`, name = 'Ana Admin' } = {}) {
  const c = new Client(stack.base);
  const res = await c.signup({ org, domain, country, name, email, password: 'correct horse battery', next: '/enroll/account' });
  assert.equal(res.status, 303, errorsOf(res.text).join('; '));
  assert.equal(res.location, '/enroll/account');
  c.email = email;
  return c;
}

/** PMC user name -> Next -> password -> Sign in -> pick mpn -> Continue; returns the last answer. */
export async function linkMpn(c, { user = 'pmc@woodgrove.example', password = 'Woodgrove-PMC-2025', mpn = '6100001', base = '/enroll/mpn' } = {}) {
  let r = await c.submit(base, { pmc_user: user });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${base}/password`);
  r = await c.submit(`${base}/password`, { pmc_password: password });
  assert.equal(r.status, 303, `PMC sign-in: ${r.status} ${errorsOf(r.text)}`);
  assert.equal(r.location, `${base}/profiles`);
  return c.submit(`${base}/profiles`, { mpn_id: mpn });
}

/** A complete, valid legal business profile. */
export function profileFields(domain = 'woodgrove.example', over = {}) {
  return {
    legal_name: 'Woodgrove Bank GmbH',
    address1: 'Bankplatz 1',
    address2: '',
    city: 'Frankfurt am Main',
    state: 'Hessen',
    postal_code: '60311',
    contact_first: 'Carla',
    contact_last: 'Contact',
    contact_email: `carla@${domain}`,
    contact_phone: '+49 69 555 0100',
    support_email: `support@${domain}`,
    support_phone: '+49 (69) 555-0199',
    support_website: `https://support.${domain}`,
    ...over,
  };
}

export function submitProfile(c, fields) {
  return c.submit('/enroll/profile', { ...fields, action: 'enroll' });
}

/** The newest message to `to` whose subject matches. */
export function mailTo(stack, to, subject) {
  return waitForMail(stack.mailDir, { to, subject });
}

/** The /verify link in the newest verification email to `to`. */
export async function verifyLink(stack, to) {
  const all = messages(stack.mailDir).filter((m) => m.to === to && /Verify your email/.test(m.subject));
  assert.ok(all.length > 0, `no verification email to ${to}`);
  return linkIn(all[all.length - 1], '/verify?t=');
}

/** Opens a verification link like a browser (the landing redirect keeps the token in a cookie). */
export async function openLink(c, link) {
  const u = new URL(link);
  const r = await c.get(u.pathname + u.search);
  assert.equal(r.status, 303);
  assert.equal(r.location, u.pathname);
  return c.get(u.pathname);
}

/** The partner account rows of the organization with primary domain `domain`. */
export function partnerAccount(stack, domain) {
  return F.partnerAccountsOf(stack, domain);
}
