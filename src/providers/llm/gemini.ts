import { ApiError, FinishReason, GoogleGenAI } from '@google/genai';
import type { GenerateContentResponse } from '@google/genai';
import { geminiDialect, toDialect, withoutMetaSchema } from './json-schema.js';
import { DEFAULT_TIMEOUT_MS, LlmError, isAbortError, kindForStatus } from './llm.js';
import type { LlmProvider, LlmProviderOptions, LlmRequest, LlmResponse } from './llm.js';

export interface GeminiOptions extends LlmProviderOptions {
  /** REST version segment of the path; `v1beta` carries JSON-schema structured output. */
  apiVersion?: string;
  headers?: Record<string, string>;
}

const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * Gemini API `generateContent` with `responseMimeType: application/json` and
 * `responseJsonSchema` (plain JSON Schema, which @google/genai passes through unchanged;
 * the older `responseSchema` takes Google's OpenAPI subset instead). The SDK has no
 * injectable fetch, so tests point `baseUrl` at a fake instead.
 */
export class GeminiProvider implements LlmProvider {
  readonly name: string;
  private readonly client: GoogleGenAI;
  private readonly timeoutMs: number;

  constructor(opts: GeminiOptions) {
    this.name = opts.name ?? 'gemini';
    if (!opts.apiKey) throw new LlmError(this.name, 'config', 'apiKey is required');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Explicit backend and base URL keep the SDK away from GOOGLE_* variables; it does not
    // retry unless `retryOptions` is set, and the engine's chain is the retry policy.
    this.client = new GoogleGenAI({
      vertexai: false,
      apiKey: opts.apiKey,
      apiVersion: opts.apiVersion ?? 'v1beta',
      httpOptions: {
        baseUrl: opts.baseUrl ?? GEMINI_BASE_URL,
        timeout: this.timeoutMs,
        ...(opts.headers ? { headers: opts.headers } : {}),
      },
    });
  }

  async complete(req: LlmRequest): Promise<LlmResponse> {
    let response: GenerateContentResponse;
    try {
      response = await this.client.models.generateContent({
        model: req.model,
        contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
        config: {
          systemInstruction: req.system,
          responseMimeType: 'application/json',
          responseJsonSchema: toDialect(withoutMetaSchema(req.responseSchema.schema), geminiDialect),
          maxOutputTokens: req.maxTokens,
          ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
          httpOptions: { timeout: req.timeoutMs ?? this.timeoutMs },
        },
      });
    } catch (err) {
      throw this.toLlmError(err);
    }
    const candidate = response.candidates?.[0];
    if (!candidate) {
      const blocked = response.promptFeedback?.blockReason;
      throw new LlmError(this.name, 'invalid_output', blocked ? `the prompt was blocked: ${blocked}` : 'the response has no candidates');
    }
    if (candidate.finishReason === FinishReason.MAX_TOKENS) throw new LlmError(this.name, 'invalid_output', `output truncated at ${req.maxTokens} tokens`);
    // Thought parts are the model's scratchpad, not the answer.
    const text = (candidate.content?.parts ?? []).filter((p) => !p.thought && typeof p.text === 'string').map((p) => p.text).join('');
    if (!text) throw new LlmError(this.name, 'invalid_output', `the response has no text (finish reason ${candidate.finishReason ?? 'unknown'})`);
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
    if (isAbortError(err)) {
      return new LlmError(this.name, 'timeout', 'no response within the timeout', undefined, { cause: err });
    }
    if (err instanceof ApiError) {
      return new LlmError(this.name, kindForStatus(err.status), vendorMessage(err.message), err.status, { cause: err });
    }
    return new LlmError(this.name, 'http', err instanceof Error ? err.message : String(err), undefined, { cause: err });
  }
}

/** The SDK puts the whole error body, `{ error: { code, message, status } }`, in the message as JSON. */
function vendorMessage(raw: string): string {
  try {
    const body: unknown = JSON.parse(raw);
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const { error } = body;
      if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
    }
  } catch {
    // Not JSON: the raw text is the best message there is.
  }
  return raw;
}
