// db.mjs — the one module of the tests that talks to the test database.
//
// Test database access. Integration and browser tests read and change the portal's database
// only through this module: the schema-aware fixture writers and shared reads live in
// fixtures.mjs (on top of this module), and a test that asserts on database state either calls
// one of those or passes SQL text with `?` placeholders here. Callers never build SQL from
// values: every value goes in as a parameter and this module turns it into a correctly quoted
// literal of the engine (a number as a number, null as NULL, a string in single quotes with
// its quotes doubled, a Buffer as a blob); anything else (undefined, booleans, objects, NaN,
// strings with NUL) is refused, so a mistake fails loudly instead of writing 'undefined'.
//
//   import * as db from './db.mjs';
//   db.rows(stack, 'SELECT id, email FROM users WHERE tenant_id = ? ORDER BY id', tenant)  // [{ id, email }, ...]
//   db.one(stack, 'SELECT * FROM tenants WHERE domain = ?', 'a.example')                    // first row or undefined
//   db.value(stack, 'SELECT count(*) FROM audit WHERE actor = ?', email)                   // first column of the first row
//   db.exec(stack, 'UPDATE tenants SET kind = ? WHERE id = ?', 'customer', id)              // write; rows of RETURNING, if any
//   db.batch(stack, [['INSERT ...', a, b], ['INSERT ...', c]])                              // writes in one transaction
//
// `stack` is what startStack() returns (or any object with the same database fields:
// db.sqliteFile(path) for a copy such as a backup). The engine is chosen here and only here:
//
//   SQLite: the sqlite3 command-line shell, one long-lived shell per test process
//   (tests/lib/shell-worker.mjs; a new process per call was a quarter of the CPU of a SQLite
//   test run), the SQL on its standard input (no argument-length limit). Each call opens
//   stack.dbPath (`.open`, read-only for reads) and closes it at its end; -bail, so the first
//   error stops the shell and fails the call with its message (the next call starts another).
//   Calls wait up to a minute for the portal's locks (LOCK_WAIT_MS) and writes run with PRAGMA
//   foreign_keys=ON, as the portal does. The portal keeps running meanwhile: WAL mode.
//
//   PostgreSQL (make test-pg, PORTAL_TEST_DB=postgres): startStack gives each stack its own
//   database on the test process's server (pg.mjs) and sets stack.dbEngine 'postgres' and
//   stack.dbUrl; run() sends the script to `psql -X -q -v ON_ERROR_STOP=1 -At` (the database's
//   long-lived session, pg.session: one psql per database, not one per call) with each
//   statement that returns rows wrapped as `SELECT coalesce(json_agg(r_), '[]') FROM (...) r_`
//   (and `SET default_transaction_read_only = on` for reads; batch's BEGIN/COMMIT as they are);
//   literal() quotes a Buffer as '\x..'::bytea. Results come back as they do from SQLite:
//   integers as numbers (count(*) is a bigint there), booleans such as `x IS NULL AS flag` as
//   1/0, NULL as null, so the tests' deepEqual assertions hold for both. The few SQLite-only
//   things the tests' own SQL uses are given their PostgreSQL meaning here: randomblob() (a
//   function in the schema sqlite_compat, which only this client's search_path reaches) and
//   the triggers that make a write fail (CREATE TRIGGER ... BEGIN SELECT RAISE(ABORT, '...');
//   END becomes a row trigger calling sqlite_compat.raise_abort; DROP TRIGGER finds its table).
//   forDataDir() finds a running stack by its data directory (mail.mjs uses it).
//   Engine-specific SQL stays in this file: hex() (PostgreSQL: upper(encode(x, 'hex'))),
//   tables() (information_schema.tables), and, SQLite only, pragma(), sqliteSchema() and
//   sqliteFile(): the process tests check the SQLite file itself (integrity_check, WAL,
//   user_version, a backup copy made by portalctl backup); another engine skips those checks.
//
// Portable SQL: the fixtures compute times in JavaScript (no unixepoch()), make random values
// in JavaScript (no randomblob()), use INSERT ... RETURNING for new ids and
// INSERT ... ON CONFLICT for upserts (SQLite >= 3.35 and PostgreSQL both have them), and avoid
// last_insert_rowid() and INSERT OR IGNORE. What a PostgreSQL port of the schema must keep for
// the tests' SQL to mean the same: case-insensitive equality on users.email and tenants.domain
// (COLLATE NOCASE today; citext there) and LIKE on the ASCII texts the tests match (case-
// insensitive in SQLite; the tests' patterns match the stored case, so ILIKE is not needed).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pg from './pg.mjs';
import { shellCall } from './shell-session.mjs';

// The sqlite3 shell every SQLite call of this process goes to (tests/lib/shell-worker.mjs):
// JSON rows, and the first error ends it.
const SQLITE3 = ['sqlite3', '-bail', '-json'];
// How long a call waits for a lock the portal holds. The portal's threads queue for SQLite's
// write lock behind one mutex (store/db.c) and hand it on to each other; this client meets
// them at SQLite's lock with a polling busy handler only. 5 s (the portal's own wait) ran out
// once in CI under ASan with two suites side by side (stop 27): a test's setup is not what is
// being tested, so it waits as long as a test may take.
const LOCK_WAIT_MS = 60000;

const open = new Map(); // data directory -> stack, while the stack runs (see forDataDir)

/** Called by startStack/stop: lets helpers that only know a data directory find its database. */
export function attach(stack) { open.set(resolve(stack.data), stack); }
export function detach(stack) {
  if (open.get(resolve(stack.data)) === stack) open.delete(resolve(stack.data));
  if (stack.dbEngine === 'postgres' && stack.dbUrl) pg.endSession(stack.dbUrl);
}

/** The database of a data directory: its running stack's, else the SQLite file in it. */
export function forDataDir(data) {
  return open.get(resolve(data)) ?? { data, dbPath: join(data, 'portal.db') };
}

/** The engine the tests run on: 'postgres' under PORTAL_TEST_DB=postgres (make test-pg), else 'sqlite'. */
export const testEngine = pg.enabled() ? 'postgres' : 'sqlite';
/** For test options: why a test of the SQLite file itself is skipped on PostgreSQL, or false. */
export const sqliteFileOnly = pg.enabled() && 'checks the SQLite file itself (integrity_check, WAL, its backup copy); PostgreSQL checks its own pages';

/** Whether the stack's database is a SQLite file (the checks of the file itself apply). */
export function isSqlite(stack) { return target(stack).engine === 'sqlite'; }

/** A SQLite database file that is not a running stack's (a backup, a freshly initialized directory). */
export function sqliteFile(path) { return { dbEngine: 'sqlite', dbPath: path }; }

/** Which engine, where. */
function target(stack) {
  if (!stack || typeof stack !== 'object') throw new Error('db: no stack given');
  const engine = stack.dbEngine ?? 'sqlite';
  if (engine === 'postgres') {
    if (!stack.dbUrl) throw new Error('db: the stack has no dbUrl');
    return { engine, url: stack.dbUrl };
  }
  if (engine !== 'sqlite') throw new Error(`db: engine ${engine} is not implemented (tests/lib/db.mjs)`);
  const path = stack.dbPath ?? (stack.data && join(stack.data, 'portal.db'));
  if (!path) throw new Error('db: the stack has no dbPath');
  return { engine, path };
}

/** Whether the database exists yet (a data directory before `portalctl init` has none). */
export function exists(stack) {
  const t = target(stack);
  return t.engine === 'postgres' ? true : existsSync(t.path);
}

/** One parameter as an SQL literal of the engine. */
export function literal(v, engine = 'sqlite') {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`db: parameter ${v} is not a finite number`);
      return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
    case 'bigint':
      return v < 0n ? `(${v})` : String(v);
    case 'string':
      if (v.includes('\0')) throw new Error('db: a string parameter holds a NUL character');
      return `'${v.replace(/'/g, "''")}'`;
    default:
      if (Buffer.isBuffer(v)) return engine === 'postgres' ? `'\\x${v.toString('hex')}'::bytea` : `X'${v.toString('hex')}'`;
      throw new Error(`db: parameter of type ${v === undefined ? 'undefined' : typeof v} (${String(v)}): pass a number, a string, null or a Buffer`);
  }
}

/**
 * Fills each `?` of text (outside quoted strings, quoted identifiers and comments) with the
 * next parameter's literal. The number of placeholders must match the parameters.
 */
export function bind(text, params = [], engine = 'sqlite') {
  if (typeof text !== 'string') throw new Error('db: SQL text must be a string');
  let out = '', n = 0, i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`db: unterminated ${c} in ${text}`);
      // a doubled quote continues the same literal: the loop comes back here for the rest
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`db: unterminated comment in ${text}`);
      out += text.slice(i, end + 2);
      i = end + 2;
    } else if (c === '?') {
      if (/[0-9A-Za-z_]/.test(text[i + 1] ?? '')) throw new Error('db: numbered or named placeholders are not supported; use ?');
      if (n >= params.length) throw new Error(`db: more placeholders than the ${params.length} parameter(s) in ${text}`);
      out += literal(params[n++], engine);
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (n !== params.length) throw new Error(`db: ${params.length} parameter(s) for ${n} placeholder(s) in ${text}`);
  return out;
}

/** Result sets of the shell's -json output (one JSON array per statement that returned rows). */
function parseJson(stdout) {
  const out = stdout.trim();
  if (!out) return [];
  // rows never hold a raw newline (JSON escapes it), so "]\n[" only separates result sets
  return JSON.parse(`[${out.replace(/\]\n\[/g, '],[')}]`);
}

/** The statements of a script (split at ; outside quotes and comments). */
function statements(script) {
  const out = [];
  let cur = '', i = 0;
  while (i < script.length) {
    const c = script[i];
    if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1);
      const stop = end < 0 ? script.length : end + 1;
      cur += script.slice(i, stop);
      i = stop;
    } else if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
    } else if (c === ';' && /^\s*CREATE\s+TRIGGER\b/i.test(cur) && !/\bEND\s*$/i.test(cur)) {
      cur += c; // a SQLite trigger's body: BEGIN ...; END is one statement
      i++;
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
      i++;
    } else {
      cur += c;
      i++;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** PostgreSQL through psql: each statement that returns rows wrapped so that its rows come
 * back as one line of JSON (json_agg keeps the columns' order; bigint is a JSON number; the
 * row alias r_ is one no test's column uses); booleans become 1/0 as SQLite has them. */
function runPostgres(url, script, { write }) {
  const wrap = (st) => {
    // The tests make a write fail with a SQLite trigger (RAISE(ABORT)): the same on PostgreSQL.
    const trig = /^CREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+([\s\S]+?)\s+ON\s+(\w+)(?:\s+WHEN\s+([\s\S]+?))?\s+BEGIN\s+SELECT\s+RAISE\(ABORT,\s*('(?:[^']|'')*')\);\s*END$/i.exec(st);
    if (trig) {
      const [, name, when, event, table, cond, msg] = trig;
      return `CREATE TRIGGER ${name} ${when} ${event} ON ${table} FOR EACH ROW${cond ? ` WHEN (${cond})` : ''} EXECUTE FUNCTION sqlite_compat.raise_abort(${msg});`;
    }
    const drop = /^DROP\s+TRIGGER\s+(IF\s+EXISTS\s+)?(\w+)$/i.exec(st);
    if (drop) {
      return `DO $$DECLARE r record; BEGIN FOR r IN SELECT tgrelid::regclass AS t FROM pg_trigger WHERE tgname = '${drop[2]}' LOOP EXECUTE format('DROP TRIGGER %I ON %s', '${drop[2]}', r.t); END LOOP; END$$;`;
    }
    if (/^(SELECT|VALUES|WITH)\b/i.test(st)) return `SELECT replace(coalesce(json_agg(r_), '[]')::text, E'\\n', ' ') FROM (${st}) r_;`;
    if (/^(INSERT|UPDATE|DELETE)\b/i.test(st) && /\bRETURNING\b/i.test(st)) {
      return `WITH r_ AS (${st}) SELECT replace(coalesce(json_agg(r_), '[]')::text, E'\\n', ' ') FROM r_;`;
    }
    return `${st};`;
  };
  const body = statements(script).map(wrap).join('\n');
  // sqlite_compat (pg.mjs): the few SQLite functions the tests' own SQL uses (randomblob), for
  // this client only: the portal's connections never see them.
  // (the session outlives the call: both settings are made by every call)
  const head = `SET search_path = public, sqlite_compat;\nSET default_transaction_read_only = ${write ? 'off' : 'on'};\n`;
  const input = `${head}${body}\n`;
  let out;
  try {
    out = pg.session(url, input);
  } catch (e) {
    const shown = script.length > 2000 ? `${script.slice(0, 2000)}...` : script;
    throw new Error(`${e.message}\n${shown}`);
  }
  const bools = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, bools(v)]))));
}

/** Runs script on the engine; returns the result sets. */
function run(stack, script, { write }) {
  const t = target(stack);
  if (t.engine === 'postgres') return runPostgres(t.url, script, { write });
  const { path } = t;
  if (/['\n]/.test(path)) throw new Error(`db: a database path with a quote or a newline: ${path}`);
  // the file opened for this call and closed at its end (a backup restored or a directory
  // removed between two calls is seen as a new process saw it); a failing statement ends the
  // shell (-bail) and with it what the call had open
  // A batch takes the write lock at its BEGIN (IMMEDIATE): a deferred BEGIN that has read
  // before its first write is refused at once when the portal holds the lock (SQLite does not
  // wait there, it would deadlock), and CI met a refusal after 13 ms of a 60 s wait (stop 30).
  const batched = write && /^BEGIN;\n/.test(script);
  const body = batched ? script.replace(/^BEGIN;/, 'BEGIN IMMEDIATE;') : script;
  const input = `.open ${write ? '' : '--readonly '}'${path}'\n.timeout ${LOCK_WAIT_MS}\n${write ? 'PRAGMA foreign_keys=ON;\n' : ''}${body}\n;\n.open :memory:\n`;
  const started = Date.now();
  let a = shellCall({ key: 'sqlite3', argv: SQLITE3, kind: 'sqlite3', script: input });
  // A batch refused its lock wrote nothing (-bail ended the shell, and with it the transaction):
  // it is tried again while the wait lasts.
  for (let pause = 5; batched && /database is locked/.test(a.failed ?? a.err) && Date.now() - started < LOCK_WAIT_MS; pause = Math.min(pause * 2, 200)) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    a = shellCall({ key: 'sqlite3', argv: SQLITE3, kind: 'sqlite3', script: input });
  }
  const failed = a.failed ?? a.err.trim();
  if (failed) {
    const shown = script.length > 2000 ? `${script.slice(0, 2000)}...` : script;
    // a lock not had: how long the call waited, and what the portal said meanwhile
    const locked = /database is locked/.test(failed) && typeof stack.portalLog === 'function'
      ? `\n(after ${Date.now() - started} ms; the portal's log ends:\n${stack.portalLog().slice(-3000)})` : '';
    throw new Error(`sqlite3: ${failed.trim()}\n${shown}${locked}`);
  }
  return parseJson(a.out);
}

/** A query's rows as objects (column name -> value), in the query's order. Read-only. */
export function rows(stack, text, ...params) {
  const sets = run(stack, bind(text, params, target(stack).engine), { write: false });
  return sets.length ? sets[sets.length - 1] : [];
}

/** The first row of a query, or undefined when there is none. */
export function one(stack, text, ...params) {
  return rows(stack, text, ...params)[0];
}

/** The first column of the first row (undefined without a row). */
export function value(stack, text, ...params) {
  const row = one(stack, text, ...params);
  return row === undefined ? undefined : Object.values(row)[0];
}

/**
 * Writes: one statement (or several, separated by `;`) with its parameters. Returns the rows
 * of the last statement that returned any (INSERT/UPDATE ... RETURNING), else [].
 */
export function exec(stack, text, ...params) {
  const sets = run(stack, bind(text, params, target(stack).engine), { write: true });
  return sets.length ? sets[sets.length - 1] : [];
}

/** Several writes in one transaction: statements is [[text, ...params], ...]. All or nothing. */
export function batch(stack, statements) {
  if (!statements.length) return;
  const engine = target(stack).engine;
  const body = statements.map(([text, ...params]) => `${bind(text, params, engine).replace(/;\s*$/, '')};`).join('\n');
  run(stack, `BEGIN;\n${body}\nCOMMIT;`, { write: true });
}

/** The names of the application's tables, sorted (the engine's catalog, without its own tables). */
export function tables(stack) {
  if (target(stack).engine === 'postgres') {
    return rows(stack, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_version' ORDER BY table_name").map((r) => r.name);
  }
  return rows(stack, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((r) => r.name);
}

/** An SQL expression for the upper-case hex text of a blob expression (sessions' token_hash). */
export function hex(expr) {
  if (!/^[a-z_]+(\.[a-z_]+)?$/.test(expr)) throw new Error(`db: hex() of ${expr}: a column name`);
  return pg.enabled() ? `upper(encode(${expr}, 'hex'))` : `hex(${expr})`;
}

// ---- SQLite only: checks of the SQLite file itself (a second engine skips or replaces these) ----

/** PRAGMA name (read-only) as the shell prints it in list mode: rows on lines, columns joined by |. */
export function pragma(stack, name) {
  if (!/^[a-z_]+(\(\w+\))?$/.test(name)) throw new Error(`db: bad pragma ${name}`);
  if (target(stack).engine !== 'sqlite') throw new Error('db: pragma is SQLite only');
  return rows(stack, `PRAGMA ${name}`).map((r) => Object.values(r).join('|')).join('\n');
}

/** The schema of a SQLite file (sqlite_master), to compare two states of it. */
export function sqliteSchema(stack) {
  return rows(stack, 'SELECT type, name, sql FROM sqlite_master ORDER BY name');
}
