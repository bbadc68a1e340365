// fcgi.mjs — a tiny FastCGI client over the portal's unix socket, for sending what nginx
// never would (odd CONTENT_LENGTH, short bodies, malformed records).
//
//   const res = await fcgiRequest(stack.sock, { params: { REQUEST_METHOD: 'GET', DOCUMENT_URI: '/healthz' } });
//   res.status, res.headers, res.body (Buffer), res.text, res.ended (END_REQUEST seen)
//
//   // raw records: build them yourself and read whatever comes back
//   const bytes = Buffer.concat([beginRequest(1), record(PARAMS, 1, ...)]);
//   const out = await fcgiRaw(stack.sock, bytes);     // { data: Buffer, closed, error }
import { connect } from 'node:net';

export const BEGIN_REQUEST = 1, ABORT_REQUEST = 2, END_REQUEST = 3, PARAMS = 4, STDIN = 5, STDOUT = 6, STDERR = 7;
const RESPONDER = 1;

/** One record: header (version 1, type, request id, length, padding) + content + padding. */
export function record(type, id, content = Buffer.alloc(0)) {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  if (body.length > 0xffff) throw new Error('record content longer than 65535 bytes');
  const pad = (8 - (body.length % 8)) % 8;
  const h = Buffer.alloc(8);
  h[0] = 1; h[1] = type; h.writeUInt16BE(id, 2); h.writeUInt16BE(body.length, 4); h[6] = pad;
  return Buffer.concat([h, body, Buffer.alloc(pad)]);
}

/** A stream (PARAMS or STDIN) split into records, ended by an empty record. */
export function stream(type, id, data) {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data ?? '');
  const out = [];
  for (let i = 0; i < buf.length; i += 0xfff8) out.push(record(type, id, buf.subarray(i, i + 0xfff8)));
  out.push(record(type, id));
  return Buffer.concat(out);
}

export function beginRequest(id, keepConn = false) {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(RESPONDER, 0);
  b[2] = keepConn ? 1 : 0;
  return record(BEGIN_REQUEST, id, b);
}

/** A name-value length: 1 byte below 128, else 4 bytes with the top bit set. */
export function nvLength(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0, 0);
  return b;
}

export function encodeParams(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    const kb = Buffer.from(k), vb = Buffer.from(String(v));
    parts.push(nvLength(kb.length), nvLength(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

/** What nginx would send for method + uri (query split off), with extra params on top. */
export function paramsFor(method, uri, extra = {}) {
  const q = uri.indexOf('?');
  return {
    REQUEST_METHOD: method,
    DOCUMENT_URI: q < 0 ? uri : uri.slice(0, q),
    REQUEST_URI: uri,
    QUERY_STRING: q < 0 ? '' : uri.slice(q + 1),
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    SERVER_NAME: '_',
    SERVER_PORT: '80',
    ...extra,
  };
}

/** Sends bytes, collects everything until the server closes (or timeout ms). */
export function fcgiRaw(sockPath, bytes, { timeout = 5000 } = {}) {
  return new Promise((ok) => {
    const chunks = [];
    let done = false;
    const s = connect(sockPath);
    const finish = (extra) => {
      if (done) return;
      done = true;
      clearTimeout(t);
      s.destroy();
      ok({ data: Buffer.concat(chunks), ...extra });
    };
    const t = setTimeout(() => finish({ closed: false, timedOut: true }), timeout);
    s.on('connect', () => s.write(bytes));
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => finish({ closed: true }));
    s.on('close', () => finish({ closed: true }));
    s.on('error', (e) => finish({ closed: true, error: e }));
  });
}

/** Splits a byte stream into records: [{ type, id, content }]. */
export function parseRecords(data) {
  const out = [];
  let i = 0;
  while (i + 8 <= data.length) {
    const type = data[i + 1], id = data.readUInt16BE(i + 2), len = data.readUInt16BE(i + 4), pad = data[i + 6];
    if (i + 8 + len > data.length) break;
    out.push({ type, id, content: data.subarray(i + 8, i + 8 + len) });
    i += 8 + len + pad;
  }
  return out;
}

/** Parses a CGI-style response (Status:, headers, blank line, body). */
export function parseResponse(stdout) {
  const split = stdout.indexOf('\r\n\r\n');
  const head = (split < 0 ? stdout : stdout.subarray(0, split)).toString('latin1');
  const body = split < 0 ? Buffer.alloc(0) : stdout.subarray(split + 4);
  const headers = {};
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const k = line.slice(0, c).toLowerCase(), v = line.slice(c + 1).trim();
    headers[k] = k in headers ? [].concat(headers[k], v) : v;
  }
  const status = headers.status ? parseInt(headers.status, 10) : (stdout.length ? 200 : 0);
  return { status, headers, body, text: body.toString('utf8') };
}

/**
 * One request: params (object), stdin (string/Buffer; default empty). Options:
 * stdinRaw (Buffer: records sent as-is instead of a proper STDIN stream), id.
 */
export async function fcgiRequest(sockPath, { params, stdin = '', stdinRaw, id = 1, timeout = 5000 } = {}) {
  const bytes = Buffer.concat([
    beginRequest(id),
    stream(PARAMS, id, encodeParams(params)),
    stdinRaw ?? stream(STDIN, id, stdin),
  ]);
  const raw = await fcgiRaw(sockPath, bytes, { timeout });
  const recs = parseRecords(raw.data);
  const stdout = Buffer.concat(recs.filter((r) => r.type === STDOUT && r.id === id).map((r) => r.content));
  const stderr = Buffer.concat(recs.filter((r) => r.type === STDERR && r.id === id).map((r) => r.content));
  const end = recs.find((r) => r.type === END_REQUEST && r.id === id);
  return {
    ...parseResponse(stdout),
    stdout,
    stderr: stderr.toString('utf8'),
    ended: Boolean(end),
    appStatus: end ? end.content.readUInt32BE(0) : null,
    closed: raw.closed,
    timedOut: Boolean(raw.timedOut),
  };
}
