import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createAiModule, type TenantAiService } from '../../../src/domain/ai/index.js';
import { createLocalEngine, type LocalEngine } from '../../../src/engine/local.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: null, mode: 'live' };
const lead = {
  kind: 'lead',
  text: 'We need a new roof before winter, budget around $20k, can someone call me this week?',
  email: 'pat@lakeside.dev',
  company: 'Lakeside',
} as const;

// Trained once for the file: training takes most of a second.
let local: Promise<LocalEngine> | undefined;

describe.each(dialects)('ai module on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let ai: TenantAiService;
  /** Every vendor call the engine made, by URL; the vendor answers 503 to each. */
  const calls: string[] = [];
  let n = 0;

  const newTenant = async (configuration: Record<string, unknown>) => {
    n += 1;
    const id = `ai${n}-${dialect}`;
    await s.tenants.create(admin, { name: `AI ${n}`, tenant_id: id, timezone: 'Europe/Paris', configuration });
    return id;
  };

  beforeAll(async () => {
    if (skip) return;
    s = await openTenantServices(dialect);
    ai = createAiModule({
      local: () => (local ??= createLocalEngine()),
      tenants: s.tenants,
      fetch: (input) => {
        calls.push(String(input instanceof Request ? input.url : input));
        return Promise.resolve(new Response('{"error":{"message":"overloaded"}}', { status: 503 }));
      },
    }).tenantAi;
  });
  afterAll(async () => {
    if (skip) return;
    await s.close();
  });

  it.skipIf(skip)('analyses with the local engine alone for a tenant with no AI configured', async () => {
    const tenantId = await newTenant({});
    const { engine, ctx } = await ai.forTenant(tenantId);
    expect(ctx).toMatchObject({ tenantId, timezone: 'Europe/Paris', chain: [], thresholds: { hot: 80, warm: 50 } });
    const before = calls.length;
    const analysis = await engine.analyze(lead, ctx);
    expect(analysis.usage).toMatchObject({ provider: 'local', fallbacks: [] });
    expect(calls.length).toBe(before);
    expect(await ai.phraserFor(tenantId)).toBeUndefined();
  });

  it.skipIf(skip)('falls back to the local engine when the tenant’s LLM vendor fails', async () => {
    const tenantId = await newTenant({
      ai_models: {
        primary_provider: 'openai',
        primary_model: 'gpt-4o-mini',
        providers: { openai: { api_key: 'sk-test-not-real' } },
      },
    });
    const { engine, ctx } = await ai.forTenant(tenantId);
    expect(ctx.chain).toEqual(['openai:gpt-4o-mini']);
    const before = calls.length;
    const analysis = await engine.analyze(lead, ctx);
    expect(calls.length).toBeGreaterThan(before);
    expect(calls.at(-1)).toMatch(/^https:\/\/api\.openai\.com\//);
    expect(analysis.usage.provider).toBe('local');
    expect(analysis.usage.fallbacks).toEqual([expect.objectContaining({ provider: 'openai', model: 'gpt-4o-mini' })]);
    expect(analysis.score).toEqual(expect.any(Number));
    expect(await ai.phraserFor(tenantId)).toEqual(expect.any(Function));
  });

  it.skipIf(skip)('reads the tenant’s scoring weights and thresholds into the engine context', async () => {
    const tenantId = await newTenant({
      scoring: { weights: { company_fit: 0.5 }, thresholds: { hot: 90 } },
      ai_models: { fallback_chain: ['anthropic:claude-3-5-haiku'] },
    });
    const { ctx } = await ai.forTenant(tenantId);
    expect(ctx.weights).toEqual({ company_fit: 0.5, intent_signal: 0.35, budget_indicator: 0.2, urgency: 0.2 });
    expect(ctx.thresholds).toEqual({ hot: 90, warm: 50 });
    expect(ctx.chain).toEqual(['anthropic:claude-3-5-haiku']);
  });

  it.skipIf(skip)('builds each tenant’s engine from its own configuration only', async () => {
    const withLlm = await newTenant({
      ai_models: { primary_provider: 'openai', providers: { openai: { api_key: 'sk-test-not-real' } } },
    });
    const plain = await newTenant({});
    expect((await ai.forTenant(withLlm)).ctx.chain).toEqual(['openai']);
    expect((await ai.forTenant(plain)).ctx.chain).toEqual([]);
    await expect(ai.forTenant(`missing-${dialect}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
