import type { Queue } from '../../queue/queue.js';
import type { Tx } from '../transaction.js';
import type { OwnerEvent } from './notices.js';
import type { NotificationsService } from './notifications.service.js';

/** How other concepts raise what the owner must hear of: a durable job, so a slow mail server slows nobody. */
export interface OwnerAlerts {
  /** Queues the notice in the caller's transaction; call the answer after the commit. */
  raiseIn(tx: Tx, tenantId: string, event: OwnerEvent): Promise<() => Promise<void>>;
  /** Queues the notice now (for callers that hold no transaction). */
  raise(tenantId: string, event: OwnerEvent): Promise<void>;
}

export function createOwnerAlerts(queue: Queue): OwnerAlerts {
  return {
    async raiseIn(tx, tenantId, event) {
      const job = await queue.enqueueInTransaction(tx, 'notify.owner', { tenantId, event }, { tenantId });
      return () => job.dispatch();
    },
    async raise(tenantId, event) {
      await queue.enqueue('notify.owner', { tenantId, event }, { tenantId });
    },
  };
}

export function registerOwnerAlertJobs(queue: Queue, notifications: Pick<NotificationsService, 'tellOwner'>): void {
  queue.register(
    'notify.owner',
    // The payload's event is one `raise` or `raiseIn` wrote, so it is an OwnerEvent.
    (payload) => notifications.tellOwner(payload.tenantId, payload.event as unknown as OwnerEvent),
    { maxAttempts: 3 },
  );
}
