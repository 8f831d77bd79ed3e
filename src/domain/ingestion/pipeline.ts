import type { Transaction } from 'kysely';
import type { Clock } from '../../lib/clock.js';
import type { JobContext } from '../../queue/queue.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { Tables } from '../../store/tables.js';
import { deepMerge, type TenantsService } from '../tenants/index.js';
import { PIPELINE_STEPS, pipelineConfigSchema, type PipelineConfig, type PipelineStep } from './ingestion.schema.js';
import * as repo from './pipeline.repo.js';
import { stepCost, type StepPrices, type StepUsage } from './step-prices.js';

/** What a step may change on its request; JSON sections are deep-merged into what is stored. */
export interface RequestPatch {
  callData?: Record<string, unknown>;
  enrichedData?: Record<string, unknown>;
  aiAnalysis?: Record<string, unknown>;
  leadId?: string;
  leadScore?: number;
  projectType?: string | null;
}

export type StepOutcome =
  | { status: 'completed'; output?: unknown; costUsd?: number; usage?: StepUsage; patch?: RequestPatch }
  | { status: 'skipped'; reason: string; patch?: RequestPatch };

export interface StepInput {
  tenantId: string;
  request: repo.RequestRow;
  config: PipelineConfig;
  /** What earlier steps of this request returned as `output`. */
  outputs: Partial<Record<PipelineStep, unknown>>;
  signal: AbortSignal;
}

export type StepRunner = (input: StepInput) => Promise<StepOutcome>;

/** A step error that retrying will not fix (bad credentials, a rejected record); `code` names it in the request's error. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface StepPolicy {
  maxAttempts: number;
}

export interface IngestionPipeline {
  /**
   * The relay's step: queues the first pipeline step of up to `limit` stored requests that are still
   * waiting for it, oldest first, and marks them queued in the same transaction. Answers how many.
   */
  queueStored(limit: number): Promise<number>;
  /** The job step of `ingest.step`. */
  runStep(
    payload: { tenantId: string; requestId: string; step: string; generation: number },
    ctx: JobContext,
  ): Promise<void>;
  /** Re-queues the first step that is not done, to run at `at`; completed and skipped steps are not redone. */
  scheduleRetry(tenantId: string, requestId: string, at: Date): Promise<void>;
  /**
   * Queues the next step of every unfinished request untouched for `idleMs`: a process that died
   * between finishing a step and queueing the next leaves such a request behind. Answers how many.
   */
  recover(idleMs: number): Promise<number>;
}

const DONE = new Set(['completed', 'skipped']);
/** A step still going after this long is marked `running`. */
export const RUNNING_MARK_MS = 250;

function isPipelineStep(step: string): step is PipelineStep {
  return (PIPELINE_STEPS as readonly string[]).includes(step);
}

export function createIngestionPipeline(deps: {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: TenantsService;
  steps: Record<PipelineStep, StepRunner>;
  policies: Record<PipelineStep, StepPolicy>;
  prices: StepPrices;
}): IngestionPipeline {
  /** The `ingest.step` job that runs `step` of the request's current generation. */
  const stepJob = (
    tenantId: string,
    request: Pick<repo.RequestRow, 'id' | 'generation'>,
    step: PipelineStep,
    delayMs = 0,
  ) => ({
    payload: { tenantId, requestId: request.id, step, generation: request.generation },
    options: {
      tenantId,
      dedupeKey: `ingest:${request.id}:${request.generation}:${step}`,
      maxAttempts: deps.policies[step].maxAttempts,
      // Later steps first: under a backlog the queue finishes the calls it has started before it
      // starts new ones, instead of running every call's first step while none completes.
      priority: PIPELINE_STEPS.indexOf(step),
      ...(delayMs > 0 ? { delayMs } : {}),
    },
  });

  const enqueue = async (tenantId: string, request: repo.RequestRow, step: PipelineStep, delayMs = 0) => {
    const job = stepJob(tenantId, request, step, delayMs);
    await deps.queue.enqueue('ingest.step', job.payload, job.options);
  };

  const queueFirstSteps = (trx: Transaction<Tables>, tenantId: string, requestIds: readonly string[]) =>
    // A request the relay has not queued yet has every pipeline step pending, generation 0 (if a retry
    // got to it first, it bumped the generation, and this job finds nothing to do).
    deps.queue.enqueueManyInTransaction(
      trx,
      'ingest.step',
      requestIds.map((id) => stepJob(tenantId, { id, generation: 0 }, PIPELINE_STEPS[0])),
    );

  const firstOpenStep = (steps: repo.StepRow[]): PipelineStep | undefined =>
    steps.find((s) => isPipelineStep(s.step) && !DONE.has(s.status))?.step as PipelineStep | undefined;

  const finish = async (db: Db, tenantId: string, request: repo.RequestRow) => {
    const now = deps.clock.now();
    await repo.updateRequest(db, tenantId, request.id, {
      status: 'completed',
      error_message: null,
      retry_scheduled: 0,
      retry_at: null,
      processed_at: now.toISOString(),
      processing_time_ms: now.getTime() - new Date(request.created_at).getTime(),
      updated_at: now.toISOString(),
    });
  };

  const advance = async (tenantId: string, requestId: string) => {
    const request = await repo.findRequest(deps.db, tenantId, requestId);
    if (!request) return;
    const next = firstOpenStep(await repo.listSteps(deps.db, request));
    if (next) await enqueue(tenantId, request, next);
    else await finish(deps.db, tenantId, request);
  };

  const applyPatch = async (
    db: Db,
    tenantId: string,
    request: repo.RequestRow,
    patch: RequestPatch | undefined,
    costUsd: number,
  ) => {
    const now = deps.clock.now().toISOString();
    const merge = (stored: string | null, add: Record<string, unknown> | undefined) =>
      add ? toJson(deepMerge(fromJson<Record<string, unknown>>(stored, {}), add).merged) : undefined;
    await repo.updateRequest(db, tenantId, request.id, {
      ...(patch?.callData ? { call_data: merge(request.call_data, patch.callData) } : {}),
      ...(patch?.enrichedData ? { enriched_data: merge(request.enriched_data, patch.enrichedData) } : {}),
      ...(patch?.aiAnalysis ? { ai_analysis: toJson(patch.aiAnalysis) } : {}),
      ...(patch?.leadId ? { lead_id: patch.leadId } : {}),
      ...(patch?.leadScore !== undefined ? { lead_score: patch.leadScore } : {}),
      ...(patch?.projectType !== undefined ? { project_type: patch.projectType } : {}),
      cost_usd: request.cost_usd + costUsd,
      updated_at: now,
    });
  };

  return {
    async queueStored(limit) {
      const now = deps.clock.now().toISOString();
      const dispatches: (() => Promise<void>)[] = [];
      const queued = await deps.db.transaction().execute(async (trx) => {
        const waiting = await repo.listUnqueued(trx, limit);
        const byTenant = new Map<string, string[]>();
        for (const r of waiting) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.id]);
        for (const [tenantId, ids] of byTenant) {
          const queued = await queueFirstSteps(trx, tenantId, ids);
          dispatches.push(() => queued.dispatch());
          await repo.markQueued(trx, tenantId, ids, now);
        }
        return waiting.length;
      });
      // After the commit the jobs are durable; a dispatch that fails is repaired by the queue's own recovery.
      await Promise.all(dispatches.map((d) => d().catch(() => undefined)));
      return queued;
    },

    async runStep(payload, ctx) {
      const { tenantId, requestId, step } = payload;
      if (!isPipelineStep(step)) return;
      const request = await repo.findRequest(deps.db, tenantId, requestId);
      // A deleted request, or a job from before a retry re-queued the request under a new generation.
      if (!request || request.generation !== payload.generation) return;
      const steps = await repo.listSteps(deps.db, request);
      const row = steps.find((s) => s.step === step);
      if (!row) return;
      if (DONE.has(row.status)) {
        await advance(tenantId, requestId);
        return;
      }
      const started = deps.clock.now();
      if (request.status === 'pending' || request.status === 'failed') {
        await repo.updateRequest(deps.db, tenantId, requestId, {
          status: 'processing',
          updated_at: started.toISOString(),
        });
      }
      const attempt = { started_at: started.toISOString(), attempts: row.attempts + 1 };
      // Only a step still going after RUNNING_MARK_MS is marked running: most steps finish (or are
      // skipped) sooner, and the write would cost a commit per job for a state nobody saw.
      let marking: Promise<void> | undefined;
      const mark = setTimeout(() => {
        marking = repo
          .saveStep(deps.db, tenantId, requestId, step, {
            status: 'running',
            ...attempt,
            updated_at: deps.clock.now().toISOString(),
          })
          .catch(() => undefined);
      }, RUNNING_MARK_MS);
      const settled = async () => {
        clearTimeout(mark);
        // The outcome is written after the mark, never overwritten by it.
        await marking;
      };

      const config = pipelineConfigSchema.parse(await deps.tenants.getConfigWithSecrets(tenantId));
      const outputs = Object.fromEntries(
        steps.filter((s) => s.output !== null).map((s) => [s.step, fromJson<unknown>(s.output, null)]),
      );
      const t0 = performance.now();
      let outcome: StepOutcome;
      try {
        outcome = await deps.steps[step]({ tenantId, request, config, outputs, signal: ctx.signal });
      } catch (err) {
        await settled();
        const failure =
          err instanceof StepFailure
            ? err
            : new StepFailure(err instanceof Error ? err.message : String(err), 'STEP_ERROR', true);
        const durationMs = Math.round(performance.now() - t0);
        const now = deps.clock.now().toISOString();
        const last = !failure.retryable || ctx.attempt >= ctx.maxAttempts;
        await repo.saveStep(deps.db, tenantId, requestId, step, {
          status: last ? 'failed' : 'pending',
          ...attempt,
          duration_ms: durationMs,
          error: `${failure.code}: ${failure.message}`,
          updated_at: now,
        });
        if (!last) throw failure;
        await repo.updateRequest(deps.db, tenantId, requestId, {
          status: 'failed',
          error_message: `${failure.code}: ${failure.message}`,
          retry_scheduled: 0,
          updated_at: now,
        });
        return;
      }
      await settled();
      const durationMs = Math.round(performance.now() - t0);
      const now = deps.clock.now().toISOString();
      // A skipped step did no work worth pricing.
      const costUsd =
        outcome.status === 'completed'
          ? stepCost(deps.prices, {
              step,
              vendorCostUsd: outcome.costUsd ?? 0,
              durationMs,
              ...(outcome.usage ? { usage: outcome.usage } : {}),
            })
          : 0;
      const next = firstOpenStep(steps.map((s) => (s.step === step ? { ...s, status: outcome.status } : s)));
      // One transaction: a process killed in between would leave the step done but its result (the
      // lead id a later step needs) unrecorded, or the request with no next job, and the step is never redone.
      // The job's completion commits with them: one commit per step, and a try that lost its job to
      // another worker records nothing.
      const queued = await deps.db.transaction().execute(async (trx) => {
        if (!(await ctx.completeIn(trx)))
          throw new Error(`the job of step ${step} was taken over by another worker; this try's outcome is dropped`);
        await repo.saveStep(trx, tenantId, requestId, step, {
          status: outcome.status,
          ...attempt,
          duration_ms: durationMs,
          reason: outcome.status === 'skipped' ? outcome.reason : null,
          error: null,
          cost_usd: costUsd,
          output: outcome.status === 'completed' && outcome.output !== undefined ? toJson(outcome.output) : null,
          updated_at: now,
        });
        await applyPatch(trx, tenantId, request, outcome.patch, costUsd);
        if (!next) return finish(trx, tenantId, request);
        const job = stepJob(tenantId, request, next);
        return deps.queue.enqueueInTransaction(trx, 'ingest.step', job.payload, job.options);
      });
      await queued?.dispatch().catch(() => undefined);
    },

    async recover(idleMs) {
      const before = new Date(deps.clock.now().getTime() - idleMs).toISOString();
      const stalled = await repo.listStalled(deps.db, before, 1_000);
      for (const r of stalled) await advance(r.tenant_id, r.id);
      return stalled.length;
    },

    async scheduleRetry(tenantId, requestId, at) {
      const request = await repo.findRequest(deps.db, tenantId, requestId);
      if (!request) return;
      const next = firstOpenStep(await repo.listSteps(deps.db, request));
      // Every step is done: nothing to retry, and a request left `failed` by hand is simply finished.
      if (!next) {
        if (request.status !== 'completed') await finish(deps.db, tenantId, request);
        return;
      }
      const generation = request.generation + 1;
      const now = deps.clock.now();
      await repo.updateRequest(deps.db, tenantId, requestId, {
        generation,
        retry_scheduled: 1,
        retry_at: at.toISOString(),
        updated_at: now.toISOString(),
      });
      await repo.saveStep(deps.db, tenantId, requestId, next, { status: 'pending', updated_at: now.toISOString() });
      await enqueue(tenantId, { ...request, generation }, next, Math.max(0, at.getTime() - now.getTime()));
    },
  };
}
