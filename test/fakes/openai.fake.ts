import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/**
 * OpenAI Chat Completions on 127.0.0.1, in the real wire format: `POST /v1/chat/completions`
 * (and Azure's `/openai/deployments/{deployment}/chat/completions?api-version=…`), answers
 * with `choices[0].message.content` and `usage.prompt_tokens/completion_tokens`, errors with
 * `{ error: { message, type, param, code } }`. Each test scripts the replies.
 */

export type OpenAiFakeReply =
  | { kind: 'valid'; output: unknown; usage?: { input: number; output: number }; model?: string }
  | { kind: 'malformed' }
  | { kind: 'schema_violation' }
  | { kind: 'truncated' }
  | { kind: 'rate_limited' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface OpenAiFake {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What an OpenAI client takes as `baseURL`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies in order, one per request; the last one repeats. */
  reply(...replies: OpenAiFakeReply[]): void;
  close(): Promise<void>;
}

export async function startOpenAiFake(opts: { apiKey?: string } = {}): Promise<OpenAiFake> {
  const requests: RecordedRequest[] = [];
  let script: OpenAiFakeReply[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });

    if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
      return sendError(res, 404, `Invalid URL (${req.method ?? ''} ${url.pathname})`, 'invalid_request_error', null);
    }
    const presented = req.headers['api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (opts.apiKey !== undefined && presented !== opts.apiKey) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    const reply = script[Math.min(served++, script.length - 1)];
    if (!reply) return sendError(res, 500, 'fake: no reply scripted', 'server_error', null);

    const model = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : 'unknown';
    switch (reply.kind) {
      case 'hang':
        return;
      case 'rate_limited':
        res.setHeader('retry-after', '2');
        return sendError(res, 429, `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in 2.4s.`, 'tokens', 'rate_limit_exceeded');
      case 'server_error':
        return sendError(res, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
      case 'valid':
        return sendCompletion(res, reply.model ?? model, JSON.stringify(reply.output), 'stop', reply.usage);
      case 'malformed':
        return sendCompletion(res, model, '{"intent": "pricing_inquiry", "intent_confid', 'stop');
      case 'schema_violation':
        return sendCompletion(res, model, JSON.stringify({ intent: 42, sentiment: 'ecstatic' }), 'stop');
      case 'truncated':
        return sendCompletion(res, model, '{"intent": "pricing_inquiry"', 'length');
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

function sendCompletion(res: ServerResponse, model: string, content: string, finishReason: 'stop' | 'length', usage = { input: 100, output: 50 }): void {
  send(res, 200, {
    id: `chatcmpl-fake${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    system_fingerprint: 'fp_fake',
  });
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  send(res, status, { error: { message, type, param: null, code } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake${Date.now()}` });
  res.end(JSON.stringify(body));
}
