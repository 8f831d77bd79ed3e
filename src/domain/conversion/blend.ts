import type { AnalysisResult } from '../../engine/analysis.schema.js';
import { actionForTier, tierForScore, type TierThresholds } from '../../engine/scoring/score.js';
import { predictProbability } from '../../engine/scoring/ordinal.js';
import type { ConversionModel, LeadOutcome, Performance } from './conversion.records.js';
import { featureVector } from './features.js';

/** The model's share of a blended score; the rule score keeps the rest, so the rubric still speaks. */
export const MODEL_SHARE = 0.5;

const two = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));

/**
 * The analysis with the tenant's conversion probability blended into its score:
 * score = (1 − MODEL_SHARE)·rules + MODEL_SHARE·100·P(convert), tier and action re-read from the
 * tenant's thresholds, and the reasoning saying so with the held-out AUCs that earned it.
 */
export function blendAnalysis(
  analysis: AnalysisResult,
  lead: LeadOutcome,
  model: ConversionModel,
  performance: Performance,
  thresholds: TierThresholds,
): AnalysisResult {
  const p = predictProbability(model, featureVector(model.vocabulary, lead));
  const score = Math.min(100, Math.max(0, Math.round((1 - MODEL_SHARE) * analysis.score + MODEL_SHARE * 100 * p)));
  const tier = tierForScore(score, thresholds);
  const note =
    `Blended with this business's conversion model (AUC ${two(performance.model.auc)} vs rules ${two(performance.rules.auc)}): ` +
    `${Math.round(100 * p)}% likely to convert, rule score ${analysis.score}, blended ${score}.`;
  return {
    ...analysis,
    score,
    tier,
    recommended_action: actionForTier(tier),
    reasoning: analysis.reasoning ? `${analysis.reasoning} ${note}` : note,
  };
}
