import type { IngestionRequestsTable as RequestRow, IngestionStepsTable as StepRow } from '../../store/tables.js';
import { INGESTION_STEPS } from './calls.schema.js';

/**
 * A request's steps as spec A lists them. A step's row is written when the step first runs, so the
 * intake stores one row per call, not one per step: `webhook_received` is the intake itself (its
 * time and duration are on the request), and a step without a row has not run — pending, unless
 * the request is completed (a request finished before every step existed keeps what it ran).
 */
export function stepsOf(
  request: Pick<RequestRow, 'id' | 'tenant_id' | 'status' | 'created_at' | 'ack_ms'>,
  stored: readonly StepRow[],
): StepRow[] {
  const byStep = new Map(stored.map((s) => [s.step, s]));
  const steps: StepRow[] = [];
  for (const step of INGESTION_STEPS) {
    const row = byStep.get(step);
    const planned = () => pendingStep(request.tenant_id, request.id, step, request.created_at);
    if (row) steps.push(row);
    else if (step === 'webhook_received')
      steps.push({
        ...planned(),
        status: 'completed',
        started_at: request.created_at,
        duration_ms: request.ack_ms,
        attempts: 1,
      });
    else if (request.status !== 'completed') steps.push(planned());
  }
  return steps;
}

/** The row a step has before it runs; `id` is empty until it is stored. */
export function pendingStep(tenantId: string, requestId: string, step: string, updatedAt: string): StepRow {
  return {
    id: '',
    tenant_id: tenantId,
    request_id: requestId,
    step,
    position: (INGESTION_STEPS as readonly string[]).indexOf(step),
    status: 'pending',
    started_at: null,
    duration_ms: null,
    attempts: 0,
    reason: null,
    error: null,
    cost_usd: 0,
    output: null,
    updated_at: updatedAt,
  };
}
