import type { JobRow } from '../jobs.repo.js';
import type { BullmqConnections } from './connections.js';

/** BullMQ states in which the job is still in line or running, so Redis needs nothing from us. */
const IN_LINE = new Set(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);

/**
 * BullMQ runs lower numbers first, from 1 to 2^21−1, and runs 0 ("no priority") before all of
 * them; ours run higher first. Every job gets a non-zero BullMQ priority centred on 2^20, so
 * our priorities from −(2^20−1) to 2^20−1 keep their order.
 */
function toBullPriority(priority: number): number {
  return Math.min(2 ** 21 - 1, Math.max(1, 2 ** 20 - priority));
}

/** Adds the row's BullMQ job, whose id is the row's id, due when the row is. */
export async function dispatch(connections: BullmqConnections, row: JobRow): Promise<void> {
  await connections.queueFor(row.type).add(
    row.type,
    { id: row.id, tenantId: row.tenant_id },
    {
      jobId: row.id,
      priority: toBullPriority(row.priority),
      delay: Math.max(0, Date.parse(row.run_at) - Date.now()),
      // Retries and dead-lettering live in the row; BullMQ tries once and forgets finished jobs.
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: true,
    },
  );
}

/** Re-adds a row's BullMQ job unless it is still in line; a finished leftover is removed first. */
export async function redispatch(
  connections: BullmqConnections,
  row: JobRow,
  waitForActive: boolean,
): Promise<boolean> {
  const queue = connections.queueFor(row.type);
  // A job finishing right now leaves Redis within moments; wait for that rather than add a duplicate id BullMQ would ignore.
  for (let tries = 0; tries < 100; tries++) {
    const existing = await queue.getJob(row.id);
    if (!existing) {
      await dispatch(connections, row);
      return true;
    }
    const state = await existing.getState();
    if (state === 'active' && waitForActive) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (IN_LINE.has(state)) return false;
    await existing.remove();
  }
  return false;
}
