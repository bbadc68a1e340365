// directory.test.mjs — Find a provider (SPEC §2.5) through nginx: public, approved indirect
// providers only, case-insensitive substring search (LIKE wildcards are plain characters),
// country and region filters, paging that keeps the filters, the empty states, bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client, textOf } from '../lib/http.mjs';
import * as F from '../lib/fixtures-relationships.mjs';
import * as X from '../lib/fixtures.mjs';

let stack;
const visitor = () => new Client(stack.base);

before(async () => {
  stack = await startStack();
  const one = (name, country, opts = {}) => X.bulkPartners(stack, { prefix: `dir-${name.replace(/\W/g, '').toLowerCase()}`, names: [name], type: 'indirect_provider', country, mpn: true, ...opts });
  const [fabrikam] = one('Fabrikam Distribution', 'DE');
  one('FABRIKAM Nordic', 'SE');
  const [northwind] = one('Northwind Traders', 'US');
  one('Tailspin 100% Cloud', 'GB');
  one('Wide_World Importers', 'CA');
  one('Adatum Corp', 'JP');
  one('Fabrikam Pending', 'DE', { status: 'in_review' });
  one('Fabrikam Resale', 'DE', { type: 'indirect_reseller' });
  one('Fabrikam Direct', 'DE', { type: 'direct_bill' });
  X.bulkPartners(stack, { prefix: 'dir-bulk', names: Array.from({ length: 25 }, (_, i) => `Bulk Provider ${String(i + 1).padStart(2, '0')}`), type: 'indirect_provider', country: 'FR' });
  X.setPartnerSupport(stack, { account: fabrikam, email: 'sales@fabrikam.example', phone: '+49 30 555 0100', website: 'https://fabrikam.example/partners' });
  X.setPartnerSupport(stack, { account: northwind, website: 'javascript:alert(1)' });
});
after(() => stopChecked(stack));

const names = (html) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/<tr>\s*<td[^>]*>([^<]*)<\/td>/g)].map((m) => textOf(m[1]));
const bulk = Array.from({ length: 25 }, (_, i) => `Bulk Provider ${String(i + 1).padStart(2, '0')}`);
const all = ['Adatum Corp', ...bulk, 'Fabrikam Distribution', 'FABRIKAM Nordic', 'Northwind Traders', 'Tailspin 100% Cloud', 'Wide_World Importers'];

test('signed out: approved indirect providers only, by name, 20 a page', async () => {
  const c = visitor();
  let res = await c.get('/find-a-provider');
  assert.equal(res.status, 200);
  assert.match(res.text, /<a href="\/find-a-provider" aria-current="page">Find a provider<\/a>/);
  // issue 15, item 1: the header's Sign in returns to this page
  assert.match(res.text, /<div class="who"><a href="\/signin\?next=\/find-a-provider">Sign in<\/a><\/div>/);
  assert.match(textOf(res.text), /31 providers/);
  assert.deepEqual(names(res.text), all.slice(0, 20));
  assert.match(textOf(res.text), /Page 1 of 2/);
  assert.match(res.text, /<a href="\/find-a-provider\?page=2" rel="next">Next page<\/a>/);
  res = await c.get('/find-a-provider?page=2');
  assert.deepEqual(names(res.text), all.slice(20));
  assert.match(res.text, /<a href="\/find-a-provider\?page=1" rel="prev">Previous page<\/a>/);
  for (const hidden of ['Fabrikam Pending', 'Fabrikam Resale', 'Fabrikam Direct']) {
    assert.ok(!res.text.includes(hidden) && !(await c.get('/find-a-provider')).text.includes(hidden), hidden);
  }
});

test('the name search is a case-insensitive substring; % and _ are plain characters', async () => {
  const c = visitor();
  for (const q of ['brik', 'BRIK', 'Fabrikam', 'fABRIKAM']) {
    const res = await c.get(`/find-a-provider?q=${encodeURIComponent(q)}`);
    assert.deepEqual(names(res.text), ['Fabrikam Distribution', 'FABRIKAM Nordic'], q);
    assert.match(textOf(res.text), /2 providers/);
    assert.ok(res.text.includes(`value="${q}"`), 'the search is kept in the field');
  }
  assert.deepEqual(names((await c.get('/find-a-provider?q=%25')).text), ['Tailspin 100% Cloud']);
  assert.deepEqual(names((await c.get('/find-a-provider?q=100%25')).text), ['Tailspin 100% Cloud']);
  assert.deepEqual(names((await c.get('/find-a-provider?q=_')).text), ['Wide_World Importers']);
  assert.deepEqual(names((await c.get('/find-a-provider?q=e_w')).text), ['Wide_World Importers']);
  assert.deepEqual(names((await c.get('/find-a-provider?q=%20wind%20')).text), ['Northwind Traders'], 'trimmed');
  const none = await c.get('/find-a-provider?q=%3Cscript%3Exyz');
  assert.equal(none.status, 200);
  assert.deepEqual(names(none.text), []);
  assert.match(textOf(none.text), /0 providers No approved indirect provider matches your search for “<script>xyz”\. Try a shorter part of the name, or choose another country or region\. Show every provider ?\./);
  assert.ok(none.text.includes('&lt;script&gt;xyz'), 'escaped');
});

test('filters by country and by region, together with the search; paging keeps them', async () => {
  const c = visitor();
  let res = await c.get('/find-a-provider?country=DE');
  assert.deepEqual(names(res.text), ['Fabrikam Distribution']);
  assert.match(res.text, /<option value="DE" selected>Germany<\/option>/);
  res = await c.get('/find-a-provider?region=NAM');
  assert.deepEqual(names(res.text), ['Northwind Traders', 'Wide_World Importers']);
  assert.match(res.text, /<option value="NAM" selected>North America<\/option>/);
  res = await c.get('/find-a-provider?q=fab&region=EUR');
  assert.deepEqual(names(res.text), ['Fabrikam Distribution', 'FABRIKAM Nordic']);
  res = await c.get('/find-a-provider?q=fab&region=NAM');
  assert.deepEqual(names(res.text), []);
  res = await c.get('/find-a-provider?country=US&region=EUR');
  assert.deepEqual(names(res.text), []);
  assert.match(textOf(res.text), /No approved indirect provider matches your search in United States in the Europe region\./);
  res = await c.get('/find-a-provider?region=EUR');
  assert.match(textOf(res.text), /28 providers/);
  assert.match(res.text, /<a href="\/find-a-provider\?region=EUR&amp;page=2" rel="next">/);
  res = await c.get('/find-a-provider?region=EUR&page=2');
  assert.deepEqual(names(res.text), [...bulk.slice(20), 'Fabrikam Distribution', 'FABRIKAM Nordic', 'Tailspin 100% Cloud']);
  assert.match(res.text, /<a href="\/find-a-provider\?region=EUR&amp;page=1" rel="prev">/);
  res = await c.get('/find-a-provider?q=bulk&country=FR&page=2');
  assert.deepEqual(names(res.text), bulk.slice(20));
  assert.match(res.text, /href="\/find-a-provider\?q=bulk&amp;country=FR&amp;page=1"/);
});

test('contact details: email, phone, https website; anything else is not a link', async () => {
  const res = await visitor().get('/find-a-provider?q=fabrikam%20dist');
  assert.match(res.text, /<a href="mailto:sales@fabrikam\.example">sales@fabrikam\.example<\/a><br>\+49 30 555 0100<br><a href="https:\/\/fabrikam\.example\/partners" rel="noopener noreferrer">/);
  const nw = await visitor().get('/find-a-provider?q=northwind');
  assert.doesNotMatch(nw.text, /javascript:/);
});

test('bad input is refused with 400', async () => {
  const c = visitor();
  for (const q of ['country=XX', 'country=de', 'region=ZZZ', `q=${'a'.repeat(101)}`, 'page=0', 'page=two', 'q=a%0Ab']) {
    assert.equal((await c.get(`/find-a-provider?${q}`)).status, 400, q);
  }
  assert.equal((await c.get(`/find-a-provider?q=${'a'.repeat(100)}`)).status, 200);
});

test('signed in, any partner type sees it in the navigation; an empty directory says what to do next', async () => {
  const r = await F.relPartner(stack, { domain: 'dir-user.example' });
  const res = await r.client.get('/find-a-provider?q=adatum');
  assert.equal(res.status, 200);
  assert.deepEqual(names(res.text), ['Adatum Corp']);
  assert.match(res.text, /aria-current="page">Find a provider</);

  const empty = await startStack();
  try {
    const page = await new Client(empty.base).get('/find-a-provider');
    assert.equal(page.status, 200);
    assert.match(textOf(page.text), /0 providers No approved indirect providers are listed yet\. Providers appear here once the program has approved their enrollment\./);
  } finally {
    await empty.stop();
  }
});
