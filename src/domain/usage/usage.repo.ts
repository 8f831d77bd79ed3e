import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

export interface CounterIncrement {
  tenantId: string;
  period: string;
  metric: string;
  by: number;
}

export interface UsageRepo {
  /** Adds to counters, creating them as needed; one statement for all, safe under concurrency. */
  increment(rows: CounterIncrement[]): Promise<void>;
  /** The tenant's counters of one month, by metric. */
  countersOf(tenantId: string, period: string): Promise<Record<string, number>>;
}

export function createUsageRepo(db: Db): UsageRepo {
  return {
    async increment(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('usage_counters')
        .values(rows.map((r) => ({ tenant_id: r.tenantId, period: r.period, metric: r.metric, value: r.by })))
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'period', 'metric'])
            .doUpdateSet({ value: sql`usage_counters.value + excluded.value` }),
        )
        .execute();
    },

    async countersOf(tenantId, period) {
      const rows = await db
        .selectFrom('usage_counters')
        .select(['metric', 'value'])
        .where('tenant_id', '=', tenantId)
        .where('period', '=', period)
        .execute();
      return Object.fromEntries(rows.map((r) => [r.metric, Number(r.value)]));
    },
  };
}
