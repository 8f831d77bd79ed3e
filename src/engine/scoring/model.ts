import { z } from 'zod';
import { tenantEngineContextSchema, type ScoringBreakdown } from '../analysis.schema.js';
import modelJson from './model.json' with { type: 'json' };
import { spreadScore } from './breakdown.js';
import { calibratedScore } from './calibration.js';
import { FEATURES, direction, featureVector, hardRules, type FeatureInput } from './features.js';
import type { Component, Signal } from './lead-features.js';
import type { OrdinalModel } from './ordinal.js';

/** The committed model file, written by `npm run train`. */
export const modelFileSchema = z.object({
  features: z.array(z.string()),
  weights: z.array(z.number()),
  cuts: z.tuple([z.number(), z.number()]),
  trainedOn: z.record(z.string(), z.number()),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** The default weights the model's score is spread over, so a tenant on defaults gets the model's score. */
const REFERENCE_WEIGHTS = tenantEngineContextSchema.shape.weights.parse(undefined);
/** The hard rules' caps and floors, on spec E's scale. */
const NEVER_HOT = 49;
const NEVER_COLD = 50;
const ALWAYS_HOT = 80;

/** The model the engine scores with, checked against the features this build reads. */
export function loadModel(file: unknown = modelJson): OrdinalModel {
  const parsed = modelFileSchema.parse(file);
  const names = FEATURES.map((f) => f.name);
  if (parsed.features.join(',') !== names.join(','))
    throw new Error('src/engine/scoring/model.json was trained on other features: run `npm run train`');
  return { weights: parsed.weights, cuts: parsed.cuts };
}

export interface ModelReading {
  /** The calibrated score under the default weights, after the rubric's hard rules. */
  score: number;
  breakdown: ScoringBreakdown;
  /** The features that moved z the way their meaning says, with phrase and component, for reasoning. */
  signals: Signal[];
}

/** Scores one lead's features with the model, applies the hard rules and spreads the score over the breakdown. */
export function readWithModel(model: OrdinalModel, input: FeatureInput): ModelReading {
  const vector = featureVector(input);
  const evidence: Record<Component, number> = { company_fit: 0, intent_signal: 0, budget_indicator: 0, urgency: 0 };
  const signals: Signal[] = [];
  let z = 0;
  FEATURES.forEach((feature, j) => {
    const impact = (model.weights[j] ?? 0) * (vector.values[j] ?? 0);
    const phrase = vector.phrases[j];
    if (impact === 0 || !phrase) return;
    z += impact;
    evidence[feature.component] += impact;
    // A hold-back (a timeline months away, a hedge) is named as one even where, beside having none, it adds a little.
    const side = direction(feature.name);
    if (side === -1) signals.push({ component: feature.component, impact: -Math.abs(impact), phrase });
    else if (side === 1 && impact > 0) signals.push({ component: feature.component, impact, phrase });
  });
  let score = calibratedScore(z, model.cuts);
  const rules = hardRules(input);
  if (rules.noSubstance) score = Math.min(score, NEVER_HOT);
  else if (rules.emergency || rules.underway) score = Math.max(score, ALWAYS_HOT);
  else if (rules.prospect) score = Math.max(score, NEVER_COLD);
  return { score, breakdown: spreadScore(score, evidence, REFERENCE_WEIGHTS), signals };
}
