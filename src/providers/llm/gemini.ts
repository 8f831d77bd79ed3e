import { z } from 'zod';
import { parseJsonOrUndefined } from '../../lib/json.js';
import { geminiDialect, toDialect, withoutMetaSchema } from './json-schema.js';
import { failureReason, isAbortError } from '../http/fetch-failure.js';
import { DEFAULT_TIMEOUT_MS, LlmError, kindForStatus, refusedError } from './llm.js';
import type { LlmProvider, LlmProviderOptions, LlmRequest, LlmResponse } from './llm.js';
import { withoutTrailingSlashes } from '../../lib/text.js';

export interface GeminiOptions extends LlmProviderOptions {
  /** REST version segment of the path; `v1beta` carries JSON-schema structured output. */
  apiVersion?: string;
  headers?: Record<string, string>;
}

const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

/** The parts of a `generateContent` answer we use, read leniently: extra fields are ignored. */
const generationSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z
          .object({
            parts: z.array(z.object({ text: z.string().nullish(), thought: z.boolean().nullish() })).nullish(),
          })
          .nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().nullish(),
      candidatesTokenCount: z.number().nullish(),
      thoughtsTokenCount: z.number().nullish(),
    })
    .nullish(),
  modelVersion: z.string().nullish(),
});

/**
 * Gemini API `generateContent` with `responseMimeType: application/json` and
 * `responseJsonSchema` (plain JSON Schema; the older `responseSchema` takes Google's OpenAPI
 * subset instead). Plain REST rather than @google/genai: that SDK calls the global fetch and
 * takes no custom one, so its requests could not go through the SSRF guard. One JSON POST
 * needs nothing else from it.
 */
export class GeminiProvider implements LlmProvider {
  readonly name: string;
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly apiVersion: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetch: GeminiOptions['fetch'];

  constructor(opts: GeminiOptions) {
    this.name = opts.name ?? 'gemini';
    if (!opts.apiKey) throw new LlmError(this.name, 'config', 'apiKey is required');
    this.apiKey = opts.apiKey;
    this.baseUrl = withoutTrailingSlashes(opts.baseUrl ?? GEMINI_BASE_URL);
    this.apiVersion = opts.apiVersion ?? 'v1beta';
    this.headers = opts.headers ?? {};
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = opts.fetch;
  }

  async complete(req: LlmRequest): Promise<LlmResponse> {
    const model = req.model.replace(/^models\//, '');
    const body = {
      contents: req.messages.map((m) => ({
        role: m.role === 'assistant' ? 'model' : 'user',
        parts: [{ text: m.content }],
      })),
      systemInstruction: { parts: [{ text: req.system }] },
      generationConfig: {
        responseMimeType: 'application/json',
        responseJsonSchema: toDialect(withoutMetaSchema(req.responseSchema.schema), geminiDialect),
        maxOutputTokens: req.maxTokens,
        ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
      },
    };
    let status: number;
    let raw: string;
    try {
      const res = await this.fetch(
        `${this.baseUrl}/${this.apiVersion}/models/${encodeURIComponent(model)}:generateContent`,
        {
          method: 'POST',
          headers: { ...this.headers, 'content-type': 'application/json', 'x-goog-api-key': this.apiKey },
          body: JSON.stringify(body),
          // Covers reading the body too, so a server that stalls mid-answer still times out.
          signal: AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs),
        },
      );
      status = res.status;
      raw = await res.text();
    } catch (err) {
      throw this.toLlmError(err);
    }
    if (status < 200 || status >= 300) throw new LlmError(this.name, kindForStatus(status), vendorMessage(raw), status);

    const parsed = generationSchema.safeParse(parseJsonOrUndefined(raw));
    if (!parsed.success)
      throw new LlmError(
        this.name,
        'invalid_output',
        `the response is not a generateContent answer: ${z.prettifyError(parsed.error)}`,
        status,
      );
    const response = parsed.data;
    const candidate = response.candidates?.[0];
    if (!candidate) {
      const blocked = response.promptFeedback?.blockReason;
      throw new LlmError(
        this.name,
        'invalid_output',
        blocked ? `the prompt was blocked: ${blocked}` : 'the response has no candidates',
      );
    }
    if (candidate.finishReason === 'MAX_TOKENS')
      throw new LlmError(this.name, 'invalid_output', `output truncated at ${req.maxTokens} tokens`);
    // Thought parts are the model's scratchpad, not the answer.
    const text = (candidate.content?.parts ?? [])
      .filter((p) => !p.thought && typeof p.text === 'string')
      .map((p) => p.text)
      .join('');
    if (!text)
      throw new LlmError(
        this.name,
        'invalid_output',
        `the response has no text (finish reason ${candidate.finishReason ?? 'unknown'})`,
      );
    const usage = response.usageMetadata;
    return {
      text,
      inputTokens: usage?.promptTokenCount ?? 0,
      // Thinking tokens are billed as output.
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      model: response.modelVersion ?? req.model,
    };
  }

  private toLlmError(err: unknown): LlmError {
    const refused = refusedError(this.name, err);
    if (refused) return refused;
    if (isAbortError(err)) {
      return new LlmError(this.name, 'timeout', 'no response within the timeout', undefined, { cause: err });
    }
    return new LlmError(this.name, 'http', failureReason(err), undefined, { cause: err });
  }
}

/** Error bodies are `{ error: { code, message, status } }`; a proxy in front may send anything, so its text is kept. */
function vendorMessage(raw: string): string {
  const body = parseJsonOrUndefined(raw);
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const { error } = body;
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string')
      return error.message;
  }
  return raw.slice(0, 200) || 'no error body';
}
