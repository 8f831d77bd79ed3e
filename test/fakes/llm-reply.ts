import type { Answer, Reply } from './fake-server.js';

/** What a test scripts a language-model fake to answer, whichever vendor's wire format it speaks. */
export type LlmFakeReply =
  | { kind: 'valid'; output: unknown; usage?: LlmUsage; model?: string }
  /** Cut-off JSON (Anthropic: prose instead of the forced tool call). */
  | { kind: 'malformed' }
  | { kind: 'schema_violation' }
  | { kind: 'truncated' }
  | { kind: 'rate_limited' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

export interface LlmUsage {
  input: number;
  output: number;
  thoughts?: number;
}

/** How one vendor's API words each kind of answer. */
export interface LlmWire {
  rateLimited(model: string): Answer;
  serverError(): Answer;
  /** A generated text; `truncated` when the model stopped at its token limit. */
  text(model: string, text: string, truncated: boolean, usage?: LlmUsage): Answer;
}

/** The answer to a scripted reply for a model that answers in text (OpenAI, Gemini). */
export function llmAnswer(reply: LlmFakeReply, model: string, wire: LlmWire): Reply {
  switch (reply.kind) {
    case 'hang':
      return { hang: true };
    case 'rate_limited':
      return wire.rateLimited(model);
    case 'server_error':
      return wire.serverError();
    case 'valid':
      return wire.text(reply.model ?? model, JSON.stringify(reply.output), false, reply.usage);
    case 'malformed':
      return wire.text(model, '{"intent": "pricing_inquiry", "intent_confid', false);
    case 'schema_violation':
      return wire.text(model, JSON.stringify({ intent: 42, sentiment: 'ecstatic' }), false);
    case 'truncated':
      return wire.text(model, '{"intent": "pricing_inquiry"', true);
  }
}
