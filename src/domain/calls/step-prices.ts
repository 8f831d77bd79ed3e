import { z } from 'zod';
import { PIPELINE_STEPS, type PipelineStep } from './calls.schema.js';

/**
 * What a pipeline step costs, for the analytics' cost figures. Vendors report their own list
 * prices (LLM tokens, STT minutes); a deployment's price table replaces those where it names the
 * model or provider (negotiated rates, a self-hosted model's real cost) and adds what vendors do
 * not bill: compute per step run and per second, and storage per GB of recording kept.
 * Set with `FRONTDESK_PRICES` (a JSON file or inline JSON); every entry is optional.
 */
const usd = z.number().min(0).max(1_000);

export const stepPricesSchema = z.strictObject({
  /** USD per run of a step (a CRM call, a notification, the worker's share of a job). */
  per_step: z.partialRecord(z.enum(PIPELINE_STEPS), usd).default({}),
  /** USD per second a step runs (compute). */
  per_second: usd.default(0),
  /** USD per GB of recording stored by `audio_download`. */
  storage_per_gb: usd.default(0),
  /** USD per audio minute, by speech-to-text provider (`openai`, `deepgram`, `pocketsphinx`) or `provider:model`. */
  stt_per_minute: z.record(z.string(), usd).default({}),
  /** USD per million tokens, by model id (`gpt-4o-mini`) or `provider:model`. */
  llm_per_million_tokens: z.record(z.string(), z.strictObject({ input: usd, output: usd })).default({}),
});
export type StepPrices = z.infer<typeof stepPricesSchema>;

/** What a step used, as far as a price table can price it. */
export type StepUsage =
  | { kind: 'audio'; provider: string; model: string; seconds: number }
  | { kind: 'tokens'; provider: string; model: string; inputTokens: number; outputTokens: number }
  | { kind: 'storage'; bytes: number };

export interface StepCostInput {
  step: PipelineStep;
  /** What the vendor's list price came to, as the step reported it. */
  vendorCostUsd: number;
  usage?: StepUsage;
  durationMs: number;
}

/** The step's cost in USD under `prices`, rounded to a millionth of a dollar. */
export function stepCost(prices: StepPrices, input: StepCostInput): number {
  const u = input.usage;
  let cost = input.vendorCostUsd;
  if (u?.kind === 'audio') {
    const perMinute = prices.stt_per_minute[`${u.provider}:${u.model}`] ?? prices.stt_per_minute[u.provider];
    if (perMinute !== undefined) cost = (u.seconds / 60) * perMinute;
  } else if (u?.kind === 'tokens') {
    const perMillion =
      prices.llm_per_million_tokens[`${u.provider}:${u.model}`] ?? prices.llm_per_million_tokens[u.model];
    if (perMillion) cost = (u.inputTokens * perMillion.input + u.outputTokens * perMillion.output) / 1_000_000;
  } else if (u?.kind === 'storage') {
    cost += (u.bytes / 1e9) * prices.storage_per_gb;
  }
  cost += (prices.per_step[input.step] ?? 0) + (input.durationMs / 1000) * prices.per_second;
  return Math.round(cost * 1e6) / 1e6;
}
