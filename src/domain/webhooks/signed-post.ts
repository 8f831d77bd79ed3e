import type { Clock } from '../../lib/clock.js';
import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../../providers/http/safe-fetch.js';
import type { WebhookTuning } from './delivery-policy.js';
import { signatureHeaders } from './signing.js';

const USER_AGENT = 'Frontdesk-Webhooks/1';

/** What one POST produced, for the attempt log. */
export interface Sent {
  requestedAt: string;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  retryAfter: string | undefined;
  error: string | null;
  refused: boolean;
}

export interface PostPorts {
  clock: Clock;
  http: SafeHttp;
  tuning: WebhookTuning;
}

/** One signed POST; never throws for what the receiver or the network did, only on shutdown. */
export async function signedPost(
  ports: PostPorts,
  target: { url: string; secret: string; eventId: string; body: string },
  signal?: AbortSignal,
): Promise<Sent> {
  const requested = ports.clock.now();
  const started = performance.now();
  const headers = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    ...signatureHeaders(target.secret, target.eventId, Math.floor(requested.getTime() / 1000), target.body),
  };
  const base = {
    requestedAt: requested.toISOString(),
    retryAfter: undefined,
    responseBody: null,
    statusCode: null,
    refused: false,
  };
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const response = await ports.http.request(target.url, {
      method: 'POST',
      headers,
      body: target.body,
      timeoutMs: ports.tuning.timeoutMs,
      maxResponseBytes: ports.tuning.maxResponseBytes,
      signal,
    });
    return {
      ...base,
      durationMs: elapsed(),
      statusCode: response.status,
      // PostgreSQL text cannot hold NUL; the excerpt is for people to read anyway.
      responseBody: response.body.toString('utf8').replaceAll('\u0000', ''),
      retryAfter: response.headers['retry-after'],
      error: null,
    };
  } catch (error) {
    if (error instanceof HttpRequestError && error.kind === 'aborted') throw error;
    // An unresolvable host may be a DNS hiccup; a private address is a decision, not a fault.
    const refused = error instanceof UrlRefusedError && error.reason !== 'unresolvable';
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, durationMs: elapsed(), refused, error: refused ? `refused: URL ${message}` : message };
  }
}
