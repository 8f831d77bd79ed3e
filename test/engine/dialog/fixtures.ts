import type { AnalysisResult, Entities } from '../../../src/engine/analysis.schema.js';
import type { DialogConfig } from '../../../src/engine/dialog/dialog.js';

/** A dialog configuration like a home-services tenant's, open Monday–Friday 9–5 in New York. */
export function dialogConfig(overrides: Partial<DialogConfig> = {}): DialogConfig {
  return {
    tenantId: 'tenant_test',
    companyName: 'Summit Home Pros',
    timezone: 'America/New_York',
    greeting: 'Hello! How can I help you today?',
    fallbackResponse: "I'm sorry, I didn't understand. Could you please rephrase?",
    confidenceThreshold: 0.6,
    collectFields: ['name', 'phone', 'email', 'service', 'address', 'preferred_time'],
    businessHours: {
      monday: { start: '09:00', end: '17:00' },
      tuesday: { start: '09:00', end: '17:00' },
      wednesday: { start: '09:00', end: '17:00' },
      thursday: { start: '09:00', end: '17:00' },
      friday: { start: '09:00', end: '17:00' },
    },
    services: ['Kitchen remodeling', 'Roofing', 'Plumbing', 'Heating & cooling'],
    serviceAliases: {
      kitchen_remodel: 'Kitchen remodeling',
      roofing: 'Roofing',
      plumbing: 'Plumbing',
      hvac_repair: 'Heating & cooling',
    },
    knowledge: [
      { id: 'faq_1', title: 'Do you offer financing?', content: 'Yes, through GreenSky with 12 months same-as-cash.' },
    ],
    ...overrides,
  };
}

/** An engine analysis with only what a test sets; the rest neutral. */
export function analysis(
  overrides: Omit<Partial<AnalysisResult>, 'entities'> & { entities?: Partial<Entities> } = {},
): AnalysisResult {
  const { entities, ...rest } = overrides;
  return {
    intent: 'unknown',
    intent_confidence: 0,
    entities: {
      emails: [],
      phones: [],
      money: [],
      budget_range: null,
      timeline: null,
      dates: [],
      team_size: null,
      square_footage: null,
      project_type: null,
      person_name: null,
      address: null,
      ...entities,
    },
    sentiment: 'neutral',
    sentiment_score: 0,
    score: 0,
    scoring_breakdown: { company_fit: 0, intent_signal: 0, budget_indicator: 0, urgency: 0 },
    tier: 'COLD',
    reasoning: '',
    recommended_action: 'add_to_nurture',
    next_actions: [],
    summary: '',
    enrichment: {
      domain: null,
      free_mail: false,
      company_name: null,
      company_size: null,
      industry: null,
      estimated_revenue: null,
      linkedin_url: null,
      location: null,
      country: null,
      source: 'none',
    },
    usage: {
      provider: 'local',
      model: 'test',
      latency_ms: 0,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      fallbacks: [],
    },
    ...rest,
  };
}
