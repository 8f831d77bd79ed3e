/**
 * Ordinal logistic regression over three ordered tiers (COLD < WARM < HOT), the all-threshold
 * form: one weight vector, two cut points, and a logistic loss at each cut, so
 * σ(z − cuts[0]) reads as P(at least WARM) and σ(z − cuts[1]) as P(HOT). Trained by full-batch
 * gradient descent from zero, so the same data always gives the same model. With two classes the
 * same descent has one cut and is plain logistic regression (`trainLogistic`), which a tenant's
 * conversion model uses.
 */

export interface OrdinalModel {
  weights: number[];
  /** Cut points on z: WARM from cuts[0], HOT from cuts[1]. */
  cuts: [number, number];
}

export interface TrainingOptions {
  /** L2 penalty per weight (not on the cuts), per example. */
  l2: number;
  iterations: number;
  learningRate: number;
}

/** Rank of a tier on the ordinal scale: 0 COLD, 1 WARM, 2 HOT. */
export type Rank = 0 | 1 | 2;

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function linear(weights: readonly number[], x: readonly number[]): number {
  let z = 0;
  for (let j = 0; j < weights.length; j += 1) z += (weights[j] ?? 0) * (x[j] ?? 0);
  return z;
}

/** Mean loss of the model on the data, penalty included. */
export function ordinalLoss(model: OrdinalModel, xs: readonly number[][], ys: readonly Rank[], l2: number): number {
  let loss = 0;
  xs.forEach((x, i) => {
    const z = linear(model.weights, x);
    model.cuts.forEach((cut, k) => {
      const sign = (ys[i] ?? 0) > k ? 1 : -1;
      loss -= Math.log(Math.max(1e-12, sigmoid(sign * (z - cut))));
    });
  });
  const penalty = model.weights.reduce((sum, w) => sum + w * w, 0) * l2 * 0.5;
  return loss / xs.length + penalty;
}

export function trainOrdinal(xs: readonly number[][], ys: readonly Rank[], options: TrainingOptions): OrdinalModel {
  const { weights, cuts } = descend(xs, ys, [-1, 1], options);
  return { weights, cuts: [cuts[0] ?? 0, cuts[1] ?? 0] };
}

/** A binary logistic regression: P(y = 1) = σ(w·x + bias). */
export interface LogisticModel {
  weights: number[];
  bias: number;
}

/**
 * Binary logistic regression with an L2 penalty, by the same descent as the ordinal model: with
 * two classes the all-threshold form has one cut, and `−cut` is the bias.
 */
export function trainLogistic(
  xs: readonly number[][],
  ys: readonly (0 | 1)[],
  options: TrainingOptions,
): LogisticModel {
  const { weights, cuts } = descend(xs, ys, [0], options);
  return { weights, bias: -(cuts[0] ?? 0) };
}

/** P(y = 1) under a binary model. */
export function predictProbability(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(linear(model.weights, x) + model.bias);
}

/** A row of a sparse design matrix: the indices of its non-zero inputs and their values. */
export interface SparseRow {
  indices: readonly number[];
  values: readonly number[];
}

export function sparseRow(x: readonly number[]): SparseRow {
  const indices = x.flatMap((value, j) => (value === 0 ? [] : [j]));
  return { indices, values: indices.map((j) => x[j] ?? 0) };
}

/** Full-batch gradient descent from zero weights and the given cuts, one logistic loss per cut. */
function descend(
  xs: readonly number[][],
  ys: readonly number[],
  start: readonly number[],
  options: TrainingOptions,
): { weights: number[]; cuts: number[] } {
  return descendSparse(xs.map(sparseRow), ys, xs[0]?.length ?? 0, start, options);
}

/** The same descent over sparse rows, for inputs with many columns of which each row has few. */
export function descendSparse(
  rows: readonly SparseRow[],
  ys: readonly number[],
  width: number,
  start: readonly number[],
  options: TrainingOptions,
): { weights: number[]; cuts: number[] } {
  const weights = new Array<number>(width).fill(0);
  const cuts = [...start];
  const n = rows.length;
  for (let step = 0; step < options.iterations; step += 1) {
    const gradW = weights.map((w) => options.l2 * w);
    const gradC = cuts.map(() => 0);
    rows.forEach(({ indices, values }, i) => {
      let z = 0;
      indices.forEach((j, t) => (z += (weights[j] ?? 0) * (values[t] ?? 0)));
      for (let k = 0; k < cuts.length; k += 1) {
        const sign = (ys[i] ?? 0) > k ? 1 : -1;
        // d/dz of −log σ(s(z − c)) is −s·σ(−s(z − c)).
        const g = -sign * sigmoid(-sign * (z - (cuts[k] ?? 0)));
        indices.forEach((j, t) => (gradW[j] = (gradW[j] ?? 0) + (g * (values[t] ?? 0)) / n));
        gradC[k] = (gradC[k] ?? 0) - g / n;
      }
    });
    for (let j = 0; j < width; j += 1) weights[j] = (weights[j] ?? 0) - options.learningRate * (gradW[j] ?? 0);
    for (let k = 0; k < cuts.length; k += 1) cuts[k] = (cuts[k] ?? 0) - options.learningRate * (gradC[k] ?? 0);
  }
  return { weights, cuts };
}

/** The rank the model gives a lead: how many cut points its z reaches. */
export function predictRank(model: OrdinalModel, x: readonly number[]): Rank {
  const z = linear(model.weights, x);
  return z >= model.cuts[1] ? 2 : z >= model.cuts[0] ? 1 : 0;
}
