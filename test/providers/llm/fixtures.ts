import { z } from 'zod';
import { llmAnalysisSchema } from '../../../src/engine/analysis.schema.js';
import type { LlmAnalysis } from '../../../src/engine/analysis.schema.js';
import type { LlmRequest } from '../../../src/providers/llm/llm.js';

/** A model answer that satisfies `llmAnalysisSchema`. */
export const validAnalysis: LlmAnalysis = {
  intent: 'pricing_inquiry',
  intent_confidence: 0.9,
  sentiment: 'positive',
  scoring_breakdown: { company_fit: 0.8, intent_signal: 0.9, budget_indicator: 0.6, urgency: 0.7 },
  reasoning: 'Asked for a quote on a 2,000 sq ft roof replacement this month with a stated budget.',
  next_actions: ['Call back today', 'Send a quote'],
  summary: 'Homeowner wants a roof replacement quote this month.',
  entities: { budget_range: { min: 15000, max: 20000 }, timeline: 'immediate', project_type: 'roofing' },
};

export function analysisRequest(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    model: 'test-model',
    system: 'You qualify inbound sales leads. Reply with JSON.',
    messages: [{ role: 'user', content: '<input>\nText:\nNeed a new roof, budget 15-20k, asap\n</input>' }],
    responseSchema: { name: 'lead_analysis', schema: z.toJSONSchema(llmAnalysisSchema) },
    temperature: 0.1,
    maxTokens: 512,
    timeoutMs: 5_000,
    ...overrides,
  };
}
