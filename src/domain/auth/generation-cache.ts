import type { Clock } from '../../lib/clock.js';
import type { TokenGenerationsRepo } from './token-generations.repo.js';

/** How long a process trusts a tenant's token generation: a rotation in another process revokes here within this. */
const GENERATION_TTL_MS = 5_000;

/** Tenants' token generations, cached briefly so verifying a token costs no query on the hot path. */
export interface GenerationCache {
  /** The stored generation, read now (for stamping a new token). */
  fresh(tenantId: string): Promise<number>;
  /** The tenant's generation; read again when the cached one is stale or a token (`seen`) shows it is behind. */
  of(tenantId: string, seen: number): Promise<number>;
  /** Moves the tenant's generation forward: every token issued so far stops verifying. */
  advance(tenantId: string): Promise<void>;
}

export function createGenerationCache(deps: { repo: TokenGenerationsRepo; clock: Clock }): GenerationCache {
  const cache = new Map<string, { generation: number; until: number }>();
  // Counts revocations here, so a generation read that overlapped one is not cached.
  let revocations = 0;
  const nowMs = () => deps.clock.now().getTime();

  return {
    fresh: (tenantId) => deps.repo.current(tenantId),

    async of(tenantId, seen) {
      const hit = cache.get(tenantId);
      if (hit && hit.until > nowMs() && seen <= hit.generation) return hit.generation;
      const before = revocations;
      const generation = await deps.repo.current(tenantId);
      if (revocations === before) {
        if (cache.size > 10_000) cache.clear();
        cache.set(tenantId, { generation, until: nowMs() + GENERATION_TTL_MS });
      }
      return generation;
    },

    async advance(tenantId) {
      await deps.repo.advance(tenantId, deps.clock.now().toISOString());
      // Together, with no await between: a read that finished before this is dropped, one still running is not cached.
      revocations += 1;
      cache.delete(tenantId);
    },
  };
}
