import { z } from 'zod';
import { HttpRequestError, UrlRefusedError } from '../http/safe-fetch.js';
import type { SafeHttp, SafeHttpResponse } from '../http/safe-fetch.js';
import { parseJsonOrUndefined } from '../../lib/json.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

/*
 * CallRail API v3 (https://apidocs.callrail.com): `Authorization: Token token="<key>"`, resources
 * under `/v3/a/{account_id}/…json`, errors as `{ "error": "…" }` (or, for a rejected token, a
 * plain-text body). Requests go through SafeHttp because the base URL is per-tenant
 * configuration and the recording URL comes out of call data.
 */

export interface CallRailApiOptions {
  /** A CallRail API v3 key; its user's access decides which accounts and companies answer. */
  apiKey: string;
  /** https://api.callrail.com unless a proxy or test fake stands in. */
  baseUrl?: string;
  /** The SSRF-guarded client (FRONTDESK_ALLOW_PRIVATE_URLS decides whether loopback is reachable). */
  http: SafeHttp;
  /** Per request. */
  timeoutMs?: number;
}

export type CallRailErrorKind =
  'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'timeout' | 'bad_request' | 'invalid_response' | 'refused';

const RETRYABLE: Record<CallRailErrorKind, boolean> = {
  auth: false,
  not_found: false,
  rate_limited: true,
  unavailable: true,
  timeout: true,
  bad_request: false,
  invalid_response: false,
  refused: false,
};

export class CallRailError extends Error {
  override readonly name = 'CallRailError';
  readonly retryable: boolean;

  constructor(
    readonly kind: CallRailErrorKind,
    /** CallRail's own message where it gave one, else what went wrong on the way. */
    message: string,
    readonly status?: number,
    /** From `Retry-After` on a 429, when CallRail sends one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = RETRYABLE[kind];
  }
}

/** The call as the pipeline uses it. CallRail sends "" for unknown text; that arrives here as null. */
export interface CallRailCall {
  /** The API's id (`CAL…`); the same call's legacy webhooks carry a numeric id instead. */
  id: string;
  companyId: string | null;
  direction: string | null;
  answered: boolean | null;
  /** ISO 8601 with the company's offset, as CallRail sends it. */
  startTime: string | null;
  durationSeconds: number | null;
  customerName: string | null;
  customerPhoneNumber: string | null;
  customerCity: string | null;
  customerState: string | null;
  customerCountry: string | null;
  trackingPhoneNumber: string | null;
  businessPhoneNumber: string | null;
  /** Marketing source, e.g. "Google Paid". */
  source: string | null;
  campaign: string | null;
  medium: string | null;
  /** Search keywords CallRail attributed to the call, split on commas. */
  keywords: string[];
  gclid: string | null;
  landingPageUrl: string | null;
  leadStatus: string | null;
  /** An API URL, not the audio: resolve it with `recordingUrl()`. */
  recording: string | null;
  /** CallRail's web player page for people. */
  recordingPlayer: string | null;
  recordingDurationSeconds: number | null;
  /** Present only on accounts with Conversation Intelligence. */
  transcription: string | null;
}

const CALLRAIL_BASE_URL = 'https://api.callrail.com';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Calls carry a transcription, so the body can be long; anything bigger than this is not a call. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/**
 * Attribution fields are not in CallRail's default call representation and must be asked for by
 * name; the rest of what `CallRailCall` carries is returned by default.
 */
export const CALL_FIELDS = [
  'company_id',
  'source',
  'campaign',
  'medium',
  'keywords',
  'gclid',
  'landing_page_url',
  'lead_status',
  'transcription',
] as const;

/** Null, a missing field and "" all mean "unknown" in CallRail's payloads. */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
/** v3 sends integers; the legacy webhook shape sends the same numbers as strings. */
const seconds = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  });

const callSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  company_id: text,
  direction: text,
  answered: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  start_time: text,
  duration: seconds,
  customer_name: text,
  customer_phone_number: text,
  customer_city: text,
  customer_state: text,
  customer_country: text,
  tracking_phone_number: text,
  business_phone_number: text,
  source: text,
  campaign: text,
  medium: text,
  keywords: z.union([z.string(), z.array(z.string())]).nullish(),
  gclid: text,
  landing_page_url: text,
  lead_status: text,
  recording: text,
  recording_player: text,
  recording_duration: seconds,
  transcription: text,
});

function toCall(raw: z.infer<typeof callSchema>): CallRailCall {
  const keywords = Array.isArray(raw.keywords) ? raw.keywords : (raw.keywords ?? '').split(',');
  return {
    id: raw.id,
    companyId: raw.company_id,
    direction: raw.direction,
    answered: raw.answered,
    startTime: raw.start_time,
    durationSeconds: raw.duration,
    customerName: raw.customer_name,
    customerPhoneNumber: raw.customer_phone_number,
    customerCity: raw.customer_city,
    customerState: raw.customer_state,
    customerCountry: raw.customer_country,
    trackingPhoneNumber: raw.tracking_phone_number,
    businessPhoneNumber: raw.business_phone_number,
    source: raw.source,
    campaign: raw.campaign,
    medium: raw.medium,
    keywords: keywords.map((k) => k.trim()).filter((k) => k.length > 0),
    gclid: raw.gclid,
    landingPageUrl: raw.landing_page_url,
    leadStatus: raw.lead_status,
    recording: raw.recording,
    recordingPlayer: raw.recording_player,
    recordingDurationSeconds: raw.recording_duration,
    transcription: raw.transcription,
  };
}

const recordingSchema = z.object({ url: z.string().min(1) });

export class CallRailClient {
  private readonly baseUrl: string;
  private readonly apiOrigin: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: CallRailApiOptions) {
    if (!opts.apiKey) throw new CallRailError('auth', 'a CallRail API key is required');
    this.baseUrl = withoutTrailingSlashes(opts.baseUrl ?? CALLRAIL_BASE_URL);
    const base = parseUrl(this.baseUrl);
    if (!base) throw new CallRailError('bad_request', `the CallRail base URL ${this.baseUrl} is not an http(s) URL`);
    this.apiOrigin = base.origin;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** One call with the attribution fields; rejects with `CallRailError`. */
  async getCall(accountId: string, callId: string): Promise<CallRailCall> {
    const url = `${this.baseUrl}/v3/a/${encodeURIComponent(accountId)}/calls/${encodeURIComponent(callId)}.json?fields=${CALL_FIELDS.join(',')}`;
    const res = await this.get(url);
    if (res.status !== 200) throw errorFor(res);
    const parsed = callSchema.safeParse(parseJsonOrUndefined(res.body.toString('utf8')));
    if (!parsed.success)
      throw new CallRailError(
        'invalid_response',
        `CallRail answered a call without the expected fields: ${parsed.error.issues[0]?.message ?? 'unknown'}`,
        res.status,
      );
    return toCall(parsed.data);
  }

  /**
   * The short-lived audio URL behind a call's `recording` field. That field is an API URL which
   * answers `{ "url": "…" }`, or, in its `redirect` form, a 3xx to the audio; both are handled.
   * The API key is sent only when the URL is on the configured API origin, so a recording URL
   * taken from a webhook body cannot collect the key.
   */
  async recordingUrl(recording: string): Promise<string> {
    const target = parseUrl(recording);
    if (!target) throw new CallRailError('bad_request', 'the recording is not a URL');
    const res = await this.get(target.href, target.origin === this.apiOrigin);
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.location;
      const next = location ? parseUrl(location, target) : undefined;
      if (!next)
        throw new CallRailError(
          'invalid_response',
          `CallRail redirected (HTTP ${res.status}) without a usable Location`,
          res.status,
        );
      return next.href;
    }
    if (res.status !== 200) throw errorFor(res);
    const parsed = recordingSchema.safeParse(parseJsonOrUndefined(res.body.toString('utf8')));
    const audio = parsed.success ? parseUrl(parsed.data.url) : undefined;
    if (!audio)
      throw new CallRailError('invalid_response', 'CallRail answered the recording request without a url', res.status);
    return audio.href;
  }

  private async get(url: string, withKey = true): Promise<SafeHttpResponse> {
    try {
      const res = await this.opts.http.request(url, {
        method: 'GET',
        headers: {
          accept: 'application/json',
          ...(withKey ? { authorization: `Token token="${this.opts.apiKey}"` } : {}),
        },
        timeoutMs: this.timeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      });
      if (res.truncated)
        throw new CallRailError(
          'invalid_response',
          `CallRail's answer exceeded ${MAX_RESPONSE_BYTES} bytes`,
          res.status,
        );
      if (res.incomplete)
        throw new CallRailError('unavailable', `CallRail's answer ended after ${res.body.length} bytes`, res.status);
      return res;
    } catch (err) {
      if (err instanceof CallRailError) throw err;
      if (err instanceof UrlRefusedError)
        throw new CallRailError('refused', `the CallRail URL ${err.message}`, undefined, undefined, { cause: err });
      if (err instanceof HttpRequestError && err.kind === 'timeout')
        throw new CallRailError(
          'timeout',
          `CallRail did not answer within ${this.timeoutMs} ms`,
          undefined,
          undefined,
          { cause: err },
        );
      throw new CallRailError(
        'unavailable',
        `could not reach CallRail: ${err instanceof Error ? err.message : String(err)}`,
        undefined,
        undefined,
        { cause: err },
      );
    }
  }
}

function errorFor(res: SafeHttpResponse): CallRailError {
  const message = vendorMessage(res);
  const { status } = res;
  if (status === 401 || status === 403) return new CallRailError('auth', message, status);
  if (status === 404) return new CallRailError('not_found', message, status);
  if (status === 429)
    return new CallRailError('rate_limited', message, status, retryAfterMs(res.headers['retry-after']));
  if (status === 408) return new CallRailError('timeout', message, status);
  if (status >= 500) return new CallRailError('unavailable', message, status);
  return new CallRailError('bad_request', message, status);
}

/** CallRail's `{ "error": "…" }` when it sent one; otherwise the start of whatever came back. */
function vendorMessage(res: SafeHttpResponse): string {
  const body = parseJsonOrUndefined(res.body.toString('utf8'));
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' && body.error)
    return body.error;
  const snippet = res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
  return `CallRail answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function parseUrl(value: string, base?: URL): URL | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
