import type { Db } from '../../store/db.js';
import type { Tx } from '../transaction.js';
import { createAppointmentsRepo } from './appointments.repo.js';
import { createAppointmentsService, type AppointmentsService } from './appointments.service.js';

export { readAppointmentAnswer } from './appointment-keywords.js';
export type { AppointmentRequest } from './appointment-record.js';
export type { AppointmentAnswer, AppointmentsService } from './appointments.service.js';

/** Appointment requests a conversation books (the one door of the appointments concept). */
export function createAppointmentsModule(ports: { db: Db }): { appointments: AppointmentsService } {
  return { appointments: createAppointmentsService({ repo: createAppointmentsRepo(ports.db) }) };
}

/** Moves `fromContactId`'s requests to `toContactId` in the caller's transaction (two contacts found to be one person). */
export function reassignAppointmentsContactIn(
  tx: Tx,
  tenantId: string,
  fromContactId: string,
  toContactId: string,
): Promise<void> {
  return createAppointmentsRepo(tx).reassignContact(tenantId, fromContactId, toContactId);
}
