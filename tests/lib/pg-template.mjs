// pg-template.mjs — makes the data directory PORTAL_TEST_PG_TEMPLATE names (see pg.mjs):
//   node tests/lib/pg-template.mjs DIR
// starts a test server (initdb, as pg.mjs does without a template), creates the database
// portal_template, brings it to the current schema with this build's `portalctl init`
// (PORTALCTL_BIN, as the stacks use), stops the server and keeps its data directory at DIR
// (which must not exist).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as pg from './pg.mjs';

const [out] = process.argv.slice(2);
if (!out || process.env.PORTAL_TEST_PG_TEMPLATE || existsSync(out)) {
  console.error('usage: node tests/lib/pg-template.mjs DIR (a new directory; PORTAL_TEST_PG_TEMPLATE unset)');
  process.exit(2);
}
const ROOT = resolve(import.meta.dirname, '../..');
const ctl = resolve(ROOT, process.env.PORTALCTL_BIN || 'bin/portalctl');
const data = mkdtempSync(join(tmpdir(), 'csp-pg-template-'));
const url = await pg.createDatabase('portal_template');
const r = spawnSync(ctl, ['init'], { env: { ...process.env, PORTAL_DATA: data, PORTAL_DB: url }, encoding: 'utf8' });
rmSync(data, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(`pg-template: portalctl init failed: ${r.stderr || r.error}`);
  process.exit(1);
}
pg.keepAs(resolve(out));
console.log(`pg-template: ${out} holds portal_template at the current schema`);
