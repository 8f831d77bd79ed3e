import type { ScoringBreakdown } from '../analysis.schema.js';
import type { Component } from './lead-features.js';
import type { ScoringWeights } from './score.js';

const COMPONENTS: readonly Component[] = ['company_fit', 'intent_signal', 'budget_indicator', 'urgency'];
/** How far one logit unit of a component's own evidence moves it from the overall score. */
const SPREAD = 0.12;
const BISECTION_STEPS = 40;

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}

/**
 * Breakdown components whose weighted mean, under `reference` weights, is exactly `score`/100,
 * each above or below it by its own evidence. A tenant with other weights then moves the score
 * towards the components it cares about, as spec E's weighted mean does for every provider.
 */
export function spreadScore(
  score: number,
  evidence: Readonly<Record<Component, number>>,
  reference: ScoringWeights,
): ScoringBreakdown {
  const target = score / 100;
  const total = COMPONENTS.reduce((sum, c) => sum + reference[c], 0);
  const meanEvidence = COMPONENTS.reduce((sum, c) => sum + reference[c] * evidence[c], 0) / total;
  const offsets = COMPONENTS.map((c) => SPREAD * (evidence[c] - meanEvidence));
  const mean = (shift: number) =>
    COMPONENTS.reduce((sum, c, i) => sum + reference[c] * clamp01(target + (offsets[i] ?? 0) + shift), 0) / total;
  // Clamping at 0 and 1 can pull the mean off target; a common shift, found by bisection, puts it back.
  let low = -1;
  let high = 1;
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const mid = (low + high) / 2;
    if (mean(mid) < target) low = mid;
    else high = mid;
  }
  const shift = (low + high) / 2;
  const values = COMPONENTS.map((c, i) => Math.round(clamp01(target + (offsets[i] ?? 0) + shift) * 10_000) / 10_000);
  return {
    company_fit: values[0] ?? 0,
    intent_signal: values[1] ?? 0,
    budget_indicator: values[2] ?? 0,
    urgency: values[3] ?? 0,
  };
}
