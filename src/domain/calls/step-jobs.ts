import type { EnqueueOptions } from '../../queue/queue.js';
import { PIPELINE_STEPS, type PipelineStep } from './calls.schema.js';
import type { CallRequest, CallStep } from './records.js';
import type { StepPolicy } from './step.js';

const DONE = new Set(['completed', 'skipped']);

export const isDone = (status: string): boolean => DONE.has(status);

export function isPipelineStep(step: string): step is PipelineStep {
  return (PIPELINE_STEPS as readonly string[]).includes(step);
}

/** The first pipeline step of the plan that is neither completed nor skipped. */
export function firstOpenStep(steps: readonly Pick<CallStep, 'step' | 'status'>[]): PipelineStep | undefined {
  return steps.find((s) => isPipelineStep(s.step) && !isDone(s.status))?.step as PipelineStep | undefined;
}

/** The `ingest.step` job that runs `step` of the request's current generation. */
export function stepJob(
  policies: Record<PipelineStep, StepPolicy>,
  tenantId: string,
  request: Pick<CallRequest, 'id' | 'generation'>,
  step: PipelineStep,
  delayMs = 0,
): { payload: { tenantId: string; requestId: string; step: string; generation: number }; options: EnqueueOptions } {
  return {
    payload: { tenantId, requestId: request.id, step, generation: request.generation },
    options: {
      tenantId,
      dedupeKey: `ingest:${request.id}:${request.generation}:${step}`,
      maxAttempts: policies[step].maxAttempts,
      // Later steps first: under a backlog the queue finishes the calls it has started before it
      // starts new ones, instead of running every call's first step while none completes.
      priority: PIPELINE_STEPS.indexOf(step),
      ...(delayMs > 0 ? { delayMs } : {}),
    },
  };
}
