import type { AgendaEntry } from '../../domain/appointments/index.js';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** An appointment as the web app's calendar shows it. */
export function appointmentView(e: AgendaEntry) {
  const a = e.appointment;
  return {
    id: a.id,
    status: a.status,
    /** `booked` (a start time is set) or `requested` (placed at the time the customer asked for). */
    kind: e.kind,
    start: e.at,
    end: a.startTime ? a.endTime : a.requestedEnd ? new Date(a.requestedEnd).toISOString() : null,
    preferred_time: a.preferredTime,
    service: a.serviceType ?? text(a.fields.service),
    description: a.description,
    is_emergency: a.isEmergency,
    contact: { id: a.contactId, name: e.contact.name, phone: e.contact.phone },
    conversation_id: a.conversationId,
    source: a.source,
    cancel_reason: a.cancelReason,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}
