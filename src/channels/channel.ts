import { matchIndex, type Bytes } from '../lib/crypto.js';

/**
 * The one interface every inbound vendor sits behind: say which route keys a request names, check
 * its signature on the raw bytes, then normalise its payload. Adapters are pure (no store, no
 * domain); the inbound domain finds the tenant, supplies its secrets and stores the result.
 */

export type HeaderValue = string | readonly string[] | undefined;
export type Headers = Record<string, HeaderValue>;

export type ChannelId = 'whatsapp' | 'messenger' | 'slack' | 'teams' | 'telegram' | 'generic' | 'callrail';

/** A request as it arrived: the exact bytes and the headers, nothing parsed or trusted yet. */
export interface RawRequest {
  rawBody: Buffer;
  headers: Headers;
}

/** One party a request is addressed to (a phone number, a Page, a workspace), with the `channel_routes` keys that may name its tenant, most specific first. */
export interface Recipient {
  id: string;
  /** How error messages name it ("phone_number_id 123"). */
  label: string;
  keys: string[];
}

/**
 * One inbound vendor. The domain calls, in this order: `recipients` (read leniently from the
 * decoded body, before anything is trusted) to find the tenant, `verify` on the raw bytes with
 * that tenant's `secretsOf`, and only once it passed, `normalise`.
 */
export interface Channel<Settings, Event, Check extends { ok: boolean } = SignatureCheck> {
  readonly id: ChannelId;
  /** The vendor's name in error messages. */
  readonly label: string;
  /** Who the request is for; empty when it names no key of ours (the secret alone decides). */
  recipients(request: RawRequest, body: unknown): Recipient[];
  /** The secrets of a tenant's settings that may have signed the request (several during a rotation). */
  secretsOf(settings: Settings): string[];
  verify(request: RawRequest, secrets: string[], nowMs: number): Check;
  /** The verified payload as neutral records. */
  normalise(body: unknown, receivedAt: Date): Event;
}

/** The normalised message, structurally the conversation core's `InboundMessage` (adapters may not import the domain). */
export interface ChannelMessage {
  channel: Exclude<ChannelId, 'callrail'>;
  externalMessageId: string;
  platformUserId: string;
  replyTo?: string;
  text: string;
  payload?: string;
  media?: {
    kind: 'image' | 'audio' | 'video' | 'file' | 'location';
    url?: string;
    mimeType?: string;
    sizeBytes?: number;
    caption?: string;
  }[];
  senderName?: string;
  phone?: string;
  email?: string;
  receivedAt: Date;
  context?: Record<string, unknown>;
}

export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      reason:
        'missing_signature' | 'malformed_signature' | 'signature_mismatch' | 'stale_timestamp' | 'no_secret_configured';
    };

/** A platform's delivery report for one of our outbound messages. */
export interface StatusUpdate {
  /** The platform's id of the message we sent. */
  externalMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  error?: string;
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return typeof v === 'string' ? v : v?.[0];
}

/** Whether any of `secrets` (empty ones skipped: an HMAC keyed with "" is one anyone can compute) gives the presented value. */
export function signedByAny(
  presented: Bytes,
  secrets: readonly string[],
  digest: (secret: string) => Bytes,
): SignatureCheck {
  const usable = secrets.filter((s) => s !== '');
  if (usable.length === 0) return { ok: false, reason: 'no_secret_configured' };
  return matchIndex(presented, usable.map(digest)) === -1 ? { ok: false, reason: 'signature_mismatch' } : { ok: true };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** Seconds (number or numeric string) since the epoch as a Date; `fallback` when absent. */
export function fromEpochSeconds(v: unknown, fallback: Date): Date {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : fallback;
}
