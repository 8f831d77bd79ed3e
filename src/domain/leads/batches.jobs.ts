import type { Queue } from '../../queue/queue.js';
import type { BatchesService } from './batches.service.js';

/** One chunk of a batch per job; the queue owns retries, so a chunk that throws is tried again. */
export function registerBatchJobs(queue: Queue, batches: Pick<BatchesService, 'processChunk'>): void {
  queue.register('batch.process', (p) => batches.processChunk(p.tenantId, p.batchId, p.from, p.to), {
    concurrency: 4,
    maxAttempts: 5,
  });
}
