import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
 */

export type CallRailFailure =
  | { kind: 'status'; status: 401 | 403 | 404 | 429 | 500 | 503; retryAfter?: string }
  | { kind: 'hang' };

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
  const requests: RecordedRequest[] = [];
  const calls = new Map<string, Record<string, unknown>>();
  const recordings = new Map<string, { audio: Buffer; opts: RecordingOptions }>();
  let failures: CallRailFailure[] = [];

  const server = createServer((req, res) => {
    handle(req, res);
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });

    const audio = /^\/audio\/([^/]+)\.mp3$/.exec(url.pathname);
    if (audio) return serveAudio(res, decodeURIComponent(audio[1]!));
    const redirect = /^\/calls\/([^/]+)\/recording\/redirect$/.exec(url.pathname);
    if (redirect) {
      res.writeHead(302, { location: `/audio/${redirect[1]!}.mp3` });
      res.end();
      return;
    }

    if (!url.pathname.startsWith('/v3/')) return sendJson(res, 404, { error: 'Not Found' });
    const failure = failures.shift();
    if (failure?.kind === 'hang') return;
    if (failure?.kind === 'status') return sendFailure(res, failure.status, failure.retryAfter);
    if (!authorized(req.headers.authorization)) return sendFailure(res, 401);
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'Method Not Allowed' });

    const recording = /^\/v3\/a\/([^/]+)\/calls\/([^/]+)\/recording\.json$/.exec(url.pathname);
    if (recording) {
      const callId = decodeURIComponent(recording[2]!);
      if (!calls.has(`${decodeURIComponent(recording[1]!)}/${callId}`) || !recordings.has(callId)) return sendJson(res, 404, { error: 'Not Found' });
      return sendJson(res, 200, { url: `http://127.0.0.1:${port()}/audio/${encodeURIComponent(callId)}.mp3?X-Amz-Signature=fake` });
    }
    const call = /^\/v3\/a\/([^/]+)\/calls\/([^/]+)\.json$/.exec(url.pathname);
    if (call) {
      const stored = calls.get(`${decodeURIComponent(call[1]!)}/${decodeURIComponent(call[2]!)}`);
      if (!stored) return sendJson(res, 404, { error: 'Not Found' });
      const wanted = new Set([...DEFAULT_FIELDS, ...(url.searchParams.get('fields') ?? '').split(',').filter(Boolean)]);
      return sendJson(res, 200, Object.fromEntries(Object.entries(stored).filter(([k]) => wanted.has(k))));
    }
    return sendJson(res, 404, { error: 'Not Found' });
  }

  /** Rails' token parser accepts the value quoted or bare. */
  function authorized(header: string | undefined): boolean {
    const match = /^Token token="?([^",]+)"?$/.exec(header ?? '');
    return match?.[1] === apiKey;
  }

  function serveAudio(res: ServerResponse, callId: string): void {
    const stored = recordings.get(callId);
    if (!stored) {
      // Signed storage URLs answer a missing object with S3's XML error.
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': stored.opts.contentType ?? 'audio/mpeg', 'content-length': String(stored.audio.length) });
    if (stored.opts.stall) {
      res.write(stored.audio.subarray(0, Math.min(16, stored.audio.length)));
      return;
    }
    res.end(stored.audio);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (): number => (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port()}`,
    apiKey,
    requests,
    addCall(accountId, stored) {
      calls.set(`${accountId}/${stored.id}`, stored);
    },
    setRecording(callId, audio, recordingOpts = {}) {
      recordings.set(callId, { audio, opts: recordingOpts });
    },
    failNext(...next) {
      failures = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function sendFailure(res: ServerResponse, status: number, retryAfter?: string): void {
  if (status === 401) {
    res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Token realm="Application"' });
    res.end('HTTP Token: Access denied.\n');
    return;
  }
  const messages: Record<number, string> = {
    403: 'You do not have permission to access this resource',
    404: 'Not Found',
    429: 'API rate limit exceeded',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  if (retryAfter) res.setHeader('retry-after', retryAfter);
  sendJson(res, status, { error: messages[status] ?? 'Error' });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
