import { randomBytes } from 'node:crypto';

/**
 * Prefixed ids that sort by creation time: `lead_01hx…`. 48 bits of milliseconds then
 * 80 random bits, Crockford base32 (the ULID layout), so ids are unique across processes.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${encodeRandom(16)}`;
}

/** A random token with a readable prefix, for keys and secrets (`fd_live_…`). */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(chars: number): string {
  const bytes = randomBytes(chars);
  let out = '';
  for (let i = 0; i < chars; i++) out += ALPHABET[bytes[i]! % 32]!;
  return out;
}
