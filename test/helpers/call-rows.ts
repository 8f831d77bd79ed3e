import { INGESTION_STEPS } from '../../src/domain/calls/index.js';
import type { Db } from '../../src/store/db.js';
import type { IngestionRequestsTable, IngestionStepsTable } from '../../src/store/tables.js';

/**
 * The stored rows of a request and its steps, for tests that look under the API. Steps without a
 * row are shown as the API shows them: `webhook_received` completed at intake, the others pending.
 */

export function findRequest(db: Db, tenantId: string, id: string): Promise<IngestionRequestsTable | undefined> {
  return db
    .selectFrom('ingestion_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listSteps(db: Db, request: IngestionRequestsTable): Promise<IngestionStepsTable[]> {
  const stored = await db
    .selectFrom('ingestion_steps')
    .selectAll()
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .execute();
  const byStep = new Map(stored.map((s) => [s.step, s]));
  return INGESTION_STEPS.flatMap((step, position): IngestionStepsTable[] => {
    const row = byStep.get(step);
    if (row) return [row];
    if (step !== 'webhook_received' && request.status === 'completed') return [];
    const intake = step === 'webhook_received';
    return [
      {
        id: '',
        tenant_id: request.tenant_id,
        request_id: request.id,
        step,
        position,
        status: intake ? 'completed' : 'pending',
        started_at: intake ? request.created_at : null,
        duration_ms: intake ? request.ack_ms : null,
        attempts: intake ? 1 : 0,
        reason: null,
        error: null,
        cost_usd: 0,
        output: null,
        updated_at: request.created_at,
      },
    ];
  });
}
