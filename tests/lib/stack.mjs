// stack.mjs — starts a real portal.fcgi behind a real nginx (the repo's nginx.conf) on a
// free 127.0.0.1 port with its own data directory, and stops both. Every integration and
// browser test uses it:
//
//   const stack = await startStack();          // { base, port, data, mailDir, ctl(), stop() }
//   ...
//   await stack.stop();
//
// A test file with one stack for all its tests:
//
//   let stack;
//   before(async () => { stack = await startStack(); });
//   after(() => stopChecked(stack));           // stops it; exit code 0, no sanitizer report
//
// The test database (stack.dbPath, the portal's SQLite file) is read and written only through
// db.mjs and the fixture writers of fixtures.mjs.
//
// PORTAL_BIN / PORTALCTL_BIN choose other binaries (make asan points them at the
// sanitizer build). Extra environment for the portal: startStack({ env: {...} }).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as db from './db.mjs';
import * as pg from './pg.mjs';
import { stacks, totpSecrets } from './http.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const PORTAL_BIN = resolve(ROOT, process.env.PORTAL_BIN || 'cgi-bin/portal.fcgi');
export const PORTALCTL_BIN = resolve(ROOT, process.env.PORTALCTL_BIN || 'bin/portalctl');

/** A port that was free a moment ago on 127.0.0.1. */
// Ports this process has handed out: a port is free when picked but bound only later (nginx's
// after the nodes' on theirs), so the kernel may offer it again in between — a two-node stack
// once had a node take nginx's port (CI, PostgreSQL run). Never the same port twice here.
const handed = new Set();

export async function freePort() {
  for (;;) {
    const port = await new Promise((ok, fail) => {
      const srv = createServer();
      srv.unref();
      srv.on('error', fail);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address();
        srv.close(() => ok(p));
      });
    });
    if (!handed.has(port)) {
      handed.add(port);
      return port;
    }
  }
}

async function waitFor(what, check, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function portOpen(port) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.status === 200;
  } catch { return false; }
}

/**
 * Starts portal + nginx. Options: env (extra portal environment), threads, demo (run
 * `portalctl demo` first when available; its users' TOTP secrets are in stack.demoSecrets and
 * Client.signin answers their second step by itself), requireMfa (keep the program-wide
 * multi-factor requirement a new installation has; by default the harness turns it off), data (reuse a directory), nginxMaxBody (nginx's
 * client_max_body_size when it should differ from PORTAL_MAX_BODY), accessLog (true: nginx
 * writes an access log to <data>/nginx/log/nginx-access.log, as `make run` does), nodes (2 or
 * more: that many portal.fcgi processes on the one database behind one nginx upstream, see
 * startNodes below; stack.nodes[0] is the usual portal on stack.sock).
 */
export async function startStack(opts = {}) {
  const data = opts.data || mkdtempSync(join(tmpdir(), 'csp-portal-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sock = join(data, 'run', 'portal.sock');
  // PORTAL_TEST_DB=postgres (make test-pg): the stack's own database on the test process's
  // PostgreSQL (pg.mjs), instead of <data>/portal.db.
  const pgdb = pg.enabled() ? await pg.databaseFor(data) : null;
  const env = {
    ...process.env,
    PORTAL_DATA: data,
    PORTAL_SOCKET: sock,
    PORTAL_BASE_URL: base,
    PORTAL_TEMPLATES: join(ROOT, 'templates'),
    PORTAL_THREADS: String(opts.threads || 4),
    ...(pgdb ? { PORTAL_DB: pgdb.url } : {}),
    ...(opts.env || {}),
  };
  const ctl = (...args) => {
    const r = spawnSync(PORTALCTL_BIN, args, { env, encoding: 'utf8', cwd: ROOT, input: opts.input });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
  };
  const fresh = pgdb ? pgdb.fresh : !existsSync(join(data, 'portal.db'));
  const init = ctl('init');
  if (init.code !== 0) throw new Error(`portalctl init failed: ${init.stderr}`);
  // A new installation requires multi-factor sign-in program-wide; most tests sign in with a
  // password only, so the harness turns it off unless the test asks for it (requireMfa: true).
  if (fresh && !opts.requireMfa) {
    const off = ctl('security', 'require-mfa', 'off');
    // Binaries from before multi-factor sign-in (checking that a new test fails on an older
    // build) know no such command: usage (2) is fine there, any other failure is not.
    if (off.code !== 0 && !(off.code === 2 && /unknown command/.test(off.stderr))) throw new Error(`portalctl security require-mfa off failed: ${off.stderr}`);
  }
  const demoSecrets = new Map();
  if (opts.demo) {
    const d = ctl('demo');
    if (d.code !== 0) throw new Error(`portalctl demo failed: ${d.stderr}`);
    for (const [email, secret] of readDemoSecrets(data)) demoSecrets.set(email, secret);
  }
  const conf = join(data, 'nginx', 'nginx.conf');
  const accessLog = opts.accessLog ? join(data, 'nginx', 'log', 'nginx-access.log') : 'off';
  // As root, render-nginx.sh runs nginx's workers as www-data; a test's data directory is a
  // private temp directory they could not reach, so here they stay root, as before (make
  // run's way is tests/integration/run-as-root.test.mjs).
  const more = await startNodes(opts.nodes, env, sock);
  const nginxEnv = { ...env, NGINX_USER: 'root', ...(opts.nginxMaxBody ? { PORTAL_MAX_BODY: String(opts.nginxMaxBody) } : {}), ...more.nginxEnv };
  const r = spawnSync(join(ROOT, 'scripts/render-nginx.sh'), [conf, String(port), data, sock, accessLog], { env: nginxEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`render-nginx failed: ${r.stderr}`);

  const logs = { portal: '', nginx: '' };
  const portal = spawn(PORTAL_BIN, [], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  portal.stdout.on('data', (b) => { logs.portal += b; });
  portal.stderr.on('data', (b) => { logs.portal += b; });
  let portalExit = null;
  portal.on('exit', (code, signal) => { portalExit = { code, signal }; });
  await waitFor('the portal socket', () => existsSync(sock) || portalExit !== null);
  if (portalExit) throw new Error(`portal.fcgi exited at start: ${logs.portal}`);
  await more.ready();

  const nginx = spawn('nginx', ['-p', join(data, 'nginx'), '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr.on('data', (b) => { logs.nginx += b; });
  let nginxExit = null;
  nginx.on('exit', (code, signal) => { nginxExit = { code, signal }; });
  await waitFor('nginx', async () => nginxExit !== null || await portOpen(port));
  if (nginxExit) throw new Error(`nginx exited at start: ${logs.nginx}`);

  /** Like ctl, without blocking the event loop (for commands that run beside live traffic). */
  const ctlAsync = (...args) => new Promise((ok) => {
    const p = spawn(PORTALCTL_BIN, args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('close', (code, signal) => ok({ code, stdout, stderr, signal }));
  });

  const stack = {
    base, port, data, sock, env, ctl, ctlAsync, logs, portal, nginx,
    /** The demo users' TOTP secrets (email -> base32), when started with demo: true. */
    demoSecrets,
    accessLogPath: opts.accessLog ? accessLog : null,
    /** The worker process's pid (the supervisor's child), or null while it restarts. */
    workerPid: () => childPids(portal.pid)[0] ?? null,
    mailDir: join(data, 'mail'),
    /** The portal's database, for db.mjs (which is the only reader of dbEngine/dbPath). */
    dbEngine: pgdb ? 'postgres' : 'sqlite',
    dbPath: join(data, 'portal.db'),
    dbUrl: pgdb ? pgdb.url : undefined,
    /** The portal's log so far (stderr of portal.fcgi). */
    portalLog: () => logs.portal,
    /** Waits until the portal's log contains text (string or RegExp); returns the log. The
     * request line is written after the response, so a test that just got its answer waits. */
    async waitForLog(text, ms = 3000) {
      // text: a string, a regular expression, or a test of the whole log (e.g. counting lines)
      const has = () => (typeof text === 'string' ? logs.portal.includes(text)
        : typeof text === 'function' ? text(logs.portal) : text.test(logs.portal));
      await waitFor(`${text} in the portal log`, has, ms);
      return logs.portal;
    },
    /** Stops nginx and the portal (SIGTERM), waits for both; returns the portal's exit. */
    async stop({ keep = false } = {}) {
      db.detach(stack);
      const exits = more.stop();
      if (nginxExit === null) {
        exits.push(new Promise((ok) => nginx.once('exit', ok)));
        nginx.kill('SIGTERM');
      }
      if (portalExit === null) {
        // 'close', not 'exit': Node may report the exit before it has read the last lines the
        // portal wrote to its pipes ("stopped after N requests" was missing once under load).
        exits.push(new Promise((ok) => portal.once('close', ok)));
        portal.kill('SIGTERM');
      }
      await Promise.race([Promise.all(exits), sleep(15000, undefined, { ref: false })]);
      if (portalExit === null) portal.kill('SIGKILL');
      if (nginxExit === null) nginx.kill('SIGKILL');
      if (!keep && !opts.data) rmSync(data, { recursive: true, force: true });
      return portalExit;
    },
    /** Whether the sanitizer (make asan) reported anything in the portal's log. */
    sanitizerReport: () => /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.test(logs.portal),
  };
  stack.nodes = [{ name: 'a', addr: `unix:${sock}`, proc: portal, pid: portal.pid, log: () => logs.portal,
    exit: () => portalExit }, ...more.nodes];
  db.attach(stack);
  stacks.set(base, stack);
  totpSecrets.set(base, demoSecrets);
  return stack;
}

/** The TOTP secrets `portalctl demo` listed in <data>/demo-accounts.txt: [email, base32]. */
export function readDemoSecrets(data) {
  const path = join(data, 'demo-accounts.txt');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').map((x) => x.trim()))
    .filter((c) => c.length >= 3 && /^[A-Z2-7]{16,}$/.test(c[2])).map((c) => [c[0], c[2]]);
}

/**
 * Stops the stack and asserts that the portal shut down cleanly: exit code 0 and, in the
 * sanitizer build (make asan), no AddressSanitizer, LeakSanitizer or UBSan report in its log.
 * The log is read after the stop because LeakSanitizer reports at exit. Returns the exit.
 */
export async function stopChecked(stack) {
  assert.ok(stack, 'the stack never started');
  const exit = await stack.stop();
  assert.equal(exit?.code, 0, `portal exit ${JSON.stringify(exit)}\n${stack.portalLog()}`);
  assert.equal(stack.sanitizerReport(), false, `the sanitizer build reported a problem (make asan)\n${stack.portalLog()}`);
  return exit;
}

/** Pids of the processes whose parent is pid (from /proc, never by name). */
export function childPids(pid) {
  try {
    const direct = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return direct ? direct.split(/\s+/).map(Number) : [];
  } catch { /* kernels without CONFIG_PROC_CHILDREN: scan /proc */ }
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

export function readText(path) { return readFileSync(path, 'utf8'); }

// ---- several nodes (startStack({ nodes: 2 })) ----
// Node a is the usual portal.fcgi on stack.sock; nodes b, c, ... are more portal.fcgi
// processes on the same data directory (the same database, key file and mail spool), each
// listening on TCP with PORTAL_LISTEN=127.0.0.1:PORT (so both kinds of upstream address are
// in use), and nginx's upstream has one server line per node (NGINX_UPSTREAM of
// render-nginx.sh). Which node answered a request: stack.answeredBy(rid) reads nginx's access
// log (up=, the upstream address; needs accessLog: true). Each node: { name, addr, proc, pid,
// log(), exit() } in stack.nodes.
async function startNodes(count, env, sock) {
  const none = { nodes: [], nginxEnv: {}, ready: async () => {}, stop: () => [] };
  if (!count || count < 2) return none;
  const nodes = [];
  for (let i = 1; i < count; i++) {
    const port = await freePort();
    const name = String.fromCharCode(97 + i);
    // Its own copy of the key file, as a node on another machine has (PORTAL_KEY_FILE).
    const keys = join(env.PORTAL_DATA, `node-${name}`, 'secret.keys');
    mkdirSync(dirname(keys), { recursive: true, mode: 0o700 });
    copyFileSync(join(env.PORTAL_DATA, 'secret.keys'), keys);
    chmodSync(keys, 0o600);
    const nodeEnv = { ...env, PORTAL_LISTEN: `127.0.0.1:${port}`, PORTAL_KEY_FILE: keys };
    delete nodeEnv.PORTAL_SOCKET;
    let log = '', exit = null;
    const proc = spawn(PORTAL_BIN, [], { env: nodeEnv, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (b) => { log += b; });
    proc.stderr.on('data', (b) => { log += b; });
    proc.on('exit', (code, signal) => { exit = { code, signal }; });
    nodes.push({ name, addr: `127.0.0.1:${port}`, port, proc, pid: proc.pid,
      log: () => log, exit: () => exit });
  }
  return {
    nodes,
    nginxEnv: { NGINX_UPSTREAM: [`unix:${sock}`, ...nodes.map((n) => n.addr)].join(' ') },
    async ready() {
      for (const n of nodes) {
        await waitFor(`portal node ${n.name} on ${n.addr}`, () => n.exit() !== null || tcpOpen(n.port));
        if (n.exit()) throw new Error(`portal node ${n.name} exited at start: ${n.log()}`);
      }
    },
    /** SIGTERM to every node still running; the promises of their exits. */
    stop() {
      return nodes.filter((n) => n.exit() === null).map((n) => {
        const done = new Promise((ok) => n.proc.once('close', ok));
        n.proc.kill('SIGTERM');
        setTimeout(() => { if (n.exit() === null) n.proc.kill('SIGKILL'); }, 15000).unref();
        return done;
      });
    },
  };
}

function tcpOpen(port) {
  return new Promise((ok) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.on('connect', () => { c.destroy(); ok(true); });
    c.on('error', () => ok(false));
  });
}

/** The node (stack.nodes[i].name) whose answer carried request id rid, from nginx's access
 * log (up=ADDRESS ... rid=RID); null when nginx answered itself or the line is not there. */
export function answeredBy(stack, rid) {
  return answers(stack).get(rid) ?? null;
}

/** answeredBy, waiting up to waitMs for the line: nginx writes an access log line after it
 * has sent the answer, so a client that reads the log at once can be ahead of it (seen under
 * load: the last request's line was not there yet). */
export async function whoAnswered(stack, rid, waitMs = 2000) {
  const until = Date.now() + waitMs;
  for (;;) {
    const node = answeredBy(stack, rid);
    if (node !== null || rid == null || Date.now() >= until) return node;
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** Every answer in nginx's access log so far: Map request id -> node name. */
export function answers(stack) {
  const out = new Map();
  for (const line of readFileSync(stack.accessLogPath, 'utf8').split('\n')) {
    const m = / up=(\S+(?:, \S+)*) ".* rid=(\S+)$/.exec(line);
    if (!m) continue;
    // after a retry nginx lists every address tried ("A, B"); the last one answered
    const last = m[1].split(', ').at(-1);
    const node = stack.nodes.find((n) => n.addr === last);
    if (node) out.set(m[2], node.name);
  }
  return out;
}
