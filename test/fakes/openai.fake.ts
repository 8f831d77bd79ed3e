import {
  recordJson,
  replyScript,
  startFakeServer,
  type Answer,
  type FakeRequest,
  type JsonRequest,
  type Reply,
  type ScriptedFake,
} from './fake-server.js';
import { llmAnswer, type LlmFakeReply, type LlmWire } from './llm-reply.js';

/**
 * OpenAI Chat Completions on 127.0.0.1, in the real wire format: `POST /v1/chat/completions`
 * (and Azure's `/openai/deployments/{deployment}/chat/completions?api-version=…`), answers
 * with `choices[0].message.content` and `usage.prompt_tokens/completion_tokens`, errors with
 * `{ error: { message, type, param, code } }`. Each test scripts the replies.
 */

export type OpenAiFakeReply = LlmFakeReply;
export type RecordedRequest = JsonRequest;

export interface OpenAiFake extends ScriptedFake<RecordedRequest, OpenAiFakeReply> {
  /** What an OpenAI client takes as `baseURL`. */
  baseUrl: string;
}

export async function startOpenAiFake(opts: { apiKey?: string } = {}): Promise<OpenAiFake> {
  const script = replyScript<OpenAiFakeReply>();

  const wire: LlmWire = {
    rateLimited: (model) => ({
      ...openAiError(
        429,
        `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in 2.4s.`,
        'tokens',
        'rate_limit_exceeded',
      ),
      headers: { 'retry-after': '2' },
    }),
    serverError: () =>
      openAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error'),
    text: (model, content, truncated, usage) => completion(model, content, truncated ? 'length' : 'stop', usage),
  };

  function complete(req: FakeRequest): Reply {
    const body = req.json;
    const model =
      typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string'
        ? body.model
        : 'unknown';
    return llmAnswer(script.next(), model, wire);
  }

  const server = await startFakeServer<RecordedRequest>({
    documents: ['openai.json'],
    routes: [
      { method: 'POST', path: '/v1/chat/completions', handle: complete },
      // Azure OpenAI serves the same body under its deployments; Azure's document is not among ours.
      {
        method: 'POST',
        path: /^\/openai\/deployments\/[^/]+\/chat\/completions$/,
        undocumented: true,
        handle: complete,
      },
    ],
    error: (status, message) => openAiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error'),
    headers: () => ({ 'content-type': 'application/json', 'x-request-id': `req_fake${Date.now()}` }),
    guard(req) {
      const presented = req.headers['api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (opts.apiKey !== undefined && presented !== opts.apiKey)
        return openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      return undefined;
    },
    record: recordJson,
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

function completion(
  model: string,
  content: string,
  finishReason: 'stop' | 'length',
  usage = { input: 100, output: 50 },
): Answer {
  return {
    status: 200,
    body: {
      id: `chatcmpl-fake${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
      system_fingerprint: 'fp_fake',
    },
  };
}

/** OpenAI's error body; the audio fake answers with it too. */
export function openAiError(status: number, message: string, type: string, code: string | null = null): Answer {
  return { status, body: { error: { message, type, param: null, code } } };
}
