import { hmacSha1, hmacSha256, safeEqual } from '../../lib/crypto.js';

/**
 * The two signatures a CallRail webhook can carry, checked on the raw bytes before anything is
 * parsed. Both checks are pure: the caller passes the headers, the body and the tenant's secrets
 * (several during a rotation) and gets back which secret matched or, by name, why none did.
 *
 * - Spec A's scheme, `x-callrail-signature: sha256=<hex>` over `"{x-timestamp}.{raw body}"` with a
 *   ±5-minute window (the Standard Webhooks shape our own outbound webhooks use too).
 * - CallRail's own scheme, `Signature: base64(HMAC-SHA1(company signing key, raw body))`, as
 *   published in CallRail's API docs (apidocs.callrail.com, "Webhooks" → "Validating Payloads").
 *   It signs no timestamp, so there is no window to check; a replayed delivery is absorbed by
 *   the intake's uniqueness on the call id instead. The payload does carry a `timestamp` field,
 *   but it is the call's start time and post-call webhooks arrive up to 20 minutes later, so a
 *   5-minute window on it would refuse genuine deliveries.
 */

export type SignatureFailure = 'missing_header' | 'malformed' | 'expired' | 'future' | 'mismatch';

export type SignatureCheck =
  /** `secretIndex` says which of the given secrets matched, so callers can see when an old one is still in use. */
  { ok: true; secretIndex: number } | { ok: false; reason: SignatureFailure };

/** A header as Node hands it over: absent, once, or repeated. */
export type HeaderValue = string | readonly string[] | undefined;

/** How far `x-timestamp` may be from now, either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

const SPEC_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
/** Up to 12 digits: unix seconds until the year 33658, and no room for a float or a sign. */
const UNIX_SECONDS = /^\d{1,12}$/;
/** Base64 of exactly 20 bytes (an SHA-1 digest): 27 characters and one pad. */
const CALLRAIL_SIGNATURE = /^[A-Za-z0-9+/]{27}=$/;

export interface TimestampedSignatureInput {
  /** The `x-callrail-signature` header. */
  signature: HeaderValue;
  /** The `x-timestamp` header, unix seconds. */
  timestamp: HeaderValue;
  /** The body exactly as received. */
  rawBody: Buffer | string;
  /** Current secret first, then any still accepted during a rotation. */
  secrets: readonly string[];
  now?: Date;
  toleranceSeconds?: number;
}

/** Spec A's `sha256=` header for a body, for senders, tests and the docs' examples. */
export function signTimestamped(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `sha256=${timestampedDigest(secret, String(timestamp), toBuffer(rawBody)).toString('hex')}`;
}

export function verifyTimestampedSignature(input: TimestampedSignatureInput): SignatureCheck {
  const signature = single(input.signature);
  const timestamp = single(input.timestamp);
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing_header' };
  if (signature === null || timestamp === null) return { ok: false, reason: 'malformed' };
  const hex = SPEC_SIGNATURE.exec(signature.trim())?.[1];
  const stamp = timestamp.trim();
  if (!hex || !UNIX_SECONDS.test(stamp)) return { ok: false, reason: 'malformed' };

  const tolerance = input.toleranceSeconds ?? TIMESTAMP_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const sentAt = Number(stamp);
  if (sentAt < nowSeconds - tolerance) return { ok: false, reason: 'expired' };
  if (sentAt > nowSeconds + tolerance) return { ok: false, reason: 'future' };

  const body = toBuffer(input.rawBody);
  return matchAny(Buffer.from(hex, 'hex'), input.secrets, (secret) => timestampedDigest(secret, stamp, body));
}

export interface CallRailSignatureInput {
  /** The `Signature` header. */
  signature: HeaderValue;
  rawBody: Buffer | string;
  /** The company's signing keys from CallRail's webhook settings; more than one while a key is being replaced. */
  signingKeys: readonly string[];
}

/** CallRail's `Signature` header for a body: base64 of HMAC-SHA1 keyed with the company's signing key. */
export function signCallRail(signingKey: string, rawBody: Buffer | string): string {
  return callRailDigest(signingKey, toBuffer(rawBody)).toString('base64');
}

export function verifyCallRailSignature(input: CallRailSignatureInput): SignatureCheck {
  const signature = single(input.signature);
  if (signature === undefined) return { ok: false, reason: 'missing_header' };
  if (signature === null || !CALLRAIL_SIGNATURE.test(signature.trim())) return { ok: false, reason: 'malformed' };
  const body = toBuffer(input.rawBody);
  return matchAny(Buffer.from(signature.trim(), 'base64'), input.signingKeys, (key) => callRailDigest(key, body));
}

function timestampedDigest(secret: string, timestamp: string, body: Buffer): Buffer {
  // Hashing the bytes as received: decoding the body to a string first would change any byte that is not valid UTF-8.
  return hmacSha256(secret, `${timestamp}.`, body);
}

function callRailDigest(key: string, body: Buffer): Buffer {
  return hmacSha1(key, body);
}

/**
 * Compares against every secret, in constant time per comparison and without stopping at the
 * first match, so timing says nothing about which secret matched. Empty secrets are skipped:
 * an HMAC keyed with "" is one anyone can compute.
 */
function matchAny(presented: Buffer, secrets: readonly string[], digest: (secret: string) => Buffer): SignatureCheck {
  let matched = -1;
  secrets.forEach((secret, index) => {
    if (!secret) return;
    if (safeEqual(digest(secret), presented) && matched === -1) matched = index;
  });
  return matched === -1 ? { ok: false, reason: 'mismatch' } : { ok: true, secretIndex: matched };
}

/** undefined when absent, null when repeated (two signatures for one body is not a format we accept). */
function single(value: HeaderValue): string | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (value.length <= 1) return single(value[0]);
  return null;
}

function toBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
