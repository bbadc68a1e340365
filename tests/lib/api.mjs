// api.mjs — calling the JSON API (issue 14) through nginx as a program does: a Bearer
// credential, JSON in and out, no cookies.
import { request } from 'node:http';
import assert from 'node:assert/strict';
import { csrfOf } from './http.mjs';

/**
 * One call: method, path; json (an object, sent as application/json) or body (raw text,
 * with contentType); headers; from (local address). Returns { status, headers, text, json }.
 */
export function call(base, secret, method, path, { json, body, contentType, headers = {}, from } = {}) {
  const h = { ...headers };
  if (secret) h.authorization = `Bearer ${secret}`;
  let payload = null;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    h['content-type'] ??= 'application/json';
  } else if (body !== undefined) {
    payload = body;
    if (contentType) h['content-type'] = contentType;
  }
  if (payload !== null) h['content-length'] = Buffer.byteLength(payload);
  return new Promise((ok, fail) => {
    const req = request(new URL(path, base), { method, headers: h, ...(from ? { localAddress: from } : {}) }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
        ok({ status: res.statusCode, headers: res.headers, text, json: parsed });
      });
    });
    req.on('error', fail);
    if (payload !== null) req.write(payload);
    req.end();
  });
}

/** A client bound to one base URL and secret: api.get(path), api.post(path, json, opts). */
export function apiClient(base, secret, opts = {}) {
  return {
    secret,
    get: (path, o = {}) => call(base, secret, 'GET', path, { ...opts, ...o }),
    post: (path, json, o = {}) => call(base, secret, 'POST', path, { ...opts, json, ...o }),
  };
}

/** Creates a credential through Settings -> API as the signed-in Global admin `admin` (a
 * Client): { res, secret } (secret null when the form was refused). */
export async function createCredential(admin, { name, days = '30', addresses = '', roles = ['global_admin'] }) {
  const page = await admin.get('/settings/api/new');
  const res = await admin.post('/settings/api/new', { csrf: csrfOf(page.text), name, days, addresses, 'roles[]': roles });
  const m = /id="api-secret"[^>]*value="(cspk_[A-Za-z0-9_-]{43})"/.exec(res.text);
  return { res, secret: m ? m[1] : null };
}

/** A client with a new credential of tenant holding roles (fixtures' apiCredential), with
 * the credential's id and name (the audit's actor is `api:<name>`). */
export async function credClient(stack, tenant, roles = ['global_admin']) {
  const { apiCredential } = await import('./fixtures.mjs');
  const c = await apiCredential(stack, { tenant, roles });
  return Object.assign(apiClient(stack.base, c.secret), { id: c.id, name: c.name });
}

/** res is an RFC 9457 problem with this status (and, given a pattern, a detail matching it). */
export function assertProblem(res, status, detail) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal(res.json.status, status);
  if (detail) assert.match(res.json.detail, detail);
}
