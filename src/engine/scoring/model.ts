import { z } from 'zod';
import { tenantEngineContextSchema, type ScoringBreakdown } from '../analysis.schema.js';
import modelJson from './model.json' with { type: 'json' };
import { spreadScore } from './breakdown.js';
import { calibratedScore } from './calibration.js';
import { FEATURES, direction, domainFit, featureVector, hardRules, type FeatureInput } from './features.js';
import type { Component, Signal } from './lead-features.js';
import type { OrdinalModel } from './ordinal.js';
import { readWording, type WordingModel } from './wording.js';

/** Points a sender's domain moves a score, inside its tier's band; and its weight as company-fit evidence. */
const DOMAIN_POINTS = 3;
const DOMAIN_EVIDENCE = 0.4;
/** Spec E's bands at the default thresholds: COLD below 50, WARM to 79, HOT from 80. */
const BANDS: readonly (readonly [number, number])[] = [
  [0, 49],
  [50, 79],
  [80, 100],
];

const bandOf = (score: number) => BANDS.findIndex(([low, high]) => score >= low && score <= high);

/** `moved`, kept inside the band `score` is in. */
function withinBand(score: number, moved: number): number {
  const [low, high] = BANDS[bandOf(score)] ?? [0, 100];
  return Math.min(high, Math.max(low, moved));
}

/** The committed model file, written by `npm run train`. */
export const modelFileSchema = z.object({
  features: z.array(z.string()),
  weights: z.array(z.number()),
  cuts: z.tuple([z.number(), z.number()]),
  /** The wording model and the weight the main model gives its z. */
  wording: z.object({ weight: z.number(), bias: z.number(), tokens: z.record(z.string(), z.number()) }),
  trainedOn: z.record(z.string(), z.number()),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

/** The default weights the model's score is spread over, so a tenant on defaults gets the model's score. */
const REFERENCE_WEIGHTS = tenantEngineContextSchema.shape.weights.parse(undefined);
/** The hard rules' caps and floors, on spec E's scale. */
const NEVER_HOT = 49;
const NEVER_COLD = 50;
const ALWAYS_HOT = 80;
/** The top of WARM: a prospect not acting soon may be a strong one, never a HOT one. */
const NEVER_HOT_WHEN_NOT_SOON = 79;

/** The signal features' ordinal model with the wording model stacked on it. */
export interface LeadModel extends OrdinalModel {
  wording: WordingModel & { weight: number };
}

/** The model the engine scores with, checked against the features this build reads. */
export function loadModel(file: unknown = modelJson): LeadModel {
  const parsed = modelFileSchema.parse(file);
  const names = FEATURES.map((f) => f.name);
  if (parsed.features.join(',') !== names.join(','))
    throw new Error('src/engine/scoring/model.json was trained on other features: run `npm run train`');
  return { weights: parsed.weights, cuts: parsed.cuts, wording: parsed.wording };
}

export interface ModelReading {
  /** The calibrated score under the default weights, after the rubric's hard rules. */
  score: number;
  breakdown: ScoringBreakdown;
  /** The features that moved z the way their meaning says, with phrase and component, for reasoning. */
  signals: Signal[];
}

/** Scores one lead's features with the model, applies the hard rules and spreads the score over the breakdown. */
export function readWithModel(model: LeadModel, input: FeatureInput): ModelReading {
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
  const wording = wordingSignal(model.wording, input.words);
  z += wording.impact;
  evidence.intent_signal += wording.impact;
  // Wording is named only where it decided the band: elsewhere the signals that did are the better account.
  let score = calibratedScore(z, model.cuts);
  const decided = bandOf(score) !== bandOf(calibratedScore(z - wording.impact, model.cuts));
  if (wording.phrase && decided) {
    signals.push({ component: 'intent_signal', impact: wording.impact, phrase: wording.phrase });
  }
  const domain = domainFit(input);
  if (domain) {
    score = withinBand(score, score + domain.side * DOMAIN_POINTS);
    evidence.company_fit += domain.side * DOMAIN_EVIDENCE;
    signals.push({ component: 'company_fit', impact: domain.side * DOMAIN_EVIDENCE, phrase: domain.phrase });
  }
  const rules = hardRules(input);
  if (rules.noSubstance || rules.notABuyer) score = Math.min(score, NEVER_HOT);
  else if (rules.emergency || rules.underway) score = Math.max(score, ALWAYS_HOT);
  else {
    if (rules.prospect) score = Math.max(score, NEVER_COLD);
    if (rules.notYet) score = Math.min(score, NEVER_HOT_WHEN_NOT_SOON);
  }
  return { score, breakdown: spreadScore(score, evidence, REFERENCE_WEIGHTS), signals };
}

/** Words named when wording moves a lead, so a person can see what the model read. */
const WORDS_NAMED = 3;

/** The wording model's pull on z, and its strongest words in that direction. */
function wordingSignal(
  model: LeadModel['wording'],
  words: readonly string[],
): { impact: number; phrase: string | null } {
  const reading = readWording(model, words);
  const impact = model.weight * reading.z;
  // Numbers are read as one token, "<n>"; reasoning shows it as "#", which a person reads as any figure.
  const named = reading.strongest.slice(0, WORDS_NAMED).map((token) => `"${token.replaceAll('<n>', '#')}"`);
  return { impact, phrase: named.length > 0 ? `wording such as ${named.join(', ')}` : null };
}
