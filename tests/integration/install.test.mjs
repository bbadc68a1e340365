// install.test.mjs — `make install DESTDIR=<tmp>` (issue 16): the GNU layout, then the
// installed portal.fcgi and portalctl run from that tree, not the checkout, behind nginx with
// the installed site file, and a user signs in. The installed programs look for their
// settings, data, socket and templates under the compiled-in prefix (/usr/local), so the test
// runs them in a private mount namespace where the DESTDIR's usr/local is mounted on
// /usr/local, with the working directory / and an empty environment: nothing can come from
// the checkout. Then make uninstall. Mount namespaces need root: as any other user the test
// is skipped, saying so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, appendFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, freePort } from '../lib/stack.mjs';
import { Client } from '../lib/http.mjs';

const isRoot = process.getuid() === 0;
const skip = isRoot ? false : `needs root (uid ${process.getuid()}): the installed tree is mounted on /usr/local in a private mount namespace`;
const hasSystemdAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).status === 0;
const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl && command -v curl'], { encoding: 'utf8' }).status === 0;
const hasMandoc = spawnSync('sh', ['-c', 'command -v mandoc'], { encoding: 'utf8' }).status === 0;

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
// Runs argv with the DESTDIR's usr/local mounted on /usr/local (the same process: unshare and
// sh exec, so the pid is the program's).
const inTree = (dest, argv) => ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c',
  'mount --bind "$0/usr/local" /usr/local && cd / && exec "$@"', dest, ...argv]];
function runIn(dest, ...argv) {
  const [cmd, args] = inTree(dest, argv);
  const r = spawnSync(cmd, args, { env: ENV, cwd: '/', encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('make install DESTDIR: the installed programs serve the sign-in page from that tree behind nginx, and a user signs in; make uninstall', { skip }, async () => {
  const dest = mkdtempSync(join(tmpdir(), 'csp-portal-install-'));
  const port = await freePort();
  const procs = [];
  try {
    const make = spawnSync('make', ['-s', 'install', `DESTDIR=${dest}`, `NGINX_LISTEN=127.0.0.1:${port}`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(make.status, 0, make.stderr + make.stdout);
    const u = join(dest, 'usr/local');
    // The GNU layout.
    for (const f of ['sbin/portal.fcgi', 'sbin/portalctl', 'share/csp-portal/templates/layout.html',
      'share/csp-portal/static/css/portal.css', 'share/csp-portal/schema/schema.sql', 'share/man/man8/portal.fcgi.8',
      'share/man/man8/portalctl.8', 'share/man/man5/portal.conf.5', 'etc/csp-portal/portal.conf',
      'etc/nginx/sites-available/csp-portal', 'lib/systemd/system/csp-portal.service',
      'lib/systemd/system/csp-portal-backup.service', 'lib/systemd/system/csp-portal-backup.timer']) {
      assert.ok(existsSync(join(u, f)), `installed ${f}`);
    }
    assert.equal(statSync(join(u, 'sbin/portal.fcgi')).mode & 0o777, 0o755);
    assert.equal(statSync(join(u, 'var/lib/csp-portal')).mode & 0o777, 0o700, 'the data directory is private');
    // The paths the programs, the units and the site file use are the prefix's.
    const unit = readFileSync(join(u, 'lib/systemd/system/csp-portal.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/usr\/local\/sbin\/portal\.fcgi$/m);
    assert.match(unit, /^ReadWritePaths=\/usr\/local\/var\/lib\/csp-portal$/m);
    for (const h of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'ProtectHome=yes', 'CapabilityBoundingSet=$',
      'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'SystemCallFilter=@system-service', 'MemoryDenyWriteExecute=yes',
      'Restart=on-failure', 'User=csp-portal', 'SupplementaryGroups=www-data']) {
      assert.match(unit, new RegExp(`^${h}`, 'm'), h);
    }
    assert.match(readFileSync(join(u, 'lib/systemd/system/csp-portal-backup.service'), 'utf8'),
      /^ExecStart=\/usr\/local\/sbin\/portalctl backup --dir \/usr\/local\/var\/lib\/csp-portal\/backups --keep 14$/m);
    assert.match(readFileSync(join(u, 'lib/systemd/system/csp-portal-backup.timer'), 'utf8'), /^OnCalendar=daily$/m);
    const site = readFileSync(join(u, 'etc/nginx/sites-available/csp-portal'), 'utf8');
    assert.match(site, /^\s*root \/usr\/local\/share\/csp-portal;$/m);
    assert.match(site, /^\s*server unix:\/usr\/local\/var\/run\/csp-portal\/portal\.sock;$/m);
    assert.match(site, /^\s*# ssl_protocols TLSv1\.2 TLSv1\.3;$/m, 'the commented TLS block');
    assert.doesNotMatch(site, /@[A-Z_]+@/, 'every template value filled in');
    assert.doesNotMatch(site, /^\s*(events|http|pid|user)\b/m, 'only what belongs in Debian\'s http block');
    // The settings file the installed programs read by themselves.
    appendFileSync(join(u, 'etc/csp-portal/portal.conf'), `PORTAL_BASE_URL="http://127.0.0.1:${port}"\nPORTAL_THREADS=2\n`);

    // systemd's own check of the units (the programs and man pages exist in the namespace).
    if (hasSystemdAnalyze) {
      const v = runIn(dest, 'systemd-analyze', 'verify', '/usr/local/lib/systemd/system/csp-portal.service',
        '/usr/local/lib/systemd/system/csp-portal-backup.service', '/usr/local/lib/systemd/system/csp-portal-backup.timer');
      assert.equal(v.code, 0, `systemd-analyze verify: ${v.err}${v.out}`);
    }

    // The installed portalctl: a partner with a known password; MFA not required (a new
    // installation requires it). Files it makes belong to root here (no csp-portal user).
    const init = runIn(dest, '/usr/local/sbin/portalctl', 'init');
    assert.equal(init.code, 0, init.err);
    assert.match(init.out, /data directory \/usr\/local\/var\/lib\/csp-portal ready/);
    const cp = runIn(dest, '/usr/local/sbin/portalctl', 'create-partner', '--type', 'indirect_provider', '--org', 'Installed Ltd',
      '--domain', 'installed.example', '--country', 'DE', '--admin-email', 'ana@installed.example', '--admin-name', 'Ana Admin',
      '--password', 'correct horse battery');
    assert.equal(cp.code, 0, cp.err);
    assert.equal(runIn(dest, '/usr/local/sbin/portalctl', 'security', 'require-mfa', 'off').code, 0);
    assert.ok(existsSync(join(u, 'var/lib/csp-portal/portal.db')), 'the database is in the installed tree');

    // portal.fcgi from the tree, as the unit starts it (the runtime directory systemd makes).
    mkdirSync(join(u, 'var/run/csp-portal'), { recursive: true });
    chmodSync(join(u, 'var/run/csp-portal'), 0o755);
    const start = (argv, name) => {
      const [cmd, args] = inTree(dest, argv);
      const p = spawn(cmd, args, { env: ENV, cwd: '/', stdio: ['ignore', 'ignore', 'pipe'] });
      p.log = '';
      p.stderr.on('data', (b) => { p.log += b; });
      p.name = name;
      procs.push(p);
      return p;
    };
    const portal = start(['/usr/local/sbin/portal.fcgi'], 'portal.fcgi');
    const sock = join(u, 'var/run/csp-portal/portal.sock');
    for (let i = 0; i < 200 && !existsSync(sock); i++) await sleep(25);
    assert.ok(existsSync(sock), `the socket in the installed tree: ${portal.log}`);
    const st = statSync(sock);
    assert.equal(st.mode & 0o777, 0o660);
    const www = spawnSync('id', ['-g', 'www-data'], { encoding: 'utf8' });
    assert.equal(st.gid, Number(www.stdout.trim()), 'PORTAL_SOCKET_GROUP=www-data from the installed portal.conf');

    // nginx as Debian runs it: workers as www-data, the installed site file in its http block.
    const ng = join(dest, 'nginx');
    mkdirSync(ng);
    writeFileSync(join(ng, 'nginx.conf'), `user www-data;
worker_processes 1;
pid ${ng}/nginx.pid;
error_log ${ng}/error.log;
events { worker_connections 64; }
http {
    client_body_temp_path ${ng}/body;
    fastcgi_temp_path ${ng}/fastcgi;
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    gzip on;
    access_log ${ng}/access-default.log;
    include /usr/local/etc/nginx/sites-available/csp-portal;
}
`);
    chmodSync(dest, 0o755);   // nginx's workers (www-data) reach their temp directory
    // The site's access log: localstatedir/log/nginx (Debian: /var/log/nginx).
    mkdirSync(join(u, 'var/log/nginx'), { recursive: true });
    start(['nginx', '-c', join(ng, 'nginx.conf'), '-g', 'daemon off;'], 'nginx');
    const base = `http://127.0.0.1:${port}`;
    let up = false;
    for (let i = 0; i < 200 && !up; i++) {
      try { up = (await fetch(`${base}/healthz`)).status === 200; } catch { await sleep(25); }
    }
    assert.ok(up, `nginx + portal from the installed tree: ${procs.map((p) => p.log).join('\n')} ${existsSync(join(ng, 'error.log')) ? readFileSync(join(ng, 'error.log'), 'utf8') : ''}`);

    const page = await fetch(`${base}/signin`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="password"/);
    const css = await fetch(`${base}/static/css/portal.css`);
    assert.equal(css.status, 200, 'static files from the installed share/csp-portal/static');
    const missing = await fetch(`${base}/static/nope.css`);
    assert.equal(missing.status, 404);
    for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'x-request-id']) {
      assert.ok(missing.headers.get(h), `nginx's own 404 carries ${h}`);
    }
    assert.equal(missing.headers.get('content-encoding'), null);

    const c = new Client(base);
    const res = await c.signin('ana@installed.example');
    assert.equal(res.status, 303, 'signed in');
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Installed Ltd/);
    // The site's access log has no query strings (the installed log_format).
    const log = readFileSync(join(u, 'var/log/nginx/csp-portal-access.log'), 'utf8');
    assert.match(log, /"GET \/signin HTTP\/1\.1" 200 .* rid=[0-9a-f]{16}$/m);

    // The commented TLS block, uncommented (a throwaway certificate, a free port): nginx's own
    // answers then carry HSTS, and the portal answers over TLS.
    if (hasOpenssl) {
      const ngx = procs.pop();
      ngx.kill('SIGTERM');
      await new Promise((ok) => (ngx.exitCode !== null ? ok() : ngx.on('exit', ok)));
      const tlsPort = await freePort();
      const key = join(ng, 'key.pem'), cert = join(ng, 'cert.pem');
      const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      const tls = site.split('\n').filter((l) => !/^\s*listen 127\.0\.0\.1:\d+;$/.test(l) && !/^\s*# listen \[::\]:443/.test(l))
        .map((l) => l.replace(/^(\s*)# (listen 443 ssl http2;|ssl_\w+ .*)$/, '$1$2').replace('listen 443 ssl', `listen 127.0.0.1:${tlsPort} ssl`)
          .replace('/etc/ssl/certs/partners.example.com.pem', cert).replace('/etc/ssl/private/partners.example.com.key', key)).join('\n');
      assert.match(tls, /^\s*ssl_protocols TLSv1\.2 TLSv1\.3;$/m);
      writeFileSync(join(ng, 'site-tls'), tls);
      writeFileSync(join(ng, 'nginx.conf'), readFileSync(join(ng, 'nginx.conf'), 'utf8').replace('/usr/local/etc/nginx/sites-available/csp-portal', join(ng, 'site-tls')));
      start(['nginx', '-c', join(ng, 'nginx.conf'), '-g', 'daemon off;'], 'nginx');
      const curl = (path) => spawnSync('curl', ['-sk', '--retry', '20', '--retry-connrefused', '--retry-delay', '0', '-o', '/dev/null',
        '-D', '-', '-w', '%{http_code}', `https://127.0.0.1:${tlsPort}${path}`], { encoding: 'utf8' }).stdout;
      const own = curl('/static/nope.css');
      assert.match(own, /^strict-transport-security: max-age=31536000; includeSubDomains\r?$/mi, own);
      assert.match(own, /404$/);
      assert.match(curl('/signin'), /200$/);
    }

    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((ok) => (p.exitCode !== null ? ok() : p.on('exit', ok)))));
    procs.length = 0;

    // Man pages: every command and every setting, from the tables --help prints; mdoc lint.
    const ctlMan = readFileSync(join(u, 'share/man/man8/portalctl.8'), 'utf8');
    const cmds = [...readFileSync(join(ROOT, 'src/cli/commands.def'), 'utf8').matchAll(/^CMD\("([^"]+)"/gm)].map((m) => m[1]);
    assert.ok(cmds.includes('doctor') && cmds.length >= 20);
    for (const cmd of cmds) assert.ok(ctlMan.includes(`.It Cm "${cmd}"`), `portalctl(8) lists ${cmd}`);
    const confMan = readFileSync(join(u, 'share/man/man5/portal.conf.5'), 'utf8');
    const names = [...readFileSync(join(ROOT, 'src/base/config.def'), 'utf8').matchAll(/^CONF\(\s*\w+,\s*"(PORTAL_\w+)"/gm)].map((m) => m[1]);
    for (const n of names) {
      assert.ok(confMan.includes(`.It Ev ${n}\n`), `portal.conf(5) lists ${n}`);
      assert.ok(readFileSync(join(u, 'share/man/man8/portal.fcgi.8'), 'utf8').includes(`.It Ev ${n}\n`), `portal.fcgi(8) lists ${n}`);
    }
    assert.match(confMan, /^\.Ql "\/usr\/local\/var\/lib\/csp-portal" \.$/m, 'the installed default data directory');
    if (hasMandoc) {
      for (const m of ['man8/portal.fcgi.8', 'man8/portalctl.8', 'man5/portal.conf.5']) {
        const l = spawnSync('mandoc', ['-T', 'lint', '-W', 'warning', join(u, 'share/man', m)], { encoding: 'utf8' });
        assert.equal(l.status, 0, `mandoc -T lint ${m}: ${l.stdout}${l.stderr}`);
      }
    }

    // make uninstall: the programs and shared files go; settings and data stay.
    const un = spawnSync('make', ['-s', 'uninstall', `DESTDIR=${dest}`], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(un.status, 0, un.stderr);
    for (const f of ['sbin/portal.fcgi', 'sbin/portalctl', 'share/csp-portal', 'share/man/man8/portalctl.8', 'lib/systemd/system/csp-portal.service']) {
      assert.ok(!existsSync(join(u, f)), `uninstalled ${f}`);
    }
    for (const f of ['etc/csp-portal/portal.conf', 'var/lib/csp-portal/portal.db', 'var/lib/csp-portal/secret.keys']) {
      assert.ok(existsSync(join(u, f)), `kept ${f}`);
    }
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await sleep(200);
    rmSync(dest, { recursive: true, force: true });
  }
});
