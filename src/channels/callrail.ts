import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { hmacSha1, hmacSha256, matchIndex } from '../lib/crypto.js';
import { rec, str, type Channel, type HeaderValue, type RawRequest } from './channel.js';

/**
 * CallRail's post-call webhooks, in two formats on one path: spec A's (`x-callrail-signature`,
 * the tenant named in the body) and CallRail's own (`Signature`, the tenant found by its CallRail
 * company in `channel_routes`). The header decides the format before anything is parsed.
 *
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

export type CallRailSignatureCheck =
  /** `secretIndex` says which of the given secrets matched, so callers can see when an old one is still in use. */
  { ok: true; secretIndex: number } | { ok: false; reason: SignatureFailure };

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

export function verifyTimestampedSignature(input: TimestampedSignatureInput): CallRailSignatureCheck {
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

export function verifyCallRailSignature(input: CallRailSignatureInput): CallRailSignatureCheck {
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
function matchAny(
  presented: Buffer,
  secrets: readonly string[],
  digest: (secret: string) => Buffer,
): CallRailSignatureCheck {
  // An empty secret's stand-in never equals a digest (20 or 32 bytes), so the indexes stay the caller's.
  const matched = matchIndex(
    presented,
    secrets.map((secret) => (secret ? digest(secret) : '')),
  );
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

/** Spec A's format (`x-callrail-signature`, tenant in the body) or CallRail's own (`Signature`, tenant by company). */
export type CallRailFormat = 'spec' | 'native';

/** The header decides, before anything is parsed: CallRail's own deliveries carry `Signature` and no `x-callrail-signature`. */
export function callrailFormat(request: RawRequest): CallRailFormat {
  return request.headers.signature !== undefined && request.headers['x-callrail-signature'] === undefined
    ? 'native'
    : 'spec';
}

/** A tenant's CallRail settings, secrets opened. */
export interface CallRailSettings {
  signatureScheme: 'spec_hmac_sha256' | 'callrail_signature' | 'both';
  /** The tenant's webhook secrets (spec A's scheme), current first. */
  webhookSecrets: string[];
  /** The company's signing key (CallRail's scheme). */
  signingSecret?: string | undefined;
}

const callrailVerify = (format: CallRailFormat, request: RawRequest, secrets: string[], nowMs: number) =>
  format === 'native'
    ? verifyCallRailSignature({ signature: request.headers.signature, rawBody: request.rawBody, signingKeys: secrets })
    : verifyTimestampedSignature({
        signature: request.headers['x-callrail-signature'],
        timestamp: request.headers['x-timestamp'],
        rawBody: request.rawBody,
        secrets,
        now: new Date(nowMs),
      });

/** CallRail's own format: the company (by resource id, then numeric id) names the tenant. */
export const callrailChannel = {
  id: 'callrail',
  label: 'CallRail',
  recipients: (_request, body) => {
    const keys = callrailCompanyIds(body);
    return keys.length > 0 ? [{ id: keys[0]!, label: `CallRail company ${keys.join(' / ')}`, keys }] : [];
  },
  secretsOf: (s) => (s.signingSecret ? [s.signingSecret] : []),
  verify: (request, secrets, nowMs) => callrailVerify('native', request, secrets, nowMs),
  normalise: (body) => nativeCall(body as CallRailNativeBody),
} satisfies Channel<CallRailSettings, CallRailCall | undefined, CallRailSignatureCheck>;

/** Spec A's format: the body names the tenant; the tenant's webhook secrets sign it. */
export const callrailSpecChannel = {
  id: 'callrail',
  label: 'CallRail',
  recipients: (_request, body) => {
    const tenantId = str(rec(body).tenant_id);
    return tenantId ? [{ id: tenantId, label: `tenant ${tenantId}`, keys: [tenantId] }] : [];
  },
  secretsOf: (s) => s.webhookSecrets,
  verify: (request, secrets, nowMs) => callrailVerify('spec', request, secrets, nowMs),
  normalise: (body: unknown) => specCall(body as CallRailSpecBody),
} satisfies Channel<CallRailSettings, CallRailCall | undefined, CallRailSignatureCheck>;

export function callrailCompanyIds(body: unknown): string[] {
  const b = rec(body);
  return [callrailText(b.company_resource_id), callrailText(b.company_id)].filter((v): v is string => v !== null);
}

/** The call as the intake stores it (`call_data`). */
export interface CallRailCall {
  call_id: string;
  caller_phone: string | null;
  caller_name: string | null;
  duration: number | null;
  answered: boolean | null;
  start_time: string | null;
  end_time?: string | null;
  recording_url: string | null;
  recording_duration?: number | null;
  tracking_phone_number: string | null;
  business_phone_number: string | null;
  tags: string[];
  lead_status: string | null;
  company_id: string | null;
}

/** The fields of spec A's body the call is made of (validated by the caller's schema). */
export interface CallRailSpecBody {
  call_id: string;
  caller_id?: string | undefined;
  caller_name?: string | undefined;
  duration?: number | string | undefined;
  answered?: boolean | undefined;
  start_time?: string | undefined;
  end_time?: string | undefined;
  recording_url?: string | undefined;
  recording_duration?: number | string | undefined;
  tracking_phone_number?: string | undefined;
  business_phone_number?: string | undefined;
  tags?: string[] | undefined;
  lead_status?: string | undefined;
  company_id?: string | number | undefined;
}

/** The fields of CallRail's own body the call is made of (validated by the caller's schema). */
export interface CallRailNativeBody {
  resource_id?: string | undefined;
  id?: string | number | undefined;
  company_resource_id?: string | undefined;
  company_id?: string | number | undefined;
  customer_phone_number?: string | null | undefined;
  customer_name?: string | null | undefined;
  duration?: number | string | null | undefined;
  answered?: boolean | null | undefined;
  start_time?: string | null | undefined;
  recording?: string | null | undefined;
  tracking_phone_number?: string | null | undefined;
  business_phone_number?: string | null | undefined;
  tags?: (string | { name: string })[] | null | undefined;
  lead_status?: string | null | undefined;
}

export function specCall(body: CallRailSpecBody): CallRailCall {
  return {
    call_id: body.call_id,
    caller_phone: e164(body.caller_id),
    caller_name: body.caller_name ?? null,
    duration: num(body.duration),
    answered: body.answered ?? null,
    start_time: body.start_time ?? null,
    end_time: body.end_time ?? null,
    recording_url: body.recording_url ?? null,
    recording_duration: num(body.recording_duration),
    tracking_phone_number: e164(body.tracking_phone_number),
    business_phone_number: e164(body.business_phone_number),
    tags: body.tags ?? [],
    lead_status: body.lead_status ?? null,
    company_id: callrailText(body.company_id),
  };
}

/** CallRail's call resource; undefined when it names no call (neither `resource_id` nor `id`). */
export function nativeCall(body: CallRailNativeBody): CallRailCall | undefined {
  const callId = callrailText(body.resource_id) ?? callrailText(body.id);
  if (!callId) return undefined;
  return {
    call_id: callId,
    caller_phone: e164(body.customer_phone_number),
    caller_name: body.customer_name ?? null,
    duration: num(body.duration),
    answered: body.answered ?? null,
    start_time: body.start_time ?? null,
    recording_url: body.recording ?? null,
    tracking_phone_number: e164(body.tracking_phone_number),
    business_phone_number: e164(body.business_phone_number),
    tags: (body.tags ?? []).map((t) => (typeof t === 'string' ? t : t.name)),
    lead_status: body.lead_status ?? null,
    company_id: callrailCompanyIds(body)[0] ?? null,
  };
}

/** A trimmed non-empty string or a number as text; null otherwise. */
export function callrailText(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
}

const num = (v: unknown): number | null =>
  v === undefined || v === null || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null;

const MAX_CACHED_NUMBERS = 10_000;
/** Parsed numbers, remembered: a tenant's tracking and business numbers repeat on every call, and parsing is costly. */
const numbers = new Map<string, string>();
/** Already E.164 (what CallRail sends): kept as is, without parsing. */
const E164 = /^\+[1-9]\d{7,14}$/;

function e164(v: string | null | undefined): string | null {
  if (!v) return null;
  if (E164.test(v)) return v;
  let parsed = numbers.get(v);
  if (parsed === undefined) {
    parsed = parsePhoneNumberFromString(v, 'US')?.number ?? v;
    if (numbers.size >= MAX_CACHED_NUMBERS) numbers.clear();
    numbers.set(v, parsed);
  }
  return parsed;
}
