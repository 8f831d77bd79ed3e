import { INGESTION_STEPS } from './calls.schema.js';
import type { CallRequest, CallStep } from './records.js';

/** The step a request has before it runs. */
function plannedStep(step: string, updatedAt: string): CallStep {
  return {
    step,
    status: 'pending',
    startedAt: null,
    durationMs: null,
    attempts: 0,
    reason: null,
    error: null,
    costUsd: 0,
    output: null,
    updatedAt,
  };
}

/**
 * A request's steps in order. A step's row is written when the step first runs, so the intake
 * stores one row per call, not one per step: `webhook_received` is the intake itself (its time
 * and duration are on the request), and a step without a row has not run — pending, unless the
 * request is completed (a request finished before every step existed keeps what it ran).
 */
export function planSteps(
  request: Pick<CallRequest, 'status' | 'createdAt' | 'ackMs'>,
  stored: readonly CallStep[],
): CallStep[] {
  const byStep = new Map(stored.map((s) => [s.step, s]));
  const steps: CallStep[] = [];
  for (const step of INGESTION_STEPS) {
    const row = byStep.get(step);
    if (row) steps.push(row);
    else if (step === 'webhook_received')
      steps.push({
        ...plannedStep(step, request.createdAt),
        status: 'completed',
        startedAt: request.createdAt,
        durationMs: request.ackMs,
        attempts: 1,
      });
    else if (request.status !== 'completed') steps.push(plannedStep(step, request.createdAt));
  }
  return steps;
}
