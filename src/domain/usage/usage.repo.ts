import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

/** Adds to counters, creating them as needed; one statement per counter, safe under concurrency. */
export async function increment(
  db: Db,
  rows: { tenantId: string; period: string; metric: string; by: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('usage_counters')
    .values(rows.map((r) => ({ tenant_id: r.tenantId, period: r.period, metric: r.metric, value: r.by })))
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'period', 'metric']).doUpdateSet({ value: sql`usage_counters.value + excluded.value` }),
    )
    .execute();
}

export async function listByTenant(db: Db, tenantId: string, period: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('usage_counters')
    .select(['metric', 'value'])
    .where('tenant_id', '=', tenantId)
    .where('period', '=', period)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.metric, Number(r.value)]));
}
