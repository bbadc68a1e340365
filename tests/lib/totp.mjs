// totp.mjs — TOTP codes (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits) computed with
// node's crypto, independently of the portal's liboath, so tests can answer the second step
// of signing in from a secret read off the setup page or printed by `portalctl demo`.
//
//   import { totp, base32Decode, nextCode } from './totp.mjs';
//   totp('JBSW Y3DP ...')                     // the code for now
//   totp(secret, { step: 12345 })             // the code of one time step
//   nextCode(secret)                          // a code the portal has not seen yet (see below)
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (spaces, dashes and padding ignored, any case) to bytes. */
export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0, acc = 0;
  const out = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const STEP = 30;
export const stepOf = (unixSeconds) => Math.floor(unixSeconds / STEP);
export const nowStep = () => stepOf(Date.now() / 1000);

/** HOTP (RFC 4226) of counter with key (bytes). */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code of a base32 secret (or bytes) for time step `step` (default: now). */
export function totp(secret, { step = nowStep(), digits = 6 } = {}) {
  const key = typeof secret === 'string' ? base32Decode(secret) : secret;
  return hotp(key, step, digits);
}

// The portal accepts each time step once and never one at or before the last accepted (replay
// guard), with one step of skew either way. A test that signs one user in several times within
// 30 seconds takes the next unused step (up to one ahead of now), waiting when both are used.
const lastStep = new Map(); // secret -> last step handed out

/** A code for a step the portal has not accepted yet for this secret (waits if needed). */
export async function nextCode(secret) {
  const k = secret.replace(/\s/g, '').toUpperCase();
  for (;;) {
    const now = nowStep();
    const step = Math.max(now, (lastStep.get(k) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(k, step);
      return totp(k, { step });
    }
    await sleep(((now + 1) * STEP * 1000) - Date.now() + 50);
  }
}
