// nodes-failover.test.mjs — two portal nodes on one database behind one nginx upstream
// (startStack({ nodes: 2 })); under write load from several clients (invitations and orders,
// 32 s) node a is killed with SIGKILL, supervisor and worker, by the pids this test started:
// every write that got its 303 is in the database afterwards, only requests in flight on a
// when it died may fail, and nginx sends new requests to node b within a second. Prints the
// counts (acknowledged, lost, failed in flight, time to recover) for the notes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:net';
import { startStack, answers, childPids } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import * as R from '../lib/fixtures-relationships.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import { Client, csrfOf } from '../lib/http.mjs';

const LOAD_MS = 32000;     // the whole write load
const KILL_AT_MS = 12000;  // node a dies this far into it
const WORKERS = 3;         // clients per kind (invitations, orders)

let stack;
before(async () => { stack = await startStack({ nodes: 2, accessLog: true }); });
after(async () => { if (stack) await stack.stop(); });

test('SIGKILL of node a under 32 s of write load: no acknowledged write lost, only requests in flight on a fail, node b takes over within a second', { timeout: 120000 }, async (t) => {
  const { w, cust } = await C.custOrderWorld(stack, { prefix: 'fo', customer: { domain: 'fo-cust.example' }, agreement: 'failover-v1' });
  F.testOffers(stack);
  const signedIn = async () => {
    const c = new Client(stack.base);
    assert.equal((await c.signin(w.provider.email, R.REL_PASSWORD)).status, 303);
    return { c, csrf: csrfOf((await c.get('/resellers/invite')).text) };
  };
  const log = [];  // every write request: { kind, key, t0, t1, ok, status }
  let stop = false, killAt = null;
  const kinds = {
    invite: (k, csrf) => ['/resellers/invite', { csrf, email: k, message: '' }, (r) => r.status === 303 && /^\/resellers\/invitations\/\d+/.test(r.location)],
    order: (k, csrf) => [`/customers/${cust.tenantId}/order`, { csrf, reseller: w.reseller.accountId, mpn_id: w.reseller.mpn, offer: 'T-STD', quantity: '1', order_key: k },
      (r) => r.status === 303 && r.location === `/customers/${cust.tenantId}?m=order-placed`],
  };
  const worker = async (kind, n) => {
    const { c, csrf } = await signedIn();
    for (let i = 0; !stop; i++) {
      const key = kind === 'invite' ? `fo-${n}-${i}@load.example` : randomBytes(16).toString('base64url');
      const [path, body, good] = kinds[kind](key, csrf);
      const e = { kind, key, t0: performance.now(), t1: null, ok: false, status: null };
      log.push(e);
      try {
        const r = await c.post(path, body);
        e.status = r.status;
        e.ok = good(r);
        e.rid = r.headers['x-request-id'];
      } catch (err) { e.status = err.code ?? 'error'; }
      e.t1 = performance.now();
    }
  };
  const start = performance.now();
  const load = [...Array.from({ length: WORKERS }, (_, n) => worker('invite', n)), ...Array.from({ length: WORKERS }, (_, n) => worker('order', n))];
  await sleep(KILL_AT_MS);
  // Node a dies as a machine would: its supervisor and its worker, at once.
  const a = stack.nodes[0];
  const pids = [a.pid, ...childPids(a.pid)];
  assert.equal(pids.length, 2, 'node a: a supervisor and its worker');
  killAt = performance.now();
  const inFlight = log.filter((e) => e.t1 === null).length;
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  // The kernel tears a killed process down in its own time (longer for a sanitized build's
  // large mappings); until its listening socket closes, nginx can still hand it a request,
  // which then dies in flight on a. "After the kill" starts when the socket refuses.
  const refuses = () => new Promise((res) => {
    const s = connect(stack.sock);
    s.on('connect', () => { s.destroy(); res(false); });
    s.on('error', () => res(true));
  });
  while (!(await refuses()) && performance.now() - killAt < 5000) await sleep(2);
  const goneAt = performance.now();
  await sleep(Math.max(0, LOAD_MS - (performance.now() - start)));
  stop = true;
  await Promise.all(load);
  await sleep(100);

  const acked = log.filter((e) => e.ok);
  const failed = log.filter((e) => !e.ok);
  const invites = new Set(db.rows(stack, "SELECT email FROM reseller_invitations WHERE email LIKE 'fo-%@load.example'").map((r) => r.email));
  const orders = new Set(db.rows(stack, 'SELECT order_key FROM subscriptions WHERE customer_tenant_id = ?', cust.tenantId).map((r) => r.order_key));
  const lost = acked.filter((e) => !(e.kind === 'invite' ? invites : orders).has(e.key));
  const after = log.filter((e) => e.t0 > goneAt);
  const dying = log.filter((e) => e.t0 > killAt && e.t0 <= goneAt).length;
  const firstAfter = after.find((e) => e.ok);
  const recoverMs = firstAfter ? firstAfter.t1 - killAt : Infinity;
  const slowestAfter = Math.max(...after.map((e) => e.t1 - e.t0));
  const node = answers(stack);
  const byNode = { a: 0, b: 0 };
  for (const e of acked) { const n = node.get(e.rid); if (n) byNode[n]++; }
  t.diagnostic(`two nodes, ${WORKERS * 2} clients, ${(LOAD_MS / 1000).toFixed(0)} s: ${acked.length} acknowledged writes `
    + `(${acked.filter((e) => e.kind === 'invite').length} invitations, ${acked.filter((e) => e.kind === 'order').length} orders; `
    + `node a ${byNode.a}, node b ${byNode.b}), lost ${lost.length}, failed ${failed.length} (in flight at the kill: ${inFlight}), `
    + `begun while a was dying: ${dying} (${(goneAt - killAt).toFixed(0)} ms), first write acknowledged by node b ${recoverMs.toFixed(0)} ms after the kill, slowest request begun after the kill ${slowestAfter.toFixed(0)} ms`);

  assert.deepEqual(lost.map((e) => e.key), [], 'every acknowledged write is in the database');
  assert.ok(acked.length >= 300, `${acked.length} acknowledged writes`);
  assert.ok(byNode.a > 20 && byNode.b > 20, `both nodes took writes: ${JSON.stringify(byNode)}`);
  // Only requests in flight on node a when it died failed; none begun after the kill.
  assert.ok(goneAt - killAt < 1000, `node a's socket still accepted ${(goneAt - killAt).toFixed(0)} ms after the kill`);
  assert.ok(failed.length <= inFlight + dying, `${failed.length} failed, ${inFlight} were in flight, ${dying} begun while a was dying`);
  assert.deepEqual(failed.filter((e) => e.t0 > goneAt).map((e) => `${e.kind} ${e.status}`), [], 'no request begun after the kill failed');
  assert.ok(failed.every((e) => e.status === 502), `failures: ${failed.map((e) => e.status).join(', ')}`);
  assert.ok(recoverMs < 1000, `node b took over after ${recoverMs.toFixed(0)} ms`);
  assert.ok(slowestAfter < 1000, `a request begun after the kill took ${slowestAfter.toFixed(0)} ms`);
  // After the kill, node b answered everything; it is still healthy and stops cleanly.
  assert.deepEqual([...new Set(after.filter((e) => e.ok).map((e) => node.get(e.rid)))], ['b']);
  const b = stack.nodes[1];
  assert.equal((await fetch(`${stack.base}/healthz`)).status, 200);
  await stack.stop();
  assert.equal(b.exit()?.code, 0, b.log());
  stack = null;
});
