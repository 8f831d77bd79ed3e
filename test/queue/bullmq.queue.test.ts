import { Queue as BullQueue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBullmqQueue, type BullmqQueue } from '../../src/queue/bullmq.queue.js';
import { queueContract } from '../contract/queue.contract.js';
import { dialects, openTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../helpers/db.js';
import { deleteRedisKeys, openQueueHarness, waitFor } from '../helpers/queue.js';

const noRedis = ' (skipped: set TEST_REDIS_URL to run)';

for (const { dialect, skip } of dialects) {
  const missing = [TEST_REDIS_URL ? '' : 'TEST_REDIS_URL', skip ? 'TEST_DATABASE_URL' : ''].filter(Boolean);
  const name = `BullMQ queue with ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${missing.length ? ` (skipped: set ${missing.join(' and ')} to run)` : ''}`;
  queueContract(name, () => openQueueHarness('bullmq', dialect), { skip: missing.length > 0 });
}

describe.skipIf(!TEST_REDIS_URL)(`BullMQ queue reconciler${TEST_REDIS_URL ? '' : noRedis}`, () => {
  const prefix = `fd-test-${Math.random().toString(16).slice(2, 10)}`;
  let t: TestDatabase;
  let queue: BullmqQueue;
  let redis: Redis;

  beforeEach(async () => {
    t = await openTestDatabase('sqlite');
    queue = createBullmqQueue(t.database, TEST_REDIS_URL!, { prefix, reconcileGraceMs: 0, reconcileMs: 60_000 });
    redis = new Redis(TEST_REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await queue.stop(200);
    await queue.close();
    await redis.quit();
    await deleteRedisKeys(TEST_REDIS_URL!, prefix);
    await t.drop();
  });

  it('re-adds a job Redis lost, and the job then runs', async () => {
    queue.register('test.echo', (payload) => Promise.resolve(payload.text));
    const { id } = await queue.enqueue('test.echo', { text: 'survived' });

    // A failover that lost an acknowledged write: the BullMQ job vanishes behind the queue's back.
    const behindTheBack = new BullQueue('test.echo', { connection: redis, prefix });
    try {
      expect(await behindTheBack.getJob(id)).toBeDefined();
      await behindTheBack.remove(id);
      expect(await behindTheBack.getJob(id)).toBeUndefined();

      expect(await queue.reconcile()).toBe(1);
      expect(await queue.reconcile()).toBe(0);
      expect(await behindTheBack.getJob(id)).toBeDefined();
    } finally {
      await behindTheBack.close();
    }

    await queue.start();
    const job = await waitFor(async () => {
      const record = await queue.get(id);
      return record?.status === 'completed' ? record : undefined;
    });
    expect(job).toMatchObject({ attempts: 1, result: 'survived' });
  });

  it('leaves alone jobs that are still in line in Redis', async () => {
    await queue.enqueue('test.echo', { text: 'waiting' });
    await queue.enqueue('test.echo', { text: 'later' }, { delayMs: 60_000 });
    expect(await queue.reconcile()).toBe(0);
  });
});
