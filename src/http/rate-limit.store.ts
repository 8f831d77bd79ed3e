/**
 * Where rate-limit counters live. Two twins behind one contract (test/contract/rate-limit.contract.ts):
 * this process's memory (the default) and Redis (when REDIS_URL is set, so limits hold across processes).
 * Windows are fixed and aligned to multiples of their length since the epoch, so every process
 * and both twins agree on when a window starts and resets.
 */

/** One fixed window a request is counted in. */
export interface RateWindow {
  /** Names the window within its bucket (`burst`, `minute`, `hour`). */
  name: string;
  /** Window length in ms. */
  windowMs: number;
  /** Requests allowed per window. */
  limit: number;
}

export interface ConsumeResult {
  /** False when a window was already full; then nothing was counted anywhere. */
  allowed: boolean;
  /** Requests counted in each window (including this one when allowed), in the order given. */
  counts: number[];
}

export interface RateLimitStore {
  /** Which twin this is, for health and logs. */
  readonly backend: 'memory' | 'redis';
  /**
   * Counts one request in every window of `bucket` when all of them have room, otherwise counts
   * nothing; atomic per call, so concurrent callers never overshoot a limit.
   */
  consume(bucket: string, windows: readonly RateWindow[], nowMs: number): Promise<ConsumeResult>;
}

/** Start of the window that contains `nowMs`. */
export function windowStart(nowMs: number, windowMs: number): number {
  return nowMs - (nowMs % windowMs);
}

interface Slot {
  start: number;
  windowMs: number;
  count: number;
}

// Stale slots are dropped at most this often, on a consume call: no timer to stop, bounded memory.
const SWEEP_EVERY_MS = 60_000;

export interface MemoryRateLimitStore extends RateLimitStore {
  /** Slots held right now (tests check that old windows are let go). */
  size(): number;
}

/** Counters in this process's memory: exact for one process, per process when there are several. */
export function createMemoryRateLimitStore(): MemoryRateLimitStore {
  const slots = new Map<string, Slot>();
  let lastSweep = 0;

  const sweep = (nowMs: number) => {
    lastSweep = nowMs;
    for (const [key, slot] of slots) if (slot.start + slot.windowMs <= nowMs) slots.delete(key);
  };

  return {
    backend: 'memory',
    consume(bucket, windows, nowMs) {
      if (nowMs - lastSweep >= SWEEP_EVERY_MS) sweep(nowMs);
      const current: Slot[] = [];
      let allowed = true;
      for (const w of windows) {
        const key = `${bucket}|${w.name}`;
        const start = windowStart(nowMs, w.windowMs);
        let slot = slots.get(key);
        if (!slot) {
          slot = { start, windowMs: w.windowMs, count: 0 };
          slots.set(key, slot);
        } else if (slot.start !== start || slot.windowMs !== w.windowMs) {
          slot.start = start;
          slot.windowMs = w.windowMs;
          slot.count = 0;
        }
        if (slot.count >= w.limit) allowed = false;
        current.push(slot);
      }
      if (allowed) for (const slot of current) slot.count += 1;
      return Promise.resolve({ allowed, counts: current.map((s) => s.count) });
    },
    size: () => slots.size,
  };
}
