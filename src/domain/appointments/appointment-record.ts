/** A customer's request for an appointment, as a conversation collected it. */
export interface AppointmentRequest {
  id: string;
  conversationId: string;
  contactId: string | null;
  leadId: string | null;
  preferredTime: string | null;
  /** Start of the window the customer's words named, ISO 8601 with the tenant's offset; null when none was understood. */
  requestedStart: string | null;
  /** End of that window for a part of day or a whole day; null for an exact time. */
  requestedEnd: string | null;
  /** What the conversation collected (name, phone, service, address, …). */
  fields: Record<string, unknown>;
  /** `requested`, `confirmed`, `cancelled`, `reschedule_requested`. */
  status: string;
  createdAt: string;
  updatedAt: string;
}
