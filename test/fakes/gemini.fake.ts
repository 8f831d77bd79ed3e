import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/**
 * Gemini API on 127.0.0.1, in the real wire format: `POST /v1beta/models/{model}:generateContent`
 * with the `x-goog-api-key` header, answers with `candidates[0].content.parts[0].text` and
 * `usageMetadata`, errors with `{ error: { code, message, status } }`. Each test scripts the replies.
 */

export type GeminiFakeReply =
  | { kind: 'valid'; output: unknown; usage?: { input: number; output: number; thoughts?: number }; model?: string }
  | { kind: 'malformed' }
  | { kind: 'schema_violation' }
  | { kind: 'truncated' }
  | { kind: 'rate_limited' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The model named in the path. */
  model: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface GeminiFake {
  /** `http://127.0.0.1:<port>`, what the Gemini provider takes as its base URL. */
  url: string;
  requests: RecordedRequest[];
  /** Replies in order, one per request; the last one repeats. */
  reply(...replies: GeminiFakeReply[]): void;
  close(): Promise<void>;
}

const GENERATE = /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/;

export async function startGeminiFake(opts: { apiKey?: string } = {}): Promise<GeminiFake> {
  const requests: RecordedRequest[] = [];
  let script: GeminiFakeReply[] = [];
  let served = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const model = GENERATE.exec(url.pathname)?.[1];
    requests.push({ method: req.method ?? '', path: url.pathname, model, headers: req.headers, body });

    if (req.method !== 'POST' || model === undefined) return sendError(res, 404, 'NOT_FOUND', `Method not found: ${url.pathname}`);
    const key = req.headers['x-goog-api-key'];
    if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
      return sendError(res, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
    }
    const reply = script[Math.min(served++, script.length - 1)];
    if (!reply) return sendError(res, 500, 'INTERNAL', 'fake: no reply scripted');
    switch (reply.kind) {
      case 'hang':
        return;
      case 'rate_limited':
        return sendError(res, 429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.');
      case 'server_error':
        return sendError(res, 500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
      case 'valid':
        return sendGeneration(res, reply.model ?? model, JSON.stringify(reply.output), 'STOP', reply.usage);
      case 'malformed':
        return sendGeneration(res, model, '{"intent": "pricing_inquiry", "intent_confid', 'STOP');
      case 'schema_violation':
        return sendGeneration(res, model, JSON.stringify({ intent: 42, sentiment: 'ecstatic' }), 'STOP');
      case 'truncated':
        return sendGeneration(res, model, '{"intent": "pricing_inquiry"', 'MAX_TOKENS');
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

function sendGeneration(res: ServerResponse, model: string, text: string, finishReason: string, usage: { input: number; output: number; thoughts?: number } = { input: 100, output: 50 }): void {
  send(res, 200, {
    candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason, index: 0 }],
    usageMetadata: {
      promptTokenCount: usage.input,
      candidatesTokenCount: usage.output,
      ...(usage.thoughts === undefined ? {} : { thoughtsTokenCount: usage.thoughts }),
      totalTokenCount: usage.input + usage.output + (usage.thoughts ?? 0),
    },
    modelVersion: model,
    responseId: `fake${Date.now()}`,
  });
}

function sendError(res: ServerResponse, code: number, status: string, message: string): void {
  send(res, code, { error: { code, message, status } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}
