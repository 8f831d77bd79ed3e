import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/**
 * Anthropic Messages API on 127.0.0.1, in the real wire format: `POST /v1/messages` with
 * the key (`x-api-key`, or `Authorization: Bearer` from API version 2026-10-21 on) and an
 * `anthropic-version` header, answers with `content: [{ type: 'tool_use', … }]`
 * and `usage.input_tokens/output_tokens`, errors with `{ type: 'error', error: { type, message } }`.
 * Each test scripts the replies.
 */

export type AnthropicFakeReply =
  | { kind: 'valid'; output: unknown; usage?: { input: number; output: number }; model?: string }
  /** Text instead of the forced tool call: what a model's prose answer looks like. */
  | { kind: 'malformed' }
  | { kind: 'schema_violation' }
  | { kind: 'truncated' }
  | { kind: 'rate_limited' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface AnthropicFake {
  /** `http://127.0.0.1:<port>`, what the Anthropic client takes as `baseURL`. */
  url: string;
  requests: RecordedRequest[];
  /** Replies in order, one per request; the last one repeats. */
  reply(...replies: AnthropicFakeReply[]): void;
  close(): Promise<void>;
}

export async function startAnthropicFake(opts: { apiKey?: string } = {}): Promise<AnthropicFake> {
  const requests: RecordedRequest[] = [];
  let script: AnthropicFakeReply[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body = (raw ? JSON.parse(raw) : {}) as { model?: string; tool_choice?: { name?: string } };
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });

    if (req.method !== 'POST' || url.pathname !== '/v1/messages') return sendError(res, 404, 'not_found_error', 'Not found');
    // API version 2026-10-21 (SDK 1.x) sends the key as a bearer token; earlier versions use x-api-key.
    const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
      return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
    }
    if (!req.headers['anthropic-version']) return sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');

    const reply = script[Math.min(served++, script.length - 1)];
    if (!reply) return sendError(res, 500, 'api_error', 'fake: no reply scripted');
    const model = body.model ?? 'unknown';
    const toolName = body.tool_choice?.name ?? 'unknown';
    switch (reply.kind) {
      case 'hang':
        return;
      case 'rate_limited':
        res.setHeader('retry-after', '3');
        return sendError(res, 429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.');
      case 'server_error':
        return sendError(res, 500, 'api_error', 'Internal server error');
      case 'valid':
        return sendMessage(res, reply.model ?? model, [toolUse(toolName, reply.output)], 'tool_use', reply.usage);
      case 'malformed':
        return sendMessage(res, model, [{ type: 'text', text: 'Sure! This lead looks promising: they asked about pricing.' }], 'end_turn');
      case 'schema_violation':
        return sendMessage(res, model, [toolUse(toolName, { intent: 42, sentiment: 'ecstatic' })], 'tool_use');
      case 'truncated':
        return sendMessage(res, model, [toolUse(toolName, { intent: 'pricing_inquiry' })], 'max_tokens');
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

function toolUse(name: string, input: unknown): Record<string, unknown> {
  return { type: 'tool_use', id: `toolu_fake${Date.now()}`, name, input };
}

function sendMessage(res: ServerResponse, model: string, content: unknown[], stopReason: string, usage = { input: 100, output: 50 }): void {
  send(res, 200, {
    id: `msg_fake${Date.now()}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  });
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { type: 'error', error: { type, message } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake${Date.now()}` });
  res.end(JSON.stringify(body));
}
