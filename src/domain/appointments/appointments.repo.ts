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
    requestedStart: r.requested_start,
    requestedEnd: r.requested_end,
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
      await db
        .insertInto('appointment_requests')
        .values({
          id: a.id,
          tenant_id: tenantId,
          conversation_id: a.conversationId,
          contact_id: a.contactId,
          lead_id: a.leadId,
          preferred_time: a.preferredTime,
          requested_start: a.requestedStart,
          requested_end: a.requestedEnd,
          fields: toJson(a.fields),
          status: a.status,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        })
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

    /** The contact's newest request still standing (not cancelled). */
    async latestOpenForContact(tenantId: string, contactId: string): Promise<AppointmentRequest | undefined> {
      const row = await db
        .selectFrom('appointment_requests')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('contact_id', '=', contactId)
        .where('status', '!=', 'cancelled')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async updateStatus(tenantId: string, id: string, status: string, at: string): Promise<void> {
      await db
        .updateTable('appointment_requests')
        .set({ status, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
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
