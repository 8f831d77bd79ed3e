import type { IncomingHttpHeaders } from 'node:http';
import {
  replyScript,
  startFakeServer,
  type Answer,
  type FakeRequest,
  type Reply,
  type ScriptedFake,
} from './fake-server.js';
import type { LlmFakeReply } from './llm-reply.js';

/**
 * Anthropic Messages API on 127.0.0.1, in the real wire format: `POST /v1/messages` with
 * the key (`x-api-key`, or `Authorization: Bearer` from API version 2026-10-21 on) and an
 * `anthropic-version` header, answers with `content: [{ type: 'tool_use', … }]`
 * and `usage.input_tokens/output_tokens`, errors with `{ type: 'error', error: { type, message } }`.
 * Each test scripts the replies.
 */

export type AnthropicFakeReply = LlmFakeReply;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** `url` is what the Anthropic client takes as `baseURL`. */
export type AnthropicFake = ScriptedFake<RecordedRequest, AnthropicFakeReply>;

export async function startAnthropicFake(opts: { apiKey?: string } = {}): Promise<AnthropicFake> {
  const script = replyScript<AnthropicFakeReply>();

  function messages(req: FakeRequest): Reply {
    if (!req.headers['anthropic-version'])
      return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
    const reply = script.next();
    const body = (req.json ?? {}) as { model?: string; tool_choice?: { name?: string } };
    const model = body.model ?? 'unknown';
    const toolName = body.tool_choice?.name ?? 'unknown';
    switch (reply.kind) {
      case 'hang':
        return { hang: true };
      case 'rate_limited':
        return {
          ...anthropicError(
            429,
            'rate_limit_error',
            'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.',
          ),
          headers: { 'retry-after': '3' },
        };
      case 'server_error':
        return anthropicError(500, 'api_error', 'Internal server error');
      case 'valid':
        return message(reply.model ?? model, [toolUse(toolName, reply.output)], 'tool_use', reply.usage);
      case 'malformed':
        return message(
          model,
          [{ type: 'text', text: 'Sure! This lead looks promising: they asked about pricing.' }],
          'end_turn',
        );
      case 'schema_violation':
        return message(model, [toolUse(toolName, { intent: 42, sentiment: 'ecstatic' })], 'tool_use');
      case 'truncated':
        return message(model, [toolUse(toolName, { intent: 'pricing_inquiry' })], 'max_tokens');
    }
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['anthropic.json'],
    routes: [{ method: 'POST', path: '/v1/messages', handle: messages }],
    error: (status, message) =>
      anthropicError(
        status,
        status === 404 ? 'not_found_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
        message,
      ),
    headers: () => ({ 'content-type': 'application/json', 'request-id': `req_fake${Date.now()}` }),
    guard(req) {
      // API version 2026-10-21 (SDK 1.x) sends the key as a bearer token; earlier versions use x-api-key.
      const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey))
        return anthropicError(401, 'authentication_error', 'invalid x-api-key');
      return undefined;
    },
    record: (req) => ({ method: req.method, path: req.path, headers: req.headers, body: req.json ?? {} }),
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    reply: script.set,
    close: server.close,
  };
}

function toolUse(name: string, input: unknown): Record<string, unknown> {
  return { type: 'tool_use', id: `toolu_fake${Date.now()}`, name, input };
}

function message(model: string, content: unknown[], stopReason: string, usage = { input: 100, output: 50 }): Answer {
  return {
    status: 200,
    body: {
      id: `msg_fake${Date.now()}`,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input,
        output_tokens: usage.output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  };
}

function anthropicError(status: number, type: string, message: string): Answer {
  return { status, body: { type: 'error', error: { type, message } } };
}
