import { describe, expect, it } from 'vitest';
import { costUsd, priceOf } from '../../../src/providers/llm/pricing.js';

describe('pricing', () => {
  it('prices a call from its token counts in USD per million tokens', () => {
    // gpt-4o: $2.50 in, $10 out per 1M tokens.
    expect(costUsd('gpt-4o', 1_000, 500)).toBeCloseTo(0.0075, 10);
  });

  it('prices dated ids and aliases by their longest matching model prefix', () => {
    expect(priceOf('gpt-4o-2024-08-06')).toEqual(priceOf('gpt-4o'));
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual(priceOf('gpt-4o-mini'));
    expect(priceOf('claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
    expect(priceOf('models/gemini-2.5-flash')).toEqual({ input: 0.3, output: 2.5 });
  });

  it('does not price one model by another that merely shares its first letters', () => {
    expect(priceOf('gpt-4o-realtime')).toEqual(priceOf('gpt-4o'));
    expect(priceOf('gpt-4ox')).toBeUndefined();
  });

  it('charges nothing for a model it does not know, such as a self-hosted one', () => {
    expect(costUsd('llama3.1:8b', 10_000, 10_000)).toBe(0);
  });

  it('takes a deployment price table in place of the defaults', () => {
    expect(costUsd('my-finetune', 1_000_000, 1_000_000, { 'my-finetune': { input: 1, output: 2 } })).toBe(3);
  });
});
