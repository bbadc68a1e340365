// operator-directories.test.mjs — directories import in the console (issue 19, item 6): an MPN
// CSV upload checked with the same all-or-nothing validation and numbered problems as
// portalctl mpn import, a preview before the commit (only the file's digest is kept: a PMC
// file may hold passwords), the commit of exactly the previewed file; the offer catalog too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { csrfOf, textOf } from '../lib/http.mjs';
import { newOperator, postMultipart } from '../lib/operators.mjs';

let stack, reviewer, admin, csrf;
before(async () => {
  stack = await startStack();
  reviewer = await newOperator(stack, { role: 'reviewer' });
  admin = await newOperator(stack, { role: 'admin', email: 'loader@program.example' });
  csrf = csrfOf((await admin.c.get('/operator/directories')).text);
});
after(() => stopChecked(stack));

const HEAD = 'pmc_username,pmc_password,mpn_id,company_name,country,status';
const GOOD = [HEAD, 'pmc@dir.example,Dir-PMC-2025,8300001,Dir GmbH,DE,active', 'pmc@dir.example,,8300002,Dir France,FR,inactive'].join('\n');
const BAD = [HEAD, 'pmc@ok.example,Ok-PMC-2025,8300009,Ok GmbH,DE,active', 'pmc@bad.example,Bad-PMC-2025,12345,Short Id GmbH,DE,active',
  'pmc@bad2.example,Bad-PMC-2025,8300003,Nowhere Ltd,XX,active'].join('\n');
const file = (content) => ({ filename: 'pmc.csv', content });
const counts = () => db.one(stack, 'SELECT (SELECT count(*) FROM mpn_profiles) AS mpn, (SELECT count(*) FROM pmc_accounts) AS pmc');

test('MPN profiles: numbered problems and nothing written; a preview; then exactly that file', async () => {
  const before = counts();
  assert.equal((await postMultipart(reviewer.c, '/operator/directories/preview', { csrf: csrfOf((await reviewer.c.get('/operator/directories')).text),
    kind: 'mpn', file: file(GOOD) })).status, 403, 'reviewers do not import');
  const bad = await postMultipart(admin.c, '/operator/directories/preview', { csrf, kind: 'mpn', file: file(BAD) });
  assert.equal(bad.status, 422);
  const problems = textOf(/id="problems"[\s\S]*?<\/div>/.exec(bad.text)[0]);
  assert.match(problems, /2 problems/);
  assert.match(problems, /line 3: mpn_id must be 6 to 10 digits \(found "12345"\)/);
  assert.match(problems, /line 4: country "XX" is not a country code/);
  assert.deepEqual(counts(), before);
  const ok = await postMultipart(admin.c, '/operator/directories/preview', { csrf, kind: 'mpn', file: file(GOOD) });
  assert.equal(ok.status, 200);
  assert.match(textOf(/id="preview"[\s\S]*?<\/form>/.exec(ok.text)[0]), /is fine: 2 rows/);
  assert.deepEqual(counts(), before, 'a preview writes nothing');
  assert.equal(db.value(stack, "SELECT count(*) FROM console_uploads WHERE body <> ''"), 0, 'the file (with passwords) is not kept');
  const digest = /name="digest" value="([0-9a-f]{64})"/.exec(ok.text)[1];
  // Another file than the previewed one is refused.
  const other = await postMultipart(admin.c, '/operator/directories/import', { csrf, kind: 'mpn', digest, file: file(`${GOOD}\n`) });
  assert.equal(other.status, 409);
  assert.deepEqual(counts(), before);
  const done = await postMultipart(admin.c, '/operator/directories/import', { csrf, kind: 'mpn', digest, file: file(GOOD) });
  assert.equal(done.status, 303);
  assert.equal(done.location, '/operator/directories?m=directory-imported');
  assert.deepEqual(counts(), { mpn: before.mpn + 2, pmc: before.pmc + 1 });
  assert.match(db.value(stack, 'SELECT pw_hash FROM pmc_accounts WHERE username = ?', 'pmc@dir.example'), /^\$argon2id\$/);
  assert.equal(F.auditCount(stack, { actor: 'loader@program.example', action: 'mpn.import', outcome: 'ok' }), 1);
  // The preview is used up.
  assert.equal((await postMultipart(admin.c, '/operator/directories/import', { csrf, kind: 'mpn', digest, file: file(GOOD) })).status, 409);
});

test('the offer catalog: preview, then import', async () => {
  const offers = ['offer_id,name,description,unit,price,currency,active', 'DIR-1,Directory Suite,,user/month,12.50,USD,yes'].join('\n');
  const ok = await postMultipart(admin.c, '/operator/directories/preview', { csrf, kind: 'offers', file: file(offers) });
  assert.equal(ok.status, 200);
  assert.equal(db.value(stack, 'SELECT count(*) FROM offers WHERE offer_id = ?', 'DIR-1'), 0);
  const digest = /name="digest" value="([0-9a-f]{64})"/.exec(ok.text)[1];
  const done = await postMultipart(admin.c, '/operator/directories/import', { csrf, kind: 'offers', digest, file: file(offers) });
  assert.equal(done.status, 303);
  assert.deepEqual(db.one(stack, 'SELECT name, price_cents FROM offers WHERE offer_id = ?', 'DIR-1'), { name: 'Directory Suite', price_cents: 1250 });
});
