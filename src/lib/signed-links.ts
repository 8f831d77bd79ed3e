import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from './crypto.js';

/**
 * Signed, expiring download links that this server serves itself: HMAC-SHA256 over
 * `subject.expires` with a key derived from the master key, so links survive restarts and
 * work on every instance. Each `purpose` derives its own key: a link of one kind cannot be
 * replayed against another kind's route.
 */
export interface LinkSigner {
  /** Hex signature of `subject` valid until `expiresAtSeconds` (Unix seconds). */
  sign(subject: string, expiresAtSeconds: number): string;
  /** Checks a presented `expires` and `signature` for `subject` at `nowMs`. */
  check(subject: string, expires: string, signature: string, nowMs: number): 'valid' | 'forged' | 'expired';
}

const SIGNATURE = /^[0-9a-f]{64}$/;
const EXPIRES = /^\d{1,12}$/;

export function createLinkSigner(masterKey: string, purpose: string): LinkSigner {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, 32));
  const sign = (subject: string, expiresAtSeconds: number) =>
    createHmac('sha256', key).update(`${subject}.${expiresAtSeconds}`).digest('hex');
  return {
    sign,
    check(subject, expires, signature, nowMs) {
      const expiresAt = EXPIRES.test(expires) ? Number(expires) : NaN;
      if (!Number.isFinite(expiresAt) || !SIGNATURE.test(signature) || !safeEqual(signature, sign(subject, expiresAt)))
        return 'forged';
      return nowMs / 1000 > expiresAt ? 'expired' : 'valid';
    },
  };
}
