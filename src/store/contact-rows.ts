import type { Db } from './db.js';
import type { Tables } from './tables.js';

/** The tables whose rows belong to a tenant's contact (a person). */
export type ContactRowsTable = {
  [T in keyof Tables]: Tables[T] extends { tenant_id: string; contact_id: string | null } ? T : never;
}[keyof Tables];

/** Every row of `fromContactId` in the table now belongs to `toContactId` (two contacts found to be one person). */
export async function reassignContactRows(
  db: Db,
  table: ContactRowsTable,
  tenantId: string,
  fromContactId: string,
  toContactId: string,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ contact_id: toContactId })
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', fromContactId)
    .execute();
}
