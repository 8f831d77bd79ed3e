import type { z } from 'zod';
import type { RecommendedAction, ScoringBreakdown, Tier, scoringWeightsSchema } from '../analysis.schema.js';

export type ScoringWeights = z.output<typeof scoringWeightsSchema>;

export interface TierThresholds {
  /** Lowest HOT score (spec E: 80). */
  hot: number;
  /** Lowest WARM score (spec E: 50). */
  warm: number;
}

export interface ScoreOutcome {
  score: number;
  tier: Tier;
  recommended_action: RecommendedAction;
}

const ACTIONS: Readonly<Record<Tier, RecommendedAction>> = {
  HOT: 'route_to_ae',
  WARM: 'add_to_nurture',
  COLD: 'add_to_marketing_automation',
};

const COMPONENTS = ['company_fit', 'intent_signal', 'budget_indicator', 'urgency'] as const;

export function tierForScore(score: number, thresholds: TierThresholds): Tier {
  if (score >= thresholds.hot) return 'HOT';
  if (score >= thresholds.warm) return 'WARM';
  return 'COLD';
}

export function actionForTier(tier: Tier): RecommendedAction {
  return ACTIONS[tier];
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/**
 * The one scoring rule every provider shares: score = round(100 × Σ wᵢ·cᵢ / Σ wᵢ) over the four
 * breakdown components, then spec E's tier table. All-zero weights count every component equally
 * rather than dividing by zero.
 */
export function scoreBreakdown(
  breakdown: ScoringBreakdown,
  weights: ScoringWeights,
  thresholds: TierThresholds,
): ScoreOutcome {
  const total = COMPONENTS.reduce((sum, c) => sum + Math.max(0, weights[c]), 0);
  const weighted = COMPONENTS.reduce(
    (sum, c) => sum + (total > 0 ? Math.max(0, weights[c]) : 1) * clamp01(breakdown[c]),
    0,
  );
  const score = Math.min(100, Math.max(0, Math.round((100 * weighted) / (total > 0 ? total : COMPONENTS.length))));
  const tier = tierForScore(score, thresholds);
  return { score, tier, recommended_action: actionForTier(tier) };
}
