import type { JobContext } from '../../queue/queue.js';
import { deepMerge } from '../tenants/index.js';
import { pipelineConfigSchema, type PipelineStep } from './calls.schema.js';
import type { CallsWriters } from './calls.repo.js';
import { advance, elapsedMs, finishRequest, type PipelinePorts } from './progress.js';
import type { CallRequest, CallStep, RequestChange, RequestPatch } from './records.js';
import { StepFailure, type StepOutcome } from './step.js';
import { firstOpenStep, isDone, isPipelineStep, stepJob } from './step-jobs.js';
import { planSteps } from './step-plan.js';
import { stepCost } from './step-prices.js';

export interface StepJobPayload {
  tenantId: string;
  requestId: string;
  step: string;
  generation: number;
}

/** A step still going after this long is marked `running`. */
const RUNNING_MARK_MS = 250;

/** The step a job runs, with its request and the request's step plan. */
interface Target {
  request: CallRequest;
  steps: CallStep[];
  step: PipelineStep;
  /** What this try records on the step's row. */
  attempt: { startedAt: string; attempts: number };
}

/** The step the job should run, or nothing: a deleted request, a job of an older generation, a step already done. */
async function loadTarget(ports: PipelinePorts, payload: StepJobPayload): Promise<Target | undefined> {
  const { tenantId, requestId, step } = payload;
  if (!isPipelineStep(step)) return undefined;
  const request = await ports.store.requests.findById(tenantId, requestId);
  // A deleted request, or a job from before a retry re-queued the request under a new generation.
  if (!request || request.generation !== payload.generation) return undefined;
  const steps = planSteps(request, await ports.store.steps.listOf(tenantId, requestId));
  const row = steps.find((s) => s.step === step);
  if (!row) return undefined;
  if (isDone(row.status)) {
    await advance(ports, tenantId, requestId);
    return undefined;
  }
  const started = ports.clock.now().toISOString();
  if (request.status === 'pending' || request.status === 'failed') {
    await ports.store.requests.update(tenantId, requestId, { status: 'processing', updatedAt: started });
  }
  return { request, steps, step, attempt: { startedAt: started, attempts: row.attempts + 1 } };
}

/**
 * Only a step still going after RUNNING_MARK_MS is marked running: most steps finish (or are
 * skipped) sooner, and the write would cost a commit per job for a state nobody saw. `settled`
 * cancels the mark, or waits for it, so the outcome is written after it and never overwritten.
 */
function markRunningLater(ports: PipelinePorts, target: Target): { settled(): Promise<void> } {
  let marking: Promise<void> | undefined;
  const { tenantId, id } = target.request;
  const mark = setTimeout(() => {
    marking = ports.store.steps
      .save(tenantId, id, target.step, {
        status: 'running',
        ...target.attempt,
        updatedAt: ports.clock.now().toISOString(),
      })
      .catch(() => undefined);
  }, RUNNING_MARK_MS);
  return {
    async settled() {
      clearTimeout(mark);
      await marking;
    },
  };
}

/** Records a failed try; rethrows while the queue has tries left, else fails the request. */
async function recordFailure(
  ports: PipelinePorts,
  ctx: JobContext,
  target: Target,
  err: unknown,
  durationMs: number,
): Promise<void> {
  const failure =
    err instanceof StepFailure
      ? err
      : new StepFailure(err instanceof Error ? err.message : String(err), 'STEP_ERROR', true);
  const now = ports.clock.now().toISOString();
  const last = !failure.retryable || ctx.attempt >= ctx.maxAttempts;
  const { tenantId, id } = target.request;
  const error = `${failure.code}: ${failure.message}`;
  await ports.store.steps.save(tenantId, id, target.step, {
    status: last ? 'failed' : 'pending',
    ...target.attempt,
    durationMs,
    error,
    updatedAt: now,
  });
  if (!last) throw failure;
  await ports.store.requests.update(tenantId, id, {
    status: 'failed',
    errorMessage: error,
    retryScheduled: false,
    updatedAt: now,
  });
  ports.processing.observeProcessing(elapsedMs(target.request, ports.clock.now()), false);
  await ports.ownerAlerts?.raise(tenantId, { kind: 'pipeline_failed', requestId: id, step: target.step, error });
}

/** The request's change for a step's patch: JSON sections deep-merged into what is stored, the cost added. */
function changeOf(request: CallRequest, patch: RequestPatch | undefined, costUsd: number, now: string): RequestChange {
  const merge = (stored: Record<string, unknown>, add: Record<string, unknown>) => deepMerge(stored, add).merged;
  return {
    ...(patch?.callData ? { callData: merge(request.callData, patch.callData) } : {}),
    ...(patch?.enrichedData ? { enrichedData: merge(request.enrichedData, patch.enrichedData) } : {}),
    ...(patch?.aiAnalysis ? { aiAnalysis: patch.aiAnalysis } : {}),
    ...(patch?.leadId ? { leadId: patch.leadId } : {}),
    ...(patch?.leadScore !== undefined ? { leadScore: patch.leadScore } : {}),
    ...(patch?.projectType !== undefined ? { projectType: patch.projectType } : {}),
    costUsd: request.costUsd + costUsd,
    updatedAt: now,
  };
}

/** The step's row, the request's change and the next job (or the request's completion), in `tx`. */
async function writeOutcome(
  ports: PipelinePorts,
  tx: CallsWriters,
  target: Target,
  outcome: StepOutcome,
  figures: { durationMs: number; costUsd: number; now: string },
): Promise<void> {
  const { tenantId, id } = target.request;
  await tx.steps.save(tenantId, id, target.step, {
    status: outcome.status,
    ...target.attempt,
    durationMs: figures.durationMs,
    reason: outcome.status === 'skipped' ? outcome.reason : null,
    error: null,
    costUsd: figures.costUsd,
    output: outcome.status === 'completed' && outcome.output !== undefined ? outcome.output : null,
    updatedAt: figures.now,
  });
  await tx.requests.update(tenantId, id, changeOf(target.request, outcome.patch, figures.costUsd, figures.now));
}

/**
 * Commits the outcome in one transaction: a process killed in between would leave the step done
 * but its result (the lead id a later step needs) unrecorded, or the request with no next job, and
 * the step is never redone. The job's completion commits with them: one commit per step, and a try
 * that lost its job to another worker records nothing.
 */
async function commitOutcome(
  ports: PipelinePorts,
  ctx: JobContext,
  target: Target,
  outcome: StepOutcome,
  durationMs: number,
): Promise<void> {
  const { step, request } = target;
  // A skipped step did no work worth pricing.
  const costUsd =
    outcome.status === 'completed'
      ? stepCost(ports.prices, {
          step,
          vendorCostUsd: outcome.costUsd ?? 0,
          durationMs,
          ...(outcome.usage ? { usage: outcome.usage } : {}),
        })
      : 0;
  const next = firstOpenStep(target.steps.map((s) => (s.step === step ? { ...s, status: outcome.status } : s)));
  const now = ports.clock.now().toISOString();
  const queued = await ports.store.transaction(async (tx) => {
    if (!(await ctx.completeIn(tx.handle)))
      throw new Error(`the job of step ${step} was taken over by another worker; this try's outcome is dropped`);
    await writeOutcome(ports, tx, target, outcome, { durationMs, costUsd, now });
    if (!next) return finishRequest(ports, tx, request);
    const job = stepJob(ports.policies, request.tenantId, request, next);
    return ports.queue.enqueueInTransaction(tx.handle, 'ingest.step', job.payload, job.options);
  });
  // Recorded once committed: a rolled-back completion never counts.
  if (typeof queued === 'number') ports.processing.observeProcessing(queued, true);
  else await queued.dispatch().catch(() => undefined);
}

/** The job of `ingest.step`: runs one step of a request and records what came of it. */
export async function runStep(ports: PipelinePorts, payload: StepJobPayload, ctx: JobContext): Promise<void> {
  const target = await loadTarget(ports, payload);
  if (!target) return;
  const marking = markRunningLater(ports, target);
  const config = pipelineConfigSchema.parse(await ports.tenants.getConfigWithSecrets(payload.tenantId));
  const outputs = Object.fromEntries(target.steps.filter((s) => s.output !== null).map((s) => [s.step, s.output]));
  const t0 = performance.now();
  let outcome: StepOutcome;
  try {
    outcome = await ports.steps[target.step]({
      tenantId: payload.tenantId,
      request: target.request,
      config,
      outputs,
      signal: ctx.signal,
    });
  } catch (err) {
    await marking.settled();
    return recordFailure(ports, ctx, target, err, Math.round(performance.now() - t0));
  }
  await marking.settled();
  await commitOutcome(ports, ctx, target, outcome, Math.round(performance.now() - t0));
}
