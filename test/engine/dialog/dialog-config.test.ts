import { describe, expect, it } from 'vitest';
import { DIALOG_DEFAULTS, dialogConfigFrom } from '../../../src/domain/ai/index.js';
import { tenantConfigSchema } from '../../../src/domain/tenants/index.js';

describe('dialogConfigFrom', () => {
  it('falls back to defaults for a tenant with no chatbot configuration', () => {
    const cfg = dialogConfigFrom({ id: 'tenant_a', name: 'Acme', timezone: 'America/Denver', config: {} });
    expect(cfg).toEqual({
      tenantId: 'tenant_a',
      companyName: 'Acme',
      timezone: 'America/Denver',
      greeting: DIALOG_DEFAULTS.greeting,
      fallbackResponse: DIALOG_DEFAULTS.fallbackResponse,
      confidenceThreshold: DIALOG_DEFAULTS.confidenceThreshold,
      collectFields: ['name', 'phone', 'email', 'service', 'address', 'preferred_time'],
      services: [],
      serviceAliases: {},
      knowledge: [],
    });
  });

  it('reads chatbot settings, the knowledge base, hours, zone, branding and the service catalogue', () => {
    const config = tenantConfigSchema.parse({
      general: { timezone: 'Europe/London', address: '10 Downing St, London' },
      branding: { company_name: 'Acme Ltd' },
      chatbot: {
        default_greeting: 'Hiya!',
        fallback_response: 'Come again?',
        confidence_threshold: 0.8,
        escalation_trigger: 'refund request',
        out_of_hours_message: 'We are closed.',
        on_call_phone: ' +44 20 7946 0018 ',
        collect_fields: ['name', 'email', 'email'],
        knowledge_base: {
          faqs: [{ question: 'Do you deliver?', answer: 'Yes, nationwide.' }],
          documents: [{ title: 'Returns', content: 'Thirty days.' }],
        },
      },
      business_hours: { monday: { start: '09:00', end: '17:00' }, sunday: { closed: true } },
      ai_models: { custom_instructions: 'Be brief.' },
      services: [
        { id: 'hvac_repair', keywords: [] },
        { id: 'solar_quote', name: 'Solar quotes', keywords: [] },
      ],
    });
    const cfg = dialogConfigFrom({ id: 'tenant_b', name: 'acme', timezone: 'UTC', config });
    expect(cfg).toMatchObject({
      companyName: 'Acme Ltd',
      timezone: 'Europe/London',
      greeting: 'Hiya!',
      fallbackResponse: 'Come again?',
      confidenceThreshold: 0.8,
      escalationTrigger: 'refund request',
      outOfHoursMessage: 'We are closed.',
      onCallPhone: '+44 20 7946 0018',
      collectFields: ['name', 'email'],
      businessHours: { monday: { start: '09:00', end: '17:00' }, sunday: { closed: true } },
      customInstructions: 'Be brief.',
      services: ['HVAC', 'Solar quotes'],
      address: '10 Downing St, London',
    });
    expect(cfg.serviceAliases).toMatchObject({ hvac_repair: 'HVAC', solar_quote: 'Solar quotes' });
    expect(cfg.knowledge).toEqual([
      { id: 'faq_1', title: 'Do you deliver?', content: 'Yes, nationwide.', tags: ['faq'] },
      { id: 'doc_1', title: 'Returns', content: 'Thirty days.', tags: ['document'] },
    ]);
  });

  it('reads holidays with the hours and quotes each priced service as a knowledge entry', () => {
    const config = tenantConfigSchema.parse({
      business_hours: {
        monday: { start: '09:00', end: '17:00' },
        holidays: [{ date: '2026-12-25', name: 'Christmas' }],
      },
      services: [
        { id: 'cleaning', name: 'Teeth cleaning', price: 'from $120', keywords: [] },
        { id: 'whitening', name: 'Whitening', keywords: [] },
      ],
    });
    const cfg = dialogConfigFrom({ id: 'tenant_c', name: 'Smile', timezone: 'UTC', config });
    expect(cfg.businessHours?.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas' }]);
    expect(cfg.knowledge).toEqual([
      {
        id: 'price_cleaning',
        title: 'How much does Teeth cleaning cost? Price of Teeth cleaning',
        content: 'Teeth cleaning: from $120.',
        tags: ['price'],
      },
    ]);
    expect(tenantConfigSchema.safeParse({ business_hours: { holidays: [{ date: '25/12' }] } }).success).toBe(false);
  });

  it('rejects a malformed knowledge base in the configuration schema', () => {
    expect(tenantConfigSchema.safeParse({ chatbot: { knowledge_base: { faqs: [{ question: 'Q?' }] } } }).success).toBe(
      false,
    );
  });
});
