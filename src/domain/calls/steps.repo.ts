import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { IngestionStepsTable } from '../../store/tables.js';
import { INGESTION_STEPS } from './calls.schema.js';
import type { CallStep, StepChange } from './records.js';

type StepRow = IngestionStepsTable;

function stepOf(row: StepRow): CallStep {
  return {
    step: row.step,
    status: row.status,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    attempts: row.attempts,
    reason: row.reason,
    error: row.error,
    costUsd: row.cost_usd,
    output: fromJson<unknown>(row.output, null),
    updatedAt: row.updated_at,
  };
}

type RowPatch = Partial<Omit<StepRow, 'id' | 'tenant_id' | 'request_id' | 'step' | 'position'>> & {
  updated_at: string;
};

function rowPatchOf(c: StepChange): RowPatch {
  const p: RowPatch = { updated_at: c.updatedAt };
  if (c.status !== undefined) p.status = c.status;
  if (c.startedAt !== undefined) p.started_at = c.startedAt;
  if (c.durationMs !== undefined) p.duration_ms = c.durationMs;
  if (c.attempts !== undefined) p.attempts = c.attempts;
  if (c.reason !== undefined) p.reason = c.reason;
  if (c.error !== undefined) p.error = c.error;
  if (c.costUsd !== undefined) p.cost_usd = c.costUsd;
  if (c.output !== undefined) p.output = c.output === null ? null : toJson(c.output);
  return p;
}

/** Stored steps of the requests, by request id. */
async function listFor(db: Db, tenantId: string, requestIds: readonly string[]): Promise<Map<string, CallStep[]>> {
  const byRequest = new Map<string, CallStep[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await db
    .selectFrom('ingestion_steps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .execute();
  for (const row of rows) byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), stepOf(row)]);
  return byRequest;
}

/** Writes a step's row, creating it (pending until `change` says otherwise) the first time the step changes. */
async function save(db: Db, tenantId: string, requestId: string, step: string, change: StepChange): Promise<void> {
  const patch = rowPatchOf(change);
  await db
    .insertInto('ingestion_steps')
    .values({
      id: newId('step'),
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
      ...patch,
    })
    .onConflict((oc) => oc.columns(['request_id', 'step']).doUpdateSet(patch))
    .execute();
}

export type StepsRepo = ReturnType<typeof createStepsRepo>;

/** The rows of `ingestion_steps`. A step's row is written when the step first changes; see `planSteps`. */
export function createStepsRepo(db: Db) {
  return {
    /** The stored steps of one request. */
    listOf: async (tenantId: string, requestId: string) =>
      (await listFor(db, tenantId, [requestId])).get(requestId) ?? [],
    listFor: (tenantId: string, requestIds: readonly string[]) => listFor(db, tenantId, requestIds),
    save: (tenantId: string, requestId: string, step: string, change: StepChange) =>
      save(db, tenantId, requestId, step, change),
  };
}
