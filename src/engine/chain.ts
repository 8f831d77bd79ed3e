import { z } from 'zod';
import { LlmError } from '../providers/llm/llm.js';
import type { LlmProvider, LlmRequest, LlmResponse } from '../providers/llm/llm.js';
import type { ProviderUsage } from './analysis.schema.js';

/**
 * A tenant's provider chain: `["openai:gpt-4o", "anthropic:claude-3-5-haiku-latest", "rule_based"]`.
 * Steps are tried in order; a step that fails is recorded and skipped, and the chain always
 * ends at the local engine, so every analysis gets an answer.
 */
export type ChainStep =
  | { kind: 'local' }
  | { kind: 'llm'; provider: string; model: string }
  | { kind: 'invalid'; step: string; error: string };

export type Fallback = ProviderUsage['fallbacks'][number];

/** Names the local engine answers to (`rule_based` is spec D's word for it). */
const LOCAL_NAMES = new Set(['local', 'rule_based']);

/** A bare model id (spec A's `analysis_model: "gemini-2.5-flash"`) names its vendor by its prefix. */
const VENDOR_BY_MODEL: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(gpt-|chatgpt-|o\d)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'gemini'],
];

export function parseChainStep(raw: string): ChainStep {
  const step = raw.trim();
  const colon = step.indexOf(':');
  // The model part may itself hold colons (Ollama's `llama3.1:8b`), so split at the first.
  const provider = colon === -1 ? step : step.slice(0, colon);
  if (LOCAL_NAMES.has(provider.toLowerCase())) return { kind: 'local' };
  if (colon === -1) {
    const vendor = VENDOR_BY_MODEL.find(([pattern]) => pattern.test(step))?.[1];
    if (vendor) return { kind: 'llm', provider: vendor, model: step };
    return { kind: 'invalid', step, error: `chain step "${step}" names no provider; write provider:model` };
  }
  const model = step.slice(colon + 1);
  if (!provider || !model)
    return { kind: 'invalid', step, error: `chain step "${step}" needs both a provider and a model` };
  return { kind: 'llm', provider, model };
}

/** The steps up to and including the first local one; a local step is appended when missing. */
export function parseChain(chain: readonly string[]): ChainStep[] {
  const steps: ChainStep[] = [];
  for (const raw of chain) {
    const step = parseChainStep(raw);
    steps.push(step);
    if (step.kind === 'local') return steps;
  }
  steps.push({ kind: 'local' });
  return steps;
}

export type ChainOutcome<T> =
  | {
      kind: 'llm';
      provider: string;
      model: string;
      value: T;
      response: LlmResponse;
      latencyMs: number;
      fallbacks: Fallback[];
    }
  | { kind: 'local'; fallbacks: Fallback[] };

export interface RunChainOptions<T> {
  steps: readonly ChainStep[];
  providers: Readonly<Record<string, LlmProvider>>;
  /** The request for one model; the prompt is the same whichever provider takes it. */
  request: (model: string) => LlmRequest;
  /** What an answer must satisfy; the same zod schema the JSON Schema in the request came from. */
  schema: z.ZodType<T>;
  /** Wall clock in milliseconds, for latency. */
  now: () => number;
}

/** Adapters enforce `timeoutMs`; this margin only catches a provider that ignores it. */
const WATCHDOG_GRACE_MS = 1_000;

/** Tries the LLM steps in order until one returns a valid answer or the local step is reached. */
export async function runChain<T>(opts: RunChainOptions<T>): Promise<ChainOutcome<T>> {
  const fallbacks: Fallback[] = [];
  for (const step of opts.steps) {
    switch (step.kind) {
      case 'local':
        return { kind: 'local', fallbacks };
      case 'invalid':
        fallbacks.push({ provider: step.step, model: '', error: step.error });
        break;
      case 'llm': {
        const provider = Object.hasOwn(opts.providers, step.provider) ? opts.providers[step.provider] : undefined;
        if (!provider) {
          fallbacks.push({
            provider: step.provider,
            model: step.model,
            error: `provider "${step.provider}" is not configured`,
          });
          break;
        }
        const started = opts.now();
        try {
          const { value, response } = await completeStructured(provider, opts.request(step.model), opts.schema);
          return {
            kind: 'llm',
            provider: step.provider,
            model: step.model,
            value,
            response,
            latencyMs: opts.now() - started,
            fallbacks,
          };
        } catch (err) {
          fallbacks.push({ provider: step.provider, model: step.model, error: describeError(err) });
        }
        break;
      }
    }
  }
  return { kind: 'local', fallbacks };
}

/** One provider call whose answer is parsed as JSON and validated; anything else is `invalid_output`. */
export async function completeStructured<T>(
  provider: LlmProvider,
  req: LlmRequest,
  schema: z.ZodType<T>,
): Promise<{ value: T; response: LlmResponse }> {
  const response = await withWatchdog(provider, req);
  let json: unknown;
  try {
    json = JSON.parse(unfence(response.text));
  } catch (err) {
    throw new LlmError(
      provider.name,
      'invalid_output',
      `the answer is not JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new LlmError(
      provider.name,
      'invalid_output',
      `the answer does not match the schema: ${z.prettifyError(parsed.error)}`,
    );
  }
  return { value: parsed.data, response };
}

function withWatchdog(provider: LlmProvider, req: LlmRequest): Promise<LlmResponse> {
  if (req.timeoutMs === undefined) return provider.complete(req);
  const limitMs = req.timeoutMs + WATCHDOG_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LlmError(provider.name, 'timeout', `no answer within ${limitMs} ms`)), limitMs);
  });
  return Promise.race([provider.complete(req), watchdog]).finally(() => clearTimeout(timer));
}

/** Servers in `json_object` mode sometimes wrap the object in a Markdown code fence. */
function unfence(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length < 6 || !trimmed.startsWith('```') || !trimmed.endsWith('```')) return text;
  const inner = trimmed.slice(3, -3);
  return (/^json/i.test(inner) ? inner.slice(4) : inner).trim();
}

function describeError(err: unknown): string {
  if (err instanceof LlmError)
    return `${err.kind}${err.status === undefined ? '' : ` (HTTP ${err.status})`}: ${err.vendorMessage}`;
  return err instanceof Error ? err.message : String(err);
}
