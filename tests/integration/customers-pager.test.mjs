// customers-pager.test.mjs — the customer lists at length (issue 17): /customers and
// /providers/N/customers read a page at a time from a cursor (First / Previous / Next / Last,
// no page numbers), in every sort; next and previous across page boundaries, stable when a
// customer is added between requests; old ?page= links still work. Through real nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, decode } from '../lib/http.mjs';
import * as C from '../lib/fixtures-customers.mjs';
import * as X from '../lib/fixtures.mjs';

let stack, w;
const N = 45;
before(async () => {
  stack = await startStack();
  w = await C.custPair(stack, { prefix: 'cpg' });
  // names in mixed case (the order ignores it) and since in another order than names
  for (let i = 0; i < N; i++) {
    const name = `${i % 3 ? 'Customer' : 'customer'} ${String((i * 17) % N).padStart(2, '0')}`;
    const id = X.newTenant(stack, { name, domain: `cpg-c${i}.example`, kind: 'customer' });
    X.customerRelationships(stack, id, [w.reseller.accountId, w.provider.accountId], { since: 1700000000 + ((i * 7) % N) * 86400 });
  }
});
after(() => stopChecked(stack));

/** The customer names of a list page, top to bottom. */
function names(html) {
  const m = /<table aria-label(?:ledby)?="(?:Customers|customers-head)">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  if (!m) return [];
  return [...m[1].matchAll(/<tr>\s*<td[^>]*><a href="\/customers\/\d+">([^<]*)<\/a>/g)].map((r) => decode(r[1]));
}

function link(html, rel) {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]) : null;
}

async function walk(client, url, rel) {
  const pages = [];
  for (let n = 0; url && n < 10; n++) {
    const res = await client.get(url);
    assert.equal(res.status, 200, url);
    pages.push(names(res.text));
    url = link(res.text, rel);
  }
  return pages;
}

/** The provider's customers in an order, from the database. */
function expected(order) {
  return db.rows(stack, `SELECT t.name FROM customer_relationships cr JOIN tenants t ON t.id = cr.customer_tenant_id
    WHERE cr.partner_id = ? AND cr.status = 'active' ORDER BY ${order}`, w.provider.accountId).map((r) => r.name);
}

const ORDERS = {
  '': 'lower(t.name), t.id',
  'sort=name&dir=desc': 'lower(t.name) DESC, t.id DESC',
  'sort=since&dir=asc': 'cr.since, t.id',
  'sort=since&dir=desc': 'cr.since DESC, t.id DESC',
};

test('/customers: Next and Previous across page boundaries, First and Last, in every sort', async () => {
  const c = w.provider.client;
  for (const [q, order] of Object.entries(ORDERS)) {
    const want = expected(order);
    assert.equal(want.length, N);
    const url = `/customers${q ? `?${q}` : ''}`;
    const first = await c.get(url);
    assert.deepEqual(names(first.text), want.slice(0, 20), q);
    assert.equal(link(first.text, 'prev'), null);
    assert.equal(link(first.text, 'first'), null);
    assert.doesNotMatch(textOf(first.text), /Page 1 of/);
    const down = await walk(c, url, 'next');
    assert.deepEqual(down.map((p) => p.length), [20, 20, 5], q);
    assert.deepEqual(down.flat(), want, q);
    // Previous from the second page is the first page
    const second = await c.get(link(first.text, 'next'));
    assert.deepEqual(names((await c.get(link(second.text, 'prev'))).text), want.slice(0, 20), q);
    // Last: a full page of the last ones; Previous from there climbs to the first page
    const last = await c.get(link(first.text, 'last'));
    assert.deepEqual(names(last.text), want.slice(-20), q);
    assert.equal(link(last.text, 'next'), null);
    const up = await walk(c, link(first.text, 'last'), 'prev');
    assert.deepEqual(up.at(-1), want.slice(0, 20), q);
    assert.deepEqual([...new Set(up.reverse().flat())].sort(), [...want].sort(), q);
    // the links keep the sort
    if (q) assert.ok(link(first.text, 'next').startsWith(`/customers?${q}&after=`), link(first.text, 'next'));
  }
});

test('/customers: a page does not shift when a customer is added between requests; old ?page= links work', async () => {
  const c = w.provider.client;
  const first = await c.get('/customers');
  const next = link(first.text, 'next');
  const page2 = names((await c.get(next)).text);
  const id = X.newTenant(stack, { name: 'AAA New Customer', domain: 'cpg-new.example', kind: 'customer' });
  X.customerRelationships(stack, id, [w.provider.accountId]);
  assert.deepEqual(names((await c.get(next)).text), page2, 'Next shows the same customers as before');
  assert.equal(names((await c.get('/customers')).text)[0], 'AAA New Customer');
  // an old link: the second page of 20 by skipping, with the cursor pager around it
  const want = expected(ORDERS['']);
  const old = await c.get('/customers?page=2');
  assert.equal(old.status, 200);
  assert.deepEqual(names(old.text), want.slice(20, 40));
  assert.deepEqual(names((await c.get(link(old.text, 'next'))).text), want.slice(40));
  // an old link far beyond what is skipped (1000 rows): the last page
  assert.deepEqual(names((await c.get('/customers?page=60')).text), want.slice(-20));
  for (const bad of ['after=x', 'before=-1', 'last=yes', 'after=']) {
    assert.equal((await c.get(`/customers?${bad}`)).status, 400, bad);
  }
  // a cursor whose customer is not on the list: the first page
  assert.deepEqual(names((await c.get('/customers?after=999999')).text), want.slice(0, 20));
});

test('/providers/N/customers: the shared customers by name, Next / Previous / Last', async () => {
  const c = w.reseller.client;
  const want = db.rows(stack, `SELECT t.name FROM customer_relationships r1 JOIN customer_relationships r2
      ON r2.customer_tenant_id = r1.customer_tenant_id AND r2.partner_id = ? AND r2.status = 'active'
    JOIN tenants t ON t.id = r1.customer_tenant_id WHERE r1.partner_id = ? AND r1.status = 'active'
    ORDER BY lower(t.name), t.id`, w.provider.accountId, w.reseller.accountId).map((r) => r.name);
  assert.equal(want.length, N);
  const url = `/providers/${w.rel}/customers`;
  const down = await walk(c, url, 'next');
  assert.deepEqual(down.flat(), want);
  assert.deepEqual(down.map((p) => p.length), [20, 20, 5]);
  const first = await c.get(url);
  const last = await c.get(link(first.text, 'last'));
  assert.deepEqual(names(last.text), want.slice(-20));
  assert.deepEqual(names((await c.get(link(last.text, 'prev'))).text), want.slice(5, 25));
  assert.deepEqual(names((await c.get(`${url}?page=3`)).text), want.slice(40));
});
