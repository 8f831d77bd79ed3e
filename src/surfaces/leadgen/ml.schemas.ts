import { z } from 'zod';

/** Spec B's ML training answers. The spec names the routes only; these shapes are documented in docs/api/leadgen-ml.md. */

const runStatus = z.enum(['queued', 'running', 'succeeded', 'insufficient_data', 'failed']);

const samples = z.object({
  labeled: z.number().int(),
  positives: z.number().int(),
  negatives: z.number().int(),
  train: z.number().int(),
  held_out: z.number().int(),
});

export const trainingRunResponse = z.object({
  run_id: z.string(),
  status: runStatus,
  requested_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** The outcomes the run read; null until it has read them. */
  samples: samples.nullable(),
  /** How many more outcomes of each kind an `insufficient_data` run needed. */
  needs: z.object({ labeled: z.number().int(), positives: z.number().int(), negatives: z.number().int() }).nullable(),
  message: z.string().nullable(),
});

export const trainingStatusResponse = z.object({
  /** The latest run's status, or `not_trained` before the first trigger. */
  status: z.union([runStatus, z.literal('not_trained')]),
  latest_run: trainingRunResponse.nullable(),
  /** The model scoring uses now: the newest that succeeded. */
  model: z
    .object({
      run_id: z.string(),
      trained_at: z.string().nullable(),
      samples: samples.nullable(),
      auc: z.number().nullable(),
      rules_auc: z.number().nullable(),
      blending: z.boolean(),
    })
    .nullable(),
  last_requested_at: z.string().nullable(),
  last_finished_at: z.string().nullable(),
  last_success_at: z.string().nullable(),
  minimum: z.object({ labeled: z.number().int(), per_class: z.number().int() }),
});

const scorer = z.object({
  auc: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  brier: z.number(),
  reliability: z.array(
    z.object({
      from: z.number(),
      to: z.number(),
      count: z.number().int(),
      mean_predicted: z.number(),
      observed_rate: z.number(),
    }),
  ),
});

export const performanceResponse = z.object({
  model_available: z.boolean(),
  message: z.string().nullable(),
  run_id: z.string().nullable(),
  trained_at: z.string().nullable(),
  held_out: z.object({ total: z.number().int(), positives: z.number().int(), negatives: z.number().int() }).nullable(),
  hot_threshold: z.number().nullable(),
  model: scorer.nullable(),
  rules: scorer.nullable(),
  blending: z
    .object({ active: z.boolean(), criterion: z.string(), auc_margin: z.number(), model_share: z.number() })
    .nullable(),
  /** The largest weights of the model, strongest first, so a tenant can see what it learned. */
  top_features: z.array(z.object({ feature: z.string(), weight: z.number() })).nullable(),
});
