import { HttpRequestError, UrlRefusedError } from '../http/safe-fetch.js';
import type { SafeHttp, SafeHttpResponse } from '../http/safe-fetch.js';

/**
 * Fetches a call recording into memory with a size cap and one deadline for the whole download.
 * Every hop, redirects included, goes through SafeHttp, so each new host is checked for SSRF
 * before anything is sent to it; the cap is enforced while reading, so an oversized file costs
 * at most `maxBytes` of memory before the connection is dropped.
 */

export interface DownloadOptions {
  /** Larger bodies fail with `too_large`. */
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
  /** Every hop goes through it. */
  http: SafeHttp;
  /** Sent to the first URL's origin only (credentials must not follow a redirect to a storage host). */
  headers?: Record<string, string>;
  /** CallRail's recording links redirect once to signed storage; a few more hops allow for a CDN. */
  maxRedirects?: number;
}

export interface DownloadedRecording {
  body: Buffer;
  /** As the server declared it, `application/octet-stream` when it did not. */
  contentType: string;
  bytes: number;
}

export type DownloadErrorKind =
  'too_large' | 'timeout' | 'http' | 'refused' | 'network' | 'too_many_redirects' | 'empty';

export class RecordingDownloadError extends Error {
  override readonly name = 'RecordingDownloadError';

  constructor(
    readonly kind: DownloadErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One hop of the download; transport failures become download errors. */
async function requestHop(url: string, opts: DownloadOptions, remaining: number, withHeaders: boolean) {
  try {
    return await opts.http.request(url, {
      method: 'GET',
      headers: { accept: 'audio/*, */*;q=0.5', ...(withHeaders ? opts.headers : {}) },
      timeoutMs: remaining,
      maxResponseBytes: opts.maxBytes,
    });
  } catch (err) {
    if (err instanceof UrlRefusedError)
      throw new RecordingDownloadError(
        'refused',
        `recording URL refused (${err.reason}): it ${err.message}`,
        false,
        undefined,
        { cause: err },
      );
    if (err instanceof HttpRequestError && err.kind === 'timeout') throw timeout(opts.timeoutMs, err);
    throw new RecordingDownloadError(
      'network',
      `recording download failed: ${err instanceof Error ? err.message : String(err)}`,
      true,
      undefined,
      { cause: err },
    );
  }
}

/** The recording a final (non-redirect) answer carries, or the reason it carries none. */
function recordingOf(res: SafeHttpResponse, maxBytes: number): DownloadedRecording {
  if (res.status < 200 || res.status >= 300) {
    // 408, 429 and 5xx can pass; anything else (403 expired link, 404, 410) will answer the same again.
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    throw new RecordingDownloadError('http', `recording server answered HTTP ${res.status}`, retryable, res.status);
  }
  if (res.truncated)
    throw new RecordingDownloadError(
      'too_large',
      `recording is larger than the ${maxBytes}-byte limit`,
      false,
      res.status,
    );
  if (res.incomplete) {
    const declared = res.headers['content-length'];
    throw new RecordingDownloadError(
      'network',
      `recording download ended after ${res.body.length}${declared ? ` of ${declared}` : ''} bytes`,
      true,
      res.status,
    );
  }
  if (res.body.length === 0)
    throw new RecordingDownloadError('empty', 'recording server sent an empty body', false, res.status);
  const declared = res.headers['content-type'];
  return {
    body: res.body,
    contentType: declared?.split(';')[0]?.trim() || 'application/octet-stream',
    bytes: res.body.length,
  };
}

export async function downloadRecording(url: string, opts: DownloadOptions): Promise<DownloadedRecording> {
  const deadline = Date.now() + opts.timeoutMs;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const firstOrigin = originOf(url);
  let current = url;

  for (let hop = 0; hop <= maxRedirects; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeout(opts.timeoutMs);
    const res = await requestHop(current, opts, remaining, originOf(current) === firstOrigin);
    if (!REDIRECTS.has(res.status)) return recordingOf(res, opts.maxBytes);
    const location = res.headers.location;
    const next = location ? resolveUrl(location, current) : undefined;
    if (!next)
      throw new RecordingDownloadError(
        'http',
        `recording server redirected (HTTP ${res.status}) without a usable Location`,
        false,
        res.status,
      );
    current = next;
  }
  throw new RecordingDownloadError(
    'too_many_redirects',
    `recording URL redirected more than ${maxRedirects} times`,
    false,
  );
}

function timeout(timeoutMs: number, cause?: unknown): RecordingDownloadError {
  return new RecordingDownloadError(
    'timeout',
    `recording download did not finish within ${timeoutMs} ms`,
    true,
    undefined,
    { cause },
  );
}

function resolveUrl(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/** Unparseable URLs have no origin; SafeHttp refuses them on the request itself. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
