import type { Db } from '../../store/db.js';
import type { DataMode } from '../actor.js';
import { fromJson, toJson } from '../../store/json.js';
import { preparedInsert } from '../../store/prepared-insert.js';
import type { IngestionRequestsTable } from '../../store/tables.js';
import type { CallRequest, NewCallRequest, RequestChange } from './records.js';

type RequestRow = IngestionRequestsTable;

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
  'livemode',
] as const;
type InsertedRequest = Pick<RequestRow, (typeof NEW_REQUEST_COLUMNS)[number]>;

const insertNewRequests = preparedInsert<InsertedRequest, { id: string }>(NEW_REQUEST_COLUMNS, (db, rows) =>
  db
    .insertInto('ingestion_requests')
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'livemode', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing(),
    )
    .returning('id'),
);

const EMPTY_JSON = toJson({});

/** The row a new request is inserted as, its keys in `NEW_REQUEST_COLUMNS` order (the prepared insert needs it). */
function newRow(tenantId: string, r: NewCallRequest): InsertedRequest {
  return {
    id: r.id,
    tenant_id: tenantId,
    source_type: r.source,
    external_id: r.externalId,
    dedupe_key: r.dedupeKey,
    status: 'pending',
    original_payload: r.originalPayload,
    call_data: toJson(r.callData),
    enriched_data: EMPTY_JSON,
    retry_scheduled: 0,
    generation: 0,
    cost_usd: 0,
    ack_ms: r.ackMs,
    created_at: r.createdAt,
    updated_at: r.createdAt,
    livemode: r.mode === 'live' ? 1 : 0,
  };
}

export function requestOf(row: RequestRow): CallRequest {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    source: row.source_type,
    externalId: row.external_id,
    dedupeKey: row.dedupe_key,
    status: row.status,
    originalPayload: row.original_payload,
    callData: fromJson<Record<string, unknown>>(row.call_data, {}),
    enrichedData: fromJson<Record<string, unknown>>(row.enriched_data, {}),
    aiAnalysis: fromJson<Record<string, unknown> | null>(row.ai_analysis, null),
    leadId: row.lead_id,
    leadScore: row.lead_score,
    projectType: row.project_type,
    errorMessage: row.error_message,
    retryScheduled: row.retry_scheduled === 1,
    retryAt: row.retry_at,
    generation: row.generation,
    costUsd: row.cost_usd,
    ackMs: row.ack_ms,
    processingTimeMs: row.processing_time_ms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    processedAt: row.processed_at,
    queuedAt: row.queued_at,
    mode: row.livemode === undefined || Boolean(row.livemode) ? 'live' : 'test',
  };
}

type RowPatch = Partial<Omit<RequestRow, 'id' | 'tenant_id' | 'created_at'>>;

function rowPatchOf(c: RequestChange): RowPatch {
  const p: RowPatch = {};
  if (c.status !== undefined) p.status = c.status;
  if (c.callData !== undefined) p.call_data = toJson(c.callData);
  if (c.enrichedData !== undefined) p.enriched_data = toJson(c.enrichedData);
  if (c.aiAnalysis !== undefined) p.ai_analysis = toJson(c.aiAnalysis);
  if (c.leadId !== undefined) p.lead_id = c.leadId;
  if (c.leadScore !== undefined) p.lead_score = c.leadScore;
  if (c.projectType !== undefined) p.project_type = c.projectType;
  if (c.errorMessage !== undefined) p.error_message = c.errorMessage;
  if (c.retryScheduled !== undefined) p.retry_scheduled = c.retryScheduled ? 1 : 0;
  if (c.retryAt !== undefined) p.retry_at = c.retryAt;
  if (c.generation !== undefined) p.generation = c.generation;
  if (c.costUsd !== undefined) p.cost_usd = c.costUsd;
  if (c.processedAt !== undefined) p.processed_at = c.processedAt;
  if (c.processingTimeMs !== undefined) p.processing_time_ms = c.processingTimeMs;
  if (c.updatedAt !== undefined) p.updated_at = c.updatedAt;
  return p;
}

/** A request's identity for the sweeps that look across tenants. */
export interface RequestRef {
  tenantId: string;
  id: string;
}

async function insertMany(db: Db, tenantId: string, requests: readonly NewCallRequest[]): Promise<Set<string>> {
  const stored = await insertNewRequests(
    db,
    requests.map((r) => newRow(tenantId, r)),
  );
  return new Set(stored.map((r) => r.id));
}

async function findBy(db: Db, tenantId: string, column: 'id' | 'dedupe_key', value: string, mode?: DataMode) {
  let q = db.selectFrom('ingestion_requests').selectAll().where('tenant_id', '=', tenantId).where(column, '=', value);
  if (mode) q = q.where('livemode', '=', mode === 'live' ? 1 : 0);
  const row = await q.executeTakeFirst();
  return row && requestOf(row);
}

async function update(db: Db, tenantId: string, id: string, change: RequestChange): Promise<void> {
  await db
    .updateTable('ingestion_requests')
    .set(rowPatchOf(change))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

async function recentProcessingTimes(db: Db, tenantId: string, limit: number): Promise<number[]> {
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

const refs = (rows: { tenant_id: string; id: string }[]): RequestRef[] =>
  rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));

async function listStalled(db: Db, before: string, limit: number): Promise<RequestRef[]> {
  const rows = await db
    .selectFrom('ingestion_requests')
    .select(['tenant_id', 'id'])
    .where('status', 'in', ['pending', 'processing'])
    .where('queued_at', 'is not', null)
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return refs(rows);
}

async function listUnqueued(db: Db, limit: number): Promise<RequestRef[]> {
  const rows = await db
    .selectFrom('ingestion_requests')
    .select(['tenant_id', 'id'])
    .where('queued_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return refs(rows);
}

async function markQueued(db: Db, tenantId: string, ids: readonly string[], at: string): Promise<void> {
  await db
    .updateTable('ingestion_requests')
    .set({ queued_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

export type RequestsRepo = ReturnType<typeof createRequestsRepo>;

/** The rows of `ingestion_requests`: the intake's inserts, the pipeline's writes and the lookups by key. */
export function createRequestsRepo(db: Db) {
  return {
    /** Inserts requests of one tenant in one statement; one whose dedupe key is taken is left out. Answers the ids stored. */
    insertMany: (tenantId: string, requests: readonly NewCallRequest[]) => insertMany(db, tenantId, requests),
    findById: (tenantId: string, id: string) => findBy(db, tenantId, 'id', id),
    /** A test key's Idempotency-Key never answers for a live request's, nor the other way round. */
    findByDedupeKey: (tenantId: string, mode: DataMode, dedupeKey: string) =>
      findBy(db, tenantId, 'dedupe_key', dedupeKey, mode),
    update: (tenantId: string, id: string, change: RequestChange) => update(db, tenantId, id, change),
    /** Processing times of the tenant's latest completed requests, for the completion estimate. */
    recentProcessingTimes: (tenantId: string, limit: number) => recentProcessingTimes(db, tenantId, limit),
    /**
     * Requests not finished and not touched since `before`, of every tenant: work a crash may have
     * left without a queued job. Requests the relay has not queued yet are the relay's (`listUnqueued`).
     */
    listStalled: (before: string, limit: number) => listStalled(db, before, limit),
    /** The oldest stored requests, of every tenant, whose first step the relay has not queued yet. */
    listUnqueued: (limit: number) => listUnqueued(db, limit),
    markQueued: (tenantId: string, ids: readonly string[], at: string) => markQueued(db, tenantId, ids, at),
  };
}
