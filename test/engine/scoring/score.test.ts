import { describe, expect, it } from 'vitest';
import { scoreBreakdown, tierForScore } from '../../../src/engine/scoring/score.js';

const equal = { company_fit: 0.25, intent_signal: 0.25, budget_indicator: 0.25, urgency: 0.25 };
const defaults = { company_fit: 0.25, intent_signal: 0.35, budget_indicator: 0.2, urgency: 0.2 };
const thresholds = { hot: 80, warm: 50 };

function flat(value: number) {
  return { company_fit: value, intent_signal: value, budget_indicator: value, urgency: value };
}

describe('scoreBreakdown', () => {
  it('scores the weighted mean of the four components out of 100', () => {
    const outcome = scoreBreakdown(
      { company_fit: 0.92, intent_signal: 0.85, budget_indicator: 0.78, urgency: 0.7 },
      defaults,
      thresholds,
    );
    // 100 × (0.23 + 0.2975 + 0.156 + 0.14) = 82.35
    expect(outcome).toEqual({ score: 82, tier: 'HOT', recommended_action: 'route_to_ae' });
  });

  it('normalises by the sum of the weights, so weights need not add up to one', () => {
    const doubled = { company_fit: 0.5, intent_signal: 0.7, budget_indicator: 0.4, urgency: 0.4 };
    const breakdown = { company_fit: 0.9, intent_signal: 0.4, budget_indicator: 0.6, urgency: 0.2 };
    expect(scoreBreakdown(breakdown, doubled, thresholds).score).toBe(
      scoreBreakdown(breakdown, defaults, thresholds).score,
    );
  });

  it('lets a tenant weight one component over the others', () => {
    const breakdown = { company_fit: 1, intent_signal: 0.2, budget_indicator: 0.2, urgency: 0.2 };
    const fitOnly = { company_fit: 1, intent_signal: 0, budget_indicator: 0, urgency: 0 };
    expect(scoreBreakdown(breakdown, fitOnly, thresholds)).toMatchObject({ score: 100, tier: 'HOT' });
    expect(scoreBreakdown(breakdown, equal, thresholds)).toMatchObject({ score: 40, tier: 'COLD' });
  });

  it('counts components equally when every weight is zero', () => {
    const zero = { company_fit: 0, intent_signal: 0, budget_indicator: 0, urgency: 0 };
    expect(
      scoreBreakdown({ company_fit: 1, intent_signal: 0, budget_indicator: 1, urgency: 0 }, zero, thresholds).score,
    ).toBe(50);
  });

  it('clamps components outside [0, 1] so an LLM cannot push the score past 100', () => {
    expect(
      scoreBreakdown({ company_fit: 3, intent_signal: 2, budget_indicator: 1, urgency: 1 }, defaults, thresholds).score,
    ).toBe(100);
    expect(
      scoreBreakdown({ company_fit: -1, intent_signal: 0, budget_indicator: 0, urgency: 0 }, defaults, thresholds)
        .score,
    ).toBe(0);
  });

  it.each([
    [0.49, 49, 'COLD', 'add_to_marketing_automation'],
    [0.5, 50, 'WARM', 'add_to_nurture'],
    [0.79, 79, 'WARM', 'add_to_nurture'],
    [0.8, 80, 'HOT', 'route_to_ae'],
  ] as const)('puts an all-%s breakdown at %s, %s, %s', (value, score, tier, action) => {
    expect(scoreBreakdown(flat(value), equal, thresholds)).toEqual({ score, tier, recommended_action: action });
  });

  it("follows the tenant's thresholds", () => {
    expect(scoreBreakdown(flat(0.75), equal, { hot: 70, warm: 40 }).tier).toBe('HOT');
    expect(scoreBreakdown(flat(0.75), equal, { hot: 90, warm: 76 }).tier).toBe('COLD');
  });
});

describe('tierForScore', () => {
  it('applies the boundaries inclusively from below', () => {
    expect([0, 49, 50, 79, 80, 100].map((s) => tierForScore(s, thresholds))).toEqual([
      'COLD',
      'COLD',
      'WARM',
      'WARM',
      'HOT',
      'HOT',
    ]);
  });
});
