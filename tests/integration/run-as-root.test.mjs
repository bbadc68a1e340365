// run-as-root.test.mjs — `make run` started as root (issue 12, hardening item 8): nginx's
// workers run as www-data, not root; the portal's socket (mode 0660) belongs to www-data's
// group, so they can connect and other users cannot; the data directory (database, keys)
// stays out of their reach. Runs scripts/run.sh itself, the script make run runs, on a free
// port with a data directory of its own, and stops it with SIGTERM as Ctrl-C would.
// Only root can start nginx so that its workers change user: as any other user the test is
// skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, PORTAL_BIN, PORTALCTL_BIN, freePort, childPids } from '../lib/stack.mjs';

const isRoot = process.getuid() === 0;
const builtHere = PORTAL_BIN === join(ROOT, 'cgi-bin/portal.fcgi') && PORTALCTL_BIN === join(ROOT, 'bin/portalctl');
const skip = !isRoot ? `needs root (uid ${process.getuid()}): only a root nginx switches its workers to another user`
  : !builtHere ? 'make run uses cgi-bin/portal.fcgi and bin/portalctl; PORTAL_BIN/PORTALCTL_BIN point elsewhere'
  : false;

function ids(name) {
  const r = spawnSync('id', [name], { encoding: 'utf8' });
  assert.equal(r.status, 0, `no user ${name}`);
  const m = /uid=(\d+).*gid=(\d+)/.exec(r.stdout);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

/** Real, effective, saved and filesystem ids of a process, from /proc/<pid>/status. */
function procIds(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const f = (k) => new RegExp(`^${k}:\\s+(.*)$`, 'm').exec(st)[1].split(/\s+/).map(Number);
  return { uid: f('Uid'), gid: f('Gid'), groups: (/^Groups:\s*(.*)$/m.exec(st)[1].trim() || '').split(/\s+/).filter(Boolean).map(Number), name: /^Name:\s+(.*)$/m.exec(st)[1] };
}

/** Runs node code as another user (no supplementary groups); returns its exit status and output. */
function asUser(uid, gid, code) {
  const r = spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, '-e', code], { encoding: 'utf8', cwd: '/' });
  return { status: r.status, out: (r.stdout + r.stderr).trim() };
}

const connectCode = (sock) => `require('net').connect(${JSON.stringify(sock)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(3); });`;

test('make run as root: nginx workers run as www-data; the socket lets www-data in and nobody else', { skip }, async () => {
  const www = ids('www-data');
  const nobody = ids('nobody');
  const data = mkdtempSync(join(tmpdir(), 'csp-portal-run-'));
  const port = await freePort();
  const run = spawn(join(ROOT, 'scripts/run.sh'), [], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), PORTAL_DATA: data, PORTAL_BASE_URL: `http://127.0.0.1:${port}`, PORTAL_SOCKET: '', PORTAL_SOCKET_GROUP: '', NGINX_USER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  run.stdout.on('data', (b) => { out += b; });
  run.stderr.on('data', (b) => { out += b; });
  let exit = null;
  run.on('exit', (code, signal) => { exit = { code, signal }; });
  let runDir = null;
  try {
    const until = Date.now() + 60000;
    while (!out.includes('Press Ctrl-C to stop.') && exit === null && Date.now() < until) await sleep(50);
    assert.ok(out.includes('Press Ctrl-C to stop.'), `run.sh did not start:\n${out}`);

    // the processes run.sh started: portal.fcgi (its worker below it) and nginx's master
    const kids = childPids(run.pid).map((pid) => ({ pid, ...procIds(pid) }));
    const master = kids.find((k) => k.name === 'nginx');
    const portal = kids.find((k) => k.name === 'portal.fcgi');
    assert.ok(master && portal, JSON.stringify(kids));
    const workers = childPids(master.pid).map((pid) => ({ pid, ...procIds(pid) }));
    assert.ok(workers.length >= 1, 'no nginx worker');
    for (const w of workers) {
      assert.deepEqual(w.uid, [www.uid, www.uid, www.uid, www.uid], `worker ${w.pid} uids`);
      assert.deepEqual(w.gid, [www.gid, www.gid, www.gid, www.gid], `worker ${w.pid} gids`);
      assert.ok(!w.groups.includes(0), `worker ${w.pid} in root's group`);
    }
    const conf = readFileSync(join(data, 'nginx', 'nginx.conf'), 'utf8');
    assert.match(conf, /^user www-data www-data;$/m);
    assert.doesNotMatch(conf, /^user root/m);

    // the socket: root's, group www-data, 0660, in a directory www-data may pass through
    const sock = /^\s*socket: (\S+)/m.exec(out)?.[1];
    assert.ok(sock && existsSync(sock), `socket in run.sh's banner:\n${out}`);
    runDir = join(sock, '..');
    const st = statSync(sock);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660, `socket mode ${(st.mode & 0o777).toString(8)}`);
    assert.equal(st.uid, 0);
    assert.equal(st.gid, www.gid, 'socket group');
    const asWww = asUser(www.uid, www.gid, connectCode(sock));
    assert.equal(asWww.out, 'connected', 'www-data connects');
    const asNobody = asUser(nobody.uid, nobody.gid, connectCode(sock));
    assert.equal(asNobody.status, 3, `nobody connected: ${asNobody.out}`);
    assert.equal(asNobody.out, 'EACCES');
    // www-data reaches neither the database nor the keys
    for (const f of ['portal.db', 'secret.keys']) {
      const r = asUser(www.uid, www.gid, `require('fs').readFileSync(${JSON.stringify(join(data, f))}); console.log('read')`);
      assert.notEqual(r.out, 'read', `www-data read ${f}`);
    }

    // and the portal works through those workers: a page, a static file, a sign-in
    const page = await fetch(`http://127.0.0.1:${port}/signin`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('x-request-id'), /^[0-9a-f]{16}$/, 'answered by the portal');
    const css = await fetch(`http://127.0.0.1:${port}/static/css/portal.css`);
    assert.equal(css.status, 200);
    assert.match(await css.text(), /\S/);
  } finally {
    if (exit === null) {
      const gone = new Promise((ok) => run.once('exit', ok));
      run.kill('SIGTERM');
      await Promise.race([gone, sleep(15000, undefined, { ref: false })]);
      if (exit === null) run.kill('SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  }
  assert.match(out, /stopped\.\s*$/, out);
  assert.ok(!runDir || !existsSync(runDir), `run.sh left ${runDir}`);
});
