// crawl.test.mjs — every GET page of routes.def as every kind of user at 375 and 1280 px, in
// English (tests/lib/crawl.mjs says what is checked; crawl-lang.test.mjs does pl, ru and sv). On
// PostgreSQL every page is fetched, not rendered (no 5xx; the same markup is judged in the SQLite run).
import { test, before, after } from 'node:test';
import { crawlStart, crawlStop, crawlEnglish } from '../lib/crawl.mjs';

before(crawlStart);
after(crawlStop);

test('every GET page, as every kind of user, at 375 and 1280 px: valid HTML, no serious axe violation, no sideways scroll', crawlEnglish);
