import type { Clock } from '../../lib/clock.js';
import { planLimits, type TenantsService } from '../tenants/index.js';
import { METRICS, monthOf, type UsageService } from '../usage/index.js';

/**
 * The monthly call quota of the tenant's plan (`callsPerMonth`) against the calls its campaigns
 * placed this calendar month (usage `calls.made`): every dial counts, answered or not.
 */

export interface CallQuotaPorts {
  clock: Clock;
  tenants: Pick<TenantsService, 'get'>;
  usage: Pick<UsageService, 'get' | 'add'>;
}

export interface CallQuota {
  limit: number;
  used: number;
  /** The first instant of next month (UTC), when the count starts again. */
  resetsAt: Date;
}

export async function callQuotaOf(ports: CallQuotaPorts, tenantId: string): Promise<CallQuota> {
  const now = ports.clock.now();
  const tenant = await ports.tenants.get(tenantId);
  const used = (await ports.usage.get(tenantId, monthOf(now)))[METRICS.callsMade] ?? 0;
  const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { limit: planLimits[tenant.plan].callsPerMonth, used, resetsAt };
}

/** One dial placed (or tried): it counts toward the month's quota. */
export function countDial(ports: CallQuotaPorts, tenantId: string): void {
  ports.usage.add(tenantId, METRICS.callsMade);
}
