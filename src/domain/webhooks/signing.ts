import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

/**
 * Outbound webhook signatures, two schemes over the same bytes (docs/webhook-signing.md):
 *
 * - `X-Qualifier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`,
 *   key = the secret's UTF-8 bytes, whole, `whsec_` included (Stripe's layout).
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, key = the
 *   base64-decoded part after `whsec_` when that part is strict base64, else the secret's UTF-8 bytes.
 */

export const QUALIFIER_SIGNATURE_HEADER = 'x-qualifier-signature';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = 'whsec_';
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new endpoint secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key the Standard Webhooks scheme uses for a secret. */
export function standardKey(secret: string): Buffer {
  const rest = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : undefined;
  if (rest && STRICT_BASE64.test(rest)) return Buffer.from(rest, 'base64');
  return Buffer.from(secret, 'utf8');
}

function toBuffer(body: string | Buffer): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Hex HMAC of `<t>.<body>` keyed with the whole secret: the v1 value of X-Qualifier-Signature. */
export function qualifierSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.`).update(toBuffer(body)).digest('hex');
}

/** Base64 HMAC of `<id>.<timestamp>.<body>`: one signature of the Standard Webhooks header, without `v1,`. */
export function standardSignature(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', standardKey(secret))
    .update(`${id}.${timestamp}.`)
    .update(toBuffer(body))
    .digest('base64');
}

/** Every signature header for one attempt; `timestamp` is the attempt's time in unix seconds. */
export function signatureHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  return {
    [QUALIFIER_SIGNATURE_HEADER]: `t=${timestamp},v1=${qualifierSignature(secret, timestamp, body)}`,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${standardSignature(secret, id, timestamp, body)}`,
  };
}

export type SignatureScheme = 'qualifier' | 'standard';

export type VerifyFailure =
  /** The scheme's headers are absent. */
  | 'missing_header'
  /** A header is present but cannot be parsed (no timestamp, no v1 signature). */
  | 'malformed_header'
  /** Signed more than the tolerance ago: a replay, or a clock far behind. */
  | 'timestamp_too_old'
  /** Signed more than the tolerance ahead of now. */
  | 'timestamp_in_future'
  /** No presented signature matches any of the secrets (wrong secret, or a changed body). */
  | 'signature_mismatch'
  /** No secret to check against was given. */
  | 'no_secret';

export type VerifyResult =
  { ok: true; scheme: SignatureScheme; timestamp: number; id: string | null } | { ok: false; reason: VerifyFailure };

export interface VerifyInput {
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  /** Request headers; names in any case. */
  headers: Record<string, string | string[] | undefined>;
  /** Every secret currently valid (several while one is being rotated). */
  secrets: readonly string[];
  /** Which header to check; by default Standard Webhooks when `webhook-signature` is present, else X-Qualifier-Signature. */
  scheme?: SignatureScheme;
  now?: Date;
  toleranceSeconds?: number;
}

/** Checks a received webhook: header present and well formed, timestamp within the window, some signature matching some secret (in constant time). */
export function verifySignature(input: VerifyInput): VerifyResult {
  const header = (name: string): string | undefined => {
    const entry = Object.entries(input.headers).find(([k]) => k.toLowerCase() === name);
    const value = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
    return value?.trim() || undefined;
  };
  const scheme = input.scheme ?? (header('webhook-signature') ? 'standard' : 'qualifier');
  const parsed = scheme === 'standard' ? parseStandard(header) : parseQualifier(header(QUALIFIER_SIGNATURE_HEADER));
  if (!parsed.ok) return parsed;

  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (parsed.timestamp < now - tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (parsed.timestamp > now + tolerance) return { ok: false, reason: 'timestamp_in_future' };
  if (input.secrets.length === 0) return { ok: false, reason: 'no_secret' };

  let matched = false;
  for (const secret of input.secrets) {
    const expected =
      scheme === 'standard'
        ? standardSignature(secret, parsed.id ?? '', parsed.timestamp, input.body)
        : qualifierSignature(secret, parsed.timestamp, input.body);
    // Every pair is compared, so the time taken does not tell which secret or signature matched.
    for (const presented of parsed.signatures) matched = safeEqual(presented, expected) || matched;
  }
  return matched
    ? { ok: true, scheme, timestamp: parsed.timestamp, id: parsed.id }
    : { ok: false, reason: 'signature_mismatch' };
}

type Parsed =
  | { ok: true; timestamp: number; id: string | null; signatures: string[] }
  | { ok: false; reason: 'missing_header' | 'malformed_header' };

function parseTimestamp(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

function parseQualifier(value: string | undefined): Parsed {
  if (!value) return { ok: false, reason: 'missing_header' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, ...rest] = part.trim().split('=');
    const v = rest.join('=');
    if (key === 't') timestamp = parseTimestamp(v);
    else if (key === 'v1' && v) signatures.push(v.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  return { ok: true, timestamp, id: null, signatures };
}

function parseStandard(header: (name: string) => string | undefined): Parsed {
  const id = header('webhook-id');
  const ts = header('webhook-timestamp');
  const value = header('webhook-signature');
  if (!id || !ts || !value) return { ok: false, reason: 'missing_header' };
  const timestamp = parseTimestamp(ts);
  // Other versions (v1a, asymmetric) are skipped, as the standard asks.
  const signatures = value
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3))
    .filter(Boolean);
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  return { ok: true, timestamp, id, signatures };
}
