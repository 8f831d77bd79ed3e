import { describe, expect, it } from 'vitest';
import { stepCost, stepPricesSchema } from '../../../src/domain/calls/index.js';

const prices = stepPricesSchema.parse({
  per_step: { crm_integration: 0.001 },
  per_second: 0.0001,
  storage_per_gb: 0.023,
  stt_per_minute: { deepgram: 0.0043, 'openai:whisper-large-v3': 0 },
  llm_per_million_tokens: { 'gpt-4o-mini': { input: 0.1, output: 0.4 }, 'ollama:llama3.1': { input: 0, output: 0 } },
});

describe('stepCost', () => {
  it('keeps the vendor’s list price when the table does not name the provider or model', () => {
    expect(
      stepCost(prices, {
        step: 'speech_to_text',
        vendorCostUsd: 0.018,
        usage: { kind: 'audio', provider: 'openai', model: 'whisper-1', seconds: 180 },
        durationMs: 0,
      }),
    ).toBe(0.018);
  });

  it('replaces the vendor price by the table’s per-minute and per-token prices, model-specific first', () => {
    expect(
      stepCost(prices, {
        step: 'speech_to_text',
        vendorCostUsd: 1,
        usage: { kind: 'audio', provider: 'deepgram', model: 'nova-3', seconds: 120 },
        durationMs: 0,
      }),
    ).toBe(0.0086);
    expect(
      stepCost(prices, {
        step: 'speech_to_text',
        vendorCostUsd: 1,
        usage: { kind: 'audio', provider: 'openai', model: 'whisper-large-v3', seconds: 120 },
        durationMs: 0,
      }),
    ).toBe(0);
    expect(
      stepCost(prices, {
        step: 'ai_analysis',
        vendorCostUsd: 1,
        usage: { kind: 'tokens', provider: 'openai', model: 'gpt-4o-mini', inputTokens: 2_000, outputTokens: 500 },
        durationMs: 0,
      }),
    ).toBe(0.0004);
    expect(
      stepCost(prices, {
        step: 'ai_analysis',
        vendorCostUsd: 1,
        usage: { kind: 'tokens', provider: 'ollama', model: 'llama3.1', inputTokens: 2_000, outputTokens: 500 },
        durationMs: 0,
      }),
    ).toBe(0);
  });

  it('adds storage per GB, a per-run price and compute per second', () => {
    expect(
      stepCost(prices, {
        step: 'audio_download',
        vendorCostUsd: 0,
        usage: { kind: 'storage', bytes: 2e9 },
        durationMs: 0,
      }),
    ).toBe(0.046);
    expect(stepCost(prices, { step: 'crm_integration', vendorCostUsd: 0, durationMs: 1_500 })).toBe(0.00115);
  });
});
