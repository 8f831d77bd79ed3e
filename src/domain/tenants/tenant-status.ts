import type { TenantStatus } from './plans.js';
import type { TenantsRepo } from './tenants.repo.js';

// Matches the credential lookup cache: how long another process may still see an old status.
const STATUS_TTL_MS = 10_000;
const MAX_CACHED_STATUSES = 10_000;

/** Tenants' statuses for authentication, cached briefly so the hot path costs no query. */
export interface StatusCache {
  statusOf(tenantId: string): Promise<TenantStatus | 'missing'>;
  /** A change made here applies at once: the next `statusOf` reads the store. */
  forget(tenantId: string): void;
}

export function createStatusCache(repo: Pick<TenantsRepo, 'findById'>): StatusCache {
  const statuses = new Map<string, { status: TenantStatus | 'missing'; until: number }>();
  return {
    async statusOf(tenantId) {
      const now = Date.now();
      const hit = statuses.get(tenantId);
      if (hit && hit.until > now) return hit.status;
      const status = (await repo.findById(tenantId))?.status ?? 'missing';
      if (statuses.size >= MAX_CACHED_STATUSES) statuses.clear();
      statuses.set(tenantId, { status, until: now + STATUS_TTL_MS });
      return status;
    },
    forget(tenantId) {
      statuses.delete(tenantId);
    },
  };
}
