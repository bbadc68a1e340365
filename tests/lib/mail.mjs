// mail.mjs — reads what the portal wrote to its spool (var/mail/*.eml).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every message in the spool, oldest first: { file, headers, subject, to, body, raw }. */
export function messages(mailDir) {
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
  return { file, headers, subject: decodeSubject(headers.subject || ''), to: headers.to, body, raw };
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
