import type { Queue } from '../../queue/queue.js';
import type { ExportsService } from './exports.service.js';

/** One export file per job; the queue retries a failed build and the last failure marks the export failed. */
export function registerExportJobs(queue: Queue, exports: ExportsService): void {
  queue.register('export.build', (p, ctx) => exports.build(p.tenantId, p.exportId, ctx.attempt >= ctx.maxAttempts), {
    concurrency: 2,
    maxAttempts: 3,
  });
}
