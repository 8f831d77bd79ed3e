import type { Queue } from '../../queue/queue.js';
import type { ConversionService } from './conversion.service.js';

const MAX_ATTEMPTS = 3;

/** One training run per job; a run whose last try throws is marked failed with the error. */
export function registerConversionJobs(queue: Queue, conversion: Pick<ConversionService, 'train' | 'fail'>): void {
  queue.register(
    'conversion.train',
    async (p, ctx) => {
      try {
        await conversion.train(p.tenantId, p.runId);
      } catch (error) {
        if (ctx.attempt >= ctx.maxAttempts)
          await conversion.fail(p.tenantId, p.runId, `Training failed: ${(error as Error).message}`);
        throw error;
      }
    },
    // Training reads every outcome of a tenant: one at a time per tenant, a few tenants at once.
    { concurrency: 2, tenantConcurrency: 1, maxAttempts: MAX_ATTEMPTS },
  );
}
