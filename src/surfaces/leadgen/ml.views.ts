import type { z } from 'zod';
import {
  BLEND_MARGIN,
  MINIMUM,
  MODEL_SHARE,
  type SampleCounts,
  type ScorerFigures,
  type TrainedRun,
  type TrainingRun,
  type TrainingStatus,
} from '../../domain/conversion/index.js';
import type { performanceResponse, trainingRunResponse, trainingStatusResponse } from './ml.schemas.js';

const TOP_FEATURES = 8;

const round = (n: number) => Math.round(n * 10_000) / 10_000;
const roundOrNull = (n: number | null) => (n === null ? null : round(n));

function samplesView(c: SampleCounts | null) {
  return (
    c && { labeled: c.labeled, positives: c.positives, negatives: c.negatives, train: c.train, held_out: c.heldOut }
  );
}

export function trainingRunView(run: TrainingRun): z.infer<typeof trainingRunResponse> {
  return {
    run_id: run.id,
    status: run.status,
    requested_at: run.requestedAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    samples: samplesView(run.counts),
    needs: run.shortfall,
    message: run.message,
  };
}

export function trainingStatusView(s: TrainingStatus): z.infer<typeof trainingStatusResponse> {
  const active = s.active;
  return {
    status: s.latest?.status ?? 'not_trained',
    latest_run: s.latest && trainingRunView(s.latest),
    model: active && {
      run_id: active.run.id,
      trained_at: active.run.finishedAt,
      samples: samplesView(active.run.counts),
      auc: roundOrNull(active.performance.model.auc),
      rules_auc: roundOrNull(active.performance.rules.auc),
      blending: active.performance.blending,
    },
    last_requested_at: s.latest?.requestedAt ?? null,
    last_finished_at: s.latest?.finishedAt ?? null,
    last_success_at: active?.run.finishedAt ?? null,
    minimum: { labeled: MINIMUM.labeled, per_class: MINIMUM.perClass },
  };
}

function scorerView(f: ScorerFigures) {
  return {
    auc: roundOrNull(f.auc),
    precision: roundOrNull(f.precision),
    recall: roundOrNull(f.recall),
    brier: round(f.brier),
    reliability: f.reliability.map((b) => ({
      from: round(b.from),
      to: round(b.to),
      count: b.count,
      mean_predicted: round(b.meanPredicted),
      observed_rate: round(b.observedRate),
    })),
  };
}

const NO_MODEL = {
  model_available: false,
  message: 'No conversion model has been trained yet: POST /api/ml/training/trigger once enough leads have outcomes.',
  run_id: null,
  trained_at: null,
  held_out: null,
  hot_threshold: null,
  model: null,
  rules: null,
  blending: null,
  top_features: null,
};

export function performanceView(trained: TrainedRun | undefined): z.infer<typeof performanceResponse> {
  if (!trained) return NO_MODEL;
  const { run, model, performance: p } = trained;
  const top = model.features
    .map((feature, j) => ({ feature, weight: round(model.weights[j] ?? 0) }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, TOP_FEATURES);
  return {
    model_available: true,
    message: null,
    run_id: run.id,
    trained_at: run.finishedAt,
    held_out: p.heldOut,
    hot_threshold: p.hotThreshold,
    model: scorerView(p.model),
    rules: scorerView(p.rules),
    blending: {
      active: p.blending,
      criterion: `held-out AUC of the model at least ${BLEND_MARGIN} above the rule score's`,
      auc_margin: BLEND_MARGIN,
      model_share: MODEL_SHARE,
    },
    top_features: top,
  };
}
