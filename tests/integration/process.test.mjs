// process.test.mjs — the FastCGI process itself (SECURITY-CHECKS 1-5, 27-31): what nginx
// would never send (spoken directly on the unix socket), a malformed record that makes
// Debian's libfcgi abort (the supervisor restarts the worker), the socket's mode, clients
// that vanish mid-response, SIGTERM, SIGKILL and backups under write load, portalctl and
// portal.fcgi's own command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, ROOT, PORTAL_BIN, PORTALCTL_BIN } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf } from '../lib/http.mjs';
import { fcgiRequest, fcgiRaw, paramsFor, beginRequest, record, stream, encodeParams, nvLength, PARAMS, STDIN } from '../lib/fcgi.mjs';
import { waitForMail, linkIn, messages } from '../lib/mail.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { if (stack) await stack.stop(); });

const FORM = 'application/x-www-form-urlencoded';

async function healthy(s = stack) {
  try {
    const r = await fetch(`${s.base}/healthz`);
    return r.status === 200 && (await r.text()) === 'ok\n';
  } catch { return false; }
}

async function until(what, check, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error(`timed out: ${what}`);
}

/** Cheap acknowledged writes through nginx: "forgot password" for unique addresses (each
 * 303 means a committed audit row with that address). */
function writeLoad(s, { concurrency = 6, tag }) {
  let stopping = false;
  const acked = [];
  const stats = { sent: 0, failed: 0 };
  const workers = Array.from({ length: concurrency }, async (_, w) => {
    const c = new Client(s.base);
    let csrf = null, i = 0;
    while (!stopping) {
      try {
        csrf ??= csrfOf((await c.get('/password/forgot')).text);
        const email = `${tag}-${w}-${i++}@load.example`;
        const res = await c.post('/password/forgot', { csrf, email });
        stats.sent++;
        if (res.status === 303) acked.push(email);
        else stats.failed++;
      } catch {
        stats.failed++;
        await sleep(5);
      }
    }
  });
  return { acked, stats, async stop() { stopping = true; await Promise.all(workers); } };
}

function committed(s, tag) {
  return new Set(db.rows(s, "SELECT target FROM audit WHERE action = 'password.reset-request' AND target LIKE ?", `${tag}-%`).map((r) => r.target));
}

/** A PRAGMA of the SQLite file at path, as the SQLite shell prints it (these checks are of the file itself). */
function pragma(path, p) {
  return db.pragma(db.sqliteFile(path), p);
}

// ---- requests nginx would never send ----

test('CONTENT_LENGTH: not all digits → 400, body shorter than announced → 400, above the limit → 413', async () => {
  const post = (cl, body) => fcgiRequest(stack.sock, {
    params: paramsFor('POST', '/signin', { CONTENT_TYPE: FORM, CONTENT_LENGTH: cl }), stdin: body,
  });
  for (const cl of ['12a', '-1', ' 12', '12 ', '0x10', '1e3', '+5']) {
    const r = await post(cl, 'email=a%40b.c&');
    assert.equal(r.status, 400, `CONTENT_LENGTH ${JSON.stringify(cl)}`);
    assert.ok(r.ended, 'the request ends properly');
  }
  let r = await post('100', 'email=a%40b.example');
  assert.equal(r.status, 400, 'shorter than announced');
  r = await post('65537', 'email=a');
  assert.equal(r.status, 413);
  r = await post('99999999999999999999999999', 'email=a');
  assert.equal(r.status, 413, 'a huge number does not wrap around');
  r = await post('99999999999999999999999999x', 'email=a');
  assert.equal(r.status, 400, 'a late non-digit is still a 400');
  // a body longer than announced: only CONTENT_LENGTH bytes are read, and what they say counts
  r = await post('7', 'email=a&password=x&csrf=y');
  assert.equal(r.status, 403, 'read as "email=a": no CSRF token');
  // well-formed: the dispatcher gets to the CSRF check (403) — the baseline for the above
  r = await post('7', 'email=a');
  assert.equal(r.status, 403);
  const log = await stack.waitForLog(/POST SIGNIN_POST 413/);
  assert.ok(log.split('\n').filter((l) => / POST SIGNIN_POST 400 /.test(l)).length >= 8);
  assert.ok(await healthy());
});

test('values nginx would clean up: CR/LF in the method is escaped in the log; odd methods get 405', async () => {
  const r = await fcgiRequest(stack.sock, { params: paramsFor('GET\r\nFAKE 200 1us', '/x\r\n2026 rid=forged GET SIGNIN 200 1us') });
  assert.equal(r.status, 404);
  const r2 = await fcgiRequest(stack.sock, { params: paramsFor('GET\r\n2026 rid=forged', '/signin') });
  assert.equal(r2.status, 405);
  const log = await stack.waitForLog(/ GET\\x0d\\x0a\S* - 405 /);
  assert.match(log, / GET\\x0d\\x0a\S* - 404 /);
  assert.ok(!/\n(FAKE|2026 rid=forged)/.test(log), 'a forged log line');
  const noMethod = await fcgiRequest(stack.sock, { params: { DOCUMENT_URI: '/signin' } });
  assert.equal(noMethod.status, 405);
  const noPath = await fcgiRequest(stack.sock, { params: { REQUEST_METHOD: 'GET' } });
  assert.equal(noPath.status, 400);
});

// ---- a malformed record ----

test('a malformed FastCGI record (PARAMS lengths near INT_MAX): the worker is restarted and /healthz answers within 2 s', async (t) => {
  const variants = [
    ['name length 0x7ffffff0, value 16', Buffer.concat([nvLength(0x7ffffff0), nvLength(16), Buffer.from('abcdefgh')])],
    ['both lengths 0x7fffffff', Buffer.concat([nvLength(0x7fffffff), nvLength(0x7fffffff), Buffer.from('abcdefgh')])],
    ['name length 0x7fffffff, value 0', Buffer.concat([nvLength(0x7fffffff), Buffer.from([0]), Buffer.from('x')])],
  ];
  const supervisor = stack.portal.pid;
  const times = [];
  for (const [what, content] of variants) {
    const before = stack.workerPid();
    assert.ok(before, 'a worker runs');
    const bytes = Buffer.concat([beginRequest(1), record(PARAMS, 1, content), record(PARAMS, 1), stream(STDIN, 1, '')]);
    const t0 = performance.now();
    const raw = await fcgiRaw(stack.sock, bytes, { timeout: 3000 });
    assert.ok(raw.closed, `${what}: the connection was closed`);
    await until(`${what}: /healthz through nginx`, () => healthy(), 2000);
    const ms = performance.now() - t0;
    times.push(ms);
    const after = stack.workerPid();
    t.diagnostic(`${what}: /healthz 200 again after ${ms.toFixed(0)} ms (worker ${before} → ${after})`);
    assert.ok(ms < 2000, `${what}: ${ms} ms`);
    assert.equal(stack.portal.pid, supervisor);
    assert.equal(stack.portal.exitCode, null, 'the supervisor is still running');
  }
  const log = stack.portalLog();
  const restarts = (log.match(/supervisor: worker \d+ killed by signal \d+; restarting/g) || []).length;
  t.diagnostic(`restarts logged: ${restarts}; times ${times.map((x) => x.toFixed(0)).join(', ')} ms`);
  // whatever libfcgi makes of each record (abort or refusal), the portal is serving
  assert.ok(await healthy());
  const c = new Client(stack.base);
  assert.equal((await c.get('/signin')).status, 200);
});

// ---- the socket ----

test('the socket has mode 0660 and another user cannot connect', { skip: process.getuid?.() !== 0 && 'needs root to run as another user' }, async () => {
  const st = statSync(stack.sock);
  assert.ok(st.isSocket());
  assert.equal(st.mode & 0o777, 0o660);
  // let "nobody" reach the socket's directory, so only the socket's own mode decides
  const runDir = dirname(stack.sock);
  const oldData = statSync(stack.data).mode & 0o777, oldRun = statSync(runDir).mode & 0o777;
  chmodSync(stack.data, 0o711);
  chmodSync(runDir, 0o711);
  try {
    const script = 'use Socket; socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!"; '
      + 'if (connect($s, pack_sockaddr_un($ARGV[0]))) { print "connected\\n" } else { print "error: ", ($!{EACCES} ? "EACCES" : "$!"), "\\n" }';
    const asNobody = spawnSync('/usr/bin/perl', ['-e', script, stack.sock], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.equal(asNobody.stdout.trim(), 'error: EACCES', asNobody.stderr);
    const asOwner = spawnSync('/usr/bin/perl', ['-e', script, stack.sock], { encoding: 'utf8' });
    assert.equal(asOwner.stdout.trim(), 'connected', 'the same script connects as the socket\'s owner');
  } finally {
    chmodSync(runDir, oldRun);
    chmodSync(stack.data, oldData);
  }
});

// ---- clients that go away ----

test('clients that disconnect mid-response neither crash nor wedge the worker', async () => {
  const worker = stack.workerPid();
  const supervisor = stack.portal.pid;
  // directly on the socket: ask for the largest page and hang up at once, 300 times
  const ask = Buffer.concat([beginRequest(1), stream(PARAMS, 1, encodeParams(paramsFor('GET', '/signup'))), stream(STDIN, 1, '')]);
  const hangUp = () => new Promise((ok) => {
    const s = connect(stack.sock);
    s.on('connect', () => { s.write(ask); setImmediate(() => { s.destroy(); ok(); }); });
    s.on('error', () => ok());
  });
  for (let round = 0; round < 30; round++) await Promise.all(Array.from({ length: 10 }, hangUp));
  // through nginx: the browser closes the connection before reading the answer
  const httpHangUp = () => new Promise((ok) => {
    const req = request(`${stack.base}/signup`, (res) => { res.destroy(); ok(); });
    req.on('error', () => ok());
    req.end();
    setTimeout(() => { req.destroy(); ok(); }, Math.random() * 3);
  });
  for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 10 }, httpHangUp));
  // half-sent requests: a body announced and never finished, the socket then closed
  for (let i = 0; i < 20; i++) {
    const s = connect(stack.sock);
    await new Promise((ok) => s.on('connect', ok));
    s.write(Buffer.concat([beginRequest(1), stream(PARAMS, 1, encodeParams(paramsFor('POST', '/signin', { CONTENT_TYPE: FORM, CONTENT_LENGTH: '1000' }))), record(STDIN, 1, 'email=')]));
    await sleep(1);
    s.destroy();
  }
  await sleep(100);
  assert.ok(await healthy());
  // every thread is free again: as many parallel requests as threads, all answered
  const all = await Promise.all(Array.from({ length: 16 }, () => fetch(`${stack.base}/signup`).then((r) => r.status)));
  assert.deepEqual([...new Set(all)], [200]);
  assert.equal(stack.workerPid(), worker, 'the worker was not restarted');
  assert.equal(stack.portal.pid, supervisor);
});

// ---- data safety ----

test('SIGKILL of the worker under write load loses no acknowledged write; integrity_check is ok', async (t) => {
  const load = writeLoad(stack, { tag: 'kill', concurrency: 8 });
  await until('some writes', () => load.acked.length >= 100, 10000);
  const victim = stack.workerPid();
  const ackedAtKill = load.acked.length;
  process.kill(victim, 'SIGKILL');
  const t0 = performance.now();
  await until('a new worker', async () => { const p = stack.workerPid(); return p && p !== victim && await healthy(); }, 3000);
  const restartMs = performance.now() - t0;
  await until('writes again', () => load.acked.length >= ackedAtKill + 100, 10000);
  await load.stop();
  const inDb = committed(stack, 'kill');
  const lost = load.acked.filter((e) => !inDb.has(e));
  t.diagnostic(`SIGKILL: ${load.acked.length} acknowledged writes, ${load.stats.failed} failed around the kill; new worker serving /healthz after ${restartMs.toFixed(0)} ms`);
  assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
  assert.ok(load.stats.failed < 50, `${load.stats.failed} failures`);
  if (db.isSqlite(stack)) { // the SQLite file's own checks (PostgreSQL checks its pages itself)
    assert.equal(pragma(stack.dbPath, 'integrity_check'), 'ok');
    assert.equal(pragma(stack.dbPath, 'foreign_key_check'), '');
  }
  assert.match(stack.portalLog(), new RegExp(`supervisor: worker ${victim} killed by signal 9; restarting`));
});

test('portalctl backup under write load completes and the copy passes integrity_check', { timeout: 120000, skip: db.sqliteFileOnly }, async (t) => {
  // some bulk, so the copy takes more than one step
  F.auditFiller(stack, 20000, { bytes: 200 });
  const load = writeLoad(stack, { tag: 'backup', concurrency: 6 });
  await until('some writes', () => load.acked.length >= 50, 10000);
  const file = join(stack.data, 'backup.db');
  const ackedBefore = [...load.acked];
  const t0 = performance.now();
  const r = await stack.ctlAsync('backup', '--check', file);
  const ms = performance.now() - t0;
  const during = load.acked.length - ackedBefore.length;
  await load.stop();
  t.diagnostic(`backup of ${pragma(stack.dbPath, 'page_count')} pages took ${ms.toFixed(0)} ms with ${during} writes committed meanwhile`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /integrity_check: ok/);
  assert.ok(during > 0, 'writes went on during the backup');
  assert.equal(pragma(file, 'integrity_check'), 'ok');
  const copied = new Set(db.rows(db.sqliteFile(file), 'SELECT target FROM audit WHERE target LIKE ?', 'backup-%').map((r) => r.target));
  const missing = ackedBefore.filter((e) => !copied.has(e));
  assert.deepEqual(missing, [], 'writes acknowledged before the backup started are in it');
  // a second backup to the same file is refused, not overwritten
  const again = await stack.ctlAsync('backup', file);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
});

test('portalctl backup on PostgreSQL refuses (exit 1), names pg_dump and writes no file', { skip: db.testEngine !== 'postgres' && 'PostgreSQL only (make test-pg)' }, () => {
  const file = join(stack.data, 'backup-pg.db');
  const r = stack.ctl('backup', file);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /PostgreSQL.*pg_dump/);
  assert.ok(!existsSync(file), 'no file pretends to be a backup');
  // and PORTAL_DB is never printed (it may hold a password)
  assert.ok(!r.stderr.includes(stack.dbUrl));
});

test('portalctl backup checks the copy with quick_check unless --check asks for integrity_check (issue 17)', { skip: db.testEngine === 'postgres' && 'the SQLite file itself' }, async () => {
  const file = join(stack.data, 'backup-quick.db');
  const r = stack.ctl('backup', file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^backup written to .*backup-quick\.db \(quick_check: ok; \d+ pages copied in [\d.]+ s, checked in [\d.]+ s\)$/m);
  assert.doesNotMatch(r.stdout, /integrity_check/);
  assert.equal(pragma(file, 'integrity_check'), 'ok');
  const full = stack.ctl('backup', '--check', join(stack.data, 'backup-full.db'));
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stdout, /\(integrity_check: ok; \d+ pages copied in/);
  for (const bad of [['backup'], ['backup', '--quick', join(stack.data, 'x.db')], ['backup', 'a.db', 'b.db']]) {
    assert.notEqual(stack.ctl(...bad).code, 0, bad.join(' '));
  }
});

test('portalctl init twice: user_version current, foreign_key_check empty, integrity_check ok, WAL', async () => {
  const schema = readFileSync(join(ROOT, 'schema.sql'), 'utf8');
  const latest = Math.max(...[...schema.matchAll(/^-- migrate: (\d+)/gm)].map((m) => Number(m[1])));
  for (let i = 0; i < 2; i++) {
    const r = stack.ctl('init');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`schema version ${latest}\\b`));
  }
  if (db.isSqlite(stack)) {
    assert.equal(Number(pragma(stack.dbPath, 'user_version')), latest);
    assert.equal(pragma(stack.dbPath, 'foreign_key_check'), '');
    assert.equal(pragma(stack.dbPath, 'integrity_check'), 'ok');
    assert.equal(pragma(stack.dbPath, 'journal_mode'), 'wal');
    assert.ok(existsSync(`${stack.dbPath}-wal`), 'the portal has the database open in WAL mode');
  } else {
    // PostgreSQL keeps the version in a table (the same section numbers); no file checks.
    assert.equal(db.value(stack, 'SELECT version FROM schema_version'), latest);
    assert.ok(!existsSync(stack.dbPath), 'no SQLite file beside a PostgreSQL database');
  }
  // the key file stays private
  assert.equal(statSync(join(stack.data, 'secret.keys')).mode & 0o777, 0o600);
  // and the running portal still serves from it
  assert.ok(await healthy());

  // a fresh data directory: init creates everything; the second init changes nothing
  const fresh = mkdtempSync(join(tmpdir(), 'csp-portal-init-'));
  try {
    const env = { ...process.env, PORTAL_DATA: fresh, PORTAL_TEMPLATES: join(ROOT, 'templates') };
    const one = spawnSync(PORTALCTL_BIN, ['init'], { env, encoding: 'utf8' });
    assert.equal(one.status, 0, one.stderr);
    const schemaRows = () => db.sqliteSchema(db.sqliteFile(join(fresh, 'portal.db')));
    const s1 = schemaRows(), k1 = readFileSync(join(fresh, 'secret.keys'), 'utf8');
    const two = spawnSync(PORTALCTL_BIN, ['init'], { env, encoding: 'utf8' });
    assert.equal(two.status, 0, two.stderr);
    assert.deepEqual(schemaRows(), s1);
    assert.equal(readFileSync(join(fresh, 'secret.keys'), 'utf8'), k1, 'init keeps the existing keys');
    assert.equal(Number(pragma(join(fresh, 'portal.db'), 'user_version')), latest);
    assert.equal(pragma(join(fresh, 'portal.db'), 'journal_mode'), 'wal');
    const c = db.one(db.sqliteFile(join(fresh, 'portal.db')), 'SELECT count(*) AS n, count(DISTINCT region) AS regions FROM countries');
    const countries = [Number(c.n), Number(c.regions)];
    assert.ok(countries[0] >= 40 && countries[1] >= 4, `${countries}`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});

// ---- portalctl and portal.fcgi on the command line ----

test('portalctl: --help 0, unknown command 2, mail list / mail retry; a failed send stays queued until retried', async () => {
  const help = spawnSync(PORTALCTL_BIN, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const cmd of ['init', 'mail list', 'mail retry', 'backup']) assert.match(help.stdout, new RegExp(`\\n  ${cmd}\\b`));
  const none = spawnSync(PORTALCTL_BIN, [], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  const unknown = spawnSync(PORTALCTL_BIN, ['frobnicate'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  assert.equal(stack.ctl('mail', 'list', 'many').code, 2);
  assert.equal(stack.ctl('mail').code, 2);

  // a sendmail that fails: the message stays in the outbox, the visitor sees the usual answer
  const s2 = await startStack({ env: { PORTAL_MAIL: 'sendmail', PORTAL_SENDMAIL: 'cat >/dev/null; exit 75' } });
  try {
    const c = new Client(s2.base);
    await c.signup({ domain: 'queued.example', email: 'ana@queued.example' });
    const d = new Client(s2.base);
    const res = await d.submit('/password/forgot', { email: 'ana@queued.example' });
    assert.equal(res.status, 303);
    // Two failed sends: the sign-up's confirmation (issue 12 item 9) and the reset, the one looked at.
    await s2.waitForLog((log) => (log.match(/mail: message \d+ kept in the outbox: sendmail exited with status 75/g) ?? []).length >= 2);
    const row = db.one(s2, "SELECT id, sent_at, attempts, last_error, message IS NOT NULL AS has_message FROM outbox WHERE to_addr = ? AND template = 'password-reset'", 'ana@queued.example');
    assert.deepEqual({ ...row, id: 0 }, { id: 0, sent_at: null, attempts: 1, last_error: 'sendmail exited with status 75', has_message: 1 });
    const list = s2.ctl('mail', 'list');
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^ID\s+QUEUED\s+STATE\s+TRIES\s+TO\s+SUBJECT/);
    assert.match(list.stdout, new RegExp(`\\n${row.id}\\s+\\S+ \\S+ UTC\\s+queued\\s+1\\s+ana@queued\\.example\\s+Reset your Partner Center password.*last error: sendmail exited with status 75`));
    const still = s2.ctl('mail', 'retry');
    assert.equal(still.code, 1, 'retry with the transport still failing');
    assert.match(still.stdout, /0 sent, 2 still queued/);
    assert.equal(messages(s2.mailDir).length, 0);

    // retried with the spool transport, the message arrives and its link works
    const retry = spawnSync(PORTALCTL_BIN, ['mail', 'retry'], { env: { ...s2.env, PORTAL_MAIL: 'spool' }, encoding: 'utf8' });
    assert.equal(retry.status, 0, retry.stderr);
    assert.match(retry.stdout, /2 sent, 0 still queued/);
    const msg = await waitForMail(s2.mailDir, { to: 'ana@queued.example', subject: 'Reset' });
    const url = new URL(linkIn(msg, '/password/reset?t='));
    const e = new Client(s2.base);
    const page = await e.follow(await e.get(url.pathname + url.search));
    assert.equal(page.status, 200);
    assert.match(page.text, /Choose a new password/);
    assert.match(s2.ctl('mail', 'list').stdout, new RegExp(`\\n${row.id}\\s+\\S+ \\S+ UTC\\s+sent\\s+3\\s+ana@queued\\.example`));
    assert.equal(db.one(s2, 'SELECT message IS NULL AS dropped FROM outbox WHERE id = ?', row.id).dropped, 1, 'the body is dropped once delivered');
    const again = s2.ctl('mail', 'retry');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /0 sent, 0 still queued/);
  } finally {
    assert.equal((await s2.stop()).code, 0);
  }
});

test('portal.fcgi: --help lists every setting, --check succeeds, a broken template stops start-up with file and line', async () => {
  const help = spawnSync(PORTAL_BIN, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  const names = [...readFileSync(join(ROOT, 'src/base/config.def'), 'utf8').matchAll(/^CONF\(\s*\w+,\s*"(PORTAL_\w+)"/gm)].map((m) => m[1]);
  assert.ok(names.length >= 10);
  for (const n of names) assert.match(help.stdout, new RegExp(`^  ${n}\\s`, 'm'), n);
  const bad = spawnSync(PORTAL_BIN, ['--bogus'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);

  const data = mkdtempSync(join(tmpdir(), 'csp-portal-check-'));
  const tpl = mkdtempSync(join(tmpdir(), 'csp-portal-tpl-'));
  try {
    const env = { ...process.env, PORTAL_DATA: data, PORTAL_TEMPLATES: join(ROOT, 'templates') };
    const check = spawnSync(PORTAL_BIN, ['--check'], { env, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /^ok: /);

    cpSync(join(ROOT, 'templates'), tpl, { recursive: true });
    const file = join(tpl, 'account', 'signin.html');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] += ' {{#if oops}}';                     // line 5: an #if never closed
    writeFileSync(file, lines.join('\n'));
    const broken = { ...env, PORTAL_TEMPLATES: tpl, PORTAL_SOCKET: join(data, 'run', 'b.sock') };
    for (const args of [['--check'], []]) {
      const r = spawnSync(PORTAL_BIN, args, { env: broken, encoding: 'utf8', timeout: 10000 });
      assert.notEqual(r.status, 0, `${args}: exit ${r.status}`);
      assert.equal(r.signal, null, 'it exits by itself');
      assert.match(r.stderr, /account\/signin\.html:5\b/, r.stderr);
      assert.ok(!existsSync(join(data, 'run', 'b.sock')), 'no socket was opened');
    }
    // an unknown variable in a setting is refused before anything starts
    const r = spawnSync(PORTAL_BIN, ['--check'], { env: { ...env, PORTAL_THREADS: 'many' }, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PORTAL_THREADS/);
  } finally {
    rmSync(data, { recursive: true, force: true });
    rmSync(tpl, { recursive: true, force: true });
  }
});

// ---- SIGTERM (last: it stops this file's stack) ----

test('SIGTERM: the portal stops within a few seconds with exit code 0 and says so', async (t) => {
  const worker = stack.workerPid();
  const t0 = performance.now();
  const exit = await stack.stop({ keep: true });
  const ms = performance.now() - t0;
  t.diagnostic(`SIGTERM: portal and nginx stopped after ${ms.toFixed(0)} ms`);
  try {
    assert.deepEqual(exit, { code: 0, signal: null }, stack.portalLog());
    assert.ok(ms < 5000, `${ms} ms`);
    assert.match(stack.portalLog(), /portal: signal 15, stopping/);
    assert.match(stack.portalLog(), /portal: stopped after \d+ requests/);
    assert.ok(!existsSync(stack.sock), 'the socket file is removed');
    assert.ok(!existsSync(`/proc/${worker}`), 'the worker is gone too');
    assert.match(stack.portalLog(), new RegExp(`portal: worker ${worker} serving`));
    if (db.isSqlite(stack)) assert.equal(pragma(stack.dbPath, 'integrity_check'), 'ok');
  } finally {
    rmSync(stack.data, { recursive: true, force: true });
    stack = null;
  }
});
