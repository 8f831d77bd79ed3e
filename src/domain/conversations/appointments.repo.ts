import type { Db } from '../../store/db.js';
import type { AppointmentRequestsTable } from '../../store/tables.js';

export type AppointmentRequestRow = AppointmentRequestsTable;

export async function insert(db: Db, tenantId: string, row: Omit<AppointmentRequestRow, 'tenant_id'>): Promise<void> {
  await db.insertInto('appointment_requests').values({ ...row, tenant_id: tenantId }).execute();
}

export async function listByConversation(db: Db, tenantId: string, conversationId: string): Promise<AppointmentRequestRow[]> {
  return db.selectFrom('appointment_requests').selectAll().where('tenant_id', '=', tenantId).where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
}
