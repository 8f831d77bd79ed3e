import { describe, expect, it } from 'vitest';
import { blendAnalysis } from '../../../src/domain/conversion/blend.js';
import type { LeadOutcome, Performance } from '../../../src/domain/conversion/conversion.records.js';
import { auc, brier, figuresOf, reliability } from '../../../src/domain/conversion/evaluate.js';
import { featureNames, featureVector, labelOf, vocabularyOf } from '../../../src/domain/conversion/features.js';
import { isHeldOut, shortfallMessage, trainConversion } from '../../../src/domain/conversion/train.js';
import { predictProbability, trainLogistic } from '../../../src/engine/scoring/ordinal.js';
import { analysis } from '../../engine/dialog/fixtures.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

function lead(overrides: Partial<LeadOutcome> = {}): LeadOutcome {
  return {
    id: 'lead_1',
    source: 'api',
    niche: null,
    city: null,
    status: 'new',
    wonAt: null,
    createdAt: NOW.toISOString(),
    analysis: analysis({ score: 50 }),
    booked: false,
    conversations: 0,
    messages: 0,
    calls: 0,
    ...overrides,
  };
}

/** Leads whose niche alone decides: every solar lead won, every roofing, HVAC or plumbing one lost. */
function separable(n: number): LeadOutcome[] {
  return Array.from({ length: n }, (_, i) =>
    lead({
      id: `lead_${i}`,
      niche: i % 3 === 0 ? 'solar' : (['roofing', 'hvac', 'plumbing'][Math.floor(i / 3) % 3] ?? 'hvac'),
      city: i % 2 === 0 ? 'Austin' : 'Reno',
      status: i % 3 === 0 ? 'won' : 'lost',
      analysis: analysis({ score: 30 + ((i * 37) % 60) }),
      createdAt: new Date(NOW.getTime() - ((i * 7) % 24) * 3_600_000).toISOString(),
    }),
  );
}

describe('the outcome rule', () => {
  it('counts a won lead and a booked one as converted', () => {
    expect(labelOf(lead({ status: 'won', wonAt: NOW.toISOString() }), NOW)).toBe(1);
    expect(labelOf(lead({ booked: true }), NOW)).toBe(1);
    // A booking outweighs a lost sales status: the customer came.
    expect(labelOf(lead({ status: 'lost', booked: true }), NOW)).toBe(1);
  });

  it('counts a lost lead, and an open one past 30 days, as not converted, and leaves a recent open one out', () => {
    expect(labelOf(lead({ status: 'lost' }), NOW)).toBe(0);
    expect(labelOf(lead({ createdAt: new Date(NOW.getTime() - 31 * DAY_MS).toISOString() }), NOW)).toBe(0);
    expect(labelOf(lead({ createdAt: new Date(NOW.getTime() - 29 * DAY_MS).toISOString() }), NOW)).toBeUndefined();
  });
});

describe('the features', () => {
  it('one-hots only values five training leads share, and lines the vector up with the names', () => {
    const leads = [
      ...Array.from({ length: 5 }, (_, i) => lead({ id: `a${i}`, niche: 'Solar ' })),
      ...Array.from({ length: 4 }, (_, i) => lead({ id: `b${i}`, niche: 'hvac' })),
    ];
    const vocabulary = vocabularyOf(leads);
    expect(vocabulary.niche).toEqual(['solar']);
    const names = featureNames(vocabulary);
    const vector = featureVector(vocabulary, lead({ niche: 'SOLAR', messages: 0, analysis: analysis({ score: 80 }) }));
    expect(vector).toHaveLength(names.length);
    expect(vector[names.indexOf('niche=solar')]).toBe(1);
    expect(vector[names.indexOf('rules.score')]).toBe(0.8);
    expect(featureVector(vocabulary, lead({ niche: 'hvac' }))[names.indexOf('niche=solar')]).toBe(0);
  });
});

describe('the held-out split', () => {
  it('puts a lead on the same side every time, about 30% held out', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `lead_${i}`);
    const held = ids.filter(isHeldOut);
    expect(ids.filter(isHeldOut)).toEqual(held);
    expect(held.length / ids.length).toBeGreaterThan(0.27);
    expect(held.length / ids.length).toBeLessThan(0.33);
  });
});

describe('the figures', () => {
  it('computes AUC with ties counted half, and none without both classes', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.2, 0.9], [1, 1])).toBeNull();
  });

  it('takes precision and recall at the HOT threshold, the Brier score and reliability bins', () => {
    const f = figuresOf([0.9, 0.85, 0.2, 0.1], [1, 0, 1, 0], 0.8);
    expect(f.precision).toBe(0.5);
    expect(f.recall).toBe(0.5);
    expect(brier([1, 0], [1, 1])).toBe(0.5);
    expect(reliability([0.05, 0.1, 0.95], [0, 1, 1])).toEqual([
      { from: 0, to: 0.2, count: 2, meanPredicted: 0.07500000000000001, observedRate: 0.5 },
      { from: 0.8, to: 1, count: 1, meanPredicted: 0.95, observedRate: 1 },
    ]);
    expect(figuresOf([0.1], [1], 0.8).precision).toBeNull();
  });
});

describe('binary logistic regression', () => {
  it('learns the direction of a predictive feature and ignores a constant one', () => {
    const xs = [
      [0, 1],
      [0, 1],
      [1, 1],
      [1, 1],
    ];
    const model = trainLogistic(xs, [0, 0, 1, 1], { l2: 0.001, iterations: 2000, learningRate: 0.5 });
    expect(model.weights[0]).toBeGreaterThan(2);
    expect(predictProbability(model, [1, 1])).toBeGreaterThan(0.8);
    expect(predictProbability(model, [0, 1])).toBeLessThan(0.2);
  });
});

describe('training a conversion model', () => {
  it('refuses too few outcomes and says how many more of each it needs', () => {
    const leads = [lead({ id: 'a', status: 'won' }), ...['b', 'c'].map((id) => lead({ id, status: 'lost' }))];
    const result = trainConversion(leads, NOW, 80);
    expect(result.kind).toBe('too_few');
    if (result.kind !== 'too_few') return;
    expect(result.shortfall).toEqual({ labeled: 27, positives: 4, negatives: 3 });
    expect(shortfallMessage(result.counts, result.shortfall)).toBe(
      'Too few outcomes to train: 3 labeled (1 converted, 2 not); needs 27 more labeled leads, 4 more converted (won or booked), 3 more not converted (lost or stale) (at least 30 labeled with 5 of each).',
    );
  });

  it('finds the predictive niche, beats the rules on the held-out split and gives the same model twice', () => {
    const leads = separable(90);
    const result = trainConversion(leads, NOW, 80);
    expect(result.kind).toBe('trained');
    if (result.kind !== 'trained') return;
    const { model, performance, counts } = result;
    const strongest =
      model.features[model.weights.reduce((best, w, j, ws) => (Math.abs(w) > Math.abs(ws[best]!) ? j : best), 0)];
    expect(strongest).toBe('niche=solar');
    expect(performance.model.auc).toBe(1);
    expect(performance.blending).toBe(true);
    expect(counts.train + counts.heldOut).toBe(90);
    expect(trainConversion(leads, NOW, 80)).toEqual(result);
  });

  it('blends the probability into the score, re-reads the tier and says so in the reasoning', () => {
    const result = trainConversion(separable(90), NOW, 80);
    if (result.kind !== 'trained') throw new Error('expected a model');
    const performance: Performance = {
      ...result.performance,
      model: { ...result.performance.model, auc: 0.81 },
      rules: { ...result.performance.rules, auc: 0.66 },
    };
    const fresh = analysis({ score: 70, tier: 'WARM', reasoning: 'Asked for a quote.' });
    const solar = blendAnalysis(fresh, lead({ niche: 'solar' }), result.model, performance, { hot: 80, warm: 50 });
    const p = predictProbability(
      result.model,
      featureVector(result.model.vocabulary, lead({ niche: 'solar', analysis: fresh })),
    );
    expect(solar.score).toBe(Math.round(0.5 * 70 + 50 * p));
    expect(solar.tier).toBe(solar.score >= 80 ? 'HOT' : 'WARM');
    expect(solar.reasoning).toMatch(
      /^Asked for a quote\. Blended with this business's conversion model \(AUC 0\.81 vs rules 0\.66\)/,
    );
    const roofing = blendAnalysis(fresh, lead({ niche: 'roofing' }), result.model, performance, { hot: 80, warm: 50 });
    expect(roofing.score).toBeLessThan(solar.score);
  });
});
