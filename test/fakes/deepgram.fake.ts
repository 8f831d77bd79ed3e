import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyBytes } from './request-body.js';

/**
 * Deepgram's pre-recorded API on 127.0.0.1, in the real wire format: `POST /v1/listen` with
 * `Authorization: Token <key>`, the raw audio as the body and the features as query
 * parameters. It answers `{ metadata, results: { channels, utterances } }`, with speaker
 * numbers only when `diarize=true` and utterances only when `utterances=true`, as Deepgram
 * does; errors are `{ err_code, err_msg, request_id }`. Each test scripts the replies.
 */

export interface FakeUtterance {
  speaker: number;
  start: number;
  end: number;
  transcript: string;
  confidence: number;
}

export type DeepgramReply =
  | { kind: 'transcript'; utterances: FakeUtterance[]; duration?: number }
  | { kind: 'error'; status: number; errCode: string; errMsg: string }
  | { kind: 'hang' };

export interface RecordedListen {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface DeepgramFake {
  /** `http://127.0.0.1:<port>`: what the adapter takes as `baseUrl`. */
  url: string;
  requests: RecordedListen[];
  /** Replies in order, one per request; the last one repeats. */
  reply(...replies: DeepgramReply[]): void;
  close(): Promise<void>;
}

/** A caller and an agent, as a two-speaker phone call comes back from Deepgram. */
export const TWO_SPEAKER_CALL: FakeUtterance[] = [
  { speaker: 0, start: 0.08, end: 2.96, transcript: 'Thanks for calling Acme Roofing, how can I help?', confidence: 0.97 },
  { speaker: 1, start: 3.2, end: 7.84, transcript: 'I need a new roof on my house and my budget is $15,000.', confidence: 0.93 },
];

const MODELS = new Set(['nova-3', 'nova-2', 'nova-2-general', 'nova-2-phonecall', 'nova-2-meeting', 'nova', 'enhanced', 'base']);
const BOOLEAN_PARAMS = ['smart_format', 'diarize', 'punctuate', 'utterances'];

export async function startDeepgramFake(opts: { apiKey: string }): Promise<DeepgramFake> {
  const requests: RecordedListen[] = [];
  let script: DeepgramReply[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const body = await readBodyBytes(req);
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, body });

    if (req.method !== 'POST' || url.pathname !== '/v1/listen') return sendError(res, 404, 'NOT_FOUND', 'Not Found');
    if (req.headers.authorization !== `Token ${opts.apiKey}`) return sendError(res, 401, 'INVALID_AUTH', 'Invalid credentials.');
    if (query.model !== undefined && !MODELS.has(query.model)) {
      return sendError(res, 400, 'Bad Request', 'Bad Request: No such model/version/tier combination found.');
    }
    const badFlag = BOOLEAN_PARAMS.find((name) => query[name] !== undefined && query[name] !== 'true' && query[name] !== 'false');
    if (badFlag) return sendError(res, 400, 'Bad Request', `Bad Request: invalid value for ${badFlag}: expected true or false.`);
    if (body.length === 0 || req.headers['content-type']?.startsWith('application/json')) {
      return sendError(res, 400, 'Bad Request', 'Bad Request: failed to process audio: corrupt or unsupported data');
    }

    const reply = script[Math.min(served++, script.length - 1)];
    if (!reply) return sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'fake: no reply scripted');
    switch (reply.kind) {
      case 'hang':
        return;
      case 'error':
        return sendError(res, reply.status, reply.errCode, reply.errMsg);
      case 'transcript':
        return send(res, 200, listenResponse(reply.utterances, reply.duration, query, body));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply(...replies) {
      script = replies;
      served = 0;
    },
    close() {
      // Hanging requests hold their sockets open; drop them so close() returns.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listenResponse(utterances: FakeUtterance[], duration: number | undefined, query: Record<string, string>, body: Buffer): unknown {
  const diarize = query.diarize === 'true';
  const wordsOf = (u: FakeUtterance): Record<string, unknown>[] => {
    // Deepgram times every word; spread them evenly over the utterance.
    const tokens = u.transcript.split(' ');
    const step = (u.end - u.start) / tokens.length;
    return tokens.map((token, i) => ({
      word: token.toLowerCase().replace(/[^a-z0-9$']/g, ''),
      start: u.start + i * step,
      end: u.start + (i + 1) * step,
      confidence: u.confidence,
      ...(diarize ? { speaker: u.speaker, speaker_confidence: 0.8 } : {}),
      punctuated_word: token,
    }));
  };
  const requestId = randomUUID();
  const modelId = randomUUID();
  const confidence = utterances.length === 0 ? 0 : utterances.reduce((sum, u) => sum + u.confidence, 0) / utterances.length;
  return {
    metadata: {
      transaction_key: 'deprecated',
      request_id: requestId,
      sha256: createHash('sha256').update(body).digest('hex'),
      created: new Date().toISOString(),
      duration: duration ?? utterances.at(-1)?.end ?? 0,
      channels: 1,
      models: [modelId],
      model_info: { [modelId]: { name: `2-general-${query.model ?? 'nova-2'}`, version: '2024-01-09.29447', arch: query.model ?? 'nova-2' } },
    },
    results: {
      channels: [{ alternatives: [{ transcript: utterances.map((u) => u.transcript).join(' '), confidence, words: utterances.flatMap(wordsOf) }] }],
      ...(query.utterances === 'true'
        ? {
            utterances: utterances.map((u) => ({
              start: u.start,
              end: u.end,
              confidence: u.confidence,
              channel: 0,
              transcript: u.transcript,
              words: wordsOf(u),
              ...(diarize ? { speaker: u.speaker } : {}),
              id: randomUUID(),
            })),
          }
        : {}),
    },
  };
}

function sendError(res: ServerResponse, status: number, errCode: string, errMsg: string): void {
  send(res, status, { err_code: errCode, err_msg: errMsg, request_id: randomUUID() });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'dg-request-id': randomUUID() });
  res.end(JSON.stringify(body));
}
