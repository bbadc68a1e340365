// operator-agreement.test.mjs — agreement versions in the console (issue 19, item 4): the list
// with acceptance counts; publishing a new version (title, version, the text uploaded as a
// file) after a preview, admins only; the acceptance report per version and its CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as F from '../lib/fixtures.mjs';
import { Client, csrfOf, errorsOf, textOf } from '../lib/http.mjs';
import { newOperator, postMultipart } from '../lib/operators.mjs';

let stack, reviewer, admin, team, v1, acme;
before(async () => {
  stack = await startStack();
  reviewer = await newOperator(stack, { role: 'reviewer' });
  admin = await newOperator(stack, { role: 'admin', email: 'pub@program.example' });
  team = Number(db.value(stack, "SELECT value FROM program_settings WHERE name = 'operator_tenant'"));
  F.publishAgreement(stack, '2025-01', { body: 'The first agreement.' });
  v1 = F.maxAgreementId(stack);
  const c = new Client(stack.base);
  await c.signup({ org: 'Acme Resale', domain: 'acme.agreement-op.example', email: 'ga@acme.agreement-op.example' });
  acme = F.tenantId(stack, 'acme.agreement-op.example');
  F.acceptAgreement(stack, acme, { versionId: v1, first: 'Ann', last: 'Signer', email: 'ann@acme.agreement-op.example', title: 'CEO, "Acme"' });
});
after(() => stopChecked(stack));

test('the versions with their acceptance counts; the report and its CSV', async () => {
  const list = await reviewer.c.get('/operator/agreement');
  assert.equal(list.status, 200);
  assert.match(textOf(/id="versions"[\s\S]*?<\/table>/.exec(list.text)[0]), /2025-01 \(current\)\s+\S*\s*\d\d [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC 1/);	// (issue 15, item 13: the one time format)
  assert.doesNotMatch(list.text, /agreement\/preview/, 'reviewers do not publish');
  const report = await reviewer.c.get(`/operator/agreement/${v1}`);
  // issue 15: the one breadcrumb trail (partials/crumbs), not a back link of its own
  const trail = [...report.text.matchAll(/<nav aria-label="Breadcrumb"[^>]*>([\s\S]*?)<\/nav>/g)];
  assert.equal(trail.length, 1);
  assert.deepEqual([...trail[0][1].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]).trim()), ['Agreement versions', 'Agreement 2025-01']);
  assert.match(trail[0][0], /<a href="\/operator\/agreement">Agreement versions<\/a>/);
  assert.doesNotMatch(report.text, /←/);
  assert.match(textOf(/id="acceptances"[\s\S]*?<\/table>/.exec(report.text)[0]), /Acme Resale .*Ann Signer \(ann@acme\.agreement-op\.example\) CEO, "Acme"/);
  const csv = await reviewer.c.get(`/operator/agreement/${v1}/acceptances.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  const lines = csv.text.trim().split(/\r?\n/);
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^"Acme Resale","acme\.agreement-op\.example","Ann","Signer","ann@acme\.agreement-op\.example","CEO, ""Acme""",/);
  assert.equal((await reviewer.c.get('/operator/agreement/999999')).status, 404);
});

test('publish: the form again on a bad field; a preview of the uploaded file; then it is current', async () => {
  const page = await admin.c.get('/operator/agreement');
  const csrf = csrfOf(page.text);
  const text = 'Partner Agreement 2026\n\n1. Scope — über alles.\n2. Terms.\n';
  // Reviewers cannot.
  assert.equal((await postMultipart(reviewer.c, '/operator/agreement/preview', { csrf: csrfOf((await reviewer.c.get('/operator/agreement')).text),
    title: 'x', version: '2026-01', text: { filename: 'a.txt', content: text } })).status, 403);
  // A bad version label and no file: the form again, nothing kept.
  const bad = await postMultipart(admin.c, '/operator/agreement/preview', { csrf, title: 'Partner Agreement', version: 'bad version!',
    text: { filename: 'a.txt', content: '' } });
  assert.equal(bad.status, 422);
  assert.equal(errorsOf(bad.text).length, 2, errorsOf(bad.text).join('; '));
  assert.equal(db.value(stack, 'SELECT count(*) FROM console_uploads'), 0);
  // The label of an existing version is refused at publishing (the preview shows the text).
  const prev = await postMultipart(admin.c, '/operator/agreement/preview', { csrf, title: 'Partner Agreement 2026', version: '2026-01',
    text: { filename: 'mpa-2026.txt', content: text } });
  assert.equal(prev.status, 200, errorsOf(prev.text).join('; '));
  assert.equal(/id="preview-text">([\s\S]*?)<\/pre>/.exec(prev.text)[1], text.trim(), 'the text as it will be published');
  assert.match(textOf(prev.text), /1\. Scope — über alles\./);
  assert.equal(F.maxAgreementId(stack), v1, 'nothing published by the preview');
  const upload = /name="upload" value="(\d+)"/.exec(prev.text)[1];
  const pub = await admin.c.post('/operator/agreement/publish', { csrf: csrfOf(prev.text), upload });
  assert.equal(pub.status, 303);
  assert.equal(pub.location, '/operator/agreement?m=agreement-published');
  const v2 = F.maxAgreementId(stack);
  assert.notEqual(v2, v1);
  assert.deepEqual(db.one(stack, 'SELECT v.version, t.title FROM agreement_versions v JOIN agreement_titles t ON t.version_id = v.id WHERE v.id = ?', v2),
    { version: '2026-01', title: 'Partner Agreement 2026' });
  assert.equal(db.value(stack, 'SELECT body FROM agreement_versions WHERE id = ?', v2), text.trim());
  assert.equal((await admin.c.post('/operator/agreement/publish', { csrf: csrfOf(prev.text), upload })).status, 409, 'a preview is published once');
  assert.equal(F.auditCount(stack, { tenant_id: team, actor: 'pub@program.example', action: 'agreement.publish', outcome: 'ok' }), 1);
  // The partner is asked to accept the new version.
  const p = new Client(stack.base);
  await p.signin('ga@acme.agreement-op.example');
  assert.match(textOf((await p.get('/agreement')).text), /2026-01/);
  // The same label again: refused at publishing, with why.
  const again = await postMultipart(admin.c, '/operator/agreement/preview', { csrf, title: 'Again', version: '2026-01', text: { filename: 'b.txt', content: 'Other.' } });
  const up2 = /name="upload" value="(\d+)"/.exec(again.text)[1];
  const refused = await admin.c.post('/operator/agreement/publish', { csrf, upload: up2 });
  assert.equal(refused.status, 409);
  assert.equal(F.maxAgreementId(stack), v2);
  // A file that is not UTF-8 text is refused (400) before anything.
  const bin = await admin.c.request('POST', '/operator/agreement/preview', { body: Buffer.concat([
    Buffer.from(`--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--b\r\nContent-Disposition: form-data; name="text"; filename="x.bin"\r\n\r\n`),
    Buffer.from([0xff, 0xfe, 0x00, 0x01]), Buffer.from('\r\n--b--\r\n')]).toString('latin1'),
    headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  assert.equal(bin.status, 400);
  // Other forms still refuse multipart.
  const other = await postMultipart(admin.c, '/operator/agreement/publish', { csrf, upload: up2 });
  assert.equal(other.status, 415);
});
