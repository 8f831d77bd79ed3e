import { describe, expect, it } from 'vitest';
import { registerConversionJobs } from '../../../src/domain/conversion/conversion.jobs.js';
import type { JobContext, JobHandler, Queue } from '../../../src/queue/queue.js';

/** A queue that only keeps the handler registered, so the test can run it with any attempt number. */
function capturingQueue(): { queue: Queue; handler: () => JobHandler<'conversion.train'> } {
  let handler: JobHandler<'conversion.train'> | undefined;
  const queue = {
    register: (type: string, h: JobHandler<'conversion.train'>) => {
      if (type === 'conversion.train') handler = h;
    },
  } as unknown as Queue;
  return { queue, handler: () => handler! };
}

const ctx = (attempt: number): JobContext =>
  ({ id: 'job_1', type: 'conversion.train', tenantId: 't1', attempt, maxAttempts: 3 }) as unknown as JobContext;

describe('the conversion training job', () => {
  it('lets the queue retry a failed try, and marks the run failed with the error on the last one', async () => {
    const failed: string[] = [];
    const { queue, handler } = capturingQueue();
    registerConversionJobs(queue, {
      train: () => Promise.reject(new Error('database went away')),
      fail: (_tenantId, runId, message) => Promise.resolve(void failed.push(`${runId}: ${message}`)),
    });
    await expect(handler()({ tenantId: 't1', runId: 'mlrun_1' }, ctx(1))).rejects.toThrow('database went away');
    expect(failed).toEqual([]);
    await expect(handler()({ tenantId: 't1', runId: 'mlrun_1' }, ctx(3))).rejects.toThrow('database went away');
    expect(failed).toEqual(['mlrun_1: Training failed: database went away']);
  });
});
