// operators.mjs — the program team's operators (issue 19) for tests: added with
// `portalctl operator add`, their password chosen through the emailed link, signed in at
// /operator/signin, the second factor set up at the first sign-in (the console requires it).
//
//   const op = await newOperator(stack, { role: 'reviewer' });   // { c, email, secret, id }
//   await operatorSignin(stack, email, secret)                     // a new signed-in Client
import assert from 'node:assert/strict';
import { Client, csrfOf, errorsOf } from './http.mjs';
import { setPassword, PASSWORD } from './users.mjs';
import { nextCode } from './totp.mjs';
import * as F from './fixtures.mjs';

let serial = 0;

/** The password step at /operator/signin: the answer (303 to the code page, the console or
 * the MFA setup; 422 refused). */
export async function operatorPassword(c, email, password = PASSWORD, next) {
  return c.submit('/operator/signin', next ? { email, password, next } : { email, password });
}

/** Sets up the second factor for a signed-in session c: the secret (base32, no spaces). */
export async function setupMfa(c) {
  const page = await c.get('/account/mfa');
  assert.equal(page.status, 200, 'the MFA setup page');
  const start = await c.post('/account/mfa/start', { csrf: csrfOf(page.text) });
  assert.equal(start.status, 303);
  const setup = await c.get('/account/mfa');
  const m = /id="mfa-secret" type="text" readonly value="([A-Z2-7 ]+)"/.exec(setup.text);
  assert.ok(m, 'the secret is on the setup page');
  const secret = m[1].replace(/ /g, '');
  const done = await c.post('/account/mfa', { csrf: csrfOf(setup.text), code: await nextCode(secret) });
  assert.equal(done.status, 200, errorsOf(done.text).join('; '));
  return secret;
}

/** Signs in at /operator/signin with password and TOTP: a new Client (or the answer that
 * was not a sign-in, with want). */
export async function operatorSignin(stack, email, secret, { password = PASSWORD, next } = {}) {
  const c = new Client(stack.base);
  const res = await operatorPassword(c, email, password, next);
  assert.equal(res.status, 303, `operator password step: ${res.status} ${errorsOf(res.text).join('; ')}`);
  assert.match(res.location, /^\/signin\/code/, 'an operator always has the second step');
  const page = await c.get(res.location);
  const done = await c.post('/signin/code', { csrf: csrfOf(page.text), code: await nextCode(secret),
    next: /name="next" value="([^"]*)"/.exec(page.text)?.[1] ?? '/operator' });
  assert.equal(done.status, 303, 'the code step');
  c.lastSignin = done;
  return c;
}

/** A new operator with role, password set and MFA set up: { c (signed in), email, secret, id }. */
export async function newOperator(stack, { role = 'reviewer', email, name } = {}) {
  email ??= `op${process.pid}x${++serial}-${role}@program.example`;
  const add = stack.ctl('operator', 'add', email, '--role', role, '--name', name ?? `Operator ${serial}`);
  assert.equal(add.code, 0, add.stderr);
  const { res } = await setPassword(stack, email);
  assert.equal(res.status, 303, 'the operator chose a password');
  const c = new Client(stack.base);
  const pw = await operatorPassword(c, email);
  assert.equal(pw.status, 303, `first sign-in: ${errorsOf(pw.text).join('; ')}`);
  const secret = await setupMfa(c);
  return { c, email, secret, id: F.userId(stack, email) };
}

/** POSTs fields as multipart/form-data (a value { filename, content } is a file part), as a
 * browser sends a form with a file: the answer. */
export function postMultipart(c, path, fields) {
  const boundary = `----opTest${Math.random().toString(16).slice(2)}`;
  let body = '';
  for (const [name, v] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
    if (v && typeof v === 'object') body += `; filename="${v.filename}"\r\nContent-Type: text/plain\r\n\r\n${v.content}\r\n`;
    else body += `\r\n\r\n${v}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return c.request('POST', path, { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}
