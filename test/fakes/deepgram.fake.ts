import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  replyScript,
  startFakeServer,
  type Answer,
  type FakeRequest,
  type Reply,
  type ScriptedFake,
} from './fake-server.js';

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

/** `url` is what the adapter takes as `baseUrl`. */
export type DeepgramFake = ScriptedFake<RecordedListen, DeepgramReply>;

/** A caller and an agent, as a two-speaker phone call comes back from Deepgram. */
export const TWO_SPEAKER_CALL: FakeUtterance[] = [
  {
    speaker: 0,
    start: 0.08,
    end: 2.96,
    transcript: 'Thanks for calling Acme Roofing, how can I help?',
    confidence: 0.97,
  },
  {
    speaker: 1,
    start: 3.2,
    end: 7.84,
    transcript: 'I need a new roof on my house and my budget is $15,000.',
    confidence: 0.93,
  },
];

const MODELS = new Set([
  'nova-3',
  'nova-2',
  'nova-2-general',
  'nova-2-phonecall',
  'nova-2-meeting',
  'nova',
  'enhanced',
  'base',
]);
const BOOLEAN_PARAMS = ['smart_format', 'diarize', 'punctuate', 'utterances'];

export async function startDeepgramFake(opts: { apiKey: string }): Promise<DeepgramFake> {
  const script = replyScript<DeepgramReply>();

  function listen(req: FakeRequest): Reply {
    const { query, raw: body } = req;
    if (query.model !== undefined && !MODELS.has(query.model))
      return deepgramError(400, 'Bad Request', 'Bad Request: No such model/version/tier combination found.');
    const badFlag = BOOLEAN_PARAMS.find(
      (name) => query[name] !== undefined && query[name] !== 'true' && query[name] !== 'false',
    );
    if (badFlag)
      return deepgramError(400, 'Bad Request', `Bad Request: invalid value for ${badFlag}: expected true or false.`);
    if (body.length === 0 || req.headers['content-type']?.startsWith('application/json')) {
      return deepgramError(400, 'Bad Request', 'Bad Request: failed to process audio: corrupt or unsupported data');
    }
    const reply = script.next();
    switch (reply.kind) {
      case 'hang':
        return { hang: true };
      case 'error':
        return deepgramError(reply.status, reply.errCode, reply.errMsg);
      case 'transcript':
        return { status: 200, body: listenResponse(reply.utterances, reply.duration, query, body) };
    }
  }

  const server = await startFakeServer<RecordedListen>({
    // The revision that takes raw audio, as Deepgram's guides send it (see test/vendor-specs/README.md).
    documents: ['deepgram-2025-09-15.json'],
    routes: [{ method: 'POST', path: '/v1/listen', handle: listen }],
    error: (status, message) => deepgramError(status, status === 404 ? 'NOT_FOUND' : 'Bad Request', message),
    headers: () => ({ 'content-type': 'application/json', 'dg-request-id': randomUUID() }),
    guard: (req) =>
      req.headers.authorization === `Token ${opts.apiKey}`
        ? undefined
        : deepgramError(401, 'INVALID_AUTH', 'Invalid credentials.'),
    record: (req) => ({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.raw }),
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    reply: script.set,
    close: server.close,
  };
}

function listenResponse(
  utterances: FakeUtterance[],
  duration: number | undefined,
  query: Record<string, string>,
  body: Buffer,
): unknown {
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
  const confidence =
    utterances.length === 0 ? 0 : utterances.reduce((sum, u) => sum + u.confidence, 0) / utterances.length;
  return {
    metadata: {
      transaction_key: 'deprecated',
      request_id: requestId,
      sha256: createHash('sha256').update(body).digest('hex'),
      created: new Date().toISOString(),
      duration: duration ?? utterances.at(-1)?.end ?? 0,
      channels: 1,
      models: [modelId],
      model_info: {
        [modelId]: {
          name: `2-general-${query.model ?? 'nova-2'}`,
          version: '2024-01-09.29447',
          arch: query.model ?? 'nova-2',
        },
      },
    },
    results: {
      channels: [
        {
          alternatives: [
            {
              transcript: utterances.map((u) => u.transcript).join(' '),
              confidence,
              words: utterances.flatMap(wordsOf),
            },
          ],
        },
      ],
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

function deepgramError(status: number, errCode: string, errMsg: string): Answer {
  return { status, body: { err_code: errCode, err_msg: errMsg, request_id: randomUUID() } };
}
