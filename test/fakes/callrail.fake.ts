import type { IncomingHttpHeaders } from 'node:http';
import { startFakeServer, type Answer, type FakeRequest, type Reply } from './fake-server.js';

/**
 * CallRail API v3 on 127.0.0.1, in its wire format:
 * - `GET /v3/a/{account}/calls/{call}.json?fields=…` with `Authorization: Token token="<key>"`
 *   answers the call with CallRail's default fields plus those named in `fields`, as the real
 *   API does (attribution fields such as gclid are absent unless asked for);
 * - `GET /v3/a/{account}/calls/{call}/recording.json` answers `{ "url": "<signed audio URL>" }`;
 * - `GET /calls/{call}/recording/redirect?access_key=…` (the app.callrail.com form found in
 *   webhooks) answers 302 to the audio;
 * - `GET /audio/{call}.mp3` serves the recording bytes.
 * A rejected token gets Rails' plain-text `HTTP Token: Access denied.`; other errors are
 * CallRail's `{ "error": "…" }`. Scripted failures apply to the API routes in order.
 * CallRail publishes no OpenAPI document, so nothing is checked against one.
 */

export type CallRailFailure =
  { kind: 'status'; status: 401 | 403 | 404 | 429 | 500 | 503; retryAfter?: string } | { kind: 'hang' };

export interface RecordingOptions {
  contentType?: string;
  /** Sends headers and the first bytes, then stops (a stalled download). */
  stall?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface CallRailFake {
  /** `http://127.0.0.1:<port>`, the client's `baseUrl`. */
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Stores a call as the API would return it with every field selected. */
  addCall(accountId: string, call: Record<string, unknown> & { id: string }): void;
  setRecording(callId: string, audio: Buffer, opts?: RecordingOptions): void;
  /** Failures for the next API requests, one each, before normal answers resume. */
  failNext(...failures: CallRailFailure[]): void;
  close(): Promise<void>;
}

/** What `GET …/calls/{id}.json` returns without `fields`, per CallRail's docs. */
const DEFAULT_FIELDS = [
  'answered',
  'business_phone_number',
  'customer_city',
  'customer_country',
  'customer_name',
  'customer_phone_number',
  'customer_state',
  'direction',
  'duration',
  'id',
  'recording',
  'recording_duration',
  'recording_player',
  'start_time',
  'tracking_phone_number',
  'voicemail',
  'agent_email',
];

export async function startCallRailFake(opts: { apiKey?: string } = {}): Promise<CallRailFake> {
  const apiKey = opts.apiKey ?? 'cr_test_key';
  const calls = new Map<string, Record<string, unknown>>();
  const recordings = new Map<string, { audio: Buffer; opts: RecordingOptions }>();

  function recordingUrl(_req: FakeRequest, [accountId, callId = '']: string[]): Answer {
    if (!calls.has(`${accountId}/${callId}`) || !recordings.has(callId)) return notFound();
    return { status: 200, body: { url: `${server.url}/audio/${encodeURIComponent(callId)}.mp3?X-Amz-Signature=fake` } };
  }

  function call(req: FakeRequest, [accountId, callId]: string[]): Answer {
    const stored = calls.get(`${accountId}/${callId}`);
    if (!stored) return notFound();
    const wanted = new Set([...DEFAULT_FIELDS, ...(req.query.fields ?? '').split(',').filter(Boolean)]);
    return { status: 200, body: Object.fromEntries(Object.entries(stored).filter(([k]) => wanted.has(k))) };
  }

  function audio(_req: FakeRequest, [callId = '']: string[]): Answer {
    const stored = recordings.get(callId);
    // Signed storage URLs answer a missing object with S3's XML error.
    if (!stored)
      return {
        status: 404,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      };
    return {
      status: 200,
      headers: {
        'content-type': stored.opts.contentType ?? 'audio/mpeg',
        'content-length': String(stored.audio.length),
      },
      body: stored.audio,
      ...(stored.opts.stall ? { stallAfterBytes: 16 } : {}),
    };
  }

  const server = await startFakeServer<RecordedRequest>({
    routes: [
      { method: 'GET', path: /^\/v3\/a\/([^/]+)\/calls\/([^/]+)\/recording\.json$/, handle: recordingUrl },
      { method: 'GET', path: /^\/v3\/a\/([^/]+)\/calls\/([^/]+)\.json$/, handle: call },
      { method: 'GET', path: /^\/audio\/([^/]+)\.mp3$/, handle: audio },
      {
        method: 'GET',
        path: /^\/calls\/([^/]+)\/recording\/redirect$/,
        handle: (_req, [callId = '']) => ({
          status: 302,
          headers: { location: `/audio/${encodeURIComponent(callId)}.mp3` },
        }),
      },
    ],
    error: (status, message) => ({ status, body: { error: status === 404 ? 'Not Found' : message } }),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
    // Only the API wants the token; recordings are served by signed URL.
    guard: (req) => (!req.path.startsWith('/v3/') || authorized(req.headers.authorization) ? undefined : failure(401)),
    record: (req) => ({ method: req.method, path: req.path, query: req.query, headers: req.headers }),
  });

  /** Rails' token parser accepts the value quoted or bare. */
  function authorized(header: string | undefined): boolean {
    const match = /^Token token="?([^",]+)"?$/.exec(header ?? '');
    return match?.[1] === apiKey;
  }

  return {
    url: server.url,
    apiKey,
    requests: server.requests,
    addCall(accountId, stored) {
      calls.set(`${accountId}/${stored.id}`, stored);
    },
    setRecording(callId, audioBytes, recordingOpts = {}) {
      recordings.set(callId, { audio: audioBytes, opts: recordingOpts });
    },
    failNext(...next) {
      for (const f of next)
        server.replyNext(f.kind === 'hang' ? { hang: true } : failure(f.status, f.retryAfter), { path: '/v3/' });
    },
    close: server.close,
  };
}

function notFound(): Answer {
  return { status: 404, body: { error: 'Not Found' } };
}

function failure(status: number, retryAfter?: string): Reply {
  if (status === 401)
    return {
      status: 401,
      headers: { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Token realm="Application"' },
      body: 'HTTP Token: Access denied.\n',
    };
  const messages: Record<number, string> = {
    403: 'You do not have permission to access this resource',
    404: 'Not Found',
    429: 'API rate limit exceeded',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return {
    status,
    headers: retryAfter ? { 'retry-after': retryAfter } : {},
    body: { error: messages[status] ?? 'Error' },
  };
}
