import {
  recordJson,
  replyScript,
  startFakeServer,
  type FakeRequest,
  type JsonRequest,
  type Reply,
} from './fake-server.js';
import { openAiError } from './openai.fake.js';
import { makeToneWav } from '../helpers/audio.js';

/**
 * OpenAI's speech endpoint on 127.0.0.1, in the real wire format: `POST /v1/audio/speech` with a
 * JSON body of `model`, `input` and `voice` (400 without any of them, or with an `input` over
 * 4096 characters), answering the audio bytes in `response_format` (`wav` here; others are not
 * scripted). Errors are `{ error: { message, type, param, code } }`. The committed OpenAI document
 * keeps only the chat and transcription operations, so this route is checked here by hand.
 */

export type OpenAiSpeechReply = { kind: 'audio'; seconds: number } | { kind: 'error'; status: number; message: string };

export interface OpenAiSpeechFake {
  /** What an OpenAI client takes as `baseURL`. */
  baseUrl: string;
  requests: JsonRequest[];
  violations: string[];
  reply: (...replies: OpenAiSpeechReply[]) => void;
  close: () => Promise<void>;
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

/** `apiKey`: when set, requests must carry `Authorization: Bearer <apiKey>`. */
export async function startOpenAiSpeechFake(opts: { apiKey?: string } = {}): Promise<OpenAiSpeechFake> {
  const script = replyScript<OpenAiSpeechReply>();
  script.set({ kind: 'audio', seconds: 1 });

  function speak(req: FakeRequest): Reply {
    for (const name of ['model', 'input', 'voice'])
      if (typeof field(req.json, name) !== 'string')
        return openAiError(400, `'${name}' is a required property`, 'invalid_request_error');
    if ((field(req.json, 'input') as string).length > 4096)
      return openAiError(400, "'input' is too long: at most 4096 characters", 'invalid_request_error');
    const format = field(req.json, 'response_format') ?? 'mp3';
    if (format !== 'wav')
      return openAiError(
        400,
        `fake: response_format '${JSON.stringify(format)}' is not scripted`,
        'invalid_request_error',
      );
    const reply = script.next();
    if (reply.kind === 'error') return openAiError(reply.status, reply.message, 'server_error');
    return { status: 200, body: makeToneWav(reply.seconds, 24_000), headers: { 'content-type': 'audio/wav' } };
  }

  const server = await startFakeServer<JsonRequest>({
    routes: [{ method: 'POST', path: '/v1/audio/speech', undocumented: true, handle: speak }],
    error: (status, message) => openAiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error'),
    headers: () => ({ 'content-type': 'application/json', 'x-request-id': `req_fake${Date.now()}` }),
    guard: (req) =>
      opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`
        ? openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')
        : undefined,
    record: recordJson,
  });
  return {
    baseUrl: `${server.url}/v1`,
    requests: server.requests,
    violations: server.violations,
    reply: script.set,
    close: server.close,
  };
}
