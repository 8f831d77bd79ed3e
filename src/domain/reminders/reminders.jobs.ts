import type { Clock } from '../../lib/clock.js';
import type { JobPayloads } from '../../queue/jobs.js';
import type { Queue } from '../../queue/queue.js';
import type { TenantsService } from '../tenants/index.js';
import type { RemindersService } from './reminders.service.js';

/** How often the schedule looks for reminders to send. */
export const SWEEP_EVERY_MS = 15 * 60_000;
const PAGE = 100;

export interface SweepPorts {
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'list'>;
  reminders: RemindersService;
}

/**
 * Queues the sweep of the slot after `slot`. The slot in the dedupe key makes every process that
 * schedules it (each worker at start, each sweep) add the one job.
 */
export async function scheduleSweep(ports: SweepPorts, slot?: number): Promise<void> {
  const now = ports.clock.now().getTime();
  const next = (slot ?? Math.floor(now / SWEEP_EVERY_MS)) + 1;
  await ports.queue.enqueue(
    'reminders.sweep',
    { slot: next },
    { tenantId: null, dedupeKey: `reminders.sweep:${next}`, delayMs: Math.max(0, next * SWEEP_EVERY_MS - now) },
  );
}

/**
 * One sweep over every tenant that is not suspended: reminders and follow-ups where
 * `reminders.enabled`, retention where `retention.enabled` (both opt-in: the schedule messages
 * customers without anyone asking). Claims make a retried or doubled sweep send nothing twice.
 */
export async function handleRemindersSweep(ports: SweepPorts, payload: JobPayloads['reminders.sweep']) {
  await scheduleSweep(ports, payload.slot);
  let tenantsSwept = 0;
  for (let offset = 0; ; offset += PAGE) {
    const { tenants } = await ports.tenants.list({ limit: PAGE, offset });
    for (const tenant of tenants) {
      if (tenant.status === 'suspended') continue;
      if (tenant.config.reminders?.enabled === true) {
        await ports.reminders.sendUpcoming(tenant.id, 'live');
        await ports.reminders.sendFollowups(tenant.id, 'live');
      }
      if (tenant.config.retention?.enabled === true) await ports.reminders.sendRetention(tenant.id, 'live');
      tenantsSwept += 1;
    }
    if (tenants.length < PAGE) return { tenants: tenantsSwept };
  }
}

export function registerRemindersJobs(ports: SweepPorts): void {
  ports.queue.register('reminders.sweep', (payload) => handleRemindersSweep(ports, payload), {
    concurrency: 1,
    maxAttempts: 3,
    leaseMs: 10 * 60_000,
  });
}
