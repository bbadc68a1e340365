// linktoken.mjs — mints emailed-link tokens the way src/token.c does, from the key file of
// a test's data directory, so tests can make cases the portal would never issue (an
// expired link, a wrong purpose, a key id that does not exist).
//
//   const t = mintToken(stack, { purpose: 1, row: 5, expires: 1700000000 });
//
// Format (token.h): base64url of format(1)=1, purpose(1), key id(4 BE), row id(8 BE),
// expiry(8 BE), tag(32) = HMAC-SHA512-256 (crypto_auth) over the first 22 bytes under the
// subkey crypto_kdf_derive_from_key(32, 1, "linktokn", master). crypto_kdf is BLAKE2b with
// the master key as key, the subkey id in the salt and the context in the personalization:
// node has no keyed BLAKE2b with salt and personalization, so it is written out below.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PURPOSE = { 'password-reset': 1, 'set-password': 2, 'verify-contact': 3, 'reseller-invite': 4, 'customer-invite': 5, 'signup-confirm': 6 };

const M64 = (1n << 64n) - 1n;
const IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
const rotr = (x, n) => ((x >> BigInt(n)) | (x << BigInt(64 - n))) & M64;

function compress(h, block, t, last) {
  const m = [];
  for (let i = 0; i < 16; i++) m.push(block.readBigUInt64LE(i * 8));
  const v = [...h, ...IV];
  v[12] ^= t & M64;
  v[13] ^= t >> 64n;
  if (last) v[14] ^= M64;
  const G = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32);
    v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 24);
    v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16);
    v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 63);
  };
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r % 10];
    G(0, 4, 8, 12, m[s[0]], m[s[1]]); G(1, 5, 9, 13, m[s[2]], m[s[3]]);
    G(2, 6, 10, 14, m[s[4]], m[s[5]]); G(3, 7, 11, 15, m[s[6]], m[s[7]]);
    G(0, 5, 10, 15, m[s[8]], m[s[9]]); G(1, 6, 11, 12, m[s[10]], m[s[11]]);
    G(2, 7, 8, 13, m[s[12]], m[s[13]]); G(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

/** BLAKE2b (RFC 7693) with optional key, 16-byte salt and 16-byte personalization. */
export function blake2b(data, { outlen = 32, key = Buffer.alloc(0), salt, personal } = {}) {
  const p = Buffer.alloc(64);
  p[0] = outlen; p[1] = key.length; p[2] = 1; p[3] = 1;
  if (salt) salt.copy(p, 32);
  if (personal) personal.copy(p, 48);
  const h = IV.map((x, i) => x ^ p.readBigUInt64LE(i * 8));
  let input = Buffer.from(data);
  if (key.length) input = Buffer.concat([key, Buffer.alloc(128 - key.length), input]);
  let t = 0n, off = 0;
  while (input.length - off > 128) {
    t += 128n;
    compress(h, input.subarray(off, off + 128), t, false);
    off += 128;
  }
  const rest = input.subarray(off);
  t += BigInt(rest.length);
  compress(h, Buffer.concat([rest, Buffer.alloc(128 - rest.length)]), t, true);
  const out = Buffer.alloc(64);
  h.forEach((x, i) => out.writeBigUInt64LE(x, i * 8));
  return out.subarray(0, outlen);
}

/** libsodium's crypto_kdf_derive_from_key(len, subkeyId, ctx, master). */
export function kdf(master, subkeyId, ctx, len = 32) {
  const salt = Buffer.alloc(16);
  salt.writeBigUInt64LE(BigInt(subkeyId), 0);
  const personal = Buffer.alloc(16);
  Buffer.from(ctx, 'latin1').copy(personal, 0, 0, 8);
  return blake2b(Buffer.alloc(0), { outlen: len, key: master, salt, personal });
}

/** The keys in <data>/secret.keys: [{ id, state, master }]. */
export function readKeys(data) {
  return readFileSync(join(data, 'secret.keys'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => { const [id, state, hex] = l.split(/\s+/); return { id: Number(id), state, master: Buffer.from(hex, 'hex') }; });
}

/** A token as token_make would build it; kid defaults to the current key. */
export function mintToken(stack, { purpose = 1, row, expires, kid, format = 1 }) {
  const keys = readKeys(stack.data);
  const signer = kid === undefined ? keys.find((k) => k.state === 'current') : keys.find((k) => k.id === kid);
  const useKid = kid ?? signer.id;
  const master = signer ? signer.master : keys[0].master;
  const body = Buffer.alloc(22);
  body[0] = format;
  body[1] = typeof purpose === 'string' ? PURPOSE[purpose] : purpose;
  body.writeUInt32BE(useKid, 2);
  body.writeBigUInt64BE(BigInt(row), 6);
  body.writeBigUInt64BE(BigInt(expires), 14);
  const tag = createHmac('sha512', kdf(master, 1, 'linktokn')).update(body).digest().subarray(0, 32);
  return Buffer.concat([body, tag]).toString('base64url');
}

/** Decodes a token's visible fields (no checking). */
export function readToken(text) {
  const raw = Buffer.from(text, 'base64url');
  return { format: raw[0], purpose: raw[1], kid: raw.readUInt32BE(2), row: Number(raw.readBigUInt64BE(6)), expires: Number(raw.readBigUInt64BE(14)) };
}
