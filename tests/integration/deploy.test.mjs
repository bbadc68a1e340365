// deploy.test.mjs — what an installed portal's operator uses (issue 16): the settings file
// (PORTAL_CONF: NAME=value lines under the environment), `portalctl doctor` (checks a
// deployment and says what to fix, changing nothing) and `portalctl backup --dir --keep`
// (the daily timer's backup with its retention count). The checkout's binaries, each test
// with data directories of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, PORTAL_BIN, PORTALCTL_BIN } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';

const isRoot = process.getuid() === 0;
const baseEnv = { PATH: process.env.PATH, PORTAL_TEMPLATES: join(ROOT, 'templates') };

function ctl(env, ...args) {
  const r = spawnSync('sh', ['-c', 'umask 077; exec "$@"', 'sh', PORTALCTL_BIN, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('settings file: PORTAL_CONF lines are read, the environment wins, quotes go, an unknown name or a missing named file refuses to start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-conf-'));
  try {
    const data = join(dir, 'from-file');
    const conf = join(dir, 'portal.conf');
    writeFileSync(conf, `# a comment\n\n  PORTAL_DATA = ${data}  \nPORTAL_BASE_URL="https://partners.example.com"\nPORTAL_MAIL_FROM='Partner Center <p@example.com>'\n`);
    const r = ctl({ PORTAL_CONF: conf }, 'init');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`data directory ${data} ready`));
    assert.ok(existsSync(join(data, 'portal.db')), 'PORTAL_DATA from the file');
    const d = ctl({ PORTAL_CONF: conf }, 'doctor', '--nginx-user', 'root');
    assert.match(d.out, /^ok {4}base URL https:\/\/partners\.example\.com$/m, 'the quotes are not part of the value');
    // the environment overrides the file
    const other = join(dir, 'from-env');
    const e = ctl({ PORTAL_CONF: conf, PORTAL_DATA: other }, 'init');
    assert.equal(e.code, 0, e.err);
    assert.ok(existsSync(join(other, 'portal.db')));
    // a name that is not a setting, a line without =, a PORTAL_CONF inside: refused with file:line
    for (const [text, line, what] of [['PORTAL_THREADS=2\nPORTAL_DTA=/x\n', 2, /PORTAL_DTA is not a setting/],
      ['PORTAL_THREADS 2\n', 1, /expected NAME=value/], ['PORTAL_CONF=/etc/x\n', 1, /PORTAL_CONF is not a setting/]]) {
      writeFileSync(conf, text);
      const bad = ctl({ PORTAL_CONF: conf }, 'init');
      assert.equal(bad.code, 2, text);
      assert.match(bad.err, new RegExp(`${conf}:${line}: `));
      assert.match(bad.err, what);
      const fcgi = spawnSync(PORTAL_BIN, ['--check'], { env: { ...baseEnv, PORTAL_CONF: conf }, encoding: 'utf8' });
      assert.equal(fcgi.status, 2, 'portal.fcgi refuses it too');
    }
    const gone = ctl({ PORTAL_CONF: join(dir, 'nope.conf') }, 'init');
    assert.equal(gone.code, 2);
    assert.match(gone.err, /nope\.conf: No such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('portalctl backup --dir --keep: a checked copy named by time, only the newest N kept, other files untouched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-backup-'));
  try {
    const env = { PORTAL_DATA: join(dir, 'data') };
    assert.equal(ctl(env, 'init').code, 0);
    const out = join(dir, 'data', 'backups');
    writeFileSync(join(dir, 'keep-me.db'), '');
    const made = [];
    for (let i = 0; i < 4; i++) {
      const r = ctl(env, 'backup', '--dir', out, '--keep', '2');
      assert.equal(r.code, 0, r.err);
      const m = /backup written to (\S+) \(quick_check: ok;/.exec(r.out);
      assert.ok(m, r.out);
      assert.match(m[1], /\/portal-\d{8}T\d{6}Z\.db$/);
      made.push(m[1]);
      if (i === 0) writeFileSync(join(out, 'portal-manual.db'), 'not a timer backup');
      await new Promise((ok) => setTimeout(ok, 1100));   // one name per second
    }
    assert.equal(statSync(out).mode & 0o777, 0o700);
    const left = readdirSync(out).sort();
    assert.deepEqual(left, [...made.slice(2).map((p) => p.split('/').pop()), 'portal-manual.db'].sort());
    assert.equal(db.value(db.sqliteFile(made[3]), 'PRAGMA user_version') > 0, true, 'a real database');
    assert.equal(ctl(env, 'backup', '--dir', out).code, 2, '--keep is required with --dir');
    assert.equal(ctl(env, 'backup', '--dir', out, '--keep', '0').code, 2);
    assert.equal(ctl(env, 'backup', join(dir, 'one.db'), '--keep', '2').code, 2);
    assert.equal(ctl(env, 'backup', join(dir, 'one.db')).code, 0, 'backup FILE as before');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('portalctl doctor: a sound deployment passes; each problem is named with its fix; it creates nothing', { skip: isRoot ? false : 'needs root (gives the socket to www-data\'s group)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-doctor-'));
  const data = join(dir, 'data');
  const runDir = join(dir, 'run');
  const sock = join(runDir, 'portal.sock');
  const www = Number(spawnSync('id', ['-g', 'www-data'], { encoding: 'utf8' }).stdout.trim());
  const env = { PORTAL_DATA: data, PORTAL_SOCKET: sock, PORTAL_SOCKET_GROUP: 'www-data', PORTAL_BASE_URL: 'https://partners.example.com' };
  const srv = createServer();
  try {
    // Nothing there yet: doctor says so and makes nothing.
    let d = ctl(env, 'doctor', '--nginx-user', 'www-data');
    assert.equal(d.code, 1);
    assert.match(d.out, /^FIX {3}data directory .*: run portalctl init/m);
    assert.ok(!existsSync(data), 'doctor created nothing');

    assert.equal(ctl(env, 'init').code, 0);
    chmodSync(dir, 0o755);
    // A socket as portal.fcgi leaves it: 0660, group www-data, in a directory nginx passes.
    mkdirSync(runDir);
    await new Promise((ok) => { srv.listen(sock, ok); });
    chmodSync(sock, 0o660);
    chownSync(sock, 0, www);
    chmodSync(runDir, 0o755);
    d = ctl(env, 'doctor', '--nginx-user', 'www-data');
    assert.equal(d.code, 0, d.out + d.err);
    assert.match(d.out, /^ok {4}key file .*secret\.keys \(root, 0600\)$/m);
    assert.match(d.out, /^ok {4}database .*: integrity and foreign keys clean, schema version \d+ \(current\)$/m);
    assert.match(d.out, /^ok {4}socket .* \(group www-data; nginx's workers run as www-data\)$/m);
    assert.match(d.out, /^ok {4}kept counts \(Find a provider's, the Overview's customers and resellers\) agree with the rows$/m);
    assert.match(d.out, /^no problems found$/m);

    const problem = (envOver, args, re, n = 1) => {
      const r = ctl({ ...env, ...envOver }, 'doctor', '--nginx-user', 'www-data', ...args);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, re);
      assert.match(r.out, new RegExp(`^${n} problems? to fix$`, 'm'), r.out);
    };
    chmodSync(join(data, 'secret.keys'), 0o644);
    problem({}, [], /^FIX {3}key file .*secret\.keys has mode 0644: chmod 0600 /m);
    chmodSync(join(data, 'secret.keys'), 0o600);
    chmodSync(data, 0o755);
    problem({}, [], /^FIX {3}data directory .* has mode 0755: chmod 0750 /m);
    chmodSync(data, 0o700);
    // the files belong to root, the portal's user is another
    problem({}, ['--user', 'nobody'], /^FIX {3}key file .*secret\.keys belongs to root: chown nobody /m, 4);
    // the socket's group is not nginx's
    chownSync(sock, 0, 0);
    problem({ PORTAL_SOCKET_GROUP: '' }, [], /^FIX {3}socket .* has group root, which nginx's workers' user www-data is not in: set PORTAL_SOCKET_GROUP=www-data$/m);
    problem({}, [], /^FIX {3}socket .* has group root, not PORTAL_SOCKET_GROUP=www-data: restart the portal$/m, 2);
    chownSync(sock, 0, www);
    // production without https; a sendmail that is not there
    problem({ PORTAL_BASE_URL: 'http://partners.example.com' }, [], /^FIX {3}base URL http:\/\/partners\.example\.com is not https/m);
    problem({ PORTAL_MAIL: 'sendmail', PORTAL_SENDMAIL: '/nonexistent/sendmail -t' }, [], /^FIX {3}PORTAL_SENDMAIL: \/nonexistent\/sendmail: No such file/m);
    // a kept count written around its triggers: named with the command that makes it again
    const file = db.sqliteFile(join(data, 'portal.db'));
    db.exec(file, "INSERT INTO directory_counts(country, region, n) VALUES ('DE', 'EUR', 3)");
    problem({}, [], /^FIX {3}kept counts: 1 of Find a provider's and 0 of the organizations' differ from the rows: portalctl counts --rebuild$/m);
    let k = ctl(env, 'counts');
    assert.equal(k.code, 1, k.out + k.err);
    assert.match(k.out, /^kept counts that differ from the rows: 1 of Find a provider's/m);
    k = ctl(env, 'counts', '--rebuild');
    assert.equal(k.code, 0, k.out + k.err);
    assert.match(k.out, /^made again from the rows: every kept count agrees with them$/m);
    assert.equal(db.value(file, 'SELECT count(*) FROM directory_counts WHERE n <> 0'), 0);
    assert.equal(ctl(env, 'counts').code, 0);
    assert.equal(ctl(env, 'counts', '--bogus').code, 2);
    // migrations not applied (an older schema version): doctor does not apply them
    const version = db.value(file, 'PRAGMA user_version');
    db.exec(file, `PRAGMA user_version = ${version - 1}`);
    problem({}, [], /^FIX {3}.*database schema is version \d+, this program needs \d+ \(run portalctl init\)$/m);
    assert.equal(db.value(file, 'PRAGMA user_version'), version - 1, 'doctor migrated nothing');
    db.exec(file, `PRAGMA user_version = ${version}`);
    // the portal is not running
    await new Promise((ok) => srv.close(ok));
    problem({}, [], /^FIX {3}socket .*: No such file or directory: start the portal/m);
    assert.equal(ctl(env, 'doctor', '--bogus').code, 2);
  } finally {
    srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
