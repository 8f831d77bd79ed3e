/**
 * Conversion: each tenant's own model of which leads convert, fitted on its outcomes (won or
 * booked against lost or stale), measured against the engine's rule score on a held-out split,
 * and blended into that tenant's lead scores once it beats them.
 */
import { tenantEngineContextSchema } from '../../engine/analysis.schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { TenantAiService } from '../ai/index.js';
import { registerConversionJobs } from './conversion.jobs.js';
import { createConversionRunsRepo } from './conversion.repo.js';
import { createConversionService, type ConversionBlender, type ConversionService } from './conversion.service.js';
import { createOutcomesRepo } from './outcomes.repo.js';

export type {
  ConversionModel,
  Performance,
  ReliabilityBin,
  RunStatus,
  SampleCounts,
  ScorerFigures,
  Shortfall,
  TrainedRun,
  TrainingRun,
  TrainingStatus,
} from './conversion.records.js';
export type { BlendLead, ConversionBlender, ConversionService } from './conversion.service.js';
export { STALE_AFTER_DAYS } from './features.js';
export { BLEND_MARGIN, HELD_OUT_SHARE, MINIMUM } from './train.js';
export { MODEL_SHARE } from './blend.js';

export interface ConversionModule {
  conversion: ConversionService;
  /** What lead scoring asks to blend a tenant's model into a fresh analysis. */
  blender: ConversionBlender;
  /** Declares the training job on the queue. */
  registerJobs(queue: Queue): void;
}

export function createConversionModule(ports: {
  db: Db;
  clock: Clock;
  queue: Queue;
  /** The tenant's engine context, for its HOT threshold. */
  ai: Pick<TenantAiService, 'forTenant'>;
}): ConversionModule {
  const service = createConversionService({
    runs: createConversionRunsRepo(ports.db),
    outcomes: createOutcomesRepo(ports.db),
    clock: ports.clock,
    queue: ports.queue,
    async thresholds(tenantId) {
      const { ctx } = await ports.ai.forTenant(tenantId);
      return tenantEngineContextSchema.shape.thresholds.parse(ctx.thresholds);
    },
  });
  return { conversion: service, blender: service, registerJobs: (queue) => registerConversionJobs(queue, service) };
}
