import type { Db } from '../../store/db.js';
import { createAppointmentsRepo } from './appointments.repo.js';
import { createAppointmentsService, type AppointmentsService } from './appointments.service.js';

export { readAppointmentAnswer } from './appointment-keywords.js';
export type { AppointmentRequest } from './appointment-record.js';
export type { AppointmentAnswer, AppointmentsService } from './appointments.service.js';

/** Appointment requests a conversation books (the one door of the appointments concept). */
export function createAppointmentsModule(ports: { db: Db }): { appointments: AppointmentsService } {
  return { appointments: createAppointmentsService({ repo: createAppointmentsRepo(ports.db) }) };
}
