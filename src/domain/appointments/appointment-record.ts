/** A customer's request for an appointment, as a conversation collected it. */
export interface AppointmentRequest {
  id: string;
  conversationId: string;
  contactId: string | null;
  leadId: string | null;
  preferredTime: string | null;
  /** What the conversation collected (name, phone, service, address, …). */
  fields: Record<string, unknown>;
  /** `requested`, `confirmed`, `cancelled`, `reschedule_requested`. */
  status: string;
  createdAt: string;
  updatedAt: string;
}
