import { z } from 'zod';
import { enrichmentSchema } from '../providers/enrichment/enrichment.js';

/**
 * The engine's one contract: what goes into `analyze` and what comes out, whichever
 * provider (local or an LLM) produced it. LLM output is validated against `llmAnalysisSchema`,
 * so a model that answers off-schema falls through to the next provider in the chain.
 */

export const tierSchema = z.enum(['HOT', 'WARM', 'COLD']);
export type Tier = z.infer<typeof tierSchema>;

export const sentimentSchema = z.enum(['positive', 'neutral', 'negative']);
export type Sentiment = z.infer<typeof sentimentSchema>;

/** What is being analysed: a form lead, a call transcript or one chat/SMS message. */
export const analysisInputSchema = z.object({
  kind: z.enum(['lead', 'transcript', 'message']),
  text: z.string().default(''),
  email: z.string().optional(),
  phone: z.string().optional(),
  name: z.string().optional(),
  company: z.string().optional(),
  source: z.string().optional(),
  /** Structured hints a surface already has (CallRail custom fields, form fields). */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type AnalysisInput = z.input<typeof analysisInputSchema>;
export type ParsedAnalysisInput = z.output<typeof analysisInputSchema>;

export const scoringBreakdownSchema = z.object({
  company_fit: z.number().min(0).max(1),
  intent_signal: z.number().min(0).max(1),
  budget_indicator: z.number().min(0).max(1),
  urgency: z.number().min(0).max(1),
});
export type ScoringBreakdown = z.infer<typeof scoringBreakdownSchema>;

export const entitiesSchema = z.object({
  emails: z.array(z.string()).default([]),
  phones: z.array(z.string()).default([]),
  /** Money amounts found in the text, in whole currency units. */
  money: z.array(z.number()).default([]),
  budget_range: z.object({ min: z.number(), max: z.number() }).nullable().default(null),
  /** Normalised timeline bucket: `immediate`, `1-3_months`, `3-6_months`, `6-12_months`, `12+_months`. */
  timeline: z.string().nullable().default(null),
  dates: z.array(z.string()).default([]),
  team_size: z.number().nullable().default(null),
  square_footage: z.number().nullable().default(null),
  project_type: z.string().nullable().default(null),
  person_name: z.string().nullable().default(null),
  address: z.string().nullable().default(null),
});
export type Entities = z.infer<typeof entitiesSchema>;

export const recommendedActionSchema = z.enum(['route_to_ae', 'add_to_nurture', 'add_to_marketing_automation']);
export type RecommendedAction = z.infer<typeof recommendedActionSchema>;

/** The part of an analysis a language model is asked to produce (structured output). */
export const llmAnalysisSchema = z.object({
  intent: z.string(),
  intent_confidence: z.number().min(0).max(1),
  sentiment: sentimentSchema,
  scoring_breakdown: scoringBreakdownSchema,
  reasoning: z.string().min(1),
  next_actions: z.array(z.string()),
  summary: z.string(),
  entities: entitiesSchema.partial().default({}),
});
export type LlmAnalysis = z.infer<typeof llmAnalysisSchema>;

export const providerUsageSchema = z.object({
  provider: z.string(),
  model: z.string(),
  latency_ms: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cost_usd: z.number(),
  /** Providers tried before this one and why each was passed over. */
  fallbacks: z.array(z.object({ provider: z.string(), model: z.string(), error: z.string() })).default([]),
});
export type ProviderUsage = z.infer<typeof providerUsageSchema>;

export const analysisResultSchema = z.object({
  intent: z.string(),
  intent_confidence: z.number(),
  entities: entitiesSchema,
  sentiment: sentimentSchema,
  sentiment_score: z.number(),
  score: z.number().int().min(0).max(100),
  scoring_breakdown: scoringBreakdownSchema,
  tier: tierSchema,
  reasoning: z.string(),
  recommended_action: recommendedActionSchema,
  next_actions: z.array(z.string()),
  summary: z.string(),
  enrichment: enrichmentSchema,
  usage: providerUsageSchema,
});
export type AnalysisResult = z.infer<typeof analysisResultSchema>;

/** Per-tenant knobs the engine honours. Everything has a default so a new tenant just works. */
export const scoringWeightsSchema = z.object({
  company_fit: z.number().min(0).default(0.25),
  intent_signal: z.number().min(0).default(0.35),
  budget_indicator: z.number().min(0).default(0.2),
  urgency: z.number().min(0).default(0.2),
});

export const tenantEngineContextSchema = z.object({
  tenantId: z.string(),
  timezone: z.string().default('UTC'),
  /** Service catalogue: project types this business sells, with words that name them. */
  services: z.array(z.object({ id: z.string(), keywords: z.array(z.string()).default([]) })).default([]),
  weights: scoringWeightsSchema.default({
    company_fit: 0.25,
    intent_signal: 0.35,
    budget_indicator: 0.2,
    urgency: 0.2,
  }),
  thresholds: z.object({ hot: z.number().default(80), warm: z.number().default(50) }).default({ hot: 80, warm: 50 }),
  /** Provider chain, e.g. ["openai:gpt-4o", "anthropic:claude-3-5-haiku-latest", "rule_based"]; always ends at local. */
  chain: z.array(z.string()).default([]),
  customPrompts: z.record(z.string(), z.string()).default({}),
  customInstructions: z.string().optional(),
});
export type TenantEngineContext = z.input<typeof tenantEngineContextSchema>;
