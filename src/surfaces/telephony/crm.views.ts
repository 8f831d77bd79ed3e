import type { z } from 'zod';
import type { Appointment } from '../../domain/appointments/index.js';
import type { ConsentEvent } from '../../domain/compliance/index.js';
import type { Conversation, ConversationDetail } from '../../domain/conversations/index.js';
import type { Contact } from '../../domain/identity/index.js';
import type {
  appointmentView,
  consentHistoryView,
  conversationDetailView,
  conversationView,
  customerView,
  timelineView,
} from './crm.schemas.js';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A contact as spec C's customer; address and tags live in the contact's attributes. */
export function customerViewOf(tenantId: string, c: Contact): z.infer<typeof customerView> {
  return {
    id: c.id,
    business_id: tenantId,
    name: c.name,
    phone: c.phone,
    email: c.email,
    address: text(c.attributes.address),
    tags: strings(c.attributes.tags),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

export function appointmentViewOf(tenantId: string, a: Appointment): z.infer<typeof appointmentView> {
  return {
    id: a.id,
    business_id: tenantId,
    customer_id: a.contactId,
    conversation_id: a.conversationId,
    source: a.source,
    status: a.status,
    start_time: a.startTime,
    end_time: a.endTime,
    preferred_time: a.preferredTime,
    service_type: a.serviceType ?? text(a.fields.service),
    description: a.description,
    is_emergency: a.isEmergency,
    estimated_value: a.estimatedValue,
    technician: a.technician,
    tags: a.tags,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function conversationViewOf(tenantId: string, c: Conversation): z.infer<typeof conversationView> {
  return {
    id: c.id,
    business_id: tenantId,
    customer_id: c.contactId,
    channel: c.channel,
    status: c.status,
    intent: c.currentIntent,
    sentiment: c.sentiment,
    summary: c.summary,
    lead_id: c.leadId,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    last_activity_at: c.lastActivityAt,
    qa: {
      flags: c.qa.flags,
      tags: c.qa.tags,
      outcome: c.qa.outcome,
      notes: c.qa.notes,
      reviewed_at: c.qa.reviewedAt,
    },
  };
}

export function conversationDetailViewOf(
  tenantId: string,
  detail: ConversationDetail,
): z.infer<typeof conversationDetailView> {
  return {
    ...conversationViewOf(tenantId, detail.conversation),
    messages: detail.messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      sender: m.sender,
      text: m.text,
      created_at: m.createdAt,
    })),
    total_messages: detail.totalMessages,
  };
}

/**
 * A customer's appointments and conversations of every channel in one list, newest first: an
 * appointment stands at its start time (its booking time when it has none), a conversation at its last activity.
 */
export function timelineViewOf(
  tenantId: string,
  customerId: string,
  appointments: Appointment[],
  conversations: Conversation[],
): z.infer<typeof timelineView> {
  const items = [
    ...appointments.map((a) => ({
      type: 'appointment' as const,
      timestamp: a.startTime ?? a.createdAt,
      appointment: appointmentViewOf(tenantId, a),
    })),
    ...conversations.map((c) => ({
      type: 'conversation' as const,
      timestamp: c.lastActivityAt,
      conversation: conversationViewOf(tenantId, c),
    })),
  ];
  items.sort((x, y) => (x.timestamp < y.timestamp ? 1 : x.timestamp > y.timestamp ? -1 : 0));
  return { customer_id: customerId, items };
}

export function consentHistoryViewOf(
  customerId: string,
  phone: string | null,
  history: ConsentEvent[],
): z.infer<typeof consentHistoryView> {
  return {
    customer_id: customerId,
    phone,
    opted_out: history.filter((e) => e.channel === 'sms').at(-1)?.change === 'opt_out',
    items: history.map((e) => ({
      id: e.id,
      change: e.change,
      channel: e.channel,
      source: e.source,
      evidence: e.evidence,
      created_at: e.createdAt,
    })),
  };
}
