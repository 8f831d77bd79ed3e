import type { Clock } from '../../lib/clock.js';
import { monthOf } from './metrics.js';
import type { CounterIncrement, UsageRepo } from './usage.repo.js';

/**
 * Per-tenant usage counters (`api_calls`, `messages.inbound`, `ai_cost_microusd.openai`, …)
 * by calendar month. Hot-path increments are buffered in memory and written in one
 * statement per flush, so counting every API call costs no query per request.
 */
export interface UsageService {
  add(tenantId: string, metric: string, by?: number): void;
  /** Counters for a month (`YYYY-MM`), including what is still buffered. */
  get(tenantId: string, period: string): Promise<Record<string, number>>;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createUsageService(deps: { repo: UsageRepo; clock: Clock; flushMs?: number }): UsageService {
  let pending = new Map<string, CounterIncrement>();
  let flushing: Promise<void> = Promise.resolve();

  const merge = (row: CounterIncrement): void => {
    const key = `${row.tenantId}\u0000${row.period}\u0000${row.metric}`;
    const existing = pending.get(key);
    if (existing) existing.by += row.by;
    else pending.set(key, { ...row });
  };

  const flush = (): Promise<void> => {
    if (pending.size === 0) return flushing;
    const batch = [...pending.values()];
    pending = new Map();
    flushing = flushing.then(() =>
      deps.repo.increment(batch).catch(async () => {
        // One row can fail (its tenant was deleted meanwhile); write the others one by one.
        for (const row of batch) await deps.repo.increment([row]).catch(() => undefined);
      }),
    );
    return flushing;
  };

  const timer = setInterval(() => void flush(), deps.flushMs ?? 2000);
  timer.unref();

  return {
    add(tenantId, metric, by = 1) {
      merge({ tenantId, period: monthOf(deps.clock.now()), metric, by });
    },
    async get(tenantId, period) {
      await flush();
      return deps.repo.countersOf(tenantId, period);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
