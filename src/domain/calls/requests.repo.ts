import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { preparedInsert } from '../../store/prepared-insert.js';
import type { IngestionRequestsTable, IngestionStepsTable } from '../../store/tables.js';
import { pendingStep, stepsOf } from './step-plan.js';

export type RequestRow = IngestionRequestsTable;
export type StepRow = IngestionStepsTable;
/** What a new request's insert sets; the columns later steps fill start empty or at zero. */
export type NewRequestRow = Pick<
  RequestRow,
  | 'id'
  | 'source_type'
  | 'external_id'
  | 'dedupe_key'
  | 'status'
  | 'original_payload'
  | 'call_data'
  | 'enriched_data'
  | 'ack_ms'
  | 'created_at'
  | 'updated_at'
>;

const NEW_REQUEST_COLUMNS = [
  'id',
  'tenant_id',
  'source_type',
  'external_id',
  'dedupe_key',
  'status',
  'original_payload',
  'call_data',
  'enriched_data',
  'retry_scheduled',
  'generation',
  'cost_usd',
  'ack_ms',
  'created_at',
  'updated_at',
] as const;
type InsertedRequest = Pick<RequestRow, (typeof NEW_REQUEST_COLUMNS)[number]>;

const insertNewRequests = preparedInsert<InsertedRequest, { id: string }>(NEW_REQUEST_COLUMNS, (db, rows) =>
  db
    .insertInto('ingestion_requests')
    .values([...rows])
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id'),
);

/**
 * Inserts requests of one tenant (one multi-row insert; the columns later steps fill start empty);
 * a request whose dedupe key is taken is left out. Answers the ids stored. Run it in the caller's transaction.
 */
export async function insertRequests(db: Db, tenantId: string, rows: readonly NewRequestRow[]): Promise<Set<string>> {
  const stored = await insertNewRequests(
    db,
    rows.map((r) => ({ ...r, tenant_id: tenantId, retry_scheduled: 0, generation: 0, cost_usd: 0 })),
  );
  return new Set(stored.map((r) => r.id));
}

export async function findByDedupeKey(db: Db, tenantId: string, dedupeKey: string): Promise<RequestRow | undefined> {
  return db
    .selectFrom('ingestion_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
}

export async function findRequest(db: Db, tenantId: string, id: string): Promise<RequestRow | undefined> {
  return db
    .selectFrom('ingestion_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateRequest(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<RequestRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db
    .updateTable('ingestion_requests')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Every step of the request in order, the ones that have not run as pending (see `stepsOf`). */
export async function listSteps(db: Db, request: RequestRow): Promise<StepRow[]> {
  const stored = await db
    .selectFrom('ingestion_steps')
    .selectAll()
    .where('tenant_id', '=', request.tenant_id)
    .where('request_id', '=', request.id)
    .execute();
  return stepsOf(request, stored);
}

type StepPatch = Partial<Omit<StepRow, 'id' | 'tenant_id' | 'request_id' | 'step' | 'position'>> & {
  updated_at: string;
};

/** Writes a step's row, creating it the first time the step changes. */
export async function saveStep(
  db: Db,
  tenantId: string,
  requestId: string,
  step: string,
  patch: StepPatch,
): Promise<void> {
  await db
    .insertInto('ingestion_steps')
    .values({ ...pendingStep(tenantId, requestId, step, patch.updated_at), id: newId('step'), ...patch })
    .onConflict((oc) => oc.columns(['request_id', 'step']).doUpdateSet(patch))
    .execute();
}

/** Processing times of the tenant's latest completed requests, for the completion estimate. */
export async function recentProcessingTimes(db: Db, tenantId: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('ingestion_requests')
    .select('processing_time_ms')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'completed')
    .where('processed_at', 'is not', null)
    .where('processing_time_ms', 'is not', null)
    .orderBy('processed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.processing_time_ms));
}

/**
 * Requests not finished and not touched since `before`, of every tenant: work a crash may have left
 * without a queued job. Requests the relay has not queued yet are the relay's (`listUnqueued`).
 */
export async function listStalled(db: Db, before: string, limit: number): Promise<{ tenant_id: string; id: string }[]> {
  return db
    .selectFrom('ingestion_requests')
    .select(['tenant_id', 'id'])
    .where('status', 'in', ['pending', 'processing'])
    .where('queued_at', 'is not', null)
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

/** The oldest stored requests, of every tenant, whose first step the relay has not queued yet. */
export async function listUnqueued(db: Db, limit: number): Promise<{ tenant_id: string; id: string }[]> {
  return db
    .selectFrom('ingestion_requests')
    .select(['tenant_id', 'id'])
    .where('queued_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export async function markQueued(db: Db, tenantId: string, ids: readonly string[], at: string): Promise<void> {
  await db
    .updateTable('ingestion_requests')
    .set({ queued_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}
