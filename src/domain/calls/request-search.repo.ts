import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { CrmSyncsTable, ExportsTable, IngestionRequestsTable, IngestionStepsTable } from '../../store/tables.js';

/**
 * The read side of the ingestion pipeline (management, exports, analytics) and the few writes
 * the management API makes. The pipeline's own writes live in pipeline.repo.ts. Times are ISO
 * text in both dialects, so ranges compare strings.
 */

export type RequestRow = IngestionRequestsTable;
export type StepRow = IngestionStepsTable;
export type CrmSyncRow = CrmSyncsTable;
export type ExportRow = ExportsTable;

export type RequestSort = 'created_at' | 'updated_at' | 'processing_time';

export interface RequestFilter {
  status?: string;
  source?: string;
  /** Inclusive lower bound on created_at. */
  from?: string;
  /** Exclusive upper bound on created_at. */
  before?: string;
}

export interface RequestPage extends RequestFilter {
  sort: RequestSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

function filtered(db: Db, tenantId: string, f: RequestFilter) {
  let q = db.selectFrom('ingestion_requests').where('tenant_id', '=', tenantId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.source) q = q.where('source_type', '=', f.source);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.before) q = q.where('created_at', '<', f.before);
  return q;
}

export async function listRequests(
  db: Db,
  tenantId: string,
  page: RequestPage,
): Promise<{ rows: RequestRow[]; total: number }> {
  const base = filtered(db, tenantId, page);
  let q = base.selectAll();
  if (page.sort === 'processing_time') {
    // SQLite sorts NULL first and PostgreSQL last; requests still running go last in both.
    q = q
      .orderBy(sql`case when processing_time_ms is null then 1 else 0 end`)
      .orderBy('processing_time_ms', page.order);
  } else {
    q = q.orderBy(page.sort, page.order);
  }
  const [rows, count] = await Promise.all([
    q.orderBy('id', page.order).limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One page of the requests created in a range, oldest first, after the (created_at, id) cursor. */
export async function listRequestsAfter(
  db: Db,
  tenantId: string,
  range: RequestFilter,
  cursor: { createdAt: string; id: string } | null,
  limit: number,
): Promise<RequestRow[]> {
  let q = filtered(db, tenantId, range).selectAll();
  if (cursor)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '>', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '>', cursor.id)]),
      ]),
    );
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
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
  patch: Partial<Pick<RequestRow, 'status' | 'error_message' | 'retry_scheduled' | 'retry_at' | 'updated_at'>>,
): Promise<void> {
  await db
    .updateTable('ingestion_requests')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function listStepsOf(db: Db, tenantId: string, requestIds: readonly string[]): Promise<StepRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('ingestion_steps')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .execute();
}

export async function listCrmSyncsOf(db: Db, tenantId: string, requestIds: readonly string[]): Promise<CrmSyncRow[]> {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('crm_syncs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface UsageCounts {
  total: number;
  sinceMonthStart: number;
  completed: number;
  failed: number;
  avgProcessingMs: number | null;
}

export async function usageCounts(db: Db, tenantId: string, monthStart: string): Promise<UsageCounts> {
  const row = await db
    .selectFrom('ingestion_requests')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .sum<number>(eb.case().when('created_at', '>=', monthStart).then(eb.lit(1)).else(eb.lit(0)).end())
        .as('month'),
      eb.fn
        .sum<number>(eb.case().when('status', '=', 'completed').then(eb.lit(1)).else(eb.lit(0)).end())
        .as('completed'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(eb.lit(1)).else(eb.lit(0)).end()).as('failed'),
      eb.fn
        .avg<number>(eb.case().when('status', '=', 'completed').then(eb.ref('processing_time_ms')).end())
        .as('avg_ms'),
    ])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    sinceMonthStart: Number(row.month ?? 0),
    completed: Number(row.completed ?? 0),
    failed: Number(row.failed ?? 0),
    avgProcessingMs: row.avg_ms === null ? null : Number(row.avg_ms),
  };
}

/** CRM syncs the pipeline made (those tied to a request), since `from` when given. */
export async function crmSyncCounts(
  db: Db,
  tenantId: string,
  from: string | null,
): Promise<{ total: number; succeeded: number }> {
  let q = db
    .selectFrom('crm_syncs')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'success').then(eb.lit(1)).else(eb.lit(0)).end()).as('ok'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'is not', null);
  if (from) q = q.where('created_at', '>=', from);
  const row = await q.executeTakeFirstOrThrow();
  return { total: Number(row.total), succeeded: Number(row.ok ?? 0) };
}

export type AnalyticsRow = Pick<
  RequestRow,
  'created_at' | 'status' | 'lead_score' | 'project_type' | 'processing_time_ms' | 'ack_ms'
>;

export async function requestsSince(db: Db, tenantId: string, from: string): Promise<AnalyticsRow[]> {
  return db
    .selectFrom('ingestion_requests')
    .select(['created_at', 'status', 'lead_score', 'project_type', 'processing_time_ms', 'ack_ms'])
    .where('tenant_id', '=', tenantId)
    .where('created_at', '>=', from)
    .execute();
}

/** Cost per step name over the steps of requests created since `from`. */
export async function stepCostsSince(
  db: Db,
  tenantId: string,
  from: string,
): Promise<{ step: string; cost: number }[]> {
  const rows = await db
    .selectFrom('ingestion_steps as s')
    .innerJoin('ingestion_requests as r', (j) =>
      j.onRef('r.id', '=', 's.request_id').onRef('r.tenant_id', '=', 's.tenant_id'),
    )
    .select((eb) => ['s.step', eb.fn.sum<number>('s.cost_usd').as('cost')])
    .where('s.tenant_id', '=', tenantId)
    .where('r.created_at', '>=', from)
    .groupBy('s.step')
    .orderBy('s.step')
    .execute();
  return rows.map((r) => ({ step: r.step, cost: Number(r.cost ?? 0) }));
}

export async function insertExport(db: Db, tenantId: string, row: Omit<ExportRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('exports')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function findExport(db: Db, tenantId: string, id: string): Promise<ExportRow | undefined> {
  return db.selectFrom('exports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/**
 * The one read not scoped by tenant: a signed download link names only the export, and the
 * signature over its id is the caller's authority.
 */
export async function findExportBySignedId(db: Db, id: string): Promise<ExportRow | undefined> {
  return db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateExport(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<ExportRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('exports').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
