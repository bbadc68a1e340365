// pg-run.mjs — runs a command with a PostgreSQL database of its own (make unit-pg):
//   node tests/lib/pg-run.mjs CMD [ARGS...]
// starts the test PostgreSQL (pg.mjs: initdb into a temp directory, never the system
// service), makes an empty database, runs CMD with PORTAL_TEST_PG set to its connection
// string, and stops the server (pg_ctl stop at exit). Exits with CMD's status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pg from './pg.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) { console.error('usage: node tests/lib/pg-run.mjs CMD [ARGS...]'); process.exit(2); }
const key = mkdtempSync(join(tmpdir(), 'csp-pg-run-'));
const { url } = await pg.databaseFor(key);
const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PORTAL_TEST_PG: url } });
rmSync(key, { recursive: true, force: true });
process.exitCode = r.status ?? 1;
