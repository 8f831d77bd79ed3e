import type { IncomingHttpHeaders } from 'node:http';
import { replyScript, startFakeServer, type Answer, type ScriptedFake } from './fake-server.js';
import { llmAnswer, type LlmFakeReply, type LlmWire } from './llm-reply.js';

/**
 * Gemini API on 127.0.0.1, in the real wire format: `POST /v1beta/models/{model}:generateContent`
 * with the `x-goog-api-key` header, answers with `candidates[0].content.parts[0].text` and
 * `usageMetadata`, errors with `{ error: { code, message, status } }`. Each test scripts the replies.
 */

export type GeminiFakeReply = LlmFakeReply;

export interface RecordedRequest {
  method: string;
  path: string;
  /** The model named in the path. */
  model: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type GeminiFake = ScriptedFake<RecordedRequest, GeminiFakeReply>;

const GENERATE = /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/;

export async function startGeminiFake(opts: { apiKey?: string } = {}): Promise<GeminiFake> {
  const script = replyScript<GeminiFakeReply>();

  const wire: LlmWire = {
    rateLimited: () =>
      geminiError(
        429,
        'RESOURCE_EXHAUSTED',
        'You exceeded your current quota, please check your plan and billing details.',
      ),
    serverError: () =>
      geminiError(
        500,
        'INTERNAL',
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      ),
    text: (model, text, truncated, usage) => generation(model, text, truncated ? 'MAX_TOKENS' : 'STOP', usage),
  };

  const server = await startFakeServer<RecordedRequest>({
    documents: ['gemini-community-20241016.json'],
    routes: [{ method: 'POST', path: GENERATE, handle: (_req, [model = '']) => llmAnswer(script.next(), model, wire) }],
    error: (status, message) =>
      geminiError(status, status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', message),
    headers: () => ({ 'content-type': 'application/json; charset=UTF-8' }),
    guard(req) {
      const key = req.headers['x-goog-api-key'];
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey))
        return geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
      return undefined;
    },
    record: (req) => ({
      method: req.method,
      path: req.path,
      model: GENERATE.exec(req.path)?.[1],
      headers: req.headers,
      body: req.json,
    }),
  });
  return {
    url: server.url,
    requests: server.requests,
    violations: server.violations,
    reply: script.set,
    close: server.close,
  };
}

function generation(
  model: string,
  text: string,
  finishReason: string,
  usage: { input: number; output: number; thoughts?: number } = { input: 100, output: 50 },
): Answer {
  return {
    status: 200,
    body: {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason, index: 0 }],
      usageMetadata: {
        promptTokenCount: usage.input,
        candidatesTokenCount: usage.output,
        ...(usage.thoughts === undefined ? {} : { thoughtsTokenCount: usage.thoughts }),
        totalTokenCount: usage.input + usage.output + (usage.thoughts ?? 0),
      },
      modelVersion: model,
      responseId: `fake${Date.now()}`,
    },
  };
}

function geminiError(code: number, status: string, message: string): Answer {
  return { status: code, body: { error: { code, message, status } } };
}
