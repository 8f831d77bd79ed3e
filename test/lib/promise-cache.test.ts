import { describe, expect, it } from 'vitest';
import { createPromiseCache } from '../../src/lib/promise-cache.js';

describe('createPromiseCache', () => {
  it('shares one load between callers until the entry expires, then loads again', async () => {
    let now = 0;
    let loads = 0;
    const cache = createPromiseCache<number>({ ttlMs: 100, maxEntries: 10, now: () => now });
    const load = () => Promise.resolve((loads += 1));
    const first = cache.get('a', load);
    const second = cache.get('a', load);
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(await second.value).toBe(1);
    now = 99;
    expect(await cache.get('a', load).value).toBe(1);
    now = 100;
    expect(await cache.get('a', load).value).toBe(2);
  });

  it('loads again when asked for a fresh value, and keeps the fresh one', async () => {
    let loads = 0;
    const cache = createPromiseCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    const load = () => Promise.resolve((loads += 1));
    await cache.get('a', load).value;
    const fresh = cache.get('a', load, { fresh: true });
    expect(fresh.cached).toBe(false);
    expect(await fresh.value).toBe(2);
    expect(await cache.get('a', load).value).toBe(2);
  });

  it('forgets a failed load, so the next caller tries again', async () => {
    const cache = createPromiseCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    await expect(cache.get('a', () => Promise.reject(new Error('down'))).value).rejects.toThrow('down');
    const retry = cache.get('a', () => Promise.resolve(7));
    expect(retry.cached).toBe(false);
    expect(await retry.value).toBe(7);
  });

  it('starts over when full, so it never holds more than its bound', async () => {
    let loads = 0;
    const cache = createPromiseCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    const load = () => Promise.resolve((loads += 1));
    await cache.get('a', load).value;
    await cache.get('b', load).value;
    await cache.get('c', load).value;
    expect(cache.get('a', load).cached).toBe(false);
    expect(cache.get('c', load).cached).toBe(true);
  });
});
