// db-setting.test.mjs — PORTAL_DB chooses the engine (issue 11): sqlite:PATH puts the SQLite
// file there; a PostgreSQL URI (postgresql://, over TCP) is created and migrated by
// portalctl init, and the portal serves from it without ever printing the setting; anything
// else is refused; portal.fcgi --help and portalctl help name the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, PORTAL_BIN, PORTALCTL_BIN, startStack, stopChecked } from '../lib/stack.mjs';
import * as db from '../lib/db.mjs';
import * as pg from '../lib/pg.mjs';

function run(bin, args, env) {
  const r = spawnSync(bin, args, { env: { ...process.env, PORTAL_TEMPLATES: join(ROOT, 'templates'), ...env }, encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('PORTAL_DB=sqlite:PATH: init creates the database at PATH, not in the data directory; an unknown form is refused', () => {
  const data = mkdtempSync(join(tmpdir(), 'csp-portal-dbset-'));
  try {
    const file = join(data, 'elsewhere.db');
    const init = run(PORTALCTL_BIN, ['init'], { PORTAL_DATA: data, PORTAL_DB: `sqlite:${file}` });
    assert.equal(init.code, 0, init.stderr);
    assert.ok(existsSync(file), 'the database is where PORTAL_DB says');
    assert.ok(!existsSync(join(data, 'portal.db')), 'and not in the data directory');
    assert.equal(db.value(db.sqliteFile(file), 'SELECT count(*) AS n FROM regions'), 5);
    for (const bad of ['mysql:portal', 'portal.db']) {
      const r = run(PORTALCTL_BIN, ['init'], { PORTAL_DATA: data, PORTAL_DB: bad });
      assert.notEqual(r.code, 0, `${bad} accepted`);
      assert.match(r.stderr, /PORTAL_DB must be sqlite:PATH, a PostgreSQL connection string/);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('portal.fcgi --help and portalctl help name PORTAL_DB and its PostgreSQL forms', () => {
  for (const [bin, args] of [[PORTAL_BIN, ['--help']], [PORTALCTL_BIN, ['help']]]) {
    const r = run(bin, args, {});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PORTAL_DB\s+Database: sqlite:PATH \(default sqlite:<data>\/portal\.db\), or PostgreSQL as a libpq connection string/);
    assert.match(r.stdout, /postgres:\/\/ or postgresql:\/\/ URI/);
  }
});

test('PORTAL_DB=postgresql://user@127.0.0.1:PORT/DB: init creates and migrates it, the portal serves from it, the setting is never printed',
  { skip: db.testEngine !== 'postgres' && 'PostgreSQL only (make test-pg)' }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'csp-portal-dbset-'));
    const { url } = await pg.databaseFor(data);
    const dbname = /dbname=(\w+)/.exec(url)[1];
    const server = await pg.ensureServer();
    // a password the log must never show (trust authentication ignores it)
    const uri = `postgresql://postgres:s3cret-pw@127.0.0.1:${server.port}/${dbname}`;
    const stack = await startStack({ data, env: { PORTAL_DB: uri } });
    try {
      const r = stack.ctl('init');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /schema version \d+/);
      assert.equal(db.value(stack, 'SELECT count(*) AS n FROM regions'), 5);
      assert.equal((await fetch(`${stack.base}/signin`)).status, 200);
      assert.ok(!existsSync(join(data, 'portal.db')), 'no SQLite file');
      assert.ok(!stack.portalLog().includes('s3cret-pw') && !r.stdout.includes('s3cret-pw') && !r.stderr.includes('s3cret-pw'));
    } finally {
      await stopChecked(stack);
    }
  });

test('PostgreSQL: connections the server dropped are opened again; the next requests are answered as before',
  { skip: db.testEngine !== 'postgres' && 'PostgreSQL only (make test-pg)' }, async () => {
    const stack = await startStack({ threads: 2 });
    try {
      assert.equal((await fetch(`${stack.base}/healthz`)).status, 200);
      // every other connection to this stack's database, ended by the server (as a restart would)
      const ended = db.value(stack, 'SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity'
        + ' WHERE datname = current_database() AND pid <> pg_backend_pid()) x');
      assert.ok(ended >= 2, `${ended} connections ended`);
      // /healthz asks the database on whichever thread takes it: every one of them answers
      for (let i = 0; i < 8; i++) {
        const r = await fetch(`${stack.base}/healthz`);
        assert.equal(r.status, 200, `request ${i} after the drop`);
      }
      await stack.waitForLog('connection lost, connected again');
    } finally {
      await stopChecked(stack);
    }
  });
