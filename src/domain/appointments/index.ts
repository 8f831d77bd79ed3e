import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { ContactsService } from '../identity/index.js';
import { createAppointmentsRepo } from './appointments.repo.js';
import { createAppointmentsService, type AppointmentsService } from './appointments.service.js';

export {
  APPOINTMENT_STATUSES,
  type Appointment,
  type AppointmentBooking,
  type AppointmentChange,
  type AppointmentFigures,
  type AppointmentFilter,
  type AppointmentRequest,
  type AppointmentStatus,
} from './appointment-record.js';
export type { AppointmentsService } from './appointments.service.js';

/** Appointments: requested in conversations or booked through the CRM (the one door of the appointments concept). */
export function createAppointmentsModule(ports: { db: Db; clock: Clock; contacts: Pick<ContactsService, 'get'> }): {
  appointments: AppointmentsService;
} {
  const repo = createAppointmentsRepo(ports.db);
  return { appointments: createAppointmentsService({ repo, clock: ports.clock, contacts: ports.contacts }) };
}
