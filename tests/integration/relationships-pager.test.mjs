// relationships-pager.test.mjs — /resellers and /providers at length (issue 17): a page at a
// time from a cursor (First / Previous / Next / Last), in every sort; next and previous across
// page boundaries; stable when a relationship is added between requests. Through real nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import { textOf, decode } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

function rowsOf(html, labelId) {
  const m = new RegExp(`<table aria-labelledby="${labelId}">([\\s\\S]*?)</table>`).exec(html) ?? /<table[^>]*>([\s\S]*?)<\/table>/.exec(html);
  if (!m) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1])?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => textOf(/<td[^>]*>([\s\S]*?)<\/td>/.exec(r[1])[1]));
}
function link(html, rel) {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]) : null;
}
async function walk(client, url, rel, label) {
  const pages = [];
  for (let n = 0; url && n < 10; n++) {
    const res = await client.get(url);
    assert.equal(res.status, 200, url);
    pages.push(rowsOf(res.text, label));
    url = link(res.text, rel);
  }
  return pages;
}

const N = 47;
const ORDERS = { '': 'lower(t.name), r.id', 'sort=name&dir=desc': 'lower(t.name) DESC, r.id DESC',
  'sort=since&dir=asc': 'r.since, r.id', 'sort=since&dir=desc': 'r.since DESC, r.id DESC' };

test('/resellers and /providers: Next, Previous, First, Last in every sort; stable under a new relationship', async () => {
  const p = await F.relPartner(stack, { type: 'indirect_provider', domain: 'kp-p.example' });
  const names = Array.from({ length: N }, (_, i) => `${i % 2 ? 'Res' : 'res'} ${String((i * 13) % N).padStart(2, '0')}`);
  const ids = X.bulkPartners(stack, { prefix: 'kp-r', names, mpn: true });
  X.relateMany(stack, ids.map((reseller, i) => ({ provider: p.accountId, reseller, since: 1700000000 + ((i * 5) % N) * 86400 })));
  const r = await F.relPartner(stack, { domain: 'kp-r.example' });
  const pids = X.bulkPartners(stack, { prefix: 'kp-p', names: names.map((n) => `${n} Dist`), type: 'indirect_provider' });
  X.relateMany(stack, pids.map((provider, i) => ({ provider, reseller: r.accountId, since: 1700000000 + ((i * 5) % N) * 86400 })));

  for (const [side, client, path, label, col, other] of [
    ['resellers', p.client, '/resellers', 'resellers-head', 'r.provider_id', 'reseller_id'],
    ['providers', r.client, '/providers', null, 'r.reseller_id', 'provider_id']]) {
    const account = side === 'resellers' ? p.accountId : r.accountId;
    for (const [q, order] of Object.entries(ORDERS)) {
      const want = db.rows(stack, `SELECT t.name FROM provider_relationships r JOIN partner_accounts a ON a.id = r.${other}
        JOIN tenants t ON t.id = a.tenant_id WHERE ${col} = ? AND r.status = 'active' ORDER BY ${order}`, account).map((x) => x.name);
      assert.equal(want.length, N);
      const url = `${path}${q ? `?${q}` : ''}`;
      const down = await walk(client, url, 'next', label);
      assert.deepEqual(down.map((x) => x.length), [20, 20, 7], `${side} ${q}`);
      assert.deepEqual(down.flat(), want, `${side} ${q}`);
      const first = await client.get(url);
      assert.equal(link(first.text, 'prev'), null);
      const second = await client.get(link(first.text, 'next'));
      assert.deepEqual(rowsOf((await client.get(link(second.text, 'prev'))).text, label), want.slice(0, 20), `${side} ${q}`);
      const last = await client.get(link(first.text, 'last'));
      assert.deepEqual(rowsOf(last.text, label), want.slice(-20), `${side} ${q}`);
      assert.equal(link(last.text, 'next'), null);
      assert.deepEqual(rowsOf((await client.get(link(last.text, 'prev'))).text, label), want.slice(7, 27), `${side} ${q}`);
    }
  }

  // A new reseller that sorts first arrives between two requests: Next shows what it showed.
  const first = await p.client.get('/resellers');
  const next = link(first.text, 'next');
  const before2 = rowsOf((await p.client.get(next)).text, 'resellers-head');
  const [late] = X.bulkPartners(stack, { prefix: 'kp-late', names: ['AAA Late Reseller'], mpn: true });
  X.relate(stack, p.accountId, late);
  assert.deepEqual(rowsOf((await p.client.get(next)).text, 'resellers-head'), before2);
  assert.equal(rowsOf((await p.client.get('/resellers')).text, 'resellers-head')[0], 'AAA Late Reseller');
  for (const bad of ['after=x', 'before=0', 'last=2']) assert.equal((await p.client.get(`/resellers?${bad}`)).status, 400, bad);
});
