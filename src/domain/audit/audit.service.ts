import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { toJson } from '../../store/json.js';
import type { Actor } from '../actor.js';
import * as repo from './audit.repo.js';

export type { AuditEntry } from './audit.repo.js';

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
  ): Promise<{ entries: repo.AuditEntry[]; total: number }>;
  /** Erases a deleted tenant's entries (the platform entry recording the deletion has no tenant and stays). */
  forgetTenant(tenantId: string): Promise<void>;
}

export function createAuditService(deps: { db: Db; clock: Clock }): AuditService {
  return {
    async record(actor, entry) {
      await repo.insert(deps.db, {
        id: newId('aud'),
        tenant_id: entry.tenantId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        action: entry.action,
        target_type: entry.targetType,
        target_id: entry.targetId,
        before: entry.before === undefined ? null : toJson(entry.before),
        after: entry.after === undefined ? null : toJson(entry.after),
        request_id: actor.requestId,
        created_at: deps.clock.now().toISOString(),
      });
    },
    list: (tenantId, opts) => repo.listByTenant(deps.db, tenantId, opts),
    forgetTenant: (tenantId) => repo.deleteByTenant(deps.db, tenantId),
  };
}
