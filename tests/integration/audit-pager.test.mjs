// audit-pager.test.mjs — Settings → Audit log at length (issue 17): the Newer / Older pager is a
// cursor of entry ids (next and previous across a page boundary, the oldest page, stable when
// entries are added between requests), with every filter; old ?page= links still work; the
// count stops at 1000 ("1000 or more"). Through real nginx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, textOf, decode } from '../lib/http.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(() => stopChecked(stack));

/** The targets of the log's rows on a page, top to bottom. */
function targets(html) {
  const body = /<table class="audit[^"]*">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  if (!body) return [];
  // (issue 15: each row is a sentence with the recorded values beneath it)
  return [...body[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) => textOf(/<span class="target"[^>]*>([\s\S]*?)<\/span>/.exec(tr[1])?.[1] ?? ''));
}

/** The pager's link with rel (first, prev, next, last), or null. */
function link(html, rel) {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}">`).exec(html);
  return m ? decode(m[1]) : null;
}

/** Every page from url following rel, the targets of each. */
async function walk(c, url, rel) {
  const pages = [];
  for (let n = 0; url && n < 20; n++) {
    const res = await c.get(url);
    assert.equal(res.status, 200, url);
    pages.push(targets(res.text));
    url = link(res.text, rel);
  }
  return pages;
}

async function org(domain) {
  const c = new Client(stack.base);
  const email = `ana@${domain}`;
  await c.signup({ domain, email, name: 'Ana Admin', org: `Org ${domain}` });
  const { tenant_id: tenant } = db.one(stack, 'SELECT tenant_id FROM users WHERE email = ?', email);
  return { c, tenant };
}

const ACTORS = ['a@pager.example', 'b@pager.example', 'c@pager.example'];
const ACTIONS = ['one', 'two'];

test('Newer / Older: a cursor across page boundaries, the oldest page, every filter', async () => {
  const { c, tenant } = await org('pager.example');
  const entries = Array.from({ length: 130 }, (_, i) => ({ actor: ACTORS[i % 3], action: ACTIONS[i % 2], target: `e${i}` }));
  F.auditEntries(stack, tenant, entries);
  const all = db.rows(stack, 'SELECT target FROM audit WHERE tenant_id = ? ORDER BY id DESC', tenant).map((r) => r.target);
  assert.ok(all.length > 130);

  // The newest page: no Newer, an Older and an Oldest link.
  let res = await c.get('/settings/audit');
  assert.deepEqual(targets(res.text), all.slice(0, 50));
  assert.equal(link(res.text, 'prev'), null);
  assert.equal(link(res.text, 'first'), null);
  assert.match(link(res.text, 'next'), /^\/settings\/audit\?before=\d+$/);
  assert.equal(link(res.text, 'last'), '/settings/audit?after=0');
  assert.match(textOf(res.text), new RegExp(`${all.length} entries`));

  // Older to the end: every entry once, in order; then Newer back to the top.
  const down = await walk(c, '/settings/audit', 'next');
  assert.deepEqual(down.flat(), all);
  assert.deepEqual(down.map((p) => p.length), [50, 50, all.length - 100]);
  res = await c.get(link((await c.get(link((await c.get('/settings/audit')).text, 'next'))).text, 'prev'));
  assert.deepEqual(targets(res.text), all.slice(0, 50), 'Newer from the second page is the first page');

  // The oldest page is a full page of the oldest entries, with Newer and Newest but no Older.
  res = await c.get('/settings/audit?after=0');
  assert.deepEqual(targets(res.text), all.slice(-50));
  assert.equal(link(res.text, 'next'), null);
  assert.equal(link(res.text, 'first'), '/settings/audit');
  // Newer from the oldest page climbs to the newest page, shown in full (so it may repeat
  // some of the page below it), and no entry is skipped.
  const up = await walk(c, '/settings/audit?after=0', 'prev');
  assert.deepEqual(up.at(-1), all.slice(0, 50));
  assert.deepEqual([...new Set(up.reverse().flat())], all, 'Newer from the oldest page reaches every entry');

  // Every filter: the pages' union is exactly the matching entries, the links keep the filter.
  for (const q of ['actor=a%40pager.example', 'action=two', 'actor=b%40pager.example&action=one']) {
    const params = new URLSearchParams(q);
    const where = [...params.keys()].map((k) => ` AND ${k} = ?`).join('');
    const want = db.rows(stack, `SELECT target FROM audit WHERE tenant_id = ?${where} ORDER BY id DESC`, tenant, ...params.values()).map((r) => r.target);
    assert.ok(want.length > 0, q);
    const pages = await walk(c, `/settings/audit?${q}`, 'next');
    assert.deepEqual(pages.flat(), want, q);
    res = await c.get(`/settings/audit?${q}`);
    if (want.length > 50) assert.ok(link(res.text, 'next').endsWith(`&${q.replace(/%40/g, '%40')}`), link(res.text, 'next'));
    const oldest = await c.get(`/settings/audit?after=0&${q}`);
    assert.deepEqual(targets(oldest.text), want.slice(-50), q);
  }

  // Links from before the cursor pager still work: ?page=2 is entries 51-100.
  res = await c.get('/settings/audit?page=2');
  assert.deepEqual(targets(res.text), all.slice(50, 100));
  assert.match(link(res.text, 'prev'), /^\/settings\/audit\?after=\d+$/);
  // one far beyond what is skipped (1000 entries): the oldest page
  res = await c.get('/settings/audit?page=30');
  assert.deepEqual(targets(res.text), all.slice(-50));
});

test('a page does not shift when entries are added between requests', async () => {
  const { c, tenant } = await org('stable.example');
  F.auditEntries(stack, tenant, Array.from({ length: 120 }, (_, i) => ({ actor: 'x@stable.example', action: 'one', target: `s${i}` })));
  const first = await c.get('/settings/audit');
  const page1 = targets(first.text);
  const older = link(first.text, 'next');
  const page2 = targets((await c.get(older)).text);
  // new entries arrive (the same organization's)
  F.auditEntries(stack, tenant, Array.from({ length: 7 }, (_, i) => ({ actor: 'x@stable.example', action: 'one', target: `new${i}` })));
  const again = await c.get(older);
  assert.deepEqual(targets(again.text), page2, 'Older shows the same entries as before');
  assert.ok(!targets(again.text).some((t) => page1.includes(t)), 'nothing of the first page again');
  assert.deepEqual(targets((await c.get(link(again.text, 'prev'))).text), page1, 'Newer gives the first page as it was read');
  assert.deepEqual(targets((await c.get('/settings/audit')).text).slice(0, 7), ['new6', 'new5', 'new4', 'new3', 'new2', 'new1', 'new0']);
});

test('a long log is counted up to 1000: "1000 or more entries"', async () => {
  const { c, tenant } = await org('long.example');
  F.auditEntries(stack, tenant, Array.from({ length: 1200 }, (_, i) => ({ actor: 'l@long.example', action: i % 2 ? 'one' : 'two', target: `l${i}` })));
  let res = await c.get('/settings/audit');
  assert.match(textOf(res.text), /1000 or more entries/);
  assert.match(textOf(res.text), /The download holds the newest 50000 entries at most/);
  res = await c.get('/settings/audit?action=one');
  assert.match(textOf(res.text), /600 matching entries/);
  assert.deepEqual(targets(res.text).slice(0, 2), ['l1199', 'l1197']);
});

// issue 15: the date range (days in UTC, both ends included) and the refusals (hidden unless
// refused=show), with the cursor pager and the capped count, on either engine.
test('a date range and the refusals filter: the pages, the count and the CSV agree', async () => {
  const { c, tenant } = await org('range.example');
  const day = (d) => Date.UTC(2025, 2, d) / 1000;	// March d, 2025 00:00 UTC
  const entries = [];
  for (let d = 1; d <= 5; d++) {
    for (let i = 0; i < 30; i++) {
      entries.push({ at: day(d) + i * 60, actor: 'r@range.example', action: 'one', target: `d${d}-${i}`,
        outcome: i % 3 === 0 ? 'refused' : 'ok', detail: i % 3 === 0 ? 'role' : '' });
    }
  }
  F.auditEntries(stack, tenant, entries);
  const want = (from, to, refused) => entries.filter((e) => e.at >= day(from) && e.at < day(to + 1) && (refused || e.outcome === 'ok'))
    .map((e) => e.target).reverse();

  // March 2 to 4: 90 entries, 60 of them not refused; two pages of the 60.
  let pages = await walk(c, '/settings/audit?from=2025-03-02&to=2025-03-04', 'next');
  assert.deepEqual(pages.flat(), want(2, 4, false));
  assert.deepEqual(pages.map((p) => p.length), [50, 10]);
  let res = await c.get('/settings/audit?from=2025-03-02&to=2025-03-04');
  assert.match(textOf(res.text), /60 matching entries, refused attempts not counted/);
  assert.match(link(res.text, 'next'), /&from=2025-03-02&to=2025-03-04$/);
  assert.match(res.text, /<input id="f-from" name="from" type="date" value="2025-03-02">/);
  // with the refusals: 90, over two pages, and the oldest page
  pages = await walk(c, '/settings/audit?from=2025-03-02&to=2025-03-04&refused=show', 'next');
  assert.deepEqual(pages.flat(), want(2, 4, true));
  res = await c.get('/settings/audit?from=2025-03-02&to=2025-03-04&refused=show&after=0');
  assert.deepEqual(targets(res.text), want(2, 4, true).slice(-50));
  assert.match(res.text, /<input id="f-refused" name="refused" type="checkbox" value="show" checked>/);
  // one day; only a start; with an actor and an action too
  assert.deepEqual((await walk(c, '/settings/audit?from=2025-03-05&to=2025-03-05', 'next')).flat(), want(5, 5, false));
  assert.deepEqual((await walk(c, '/settings/audit?from=2025-03-04', 'next')).flat(),
    db.rows(stack, "SELECT target FROM audit WHERE tenant_id = ? AND at >= ? AND outcome <> 'refused' ORDER BY id DESC", tenant, day(4))
      .map((r) => r.target));
  assert.deepEqual((await walk(c, '/settings/audit?actor=r%40range.example&action=one&to=2025-03-01&refused=show', 'next')).flat(),
    want(1, 1, true));
  // a refused entry of an action without words says so in the sentence
  res = await c.get('/settings/audit?from=2025-03-01&to=2025-03-01&refused=show');
  assert.match(textOf(res.text), /r@range\.example: one d1-27 and was refused: role\./);

  // The CSV holds the same rows.
  const csv = await c.get('/settings/audit.csv?from=2025-03-02&to=2025-03-04');
  assert.equal(csv.status, 200);
  assert.equal(csv.text.trim().split('\r\n').length - 1, 60);

  // Not dates: the form again with the message beside the field, the range left open.
  res = await c.get('/settings/audit?from=2025-02-30&to=2025-03-04');
  assert.equal(res.status, 422);
  assert.match(textOf(res.text), /Error: Enter the first day as a date, for example 2026-03-31\./);
  assert.match(res.text, /aria-invalid="true" aria-describedby="f-from-error"/);
  assert.deepEqual(targets((await c.get('/settings/audit?from=2025-02-30&to=2025-03-01')).text), want(1, 1, false));
  res = await c.get('/settings/audit?from=2025-03-04&to=2025-03-02');
  assert.equal(res.status, 422);
  assert.match(textOf(res.text), /Enter a last day that is not before the first day\./);
  assert.equal((await c.get('/settings/audit.csv?from=yesterday')).status, 400);
});

// Issue 17: a download longer than one part (32 KiB) is sent while it is made, read 1,000 rows
// per statement: the same bytes as a whole answer (every row once, newest first, across the
// batches' boundaries; quotes, commas and formula-like cells escaped), without a
// Content-Length (nginx passes it on chunked); a short one keeps its Content-Length.
test('a long audit CSV is streamed in parts: every row once, newest first, escaped as a short one', async () => {
  const { c, tenant } = await org('csvlong.example');
  const entries = Array.from({ length: 2600 }, (_, i) => ({
    actor: ACTORS[i % 3], action: ACTIONS[i % 2], target: i % 7 === 0 ? `=cmd ${i}` : `t${i}`,
    detail: `said "row ${i}", then ${'x'.repeat(i % 40)}`,
  }));
  F.auditEntries(stack, tenant, entries);
  const cell = (v) => {
    const s = v == null ? '' : String(v);
    return `"${s !== '' && '=+-@\t\r'.includes(s[0]) ? "'" : ''}${s.replaceAll('"', '""')}"`;
  };
  const line = (cells) => `${cells.map(cell).join(',')}\r\n`;
  const rows = db.rows(stack, "SELECT at, actor, action, target, outcome, ip, detail FROM audit WHERE tenant_id = ? AND outcome <> 'refused' ORDER BY id DESC", tenant);
  assert.ok(rows.length > 2600);
  const want = line(['Time (UTC)', 'Actor', 'Action', 'Target', 'Outcome', 'Client address', 'Detail']) +
    rows.map((r) => line([new Date(Number(r.at) * 1000).toISOString().replace('.000Z', 'Z'), r.actor, r.action, r.target, r.outcome, r.ip, r.detail])).join('');
  assert.ok(want.length > 6 * 32 * 1024);

  const res = await c.get('/settings/audit.csv');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(res.headers['content-disposition'], 'attachment; filename="audit-log.csv"');
  assert.equal(res.headers['content-length'], undefined);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(res.text, want);

  // the organization's own entries (its sign-up): under one part, answered whole, with its length
  const short = await c.get(`/settings/audit.csv?actor=${encodeURIComponent('ana@csvlong.example')}`);
  assert.equal(short.status, 200);
  const mine = want.split('\r\n').filter((l, i) => i === 0 || l.split(',')[1] === '"ana@csvlong.example"');
  assert.ok(mine.length > 1 && mine.length < 20);
  assert.equal(short.text, `${mine.join('\r\n')}\r\n`);
  assert.equal(Number(short.headers['content-length']), Buffer.byteLength(short.text));
});
