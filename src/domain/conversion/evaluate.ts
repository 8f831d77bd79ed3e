import type { ReliabilityBin, ScorerFigures } from './conversion.records.js';

const BINS = 5;

/** Area under the ROC curve (Mann–Whitney, ties counted half); null without both classes. */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number | null {
  const order = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => a.s - b.s);
  const positives = order.filter((o) => o.y === 1).length;
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j += 1;
    // Tied scores share the mean of their ranks (1-based).
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) if (order[k]!.y === 1) rankSum += meanRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared distance of the predicted probabilities from the outcomes. */
export function brier(probabilities: readonly number[], labels: readonly (0 | 1)[]): number {
  if (probabilities.length === 0) return 0;
  return probabilities.reduce((sum, p, i) => sum + (p - (labels[i] ?? 0)) ** 2, 0) / probabilities.length;
}

/** Equal-width bins over [0, 1]; empty bins are left out. */
export function reliability(probabilities: readonly number[], labels: readonly (0 | 1)[]): ReliabilityBin[] {
  const bins = Array.from({ length: BINS }, (_, b) => ({ from: b / BINS, to: (b + 1) / BINS, n: 0, p: 0, y: 0 }));
  probabilities.forEach((p, i) => {
    const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(p * BINS)))]!;
    bin.n += 1;
    bin.p += p;
    bin.y += labels[i] ?? 0;
  });
  return bins
    .filter((b) => b.n > 0)
    .map((b) => ({ from: b.from, to: b.to, count: b.n, meanPredicted: b.p / b.n, observedRate: b.y / b.n }));
}

/** AUC, precision and recall of "HOT" (probability ≥ threshold), Brier score and reliability of one scorer. */
export function figuresOf(probabilities: readonly number[], labels: readonly (0 | 1)[], hot: number): ScorerFigures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  probabilities.forEach((p, i) => {
    const positive = labels[i] === 1;
    if (p >= hot && positive) tp += 1;
    else if (p >= hot) fp += 1;
    else if (positive) fn += 1;
  });
  return {
    auc: auc(probabilities, labels),
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
    brier: brier(probabilities, labels),
    reliability: reliability(probabilities, labels),
  };
}
