import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { createConversationStore, type ChannelDelivery } from '../conversations/index.js';
import type { LiveBus } from '../live/index.js';
import type { Queue } from '../../queue/queue.js';
import { registerHandoffJobs, type HandoffNotices } from './handoff.jobs.js';
import { createHandoffRepo } from './handoff.repo.js';
import { createHandoffService, type HandoffService } from './handoff.service.js';

export { HANDOFF_PRIORITIES, type HandoffPriority, type HandoffRequest } from '../conversations/index.js';
export { averageHandlingSeconds, DEFAULT_HANDLING_SECONDS } from './handoff-plan.js';
export type { AgentMessageInput, AgentMessageSent, HandoffPlan, HandoffResult } from './handoff-record.js';
export type { HandoffService } from './handoff.service.js';
export type { TakenOver } from './handoff-takeover.js';
export type { HandoffNotices } from './handoff.jobs.js';

export interface HandoffPorts {
  db: Db;
  clock: Clock;
  live: LiveBus;
  /** Platform delivery of the handoff notice and agents' replies; absent: web only. */
  delivery?: ChannelDelivery | undefined;
  /** The durable queue the handoff notices and wait-limit checks run on, and who they tell; absent: nobody is told. */
  notices?: { queue: Queue; notices: HandoffNotices };
}

/** Handing conversations to people and back (the one door of the handoff concept). */
export function createHandoffModule(ports: HandoffPorts): {
  handoff: HandoffService;
  registerJobs(queue: Queue): void;
} {
  const deps = {
    repo: createHandoffRepo(ports.db),
    store: createConversationStore(ports.db),
    clock: ports.clock,
    live: ports.live,
    delivery: ports.delivery,
    notices: ports.notices,
  };
  const handoff = createHandoffService(deps);
  return {
    handoff,
    registerJobs(queue) {
      if (ports.notices) registerHandoffJobs({ ...deps, queue, notices: ports.notices.notices });
    },
  };
}
