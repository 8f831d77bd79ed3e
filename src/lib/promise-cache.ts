/**
 * Per-key results kept for a while, as promises: callers arriving while a load runs share it,
 * and a load that fails is forgotten so the next caller tries again. When full, it starts over
 * (entries are cheap to reload; a bound matters more than which ones survive).
 */
export interface PromiseCache<V> {
  /** The cached result, else `load()`'s (then kept); `fresh` skips the cache. `cached` says which. */
  get(key: string, load: () => Promise<V>, options?: { fresh?: boolean }): { value: Promise<V>; cached: boolean };
}

export function createPromiseCache<V>(opts: { ttlMs: number; maxEntries: number; now: () => number }): PromiseCache<V> {
  const entries = new Map<string, { value: Promise<V>; until: number }>();
  return {
    get(key, load, options) {
      const now = opts.now();
      const hit = entries.get(key);
      if (!options?.fresh && hit && hit.until > now) return { value: hit.value, cached: true };
      const value = load();
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size >= opts.maxEntries) entries.clear();
      entries.set(key, { value, until: now + opts.ttlMs });
      return { value, cached: false };
    },
  };
}
