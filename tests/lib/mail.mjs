// mail.mjs — reads what the portal wrote to its spool (var/mail/*.eml).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as db from './db.mjs';

/**
 * The portal answers first and delivers the mail of a request right after (so that the
 * answer's timing says nothing about whether an email was sent). A message is committed to
 * the outbox before the answer with attempts = 0; delivery, failed or not, counts an
 * attempt. So waiting until no row has attempts = 0 means every message of every answered
 * request has reached the spool (or failed and stays queued). Waits at most `ms`.
 */
export function settle(mailDir, ms = 3000) {
  const database = db.forDataDir(dirname(mailDir));
  if (!db.exists(database)) return;
  const until = Date.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until) {
    let pending;
    try { pending = db.value(database, 'SELECT count(*) AS n FROM outbox WHERE attempts = ?', 0); } catch { pending = null; }
    if (pending === 0) return;
    Atomics.wait(pause, 0, 0, 10);
  }
}

/** Every message in the spool, oldest first: { file, headers, subject, to, body, raw }. */
export function messages(mailDir) {
  settle(mailDir);
  let files = [];
  try { files = readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort(); } catch { return []; }
  return files.map((f) => parse(f, readFileSync(join(mailDir, f), 'utf8')));
}

export function parse(file, raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split), body = raw.slice(split + 4).replace(/\r\n/g, '\n');
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  // issue 15, item 15: every message any test reads has its lines wrapped at 72 characters.
  const long = longLines(body);
  if (long.length) throw new Error(`mail ${file} ("${decodeSubject(headers.subject || '')}") has lines over 72 characters: ${JSON.stringify(long)}`);
  return { file, headers, subject: decodeSubject(headers.subject || ''), to: headers.to, body, raw };
}

/**
 * The body's lines over 72 characters that could have been wrapped (issue 15): a longer line
 * is allowed only when it is one word (a link, an address) after its indentation and quote or
 * list mark, since the portal never cuts a word.
 */
export function longLines(body) {
  return body.split('\n').filter((l) => [...l].length > 72 && / /.test(l.replace(/^ *(?:[|>*-] )?/, '')));
}

function decodeSubject(s) {
  return s.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

/** Waits for the first message to `to` (matching subject if given) that was not in `seen`. */
export async function waitForMail(mailDir, { to, subject, after = 0, timeout = 5000 } = {}) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const all = messages(mailDir).slice(after);
    const m = all.find((x) => (!to || x.to === to) && (!subject || (subject.test ? subject.test(x.subject) : x.subject.includes(subject))));
    if (m) return m;
    await sleep(25);
  }
  throw new Error(`no mail to ${to} (${subject}) within ${timeout} ms`);
}

/** The first link to the portal in a message body that contains `path`. */
export function linkIn(msg, path) {
  const m = msg.body.match(new RegExp(`https?://[^\\s]*${path.replace(/[/?]/g, '\\$&')}[^\\s]*`));
  if (!m) throw new Error(`no ${path} link in mail "${msg.subject}"`);
  return m[0];
}

export function count(mailDir) { return messages(mailDir).length; }

/**
 * A sendmail stand-in that keeps every delivery: PORTAL_MAIL=sendmail with
 * PORTAL_SENDMAIL=sink.command writes each message it is handed to a file of its own in dir
 * (never replaced, unlike the spool's one file per outbox id), so a message delivered twice
 * shows up twice. delayMs keeps each delivery open that long (a slow mail server: it widens
 * the window in which two processes could both be sending one message). While sink.hold is
 * on, it refuses every message (exit 75, as sendmail does when it cannot queue), so mail piles
 * up in the outbox. sink.messages(): every delivery, parsed like messages().
 */
export function sendmailSink(dir, { delayMs = 0 } = {}) {
  mkdirSync(join(dir, 'got'), { recursive: true });
  const script = join(dir, 'sendmail-sink.sh');
  writeFileSync(script, `#!/bin/sh
[ -e '${dir}/hold' ] && exit 75
f=$(mktemp '${dir}/got/m.XXXXXXXX') || exit 75
cat > "$f.part" || exit 75
${delayMs ? `sleep ${(delayMs / 1000).toFixed(3)}` : ':'}
mv "$f.part" "$f.eml" && rm -f "$f"
`, { mode: 0o755 });
  return {
    command: script,
    set hold(on) { if (on) writeFileSync(join(dir, 'hold'), ''); else rmSync(join(dir, 'hold'), { force: true }); },
    messages() {
      const got = join(dir, 'got');
      return readdirSync(got).filter((f) => f.endsWith('.eml')).sort()
        .map((f) => parse(f, readFileSync(join(got, f), 'utf8').replace(/\r?\n/g, '\r\n')));
    },
  };
}
