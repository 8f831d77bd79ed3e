import type { Db } from '../../store/db.js';

/** The pipeline's CRM sync figures. Times are ISO text in both dialects, so ranges compare strings. */

/** CRM syncs the pipeline made for live requests (a test key's are left out), since `from` when given. */
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
    .where('request_id', 'in', (eb) =>
      eb.selectFrom('ingestion_requests').select('id').where('tenant_id', '=', tenantId).where('livemode', '=', 1),
    );
  if (from) q = q.where('created_at', '>=', from);
  const row = await q.executeTakeFirstOrThrow();
  return { total: Number(row.total), succeeded: Number(row.ok ?? 0) };
}
