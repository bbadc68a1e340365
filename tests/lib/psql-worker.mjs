// psql-worker.mjs — the worker thread behind pg.session() (pg.mjs): one long-lived psql per
// connection string, so that a test's database call is a round trip on an open connection
// instead of a new psql process and a new server backend (each about 30 ms of CPU on two
// cores: most of the PostgreSQL test run's time went to starting and ending them).
//
// Each request { conninfo, script } is written to that psql's standard input followed by two
// markers, `\echo` (standard output) and `\warn` (standard error): the answer is what came
// before them on each. psql runs with ON_ERROR_STOP, so the first failing statement ends it
// (the server rolls back what was open, as before): the answer is then its message, and the
// next request starts a new psql. The main thread waits on a shared word (Atomics.wait) and
// takes the answer with receiveMessageOnPort: the calls stay synchronous for db.mjs.
import { workerData } from 'node:worker_threads';
import { spawn } from 'node:child_process';

const { port, flag, psqlPath } = workerData;
const word = new Int32Array(flag);
const sessions = new Map();	// conninfo -> { child, out, err, exited, wake }
let seq = 0;

function open(conninfo) {
  const child = spawn(psqlPath, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', conninfo], { stdio: ['pipe', 'pipe', 'pipe'] });
  const s = { child, out: '', err: '', exited: null, wake: null };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { s.out += d; s.wake?.(); });
  child.stderr.on('data', (d) => { s.err += d; s.wake?.(); });
  child.on('error', (e) => { s.exited = { error: e.message }; s.wake?.(); });
  child.on('close', (code, signal) => { s.exited = { code, signal }; s.wake?.(); });
  child.stdin.on('error', () => {});	// a psql that stopped: its exit says why
  sessions.set(conninfo, s);
  return s;
}

async function request(conninfo, script) {
  let s = sessions.get(conninfo);
  if (!s || s.exited) s = open(conninfo);
  const mark = `--psql-worker-done-${++seq}--`;
  const end = `\n${mark}\n`;
  s.out = '';
  s.err = '';
  s.child.stdin.write(`${script}\n\\echo ${mark}\n\\warn ${mark}\n`);
  for (;;) {
    const outDone = s.out.endsWith(end) || s.out === `${mark}\n`;
    const errDone = s.err.endsWith(end) || s.err === `${mark}\n`;
    if (outDone && errDone) {
      const out = s.out.slice(0, s.out.length - mark.length - 1);
      const err = s.err.slice(0, s.err.length - mark.length - 1);
      return { out, err };
    }
    if (s.exited) {
      sessions.delete(conninfo);
      const why = s.exited.error || s.err.trim() || `psql exited (${s.exited.code ?? s.exited.signal})`;
      return { failed: why, out: s.out };
    }
    await new Promise((ok) => { s.wake = ok; });
    s.wake = null;
  }
}

port.on('message', async (m) => {
  let answer;
  if (m.close) {
    const s = sessions.get(m.close);
    sessions.delete(m.close);
    if (s && !s.exited) s.child.stdin.end();
    answer = {};
  } else {
    try {
      answer = await request(m.conninfo, m.script);
    } catch (e) {
      answer = { failed: e.message };
    }
  }
  port.postMessage(answer);
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
});
