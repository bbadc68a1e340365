// shell-worker.mjs — the worker thread behind shell-session.mjs: long-lived database shells
// (psql for PostgreSQL, one per connection string; the sqlite3 shell for SQLite, one for every
// file), so that a test's database call is a round trip to a running shell instead of a new
// process (a new psql was also a new server backend): starting those was about a third of the
// CPU of a PostgreSQL test run and a quarter of a SQLite one.
//
// Each request { key, argv, kind, script } is written to the standard input of the shell
// `key` (started with argv when it has none, or when it stopped) followed by markers; the
// answer is what came before them.
//   psql: `\echo` (standard output) and `\warn` (standard error). psql runs with
//     ON_ERROR_STOP, so the first failing statement ends it (the server rolls back what was
//     open): the answer is then its message, and the next request starts a new psql.
//   sqlite3: `.print` (standard output; the shell flushes it before reading on). The shell
//     runs with -bail (db.mjs), so a failing statement ends it the same way; what a dot-command
//     that failed without ending it printed on standard error is taken once the marker came
//     (stderr is written before the marker, and read in the same turn or an earlier one).
// The main thread waits on a shared word (Atomics.wait) and takes the answer with
// receiveMessageOnPort: the calls stay synchronous for db.mjs.
import { workerData } from 'node:worker_threads';
import { spawn } from 'node:child_process';

const { port, flag } = workerData;
const word = new Int32Array(flag);
const shells = new Map();	// key -> { child, out, err, exited, wake }
let seq = 0;

function open(key, argv) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const s = { child, out: '', err: '', exited: null, wake: null };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { s.out += d; s.wake?.(); });
  child.stderr.on('data', (d) => { s.err += d; s.wake?.(); });
  child.on('error', (e) => { s.exited = { error: e.message }; s.wake?.(); });
  child.on('close', (code, signal) => { s.exited = { code, signal }; s.wake?.(); });
  child.stdin.on('error', () => {});	// a shell that stopped: its exit says why
  shells.set(key, s);
  return s;
}

const MARKS = {
  psql: (mark) => ({ text: `\n\\echo ${mark}\n\\warn ${mark}\n`, onErr: true }),
  sqlite3: (mark) => ({ text: `\n;\n.print ${mark}\n`, onErr: false }),
};

async function request({ key, argv, kind, script }) {
  let s = shells.get(key);
  if (!s || s.exited) s = open(key, argv);
  const mark = `--shell-worker-done-${++seq}--`;
  const end = `\n${mark}\n`;
  const done = (text) => text.endsWith(end) || text === `${mark}\n`;
  const { text, onErr } = MARKS[kind](mark);
  s.out = '';
  s.err = '';
  s.child.stdin.write(`${script}${text}`);
  for (;;) {
    if (done(s.out) && (!onErr || done(s.err))) {
      if (!onErr) await new Promise((ok) => setImmediate(ok));
      const out = s.out.slice(0, s.out.length - mark.length - 1);
      const err = onErr ? s.err.slice(0, s.err.length - mark.length - 1) : s.err;
      return { out, err };
    }
    if (s.exited) {
      shells.delete(key);
      const why = s.exited.error || s.err.trim() || `${argv[0]} exited (${s.exited.code ?? s.exited.signal})`;
      return { failed: why, out: s.out };
    }
    await new Promise((ok) => { s.wake = ok; });
    s.wake = null;
  }
}

port.on('message', async (m) => {
  let answer;
  if (m.close) {
    const s = shells.get(m.close);
    shells.delete(m.close);
    if (s && !s.exited) s.child.stdin.end();
    answer = {};
  } else {
    try {
      answer = await request(m);
    } catch (e) {
      answer = { failed: e.message };
    }
  }
  port.postMessage({ id: m.id, answer });
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
});
