import type { Tx } from '../transaction.js';
import type { AppointmentRequest } from './appointment-record.js';
import { createAppointmentsRepo } from './appointments.repo.js';

export interface AppointmentsService {
  /** Records a customer's appointment request in the caller's transaction (a conversation's turn). */
  requestIn(tx: Tx, tenantId: string, request: AppointmentRequest): Promise<void>;
  /** The requests a conversation made, oldest first. */
  listForConversation(tenantId: string, conversationId: string): Promise<AppointmentRequest[]>;
  /** Moves `fromContactId`'s requests to `toContactId` in the caller's transaction (two contacts found to be one person). */
  reassignContactIn(tx: Tx, tenantId: string, fromContactId: string, toContactId: string): Promise<void>;
}

export function createAppointmentsService(deps: {
  repo: ReturnType<typeof createAppointmentsRepo>;
}): AppointmentsService {
  return {
    requestIn: (tx, tenantId, request) => createAppointmentsRepo(tx).insert(tenantId, request),
    listForConversation: (tenantId, conversationId) => deps.repo.listForConversation(tenantId, conversationId),
    reassignContactIn: (tx, tenantId, from, to) => createAppointmentsRepo(tx).reassignContact(tenantId, from, to),
  };
}
