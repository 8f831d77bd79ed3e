import { describe, expect, it } from 'vitest';
import { ordinalLoss, predictRank, sigmoid, trainOrdinal, type Rank } from '../../../src/engine/scoring/ordinal.js';

/** One feature that rises with the tier, one that is noise. */
const xs = [
  [0, 1],
  [0, 0],
  [1, 1],
  [1, 0],
  [2, 1],
  [2, 0],
];
const ys: Rank[] = [0, 0, 1, 1, 2, 2];
const options = { l2: 0.001, iterations: 3000, learningRate: 0.5 };

describe('ordinal logistic regression', () => {
  it('computes a stable sigmoid at both extremes', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
  });

  it('learns ordered cut points and ranks the training data', () => {
    const model = trainOrdinal(xs, ys, options);
    expect(model.cuts[0]).toBeLessThan(model.cuts[1]);
    expect(xs.map((x) => predictRank(model, x))).toEqual(ys);
    expect(Math.abs(model.weights[1] ?? 0)).toBeLessThan(Math.abs(model.weights[0] ?? 0) / 5);
  });

  it('lowers its loss as it trains', () => {
    const early = trainOrdinal(xs, ys, { ...options, iterations: 10 });
    const late = trainOrdinal(xs, ys, options);
    expect(ordinalLoss(late, xs, ys, options.l2)).toBeLessThan(ordinalLoss(early, xs, ys, options.l2));
  });

  it('is deterministic', () => {
    expect(trainOrdinal(xs, ys, options)).toEqual(trainOrdinal(xs, ys, options));
  });
});
