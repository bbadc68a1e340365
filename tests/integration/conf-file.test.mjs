// conf-file.test.mjs — issue 15, item 4 and "one configuration file": portalctl init writes
// <data>/portal.conf (base URL and names) when no settings file is in use; portal.fcgi and
// portalctl read it (the environment wins) and so email the same base URL; both binaries find
// the checkout's templates from any directory; --help shows where each value comes from
// (never PORTAL_DB's value); a missing template directory is exit 3, not "refused by a rule".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, stopChecked, PORTAL_BIN, PORTALCTL_BIN } from '../lib/stack.mjs';
import { Client } from '../lib/http.mjs';
import { waitForMail } from '../lib/mail.mjs';
import { newCompany, profileFields, submitProfile, verifyLink, openLink, partnerAccount } from '../lib/enroll.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** Runs a binary from a directory outside the checkout with only PATH and env. */
function run(bin, args, env, cwd = tmpdir()) {
  const r = spawnSync(bin, args, { env: { PATH: process.env.PATH, ...env }, cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The "now:" line under setting name in --help output: [value, source]. */
function nowOf(help, name) {
  const m = new RegExp(`^  ${name} .*\\n.*default: .*\\n +now: (.*) \\(from (the environment|the settings file|the default)\\)$`, 'm').exec(help);
  assert.ok(m, `no value line for ${name}`);
  return [m[1], m[2]];
}

test('init writes <data>/portal.conf once; both binaries read it from any directory; --help names each source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-conf15-'));
  try {
    const data = join(dir, 'data');
    const init = run(PORTALCTL_BIN, ['init'], { PORTAL_DATA: data, PORTAL_BASE_URL: 'https://partners.example.test', PORTAL_PRODUCT_NAME: 'Fabrikam Partners' });
    assert.equal(init.code, 0, init.err);
    const file = join(data, 'portal.conf');
    assert.match(init.out, new RegExp(`settings file ${file} written`));
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^PORTAL_BASE_URL="https:\/\/partners\.example\.test"$/m);
    assert.match(text, /^PORTAL_PRODUCT_NAME="Fabrikam Partners"$/m);
    for (const n of ['PORTAL_VENDOR_NAME', 'PORTAL_PROGRAM_NAME', 'PORTAL_AGREEMENT_NAME']) assert.match(text, new RegExp(`^${n}=".+"$`, 'm'));
    assert.doesNotMatch(text, /PORTAL_DB|PORTAL_DATA/);
    assert.equal(statSync(file).mode & 0o777 & 0o022, 0, 'not writable by others');
    // Again: the file is in use, nothing is written over it.
    const again = run(PORTALCTL_BIN, ['init'], { PORTAL_DATA: data, PORTAL_BASE_URL: 'https://other.example.test' });
    assert.equal(again.code, 0, again.err);
    assert.doesNotMatch(again.out, /written/);
    assert.equal(readFileSync(file, 'utf8'), text);

    for (const [bin, args] of [[PORTALCTL_BIN, ['help']], [PORTAL_BIN, ['--help']]]) {
      const h = run(bin, args, { PORTAL_DATA: data, PORTAL_THREADS: '3', PORTAL_DB: 'postgresql://portal:s3cret-pw@db.example.test/portal' });
      assert.equal(h.code, 0, h.err);
      assert.match(h.out, new RegExp(`settings file: ${file}$`, 'm'));
      assert.deepEqual(nowOf(h.out, 'PORTAL_BASE_URL'), ['https://partners.example.test', 'the settings file']);
      assert.deepEqual(nowOf(h.out, 'PORTAL_PRODUCT_NAME'), ['Fabrikam Partners', 'the settings file']);
      assert.deepEqual(nowOf(h.out, 'PORTAL_THREADS'), ['3', 'the environment']);
      assert.deepEqual(nowOf(h.out, 'PORTAL_MAIL'), ['spool', 'the default']);
      assert.deepEqual(nowOf(h.out, 'PORTAL_DB'), ['(set, not shown)', 'the environment']);
      assert.doesNotMatch(h.out, /s3cret-pw/, 'PORTAL_DB is never printed');
      // the templates: the checkout's, wherever the binary is run from
      assert.match(nowOf(h.out, 'PORTAL_TEMPLATES')[0], /\/templates$/);
    }
    // The environment wins over the file.
    const env = run(PORTALCTL_BIN, ['help'], { PORTAL_DATA: data, PORTAL_BASE_URL: 'https://env.example.test' });
    assert.deepEqual(nowOf(env.out, 'PORTAL_BASE_URL'), ['https://env.example.test', 'the environment']);
    // portal.fcgi --check from another directory: settings, templates, keys, database all found.
    const check = run(PORTAL_BIN, ['--check'], { PORTAL_DATA: data });
    assert.equal(check.code, 0, check.err + check.out);
    // portalctl from another directory, without PORTAL_TEMPLATES: a command that loads the templates works.
    const list = run(PORTALCTL_BIN, ['mail', 'list'], { PORTAL_DATA: data });
    assert.equal(list.code, 0, list.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing template directory or data directory is exit 3 (the installation), not 1 (refused by a rule)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-conf15-'));
  try {
    const r = run(PORTALCTL_BIN, ['mail', 'list'], { PORTAL_DATA: join(dir, 'data'), PORTAL_TEMPLATES: join(dir, 'no-templates') });
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /no-templates/);
    const help = run(PORTALCTL_BIN, ['help'], {});
    assert.match(help.out, /Exit codes: 0 success, 1 refused by a rule or failed .*2 usage or a\s+wrong setting, 3 the installation/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('portalctl emails the base URL of the settings file: the approval email links to the portal', async () => {
  const file = join(stack.data, 'portal.conf');
  assert.ok(existsSync(file), 'the harness\'s portalctl init wrote it');
  assert.match(readFileSync(file, 'utf8'), new RegExp(`^PORTAL_BASE_URL="${stack.base}"$`, 'm'));
  const domain = 'conf-approve.example';
  const c = await newCompany(stack, { org: 'Conf Approve', domain });
  let r = await submitProfile(c, profileFields(domain));
  assert.equal(r.status, 303);
  const link = await verifyLink(stack, `carla@${domain}`);
  const v = new Client(stack.base);
  r = await openLink(v, link);
  r = await v.submit('/verify', { t: /name="t" value="([^"]+)"/.exec(r.text)[1], confirm_signup: 'yes', confirm_company: 'yes' });
  assert.equal(r.status, 303);
  // portalctl as an operator runs it: from another directory, without the portal's environment
  // but for the data directory (and the test's database).
  const env = { PORTAL_DATA: stack.data, ...(stack.env.PORTAL_DB ? { PORTAL_DB: stack.env.PORTAL_DB } : {}) };
  const ok = run(PORTALCTL_BIN, ['approve', String(partnerAccount(stack, domain)[0].id)], env);
  assert.equal(ok.code, 0, ok.err);
  const mail = await waitForMail(stack.mailDir, { to: `carla@${domain}`, subject: 'is approved' });
  assert.match(mail.body, new RegExp(`^${stack.base.replace(/[.]/g, '\\.')}/`, 'm'));
  assert.doesNotMatch(mail.body, /127\.0\.0\.1:8080/);
});
