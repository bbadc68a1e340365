// nodes.test.mjs — several portal nodes (issue 11): two portal.fcgi processes on one database
// behind one nginx upstream (stack option nodes: 2; node a on its unix socket, node b on TCP
// with PORTAL_LISTEN and its own copy of the key file named by PORTAL_KEY_FILE). The settings
// themselves; a user signed in through one node working through the other; mail delivered
// exactly once while every node and portalctl retry it at once (outbox claims); and the
// read-then-decide actions fired 20 at a time across both nodes, exactly one winning. The
// SIGKILL failover under write load is nodes-failover.test.mjs. Nothing here assumes the
// engine: requests go through nginx, database reads through db.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, stopChecked, whoAnswered, ROOT, PORTAL_BIN } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { Client, csrfOf, textOf } from '../lib/http.mjs';
import { fcgiRequest, paramsFor } from '../lib/fcgi.mjs';
import { waitForMail, linkIn, messages, sendmailSink } from '../lib/mail.mjs';

let stack;
before(async () => { stack = await startStack({ nodes: 2, accessLog: true }); });
after(() => stopChecked(stack));

const count = (sql, ...args) => Number(db.value(stack, `SELECT count(*) FROM ${sql}`, ...args));
const rid = (res) => res.headers['x-request-id'];

/** portal.fcgi with env (on top of a minimal environment) and args; { code, out }. */
function portal(env, args = ['--check']) {
  const r = spawnSync(PORTAL_BIN, args, { env: { PATH: process.env.PATH, PORTAL_TEMPLATES: join(ROOT, 'templates'), ...env }, encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('PORTAL_LISTEN and PORTAL_KEY_FILE: in --help; a missing host or port, or both listeners, refused with a message', () => {
  const help = portal({}, ['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /PORTAL_LISTEN +FastCGI on TCP instead of the unix socket: HOST:PORT, bound to that address only/);
  assert.match(help.out, /PORTAL_KEY_FILE +The key file \(default: <data>\/secret\.keys\); every node of one portal uses the same file/);
  const data = mkdtempSync(join(tmpdir(), 'csp-portal-listen-'));
  try {
    const refused = {
      ':9000': /PORTAL_LISTEN must be HOST:PORT: the host is missing/,
      '127.0.0.1': /PORTAL_LISTEN must be HOST:PORT \(e\.g\. 10\.0\.0\.11:9000\): the port is missing/,
      '127.0.0.1:': /the port is missing/,
      '127.0.0.1:0': /the port must be a number from 1 to 65535/,
      '127.0.0.1:65536': /the port must be a number from 1 to 65535/,
      '127.0.0.1:90x': /the port must be a number from 1 to 65535/,
      'fd00::1:9000': /an IPv6 address in brackets/,
      '[]:9000': /the host is missing/,
      'a b:9000': /the host may hold only/,
    };
    for (const [value, message] of Object.entries(refused)) {
      const r = portal({ PORTAL_DATA: data, PORTAL_LISTEN: value });
      assert.equal(r.code, 2, `${value}: ${r.out}`);
      assert.match(r.out, message, value);
    }
    const both = portal({ PORTAL_DATA: data, PORTAL_LISTEN: '127.0.0.1:9000', PORTAL_SOCKET: join(data, 's.sock') });
    assert.equal(both.code, 2);
    assert.match(both.out, /PORTAL_LISTEN and PORTAL_SOCKET are both set/);
    // A named key file is every node's: portal.fcgi never makes one of its own.
    const keys = portal({ PORTAL_DATA: data, PORTAL_KEY_FILE: join(data, 'shared.keys') });
    assert.equal(keys.code, 1);
    assert.match(keys.out, /PORTAL_KEY_FILE .*shared\.keys does not exist: copy the key file of the first node/);
    assert.equal(portal({ PORTAL_DATA: data, PORTAL_LISTEN: '127.0.0.1:9000' }).code, 0, 'a good value passes --check');
  } finally { rmSync(data, { recursive: true, force: true }); }
});

test('node b listens on TCP at the given address only, and speaks FastCGI there', async () => {
  const b = stack.nodes[1];
  assert.equal(b.addr, `127.0.0.1:${b.port}`);
  const res = await fcgiRequest({ host: '127.0.0.1', port: b.port }, { params: paramsFor('GET', '/healthz') });
  assert.equal(res.status, 200);
  // bound to 127.0.0.1, not to every address: 127.0.0.2 (loopback too) is refused
  const other = await new Promise((ok) => {
    const s = connect({ host: '127.0.0.2', port: b.port });
    s.on('connect', () => { s.destroy(); ok('connected'); });
    s.on('error', (e) => ok(e.code));
  });
  assert.equal(other, 'ECONNREFUSED');
  assert.match(b.log(), new RegExp(`serving 127\\.0\\.0\\.1:${b.port} with \\d+ threads`));
});

test('signed in through node a, the user keeps working through node b (session, CSRF binding and links are in the database and the shared key file)', async () => {
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'two-nodes.example' });
  // Sign in again until the sign-in itself was answered by node a.
  let c, signin;
  for (let i = 0; i < 10 && await whoAnswered(stack, rid(signin ?? { headers: {} })) !== 'a'; i++) {
    c = new Client(stack.base);
    signin = await c.signin(p.email, R.REL_PASSWORD);
    assert.equal(signin.status, 303);
    await sleep(20);
  }
  assert.equal(await whoAnswered(stack, rid(signin)), 'a', 'the sign-in was answered by node a');
  // Every following request: signed in, whichever node answers; both nodes answer some.
  const seen = { a: 0, b: 0 };
  let formFrom = null;
  for (let i = 0; i < 12; i++) {
    const page = await c.get('/resellers/invite');
    assert.equal(page.status, 200);
    await sleep(5);
    const node = await whoAnswered(stack, rid(page));
    seen[node]++;
    if (node === 'a') formFrom = page;
  }
  assert.ok(seen.a > 0 && seen.b > 0, JSON.stringify(seen));
  // A form node a served, posted until node b takes it: accepted (the CSRF binding is the
  // session's, the token's MAC the shared key's), and the emailed link it makes works anywhere.
  let posted, n = 0;
  do {
    posted = await c.post('/resellers/invite', { csrf: csrfOf(formFrom.text), email: `r${n++}@b-node.example`, message: '' });
    assert.equal(posted.status, 303, textOf(posted.text).slice(0, 200));
    await sleep(5);
  } while (await whoAnswered(stack, rid(posted)) !== 'b' && n < 10);
  assert.equal(await whoAnswered(stack, rid(posted)), 'b');
  const mail = await waitForMail(stack.mailDir, { to: `r${n - 1}@b-node.example` });
  const link = new URL(linkIn(mail, '/authorize'));
  const landings = new Set();
  for (let i = 0; i < 4; i++) {
    const r = await R.relOpen(new Client(stack.base), link.href);
    assert.equal(r.status, 200, 'the link signed by one node opens on either');
    landings.add(await whoAnswered(stack, rid(r)));
    await sleep(5);
  }
  assert.deepEqual([...landings].sort(), ['a', 'b']);
});

test('mail: every node and portalctl retry the outbox at once, and each message is delivered exactly once (claims)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-portal-sink-'));
  // A slow mail server (40 ms a message): two processes sending the same message would both
  // be inside it at once.
  const sink = sendmailSink(dir, { delayMs: 40 });
  const s = await startStack({ nodes: 2, env: { PORTAL_MAIL: 'sendmail', PORTAL_SENDMAIL: sink.command } });
  try {
    const p = await R.relPartner(s, { type: 'indirect_provider', domain: 'claims-provider.example' });
    const csrf = csrfOf((await p.client.get('/resellers/invite')).text);
    const invite = (i) => p.client.post('/resellers/invite', { csrf, email: `m${i}@claims.example`, message: '' });
    // Retries from two more processes the whole time (each what a node's housekeeping does).
    let retrying = true;
    const retriers = [0, 1].map(async () => { while (retrying) await s.ctlAsync('mail', 'retry'); });
    // 1) 30 invitations through both nodes while the mail server refuses: they pile up.
    sink.hold = true;
    for (let i = 0; i < 30; i += 6) assert.deepEqual((await Promise.all([0, 1, 2, 3, 4, 5].map((k) => invite(i + k)))).map((r) => r.status), Array(6).fill(303));
    // 2) It accepts again: 30 more invitations (each request delivers its own message after
    // the answer) while the retriers take the queued ones, and the new ones too if first.
    sink.hold = false;
    for (let i = 30; i < 60; i += 6) assert.deepEqual((await Promise.all([0, 1, 2, 3, 4, 5].map((k) => invite(i + k)))).map((r) => r.status), Array(6).fill(303));
    const until = Date.now() + 20000;
    while (Date.now() < until && Number(db.value(s, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND to_addr LIKE '%@claims.example'")) > 0) await sleep(50);
    retrying = false;
    await Promise.all(retriers);
    const got = sink.messages().filter((m) => /^m\d+@claims\.example$/.test(m.to));
    const per = new Map();
    for (const m of got) per.set(m.to, (per.get(m.to) ?? 0) + 1);
    const twice = [...per].filter(([, n]) => n > 1);
    t.diagnostic(`${got.length} deliveries of 60 messages; delivered twice: ${twice.length}`);
    assert.deepEqual(twice, [], 'no message delivered twice');
    assert.equal(per.size, 60, 'every message delivered');
    assert.equal(Number(db.value(s, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND claimed_by IS NULL AND to_addr LIKE 'm%@claims.example'")), 60);

    // A node that died holding a claim: nobody sends that message until the claim lapses,
    // then the next retry (any node) does.
    sink.hold = true;
    assert.equal((await invite(60)).status, 303);
    await sleep(200);
    sink.hold = false;
    db.exec(s, "UPDATE outbox SET claimed_by = 'dead-node:1', claimed_until = ? WHERE to_addr = 'm60@claims.example'", F.now() + 300);
    assert.equal(s.ctl('mail', 'retry').code, 0);
    assert.equal(sink.messages().filter((m) => m.to === 'm60@claims.example').length, 0, 'a live claim is left alone');
    db.exec(s, "UPDATE outbox SET claimed_until = ? WHERE to_addr = 'm60@claims.example'", F.now() - 1);
    assert.equal(s.ctl('mail', 'retry').code, 0);
    assert.equal(sink.messages().filter((m) => m.to === 'm60@claims.example').length, 1, 'a lapsed claim is taken over');
  } finally {
    await stopChecked(s);
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the write promise under concurrency: 20 at once, spread over both nodes ----

const N = 20;

/** The nodes that answered these responses (by request id in nginx's access log). */
async function nodesOf(responses) {
  await sleep(50);
  return new Set(await Promise.all(responses.map((r) => whoAnswered(stack, rid(r)))));
}

test('the last Global admin: 20 attempts at once by two Global admins to demote each other; exactly one succeeds', async () => {
  const p = await R.relPartner(stack, { type: null, domain: 'last-ga.example' });
  const second = await R.relUser(stack, p, { email: 'bo@last-ga.example', roles: ['global_admin'] });
  const ids = { ana: F.userId(stack, p.email), bo: F.userId(stack, second.email) };
  const csrfA = csrfOf((await p.client.get('/')).text), csrfB = csrfOf((await second.client.get('/')).text);
  const results = await Promise.all(Array.from({ length: N }, (_, i) => (i % 2
    ? p.client.post(`/settings/users/${ids.bo}`, { csrf: csrfA, 'roles[]': ['sales_agent'] })
    : second.client.post(`/settings/users/${ids.ana}`, { csrf: csrfB, 'roles[]': ['sales_agent'] }))));
  const won = results.filter((r) => r.status === 303 && /m=roles-updated$/.test(r.location));
  assert.equal(won.length, 1, results.map((r) => `${r.status} ${r.location ?? ''}`).join(', '));
  assert.equal(count('users WHERE tenant_id = ? AND (roles & 1) <> 0', p.tenantId), 1, 'one Global admin left');
  assert.equal(count("audit WHERE tenant_id = ? AND action = 'user.roles' AND outcome = 'ok'", p.tenantId), 1);
  assert.deepEqual([...await nodesOf(results)].sort(), ['a', 'b']);
});

test('accepting one invitation: 20 submissions at once of one reseller invitation and of one customer invitation; exactly one each', async () => {
  const p = await R.relPartner(stack, { type: 'indirect_provider', domain: 'acc-p.example' });
  const r = await R.relPartner(stack, { domain: 'acc-r.example' });
  const inv = await R.relInvite(stack, p, r.email);
  await R.relOpen(r.client, inv.link);
  const csrf = csrfOf((await r.client.get('/find-a-provider')).text);
  const t = C.tokenOf(inv.link);
  const results = await Promise.all(Array.from({ length: N }, () => r.client.post('/authorize', { csrf, t, confirm: 'yes' })));
  assert.deepEqual(results.map((x) => x.status).sort(), [303, ...Array(N - 1).fill(409)]);
  assert.equal(count('provider_relationships WHERE invitation_id = ?', inv.id), 1);
  assert.deepEqual([...await nodesOf(results)].sort(), ['a', 'b']);

  const w = await C.custPair(stack, { prefix: 'acc20' });
  const cust = await C.custOrg(stack, { domain: 'acc20-cust.example' });
  const cinv = await C.custInvite(stack, w, cust.email);
  await C.custOpen(cust.client, cinv.link);
  const ccsrf = csrfOf((await cust.client.get('/find-a-provider')).text);
  const cres = await Promise.all(Array.from({ length: N }, () => cust.client.post('/customer-invite', { csrf: ccsrf, t: C.tokenOf(cinv.link), confirm: 'yes' })));
  assert.deepEqual(cres.map((x) => x.status).sort(), [303, ...Array(N - 1).fill(409)]);
  assert.equal(count('customer_relationships WHERE customer_tenant_id = ?', cust.tenantId), 2);
  assert.equal(count("customer_invitations WHERE id = ? AND status = 'accepted'", cinv.id), 1);
});

test('placing an order: 20 submissions at once of one order form (one order key); exactly one subscription', async () => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'ord20', customer: { domain: 'ord20-cust.example' }, agreement: 'nodes-v1' });
  F.testOffers(stack);
  const form = await C.orderForm(w.provider.client, cust.tenantId, w.reseller.accountId);
  const fields = { csrf: form.csrf, reseller: w.reseller.accountId, mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '5', order_key: form.key };
  const results = await Promise.all(Array.from({ length: N }, () => w.provider.client.post(`/customers/${cust.tenantId}/order`, fields)));
  const where = results.map((r) => `${r.status} ${r.location}`);
  assert.equal(where.filter((x) => x === `303 /customers/${cust.tenantId}?m=order-placed`).length, 1, where.join(', '));
  assert.equal(where.filter((x) => x === `303 /customers/${cust.tenantId}?m=order-already-placed`).length, N - 1, where.join(', '));
  assert.equal(count('subscriptions WHERE order_key = ?', form.key), 1);
  assert.deepEqual([...await nodesOf(results)].sort(), ['a', 'b']);
});

test('a single-use link: 20 browsers submit one password-reset link at once; exactly one sets the password', async () => {
  const p = await R.relPartner(stack, { type: null, domain: 'link20.example' });
  const seen = messages(stack.mailDir).length;
  const forgot = await new Client(stack.base).submit('/password/forgot', { email: p.email });
  assert.equal(forgot.status, 303);
  const link = new URL(linkIn(await waitForMail(stack.mailDir, { to: p.email, subject: /reset/i, after: seen }), '/password/reset'));
  const browsers = await Promise.all(Array.from({ length: N }, async () => {
    const c = new Client(stack.base);
    assert.equal((await c.get(link.pathname + link.search)).status, 303);
    const page = await c.get('/password/reset');
    assert.equal(page.status, 200);
    return { c, csrf: csrfOf(page.text), t: /name="t"[^>]*value="([^"]*)"/.exec(page.text)?.[1] ?? '' };
  }));
  const results = await Promise.all(browsers.map(({ c, csrf, t }, i) => c.post('/password/reset', { csrf, t, password: `new password number ${i}`, password2: `new password number ${i}` })));
  const statuses = results.map((r) => r.status);
  assert.deepEqual(statuses.sort(), [303, ...Array(N - 1).fill(400)], statuses.join(','));
  const winner = results.findIndex((r) => r.status === 303);
  assert.equal((await new Client(stack.base).signin(p.email, `new password number ${winner}`)).status, 303);
  assert.equal(count("audit WHERE actor = ? AND action = 'password.reset' AND outcome = 'ok'", p.email), 1);
  assert.deepEqual([...await nodesOf(results)].sort(), ['a', 'b']);
});
