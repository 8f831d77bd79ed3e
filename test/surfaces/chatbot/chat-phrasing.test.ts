import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { startOpenAiFake, type OpenAiFake } from '../../fakes/openai.fake.js';

/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const analysis = {
  intent: 'general_inquiry',
  intent_confidence: 0.9,
  sentiment: 'neutral',
  scoring_breakdown: { company_fit: 0.3, intent_signal: 0.3, budget_indicator: 0.1, urgency: 0.1 },
  reasoning: 'Asks for opening hours.',
  next_actions: [],
  summary: 'Asks when the shop opens.',
  entities: {},
};

describe('chat replies phrased by the tenant’s LLM chain', () => {
  let t: TestApp;
  let llm: OpenAiFake;
  beforeAll(async () => {
    t = await startTestApp();
    llm = await startOpenAiFake();
  });
  afterAll(async () => {
    await t.close();
    await llm.close();
  });

  const tenantWithLlm = () =>
    t.createTenant({
      plan: 'enterprise',
      configuration: {
        business_hours: { monday: { start: '09:00', end: '17:00' } },
        ai_models: {
          primary_provider: 'openai',
          primary_model: 'gpt-4o-mini',
          custom_instructions: 'Speak like a friendly florist.',
          providers: { openai: { api_key: 'sk-test', base_url: llm.baseUrl } },
        },
      },
    });
  const ask = async (tenantId: string, apiKey: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: { authorization: `Bearer ${apiKey}`, 'x-tenant-id': tenantId },
      payload: {
        message_id: `m_${Date.now()}_${Math.random()}`,
        user_id: 'visitor_9',
        channel: 'web',
        content: { type: 'text', text: 'What are your opening hours?' },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Body>().data;
  };

  it('sends the drafted reply with the tenant’s instructions to the model and answers with its wording', async () => {
    const tenant = await tenantWithLlm();
    llm.requests.length = 0;
    llm.reply(
      { kind: 'valid', model: 'gpt-4o-mini', output: analysis },
      {
        kind: 'valid',
        model: 'gpt-4o-mini',
        output: { reply: 'We’re open Mondays from 9 to 5, come smell the roses!' },
      },
    );
    const data = await ask(tenant.id, tenant.apiKey);
    expect(data.response.text).toBe('We’re open Mondays from 9 to 5, come smell the roses!');
    const phrasing = JSON.stringify(llm.requests[1]?.body);
    expect(phrasing).toContain('Speak like a friendly florist.');
    expect(phrasing).toContain('Draft reply:');
    expect(phrasing).toContain('What are your opening hours?');
  });

  it('keeps the drafted reply when the model fails, so the customer is still answered', async () => {
    const tenant = await tenantWithLlm();
    llm.requests.length = 0;
    llm.reply({ kind: 'valid', model: 'gpt-4o-mini', output: analysis }, { kind: 'server_error' });
    const data = await ask(tenant.id, tenant.apiKey);
    expect(data.response.text).toMatch(/9:00 AM/);
    expect(llm.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('does not call any model for a tenant on the local engine alone', async () => {
    const tenant = await t.createTenant({
      plan: 'enterprise',
      configuration: { business_hours: { monday: { start: '09:00', end: '17:00' } } },
    });
    llm.requests.length = 0;
    const data = await ask(tenant.id, tenant.apiKey);
    expect(data.response.text).toMatch(/9:00 AM/);
    expect(llm.requests).toHaveLength(0);
  });
});
