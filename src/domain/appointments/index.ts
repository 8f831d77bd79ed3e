import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { Tx } from '../transaction.js';
import type { ContactsService } from '../identity/index.js';
import type { TenantsService } from '../tenants/index.js';
import { createAppointmentsRepo } from './appointments.repo.js';
import { createAppointmentsService, type AppointmentsService } from './appointments.service.js';

export { readAppointmentAnswer } from './appointment-keywords.js';
export {
  APPOINTMENT_STATUSES,
  type Agenda,
  type AgendaContact,
  type AgendaEntry,
  type AgendaQuery,
  type Appointment,
  type AppointmentBooking,
  type AppointmentChange,
  type AppointmentFigures,
  type AppointmentFilter,
  type AppointmentRequest,
  type AppointmentStatus,
} from './appointment-record.js';
export type { AppointmentAnswer, AppointmentsService } from './appointments.service.js';

/** Appointments: requested in conversations or booked through the CRM (the one door of the appointments concept). */
export function createAppointmentsModule(ports: {
  db: Db;
  clock: Clock;
  contacts: Pick<ContactsService, 'get'>;
  tenants: Pick<TenantsService, 'get'>;
}): {
  appointments: AppointmentsService;
} {
  const repo = createAppointmentsRepo(ports.db);
  return {
    appointments: createAppointmentsService({
      repo,
      clock: ports.clock,
      contacts: ports.contacts,
      tenants: ports.tenants,
    }),
  };
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
