import type { Db } from '../../store/db.js';

/**
 * What an owner's dashboard reads: the tenant's appointments and conversations, live rows only
 * (a test key's never count). Reads only; the appointments and conversations concepts write them.
 */

const LIVE = 1;

/** One appointment as the owner's figures need it. */
export interface AppointmentSample {
  id: string;
  contactId: string | null;
  conversationId: string | null;
  status: string;
  startTime: string | null;
  endTime: string | null;
  serviceType: string | null;
  isEmergency: boolean;
  estimatedValue: number | null;
  technician: string | null;
  source: string;
  createdAt: string;
}

/** One conversation as the owner's figures need it. */
export interface ConversationSample {
  id: string;
  contactId: string | null;
  channel: string;
  status: string;
  leadId: string | null;
  summary: string | null;
  messageCount: number;
  createdAt: string;
  lastMessageAt: string | null;
}

const APPOINTMENT_COLUMNS = [
  'id',
  'contact_id',
  'conversation_id',
  'status',
  'start_time',
  'end_time',
  'service_type',
  'is_emergency',
  'estimated_value',
  'technician',
  'source',
  'created_at',
] as const;

export type OwnerReadModel = ReturnType<typeof createOwnerReadModel>;

export function createOwnerReadModel(db: Db) {
  const appointments = (tenantId: string) =>
    db
      .selectFrom('appointment_requests')
      .select(APPOINTMENT_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('livemode', '=', LIVE);
  return {
    /** Appointments starting in [from, to), earliest first. */
    async appointmentsStarting(tenantId: string, from: string, to: string): Promise<AppointmentSample[]> {
      const rows = await appointments(tenantId)
        .where('start_time', '>=', from)
        .where('start_time', '<', to)
        .orderBy('start_time')
        .orderBy('id')
        .execute();
      return rows.map(toAppointment);
    },
    /** Appointments created since `from`, oldest first. */
    async appointmentsCreatedSince(tenantId: string, from: string): Promise<AppointmentSample[]> {
      const rows = await appointments(tenantId).where('created_at', '>=', from).orderBy('created_at').execute();
      return rows.map(toAppointment);
    },
    /** Conversations started since `from`, newest first, at most `limit`. */
    async conversationsSince(tenantId: string, from: string, limit: number): Promise<ConversationSample[]> {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'contact_id', 'channel', 'status', 'lead_id', 'summary', 'message_count', 'created_at'])
        .select('last_message_at')
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', from)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        contactId: r.contact_id,
        channel: r.channel,
        status: r.status,
        leadId: r.lead_id,
        summary: r.summary,
        messageCount: Number(r.message_count),
        createdAt: r.created_at,
        lastMessageAt: r.last_message_at,
      }));
    },
  };
}

type AppointmentRow = {
  id: string;
  contact_id: string | null;
  conversation_id: string | null;
  status: string;
  start_time?: string | null;
  end_time?: string | null;
  service_type?: string | null;
  is_emergency?: number;
  estimated_value?: number | null;
  technician?: string | null;
  source?: string;
  created_at: string;
};

function toAppointment(r: AppointmentRow): AppointmentSample {
  return {
    id: r.id,
    contactId: r.contact_id,
    conversationId: r.conversation_id,
    status: r.status,
    startTime: r.start_time ?? null,
    endTime: r.end_time ?? null,
    serviceType: r.service_type ?? null,
    isEmergency: Boolean(r.is_emergency),
    estimatedValue: r.estimated_value === null || r.estimated_value === undefined ? null : Number(r.estimated_value),
    technician: r.technician ?? null,
    source: r.source ?? 'chat',
    createdAt: r.created_at,
  };
}
