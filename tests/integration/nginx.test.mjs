// nginx.test.mjs — what nginx does on its own, in front of the portal (issue 12, hardening
// items 2 and 3):
//   - emailed-link tokens (<landing>?t=TOKEN) never reach a log nginx writes, whether the
//     portal answers or not: nginx answers the link's first request itself (the token goes
//     into the landing's cookie, the browser is sent to the bare path), so no upstream error
//     can quote a request line with the token;
//   - every answer nginx makes itself (its 400/405/414/404/413/502 pages, static files,
//     /favicon.ico, that first step of a link) carries the Content-Security-Policy, nosniff,
//     the other security headers and a request id (nginx's $request_id, 32 hex digits, also
//     in the access log), without doubling the headers of the portal's own answers.
// Requests curl or fetch cannot make (TRACE, a bad request line, an oversized cookie) go
// over a raw socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { startStack, stopChecked, ROOT } from '../lib/stack.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { waitForMail, linkIn, messages } from '../lib/mail.mjs';
import { mintToken } from '../lib/linktoken.mjs';

/** Every emailed link's landing path and the purpose of its token. */
const LANDINGS = {
  '/password/reset': 'password-reset',
  '/password/set': 'set-password',
  '/verify': 'verify-contact',
  '/authorize': 'reseller-invite',
  '/customer-invite': 'customer-invite',
  '/signup/confirm': 'signup-confirm',
};

let stack;
before(async () => { stack = await startStack({ accessLog: true }); });
after(() => stopChecked(stack));

/** Sends text as is on a new connection; resolves with the parsed answer once nginx closes. */
function raw(port, text) {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1');
    const chunks = [];
    s.on('data', (b) => chunks.push(b));
    s.on('error', fail);
    s.on('end', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const head = all.slice(0, all.indexOf('\r\n\r\n'));
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = {};            // lower-case name -> [values]: a doubled header shows
      for (const l of lines) {
        const i = l.indexOf(':');
        (headers[l.slice(0, i).toLowerCase()] ??= []).push(l.slice(i + 1).trim());
      }
      ok({ status: Number(statusLine.split(' ')[1]), headers, body: all.slice(head.length + 4) });
    });
    s.write(text);     // no half-close: nginx takes a FIN for a client gone (499)
  });
}

const get = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;

/** One value of header name, asserting it came exactly once. */
function one(res, name, kind) {
  const v = res.headers[name];
  assert.ok(v, `${kind}: no ${name} (status ${res.status})`);
  assert.equal(v.length, 1, `${kind}: ${name} ${v.length} times: ${v.join(' | ')}`);
  return v[0];
}

function assertSecurityHeaders(res, kind) {
  const csp = one(res, 'content-security-policy', kind);
  assert.match(csp, /(^|; )default-src 'self'(;|$)/, `${kind}: ${csp}`);
  assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/, kind);
  assert.match(csp, /(^|; )form-action 'self'(;|$)/, kind);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, kind);
  assert.equal(one(res, 'x-content-type-options', kind), 'nosniff', kind);
  assert.equal(one(res, 'referrer-policy', kind), 'no-referrer', kind);
  assert.equal(one(res, 'x-frame-options', kind), 'DENY', kind);
  assert.ok(one(res, 'cache-control', kind), kind);
  return one(res, 'x-request-id', kind);
}

/** Every file nginx wrote under the stack's nginx/log directory, joined. */
function nginxLogs(s) {
  const dir = join(s.data, 'nginx', 'log');
  const files = readdirSync(dir);
  assert.ok(files.includes('nginx-error.log') && files.includes('nginx-access.log'), files.join(', '));
  return files.map((f) => readFileSync(join(dir, f), 'latin1')).join('\n') + s.logs.nginx;
}

test('every emailed link the portal builds lands on a path nginx answers itself', () => {
  // The link builders: "%s/<path>?t=%s" with the base URL.
  const found = new Set();
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.c')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/"%s(\/[a-z/-]*)\?([a-z]+)=%s"/g)) found.add(`${m[1]}?${m[2]}`);
      }
    }
  };
  walk(join(ROOT, 'src'));
  assert.deepEqual([...found].sort(), Object.keys(LANDINGS).map((p) => `${p}?t`).sort());
  // and no email template builds a link with a query of its own
  for (const f of readdirSync(join(ROOT, 'templates/email'))) {
    assert.doesNotMatch(readFileSync(join(ROOT, 'templates/email', f), 'utf8'), /\{\{base_url\}\}\S*\?/, f);
  }
  const conf = readFileSync(join(ROOT, 'nginx.conf'), 'utf8');
  const m = /map \$uri \$landing_path \{([^}]*)\}/.exec(conf);
  assert.ok(m, 'the landing map in nginx.conf');
  const mapped = [...m[1].matchAll(/^\s*(\/\S+)\s+(\S+);$/gm)].map((x) => { assert.equal(x[2], x[1]); return x[1]; });
  assert.deepEqual(mapped.sort(), Object.keys(LANDINGS).sort());
});

test('emailed-link tokens: nginx sends the first step to the bare path, keeping the token in the landing cookie', async () => {
  for (const [path, purpose] of Object.entries(LANDINGS)) {
    const t = mintToken(stack, { purpose, row: 1, expires: Math.floor(Date.now() / 1000) + 3600 });
    for (const q of [`?t=${t}`, `?x=1&t=${t}`]) {
      const res = await raw(stack.port, get(path + q));
      assert.equal(res.status, 303, path + q);
      assert.equal(one(res, 'location', path), path);
      assert.match(one(res, 'x-request-id', path), /^[0-9a-f]{32}$/, 'answered by nginx');
      assert.equal(one(res, 'set-cookie', path), `tok=${t}; Path=${path}; Max-Age=3600; HttpOnly; SameSite=Lax`);
      assertSecurityHeaders(res, path);
      assert.equal(one(res, 'cache-control', path), 'no-store');
    }
    // not shaped like a token: "invalid", as the portal's own landing does it
    const bad = await raw(stack.port, get(`${path}?t=abc`));
    assert.equal(bad.status, 303);
    assert.equal(one(bad, 'set-cookie', path), `tok=invalid; Path=${path}; Max-Age=3600; HttpOnly; SameSite=Lax`);
    // an empty t= too
    const empty = await raw(stack.port, get(`${path}?a=1&t=`));
    assert.equal(empty.status, 303);
    assert.equal(one(empty, 'set-cookie', path), `tok=invalid; Path=${path}; Max-Age=3600; HttpOnly; SameSite=Lax`);
    // a query string without t= (a page's own message, ?m=) is the portal's
    for (const q of ['?m=customer-org-created', '?at=1&st=2']) {
      const other = await raw(stack.port, get(path + q));
      assert.match(one(other, 'x-request-id', path + q), /^[0-9a-f]{16}$/, `${path + q}: answered by the portal`);
      assert.equal(other.headers['set-cookie']?.find((c) => /^tok=[^;]/.test(c)), undefined, 'no token kept');
    }
    // the bare path is the portal's page
    const page = await raw(stack.port, get(path));
    assert.match(one(page, 'x-request-id', path), /^[0-9a-f]{16}$/, 'answered by the portal');
  }
  // only the exact paths, and nothing of the (decoded) path goes into a header
  const t = mintToken(stack, { purpose: 'verify-contact', row: 1, expires: Math.floor(Date.now() / 1000) + 3600 });
  for (const p of ['/verify%0d%0aX-Injected:%20yes', '/verify%0aSet-Cookie:%20sid=x', '/verify/x', '/verify%7C&t=1']) {
    const res = await raw(stack.port, get(`${p}?t=${t}`));
    assert.equal(res.headers['x-injected'], undefined, p);
    assert.ok(!(res.headers['set-cookie'] || []).some((c) => /^(sid|tok)=[^;]/.test(c)), `${p}: ${res.headers['set-cookie']}`);
    assert.match(one(res, 'x-request-id', p), /^[0-9a-f]{16}$/, `${p}: the portal's (not a landing)`);
  }
  // other paths keep their query strings
  const signin = await new Client(stack.base).get('/signin?next=/customers');
  assert.equal(signin.status, 200);
  assert.match(signin.text, /name="next" value="\/customers"/);
});

test('emailed-link tokens never reach nginx\'s logs while the portal answers (a whole password reset)', async () => {
  const c = new Client(stack.base);
  const email = 'ana@nginx-up.example';
  await c.signup({ domain: 'nginx-up.example', email });
  await c.signout();
  const before = messages(stack.mailDir).length;
  assert.equal((await c.submit('/password/forgot', { email })).status, 303);
  const msg = await waitForMail(stack.mailDir, { to: email, after: before });
  const url = new URL(linkIn(msg, '/password/reset?t='));
  const tokens = [url.searchParams.get('t')];
  const landing = await c.get(url.pathname + url.search);
  assert.equal(landing.status, 303);
  assert.match(landing.headers['x-request-id'], /^[0-9a-f]{32}$/, 'the link\'s first step is nginx\'s');
  const page = await c.follow(landing);
  assert.equal(page.status, 200);
  const t = /name="t" value="([^"]*)"/.exec(page.text)?.[1];
  const done = await c.post('/password/reset', { csrf: csrfOf(page.text), t, password: 'a new nginx passphrase', password2: 'a new nginx passphrase' });
  assert.equal(done.status, 303);
  assert.equal((await new Client(stack.base).signin(email, 'a new nginx passphrase')).status, 303);
  // every other landing, with a token of its purpose
  for (const [path, purpose] of Object.entries(LANDINGS)) {
    const tok = mintToken(stack, { purpose, row: 999, expires: Math.floor(Date.now() / 1000) + 3600 });
    tokens.push(tok);
    const d = new Client(stack.base);
    const r1 = await d.get(`${path}?t=${tok}`);
    assert.equal(r1.status, 303, path);
    const r2 = await d.follow(r1);
    assert.ok(r2.status < 500, `${path}: ${r2.status}`);
  }
  await stack.waitForLog(/POST RESET_POST 303 /);
  const logs = nginxLogs(stack);
  assert.match(logs, /"GET \/password\/reset HTTP\/1\.1" 303 /, 'the access log has the landings');
  for (const tok of tokens) assert.ok(!logs.includes(tok), `a token in nginx's logs: ${tok}`);
});

test('emailed-link tokens never reach nginx\'s logs when the portal fails: stopped, or closing every connection', async () => {
  const s = await startStack({ accessLog: true });
  let fake = null;
  try {
    const tokens = [];
    const answers = [];        // [what, status, expected]: checked after the logs,
    const late = [];           // and so are these (the logs first: they are the point)
    const visit = async (phase) => {
      for (const [path, purpose] of Object.entries(LANDINGS)) {
        const t = mintToken(s, { purpose, row: 7, expires: Math.floor(Date.now() / 1000) + 3600 });
        tokens.push(t);
        const c = new Client(s.base);
        const r1 = await c.get(`${path}?t=${t}`);
        answers.push([`${phase} ${path}?t=: answered by nginx, not passed on`, r1.status, 303]);
        // the portal's part (the bare path, the token in the cookie): it fails
        const r2 = await raw(s.port, get(path, `Cookie: tok=${t}\r\n`));
        answers.push([`${phase} ${path}`, r2.status, 502]);
        late.push(() => {
          assert.match(textOf(r2.body), /The portal is not answering/);
          assert.match(assertSecurityHeaders(r2, `${phase} 502`), /^[0-9a-f]{32}$/);
        });
        // a request line that carries it again (an old bookmark, a mail client's prefetch)
        const r3 = await raw(s.port, get(`${path}?t=${t}&again=1`));
        answers.push([`${phase} ${path}?t=&again=1`, r3.status, 303]);
        // the form's POST carries it in the body, which no log holds
        const r4 = await c.post(path, { csrf: 'x', t });
        answers.push([`${phase} POST ${path}`, r4.status, 502]);
      }
    };
    // 1. the portal stopped (SIGTERM: it removes its socket)
    const exited = new Promise((ok) => s.portal.once('exit', (code) => ok(code)));
    s.portal.kill('SIGTERM');
    assert.equal(await exited, 0);
    await visit('stopped');
    // 2. something listening on the socket that closes every connection at once
    fake = createServer((conn) => conn.destroy());
    await new Promise((ok, fail) => { fake.once('error', fail); fake.listen(s.sock, ok); });
    await visit('closing');

    const logs = nginxLogs(s);
    const errors = readFileSync(join(s.data, 'nginx', 'log', 'nginx-error.log'), 'latin1');
    // the upstream failures were logged, with their request lines (so the check below means something)
    assert.match(errors, /connect\(\) to unix:.* failed/);
    assert.match(errors, /while reading response header from upstream/);
    for (const t of tokens) assert.ok(!logs.includes(t), `a token in nginx's logs: ${t}`);
    assert.doesNotMatch(logs, /\?t=/);
    for (const [what, status, expected] of answers) assert.equal(status, expected, what);
    for (const check of late) check();
    for (const path of Object.keys(LANDINGS)) {
      assert.match(errors, new RegExp(`request: "GET ${path.replace(/\//g, '\\/')} HTTP/1\\.1"`), path);
      assert.match(errors, new RegExp(`request: "POST ${path.replace(/\//g, '\\/')} HTTP/1\\.1"`), path);
    }
    assert.equal(tokens.length, 2 * Object.keys(LANDINGS).length);
  } finally {
    if (fake) await new Promise((ok) => fake.close(ok));
    await s.stop();
  }
});

test('answers nginx makes itself carry the security headers and a request id; TRACE gets Allow', async () => {
  const cases = {
    'TRACE': ['TRACE /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 405],
    'TRACE static': ['TRACE /static/css/portal.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 405],
    'bad request line': ['GET /signin HTTP/1.1 junk\r\nHost: 127.0.0.1\r\n\r\n', 400],
    'bad method': ['G@T /signin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 400],
    'no Host': ['GET /signin HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
    'oversized cookie': [get('/signin', `Cookie: a=${'x'.repeat(9000)}\r\n`), 400],
    'URI too long': [get(`/signin?x=${'y'.repeat(9000)}`), 414],
    'favicon': [get('/favicon.ico'), 204],
    'copy.js': [get('/static/js/copy.js'), 200],
    'static css': [get('/static/css/portal.css'), 200],
    'static svg': [get('/static/img/logo.svg'), 200],
    'static 404': [get('/static/nothing.css'), 404],
    'POST static': ['POST /static/css/portal.css HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 405],
    '413 page': [`POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${80 * 1024}\r\nConnection: close\r\n\r\n${'x'.repeat(80 * 1024)}`, 413],
    'link step': [get(`/verify?t=${'A'.repeat(72)}`), 303],
  };
  const rids = {};
  for (const [kind, [text, status]] of Object.entries(cases)) {
    const res = await raw(stack.port, text);
    assert.equal(res.status, status, kind);
    const rid = assertSecurityHeaders(res, kind);
    assert.match(rid, /^[0-9a-f]{32}$/, `${kind}: nginx's request id`);
    rids[kind] = [rid, status];
    if (kind.startsWith('static') && status === 200) assert.equal(one(res, 'cache-control', kind), 'public, max-age=3600');
    else if (kind !== 'copy.js') assert.equal(one(res, 'cache-control', kind), 'no-store', kind);
    if (res.headers['content-type']) assert.match(one(res, 'content-type', kind), /; charset=utf-8$/, kind);
  }
  const trace = await raw(stack.port, cases.TRACE[0]);
  assert.equal(one(trace, 'allow', 'TRACE'), 'GET, HEAD, POST');
  const traceStatic = await raw(stack.port, cases['TRACE static'][0]);
  assert.equal(one(traceStatic, 'allow', 'TRACE static'), 'GET, HEAD');
  const postStatic = await raw(stack.port, cases['POST static'][0]);
  assert.equal(one(postStatic, 'allow', 'POST static'), 'GET, HEAD');
  const js = await raw(stack.port, cases['copy.js'][0]);
  assert.equal(one(js, 'content-type', 'copy.js'), 'text/javascript; charset=utf-8');
  assert.equal(one(js, 'cache-control', 'copy.js'), 'public, max-age=3600');
  // the request id the client saw is the one in the access log
  const access = readFileSync(stack.accessLogPath, 'utf8');
  for (const [kind, [rid, status]] of Object.entries(rids)) {
    if (kind === 'favicon') continue;   // access_log off there
    assert.match(access, new RegExp(` ${status} \\d+ [0-9.]+ rid=${rid}$`, 'm'), kind);
  }

  // the portal's own answers keep their headers, each once (nginx adds none of its own)
  for (const [kind, text, status] of [
    ['page', get('/signin'), 200], ['404', get('/nowhere'), 404], ['health', get('/healthz'), 200],
    ['405', 'DELETE /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 405],
  ]) {
    const res = await raw(stack.port, text);
    assert.equal(res.status, status, kind);
    assert.match(assertSecurityHeaders(res, `portal ${kind}`), /^[0-9a-f]{16}$/, kind);
    assert.equal(one(res, 'cache-control', kind), 'no-store');
    assert.match(one(res, 'content-security-policy', kind), /script-src 'self'/, `${kind}: the portal's policy`);
    for (const h of ['cross-origin-opener-policy', 'x-frame-options', 'referrer-policy']) one(res, h, kind);
    if (status === 405) assert.equal(one(res, 'allow', kind), 'GET, HEAD, POST');
    else assert.equal(res.headers.allow, undefined, kind);
  }
});
