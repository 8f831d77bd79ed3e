import type { Db } from '../../store/db.js';
import type { IngestionRequestsTable } from '../../store/tables.js';

/**
 * The analytics' reads of the pipeline's tables, by period. Times are ISO text in both dialects,
 * so ranges compare strings.
 */

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
  IngestionRequestsTable,
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
