// shell-session.mjs — synchronous calls to the long-lived database shells of
// tests/lib/shell-worker.mjs (one worker thread per test process, started at the first call).
//
//   const a = shellCall({ key, argv, kind: 'psql' | 'sqlite3', script });
//   // { out, err } when the shell reached the end of the script, { failed, out } when it stopped
//   shellClose(key);   // ends that shell (a stack that stopped)
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

let worker = null;	// { worker, port, word }

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
  Atomics.store(worker.word, 0, 0);
  worker.port.postMessage(message);
  if (Atomics.wait(worker.word, 0, 0, 300000) === 'timed-out') throw new Error(`${message.kind ?? 'shell'} session: no answer in 300 s`);
  return receiveMessageOnPort(worker.port).message;
}

/** Runs script on the shell `key` (started with argv if it is not running). */
export const shellCall = ({ key, argv, kind, script }) => ask({ key, argv, kind, script });

/** Ends the shell `key`, if it runs. */
export function shellClose(key) {
  if (worker) ask({ close: key });
}
