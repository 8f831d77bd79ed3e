import type { Clock } from '../../lib/clock.js';
import type { OwnerAlerts } from '../notifications/index.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { AuditService } from '../audit/index.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import { createCallsStore } from './calls.repo.js';
import { registerCallsJobs } from './calls.jobs.js';
import type { PipelineStep } from './calls.schema.js';
import { createIntakeRelay, type IntakeRelay, type IntakeRelayOptions } from './intake-relay.js';
import { createIntakeService, type IntakeService } from './intake.service.js';
import { createIngestionPipeline, type IngestionPipeline } from './pipeline.js';
import { createIngestionRequestsService, type IngestionRequestsService } from './requests.service.js';
import type { StepPolicy, StepRunner } from './step.js';
import type { StepPrices } from './step-prices.js';
import { STEP_POLICIES } from './steps/pipeline-steps.js';

/**
 * Calls: inbound calls and leads from intake to a finished request — the intake and its relay,
 * the pipeline of steps run as jobs, and the management of stored requests.
 */

export interface CallsPorts {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  audit: Pick<AuditService, 'record'>;
  /** The step runners; `createPipelineSteps` builds the real ones. */
  steps: Record<PipelineStep, StepRunner>;
  /** Tries per step; `STEP_POLICIES` unless given. */
  policies?: Record<PipelineStep, StepPolicy>;
  prices: StepPrices;
  /** Records each request's processing time as it ends (the metrics registry). */
  processing: Pick<Counters, 'observeProcessing'>;
  /** Tells the owner of a request that failed for good; absent: nobody is told. */
  ownerAlerts?: Pick<OwnerAlerts, 'raise'>;
  relay?: IntakeRelayOptions;
}

export interface CallsModule {
  intake: IntakeService;
  relay: IntakeRelay;
  pipeline: IngestionPipeline;
  requests: IngestionRequestsService;
  registerJobs(queue: Queue): void;
}

export function createCallsModule(ports: CallsPorts): CallsModule {
  const store = createCallsStore(ports.db);
  const pipeline = createIngestionPipeline({
    store,
    clock: ports.clock,
    queue: ports.queue,
    tenants: ports.tenants,
    steps: ports.steps,
    policies: ports.policies ?? STEP_POLICIES,
    prices: ports.prices,
    processing: ports.processing,
    ownerAlerts: ports.ownerAlerts,
  });
  const relay = createIntakeRelay(pipeline, ports.relay);
  return {
    intake: createIntakeService({ store, clock: ports.clock, relay }),
    relay,
    pipeline,
    requests: createIngestionRequestsService({ store, clock: ports.clock, audit: ports.audit, pipeline }),
    registerJobs: (queue) => registerCallsJobs(queue, pipeline),
  };
}

export { registerCallsJobs } from './calls.jobs.js';
export {
  INGESTION_STEPS,
  PIPELINE_STEPS,
  REQUEST_STATUSES,
  SOURCE_TYPES,
  pipelineConfigSchema,
  type IngestionStep,
  type PipelineConfig,
  type PipelineStep,
  type RequestStatus,
  type SourceType,
} from './calls.schema.js';
export {
  callrailNativeSchema,
  callrailWebhookSchema,
  leadWebhookSchema,
  type CallrailNative,
  type CallrailWebhook,
  type LeadWebhook,
} from './call-webhooks.schema.js';
export { createdRange } from './created-range.js';
export { crmSyncCounts } from './request-stats.repo.js';
export type { IntakeRelay, IntakeRelayOptions } from './intake-relay.js';
export { IDEMPOTENCY_PREFIX, type IntakeEvent, type IntakeResult, type IntakeService } from './intake.service.js';
export type { IngestionPipeline } from './pipeline.js';
export {
  payloadOf,
  type CallRequest,
  type CallRequestDetail,
  type CallRequestSummary,
  type CallStep,
  type CallUsage,
  type CrmSync,
} from './records.js';
export type { UpdateRequestInput } from './request-update.js';
export type { RequestFilter } from './request-search.repo.js';
export { ratio, type IngestionRequestsService, type ListRequestsInput } from './requests.service.js';
export { StepFailure, type StepInput, type StepOutcome, type StepRunner } from './step.js';
export { stepCost, stepPricesSchema, type StepPrices, type StepUsage } from './step-prices.js';
export { createPipelineSteps, STEP_POLICIES, sttProvidersFor, type PipelineStepDeps } from './steps/pipeline-steps.js';
