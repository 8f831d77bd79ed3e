import type { Db } from '../../store/db.js';
import type { ConversationsTable } from '../../store/tables.js';

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
  updatedAt: string;
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
  /** The dialog's stage (`completed` once details were taken and a call back promised, `handed_off`, …). */
  stage: string | null;
  sentiment: string | null;
  /** What the conversation collected of the customer: name and phone. */
  collected: { name: string | null; phone: string | null };
  /** The quality review's flags and outcome. */
  qa: { flags: string[]; outcome: string | null };
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
  'updated_at',
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
    /** Appointments in `status` now, most recently changed first, at most `limit`. */
    async appointmentsWithStatus(tenantId: string, status: string, limit: number): Promise<AppointmentSample[]> {
      const rows = await appointments(tenantId)
        .where('status', '=', status)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
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
        .select(['last_message_at', 'state', 'sentiment', 'qa'])
        .where('tenant_id', '=', tenantId)
        .where('livemode', '=', LIVE)
        .where('created_at', '>=', from)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toConversation);
    },
  };
}

type ConversationRow = Pick<
  ConversationsTable,
  'id' | 'contact_id' | 'channel' | 'status' | 'lead_id' | 'summary' | 'message_count' | 'created_at'
> &
  Pick<ConversationsTable, 'last_message_at' | 'state' | 'sentiment'> & { qa?: string | null };

const textOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function parsed(json: string | null | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json ?? '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toConversation(r: ConversationRow): ConversationSample {
  const state = parsed(r.state);
  const collected = (state.collected && typeof state.collected === 'object' ? state.collected : {}) as Record<
    string,
    unknown
  >;
  const qa = parsed(r.qa);
  return {
    id: r.id,
    contactId: r.contact_id,
    channel: r.channel,
    status: r.status,
    leadId: r.lead_id,
    summary: r.summary,
    messageCount: Number(r.message_count),
    createdAt: r.created_at,
    lastMessageAt: r.last_message_at,
    stage: textOf(state.conversation_stage),
    sentiment: r.sentiment,
    collected: { name: textOf(collected.name), phone: textOf(collected.phone) },
    qa: {
      flags: Array.isArray(qa.flags) ? qa.flags.filter((f): f is string => typeof f === 'string') : [],
      outcome: textOf(qa.outcome),
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
  updated_at: string;
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
    updatedAt: r.updated_at,
  };
}
