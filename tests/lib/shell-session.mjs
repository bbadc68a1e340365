// shell-session.mjs — synchronous calls to the long-lived database shells of
// tests/lib/shell-worker.mjs (one worker thread per test process, started at the first call).
//
//   const a = shellCall({ key, argv, kind: 'psql' | 'sqlite3', script });
//   // { out, err } when the shell reached the end of the script, { failed, out } when it stopped
//   shellClose(key);   // ends that shell (a stack that stopped)
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

let worker = null;	// { worker, port, word }
let calls = 0;		// numbers each request; its answer carries the number back

/** One request to the worker, waited for: its answer. */
function ask(message) {
  if (!worker) {
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const w = new Worker(new URL('./shell-worker.mjs', import.meta.url),
      { workerData: { port: port2, flag }, transferList: [port2] });
    w.unref();
    worker = { worker: w, port: port1, word: new Int32Array(flag) };
  }
  const id = ++calls;
  Atomics.store(worker.word, 0, 0);
  worker.port.postMessage({ ...message, id });
  // The answer is posted before the word is set, so a set word means it is there. A wake-up
  // alone does not: the worker's notify for the previous call may come after that call saw
  // the word set without waiting and this call began waiting (a clean-clone CI run of
  // session 12: the answer read then was undefined, and every later call of that test file
  // got the answer of the call before it). Answers carry their request's number.
  const until = Date.now() + 300000;
  for (;;) {
    const got = receiveMessageOnPort(worker.port);
    if (got && got.message.id === id) return got.message.answer;
    if (got) {			// the late answer of a call that gave up waiting: its word too
      Atomics.store(worker.word, 0, 0);
      continue;
    }
    const left = until - Date.now();
    if (left <= 0 || Atomics.wait(worker.word, 0, 0, left) === 'timed-out') {
      throw new Error(`${message.kind ?? 'shell'} session: no answer in 300 s`);
    }
  }
}

/** Runs script on the shell `key` (started with argv if it is not running). */
export const shellCall = ({ key, argv, kind, script }) => ask({ key, argv, kind, script });

/** Ends the shell `key`, if it runs. */
export function shellClose(key) {
  if (worker) ask({ close: key });
}
