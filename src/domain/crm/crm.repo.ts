import type { Db } from '../../store/db.js';
import type { CrmSyncsTable } from '../../store/tables.js';

export type CrmSyncRow = CrmSyncsTable;

export async function insert(db: Db, tenantId: string, row: Omit<CrmSyncRow, 'tenant_id'>): Promise<void> {
  await db.insertInto('crm_syncs').values({ ...row, tenant_id: tenantId }).execute();
}

export async function listByLead(db: Db, tenantId: string, leadId: string): Promise<CrmSyncRow[]> {
  return db.selectFrom('crm_syncs').selectAll().where('tenant_id', '=', tenantId).where('lead_id', '=', leadId).orderBy('created_at').execute();
}
