// pg.mjs — the tests' own PostgreSQL 15 (PORTAL_TEST_DB=postgres: make test-pg).
//
// One server per test process (node --test runs each file in its own process), started on
// first use as an ordinary process, never the system service: initdb into a temp directory,
// its unix socket in that directory, a free port on 127.0.0.1. Each stack gets its own
// database (CREATE DATABASE), so stacks never see each other's rows. At the process's exit
// the server is stopped with pg_ctl stop (the data directory it started, never a process
// found by name) and its directory removed. PostgreSQL refuses to run as root: as root the
// server runs as nobody. Durability is off (fsync, synchronous_commit): test data only.
//
// PORTAL_TEST_PG_TEMPLATE=DIR (make test-pg; made by tests/lib/pg-template.mjs): a stopped
// server's data directory in which the database portal_template holds the current schema.
// Each test process then copies it instead of running initdb, and each stack's database is a
// copy of portal_template instead of an empty one that portalctl init migrates: the same
// schema, made once per run rather than once per stack (about 1.5 s per test file and 0.7 s
// per stack on a busy 2-core machine). Without it (unit-pg's migration tests, a file run by
// hand) every database starts empty as before.
//
// session(conninfo, script): the tests' database calls (db.mjs) go to one long-lived psql per
// database (tests/lib/shell-worker.mjs, in a worker thread; the call waits for its answer),
// not a psql process and a server backend per call: those were about a third of the CPU of a
// PostgreSQL test run.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { shellCall, shellClose } from './shell-session.mjs';

export const BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

/** Whether the tests run on PostgreSQL (PORTAL_TEST_DB=postgres). */
export function enabled() {
  return (process.env.PORTAL_TEST_DB || 'sqlite') === 'postgres';
}

let server = null;
let starting = null;
let count = 0;
const byData = new Map(); // a stack's data directory -> its database (a restarted stack keeps it)

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const owner = () => (process.getuid && process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {});

/** psql on the server's database db: the script on standard input. */
export function psql(conninfo, script, { json = false } = {}) {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', conninfo];
  const r = spawnSync(join(BIN, 'psql'), args, { input: script, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`psql: ${r.error.message}`);
  if (r.status !== 0 || (!json && r.stderr.trim())) throw new Error(`psql: ${r.stderr.trim() || `exit ${r.status}`}`);
  return r.stdout;
}

/** Like psql(), on the database's long-lived session: the script's standard output. The
 *  first failing statement ends that psql (what was open is rolled back) and throws its
 *  message; a session the server had ended (pg_terminate_backend) is opened again once. */
export function session(conninfo, script) {
  const argv = [join(BIN, 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', conninfo];
  for (let again = true; ; again = false) {
    const a = shellCall({ key: conninfo, argv, kind: 'psql', script });
    if (!a.failed) {
      if (a.err.trim()) throw new Error(`psql: ${a.err.trim()}`);
      return a.out;
    }
    if (again && !a.out && /server closed the connection|terminating connection|no connection to the server/i.test(a.failed)) continue;
    throw new Error(`psql: ${a.failed.trim()}`);
  }
}

/** Ends the database's session, if it has one (a stack that stopped). */
export function endSession(conninfo) {
  shellClose(conninfo);
}

const TEMPLATE = process.env.PORTAL_TEST_PG_TEMPLATE || '';
const templated = () => TEMPLATE !== '' && existsSync(join(TEMPLATE, 'PG_VERSION'));

function stop() {
  if (!server) return;
  const s = server;
  server = null;
  spawnSync(join(BIN, 'pg_ctl'), ['stop', '-D', s.pgdata, '-m', 'fast', '-w', '-t', '20'], { ...owner(), stdio: 'ignore' });
  if (s.keep) renameSync(s.pgdata, s.keep);
  rmSync(s.dir, { recursive: true, force: true });
}

/** A new empty database named name on the server: its connection string (pg-template.mjs). */
export async function createDatabase(name) {
  await ensureServer();
  psql(conninfo('postgres'), `CREATE DATABASE ${name};`);
  return conninfo(name);
}

/** Stops the server and keeps its data directory at dir (pg-template.mjs). */
export function keepAs(dir) {
  if (!server) throw new Error('no server to keep');
  server.keep = dir;
  stop();
}

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'csp-pg-'));
  const ids = owner();
  chmodSync(dir, 0o755);
  if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid);
  const pgdata = join(dir, 'data');
  const fromTemplate = templated();
  const init = fromTemplate
    ? spawnSync('cp', ['-a', TEMPLATE, pgdata], { encoding: 'utf8' })
    : spawnSync(join(BIN, 'initdb'), ['-D', pgdata, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '-N'],
      { ...ids, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`${fromTemplate ? 'cp' : 'initdb'}: ${init.stderr || init.error}`);
  const port = await freePort();
  const logPath = join(dir, 'postgres.log');
  const log = openSync(logPath, 'a');
  if (ids.uid !== undefined) chownSync(logPath, ids.uid, ids.gid);
  const child = spawn(join(BIN, 'postgres'), ['-D', pgdata, '-k', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
  { ...ids, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  server = { dir, pgdata, port, pid: child.pid, host: dir };
  process.on('exit', stop);
  // Interrupted (Ctrl-C, the runner's SIGTERM): stop the server too, then die as asked.
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { stop(); process.kill(process.pid, sig); });
  const admin = conninfo('postgres');
  const until = Date.now() + 30000;
  for (;;) {
    if (exited) throw new Error(`postgres exited at start ${JSON.stringify(exited)}: ${readFileSync(logPath, 'utf8')}`);
    const r = spawnSync(join(BIN, 'psql'), ['-X', '-q', '-At', '-d', admin, '-c', 'SELECT 1'], { encoding: 'utf8' });
    if (r.status === 0) break;
    if (Date.now() > until) throw new Error(`postgres did not start: ${readFileSync(logPath, 'utf8')}`);
    await sleep(50);
  }
  if (fromTemplate) return server; // template1 has what follows already
  // Every database is made from template1: the tests' client (db.mjs) finds SQLite's
  // randomblob() there, in a schema of its own that the portal's search_path does not reach,
  // and raise_abort() for the triggers the tests inject (RAISE(ABORT) in SQLite).
  psql(conninfo('template1'), `CREATE SCHEMA sqlite_compat;
CREATE FUNCTION sqlite_compat.randomblob(n integer) RETURNS bytea LANGUAGE sql AS
$$ SELECT coalesce(decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex'), '') FROM generate_series(1, n) $$;
CREATE FUNCTION sqlite_compat.raise_abort() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;`);
  return server;
}

function conninfo(db) {
  return `host=${server.host} port=${server.port} user=postgres dbname=${db}`;
}

/** The server, started on first use. */
export async function ensureServer() {
  if (server) return server;
  if (!starting) starting = start().finally(() => { starting = null; });
  return starting;
}

/** A new empty database for a stack with data directory data (the same one again for the
 * same directory: a stack restarted on its data keeps its rows): { url, fresh }. */
export async function databaseFor(data) {
  const key = resolve(data);
  if (byData.has(key)) return { url: byData.get(key), fresh: false };
  await ensureServer();
  const name = `portal_${process.pid}_${++count}`;
  psql(conninfo('postgres'), templated() ? `CREATE DATABASE ${name} TEMPLATE portal_template;` : `CREATE DATABASE ${name};`);
  const info = conninfo(name);
  byData.set(key, info);
  return { url: info, fresh: true };
}

/** Whether the server's socket is there (tests that need it running). */
export function running() {
  return !!server && existsSync(join(server.dir, `.s.PGSQL.${server.port}`));
}
