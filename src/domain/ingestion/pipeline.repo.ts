import type { Db } from '../../store/db.js';
import type { IngestionRequestsTable, IngestionStepsTable } from '../../store/tables.js';

export type RequestRow = IngestionRequestsTable;
export type StepRow = IngestionStepsTable;

/**
 * Inserts requests of one tenant (one multi-row insert) and the steps of those stored; a request whose
 * dedupe key is taken is left out with its steps. Answers the ids stored. Run it in the caller's transaction.
 */
export async function insertRequests(db: Db, tenantId: string, rows: Omit<RequestRow, 'tenant_id'>[], steps: Omit<StepRow, 'tenant_id'>[]): Promise<Set<string>> {
  const stored = await db
    .insertInto('ingestion_requests')
    .values(rows.map((row) => ({ ...row, tenant_id: tenantId })))
    .onConflict((oc) => oc.columns(['tenant_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  const ids = new Set(stored.map((r) => r.id));
  const kept = steps.filter((s) => ids.has(s.request_id));
  if (kept.length > 0) await db.insertInto('ingestion_steps').values(kept.map((s) => ({ ...s, tenant_id: tenantId }))).execute();
  return ids;
}

export async function findByDedupeKey(db: Db, tenantId: string, dedupeKey: string): Promise<RequestRow | undefined> {
  return db.selectFrom('ingestion_requests').selectAll().where('tenant_id', '=', tenantId).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
}

export async function findRequest(db: Db, tenantId: string, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom('ingestion_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function updateRequest(db: Db, tenantId: string, id: string, patch: Partial<Omit<RequestRow, 'id' | 'tenant_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('ingestion_requests').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function listSteps(db: Db, tenantId: string, requestId: string): Promise<StepRow[]> {
  return db.selectFrom('ingestion_steps').selectAll().where('tenant_id', '=', tenantId).where('request_id', '=', requestId).orderBy('position').execute();
}

export async function updateStep(db: Db, tenantId: string, requestId: string, step: string, patch: Partial<Omit<StepRow, 'id' | 'tenant_id' | 'request_id' | 'step'>>): Promise<void> {
  await db.updateTable('ingestion_steps').set(patch).where('tenant_id', '=', tenantId).where('request_id', '=', requestId).where('step', '=', step).execute();
}

/** Processing times of the tenant's latest completed requests, for the completion estimate. */
export async function recentProcessingTimes(db: Db, tenantId: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('ingestion_requests')
    .select('processing_time_ms')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'completed')
    .where('processing_time_ms', 'is not', null)
    .orderBy('processed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.processing_time_ms));
}

/** Requests not finished and not touched since `before`, of every tenant: work a crash may have left without a queued job. */
export async function listStalled(db: Db, before: string, limit: number): Promise<{ tenant_id: string; id: string }[]> {
  return db
    .selectFrom('ingestion_requests')
    .select(['tenant_id', 'id'])
    .where('status', 'in', ['pending', 'processing'])
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
