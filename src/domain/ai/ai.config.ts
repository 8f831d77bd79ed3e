import { z } from 'zod';

/**
 * The AI's sections of the tenant configuration: the LLM chain and its vendors (`ai_models`),
 * spec A's `ai_config`, the scoring model (`scoring`) and the company-data vendor (`enrichment`).
 * The tenant configuration schema composes them; this file imports nothing of ours so that it can.
 */

const score = z.number().min(0).max(100);

export const aiModelsSection = z.looseObject({
  primary_provider: z.string().optional(),
  primary_model: z.string().optional(),
  fallback_chain: z.array(z.string()).optional(),
  custom_instructions: z.string().max(20000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  /** Credentials and endpoints per LLM vendor (`openai`, `anthropic`, `gemini`, `ollama`, any OpenAI-compatible name). */
  providers: z
    .record(
      z.string(),
      z.looseObject({
        api_key: z.string().optional(),
        base_url: z.string().url().optional(),
        kind: z.enum(['openai', 'anthropic', 'gemini']).optional(),
        azure_api_version: z.string().optional(),
        json_mode: z.enum(['json_schema', 'json_object']).optional(),
      }),
    )
    .optional(),
  max_tokens: z.number().int().min(1).max(100000).optional(),
});

/** Company data for leads: the local engine's own by default, or a Clearbit/Apollo-style API. */
export const enrichmentSection = z
  .looseObject({
    provider: z.enum(['local', 'http']).optional(),
    base_url: z.string().url().optional(),
    api_key: z.string().optional(),
    timeout_ms: z.number().int().min(100).max(30_000).optional(),
  })
  .refine((e) => e.provider !== 'http' || (e.base_url && e.api_key), {
    message: 'provider http needs base_url and api_key',
  });

export const aiConfigSection = z.looseObject({
  lead_scoring_threshold: score.optional(),
  analysis_model: z.string().optional(),
  custom_prompts: z.record(z.string(), z.string().max(20000)).optional(),
});

export const scoringSection = z.looseObject({
  weights: z
    .looseObject({
      company_fit: z.number().min(0).optional(),
      intent_signal: z.number().min(0).optional(),
      budget_indicator: z.number().min(0).optional(),
      urgency: z.number().min(0).optional(),
    })
    .optional(),
  thresholds: z.looseObject({ hot: score.optional(), warm: score.optional() }).optional(),
});
