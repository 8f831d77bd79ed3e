import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import type { CrmSyncsTable } from '../../store/tables.js';
import type { CallRequest, CrmSync } from './records.js';
import { crmSyncCounts } from './request-stats.repo.js';
import { requestOf } from './requests.repo.js';

/**
 * The management side's reads of requests: pages, export ranges and the tenant's figures. Times
 * are ISO text in both dialects, so ranges compare strings.
 */

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

export interface RequestCursor {
  createdAt: string;
  id: string;
}

export interface UsageCounts {
  total: number;
  sinceMonthStart: number;
  completed: number;
  failed: number;
  avgProcessingMs: number | null;
}

function filtered(db: Db, tenantId: string, f: RequestFilter) {
  let q = db.selectFrom('ingestion_requests').where('tenant_id', '=', tenantId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.source) q = q.where('source_type', '=', f.source);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.before) q = q.where('created_at', '<', f.before);
  return q;
}

async function list(db: Db, tenantId: string, page: RequestPage): Promise<{ requests: CallRequest[]; total: number }> {
  const { rows, total } = await pageWithTotal(filtered(db, tenantId, page), (base) => {
    let q = base.selectAll();
    if (page.sort === 'processing_time') {
      // SQLite sorts NULL first and PostgreSQL last; requests still running go last in both.
      q = q
        .orderBy(sql`case when processing_time_ms is null then 1 else 0 end`)
        .orderBy('processing_time_ms', page.order);
    } else {
      q = q.orderBy(page.sort, page.order);
    }
    return q.orderBy('id', page.order).limit(page.limit).offset(page.offset).execute();
  });
  return { requests: rows.map(requestOf), total };
}

async function listAfter(
  db: Db,
  tenantId: string,
  range: RequestFilter,
  cursor: RequestCursor | null,
  limit: number,
): Promise<CallRequest[]> {
  // Exports are of live requests only; a test key's stay readable through the list.
  let q = filtered(db, tenantId, range).selectAll().where('livemode', '=', 1);
  if (cursor)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '>', cursor.createdAt),
        eb.and([eb('created_at', '=', cursor.createdAt), eb('id', '>', cursor.id)]),
      ]),
    );
  const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map(requestOf);
}

const crmSyncOf = (row: CrmSyncsTable): CrmSync => ({
  crmType: row.crm_type,
  crmRecordId: row.crm_record_id,
  status: row.status,
  syncTimeMs: row.sync_time_ms,
  createdAt: row.created_at,
});

/** The CRM syncs of the requests, oldest first, by request id. */
async function crmSyncsFor(db: Db, tenantId: string, requestIds: readonly string[]): Promise<Map<string, CrmSync[]>> {
  const byRequest = new Map<string, CrmSync[]>();
  if (requestIds.length === 0) return byRequest;
  const rows = await db
    .selectFrom('crm_syncs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('request_id', 'in', requestIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    if (row.request_id === null) continue;
    byRequest.set(row.request_id, [...(byRequest.get(row.request_id) ?? []), crmSyncOf(row)]);
  }
  return byRequest;
}

async function usageCounts(db: Db, tenantId: string, monthStart: string): Promise<UsageCounts> {
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
    .where('livemode', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    sinceMonthStart: Number(row.month ?? 0),
    completed: Number(row.completed ?? 0),
    failed: Number(row.failed ?? 0),
    avgProcessingMs: row.avg_ms === null ? null : Number(row.avg_ms),
  };
}

export type RequestSearchRepo = ReturnType<typeof createRequestSearchRepo>;

export function createRequestSearchRepo(db: Db) {
  return {
    list: (tenantId: string, page: RequestPage) => list(db, tenantId, page),
    /** One page of the requests created in a range, oldest first, after the (created_at, id) cursor. */
    listAfter: (tenantId: string, range: RequestFilter, cursor: RequestCursor | null, limit: number) =>
      listAfter(db, tenantId, range, cursor, limit),
    crmSyncsFor: (tenantId: string, requestIds: readonly string[]) => crmSyncsFor(db, tenantId, requestIds),
    usageCounts: (tenantId: string, monthStart: string) => usageCounts(db, tenantId, monthStart),
    /** CRM syncs the pipeline made (those tied to a request), since `from` when given. */
    crmSyncCounts: (tenantId: string, from: string | null) => crmSyncCounts(db, tenantId, from),
  };
}
