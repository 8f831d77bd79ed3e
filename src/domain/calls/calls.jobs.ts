import type { Queue } from '../../queue/queue.js';
import type { IngestionPipeline } from './pipeline.js';

/** One job per step; the queue's retries are the step's retries (its attempt count decides when the step has failed). */
export function registerCallsJobs(queue: Queue, pipeline: Pick<IngestionPipeline, 'runStep'>): void {
  queue.register('ingest.step', (payload, ctx) => pipeline.runStep(payload, ctx), { concurrency: 8, backoffMs: 2_000 });
}
