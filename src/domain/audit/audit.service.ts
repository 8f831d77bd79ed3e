import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../actor.js';
import type { AuditEntry, AuditRepo } from './audit.repo.js';

export interface AuditRecord {
  tenantId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** Already masked: callers pass what may be shown to an admin. */
  before?: unknown;
  after?: unknown;
}

export interface AuditService {
  record(actor: Actor, entry: AuditRecord): Promise<void>;
  list(
    tenantId: string | null,
    opts: { limit: number; offset: number; action?: string },
  ): Promise<{ entries: AuditEntry[]; total: number }>;
  /** Erases a deleted tenant's entries (the platform entry recording the deletion has no tenant and stays). */
  forgetTenant(tenantId: string): Promise<void>;
}

export function createAuditService(deps: { repo: AuditRepo; clock: Clock }): AuditService {
  return {
    async record(actor, entry) {
      await deps.repo.insert(entry.tenantId, {
        id: newId('aud'),
        actorKind: actor.kind,
        actorId: actor.id,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        before: entry.before,
        after: entry.after,
        requestId: actor.requestId,
        createdAt: deps.clock.now().toISOString(),
      });
    },
    list: (tenantId, opts) => deps.repo.listByTenant(tenantId, opts),
    forgetTenant: (tenantId) => deps.repo.deleteByTenant(tenantId),
  };
}
