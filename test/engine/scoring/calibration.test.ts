import { describe, expect, it } from 'vitest';
import { spreadScore } from '../../../src/engine/scoring/breakdown.js';
import { calibratedScore } from '../../../src/engine/scoring/calibration.js';
import { scoreBreakdown } from '../../../src/engine/scoring/score.js';

const cuts: [number, number] = [0, 3];
const defaults = { company_fit: 0.25, intent_signal: 0.35, budget_indicator: 0.2, urgency: 0.2 };

describe('calibratedScore', () => {
  it("puts the model's cut points on spec E's boundaries", () => {
    expect(calibratedScore(-0.0001, cuts)).toBe(49);
    expect(calibratedScore(0, cuts)).toBe(50);
    expect(calibratedScore(2.9999, cuts)).toBe(79);
    expect(calibratedScore(3, cuts)).toBe(80);
  });

  it('rises with z and stays within 0 to 100', () => {
    const scores = [-20, -2, 0, 1, 2, 3, 5, 20].map((z) => calibratedScore(z, cuts));
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThanOrEqual(100);
  });
});

describe('spreadScore', () => {
  const evidence = { company_fit: 0.5, intent_signal: 2, budget_indicator: -1, urgency: 0 };

  it('gives a breakdown whose default-weighted mean is the score', () => {
    for (const score of [0, 12, 49, 50, 64, 79, 80, 97, 100]) {
      const breakdown = spreadScore(score, evidence, defaults);
      expect(scoreBreakdown(breakdown, defaults, { hot: 80, warm: 50 }).score).toBe(score);
    }
  });

  it('puts each component above or below the score by its own evidence', () => {
    const breakdown = spreadScore(60, evidence, defaults);
    expect(breakdown.intent_signal).toBeGreaterThan(0.6);
    expect(breakdown.budget_indicator).toBeLessThan(0.6);
  });
});
