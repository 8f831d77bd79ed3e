import type { Fetch } from '../http/guarded-fetch.js';
import { isAbortError } from '../http/fetch-failure.js';
import { refusalIn } from '../http/safe-fetch.js';

/**
 * The LLM port: one structured-output completion. Each vendor adapter turns this into its
 * own wire format and maps its failures onto `LlmError`, so the engine's chain can decide
 * what to try next without knowing any vendor.
 */

/** A JSON Schema document (draft 2020-12), as produced by `z.toJSONSchema`. */
export type JsonSchema = Record<string, unknown>;

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  /** Vendor model id, or the deployment name on Azure. */
  model: string;
  system: string;
  messages: readonly LlmMessage[];
  /** The shape the answer must take; adapters translate it to the vendor's structured-output feature. */
  responseSchema: { name: string; schema: JsonSchema };
  /** Omitted for models that reject it (reasoning models accept only their default). */
  temperature?: number;
  maxTokens: number;
  /** Overrides the adapter's default for this call. */
  timeoutMs?: number;
}

export interface LlmResponse {
  /** The raw JSON text the model produced; the caller parses and validates it. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** The model that answered, as the vendor reports it (may carry a date suffix). */
  model: string;
}

export interface LlmProvider {
  /** The name the chain uses for this provider (`openai`, `anthropic`, `gemini`, `ollama`, …). */
  readonly name: string;
  /** Runs one completion; rejects with `LlmError` on every failure. */
  complete(req: LlmRequest): Promise<LlmResponse>;
}

/** Options every adapter takes; vendor-specific ones extend it. */
export interface LlmProviderOptions {
  apiKey: string;
  /** Proxies, self-hosted servers and test fakes; the vendor's public endpoint when omitted. */
  baseUrl?: string;
  /** Per-request timeout when the request does not set one. */
  timeoutMs?: number;
  /** Chain name for this instance, so two instances of one adapter can coexist. */
  name?: string;
  /** The SSRF-guarded client every request goes through: base URLs are tenant settings. */
  fetch: Fetch;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export type LlmErrorKind = 'rate_limited' | 'timeout' | 'http' | 'invalid_output' | 'config';

export class LlmError extends Error {
  override readonly name = 'LlmError';

  constructor(
    readonly provider: string,
    readonly kind: LlmErrorKind,
    /** What the vendor said, when it said anything. */
    readonly vendorMessage: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${provider} ${kind}${status === undefined ? '' : ` (HTTP ${status})`}: ${vendorMessage}`, options);
  }
}

/** Maps an HTTP status to the error kind the chain acts on. */
export function kindForStatus(status: number): LlmErrorKind {
  return status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'http';
}

/** A base URL the guard refused, as a `config` error: no retry or other model can reach it. */
export function refusedError(provider: string, err: unknown): LlmError | undefined {
  const refusal = refusalIn(err);
  return refusal
    ? new LlmError(provider, 'config', `base URL refused: it ${refusal.message}`, undefined, { cause: err })
    : undefined;
}

/** What a vendor SDK's error says: whether it timed out, and the vendor's answer when one came. */
export interface SdkFailure {
  timedOut: boolean;
  answer: { status: number; kind: LlmErrorKind; message: string } | undefined;
}

/** An SDK client's failure as the chain's error: a refused base URL, a timeout, the vendor's answer, or any other failure. */
export function sdkError(provider: string, err: unknown, failure: SdkFailure): LlmError {
  const refused = refusedError(provider, err);
  if (refused) return refused;
  if (failure.timedOut || isAbortError(err)) {
    return new LlmError(provider, 'timeout', 'no response within the timeout', undefined, { cause: err });
  }
  const { answer } = failure;
  if (answer) return new LlmError(provider, answer.kind, answer.message, answer.status, { cause: err });
  return new LlmError(provider, 'http', err instanceof Error ? err.message : String(err), undefined, { cause: err });
}
