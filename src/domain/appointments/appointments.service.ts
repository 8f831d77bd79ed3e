import type { Tx } from '../transaction.js';
import type { AppointmentRequest } from './appointment-record.js';
import { createAppointmentsRepo } from './appointments.repo.js';

export interface AppointmentsService {
  /** Records a customer's appointment request in the caller's transaction (a conversation's turn). */
  requestIn(tx: Tx, tenantId: string, request: AppointmentRequest): Promise<void>;
  /** The requests a conversation made, oldest first. */
  listForConversation(tenantId: string, conversationId: string): Promise<AppointmentRequest[]>;
  /** The contact's next appointment: their newest request not cancelled. */
  nextForContact(tenantId: string, contactId: string): Promise<AppointmentRequest | undefined>;
  /** A customer's answer about their appointment: `confirmed`, `cancelled` or `reschedule_requested`. */
  setStatus(tenantId: string, id: string, status: AppointmentAnswer, at: string): Promise<void>;
}

export type AppointmentAnswer = 'confirmed' | 'cancelled' | 'reschedule_requested';

export function createAppointmentsService(deps: {
  repo: ReturnType<typeof createAppointmentsRepo>;
}): AppointmentsService {
  return {
    requestIn: (tx, tenantId, request) => createAppointmentsRepo(tx).insert(tenantId, request),
    listForConversation: (tenantId, conversationId) => deps.repo.listForConversation(tenantId, conversationId),
    nextForContact: (tenantId, contactId) => deps.repo.latestOpenForContact(tenantId, contactId),
    setStatus: (tenantId, id, status, at) => deps.repo.updateStatus(tenantId, id, status, at),
  };
}
