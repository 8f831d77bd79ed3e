import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../http/safe-fetch.js';
import { parseJsonOrUndefined } from '../../lib/json.js';

/**
 * The outbound port of the messaging platforms: one sender per vendor, each speaking that
 * vendor's wire format. Base URLs are per tenant (proxies, test fakes); every call goes through
 * SafeHttp because a base URL is tenant input.
 */

export interface QuickReplyOption {
  title: string;
  payload: string;
}

export type MessagingErrorKind =
  'auth' | 'rate_limited' | 'rejected' | 'unavailable' | 'timeout' | 'refused' | 'outside_window';

export class MessagingError extends Error {
  constructor(
    readonly vendor: string,
    readonly kind: MessagingErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }

  /** Whether trying the same request again later can succeed. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

export interface SendResult {
  /** The platform's id for the message it accepted, when it returns one. */
  externalMessageId?: string;
}

export interface VendorCall {
  status: number;
  body: unknown;
  text: string;
}

const TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** One JSON POST to a vendor; network failures become MessagingError, any HTTP answer is returned. */
export async function postJson(
  http: SafeHttp,
  vendor: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<VendorCall> {
  try {
    const res = await http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      ...(signal ? { signal } : {}),
    });
    const text = res.body.toString('utf8');
    return { status: res.status, body: parseJsonOrUndefined(text), text };
  } catch (err) {
    if (err instanceof UrlRefusedError)
      throw new MessagingError(vendor, 'refused', `${vendor} URL refused: it ${err.message}`, undefined, {
        cause: err,
      });
    if (err instanceof HttpRequestError && err.kind === 'timeout')
      throw new MessagingError(vendor, 'timeout', `${vendor} did not answer within ${TIMEOUT_MS} ms`, undefined, {
        cause: err,
      });
    throw new MessagingError(
      vendor,
      'unavailable',
      `could not reach ${vendor}: ${err instanceof Error ? err.message : String(err)}`,
      undefined,
      { cause: err },
    );
  }
}

/** The error kind an HTTP status means, for vendors whose status codes carry it. */
export function kindForStatus(status: number): MessagingErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}

export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Cuts to `max` characters without splitting a surrogate pair (vendors refuse half an emoji). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}
