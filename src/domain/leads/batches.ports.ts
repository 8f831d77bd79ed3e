import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { EventSink } from '../events.js';
import type { BatchCallback, BatchFinished } from './batches.records.js';
import type { BatchesRepo } from './batches.repo.js';
import type { LeadsRepo } from './leads.repo.js';
import type { LeadsService } from './leads.service.js';

/** What the batch use cases work with. */
export interface BatchesPorts {
  repo: BatchesRepo;
  /** For the completion estimate: how long the tenant's recent qualifications took. */
  leadsRepo: Pick<LeadsRepo, 'recentProcessingMs'>;
  leads: Pick<LeadsService, 'qualify'>;
  clock: Clock;
  queue: Queue;
  events: EventSink<BatchFinished>;
  callback: BatchCallback;
}
