import type { Db } from '../../store/db.js';
import type { LeadScoresTable, LeadsTable } from '../../store/tables.js';

export type LeadRow = LeadsTable;

export async function findById(db: Db, tenantId: string, id: string): Promise<LeadRow | undefined> {
  return db.selectFrom('leads').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findByEmail(db: Db, tenantId: string, email: string): Promise<LeadRow | undefined> {
  return db
    .selectFrom('leads')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function findByPhone(db: Db, tenantId: string, phone: string): Promise<LeadRow | undefined> {
  return db
    .selectFrom('leads')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('phone', '=', phone)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** Inserts, or returns false when the e-mail already has a lead (a concurrent qualify won the race). */
export async function insert(db: Db, tenantId: string, row: Omit<LeadRow, 'tenant_id'>): Promise<boolean> {
  const result = await db
    .insertInto('leads')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) => oc.columns(['tenant_id', 'email']).where('email', 'is not', null).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<LeadRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('leads').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function insertScore(db: Db, tenantId: string, row: Omit<LeadScoresTable, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('lead_scores')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function listScores(db: Db, tenantId: string, leadId: string): Promise<LeadScoresTable[]> {
  return db
    .selectFrom('lead_scores')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('lead_id', '=', leadId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export interface LeadStatsRow {
  bucket: string;
  tier: string | null;
  leads: number;
  score_sum: number;
  time_sum: number;
  won: number;
}

/**
 * Leads qualified since `from`, counted per time bucket and tier. Times are ISO text, so a
 * bucket is a prefix: 13 characters for an hour, 10 for a day.
 */
export async function statsByBucket(
  db: Db,
  tenantId: string,
  from: string | null,
  prefixLength: 10 | 13,
): Promise<LeadStatsRow[]> {
  let q = db
    .selectFrom('leads')
    .select((eb) => [
      eb.fn<string>('substr', ['qualified_at', eb.val(1), eb.val(prefixLength)]).as('bucket'),
      'tier',
      eb.fn.countAll<number>().as('leads'),
      eb.fn.coalesce(eb.fn.sum<number>('score'), eb.val(0)).as('score_sum'),
      eb.fn.coalesce(eb.fn.sum<number>('processing_time_ms'), eb.val(0)).as('time_sum'),
      eb.fn.count<number>('won_at').as('won'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('qualified_at', 'is not', null);
  if (from) q = q.where('qualified_at', '>=', from);
  const rows = await q.groupBy(['bucket', 'tier']).orderBy('bucket').execute();
  return rows.map((r) => ({
    bucket: r.bucket,
    tier: r.tier,
    leads: Number(r.leads),
    score_sum: Number(r.score_sum),
    time_sum: Number(r.time_sum),
    won: Number(r.won),
  }));
}
