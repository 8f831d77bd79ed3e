import { createHash } from 'node:crypto';
import { predictProbability, trainLogistic } from '../../engine/scoring/ordinal.js';
import type { ConversionModel, LeadOutcome, Performance, SampleCounts, Shortfall } from './conversion.records.js';
import { figuresOf } from './evaluate.js';
import { featureNames, featureVector, labelOf, ruleProbability, vocabularyOf } from './features.js';

/** Fewer labeled outcomes than this, or fewer of either class, and no model is fitted. */
export const MINIMUM = { labeled: 30, perClass: 5 };
/** The share of leads held out from fitting, chosen by a hash of the lead id so a lead stays on its side. */
export const HELD_OUT_SHARE = 0.3;
/** The model's held-out AUC must beat the rule score's by this much before scoring blends it in. */
export const BLEND_MARGIN = 0.02;
/** Fixed, so the same outcomes always give the same model. */
const TRAINING = { l2: 0.01, iterations: 1500, learningRate: 0.5 };

export type TrainingResult =
  | { kind: 'too_few'; counts: SampleCounts; shortfall: Shortfall }
  | { kind: 'trained'; counts: SampleCounts; model: ConversionModel; performance: Performance };

/** A lead's side of the split: the first 32 bits of SHA-256 of its id, as a fraction of 2³². */
export function isHeldOut(leadId: string): boolean {
  return createHash('sha256').update(leadId).digest().readUInt32BE(0) / 2 ** 32 < HELD_OUT_SHARE;
}

function shortfallOf(positives: number, negatives: number): Shortfall | undefined {
  const s = {
    labeled: Math.max(0, MINIMUM.labeled - positives - negatives),
    positives: Math.max(0, MINIMUM.perClass - positives),
    negatives: Math.max(0, MINIMUM.perClass - negatives),
  };
  return s.labeled + s.positives + s.negatives > 0 ? s : undefined;
}

interface Labeled {
  lead: LeadOutcome;
  y: 0 | 1;
}

function evaluate(model: ConversionModel, heldOut: readonly Labeled[], hotThreshold: number): Performance {
  const ys = heldOut.map((s) => s.y);
  const modelP = heldOut.map((s) => predictProbability(model, featureVector(model.vocabulary, s.lead)));
  const rulesP = heldOut.map((s) => ruleProbability(s.lead));
  const hot = hotThreshold / 100;
  const m = figuresOf(modelP, ys, hot);
  const r = figuresOf(rulesP, ys, hot);
  const positives = ys.filter((y) => y === 1).length;
  return {
    heldOut: { total: heldOut.length, positives, negatives: heldOut.length - positives },
    hotThreshold,
    model: m,
    rules: r,
    blendMargin: BLEND_MARGIN,
    blending: m.auc !== null && r.auc !== null && m.auc >= r.auc + BLEND_MARGIN,
  };
}

/**
 * Fits the tenant's conversion model on its labeled leads (see `labelOf`) and measures it, and the
 * rule score, on the held-out split. The vocabulary of one-hot values comes from the training
 * split only, so nothing about the held-out leads shapes the model.
 */
export function trainConversion(leads: readonly LeadOutcome[], now: Date, hotThreshold: number): TrainingResult {
  const labeled: Labeled[] = [];
  for (const lead of leads) {
    const y = labelOf(lead, now);
    if (y !== undefined) labeled.push({ lead, y });
  }
  const train = labeled.filter((s) => !isHeldOut(s.lead.id));
  const heldOut = labeled.filter((s) => isHeldOut(s.lead.id));
  const positives = labeled.filter((s) => s.y === 1).length;
  const counts: SampleCounts = {
    labeled: labeled.length,
    positives,
    negatives: labeled.length - positives,
    train: train.length,
    heldOut: heldOut.length,
  };
  const shortfall = shortfallOf(counts.positives, counts.negatives);
  if (shortfall) return { kind: 'too_few', counts, shortfall };
  const vocabulary = vocabularyOf(train.map((s) => s.lead));
  const xs = train.map((s) => featureVector(vocabulary, s.lead));
  const fitted = trainLogistic(
    xs,
    train.map((s) => s.y),
    TRAINING,
  );
  const model: ConversionModel = { features: featureNames(vocabulary), ...fitted, vocabulary };
  return { kind: 'trained', counts, model, performance: evaluate(model, heldOut, hotThreshold) };
}

/** What a run with too few outcomes tells the tenant. */
export function shortfallMessage(counts: SampleCounts, s: Shortfall): string {
  const more = [
    s.labeled > 0 ? `${s.labeled} more labeled leads` : undefined,
    s.positives > 0 ? `${s.positives} more converted (won or booked)` : undefined,
    s.negatives > 0 ? `${s.negatives} more not converted (lost or stale)` : undefined,
  ].filter((x): x is string => x !== undefined);
  return (
    `Too few outcomes to train: ${counts.labeled} labeled (${counts.positives} converted, ${counts.negatives} not); ` +
    `needs ${more.join(', ')} (at least ${MINIMUM.labeled} labeled with ${MINIMUM.perClass} of each).`
  );
}
