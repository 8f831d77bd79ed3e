import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { ComplianceService } from '../compliance/index.js';
import type { ChannelDelivery, ConversationUpkeepService } from '../conversations/index.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import { registerRemindersJobs, scheduleSweep } from './reminders.jobs.js';
import { createRemindersRepo } from './reminders.repo.js';
import { createRemindersService } from './reminders.service.js';

/**
 * Reminders: upcoming-appointment reminders, follow-ups of leads without a booking, and retention
 * messages to lapsed customers, each an SMS through messaging (so consent and quiet hours apply),
 * each claimed once per appointment, lead or campaign step before it is sent.
 */

export type { RemindersService, RunReport } from './reminders.service.js';
export type { ReminderKind } from './reminders.repo.js';

export interface RemindersPorts {
  db: Db;
  clock: Clock;
  tenants: Pick<TenantsService, 'get' | 'list'>;
  compliance: Pick<ComplianceService, 'mayContact'>;
  messages: Pick<ConversationUpkeepService, 'postSystemText'>;
  delivery: ChannelDelivery;
  counters: Counters;
}

export function createRemindersModule(ports: RemindersPorts) {
  const reminders = createRemindersService({ ...ports, repo: createRemindersRepo(ports.db) });
  return {
    reminders,
    registerJobs(queue: Queue): void {
      registerRemindersJobs({ clock: ports.clock, queue, tenants: ports.tenants, reminders });
    },
    /** Queues the next sweep; each sweep queues the one after it (called where workers start). */
    schedule(queue: Queue): Promise<void> {
      return scheduleSweep({ clock: ports.clock, queue, tenants: ports.tenants, reminders });
    },
  };
}

export type RemindersModule = ReturnType<typeof createRemindersModule>;
