import OpenAI, { APIConnectionTimeoutError, APIError, AzureOpenAI } from 'openai';
import { openAiStrictDialect, toDialect, withoutMetaSchema } from './json-schema.js';
import { DEFAULT_TIMEOUT_MS, LlmError, kindForStatus, sdkError, type SdkFailure } from './llm.js';
import type { LlmProvider, LlmProviderOptions, LlmRequest, LlmResponse } from './llm.js';

export interface OpenAiCompatibleOptions extends LlmProviderOptions {
  /**
   * `json_schema` asks for constrained decoding against the schema (OpenAI, Azure, vLLM,
   * recent Ollama); `json_object` only promises some JSON, for servers without schemas.
   */
  jsonMode?: 'json_schema' | 'json_object';
  /**
   * OpenAI's reasoning models accept only `max_completion_tokens`; many compatible
   * servers know only `max_tokens`, which every OpenAI chat model also still accepts.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Azure OpenAI: `baseUrl` is `https://<resource>.openai.azure.com/openai`, the model is the deployment. */
  azure?: { apiVersion: string };
  defaultHeaders?: Record<string, string>;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Chat Completions with structured output: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, Groq, … */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly jsonMode: 'json_schema' | 'json_object';
  private readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  private readonly timeoutMs: number;

  constructor(opts: OpenAiCompatibleOptions) {
    this.name = opts.name ?? (opts.azure ? 'azure' : 'openai');
    if (!opts.apiKey)
      throw new LlmError(this.name, 'config', 'apiKey is required (keyless local servers accept any placeholder)');
    if (opts.azure && !opts.baseUrl)
      throw new LlmError(
        this.name,
        'config',
        'Azure OpenAI needs baseUrl (https://<resource>.openai.azure.com/openai)',
      );
    this.jsonMode = opts.jsonMode ?? 'json_schema';
    this.maxTokensField = opts.maxTokensField ?? 'max_tokens';
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Every option is explicit so the SDK never falls back to OPENAI_* environment variables;
    // retries are off because the engine's chain moves on to the next provider instead.
    const common = {
      apiKey: opts.apiKey,
      adminAPIKey: null,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.timeoutMs,
      fetch: opts.fetch,
      ...(opts.defaultHeaders ? { defaultHeaders: opts.defaultHeaders } : {}),
    };
    this.client = opts.azure
      ? new AzureOpenAI({ ...common, baseURL: opts.baseUrl, apiVersion: opts.azure.apiVersion })
      : new OpenAI({ ...common, baseURL: opts.baseUrl ?? OPENAI_BASE_URL });
  }

  async complete(req: LlmRequest): Promise<LlmResponse> {
    const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: req.model,
      messages: [
        { role: 'system', content: req.system },
        ...req.messages.map((m) => ({ role: m.role, content: m.content })),
      ],
      response_format:
        this.jsonMode === 'json_schema'
          ? {
              type: 'json_schema',
              json_schema: {
                name: req.responseSchema.name,
                schema: toDialect(withoutMetaSchema(req.responseSchema.schema), openAiStrictDialect),
                strict: true,
              },
            }
          : { type: 'json_object' },
      ...(this.maxTokensField === 'max_tokens'
        ? { max_tokens: req.maxTokens }
        : { max_completion_tokens: req.maxTokens }),
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    };
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(params, { timeout: req.timeoutMs ?? this.timeoutMs });
    } catch (err) {
      throw this.toLlmError(err);
    }
    const choice = completion.choices[0];
    if (!choice) throw new LlmError(this.name, 'invalid_output', 'the response has no choices');
    if (choice.finish_reason === 'length')
      throw new LlmError(this.name, 'invalid_output', `output truncated at ${req.maxTokens} tokens`);
    if (choice.message.refusal)
      throw new LlmError(this.name, 'invalid_output', `the model refused: ${choice.message.refusal}`);
    if (!choice.message.content) throw new LlmError(this.name, 'invalid_output', 'the response has no content');
    return {
      text: choice.message.content,
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
      model: completion.model || req.model,
    };
  }

  private toLlmError(err: unknown): LlmError {
    return sdkError(this.name, err, { timedOut: err instanceof APIConnectionTimeoutError, answer: answerOf(err) });
  }
}

/** The vendor's answer in an SDK error that carries one. */
function answerOf(err: unknown): SdkFailure['answer'] {
  if (!(err instanceof APIError) || typeof err.status !== 'number') return undefined;
  return { status: err.status, kind: kindForStatus(err.status), message: vendorMessage(err.error) ?? err.message };
}

/** OpenAI error bodies are `{ error: { message, type, code } }`; the SDK hands us the inner object. */
function vendorMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string')
    return body.message;
  return undefined;
}
