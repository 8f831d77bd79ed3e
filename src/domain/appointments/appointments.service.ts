import type { Tx } from '../transaction.js';
import type { AppointmentRequest } from './appointment-record.js';
import { createAppointmentsRepo } from './appointments.repo.js';

export interface AppointmentsService {
  /** Records a customer's appointment request in the caller's transaction (a conversation's turn). */
  requestIn(tx: Tx, tenantId: string, request: AppointmentRequest): Promise<void>;
  /** The requests a conversation made, oldest first. */
  listForConversation(tenantId: string, conversationId: string): Promise<AppointmentRequest[]>;
}

export function createAppointmentsService(deps: {
  repo: ReturnType<typeof createAppointmentsRepo>;
}): AppointmentsService {
  return {
    requestIn: (tx, tenantId, request) => createAppointmentsRepo(tx).insert(tenantId, request),
    listForConversation: (tenantId, conversationId) => deps.repo.listForConversation(tenantId, conversationId),
  };
}
