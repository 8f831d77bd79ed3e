import type { Db } from '../../store/db.js';
import type { AppointmentRequestsTable } from '../../store/tables.js';

export type AppointmentRequestRow = AppointmentRequestsTable;

export async function insert(db: Db, tenantId: string, row: Omit<AppointmentRequestRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('appointment_requests')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}
