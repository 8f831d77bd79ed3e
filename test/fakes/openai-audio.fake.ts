import type { IncomingHttpHeaders } from 'node:http';
import { replyScript, startFakeServer, type FakeRequest, type Reply, type ScriptedFake } from './fake-server.js';
import { openAiError } from './openai.fake.js';

/**
 * OpenAI's transcription endpoint on 127.0.0.1, in the real wire format:
 * `POST /v1/audio/transcriptions` as multipart/form-data with `file` and `model` (400 without
 * either), answering `verbose_json` (text, language, duration, segments with avg_logprob)
 * or `json` (text, token usage, logprobs when `include[]=logprobs`), and refusing
 * `verbose_json` for the gpt-4o transcribe models as OpenAI does. Errors are
 * `{ error: { message, type, param, code } }`. Each test scripts the replies.
 */

export interface FakeSegment {
  start: number;
  end: number;
  text: string;
  avgLogprob: number;
}

export type OpenAiAudioReply =
  | { kind: 'transcript'; text: string; segments?: FakeSegment[]; language?: string; duration?: number }
  | { kind: 'error'; status: number; message: string; type?: string; code?: string | null }
  | { kind: 'hang' };

export interface RecordedUpload {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Every text field of the form, e.g. `model`, `response_format`, `language`, `include[]`. */
  fields: Record<string, string>;
  file: { name: string; type: string; bytes: Buffer } | null;
}

export interface OpenAiAudioFake extends ScriptedFake<RecordedUpload, OpenAiAudioReply> {
  /** What an OpenAI client takes as `baseURL`. */
  baseUrl: string;
}

/** `apiKey`: when set, requests must carry `Authorization: Bearer <apiKey>`. */
export async function startOpenAiAudioFake(opts: { apiKey?: string } = {}): Promise<OpenAiAudioFake> {
  const script = replyScript<OpenAiAudioReply>();

  async function transcribe(req: FakeRequest): Promise<Reply> {
    const { fields, file } = await parseMultipart(req.raw, req.headers['content-type']);
    if (!file) return openAiError(400, "Could not parse multipart form: missing 'file'", 'invalid_request_error');
    const model = fields.model;
    if (!model) return openAiError(400, 'you must provide a model parameter', 'invalid_request_error');
    const format = fields.response_format ?? 'json';
    if (format !== 'json' && format !== 'verbose_json')
      return openAiError(400, `fake: response_format '${format}' is not scripted`, 'invalid_request_error');
    if (format === 'verbose_json' && model.startsWith('gpt-4o')) {
      return openAiError(
        400,
        `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
        'invalid_request_error',
        'unsupported_value',
      );
    }

    const reply = script.next();
    switch (reply.kind) {
      case 'hang':
        return { hang: true };
      case 'error':
        return openAiError(reply.status, reply.message, reply.type ?? 'server_error', reply.code ?? null);
      case 'transcript': {
        const segments = reply.segments ?? [];
        const duration = reply.duration ?? segments.at(-1)?.end ?? 0;
        if (format === 'json') {
          // gpt-4o transcribe models bill tokens: about ten audio tokens a second, one text token a word here.
          const words = reply.text.split(' ');
          const audioTokens = Math.ceil(duration * 10);
          return {
            status: 200,
            body: {
              text: reply.text,
              ...(fields['include[]'] === 'logprobs'
                ? { logprobs: words.map((token) => ({ token, logprob: -0.05, bytes: [...Buffer.from(token)] })) }
                : {}),
              usage: {
                type: 'tokens',
                input_tokens: audioTokens,
                input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
                output_tokens: words.length,
                total_tokens: audioTokens + words.length,
              },
            },
          };
        }
        return {
          status: 200,
          body: {
            task: 'transcribe',
            language: reply.language ?? 'english',
            duration,
            text: reply.text,
            segments: segments.map((s, id) => ({
              id,
              seek: 0,
              start: s.start,
              end: s.end,
              text: ` ${s.text}`,
              tokens: [50364, 286, 643, 257, 777, 50564],
              temperature: 0,
              avg_logprob: s.avgLogprob,
              compression_ratio: 1.1,
              no_speech_prob: 0.01,
            })),
            usage: { type: 'duration', seconds: Math.ceil(duration) },
          },
        };
      }
    }
  }

  const server = await startFakeServer<RecordedUpload>({
    documents: ['openai.json'],
    routes: [{ method: 'POST', path: '/v1/audio/transcriptions', handle: transcribe }],
    error: (status, message) => openAiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error'),
    headers: () => ({ 'content-type': 'application/json', 'x-request-id': `req_fake${Date.now()}` }),
    guard: (req) =>
      opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`
        ? openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')
        : undefined,
    record: async (req) => ({
      method: req.method,
      path: req.path,
      headers: req.headers,
      ...(await parseMultipart(req.raw, req.headers['content-type'])),
    }),
  });
  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    requests: server.requests,
    violations: server.violations,
    reply: script.set,
    close: server.close,
  };
}

/** Node's own multipart parser (undici's `Response.formData`), so the fake reads the body as a server would. */
async function parseMultipart(
  raw: Buffer,
  contentType: string | undefined,
): Promise<Pick<RecordedUpload, 'fields' | 'file'>> {
  const fields: Record<string, string> = {};
  let file: RecordedUpload['file'] = null;
  if (!contentType?.startsWith('multipart/form-data')) return { fields, file };
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file')
      file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, file };
}
