import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyBytes } from './request-body.js';

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

export interface OpenAiAudioFake {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What an OpenAI client takes as `baseURL`. */
  baseUrl: string;
  requests: RecordedUpload[];
  /** Replies in order, one per request; the last one repeats. */
  reply(...replies: OpenAiAudioReply[]): void;
  close(): Promise<void>;
}

/** `apiKey`: when set, requests must carry `Authorization: Bearer <apiKey>`. */
export async function startOpenAiAudioFake(opts: { apiKey?: string } = {}): Promise<OpenAiAudioFake> {
  const requests: RecordedUpload[] = [];
  let script: OpenAiAudioReply[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBodyBytes(req);
    const { fields, file } = await parseMultipart(raw, req.headers['content-type']);
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, fields, file });

    if (req.method !== 'POST' || url.pathname !== '/v1/audio/transcriptions') {
      return sendError(res, 404, `Invalid URL (${req.method ?? ''} ${url.pathname})`, 'invalid_request_error', null);
    }
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    if (!file) return sendError(res, 400, "Could not parse multipart form: missing 'file'", 'invalid_request_error', null);
    const model = fields.model;
    if (!model) return sendError(res, 400, 'you must provide a model parameter', 'invalid_request_error', null);
    const format = fields.response_format ?? 'json';
    if (format !== 'json' && format !== 'verbose_json') return sendError(res, 400, `fake: response_format '${format}' is not scripted`, 'invalid_request_error', null);
    if (format === 'verbose_json' && model.startsWith('gpt-4o')) {
      return sendError(res, 400, `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`, 'invalid_request_error', 'unsupported_value');
    }

    const reply = script[Math.min(served++, script.length - 1)];
    if (!reply) return sendError(res, 500, 'fake: no reply scripted', 'server_error', null);
    switch (reply.kind) {
      case 'hang':
        return;
      case 'error':
        return sendError(res, reply.status, reply.message, reply.type ?? 'server_error', reply.code ?? null);
      case 'transcript': {
        const segments = reply.segments ?? [];
        const duration = reply.duration ?? segments.at(-1)?.end ?? 0;
        if (format === 'json') {
          // gpt-4o transcribe models bill tokens: about ten audio tokens a second, one text token a word here.
          const words = reply.text.split(' ');
          const audioTokens = Math.ceil(duration * 10);
          return send(res, 200, {
            text: reply.text,
            ...(fields['include[]'] === 'logprobs' ? { logprobs: words.map((token) => ({ token, logprob: -0.05, bytes: [...Buffer.from(token)] })) } : {}),
            usage: { type: 'tokens', input_tokens: audioTokens, input_token_details: { text_tokens: 0, audio_tokens: audioTokens }, output_tokens: words.length, total_tokens: audioTokens + words.length },
          });
        }
        return send(res, 200, {
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
        });
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
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

/** Node's own multipart parser (undici's `Response.formData`), so the fake reads the body as a server would. */
async function parseMultipart(raw: Buffer, contentType: string | undefined): Promise<Pick<RecordedUpload, 'fields' | 'file'>> {
  const fields: Record<string, string> = {};
  let file: RecordedUpload['file'] = null;
  if (!contentType?.startsWith('multipart/form-data')) return { fields, file };
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, file };
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  send(res, status, { error: { message, type, param: null, code } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake${Date.now()}` });
  res.end(JSON.stringify(body));
}
