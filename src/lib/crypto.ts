import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The comparisons and MACs every inbound check uses: channel signatures, CallRail's, bearer
 * tokens, keys and signed links all compare through `safeEqual`, so there is one place to get it right.
 */

export type Bytes = string | Buffer;

/**
 * Constant-time equality of two strings (or byte strings) of any length. Both sides are hashed
 * first, so the comparison always runs over 32 bytes and neither the contents nor the lengths
 * show in its timing.
 */
export function safeEqual(a: Bytes, b: Bytes): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * The index of the first of `expected` equal to `presented`, or -1. Every candidate is compared,
 * each in constant time and without stopping at a match, so the time taken says nothing about
 * which one matched (several secrets are valid while one is being rotated). Inbound signature
 * checks all end here.
 */
export function matchIndex(presented: Bytes, expected: readonly Bytes[]): number {
  let matched = -1;
  expected.forEach((candidate, index) => {
    if (safeEqual(candidate, presented) && matched === -1) matched = index;
  });
  return matched;
}

function sha256(value: Bytes): Buffer {
  return createHash('sha256').update(value).digest();
}

/** HMAC-SHA256 of the parts in order (as if concatenated); strings are UTF-8. */
export function hmacSha256(key: Bytes, ...parts: Bytes[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** HMAC-SHA1, for schemes that still use it (CallRail's `Signature`). */
export function hmacSha1(key: Bytes, ...parts: Bytes[]): Buffer {
  const mac = createHmac('sha1', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * A keyed one-way fingerprint (hex HMAC-SHA256 under a key derived from the master key): lets a
 * secret be looked up by value without being stored, and a weak one cannot be guessed from a
 * copy of the database without the master key.
 */
export function createFingerprint(masterKey: string, purpose: string): (value: string) => string {
  const key = hmacSha256(`frontdesk:fingerprint:${masterKey}`, purpose);
  return (value) => hmacSha256(key, value).toString('hex');
}
