import type { Db } from '../../store/db.js';
import type { ExportsTable } from '../../store/tables.js';

/** The rows of `exports`. */

export type ExportRow = ExportsTable;

export async function insertExport(db: Db, tenantId: string, row: Omit<ExportRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('exports')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function findExport(db: Db, tenantId: string, id: string): Promise<ExportRow | undefined> {
  return db.selectFrom('exports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/**
 * The one read not scoped by tenant: a signed download link names only the export, and the
 * signature over its id is the caller's authority.
 */
export async function findExportBySignedId(db: Db, id: string): Promise<ExportRow | undefined> {
  return db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateExport(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<ExportRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('exports').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
