import type { Queue } from '../../queue/queue.js';

/** One export file per job; the queue retries a failed build and the last failure marks the export failed. */
export function registerExportJobs(
  queue: Queue,
  build: (tenantId: string, exportId: string, lastAttempt: boolean) => Promise<void>,
): void {
  queue.register('export.build', (p, ctx) => build(p.tenantId, p.exportId, ctx.attempt >= ctx.maxAttempts), {
    concurrency: 2,
    maxAttempts: 3,
  });
}
