/**
 * The one interface every inbound messaging channel sits behind: check the platform's
 * signature on the raw bytes, then normalise its payload. Adapters are pure (no store, no
 * domain); the messaging domain finds the tenant, supplies its secrets and stores the result.
 */

export type HeaderValue = string | string[] | undefined;
export type Headers = Record<string, HeaderValue>;

/** The normalised message, structurally the conversation core's `InboundMessage` (adapters may not import the domain). */
export interface ChannelMessage {
  channel: 'whatsapp' | 'messenger' | 'slack' | 'teams' | 'telegram' | 'generic';
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
  return Array.isArray(v) ? v[0] : v;
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
