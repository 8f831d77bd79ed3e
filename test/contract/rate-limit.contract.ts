import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitStore, RateWindow } from '../../src/http/rate-limit.store.js';

/** A fresh store for one test, on a private key space, and how to clean it up. */
export interface RateLimitStoreHarness {
  store: RateLimitStore;
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;
// A fixed instant on a minute boundary, so each test knows exactly where windows start.
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

const minute = (limit: number): RateWindow => ({ name: 'minute', windowMs: MINUTE, limit });
const hour = (limit: number): RateWindow => ({ name: 'hour', windowMs: 60 * MINUTE, limit });

/** The behaviour every rate-limit store must have: the memory twin and the Redis twin alike. */
export function rateLimitStoreContract(
  name: string,
  makeStore: () => Promise<RateLimitStoreHarness>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(name, () => {
    let h: RateLimitStoreHarness;
    beforeEach(async () => {
      h = await makeStore();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('counts requests up to the limit and then refuses', async () => {
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await h.store.consume('t1:api', [minute(3)], T0 + i));
      expect(seen.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(seen.map((r) => r.counts[0])).toEqual([1, 2, 3, 3]);
    });

    it('starts each window afresh at its aligned boundary', async () => {
      await h.store.consume('t1:api', [minute(2)], T0 + 10);
      await h.store.consume('t1:api', [minute(2)], T0 + 20);
      expect((await h.store.consume('t1:api', [minute(2)], T0 + MINUTE - 1)).allowed).toBe(false);
      const next = await h.store.consume('t1:api', [minute(2)], T0 + MINUTE);
      expect(next).toEqual({ allowed: true, counts: [1] });
    });

    it('keeps buckets apart', async () => {
      await h.store.consume('tenant-a:api', [minute(1)], T0);
      expect((await h.store.consume('tenant-a:api', [minute(1)], T0)).allowed).toBe(false);
      expect(await h.store.consume('tenant-b:api', [minute(1)], T0)).toEqual({ allowed: true, counts: [1] });
    });

    it('counts in every window and reports the counts in the order given', async () => {
      const first = await h.store.consume('t1:api', [minute(5), hour(100)], T0);
      expect(first).toEqual({ allowed: true, counts: [1, 1] });
      await h.store.consume('t1:api', [minute(5), hour(100)], T0 + MINUTE);
      const third = await h.store.consume('t1:api', [minute(5), hour(100)], T0 + 2 * MINUTE);
      expect(third).toEqual({ allowed: true, counts: [1, 3] });
    });

    it('refuses when any window is full and then counts nothing in the others', async () => {
      await h.store.consume('t1:api', [minute(10), hour(2)], T0);
      await h.store.consume('t1:api', [minute(10), hour(2)], T0 + 1);
      const refused = await h.store.consume('t1:api', [minute(10), hour(2)], T0 + 2);
      expect(refused).toEqual({ allowed: false, counts: [2, 2] });
      // The minute window was not charged for the refused request.
      const later = await h.store.consume('t1:api', [minute(10)], T0 + 3);
      expect(later).toEqual({ allowed: true, counts: [3] });
    });

    it('never lets concurrent requests overshoot the limit', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => h.store.consume('t1:burst', [minute(15)], T0 + i)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(15);
      expect(Math.max(...results.map((r) => r.counts[0] ?? 0))).toBe(15);
    });
  });
}
