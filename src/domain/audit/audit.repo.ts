import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson, toJson } from '../../store/json.js';
import type { AuditLogTable } from '../../store/tables.js';

/** One entry of the audit log as admins read it. */
export interface AuditEntry {
  id: string;
  tenant_id: string | null;
  actor: { kind: string; id: string | null };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  request_id: string | null;
  created_at: string;
}

/** What is written: `before`/`after` are any JSON value, `undefined` when absent. */
export interface NewAuditEntry {
  id: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
}

export interface AuditRepo {
  /** `tenantId` null: a platform entry (the tenant it was about may be gone). */
  insert(tenantId: string | null, entry: NewAuditEntry): Promise<void>;
  /** `tenantId` null lists every entry (admins only); otherwise one tenant's. */
  listByTenant(
    tenantId: string | null,
    opts: { limit: number; offset: number; action?: string },
  ): Promise<{ entries: AuditEntry[]; total: number }>;
  deleteByTenant(tenantId: string): Promise<void>;
}

export function createAuditRepo(db: Db): AuditRepo {
  return {
    async insert(tenantId, e) {
      await db
        .insertInto('audit_log')
        .values({
          id: e.id,
          tenant_id: tenantId,
          actor_kind: e.actorKind,
          actor_id: e.actorId,
          action: e.action,
          target_type: e.targetType,
          target_id: e.targetId,
          before: e.before === undefined ? null : toJson(e.before),
          after: e.after === undefined ? null : toJson(e.after),
          request_id: e.requestId,
          created_at: e.createdAt,
        })
        .execute();
    },

    async listByTenant(tenantId, opts) {
      let q = db.selectFrom('audit_log');
      q = tenantId === null ? q : q.where('tenant_id', '=', tenantId);
      if (opts.action) q = q.where('action', '=', opts.action);
      const { rows, total } = await pageWithTotal(q, (p) =>
        p
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(opts.limit)
          .offset(opts.offset)
          .execute(),
      );
      return { entries: rows.map(toEntry), total };
    },

    async deleteByTenant(tenantId) {
      await db.deleteFrom('audit_log').where('tenant_id', '=', tenantId).execute();
    },
  };
}

function toEntry(r: AuditLogTable): AuditEntry {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    actor: { kind: r.actor_kind, id: r.actor_id },
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    before: fromJson(r.before, null),
    after: fromJson(r.after, null),
    request_id: r.request_id,
    created_at: r.created_at,
  };
}
