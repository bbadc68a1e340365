// write-failure-enroll.test.mjs — "Enroll now" when a write fails (issue 10): a trigger
// created with the sqlite3 shell makes one of the submission's writes fail — the status
// change in the middle, the email (the handler's last write), the audit entry (the last
// write of the request, at commit). Each time the answer is the 500 page with the request
// id, and nothing is half-written: no partner account, no legal profile, the draft as it
// was, no verification link, no "ok" audit entry, no email. Without the trigger the same
// submission succeeds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as testdb from '../lib/db.mjs';
import { errorsOf, textOf } from '../lib/http.mjs';
import { messages } from '../lib/mail.mjs';
import { PMC_CSV, importCsv, newCompany, linkMpn, profileFields, submitProfile } from '../lib/enroll.mjs';

const DOMAIN = 'woodgrove.example';
const CONTACT = `carla@${DOMAIN}`;

// This test's SQL, in one place, through tests/lib/db.mjs (values as `?` parameters).
function database(stack) {
  const rows = (text, ...params) => testdb.rows(stack, text, ...params);
  const exec = (text, ...params) => testdb.exec(stack, text, ...params);
  const tenant = '(SELECT id FROM tenants WHERE domain = ?)';
  return {
    /** Makes `event ON table` (only WHEN when, if given) fail until clear(). */
    inject(table, event, when = '') {
      exec(`CREATE TRIGGER injected_failure BEFORE ${event} ON ${table}${when ? ` WHEN ${when}` : ''}`
        + " BEGIN SELECT RAISE(ABORT, 'injected'); END");
    },
    clear() { exec('DROP TRIGGER IF EXISTS injected_failure'); },
    /** Everything "Enroll now" writes, for the organization of DOMAIN. */
    written() {
      return {
        accounts: rows(`SELECT id, type, status, submitted_at FROM partner_accounts WHERE tenant_id = ${tenant}`, DOMAIN),
        legal: rows(`SELECT * FROM legal_profiles WHERE tenant_id = ${tenant}`, DOMAIN),
        draft: rows(`SELECT fields, pmc_id, updated_at FROM enrollment_drafts WHERE tenant_id = ${tenant}`, DOMAIN),
        links: rows('SELECT id FROM link_tokens WHERE purpose = ?', 'verify-contact'),
        audit: rows('SELECT id FROM audit WHERE action = ? AND outcome = ?', 'enrollment.submit', 'ok'),
        outbox: rows('SELECT id FROM outbox WHERE to_addr = ?', CONTACT),
      };
    },
  };
}

let stack, db;
before(async () => {
  stack = await startStack();
  db = database(stack);
  const r = importCsv(stack, PMC_CSV);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  db.clear();
  await stopChecked(stack);
});

/** The 500 page: its request id in the header, on the page and in the log with the rollback
 * (a failed statement of the handler, or a commit refused after the audit entry failed). */
async function assertFailed(res) {
  assert.equal(res.status, 500, errorsOf(res.text).join('; '));
  assert.equal(res.location, undefined, 'no redirect to a success page');
  const rid = res.headers['x-request-id'];
  assert.match(rid, /^[0-9a-f]{16}$/);
  assert.match(textOf(res.text), new RegExp(`Error 500 · Request ID ${rid}`));
  assert.doesNotMatch(textOf(res.text), /submitted/i);
  const log = await stack.waitForLog(`rid=${rid} POST ENROLL_PROFILE_POST 500`);
  assert.match(log, new RegExp(`rid=${rid} (a database statement failed: rolled back, answering 500|commit failed)`));
}

test('Enroll now: a failing write answers 500 and leaves nothing half-written; without it the same submission succeeds', async () => {
  const c = await newCompany(stack, { domain: DOMAIN });
  let r = await linkMpn(c, { mpn: '6100001' });
  assert.equal(r.status, 303);
  const fields = profileFields(DOMAIN);
  // Back: the entered profile is kept in the draft (so there is a draft worth keeping).
  r = await c.submit('/enroll/profile', { ...fields, action: 'back' });
  assert.equal(r.status, 303);
  const before = db.written();
  assert.deepEqual(before.accounts, []);
  assert.deepEqual(before.legal, []);
  assert.equal(before.draft.length, 1);
  assert.match(before.draft[0].fields, /legal_name=Woodgrove/);
  assert.deepEqual([before.links, before.audit, before.outbox], [[], [], []]);
  const mailBefore = messages(stack.mailDir).length;

  const failures = [
    ['the status change', 'partner_accounts', 'UPDATE OF status'],
    ['the email, the handler\'s last write', 'outbox', 'INSERT'],
    ['the audit entry, written at commit', 'audit', 'INSERT', "NEW.action = 'enrollment.submit' AND NEW.outcome = 'ok'"],
  ];
  for (const [what, table, event, when] of failures) {
    db.inject(table, event, when);
    try {
      await assertFailed(await submitProfile(c, fields));
    } finally {
      db.clear();
    }
    assert.deepEqual(db.written(), before, `nothing half-written when ${what} fails`);
    assert.equal(messages(stack.mailDir).length, mailBefore, `no email when ${what} fails`);
    // The organization is where it was: the form opens again, with the draft's values.
    r = await c.get('/enroll/profile');
    assert.equal(r.status, 200);
    assert.match(r.text, /value="Bankplatz 1"/);
  }

  // Without an injected failure, the same submission goes through.
  r = await submitProfile(c, fields);
  assert.equal(r.status, 303, errorsOf(r.text).join('; '));
  assert.equal(r.location, '/enroll?m=enroll-submitted');
  const now = db.written();
  assert.equal(now.accounts.length, 1);
  assert.equal(now.accounts[0].status, 'pending_verification');
  assert.equal(now.legal[0].legal_name, 'Woodgrove Bank GmbH');
  assert.equal(now.legal[0].contact_verified_at, null);
  assert.deepEqual(now.draft, []);
  assert.equal(now.links.length, 1);
  assert.equal(now.audit.length, 1);
  assert.equal(now.outbox.length, 1);
  const mail = messages(stack.mailDir).filter((m) => m.to === CONTACT);
  assert.equal(mail.length, 1);
  assert.match(mail[0].subject, /Verify your email address/);
});
