import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { notFound } from '../errors.js';
import type { ContactsService } from '../identity/index.js';
import type { Tx } from '../transaction.js';
import type {
  Appointment,
  AppointmentBooking,
  AppointmentChange,
  AppointmentFigures,
  AppointmentFilter,
  AppointmentRequest,
} from './appointment-record.js';
import { createAppointmentsRepo, type AppointmentsRepo } from './appointments.repo.js';

export interface AppointmentsService {
  /** Records a customer's appointment request in the caller's transaction (a conversation's turn). */
  requestIn(tx: Tx, tenantId: string, request: AppointmentRequest): Promise<void>;
  /** The requests a conversation made, oldest first. */
  listForConversation(tenantId: string, conversationId: string): Promise<Appointment[]>;
  /** The contact's next appointment: their newest request not cancelled. */
  nextForContact(tenantId: string, contactId: string): Promise<Appointment | undefined>;
  /** A customer's answer about their appointment: `confirmed`, `cancelled` or `reschedule_requested`. */
  setStatus(tenantId: string, id: string, status: AppointmentAnswer, at: string): Promise<void>;
  /** Books an appointment for a customer of the tenant (404 when the customer is not the tenant's). */
  book(tenantId: string, booking: AppointmentBooking): Promise<Appointment>;
  get(tenantId: string, id: string): Promise<Appointment>;
  /** Newest first. */
  list(
    tenantId: string,
    filter: AppointmentFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: Appointment[]; total: number }>;
  update(tenantId: string, id: string, change: AppointmentChange): Promise<Appointment>;
  /** Every appointment of the tenant in figures (admin usage reports). */
  figures(tenantId: string): Promise<AppointmentFigures>;
}

export type AppointmentAnswer = 'confirmed' | 'cancelled' | 'reschedule_requested';

export interface AppointmentsPorts {
  repo: AppointmentsRepo;
  clock: Clock;
  /** Whose appointment it is: a customer is an identity contact. */
  contacts: Pick<ContactsService, 'get'>;
}

export function createAppointmentsService(deps: AppointmentsPorts): AppointmentsService {
  const load = async (tenantId: string, id: string): Promise<Appointment> => {
    const found = await deps.repo.findById(tenantId, id);
    if (!found) throw notFound('appointment', id);
    return found;
  };
  return {
    requestIn: (tx, tenantId, request) => createAppointmentsRepo(tx).insertRequest(tenantId, request),
    listForConversation: (tenantId, conversationId) => deps.repo.listForConversation(tenantId, conversationId),
    nextForContact: (tenantId, contactId) => deps.repo.latestOpenForContact(tenantId, contactId),
    setStatus: (tenantId, id, status, at) => deps.repo.update(tenantId, id, { status }, at),
    book: (tenantId, booking) => book(deps, tenantId, booking),
    get: load,
    async list(tenantId, filter, page) {
      const { rows, total } = await deps.repo.list(tenantId, filter, page);
      return { items: rows, total };
    },
    async figures(tenantId) {
      const groups = await deps.repo.figures(tenantId);
      const byService: Record<string, number> = {};
      for (const g of groups)
        byService[g.service ?? 'unspecified'] = (byService[g.service ?? 'unspecified'] ?? 0) + g.count;
      return {
        total: groups.reduce((n, g) => n + g.count, 0),
        emergencies: groups.reduce((n, g) => n + g.emergencies, 0),
        byService,
      };
    },
    async update(tenantId, id, change) {
      await load(tenantId, id);
      await deps.repo.update(tenantId, id, change, deps.clock.now().toISOString());
      return load(tenantId, id);
    },
  };
}

async function book(deps: AppointmentsPorts, tenantId: string, booking: AppointmentBooking): Promise<Appointment> {
  const contact = await deps.contacts.get(tenantId, booking.contactId);
  const now = deps.clock.now().toISOString();
  const appointment: Appointment = {
    id: newId('appt'),
    conversationId: null,
    contactId: contact.id,
    leadId: null,
    preferredTime: null,
    requestedStart: null,
    requestedEnd: null,
    fields: {},
    source: 'crm',
    status: booking.status ?? 'scheduled',
    startTime: booking.startTime ?? null,
    endTime: booking.endTime ?? null,
    serviceType: booking.serviceType ?? null,
    description: booking.description ?? null,
    isEmergency: booking.isEmergency ?? false,
    estimatedValue: booking.estimatedValue ?? null,
    technician: booking.technician ?? null,
    tags: booking.tags ?? [],
    createdAt: now,
    updatedAt: now,
  };
  await deps.repo.insert(tenantId, appointment);
  return appointment;
}
