import type { JobContext } from '../../queue/queue.js';
import { PIPELINE_STEPS } from './calls.schema.js';
import { advance, finishRequest, openStepOf, type PipelinePorts } from './progress.js';
import { runStep, type StepJobPayload } from './run-step.js';
import { stepJob } from './step-jobs.js';

export interface IngestionPipeline {
  /**
   * The relay's step: queues the first pipeline step of up to `limit` stored requests that are still
   * waiting for it, oldest first, and marks them queued in the same transaction. Answers how many.
   */
  queueStored(limit: number): Promise<number>;
  /** The job step of `ingest.step`. */
  runStep(payload: StepJobPayload, ctx: JobContext): Promise<void>;
  /** Re-queues the first step that is not done, to run at `at`; completed and skipped steps are not redone. */
  scheduleRetry(tenantId: string, requestId: string, at: Date): Promise<void>;
  /** The first step of the request a retry would run; undefined when every step is done (or no such request). */
  openStep(tenantId: string, requestId: string): Promise<string | undefined>;
  /**
   * Queues the next step of every unfinished request untouched for `idleMs`: a process that died
   * between finishing a step and queueing the next leaves such a request behind. Answers how many.
   */
  recover(idleMs: number): Promise<number>;
}

async function queueStored(ports: PipelinePorts, limit: number): Promise<number> {
  const now = ports.clock.now().toISOString();
  const dispatches: (() => Promise<void>)[] = [];
  const queued = await ports.store.transaction(async (tx) => {
    const waiting = await tx.requests.listUnqueued(limit);
    const byTenant = new Map<string, string[]>();
    for (const r of waiting) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.id]);
    for (const [tenantId, ids] of byTenant) {
      // A request the relay has not queued yet has every pipeline step pending, generation 0 (if a
      // retry got to it first, it bumped the generation, and this job finds nothing to do).
      const jobs = ids.map((id) => stepJob(ports.policies, tenantId, { id, generation: 0 }, PIPELINE_STEPS[0]));
      const enqueued = await ports.queue.enqueueManyInTransaction(tx.handle, 'ingest.step', jobs);
      dispatches.push(() => enqueued.dispatch());
      await tx.requests.markQueued(tenantId, ids, now);
    }
    return waiting.length;
  });
  // After the commit the jobs are durable; a dispatch that fails is repaired by the queue's own recovery.
  await Promise.all(dispatches.map((d) => d().catch(() => undefined)));
  return queued;
}

async function scheduleRetry(ports: PipelinePorts, tenantId: string, requestId: string, at: Date): Promise<void> {
  const request = await ports.store.requests.findById(tenantId, requestId);
  if (!request) return;
  const next = await openStepOf(ports, request);
  // Every step is done: nothing to retry, and a request left `failed` by hand is simply finished.
  if (!next) {
    if (request.status !== 'completed') await finishRequest(ports, ports.store, request);
    return;
  }
  const generation = request.generation + 1;
  const now = ports.clock.now();
  await ports.store.requests.update(tenantId, requestId, {
    generation,
    retryScheduled: true,
    retryAt: at.toISOString(),
    updatedAt: now.toISOString(),
  });
  await ports.store.steps.save(tenantId, requestId, next, { status: 'pending', updatedAt: now.toISOString() });
  const job = stepJob(ports.policies, tenantId, { id: requestId, generation }, next, at.getTime() - now.getTime());
  await ports.queue.enqueue('ingest.step', job.payload, job.options);
}

async function recover(ports: PipelinePorts, idleMs: number): Promise<number> {
  const before = new Date(ports.clock.now().getTime() - idleMs).toISOString();
  const stalled = await ports.store.requests.listStalled(before, 1_000);
  for (const r of stalled) await advance(ports, r.tenantId, r.id);
  return stalled.length;
}

/** Runs requests through their steps, one queued job per step. */
export function createIngestionPipeline(ports: PipelinePorts): IngestionPipeline {
  return {
    queueStored: (limit) => queueStored(ports, limit),
    runStep: (payload, ctx) => runStep(ports, payload, ctx),
    scheduleRetry: (tenantId, requestId, at) => scheduleRetry(ports, tenantId, requestId, at),
    async openStep(tenantId, requestId) {
      const request = await ports.store.requests.findById(tenantId, requestId);
      return request && openStepOf(ports, request);
    },
    recover: (idleMs) => recover(ports, idleMs),
  };
}
