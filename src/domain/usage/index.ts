import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { createUsageRepo } from './usage.repo.js';
import { createUsageService, type UsageService } from './usage.service.js';

export { METRICS, METRIC_PREFIXES, monthOf } from './metrics.js';
export type { UsageService } from './usage.service.js';

/** Per-tenant usage counters by month; `flushMs` is how often buffered increments are written. */
export function createUsageModule(ports: { db: Db; clock: Clock; flushMs?: number }): { usage: UsageService } {
  return {
    usage: createUsageService({
      repo: createUsageRepo(ports.db),
      clock: ports.clock,
      ...(ports.flushMs === undefined ? {} : { flushMs: ports.flushMs }),
    }),
  };
}
