// time-zones.test.mjs — a time zone per user (issue 15, item 13), through nginx: every time on
// a page is in the reader's zone with its abbreviation ("05 Mar 2026, 15:03 CET"); the zone is
// the user's choice on Your account, else the first zone of the organization's country, else
// UTC; an unknown zone is the form again (422) with the message beside the field and nothing
// written; a change is audited; an email shows its times in the recipient user's zone, and in
// UTC to an address without a user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { Client, textOf } from '../lib/http.mjs';
import { addUser, newestMail, mailTo } from '../lib/users.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import { newOperator } from '../lib/operators.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

const TIME = /\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d ([A-Z]+(?:[+-]\d+(?::\d\d)?)?)/g;
/** The zone abbreviations of every time in text ("CET", "UTC", "GMT+9"). */
const zonesIn = (text) => [...textOf(text).matchAll(TIME)].map((m) => m[1]);
const zoneOf = (email) => db.value(stack, 'SELECT time_zone FROM users WHERE email = ?', email);
const zoneAudits = (email) => db.rows(stack, "SELECT target, outcome FROM audit WHERE action = 'account.time-zone' AND actor = ? ORDER BY id", email);

/** The time zone select of /account: { options, selected, default, error }. */
function zoneForm(html) {
  const select = /<select id="f-time_zone"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)];
  return {
    values: options.map((o) => o[1]),
    selected: options.filter((o) => o[2]).map((o) => o[1]),
    defaultText: options[0]?.[3],
    error: /<p class="error" id="f-time_zone-error">([\s\S]*?)<\/p>/.exec(html)?.[1],
  };
}

test('the default is the organization\'s country\'s first zone: a user in Poland reads CET/CEST on Your account and the audit log', async () => {
  const c = new Client(stack.base);
  await c.signup({ domain: 'tzpl.example', email: 'ana@tzpl.example', country: 'PL' });
  assert.equal(zoneOf('ana@tzpl.example'), null, 'nothing chosen');
  const page = await c.get('/account');
  assert.equal(page.status, 200);
  const form = zoneForm(page.text);
  assert.equal(form.defaultText, 'Default: Europe/Warsaw (the country of your organization)');
  assert.deepEqual(form.selected, [''], 'the default is selected');
  assert.ok(form.values.includes('Europe/Warsaw') && form.values.includes('America/New_York') && form.values.includes('UTC'));
  assert.ok(form.values.length > 300, `${form.values.length} zones`);
  // The sessions list: signed in and last seen, in Warsaw's time with its abbreviation.
  const sessions = /<table class="sessions">[\s\S]*?<\/table>/.exec(page.text)[0];
  const zones = zonesIn(sessions);
  assert.equal(zones.length, 2, textOf(sessions));
  for (const z of zones) assert.match(z, /^CES?T$/);
  // The audit log (the sign-up's rows).
  const audit = await c.get('/settings/audit');
  assert.equal(audit.status, 200);
  const az = zonesIn(audit.text);
  assert.ok(az.length > 0);
  for (const z of az) assert.match(z, /^CES?T$/, textOf(audit.text));
  // An organization in Sweden: Stockholm; one whose country has no zone of its own in ICU's
  // list would read UTC (the unit test tz covers it).
  const se = new Client(stack.base);
  await se.signup({ domain: 'tzse.example', email: 'ana@tzse.example', country: 'SE' });
  assert.equal(zoneForm((await se.get('/account')).text).defaultText, 'Default: Europe/Stockholm (the country of your organization)');
});

test('a user chooses a zone: every page follows it, the change is audited, and back to the default', async () => {
  const c = new Client(stack.base);
  await c.signup({ domain: 'tzny.example', email: 'ana@tzny.example', country: 'DE' });
  let res = await c.submit('/account/time-zone', { time_zone: 'America/New_York' }, '/account');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/account?m=time-zone-saved');
  assert.equal(zoneOf('ana@tzny.example'), 'America/New_York');
  const page = await c.get('/account?m=time-zone-saved');
  assert.match(textOf(page.text), /Your time zone has been saved/);
  assert.deepEqual(zoneForm(page.text).selected, ['America/New_York']);
  for (const z of zonesIn(/<table class="sessions">[\s\S]*?<\/table>/.exec(page.text)[0])) assert.match(z, /^ED?T$|^EST$/);
  const audit = await c.get('/settings/audit');
  assert.match(textOf(audit.text), /changed the time zone to America\/New_York/);
  for (const z of zonesIn(audit.text)) assert.match(z, /^E[SD]T$/);
  assert.deepEqual(zoneAudits('ana@tzny.example'), [{ target: 'America/New_York', outcome: 'ok' }]);
  // Summer time on a page: an invitation valid until 3 July 2027, 14:03 UTC reads 16:03 CEST
  // for a user in Warsaw (and 10:03 EDT in New York).
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'tzprov.example', country: 'PL' });
  const inv = await R.relInvite(stack, p, 'new@tzinvitee.example');
  db.exec(stack, 'UPDATE reseller_invitations SET expires_at = ? WHERE id = ?', 1814623380, inv.id);
  const detail = await p.client.get(`/resellers/invitations/${inv.id}`);
  assert.equal(detail.status, 200);
  assert.match(textOf(detail.text), /03 Jul 2027, 16:03 CEST/);
  // Back to the default (empty): NULL stored, Berlin's time again.
  res = await c.submit('/account/time-zone', { time_zone: '' }, '/account');
  assert.equal(res.status, 303);
  assert.equal(zoneOf('ana@tzny.example'), null);
  assert.deepEqual(zoneForm((await c.get('/account')).text).selected, ['']);
  assert.deepEqual(zoneAudits('ana@tzny.example').map((a) => a.target), ['America/New_York', 'the default (Europe/Berlin)']);
  for (const z of zonesIn((await c.get('/settings/audit')).text)) assert.match(z, /^CES?T$/);
});

test('an unknown zone is the form again with the message beside the field, 422, and nothing written', async () => {
  const c = new Client(stack.base);
  await c.signup({ domain: 'tzbad.example', email: 'ana@tzbad.example', country: 'DE' });
  assert.equal((await c.submit('/account/time-zone', { time_zone: 'Asia/Tokyo' }, '/account')).status, 303);
  for (const bad of ['Mars/Olympus', 'europe/warsaw', '../etc/passwd', 'A/' + 'x'.repeat(80), 'GMT+1']) {
    const res = await c.submit('/account/time-zone', { time_zone: bad }, '/account');
    assert.equal(res.status, 422, JSON.stringify(bad));
    const form = zoneForm(res.text);
    assert.ok(form.error, `a message beside the field for ${JSON.stringify(bad)}`);
    assert.match(res.text, /aria-invalid="true" aria-describedby="f-time_zone-error f-time_zone-help"/);
    assert.equal(zoneOf('ana@tzbad.example'), 'Asia/Tokyo', 'nothing written');
  }
  assert.match(zoneForm((await c.submit('/account/time-zone', { time_zone: 'Mars/Olympus' }, '/account')).text).error, /Choose a time zone from the list/);
  assert.equal(zoneAudits('ana@tzbad.example').length, 1, 'only the one change');
  // The page's times stay in Tokyo's zone (ICU names it by its offset in English).
  for (const z of zonesIn((await c.get('/account')).text)) assert.equal(z, 'GMT+9');
});

test('emails: a time in the recipient user\'s zone, UTC to an address without a user', async () => {
  const ga = new Client(stack.base);
  await ga.signup({ domain: 'tzmail.example', email: 'ga@tzmail.example', country: 'PL' });
  // The Global admin reads New York time; the new user (Warsaw by default) gets Warsaw's.
  assert.equal((await ga.submit('/account/time-zone', { time_zone: 'America/New_York' }, '/account')).status, 303);
  const { id } = await addUser(ga, { name: 'Nora New', email: 'nora@tzmail.example', roles: ['sales_agent'] });
  let msg = await newestMail(stack, 'nora@tzmail.example');
  assert.match(msg.body, /expires in 7 days \(\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T\)/, msg.body);
  // Nora chooses Kolkata (as if on her account page); the next email says IST.
  db.exec(stack, 'UPDATE users SET time_zone = ? WHERE email = ?', 'Asia/Kolkata', 'nora@tzmail.example');
  const seen = mailTo(stack, 'nora@tzmail.example').length;
  assert.equal((await ga.submit(`/settings/users/${id}/password`, {}, `/settings/users/${id}/password`)).status, 303);
  msg = await newestMail(stack, 'nora@tzmail.example', seen);
  assert.match(msg.body, /\(\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d IST\)/, msg.body);
  // An invitation to an address without a user: UTC, whatever the sender's zone.
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'tzmailprov.example', country: 'PL' });
  assert.equal((await p.client.submit('/account/time-zone', { time_zone: 'Asia/Tokyo' }, '/account')).status, 303);
  const inv = await R.relInvite(stack, p, 'someone@tzelsewhere.example');
  assert.match(inv.mail.body, /\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC/, inv.mail.body);
  assert.doesNotMatch(inv.mail.body, /GMT\+9|CES?T/);
});

test('the console: an operator reads UTC until they choose a zone (the program team has no country of its own)', async () => {
  const op = await newOperator(stack, { role: 'reviewer' });
  const zonesOnList = async () => zonesIn((await op.c.get('/operator/audit')).text);
  let z = await zonesOnList();
  assert.ok(z.length > 0, 'the program audit log shows the sign-ins');
  for (const x of z) assert.equal(x, 'UTC');
  const form = await op.c.get('/operator/time-zone');
  assert.equal(form.status, 200);
  assert.equal(zoneForm(form.text).defaultText, 'Default: UTC');
  assert.equal((await op.c.submit('/operator/time-zone', { time_zone: 'Mars/Olympus' }, '/operator/time-zone')).status, 422);
  const res = await op.c.submit('/operator/time-zone', { time_zone: 'Europe/Warsaw' }, '/operator/time-zone');
  assert.equal(res.status, 303);
  assert.equal(res.location, '/operator/time-zone?m=time-zone-saved');
  assert.equal(zoneOf(op.email), 'Europe/Warsaw');
  z = await zonesOnList();
  assert.ok(z.length > 0);
  for (const x of z) assert.match(x, /^CES?T$/);
});
