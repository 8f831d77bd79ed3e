import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisRateLimitStore } from '../../src/http/rate-limit.redis.js';
import { createMemoryRateLimitStore } from '../../src/http/rate-limit.store.js';
import { rateLimitStoreContract } from '../contract/rate-limit.contract.js';
import { TEST_REDIS_URL } from '../helpers/db.js';

const redisLabel = TEST_REDIS_URL
  ? 'Redis rate-limit store'
  : 'Redis rate-limit store (skipped: set TEST_REDIS_URL to run)';

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

rateLimitStoreContract('memory rate-limit store', () =>
  Promise.resolve({ store: createMemoryRateLimitStore(), cleanup: () => Promise.resolve() }),
);

rateLimitStoreContract(
  redisLabel,
  () => {
    const redis = new Redis(TEST_REDIS_URL!, { maxRetriesPerRequest: 2 });
    const prefix = `fd-test-rl-${randomBytes(4).toString('hex')}:`;
    return Promise.resolve({
      store: createRedisRateLimitStore(redis, prefix),
      async cleanup() {
        await deleteKeys(redis, prefix);
        await redis.quit();
      },
    });
  },
  { skip: !TEST_REDIS_URL },
);

describe('memory rate-limit store', () => {
  it('lets go of windows that have ended', async () => {
    const store = createMemoryRateLimitStore();
    const t0 = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 50; i++)
      await store.consume(`tenant-${i}:api`, [{ name: 'minute', windowMs: 60_000, limit: 10 }], t0);
    expect(store.size()).toBe(50);
    await store.consume('tenant-0:api', [{ name: 'minute', windowMs: 60_000, limit: 10 }], t0 + 10 * 60_000);
    expect(store.size()).toBe(1);
  });
});

describe.skipIf(!TEST_REDIS_URL)(redisLabel, () => {
  it('puts an expiry on every counter, so old windows leave Redis', async () => {
    const redis = new Redis(TEST_REDIS_URL!, { maxRetriesPerRequest: 2 });
    const prefix = `fd-test-rl-${randomBytes(4).toString('hex')}:`;
    try {
      const store = createRedisRateLimitStore(redis, prefix);
      await store.consume(
        't1:api',
        [
          { name: 'minute', windowMs: 60_000, limit: 10 },
          { name: 'hour', windowMs: 3_600_000, limit: 100 },
        ],
        Date.now(),
      );
      const keys = (await redis.keys(`${prefix}*`)).sort();
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key).toMatch(new RegExp(`^${prefix}\\{t1:api\\}:(minute|hour):\\d+$`));
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(3_600_000 + 5_000);
      }
    } finally {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  });
});
