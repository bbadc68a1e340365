// crawl-lang.test.mjs — issue 18: every GET page of routes.def again in Polish, Russian and
// Swedish, each fetched in every language and rendered at 375 px in the widest, with the
// console as an operator (tests/lib/crawl.mjs says what is checked).
// A file of its own so that make e2e runs it beside the English crawl. On PostgreSQL it is
// skipped: the language changes the words of the same templates, not what is read (the
// PostgreSQL run crawls every page in English), and CI's time is bounded.
import { test, before, after } from 'node:test';
import * as pg from '../lib/pg.mjs';
import { crawlStart, crawlStop, crawlLanguages } from '../lib/crawl.mjs';

const skip = pg.enabled() && 'the languages are crawled in the SQLite run';
if (!skip) {
  before(crawlStart);
  after(crawlStop);
}

test('every GET page in pl, ru and sv: translated, valid HTML; rendered at 375 px in the widest: no serious axe violation, no sideways scroll', { skip }, crawlLanguages);
