import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import type { AuditLogTable } from '../../store/tables.js';

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

export async function insert(db: Db, row: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

/** `tenantId` null lists platform entries (admins only); otherwise one tenant's. */
export async function listByTenant(
  db: Db,
  tenantId: string | null,
  opts: { limit: number; offset: number; action?: string },
): Promise<{ entries: AuditEntry[]; total: number }> {
  let q = db.selectFrom('audit_log');
  q = tenantId === null ? q : q.where('tenant_id', '=', tenantId);
  if (opts.action) q = q.where('action', '=', opts.action);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { entries: rows.map(toEntry), total: Number(count.n) };
}

export async function deleteByTenant(db: Db, tenantId: string): Promise<void> {
  await db.deleteFrom('audit_log').where('tenant_id', '=', tenantId).execute();
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
