// requests.test.mjs — the dispatcher's answers through real nginx: CSRF on every POST
// route, 404 / 405 / 413 / 400 / 415, the security headers on every kind of response, and
// the request id shared by error page, header and log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, ROOT, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { waitForMail, linkIn, messages } from '../lib/mail.mjs';

const PW = 'correct horse battery';
let stack;

before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** Row counts of every table: "nothing written" means this does not change. */
function counts() {
  return F.tableCounts(stack);
}

/** Every POST route of routes.def: [{ id, path, perm }]. */
function postRoutes() {
  const defs = readFileSync(join(ROOT, 'src/web/routes.def'), 'utf8');
  return [...defs.matchAll(/^ROUTE\(\s*(\w+),\s*POST,\s*"([^"]+)",\s*\w+,\s*(\w+),/gm)].map((m) => ({ id: m[1], path: m[2], perm: m[3] }));
}

function rawRequest(method, path, { headers = {}, body } = {}) {
  return new Client(stack.base).request(method, path, { headers, body });
}

test('CSRF: every POST route without the token, or with a wrong one, is 403 and writes nothing', async () => {
  const user = new Client(stack.base);
  const email = 'ana@csrf.example';
  await user.signup({ domain: 'csrf.example', email });
  const userPw = F.user(stack, email).pw_hash;
  // a live reset link, so the reset POST would change something if let through
  const anon = new Client(stack.base);
  await anon.submit('/password/forgot', { email });
  const msg = await waitForMail(stack.mailDir, { to: email });
  const t = new URL(linkIn(msg, '/password/reset?t=')).searchParams.get('t');

  // a token that is valid, but for another browser
  const other = new Client(stack.base);
  const otherToken = csrfOf((await other.get('/signin')).text);
  const anonToken = csrfOf((await anon.get('/signin')).text);
  const userToken = csrfOf((await user.get('/')).text);
  assert.ok(otherToken && anonToken && userToken);
  assert.notEqual(otherToken, anonToken);

  const bodies = {
    '/signin': { email, password: PW },
    '/signup': { org: 'CSRF Org', domain: 'csrf2.example', country: 'DE', name: 'Eve', email: 'eve@csrf2.example', password: PW, password2: PW },
    '/signout': {},
    '/password/forgot': { email },
    '/password/reset': { t, password: 'a new password here', password2: 'a new password here' },
  };
  // The JSON API's POSTs (issue 14) read no cookie and so take no CSRF token: the signed-in
  // browser's own session and token there are 401 (no Bearer credential) and write nothing.
  const all = postRoutes();
  const routes = all.filter((r) => !r.path.startsWith('/api/'));
  for (const route of all.filter((r) => r.path.startsWith('/api/'))) {
    const before = counts();
    const res = await user.post(route.path.replace('#', '1'), { csrf: userToken, ...bodies['/signup'] });
    assert.equal(res.status, 401, `${route.id} with the browser's session and token: ${res.status}`);
    assert.deepEqual(counts(), before, `${route.id} with a browser's session wrote something`);
  }
  for (const p of Object.keys(bodies)) assert.ok(routes.some((r) => r.path === p), `${p} is a POST route`);
  for (const route of routes) {
    const signedIn = route.perm !== 'PUBLIC';
    const client = signedIn ? user : anon;
    const fields = bodies[route.path] ?? { password: PW, password2: 'x', name: 'x', email };
    // the rows as they were before this route's tries: each try must leave them so
    const before = counts();
    for (const [what, csrf] of [['no token', undefined], ['another browser\'s token', otherToken],
      ['the other session kind\'s token', signedIn ? anonToken : userToken], ['garbage', 'x'], ['empty', ''],
      ['one character changed', (signedIn ? userToken : anonToken).replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))]]) {
      const body = csrf === undefined ? fields : { csrf, ...fields };
      const res = await client.post(route.path.replace('#', '1'), body);
      assert.equal(res.status, 403, `${route.id} with ${what}: ${res.status}`);
      assert.match(textOf(res.text), /This form has expired or did not come from this site/, `${route.id} with ${what}`);
      assert.ok(!res.setCookies.some((s) => /^sid=[^;]/.test(s)), `${route.id}: a session was handed out`);
      assert.deepEqual(counts(), before, `${route.id} with ${what} wrote something`);
    }
  }
  // nothing happened: still signed in, same password, link unused, no new mail
  assert.match((await user.get('/')).text, /Global admin/);
  assert.equal(F.user(stack, email).pw_hash, userPw);
  // (the Create one confirmation link of the user's sign-up is used: issue 12, item 9)
  assert.equal(db.one(stack, "SELECT count(*) n FROM link_tokens WHERE used_at IS NOT NULL AND purpose <> 'signup-confirm'").n, 0);
  assert.equal(messages(stack.mailDir).length, 1);
  assert.equal(F.count(stack, 'tenants', { domain: 'csrf2.example' }), 0);
  // and with the right token each works (sign-out as the last)
  assert.equal((await anon.post('/password/forgot', { csrf: anonToken, email })).status, 303);
  assert.equal((await user.post('/signout', { csrf: userToken })).status, 303);
  await stack.waitForLog(/csrf refused on SIGNOUT_POST/);
});

test('404: unknown path, generic error page with a request id that is also in the header and the log', async () => {
  const c = new Client(stack.base);
  for (const path of ['/nope', '/signin/extra', '/static-not', '/password', '/SIGNIN', '/signin/']) {
    const res = await c.get(path);
    assert.equal(res.status, 404, path);
    const rid = res.headers['x-request-id'];
    assert.match(rid, /^[0-9a-f]{16}$/);
    assert.match(textOf(res.text), new RegExp(`Page not found .* Error 404 · Request ID ${rid}`));
    assert.match(res.headers['content-type'], /^text\/html; charset=utf-8$/);
    const log = await stack.waitForLog(`rid=${rid} `);
    assert.match(log, new RegExp(`rid=${rid} GET - 404 \\d+us`));
  }
  // static files that do not exist: nginx's 404, never the portal
  const s = await c.get('/static/nope.css');
  assert.equal(s.status, 404);
});

test('405 with Allow for methods a route does not take', async () => {
  const cases = [
    ['DELETE', '/signin', 'GET, HEAD, POST'],
    ['PUT', '/signup', 'GET, HEAD, POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
    ['GET', '/signout', 'POST'],
    ['PATCH', '/password/reset', 'GET, HEAD, POST'],
  ];
  for (const [method, path, allow] of cases) {
    const before = counts();
    const res = await rawRequest(method, path, method === 'GET' ? {} : { body: 'a=1' });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.allow, allow, `${method} ${path}`);
    assert.match(textOf(res.text), /Method not allowed/);
    assert.deepEqual(counts(), before);
  }
  // HEAD is GET without a body
  const head = await rawRequest('HEAD', '/signin');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
});

test('413: a body above the limit, whether nginx or the portal sees it first', async () => {
  const c = new Client(stack.base);
  const page = await c.get('/signin');
  const big = `csrf=${csrfOf(page.text)}&email=a%40b.example&password=${'x'.repeat(70 * 1024)}`;
  const before = counts();
  const res = await c.post('/signin', big);
  assert.equal(res.status, 413);
  assert.match(res.text, /<html/);                        // the portal-styled page nginx serves
  assert.match(res.headers['content-security-policy'], /default-src 'self'/);
  assert.deepEqual(counts(), before);
  // just under the limit: the portal reads it (and refuses the 64 KiB password: 422)
  const under = `csrf=${csrfOf(page.text)}&email=a%40b.example&password=${'x'.repeat(64 * 1024 - 200)}`;
  assert.equal((await c.post('/signin', under)).status, 422);

  // nginx configured with a larger limit than the portal: the portal's own check answers
  const s2 = await startStack({ env: { PORTAL_MAX_BODY: '4096' }, nginxMaxBody: 65536 });
  try {
    const d = new Client(s2.base);
    const p2 = await d.get('/signin');
    const r2 = await d.post('/signin', `csrf=${csrfOf(p2.text)}&email=a%40b.example&password=${'y'.repeat(8000)}`);
    assert.equal(r2.status, 413);
    assert.match(r2.headers['x-request-id'], /^[0-9a-f]{16}$/, 'answered by the portal');
    assert.match(textOf(r2.text), /Too much data/);
    const ok = await d.post('/signin', `csrf=${csrfOf(p2.text)}&email=a%40b.example&password=${'y'.repeat(3000)}`);
    assert.equal(ok.status, 422);
    await s2.waitForLog(/POST SIGNIN_POST 413 /);
  } finally {
    assert.equal((await s2.stop()).code, 0);
  }
});

test('400: bad percent-encoding, invalid UTF-8, NUL, repeated single-valued fields; 415 for other content types', async () => {
  const c = new Client(stack.base);
  const page = await c.get('/signin');
  const csrf = csrfOf(page.text);
  const pre = c.cookie('pre');
  const before = counts();
  for (const path of ['/signin?next=%zz', '/signin?next=%2', '/signin?x=%ff', '/signin?x=%C3%28', '/signin?x=%00',
    '/signin?next=/a&next=/b', '/signin?m=%ED%A0%80', '/%ff']) {
    const res = await c.get(path);
    assert.equal(res.status, 400, path);
    assert.match(textOf(res.text), /Bad request/, path);
    assert.equal(c.cookie('pre'), pre, `${path}: the CSRF binding was replaced`);
  }
  const bodies = [
    `csrf=${csrf}&email=%zz&password=x`,
    `csrf=${csrf}&email=a%4&password=x`,
    `csrf=${csrf}&email=%ff%fe&password=x`,
    `csrf=${csrf}&email=%C3%28&password=x`,
    `csrf=${csrf}&email=a%00b&password=x`,
    `csrf=${csrf}&email=a@b.example&email=b@b.example&password=x`,
    `csrf=${csrf}&csrf=${csrf}&email=a@b.example&password=x`,
  ];
  for (const body of bodies) {
    const res = await c.post('/signin', body);
    assert.equal(res.status, 400, body);
  }
  // raw bytes that are not UTF-8
  const raw = Buffer.concat([Buffer.from(`csrf=${csrf}&email=`), Buffer.from([0xc3, 0x28]), Buffer.from('&password=x')]);
  const rr = await new Promise((ok, fail) => {
    import('node:http').then(({ request }) => {
      const req = request(new URL('/signin', stack.base), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': raw.length, cookie: c.cookieHeader('/signin') } }, (res) => {
        res.resume(); res.on('end', () => ok(res.statusCode));
      });
      req.on('error', fail);
      req.end(raw);
    });
  });
  assert.equal(rr, 400);

  for (const ct of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencodedX', 'application/x-www-form']) {
    const res = await c.post('/signin', `csrf=${csrf}&email=a@b.example&password=x`, { headers: { 'content-type': ct } });
    assert.equal(res.status, 415, ct);
    assert.match(textOf(res.text), /Unsupported form/);
  }
  assert.deepEqual(counts(), before, 'a bad request wrote something');
  // the type with a charset parameter, or in capitals, is fine (the form itself is refused: 422)
  for (const ct of ['application/x-www-form-urlencoded; charset=UTF-8', 'Application/X-WWW-Form-Urlencoded']) {
    const res = await c.post('/signin', `csrf=${csrf}&email=a@b.example&password=wrong-password`, { headers: { 'content-type': ct } });
    assert.equal(res.status, 422, ct);
  }
});

test('security headers on every kind of response', async () => {
  const c = new Client(stack.base);
  await c.signup({ domain: 'headers.example', email: 'ana@headers.example' });
  const anon = new Client(stack.base);
  const signinPage = await anon.get('/signin');
  const csrf = csrfOf(signinPage.text);
  const kinds = {
    'page (signed in)': await c.get('/'),
    'page (signed out)': signinPage,
    'form error 422': await anon.post('/signin', { csrf, email: 'x@headers.example', password: 'wrong password!' }),
    'redirect 303': await anon.post('/password/forgot', { csrf, email: 'x@headers.example' }),
    'redirect to sign-in': await anon.get('/signin?next=/x'),
    'error 404': await anon.get('/nowhere'),
    'error 405': await anon.request('DELETE', '/signin'),
    'error 403': await anon.post('/signin', { email: 'x' }),
    'error 400': await anon.get('/signin?x=%zz'),
    'health check': await anon.get('/healthz'),
    'HEAD': await anon.request('HEAD', '/signin'),
    'nginx 413': await anon.post('/signin', 'x='.padEnd(70 * 1024, 'x')),
    'static css': await anon.get('/static/css/portal.css'),
    'static svg': await anon.get('/static/img/logo.svg'),
  };
  for (const [kind, res] of Object.entries(kinds)) {
    const h = res.headers;
    const csp = h['content-security-policy'] || '';
    assert.match(csp, /(^|; )default-src 'self'(;|$)/, `${kind}: ${csp}`);
    assert.match(csp, /(^|; )form-action 'self'(;|$)/, kind);
    assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/, kind);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, kind);
    assert.equal(h['x-content-type-options'], 'nosniff', kind);
    assert.equal(h['referrer-policy'], 'no-referrer', kind);
    assert.match(h['content-type'] || '', /; charset=utf-8$/i, `${kind}: ${h['content-type']}`);
    assert.equal(h.server, 'nginx', `${kind}: ${h.server}`);
    assert.equal(h['x-powered-by'], undefined, kind);
    if (kind.startsWith('static')) {
      assert.equal(res.status, 200, kind);
      assert.equal(h['cache-control'], 'public, max-age=3600', kind);
    } else if (kind !== 'nginx 413') {
      assert.equal(h['cache-control'], 'no-store', kind);
      assert.match(h['x-request-id'] || '', /^[0-9a-f]{16}$/, kind);
    }
    assert.equal(h['strict-transport-security'], undefined, `${kind}: HSTS over plain http`);
  }
  assert.equal(kinds['static css'].headers['content-type'], 'text/css; charset=utf-8');
  assert.equal(kinds['redirect 303'].status, 303);
  assert.equal(kinds['redirect to sign-in'].status, 200);   // signed out: the form itself
  assert.equal(kinds['nginx 413'].status, 413);
});

test('the log: one line per answered request with its route name and status', async () => {
  const c = new Client(stack.base);
  const seen = [];
  for (const [method, path, route, status] of [
    ['GET', '/healthz', 'HEALTHZ', 200], ['GET', '/signup', 'SIGNUP', 200], ['GET', '/nope', '-', 404],
    ['DELETE', '/signin', '-', 405], ['GET', '/password/forgot', 'FORGOT', 200], ['HEAD', '/signin', 'SIGNIN', 200]]) {
    const res = await c.request(method, path);
    assert.equal(res.status, status);
    seen.push([res.headers['x-request-id'], method, route, status]);
  }
  const log = await stack.waitForLog(`rid=${seen.at(-1)[0]} `);
  for (const [rid, method, route, status] of seen) {
    const lines = log.split('\n').filter((l) => l.includes(`rid=${rid} `));
    assert.equal(lines.length, 1, `${rid}: ${lines.join('\n')}`);
    assert.match(lines[0], new RegExp(`^\\S+Z rid=${rid} ${method} ${route.replace('-', '\\-')} ${status} \\d+us$`));
  }
});
