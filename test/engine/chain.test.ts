import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnalysisInput, AnalysisResult, TenantEngineContext } from '../../src/engine/analysis.schema.js';
import { parseChain } from '../../src/engine/chain.js';
import { createEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/engine.js';
import type { LocalEngine } from '../../src/engine/local.js';
import { scoreBreakdown } from '../../src/engine/scoring/score.js';
import { AnthropicProvider } from '../../src/providers/llm/anthropic.js';
import { GeminiProvider } from '../../src/providers/llm/gemini.js';
import type { LlmProvider } from '../../src/providers/llm/llm.js';
import { OpenAiCompatibleProvider } from '../../src/providers/llm/openai-compatible.js';
import { startAnthropicFake } from '../fakes/anthropic.fake.js';
import type { AnthropicFake } from '../fakes/anthropic.fake.js';
import { startGeminiFake } from '../fakes/gemini.fake.js';
import type { GeminiFake } from '../fakes/gemini.fake.js';
import { startOpenAiFake } from '../fakes/openai.fake.js';
import type { OpenAiFake } from '../fakes/openai.fake.js';
import { validAnalysis } from '../providers/llm/fixtures.js';
import { localFetch } from '../helpers/http.js';

const localResult: AnalysisResult = {
  intent: 'quote_request',
  intent_confidence: 0.6,
  entities: {
    emails: ['jane@acme.com'],
    phones: ['+14155550100'],
    money: [15000, 20000],
    budget_range: null,
    timeline: null,
    dates: ['2026-12-01'],
    team_size: null,
    square_footage: 2000,
    project_type: null,
    person_name: 'Jane Doe',
    address: null,
  },
  sentiment: 'positive',
  sentiment_score: 0.4,
  score: 55,
  scoring_breakdown: { company_fit: 0.5, intent_signal: 0.6, budget_indicator: 0.5, urgency: 0.5 },
  tier: 'WARM',
  reasoning: 'Rule-based: quote request with a budget.',
  recommended_action: 'add_to_nurture',
  next_actions: ['Follow up'],
  summary: 'Quote request.',
  enrichment: {
    domain: 'acme.com',
    free_mail: false,
    company_name: 'Acme',
    company_size: null,
    industry: null,
    estimated_revenue: null,
    linkedin_url: null,
    location: null,
    country: 'US',
    source: 'local',
  },
  usage: {
    provider: 'local',
    model: 'rule_based',
    latency_ms: 2,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
    fallbacks: [],
  },
};

/** Stand-in for the local engine: a fixed answer, and a count of calls. */
function standInLocal(): LocalEngine & { calls: number } {
  return {
    calls: 0,
    analyze() {
      this.calls += 1;
      return Promise.resolve(structuredClone(localResult));
    },
  };
}

const lead: AnalysisInput = {
  kind: 'lead',
  text: 'Need a new roof on a 2,000 sq ft house, budget 15-20k, asap.',
  email: 'jane@acme.com',
  name: 'Jane Doe',
};

function tenant(overrides: Partial<TenantEngineContext> = {}): TenantEngineContext {
  return { tenantId: 'acme', ...overrides };
}

describe('engine provider chain', () => {
  let openai: OpenAiFake;
  let anthropic: AnthropicFake;
  let gemini: GeminiFake;
  let providers: Record<string, LlmProvider>;
  let local: ReturnType<typeof standInLocal>;
  let engine: Engine;
  let clock: number;

  beforeAll(async () => {
    [openai, anthropic, gemini] = await Promise.all([startOpenAiFake(), startAnthropicFake(), startGeminiFake()]);
    providers = {
      openai: new OpenAiCompatibleProvider({ apiKey: 'sk-test', baseUrl: openai.baseUrl, fetch: localFetch }),
      anthropic: new AnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: anthropic.url, fetch: localFetch }),
      gemini: new GeminiProvider({ apiKey: 'AIza-test', baseUrl: gemini.url, fetch: localFetch }),
    };
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
  });
  beforeEach(() => {
    for (const fake of [openai, anthropic, gemini]) fake.requests.length = 0;
    local = standInLocal();
    clock = Date.parse('2026-11-23T10:00:00Z');
    // Every reading of the clock advances it 25 ms, so one provider call measures exactly 25 ms.
    engine = createEngine({ local, providers, now: () => new Date((clock += 25)), timeoutMs: 300 });
  });

  it('returns the local result untouched when the chain names no LLM', async () => {
    const result = await engine.analyze(lead, tenant());

    expect(result).toEqual(localResult);
    expect(local.calls).toBe(1);
    expect(openai.requests).toHaveLength(0);
  });

  it('runs the local engine first even when an LLM answers', async () => {
    openai.reply({ kind: 'valid', output: validAnalysis });
    await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o'] }));

    expect(local.calls).toBe(1);
  });

  it('moves past an invalid OpenAI answer to a valid Anthropic one and says so in usage', async () => {
    openai.reply({ kind: 'malformed' });
    anthropic.reply({ kind: 'valid', output: validAnalysis, model: 'claude-3-5-haiku-20241022' });
    const result = await engine.analyze(
      lead,
      tenant({ chain: ['openai:gpt-4o', 'anthropic:claude-3-5-haiku-latest', 'rule_based'] }),
    );

    expect(result.usage).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022' });
    expect(result.usage.fallbacks).toEqual([
      { provider: 'openai', model: 'gpt-4o', error: expect.stringMatching(/^invalid_output: the answer is not JSON/) },
    ]);
    expect(result.intent).toBe('pricing_inquiry');
    expect(result.reasoning).toBe(validAnalysis.reasoning);
  });

  it('treats an answer that breaks the schema like any other failure', async () => {
    openai.reply({ kind: 'schema_violation' });
    gemini.reply({ kind: 'valid', output: validAnalysis });
    const result = await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o', 'gemini:gemini-2.5-flash'] }));

    expect(result.usage.provider).toBe('gemini');
    expect(result.usage.fallbacks[0]?.error).toMatch(/^invalid_output: the answer does not match the schema/);
  });

  it('falls back to the local result when every provider fails, listing each failure', async () => {
    openai.reply({ kind: 'rate_limited' });
    anthropic.reply({ kind: 'hang' });
    gemini.reply({ kind: 'server_error' });
    const chain = ['openai:gpt-4o', 'anthropic:claude-3-5-haiku-latest', 'gemini:gemini-2.5-flash', 'rule_based'];
    const result = await engine.analyze(lead, tenant({ chain }));

    expect({ ...result, usage: { ...result.usage, fallbacks: [] } }).toEqual(localResult);
    expect(result.usage.fallbacks).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o',
        error: expect.stringMatching(/^rate_limited \(HTTP 429\): Rate limit reached/),
      },
      { provider: 'anthropic', model: 'claude-3-5-haiku-latest', error: expect.stringMatching(/^timeout: /) },
      {
        provider: 'gemini',
        model: 'gemini-2.5-flash',
        error: expect.stringMatching(/^http \(HTTP 500\): An internal error/),
      },
    ]);
  });

  it('answers locally when the chain does not end at the local engine and nothing else works', async () => {
    openai.reply({ kind: 'server_error' });
    const result = await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o'] }));

    expect(result.usage.provider).toBe('local');
    expect(result.usage.fallbacks).toHaveLength(1);
  });

  it('records an unknown or unconfigured provider as a fallback and carries on', async () => {
    gemini.reply({ kind: 'valid', output: validAnalysis });
    const result = await engine.analyze(
      lead,
      tenant({ chain: ['mistral:mistral-large-latest', 'best-model', 'gemini:gemini-2.5-flash'] }),
    );

    expect(result.usage.provider).toBe('gemini');
    expect(result.usage.fallbacks).toEqual([
      { provider: 'mistral', model: 'mistral-large-latest', error: 'provider "mistral" is not configured' },
      { provider: 'best-model', model: '', error: expect.stringContaining('names no provider') },
    ]);
  });

  it('stops at rule_based wherever it stands in the chain', async () => {
    const result = await engine.analyze(lead, tenant({ chain: ['rule_based', 'openai:gpt-4o'] }));

    expect(result).toEqual(localResult);
    expect(openai.requests).toHaveLength(0);
  });

  it('records an adapter that throws something unexpected and moves on', async () => {
    const broken: LlmProvider = { name: 'broken', complete: () => Promise.reject(new TypeError('boom')) };
    const withBroken = createEngine({ local, providers: { ...providers, broken } });
    gemini.reply({ kind: 'valid', output: validAnalysis });
    const result = await withBroken.analyze(lead, tenant({ chain: ['broken:v1', 'gemini:gemini-2.5-flash'] }));

    expect(result.usage.provider).toBe('gemini');
    expect(result.usage.fallbacks).toEqual([{ provider: 'broken', model: 'v1', error: 'boom' }]);
  });

  it('gives up on a provider that ignores its own timeout', async () => {
    const stuck: LlmProvider = { name: 'stuck', complete: () => new Promise(() => undefined) };
    const withStuck = createEngine({ local, providers: { stuck }, timeoutMs: 50 });
    const result = await withStuck.analyze(lead, tenant({ chain: ['stuck:v1'] }));

    expect(result.usage.provider).toBe('local');
    expect(result.usage.fallbacks[0]?.error).toMatch(/^timeout: /);
  });

  it("puts the tenant's instructions and custom prompts in the system prompt, ahead of the output contract", async () => {
    openai.reply({ kind: 'valid', output: validAnalysis });
    await engine.analyze(
      lead,
      tenant({
        chain: ['openai:gpt-4o'],
        customInstructions: 'You work for Acme Roofing.',
        customPrompts: {
          lead_scoring: 'Roof replacements over 10k are hot.',
          intent_detection: 'Storm damage means urgent repair.',
        },
      }),
    );

    const body = openai.requests[0]?.body as {
      messages: Array<{ role: string; content: string }>;
      response_format: { json_schema: { name: string } };
    };
    const system = body.messages[0]?.content ?? '';
    expect(body.messages[0]?.role).toBe('system');
    const order = [
      'You work for Acme Roofing.',
      'Roof replacements over 10k are hot.',
      'Storm damage means urgent repair.',
      'JSON Schema',
    ].map((s) => system.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(system).toContain('"scoring_breakdown"');
    expect(body.messages[1]?.content).toContain('Need a new roof');
    expect(body.response_format.json_schema.name).toBe('lead_analysis');
  });

  it('leaves the lead scoring prompt out when analysing a chat message', async () => {
    openai.reply({ kind: 'valid', output: validAnalysis });
    await engine.analyze(
      { kind: 'message', text: 'Do you fix gutters?' },
      tenant({
        chain: ['openai:gpt-4o'],
        customPrompts: {
          lead_scoring: 'Roof replacements over 10k are hot.',
          intent_detection: 'Storm damage means urgent repair.',
        },
      }),
    );

    const system = (openai.requests[0]?.body as { messages: Array<{ content: string }> }).messages[0]?.content;
    expect(system).not.toContain('Roof replacements over 10k are hot.');
    expect(system).toContain('Storm damage means urgent repair.');
  });

  it("scores the model's breakdown with the tenant's weights and thresholds", async () => {
    openai.reply({ kind: 'valid', output: validAnalysis });
    const weights = { company_fit: 0.1, intent_signal: 0.1, budget_indicator: 0.1, urgency: 0.7 };
    const thresholds = { hot: 70, warm: 40 };
    const result = await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o'], weights, thresholds }));

    const expected = scoreBreakdown(validAnalysis.scoring_breakdown, weights, thresholds);
    expect(result.scoring_breakdown).toEqual(validAnalysis.scoring_breakdown);
    expect({ score: result.score, tier: result.tier, recommended_action: result.recommended_action }).toEqual(expected);
    // 100 × (0.1·0.8 + 0.1·0.9 + 0.1·0.6 + 0.7·0.7) = 72, at or above this tenant's HOT line of 70.
    expect(expected).toEqual({ score: 72, tier: 'HOT', recommended_action: 'route_to_ae' });
  });

  it('computes cost from the tokens the provider reports, priced by the model that answered', async () => {
    openai.reply({
      kind: 'valid',
      output: validAnalysis,
      usage: { input: 1_000, output: 500 },
      model: 'gpt-4o-2024-08-06',
    });
    const result = await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o'] }));

    // gpt-4o: $2.50 per 1M input tokens, $10 per 1M output tokens.
    expect(result.usage).toEqual({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      latency_ms: 25,
      input_tokens: 1_000,
      output_tokens: 500,
      cost_usd: 0.0075,
      fallbacks: [],
    });
  });

  it('uses a price table passed to the engine over the defaults', async () => {
    openai.reply({ kind: 'valid', output: validAnalysis, usage: { input: 1_000_000, output: 0 } });
    const priced = createEngine({ local, providers, prices: { 'gpt-4o': { input: 1, output: 1 } } });
    const result = await priced.analyze(lead, tenant({ chain: ['openai:gpt-4o'] }));

    expect(result.usage.cost_usd).toBe(1);
  });

  it("overlays the model's entities on the local ones and keeps the local enrichment", async () => {
    openai.reply({
      kind: 'valid',
      output: { ...validAnalysis, entities: { ...validAnalysis.entities, emails: [], person_name: null } },
    });
    const result = await engine.analyze(lead, tenant({ chain: ['openai:gpt-4o'] }));

    expect(result.entities).toEqual({
      ...localResult.entities,
      budget_range: { min: 15000, max: 20000 },
      timeline: 'immediate',
      project_type: 'roofing',
    });
    expect(result.enrichment).toEqual(localResult.enrichment);
    expect(result.sentiment).toBe('positive');
    expect(result.sentiment_score).toBe(localResult.sentiment_score);
  });
});

describe('parseChain', () => {
  it('reads provider:model steps, splitting at the first colon so model tags survive', () => {
    expect(parseChain(['ollama:llama3.1:8b'])).toEqual([
      { kind: 'llm', provider: 'ollama', model: 'llama3.1:8b' },
      { kind: 'local' },
    ]);
  });

  it('names the vendor of a bare model id by its prefix', () => {
    expect(
      parseChain(['gemini-2.5-flash', 'claude-3-sonnet', 'gpt-4-turbo'])
        .slice(0, 3)
        .map((s) => s.kind === 'llm' && s.provider),
    ).toEqual(['gemini', 'anthropic', 'openai']);
  });

  it('ends every chain at the local engine and ignores what follows it', () => {
    expect(parseChain([])).toEqual([{ kind: 'local' }]);
    expect(parseChain(['anthropic:claude-3-sonnet', 'rule_based', 'openai:gpt-4o'])).toEqual([
      { kind: 'llm', provider: 'anthropic', model: 'claude-3-sonnet' },
      { kind: 'local' },
    ]);
  });
});
