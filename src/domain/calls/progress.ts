import type { Clock } from '../../lib/clock.js';
import type { OwnerAlerts } from '../notifications/index.js';
import type { Queue } from '../../queue/queue.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { CallsStore, CallsWriters } from './calls.repo.js';
import type { PipelineStep } from './calls.schema.js';
import type { CallRequest } from './records.js';
import type { StepPolicy, StepRunner } from './step.js';
import { firstOpenStep, stepJob } from './step-jobs.js';
import { planSteps } from './step-plan.js';
import type { StepPrices } from './step-prices.js';

/** Moving a request on: its next open step, its next job, its completion. */

export interface PipelinePorts {
  store: CallsStore;
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  steps: Record<PipelineStep, StepRunner>;
  policies: Record<PipelineStep, StepPolicy>;
  prices: StepPrices;
  /** Where a request's time from receipt to its end is recorded, for spec A's health and metrics figures. */
  processing: Pick<Counters, 'observeProcessing'>;
  /** Tells the owner of a request that failed for good. */
  ownerAlerts?: Pick<OwnerAlerts, 'raise'> | undefined;
}

/** How long the request has been on its way, from receipt until `now`. */
export const elapsedMs = (request: CallRequest, now: Date) => now.getTime() - new Date(request.createdAt).getTime();

/** Marks the request completed, in `repos` (the caller's transaction, or none); returns its processing time. */
export async function finishRequest(
  ports: Pick<PipelinePorts, 'clock'>,
  repos: Pick<CallsWriters, 'requests'>,
  request: CallRequest,
): Promise<number> {
  const now = ports.clock.now();
  const processingTimeMs = elapsedMs(request, now);
  await repos.requests.update(request.tenantId, request.id, {
    status: 'completed',
    errorMessage: null,
    retryScheduled: false,
    retryAt: null,
    processedAt: now.toISOString(),
    processingTimeMs,
    updatedAt: now.toISOString(),
  });
  return processingTimeMs;
}

export async function openStepOf(ports: PipelinePorts, request: CallRequest): Promise<PipelineStep | undefined> {
  return firstOpenStep(planSteps(request, await ports.store.steps.listOf(request.tenantId, request.id)));
}

/** Queues the request's next open step, or finishes it when none is left. */
export async function advance(ports: PipelinePorts, tenantId: string, requestId: string): Promise<void> {
  const request = await ports.store.requests.findById(tenantId, requestId);
  if (!request) return;
  const next = await openStepOf(ports, request);
  if (!next) return ports.processing.observeProcessing(await finishRequest(ports, ports.store, request), true);
  const job = stepJob(ports.policies, tenantId, request, next);
  await ports.queue.enqueue('ingest.step', job.payload, job.options);
}
