import Anthropic, { APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { withoutMetaSchema } from './json-schema.js';
import { DEFAULT_TIMEOUT_MS, LlmError, kindForStatus, sdkError, type SdkFailure } from './llm.js';
import type { LlmProvider, LlmProviderOptions, LlmRequest, LlmResponse } from './llm.js';

export interface AnthropicOptions extends LlmProviderOptions {
  defaultHeaders?: Record<string, string>;
}

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/**
 * Messages API. Structured output comes from one tool the model is forced to call: its
 * `input_schema` is the response schema and the `tool_use` block's input is the answer.
 */
export class AnthropicProvider implements LlmProvider {
  readonly name: string;
  private readonly client: Anthropic;
  private readonly timeoutMs: number;

  constructor(opts: AnthropicOptions) {
    this.name = opts.name ?? 'anthropic';
    if (!opts.apiKey) throw new LlmError(this.name, 'config', 'apiKey is required');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // An explicit key and base URL keep the SDK away from ANTHROPIC_* variables and profile
    // files; retries are off because the engine's chain moves on to the next provider instead.
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      baseURL: opts.baseUrl ?? ANTHROPIC_BASE_URL,
      maxRetries: 0,
      timeout: this.timeoutMs,
      fetch: opts.fetch,
      ...(opts.defaultHeaders ? { defaultHeaders: opts.defaultHeaders } : {}),
    });
  }

  async complete(req: LlmRequest): Promise<LlmResponse> {
    const toolName = req.responseSchema.name;
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: req.model,
      system: req.system,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      tools: [
        {
          name: toolName,
          description: 'Record the analysis. Call this exactly once with the complete result.',
          input_schema: { ...withoutMetaSchema(req.responseSchema.schema), type: 'object' },
        },
      ],
      tool_choice: { type: 'tool', name: toolName, disable_parallel_tool_use: true },
      max_tokens: req.maxTokens,
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    };
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(params, { timeout: req.timeoutMs ?? this.timeoutMs });
    } catch (err) {
      throw this.toLlmError(err);
    }
    if (message.stop_reason === 'max_tokens')
      throw new LlmError(this.name, 'invalid_output', `output truncated at ${req.maxTokens} tokens`);
    const call = message.content.find((block) => block.type === 'tool_use' && block.name === toolName);
    if (!call || call.type !== 'tool_use')
      throw new LlmError(this.name, 'invalid_output', `the response has no ${toolName} tool call`);
    return {
      text: JSON.stringify(call.input),
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
      model: message.model || req.model,
    };
  }

  private toLlmError(err: unknown): LlmError {
    return sdkError(this.name, err, { timedOut: err instanceof APIConnectionTimeoutError, answer: answerOf(err) });
  }
}

/** The vendor's answer in an SDK error that carries one. */
function answerOf(err: unknown): SdkFailure['answer'] {
  if (!(err instanceof APIError) || typeof err.status !== 'number') return undefined;
  // 529 "overloaded" is Anthropic's way of saying "try elsewhere": same as a rate limit for the chain.
  const kind = err.status === 529 ? 'rate_limited' : kindForStatus(err.status);
  return { status: err.status, kind, message: err.apiMessage ?? err.message };
}
