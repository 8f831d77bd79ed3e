import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { AppointmentRequestsTable } from '../../store/tables.js';
import type { AppointmentRequest } from './appointment-record.js';

function toRecord(r: AppointmentRequestsTable): AppointmentRequest {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    contactId: r.contact_id,
    leadId: r.lead_id,
    preferredTime: r.preferred_time,
    fields: fromJson<Record<string, unknown>>(r.fields, {}),
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The `appointment_requests` table. */
export function createAppointmentsRepo(db: Db) {
  return {
    async insert(tenantId: string, a: AppointmentRequest): Promise<void> {
      // A request is of its conversation's mode, which opened under a live or a test key.
      await db
        .insertInto('appointment_requests')
        .values((eb) => ({
          livemode: eb.fn.coalesce(
            eb
              .selectFrom('conversations')
              .select('livemode')
              .where('tenant_id', '=', tenantId)
              .where('id', '=', a.conversationId),
            eb.lit(true),
          ),
          id: a.id,
          tenant_id: tenantId,
          conversation_id: a.conversationId,
          contact_id: a.contactId,
          lead_id: a.leadId,
          preferred_time: a.preferredTime,
          fields: toJson(a.fields),
          status: a.status,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        }))
        .execute();
    },

    async listForConversation(tenantId: string, conversationId: string): Promise<AppointmentRequest[]> {
      const rows = await db
        .selectFrom('appointment_requests')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('conversation_id', '=', conversationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },

    async reassignContact(tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
      await db
        .updateTable('appointment_requests')
        .set({ contact_id: toContactId })
        .where('tenant_id', '=', tenantId)
        .where('contact_id', '=', fromContactId)
        .execute();
    },
  };
}
