import type { Db } from '../../store/db.js';
import type { CrmSyncsTable } from '../../store/tables.js';

export type CrmSyncRow = CrmSyncsTable;

export async function insert(db: Db, tenantId: string, row: Omit<CrmSyncRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('crm_syncs')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}
