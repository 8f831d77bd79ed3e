import type { AnalysisResult } from '../../engine/analysis.schema.js';

/** A training run's progress; `insufficient_data` ends a run that found too few outcomes to fit a model. */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'insufficient_data' | 'failed';

/** The outcomes a run read: labeled leads, by class, and how they split. */
export interface SampleCounts {
  labeled: number;
  positives: number;
  negatives: number;
  train: number;
  heldOut: number;
}

/** How many more labeled outcomes of each kind a run needed; zero where it had enough. */
export interface Shortfall {
  labeled: number;
  positives: number;
  negatives: number;
}

/** The frequent values each one-hot feature was built from, learned from the training split. */
export interface Vocabulary {
  source: string[];
  niche: string[];
  city: string[];
  intent: string[];
}

/** A fitted conversion model: P(convert) = σ(weights·x + bias) over `features`. */
export interface ConversionModel {
  features: string[];
  weights: number[];
  bias: number;
  vocabulary: Vocabulary;
}

/** One reliability bin: how often leads predicted in [from, to) actually converted. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** A scorer's figures on the held-out split; null where the split cannot say (no positive, nothing predicted HOT). */
export interface ScorerFigures {
  auc: number | null;
  precision: number | null;
  recall: number | null;
  brier: number;
  reliability: ReliabilityBin[];
}

/** The held-out comparison of the tenant's model with the engine's rule score (score / 100). */
export interface Performance {
  heldOut: { total: number; positives: number; negatives: number };
  /** The HOT threshold the precision and recall were taken at (the tenant's, on the 0–100 scale). */
  hotThreshold: number;
  model: ScorerFigures;
  rules: ScorerFigures;
  /** The model's AUC must beat the rules' by this much for scoring to blend it in. */
  blendMargin: number;
  blending: boolean;
}

export interface TrainingRun {
  id: string;
  tenantId: string;
  status: RunStatus;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: SampleCounts | null;
  shortfall: Shortfall | null;
  /** What the run ended with, in a sentence (how many more outcomes it needs, why it failed). */
  message: string | null;
  blending: boolean;
}

/** A run that produced a model, with the model and its figures. */
export interface TrainedRun {
  run: TrainingRun;
  model: ConversionModel;
  performance: Performance;
}

/** A tenant's training as the status route reports it. */
export interface TrainingStatus {
  latest: TrainingRun | null;
  /** The run whose model scoring uses now; null before the first success. */
  active: TrainedRun | null;
}

/** A lead as the model reads it: where it came from, what happened to it, what the engine thought. */
export interface LeadOutcome {
  id: string;
  source: string;
  niche: string | null;
  city: string | null;
  status: string;
  wonAt: string | null;
  /** When the lead first reached the business. */
  createdAt: string;
  analysis: AnalysisResult | null;
  /** The lead's contact has an appointment booked, confirmed or completed. */
  booked: boolean;
  conversations: number;
  messages: number;
  calls: number;
}
